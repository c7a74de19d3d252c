// Labels derived from columns (`labelFrom`), evaluation labels and sample weights, row by row.
//
//   condition   column in {v...} / equals v: 1 where the cell matches, 0 for any other value;
//               greaterThan / atLeast / lessThan / atMost t: the cell as a number (a cell that
//               is not a number is an error at its row) compared with t
//   bare column a 0/1 label column: 1 / "1" / true is 1, 0 / "0" / false is 0, any other value
//               is an error at its row
//   all / any   1 where every / some operand is 1;  not: 1 - operand
//   missing     a missing cell in any column read gives no label (the row is left out of that
//               task's loss and metrics, like a missing `label` cell)
//   weight      the row's sample weight: a present, finite number >= 0 (anything else is an
//               error at its row); a missing weight is an error too, never a silent 1
import type { ConditionSpec, LabelFromSpec } from '../schema/label-spec.js';
import type { Spec, TaskSpec } from '../schema/spec-schema.js';
import { evaluationLabelColumns, operandsOf, sampleWeightOf, trainingLabelColumns } from '../schema/task-labels.js';
import { canEqual, cellEquals, cellNumber } from './cells.js';
import { DataError } from './errors.js';
import { getColumn, rowLocation, type Column, type Table } from './table.js';

/** 1, 0, or null where a cell read is missing. */
export type RowLabel = (i: number) => 1 | 0 | null;

function matchable(col: Column, v: string | number | boolean, who: string, column: string): void {
  if (!canEqual(col, v))
    throw new DataError(`${who}: ${JSON.stringify(v)} can never match the number column "${column}"`);
}

function conditionLabel(table: Table, c: string | ConditionSpec, who: string): RowLabel {
  if (typeof c === 'string') {
    const col = getColumn(table, c, who);
    return (i) => {
      if (col.missing[i]) return null;
      if (cellEquals(col, i, true)) return 1;
      if (cellEquals(col, i, false)) return 0;
      const v = col.kind === 'string' ? JSON.stringify(col.values[i]) : String(col.values[i]);
      throw new DataError(
        `${rowLocation(table, i)}: ${who}: column "${c}" has ${v}, but labelFrom reads it as a 0/1 label (1 / "1" / true, 0 / "0" / false); write a condition on it instead (e.g. { column: ${c}, equals: ... })`,
      );
    };
  }
  const column = c.column!;
  const col = getColumn(table, column, who);
  if (c.in !== undefined || c.equals !== undefined) {
    const values = c.in ?? [c.equals!];
    for (const v of values) matchable(col, v, who, column);
    return (i) => (col.missing[i] ? null : values.some((v) => cellEquals(col, i, v)) ? 1 : 0);
  }
  const at = `${who}: column "${column}"`;
  const compare =
    c.greaterThan !== undefined
      ? (x: number) => x > c.greaterThan!
      : c.atLeast !== undefined
        ? (x: number) => x >= c.atLeast!
        : c.lessThan !== undefined
          ? (x: number) => x < c.lessThan!
          : (x: number) => x <= c.atMost!;
  return (i) => (col.missing[i] ? null : compare(cellNumber(table, col, i, at)) ? 1 : 0);
}

/** The row function of an expression checked by rules/label-expression.ts. */
export function expressionLabel(table: Table, e: LabelFromSpec, who: string): RowLabel {
  const parts = operandsOf(e, '').map(({ operand }) => conditionLabel(table, operand, who));
  if (e.all)
    return (i) => {
      let out: 1 | 0 = 1;
      for (const p of parts) {
        const v = p(i);
        if (v === null) return null;
        if (v === 0) out = 0;
      }
      return out;
    };
  if (e.any)
    return (i) => {
      let out: 1 | 0 = 0;
      for (const p of parts) {
        const v = p(i);
        if (v === null) return null;
        if (v === 1) out = 1;
      }
      return out;
    };
  if (e.not !== undefined) {
    const p = parts[0];
    return (i) => {
      const v = p(i);
      return v === null ? null : v === 1 ? 0 : 1;
    };
  }
  return parts[0];
}

/** The row's sample weight, checked (a finite number >= 0) with an error at its row. */
export function sampleWeights(table: Table, column: string, who: string): (i: number) => number {
  const col = getColumn(table, column, `${who} sampleWeight`);
  return (i) => {
    if (col.missing[i])
      throw new DataError(
        `${rowLocation(table, i)}: ${who}: the sample weight column "${column}" is missing; every row counted needs a weight`,
      );
    const w = cellNumber(table, col, i, `${who}: sample weight column "${column}"`);
    if (!(w >= 0) || !Number.isFinite(w))
      throw new DataError(
        `${rowLocation(table, i)}: ${who}: sample weight ${w} in column "${column}" is not a finite number >= 0`,
      );
    return w;
  };
}

/** The spec with what a table lacks left out: a task whose label (or evaluation label) reads an
 * absent column gets none, an absent weight column weights nothing. Used by `predict` and
 * serving, where labels are optional and never inputs. */
export function withAvailableLabels(spec: Spec, has: (column: string) => boolean): Spec {
  const allThere = (cols: { column: string }[]) => cols.every((c) => has(c.column));
  const tasks = spec.tasks.map((t) => {
    const out: TaskSpec = { ...t };
    if (!allThere(trainingLabelColumns(t))) {
      delete out.label;
      delete out.labelFrom;
    }
    const evSpace = t.evaluation?.sampleSpace;
    if (t.evaluation && (!allThere(evaluationLabelColumns(t)) || (evSpace && !has(evSpace.column))))
      delete out.evaluation;
    const w = sampleWeightOf(t, spec.training);
    if (w !== undefined && !has(w)) {
      delete out.sampleWeight;
    }
    return out;
  });
  const training = { ...spec.training };
  if (training.sampleWeight !== undefined && !has(training.sampleWeight)) delete training.sampleWeight;
  return { ...spec, tasks, training } as Spec;
}
