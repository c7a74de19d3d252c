// Multi-class labels: the index of the cell's value in the task's `classes` (a float, as every
// label array is), matched as a category token (a number is written the way String() writes it,
// so class 3 matches the cell "3" and the number 3). A present value outside `classes` is an
// error naming its file and row (`unknownClass: error`, the default: a typo or a class the spec
// forgot is never silently dropped), or leaves the row out of this task's loss and metrics
// (`unknownClass: skip`), as a missing label does.
import type { TaskSpec } from '../schema/spec-schema.js';
import { cellToken } from './cells.js';
import { rowLocation, type Column, type Table } from './table.js';

/** Class index for a present cell, or -1 for a value outside `classes`. */
export function classLabeler(task: Pick<TaskSpec, 'classes'>, col: Column): (i: number) => number {
  const index = new Map((task.classes ?? []).map((c, k) => [String(c), k] as const));
  return (i) => index.get(cellToken(col, i)) ?? -1;
}

export function unknownClassMessage(table: Table, i: number, task: TaskSpec, col: Column): string {
  const value = col.kind === 'string' ? JSON.stringify(col.values[i]) : String(col.values[i]);
  const classes = task.classes ?? [];
  const shown = classes.slice(0, 8).map((c) => JSON.stringify(c));
  return (
    `${rowLocation(table, i)}: task "${task.name}": label ${value} in column "${task.label}" is not one of its ${classes.length} classes ` +
    `(${shown.join(', ')}${classes.length > shown.length ? ', ...' : ''}); add it to classes, or set unknownClass: skip to leave such rows out of this task`
  );
}
