// Task labels and loss masks, aligned with the pipeline's output rows.
//
//   binary      label 1 where the cell equals `positive` (default true: matches 1, "1",
//               "true"), 0 where it equals one of `negative` (default false: matches 0, "0",
//               "false"; `negative: other`: any other value); any other value is an error at
//               its row (`1.`, `yes`, `>50K.` or ` >50K` are never silently 0)
//   regression  the number itself
//   multiclass  the index of the value in `classes`; a value outside them is an error at its
//               row, or (unknownClass: skip) leaves the row out of the task (class-labels.ts)
//   mask        1 where the loss counts: the label is present, and the row is in the task's
//               sampleSpace (`column` equals `equals`, a missing cell is outside), and its
//               scenario is one of `scenarios` (when the task restricts them)
//   labelFrom   a label derived from columns (derived-labels.ts)
//   evaluation  a task without a label (an ESMM factor) takes its evaluation label and sample
//               space here: metrics only, since the loss reads tasks with a label (IR label)
//   weight      the mask holds the row's sample weight (task sampleWeight, else training's)
// A row with a missing label gets label 0 and mask 0 for that task only: the other tasks
// still learn from it. Tasks with no label of any kind (an ESMM product output) get no entry.
import type { TaskSpec } from '../schema/spec-schema.js';
import { canEqual, cellEquals, cellNumber, cellToken } from './cells.js';
import { classLabeler, unknownClassMessage } from './class-labels.js';
import { expressionLabel, sampleWeights } from './derived-labels.js';
import { DataError } from './errors.js';
import { getColumn, rowLocation, type Column, type Table } from './table.js';

// spec-schema's NEGATIVE_OTHER, written out: this file runs in the serving bundle, which should
// not pull in the schema library for one string
const NEGATIVE_OTHER = 'other';

export interface TaskLabels {
  labels: Float32Array;
  mask: Float32Array;
  /** Rows with mask above 0. The mask holds the row's sample weight (1 without one). */
  counted: number;
  /** Binary tasks: counted rows with label 1 (0 positives usually means a wrong `positive`). */
  positives: number;
}

export interface LabelOptions {
  /** Rows of `table` to use, in order (the pipeline's `TransformResult.rows`); default all. */
  rows?: ArrayLike<number>;
  /** The scenario feature's column, needed when a task lists `scenarios`. */
  scenarioColumn?: string;
  /** training.sampleWeight: the weight column of every task without its own. */
  sampleWeight?: string;
}

export function transformLabels(
  table: Table,
  tasks: readonly TaskSpec[],
  options: LabelOptions = {},
): Map<string, TaskLabels> {
  const rows = options.rows ?? Uint32Array.from({ length: table.rowCount }, (_, i) => i);
  const n = rows.length;
  const out = new Map<string, TaskLabels>();
  for (const task of tasks) {
    const who = `task "${task.name}"`;
    const source = labelSource(table, task, who);
    if (source === undefined) continue;
    const { labelOf, binary, space } = source;
    const spaceCol = space === undefined ? undefined : getColumn(table, space.column, `${who} sampleSpace`);
    const equals = space?.equals ?? 1;
    if (spaceCol !== undefined && !canEqual(spaceCol, equals)) {
      throw new DataError(
        `${who}: sampleSpace.equals ${JSON.stringify(equals)} can never match the number column "${space!.column}"`,
      );
    }
    let scenarioCol;
    let scenarios: Set<string> | undefined;
    if (task.scenarios !== undefined) {
      if (options.scenarioColumn === undefined)
        throw new DataError(`${who} lists scenarios, but no scenario column was given`);
      scenarioCol = getColumn(table, options.scenarioColumn, `${who} scenarios`);
      scenarios = new Set(task.scenarios);
    }
    const weightColumn = task.sampleWeight ?? options.sampleWeight;
    const weightOf = weightColumn === undefined ? undefined : sampleWeights(table, weightColumn, who);

    const labels = new Float32Array(n);
    const mask = new Float32Array(n);
    let counted = 0;
    let positives = 0;
    for (let k = 0; k < n; k++) {
      const i = rows[k];
      const y = labelOf(i);
      if (y === null) continue;
      labels[k] = y;
      if (spaceCol !== undefined && (spaceCol.missing[i] || !cellEquals(spaceCol, i, equals))) continue;
      if (scenarioCol !== undefined && (scenarioCol.missing[i] || !scenarios!.has(cellToken(scenarioCol, i)))) continue;
      const w = weightOf === undefined ? 1 : weightOf(i);
      mask[k] = w;
      if (w <= 0) continue;
      counted++;
      if (binary) positives += labels[k];
    }
    out.set(task.name, { labels, mask, counted, positives });
  }
  return out;
}

