// Training minimises the weighted sum of the losses of the tasks that have a label and a weight
// above 0 (src/train/loss.ts). With none, there is nothing to minimise: the optimiser fails after
// the data is loaded ("Cannot find a connection between any variable and the result of the loss
// function"). Error at the first task's weight when one is written, else at the task list.
import { pointer } from '../source.js';
import { hasTrainingLabel } from '../task-labels.js';
import type { RuleContext } from './context.js';

export function trainingObjective(ctx: RuleContext): void {
  const { tasks } = ctx.spec;
  if (tasks.some((t) => hasTrainingLabel(t) && (t.weight ?? 1) > 0)) return;
  const weighted = tasks.findIndex(
    (t) => hasTrainingLabel(t) && ctx.written(pointer(pointer('/tasks', tasks.indexOf(t)), 'weight')),
  );
  ctx.report({
    code: 'no-objective',
    path: weighted >= 0 ? pointer(pointer('/tasks', weighted), 'weight') : '/tasks',
    message: `no task has both a label and a weight above 0, so training has no loss to minimise. Give a labelled task a weight above 0${tasks.some(hasTrainingLabel) ? '' : ' (no task has a label)'}.`,
  });
}
