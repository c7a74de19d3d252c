// Table -> ModelData: the fitted pipeline's feature arrays (model inputs by feature name), task
// labels and loss masks aligned with the pipeline's kept rows, and the scenario index input.
import type { ModelIR } from '../compiler/ir.js';
import { transformLabels } from '../data/labels.js';
import type { Pipeline } from '../data/pipeline.js';
import { getColumn, type Table } from '../data/table.js';
import type { Spec } from '../schema/spec-schema.js';
import { sampleWeightOf } from '../schema/task-labels.js';
import type { InputColumn, ModelData } from './dataset.js';

import { SCENARIO_INPUT } from '../compiler/build/names.js';

export { SCENARIO_INPUT };

export function scenarioIndex(
  table: Table,
  column: string,
  values: readonly string[],
  rows: ArrayLike<number>,
): Int32Array {
  const col = getColumn(table, column, 'the scenario feature');
  const index = new Map(values.map((v, i) => [v, i] as const));
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const raw = col.missing[r] ? undefined : col.kind === 'string' ? col.values[r] : String(col.values[r]);
    out[i] = raw === undefined ? values.length : (index.get(raw) ?? values.length);
  }
  return out;
}

export type TransformedData = ModelData & {
  skipped: number;
  skipReasons: string[] /** table rows kept, in order */;
  rows: Uint32Array;
};

export function toModelData(spec: Spec, ir: ModelIR, pipeline: Pipeline, table: Table): TransformedData {
  const t = pipeline.transform(table);
  const inputs = new Map<string, InputColumn>();
  for (const inp of pipeline.inputs) {
    inputs.set(inp.name, { dtype: inp.dtype, width: inp.width, data: t.features.get(inp.name)! });
  }
  const labelled = transformLabels(table, spec.tasks, {
    rows: t.rows,
    ...(spec.scenarios ? { scenarioColumn: spec.scenarios.feature } : {}),
    ...(spec.training.sampleWeight !== undefined ? { sampleWeight: spec.training.sampleWeight } : {}),
  });
  const labels = new Map<string, Float32Array>();
  const masks = new Map<string, Float32Array>();
  const weightedBy = new Map<string, string>();
  for (const [task, l] of labelled) {
    labels.set(task, l.labels);
    masks.set(task, l.mask);
    const w = sampleWeightOf(spec.tasks.find((s) => s.name === task)!, spec.training);
    if (w !== undefined) weightedBy.set(task, w);
  }
  const data: TransformedData = {
    n: t.rows.length,
    inputs,
    labels,
    masks,
    skipped: t.skipped,
    skipReasons: t.skipReasons,
    rows: t.rows,
    ...(weightedBy.size ? { weightedBy } : {}),
  };
  if (ir.scenario) {
    const sc = scenarioIndex(
      table,
      ir.features.find((f) => f.name === ir.scenario!.feature)?.column ?? ir.scenario.feature,
      ir.scenario.values,
      t.rows,
    );
    data.scenario = sc;
    inputs.set(SCENARIO_INPUT, { dtype: 'int32', width: 1, data: sc });
  }
  return data;
}
