// training.taskWeighting: a learned weighting needs more than one loss to balance, and the dwa
// temperature means nothing to the other methods.
import { hasTrainingLabel } from '../task-labels.js';
import type { RuleContext } from './context.js';

const code = 'task-weighting';

export function taskWeighting(ctx: RuleContext): void {
  const w = ctx.spec.training.taskWeighting;
  if (!w) return;
  if (w.method !== 'dwa' && ctx.written('/training/taskWeighting/temperature'))
    ctx.report({
      code,
      path: '/training/taskWeighting/temperature',
      atKey: true,
      message: `temperature is used by method dwa only; it is ignored with method ${w.method}. Remove it.`,
    });
  if (w.method === 'fixed') return;
  const count = ctx.spec.tasks.filter((t) => hasTrainingLabel(t) && t.weight > 0).length;
  // no task at all is no-objective's to report
  if (count === 1)
    ctx.report({
      code,
      path: '/training/taskWeighting/method',
      message: `task weighting ${w.method} balances several losses, but only ${count} task contributes to the loss, so it only rescales that loss. Use method: fixed.`,
    });
}
