// Multi-class heads: a task of `type: multiclass` has a softmax over its declared `classes`.
//   It needs `classes` (the output order is part of the model: served probabilities are named by
//   them), each listed once; its loss is categorical_crossentropy and its metrics are accuracy,
//   top_k_accuracy, macro_auc and logloss; `topK` must be below the class count (top-K accuracy
//   over all K classes is always 1). It cannot be a factor or the result of
//   an ESMM product (a product of probabilities is defined for one event, not for a
//   distribution over classes).
//   `positive` / `negative` are ignored on it (warning). On binary and regression tasks,
//   `classes`, `topK`, `unknownClass`, the categorical loss and the multi-class metrics are
//   refused or ignored. A multi-class task's tower must not be per-scenario or star, nor the model have a scenario
//   auxiliary network (not supported).
import { pointer } from '../source.js';
import type { TaskSpec } from '../spec-schema.js';
import { DEFAULT_TOP_K, metricValidFor, VALID_LOSSES } from '../task-metrics.js';
import type { RuleContext } from './context.js';

const code = 'multiclass-head';
const MULTICLASS_ONLY_METRICS = new Set(['top_k_accuracy', 'macro_auc']);

export function multiclassHead(ctx: RuleContext): void {
  const { spec } = ctx;
  const byName = new Map(spec.tasks.map((t) => [t.name, t]));
  spec.tasks.forEach((t, i) => {
    const at = (k: string) => pointer(pointer('/tasks', i), k);
    if (t.type === 'multiclass') checkMulticlass(ctx, t, at);
    else checkOther(ctx, t, at);
    t.product?.forEach((n, j) => {
      if (byName.get(n)?.type !== 'multiclass') return;
      ctx.report({
        code,
        path: pointer(at('product'), j),
        message: `task "${t.name}" multiplies "${n}", a multiclass task: an ESMM product needs a probability of one event. Multiply binary tasks only.`,
      });
    });
  });
}

function checkMulticlass(ctx: RuleContext, t: TaskSpec, at: (k: string) => string): void {
  if (t.product)
    ctx.report({
      code,
      path: at('product'),
      atKey: true,
      message: `task "${t.name}" is multiclass and a product of tasks: an ESMM product is a probability of one event. Make it binary, or remove product.`,
    });
  if (t.classes === undefined) {
    ctx.report({
      code,
      path: at('type'),
      message: `task "${t.name}" is multiclass but declares no classes. List its label values: classes: [a, b, c].`,
    });
  } else {
    const seen = new Map<string, number>();
    t.classes.forEach((c, j) => {
      const first = seen.get(String(c));
      if (first === undefined) seen.set(String(c), j);
      else
        ctx.report({
          code,
          path: pointer(at('classes'), j),
          message: `task "${t.name}" lists class ${JSON.stringify(c)} twice. List each class once.`,
          related: [{ path: pointer(at('classes'), first), message: `${JSON.stringify(c)} first listed here` }],
        });
    });
    const k = t.topK ?? DEFAULT_TOP_K;
    const computesTopK = (t.metrics ?? ['top_k_accuracy']).includes('top_k_accuracy');
    if (computesTopK && k >= t.classes.length)
      ctx.report({
        code,
        path: t.topK === undefined ? at('classes') : at('topK'),
        message: `task "${t.name}" has ${t.classes.length} classes, so top_k_accuracy with k = ${k}${t.topK === undefined ? ' (the default)' : ''} is always 1. Set topK below ${t.classes.length}, or leave top_k_accuracy out of metrics.`,
      });
  }
  if (t.loss !== undefined && !VALID_LOSSES.multiclass.has(t.loss))
    ctx.report({
      code,
      path: at('loss'),
      message: `task "${t.name}" is multiclass, but its loss is ${t.loss}. Use categorical_crossentropy (the default).`,
    });
  t.metrics?.forEach((m, j) => {
    if (!metricValidFor('multiclass', m))
      ctx.report({
        code,
        path: pointer(at('metrics'), j),
        message: `task "${t.name}" is multiclass; ${m} is not a multi-class metric. Use accuracy, top_k_accuracy, macro_auc or logloss.`,
      });
  });
  for (const key of ['positive', 'negative'] as const)
    if (t[key] !== undefined)
      ctx.report({
        code,
        path: at(key),
        atKey: true,
        severity: 'warning',
        message: `task "${t.name}" is multiclass, so ${key} (for binary labels) is ignored; its label values are its classes.`,
      });
  const tower = ctx.spec.model.towers.find((w) => w.name === (t.tower ?? t.name));
  if (tower?.perScenario)
    ctx.report({
      code,
      path: at('type'),
      message: `task "${t.name}" is multiclass, but its tower "${tower.name}" is per-scenario: multi-class heads on per-scenario towers are not supported. Use a shared tower.`,
    });
  if (tower?.star)
    ctx.report({
      code,
      path: at('type'),
      message: `task "${t.name}" is multiclass, but its tower "${tower.name}" is a star tower: multi-class heads on star towers are not supported. Use a shared tower.`,
    });
  if (ctx.spec.model.scenarioAuxiliary)
    ctx.report({
      code,
      path: at('type'),
      message: `task "${t.name}" is multiclass, but the model has a scenario auxiliary network, which adds one logit per task: multi-class heads cannot take it. Remove model.scenarioAuxiliary.`,
    });
}

function checkOther(ctx: RuleContext, t: TaskSpec, at: (k: string) => string): void {
  const type = t.type ?? 'binary';
  for (const key of ['classes', 'topK', 'unknownClass'] as const)
    if (t[key] !== undefined)
      ctx.report({
        code,
        path: at(key),
        atKey: true,
        message: `task "${t.name}" is ${type}; ${key} is for multiclass tasks. Set type: multiclass, or remove ${key}.`,
      });
  if (t.loss === 'categorical_crossentropy')
    ctx.report({
      code,
      path: at('loss'),
      message: `task "${t.name}" is ${type}, but its loss is categorical_crossentropy, a multi-class loss. Set type: multiclass, or use a ${type} loss.`,
    });
  t.metrics?.forEach((m, j) => {
    if (MULTICLASS_ONLY_METRICS.has(m))
      ctx.report({
        code,
        path: pointer(at('metrics'), j),
        message: `task "${t.name}" is ${type}; ${m} is a metric for multiclass tasks. Set type: multiclass, or remove ${m}.`,
      });
  });
}
