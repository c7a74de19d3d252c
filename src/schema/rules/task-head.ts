// Each task's head, loss and metrics must make sense for its kind.
//   A product task (ESMM) has no tower of its own: `tower` is an error, and a factor listed twice
//   is an error (the square of a probability is not a product of tasks).
//   A task with no label and not multiplied into any product is trained by nothing (warning);
//   one with a label but weight 0 reads its label for nothing (warning); a sampleSpace on a task
//   without a label is ignored (warning).
//   Regression: no binary_crossentropy loss, no auc / logloss / accuracy metrics; `positive` is
//   ignored (warning), and so is `negative`; a binary task's `negative` must not list its positive
//   value (error). (Early stopping: early-stopping.ts.)
//   A task's sampleSpace column must not be its own label (the loss would only see positives).
import { pointer } from '../source.js';
import type { TaskSpec } from '../spec-schema.js';
import { hasTrainingLabel } from '../task-labels.js';
import { BINARY_ONLY_METRICS } from '../task-metrics.js';
import type { RuleContext } from './context.js';

const code = 'task-head';
const validFor = (t: TaskSpec, metric: string) => t.type === 'binary' || !BINARY_ONLY_METRICS.has(metric);

export function taskHead(ctx: RuleContext): void {
  const { spec, readers } = ctx;
  spec.tasks.forEach((t, i) => {
    const tp = pointer('/tasks', i);
    const at = (k: string) => pointer(tp, k);
    if (t.product) {
      if (t.tower !== undefined)
        ctx.report({
          code,
          path: at('tower'),
          atKey: true,
          message: `task "${t.name}" is a product of other tasks and has no tower of its own. Remove tower (or product).`,
        });
      t.product.forEach((n, j) => {
        const first = t.product!.indexOf(n);
        if (first !== j)
          ctx.report({
            code,
            path: pointer(at('product'), j),
            message: `task "${t.name}" lists "${n}" twice in its product. List each factor once.`,
            related: [{ path: pointer(at('product'), first), message: `"${n}" first listed here` }],
          });
      });
    }
    if (!hasTrainingLabel(t)) {
      if (!readers.tasks.has(t.name))
        ctx.report({
          code,
          path: at('name'),
          severity: 'warning',
          message: `task "${t.name}" has no label and is not part of any product, so it is trained by nothing. Give it a label, or multiply it into a product task (ESMM).`,
        });
      if (t.sampleSpace)
        ctx.report({
          code,
          path: at('sampleSpace'),
          atKey: true,
          severity: 'warning',
          message: `task "${t.name}" has no label, so its sampleSpace restricts no loss and is ignored.`,
        });
    } else if (t.weight === 0) {
      ctx.report({
        code,
        path: at('weight'),
        severity: 'warning',
        message: `task "${t.name}" has a label but weight 0, so its loss counts for nothing. Give it a weight above 0, or remove the label.`,
      });
    }
    if (t.sampleSpace && t.label !== undefined && t.sampleSpace.column === t.label)
      ctx.report({
        code,
        path: pointer(at('sampleSpace'), 'column'),
        message: `task "${t.name}" restricts its loss to rows where its own label "${t.label}" equals ${JSON.stringify(t.sampleSpace.equals)}: it would learn a constant. Restrict it by the previous step instead (e.g. click for a conversion task), or remove sampleSpace.`,
        related: [{ path: at('label'), message: 'label of the task' }],
      });
    if (t.type === 'regression') {
      if (t.loss === 'binary_crossentropy')
        ctx.report({
          code,
          path: at('loss'),
          message: `task "${t.name}" is a regression, but its loss is binary_crossentropy. Use mse, mae or huber (or type: binary).`,
        });
      t.metrics?.forEach((m, j) => {
        if (!validFor(t, m))
          ctx.report({
            code,
            path: pointer(at('metrics'), j),
            message: `task "${t.name}" is a regression; ${m} is a metric for binary tasks. Use mse or mae.`,
          });
      });
      if (t.positive !== undefined)
        ctx.report({
          code,
          path: at('positive'),
          atKey: true,
          severity: 'warning',
          message: `task "${t.name}" is a regression, so positive (the value counted as 1 for binary labels) is ignored.`,
        });
      if (t.negative !== undefined)
        ctx.report({
          code,
          path: at('negative'),
          atKey: true,
          severity: 'warning',
          message: `task "${t.name}" is a regression, so negative (the values counted as 0 for binary labels) is ignored.`,
        });
    } else if (Array.isArray(t.negative)) {
      const positive = String(t.positive ?? 1);
      t.negative.forEach((v, j) => {
        if (String(v) === positive)
          ctx.report({
            code,
            path: pointer(at('negative'), j),
            message: `task "${t.name}" lists ${JSON.stringify(v)} as a negative value, but it is the positive value. Remove it from negative.`,
          });
      });
    }
  });
}
