// Early stopping watches one metric of one task on the validation split, every epoch. So the task
// needs a label (or an evaluation label), the metric must be one the task computes (its `metrics` or the defaults of its
// type: the training loop computes nothing else), and there must be a validation split.
// (An unknown task is unknown-references' to report.)
import { didYouMean } from '../../util/diagnostics.js';
import { hasTrainingLabel } from '../task-labels.js';
import { BINARY_ONLY_METRICS, metricValidFor, taskMetrics } from '../task-metrics.js';
import type { RuleContext } from './context.js';

const code = 'early-stopping';

export function earlyStopping(ctx: RuleContext): void {
  const { spec } = ctx;
  const es = spec.training.earlyStopping;
  if (!es) return;
  if (spec.training.validationFraction === 0)
    ctx.report({
      code,
      path: '/training/validationFraction',
      message:
        'early stopping needs a validation split, but training.validationFraction is 0. Set validationFraction above 0, or remove earlyStopping.',
      related: [{ path: '/training/earlyStopping', message: 'early stopping set here' }],
    });
  const watched = spec.tasks.find((t) => t.name === es.task);
  if (!watched) return;
  // the metric may be a default: then point at the task it is watched on
  const metricPath = ctx.written('/training/earlyStopping/metric')
    ? '/training/earlyStopping/metric'
    : '/training/earlyStopping/task';
  const isDefault = !ctx.written('/training/earlyStopping/metric');
  if (!hasTrainingLabel(watched) && !watched.evaluation) {
    const labelled = spec.tasks.filter((t) => hasTrainingLabel(t) || t.evaluation).map((t) => t.name);
    ctx.report({
      code,
      path: '/training/earlyStopping/task',
      message: `early stopping watches task "${es.task}", which has no label to measure a validation metric on. Watch a task with a label.${didYouMean(es.task, labelled)}`,
    });
  } else if (watched.type === 'regression' && BINARY_ONLY_METRICS.has(es.metric)) {
    ctx.report({
      code,
      path: metricPath,
      message: `early stopping watches ${es.metric} on task "${es.task}", a regression; ${es.metric} is a metric for binary tasks${isDefault ? ` (${es.metric} is the default when metric is not set)` : ''}. Set metric: mse or mae.`,
    });
  } else if (watched.type === 'multiclass' && !metricValidFor('multiclass', es.metric)) {
    ctx.report({
      code,
      path: metricPath,
      message: `early stopping watches ${es.metric} on task "${es.task}", a multiclass task; ${es.metric} is not a multi-class metric${isDefault ? ` (${es.metric} is the default when metric is not set)` : ''}. Set metric: accuracy, top_k_accuracy, macro_auc or logloss.`,
    });
  } else {
    const computed = taskMetrics(watched);
    if (computed.includes(es.metric)) return;
    const ti = spec.tasks.indexOf(watched);
    ctx.report({
      code,
      path: metricPath,
      message: `early stopping watches ${es.metric} on task "${es.task}", but the task computes only ${computed.join(', ')}. Add ${es.metric} to its metrics, or watch one of them.`,
      related: [
        {
          path: `/tasks/${ti}${watched.metrics ? '/metrics' : '/name'}`,
          message: watched.metrics
            ? `metrics of "${es.task}"`
            : `"${es.task}" computes the defaults for a ${watched.type ?? 'binary'} task`,
        },
      ],
    });
  }
}
