// Label smoothing and focal loss modify a binary task's cross-entropy: a regression has nothing
// to smooth or focus, focal cannot be combined with another loss, and a task without a label
// (an ESMM factor trained through a product) has no loss of its own to modify.
import { hasTrainingLabel } from '../task-labels.js';
import type { RuleContext } from './context.js';

const code = 'loss-option';

export function lossOptions(ctx: RuleContext): void {
  ctx.spec.tasks.forEach((t, i) => {
    const options = (['labelSmoothing', 'focal'] as const).filter((k) => t[k] !== undefined);
    for (const option of options) {
      const path = `/tasks/${i}/${option}`;
      if (t.type === 'regression' || t.type === 'multiclass')
        ctx.report({
          code,
          path,
          atKey: true,
          message: `task "${t.name}" is a ${t.type === 'regression' ? 'regression' : 'multi-class task'}; ${option} applies to binary tasks only. Remove it (or use type: binary).`,
        });
      else if (!hasTrainingLabel(t))
        ctx.report({
          code,
          severity: 'warning',
          path,
          atKey: true,
          message: `task "${t.name}" has no label: it is trained only through a product, so its ${option} is never used. Put it on the product task.`,
        });
    }
    if (t.focal && (t.type ?? 'binary') === 'binary' && t.loss !== undefined && t.loss !== 'binary_crossentropy')
      ctx.report({
        code,
        path: `/tasks/${i}/loss`,
        message: `task "${t.name}" sets loss ${t.loss}, but focal loss replaces binary cross-entropy. Remove loss, or remove focal.`,
      });
  });
}
