// What a task's labels read, for the rules (leakage, data columns), the data pipeline and the
// words of explain / diff: the label column, or every column a `labelFrom` expression reads;
// the evaluation label of an ESMM factor; the sample-weight column (the task's, else training's).
// No runtime imports: the data pipeline runs in the serving bundle, which should not pull in
// the schema or YAML libraries.
import type { ConditionSpec, EvaluationSpec, LabelFromSpec } from './label-spec.js';

/** The keys of a condition that compare the column's value; exactly one per condition. */
export const CONDITION_OPERATORS = ['in', 'equals', 'greaterThan', 'atLeast', 'lessThan', 'atMost'] as const;
/** The keys that combine conditions; exactly one per expression, and then no `column`. */
export const COMBINATORS = ['all', 'any', 'not'] as const;

// source.ts's pointer, for keys that need no escaping
const pointer = (parent: string, key: string | number) => `${parent}/${key}`;

interface LabelledTask {
  label?: string;
  labelFrom?: LabelFromSpec;
  evaluation?: EvaluationSpec;
  sampleWeight?: string;
}

/** A column read by a label, with the JSON pointer (relative to the task) that names it. */
export interface LabelColumn {
  column: string;
  /** e.g. "/label", "/labelFrom/all/1/column", "/evaluation/label". */
  path: string;
}

/** Whether the task has a training label (a loss term), written either way. */
export function hasTrainingLabel(t: LabelledTask): boolean {
  return t.label !== undefined || t.labelFrom !== undefined;
}

type Operand = string | ConditionSpec;

/** The operands of an expression, with their pointers: itself when it is a condition. */
export function operandsOf(e: LabelFromSpec, at: string): { operand: Operand; path: string }[] {
  if (e.all) return e.all.map((o, j) => ({ operand: o, path: pointer(pointer(at, 'all'), j) }));
  if (e.any) return e.any.map((o, j) => ({ operand: o, path: pointer(pointer(at, 'any'), j) }));
  if (e.not !== undefined) return [{ operand: e.not, path: pointer(at, 'not') }];
  return [{ operand: e, path: at }];
}

function exprColumns(e: LabelFromSpec, at: string): LabelColumn[] {
  const out: LabelColumn[] = [];
  for (const { operand, path } of operandsOf(e, at)) {
    if (typeof operand === 'string') out.push({ column: operand, path });
    else if (operand.column !== undefined) out.push({ column: operand.column, path: pointer(path, 'column') });
  }
  return out;
}

/** Every column the task's training label reads (none for a task without one). */
export function trainingLabelColumns(t: LabelledTask): LabelColumn[] {
  if (t.labelFrom) return exprColumns(t.labelFrom, '/labelFrom');
  return t.label === undefined ? [] : [{ column: t.label, path: '/label' }];
}

/** Every column the task's evaluation label reads. */
export function evaluationLabelColumns(t: LabelledTask): LabelColumn[] {
  const ev = t.evaluation;
  if (!ev) return [];
  if (ev.labelFrom) return exprColumns(ev.labelFrom, '/evaluation/labelFrom');
  return ev.label === undefined ? [] : [{ column: ev.label, path: '/evaluation/label' }];
}

/** The column weighting the task's rows: its own `sampleWeight`, else `training.sampleWeight`. */
export function sampleWeightOf(t: LabelledTask, training: { sampleWeight?: string }): string | undefined {
  return t.sampleWeight ?? training.sampleWeight;
}

const OP_WORDS: Record<(typeof CONDITION_OPERATORS)[number], string> = {
  in: 'in',
  equals: '=',
  greaterThan: '>',
  atLeast: '>=',
  lessThan: '<',
  atMost: '<=',
};

const valueWords = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function conditionWords(c: Operand): string {
  if (typeof c === 'string') return c;
  for (const op of CONDITION_OPERATORS) {
    const v = c[op];
    if (v === undefined) continue;
    if (op === 'in') return `${c.column} in {${(v as unknown[]).map(valueWords).join(', ')}}`;
    return `${c.column} ${OP_WORDS[op]} ${valueWords(v)}`;
  }
  return String(c.column);
}

/** The expression in words: "education in {Bachelors, Masters}", "click and conversion", "not click". */
export function describeLabelFrom(e: LabelFromSpec): string {
  const parts = operandsOf(e, '').map(({ operand }) => conditionWords(operand));
  if (e.all) return parts.join(' and ');
  if (e.any) return parts.join(' or ');
  if (e.not !== undefined) return `not ${parts[0]}`;
  return parts[0];
}

/** The task's training label in words: the column, or the expression. */
export function describeTrainingLabel(t: LabelledTask): string | undefined {
  return t.labelFrom ? describeLabelFrom(t.labelFrom) : t.label;
}

/** An evaluation label in words, with its sample space: "conversion where click = 1". */
export function describeEvaluation(ev: EvaluationSpec): string {
  const label = ev.labelFrom ? describeLabelFrom(ev.labelFrom) : String(ev.label);
  return ev.sampleSpace ? `${label} where ${ev.sampleSpace.column} = ${valueWords(ev.sampleSpace.equals)}` : label;
}