/** Where a task's labels come from: its label column, its labelFrom expression, or (a task
 * without either, an ESMM factor) its evaluation label; undefined for none. */
function labelSource(
  table: Table,
  task: TaskSpec,
  who: string,
): { labelOf: (i: number) => number | null; binary: boolean; space: TaskSpec['sampleSpace'] } | undefined {
  if (task.labelFrom)
    return { labelOf: expressionLabel(table, task.labelFrom, who), binary: true, space: task.sampleSpace };
  if (task.label !== undefined) {
    const col = getColumn(table, task.label, who);
    const binary = (task.type ?? 'binary') === 'binary';
    return { labelOf: columnLabel(table, task, col, binary), binary, space: task.sampleSpace };
  }
  const ev = task.evaluation;
  if (ev === undefined) return undefined;
  const at = `${who} evaluation`;
  if (ev.labelFrom) return { labelOf: expressionLabel(table, ev.labelFrom, at), binary: true, space: ev.sampleSpace };
  if (ev.label === undefined) return undefined;
  const asTask: TaskSpec = { ...task, label: ev.label, positive: ev.positive, negative: ev.negative, type: 'binary' };
  if (ev.positive === undefined) delete asTask.positive;
  if (ev.negative === undefined) delete asTask.negative;
  return {
    labelOf: columnLabel(table, asTask, getColumn(table, ev.label, at), true),
    binary: true,
    space: ev.sampleSpace,
  };
}

function columnLabel(table: Table, task: TaskSpec, col: Column, binary: boolean): (i: number) => number | null {
  const who = `task "${task.name}"`;
  const labelOf = binary ? binaryLabeler(task, col) : undefined;
  const classOf = task.type === 'multiclass' ? classLabeler(task, col) : undefined;
  return (i) => {
    if (col.missing[i]) return null;
    if (classOf !== undefined) {
      const c = classOf(i);
      if (c >= 0) return c;
      if (task.unknownClass === 'skip') return null;
      throw new DataError(unknownClassMessage(table, i, task, col));
    }
    if (labelOf === undefined) return cellNumber(table, col, i, `${who} label`);
    const y = labelOf(i);
    if (y === undefined) throw new DataError(unknownLabelMessage(table, i, task, col));
    return y;
  };
}

/** A binary task's label value for a present cell: 1, 0, or undefined for a value that is
 * neither `positive` nor one of `negative` (an error for the caller to report at its row).
 * Throws when a declared value can never match the column (a string on a number column). */
export function binaryLabeler(task: TaskSpec, col: Column): (i: number) => 1 | 0 | undefined {
  const who = `task "${task.name}"`;
  const positive = task.positive ?? true;
  if (!canEqual(col, positive)) {
    throw new DataError(
      `${who}: positive ${JSON.stringify(positive)} can never match the number column "${task.label}"`,
    );
  }
  const negative = task.negative ?? [false];
  if (negative === NEGATIVE_OTHER) return (i) => (cellEquals(col, i, positive) ? 1 : 0);
  for (const v of negative) {
    if (!canEqual(col, v))
      throw new DataError(`${who}: negative ${JSON.stringify(v)} can never match the number column "${task.label}"`);
  }
  return (i) => (cellEquals(col, i, positive) ? 1 : negative.some((v) => cellEquals(col, i, v)) ? 0 : undefined);
}

/** How the task's label values are declared, for messages: `positive ">50K", negative "<=50K"`. */
export function describeLabelValues(task: TaskSpec): string {
  const positive = task.positive === undefined ? '1 / "1" / true' : JSON.stringify(task.positive);
  const negative =
    task.negative === undefined
      ? '0 / "0" / false'
      : task.negative === NEGATIVE_OTHER
        ? 'other'
        : task.negative.map((v) => JSON.stringify(v)).join(', ');
  return `positive ${positive}, negative ${negative}`;
}

export function unknownLabelMessage(table: Table, i: number, task: TaskSpec, col: Column): string {
  const value = col.kind === 'string' ? JSON.stringify(col.values[i]) : String(col.values[i]);
  return (
    `${rowLocation(table, i)}: task "${task.name}": label ${value} in column "${task.label}" is neither positive nor negative ` +
    `(${describeLabelValues(task)}); list it in the task's negative: values (or write negative: other to count every other value as 0)`
  );
}
