// The data must be able to feed the features and labels (a light check; the data pipeline
// checks the real rows).
//   csv: when `columns` declares types, a numeric feature cannot read a string column, a
//   sequence feature (split on its separator) cannot read a number column, and a regression
//   label cannot be a string column (errors).
//   synthetic: the built-in generators produce fixed columns (listed here, mirroring
//   src/data/synthetic-*.ts, so that validate does not load the data pipeline); a feature or
//   label reading a column the generator does not produce, or a numeric feature reading one of
//   its string columns, gets a warning.
import { didYouMean } from '../../util/diagnostics.js';
import { pointer } from '../source.js';
import type { Spec } from '../spec-schema.js';
import { evaluationLabelColumns, trainingLabelColumns } from '../task-labels.js';
import type { RuleContext } from './context.js';

type ColumnType = 'number' | 'string';

const ECOM_COLUMNS: Readonly<Record<string, ColumnType>> = {
  user_id: 'string',
  user_age: 'number',
  user_gender: 'string',
  user_city: 'string',
  user_history: 'string',
  item_id: 'string',
  item_category: 'string',
  item_price: 'number',
  context_hour: 'number',
  scene: 'string',
  click: 'number',
  conversion: 'number',
};

/** Columns of a synthetic generator: name -> type. mmoe-synthetic: x0..x{d-1}, y1, y2. */
function generatorColumns(data: Extract<Spec['data'], { source: 'synthetic' }>): Map<string, ColumnType> {
  if (data.generator === 'ecom') return new Map(Object.entries(ECOM_COLUMNS));
  const d = data.params?.d ?? 100;
  const cols = new Map<string, ColumnType>([
    ['y1', 'number'],
    ['y2', 'number'],
  ]);
  for (let i = 0; i < Math.min(d, 10_000); i++) cols.set(`x${i}`, 'number');
  return cols;
}

export function dataSource(ctx: RuleContext): void {
  const { spec } = ctx;
  const code = 'data-source';
  const data = spec.data;
  const featureColumn = (i: number) => {
    const f = spec.features[i];
    // a cross reads no column of its own (its components do): skipped below
    const written = f.type !== 'cross' && f.column !== undefined;
    return {
      f,
      column: f.type === 'cross' ? '' : (f.column ?? f.name),
      path: pointer(pointer('/features', i), written ? 'column' : 'name'),
    };
  };

  if (data.source === 'csv') {
    const declared = data.columns;
    if (!declared) return;
    const typeOf = (c: string): ColumnType | undefined =>
      Object.prototype.hasOwnProperty.call(declared, c) ? declared[c] : undefined;
    spec.features.forEach((_, i) => {
      const { f, column } = featureColumn(i);
      if (f.type === 'cross') return;
      const t = typeOf(column);
      const bad = (f.type === 'numeric' && t === 'string') || (f.type === 'sequence' && t === 'number');
      if (!bad) return;
      ctx.report({
        code,
        path: pointer(pointer('/features', i), 'type'),
        message: `feature "${f.name}" is ${f.type}, but data.columns declares its column "${column}" a ${t}. ${f.type === 'numeric' ? 'Make it categorical, or declare the column a number.' : 'A sequence splits a string on its separator: declare the column a string.'}`,
        related: [{ path: pointer('/data/columns', column), message: `"${column}" declared ${t} here` }],
      });
    });
    spec.tasks.forEach((t, i) => {
      if (t.type !== 'regression' || t.label === undefined || typeOf(t.label) !== 'string') return;
      ctx.report({
        code,
        path: pointer(pointer('/tasks', i), 'label'),
        message: `task "${t.name}" is a regression, but data.columns declares its label "${t.label}" a string. Declare it a number (or make the task binary with positive:).`,
        related: [{ path: pointer('/data/columns', t.label), message: `"${t.label}" declared string here` }],
      });
    });
    return;
  }

  const cols = generatorColumns(data);
  const names = [...cols.keys()];
  const gen = `the ${data.generator} generator`;
  const missing = (path: string, what: string, column: string) =>
    ctx.report({
      code,
      path,
      severity: 'warning',
      message: `${what} reads column "${column}", which ${gen} does not produce.${didYouMean(column, names) || ` It produces ${data.generator === 'ecom' ? names.join(', ') : 'x0, x1, ... and the labels y1, y2'}.`}`,
    });
  spec.features.forEach((_, i) => {
    const { f, column, path } = featureColumn(i);
    if (f.type === 'cross') return;
    const t = cols.get(column);
    if (t === undefined) missing(path, `feature "${f.name}"`, column);
    else if (f.type === 'numeric' && t === 'string')
      ctx.report({
        code,
        path: pointer(pointer('/features', i), 'type'),
        severity: 'warning',
        message: `feature "${f.name}" is numeric, but ${gen} produces "${column}" as strings. Make it categorical.`,
      });
  });
  const tw = spec.training.sampleWeight;
  if (tw !== undefined && !cols.has(tw)) missing('/training/sampleWeight', 'the training sample weight', tw);
  spec.tasks.forEach((t, i) => {
    const tp = pointer('/tasks', i);
    for (const c of [...trainingLabelColumns(t), ...evaluationLabelColumns(t)])
      if (!cols.has(c.column)) missing(tp + c.path, `task "${t.name}"`, c.column);
    if (t.sampleWeight !== undefined && !cols.has(t.sampleWeight))
      missing(pointer(tp, 'sampleWeight'), `the sample weight of task "${t.name}"`, t.sampleWeight);
    const evSpace = t.evaluation?.sampleSpace;
    if (evSpace && !cols.has(evSpace.column))
      missing(`${tp}/evaluation/sampleSpace/column`, `the evaluation sample space of task "${t.name}"`, evSpace.column);
    if (t.sampleSpace && !cols.has(t.sampleSpace.column))
      missing(
        pointer(pointer(tp, 'sampleSpace'), 'column'),
        `the sample space of task "${t.name}"`,
        t.sampleSpace.column,
      );
  });
}
