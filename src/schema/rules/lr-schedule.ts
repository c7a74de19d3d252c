// training.learningRateSchedule: the decay has the settings it needs, settings the decay does not
// read are pointed out, cosine decays to a rate below the start, and the warmup ends before
// training does. The number of steps is known here only when the row count is (synthetic data, or
// data.maxRows as a bound); otherwise the trainer checks it once the data is read
// (src/train/schedule.ts, warmupProblem).
import type { Spec } from '../spec-schema.js';
import type { RuleContext } from './context.js';

const code = 'lr-schedule';
const base = '/training/learningRateSchedule';

/** Most training rows the data can give, when the spec alone says (before the validation split). */
function maxTrainRows(spec: Spec): number | undefined {
  if (spec.data.source === 'synthetic') return spec.data.rows;
  return spec.data.maxRows;
}

export function lrSchedule(ctx: RuleContext): void {
  const { spec } = ctx;
  const s = spec.training.learningRateSchedule;
  if (!s) return;
  const needs = s.decay === 'step' || s.decay === 'exponential';
  if (needs) {
    const missing = (['decaySteps', 'decayRate'] as const).filter((k) => s[k] === undefined);
    if (missing.length)
      ctx.report({
        code,
        path: `${base}/decay`,
        message: `decay ${s.decay} needs ${missing.join(' and ')}. Set ${missing.join(' and ')} under training.learningRateSchedule.`,
      });
  } else
    for (const key of ['decaySteps', 'decayRate'] as const)
      if (s[key] !== undefined)
        ctx.report({
          code,
          severity: 'warning',
          path: `${base}/${key}`,
          atKey: true,
          message: `${key} is ignored with decay ${s.decay}${ctx.written(`${base}/decay`) ? '' : ' (the default)'}. Remove it (or change decay).`,
        });
  if (s.decay === 'cosine' && s.minLearningRate >= spec.training.learningRate)
    ctx.report({
      code,
      path: `${base}/minLearningRate`,
      message: `minLearningRate ${s.minLearningRate} is not below learningRate ${spec.training.learningRate}, so cosine decay would not lower the rate. Set minLearningRate below learningRate.`,
    });
  else if (s.decay !== 'cosine' && ctx.written(`${base}/minLearningRate`))
    ctx.report({
      code,
      severity: 'warning',
      path: `${base}/minLearningRate`,
      atKey: true,
      message: `minLearningRate is ignored with decay ${s.decay}${ctx.written(`${base}/decay`) ? '' : ' (the default)'}. Remove it (or change decay).`,
    });
  const rows = maxTrainRows(spec);
  if (rows === undefined || s.warmupSteps === 0) return;
  const batchSize = spec.training.batchSize;
  const batches = Math.ceil(rows / Math.min(batchSize, rows));
  const total = spec.training.epochs * batches;
  if (s.warmupSteps >= total)
    ctx.report({
      code,
      path: `${base}/warmupSteps`,
      message: `the warmup of ${s.warmupSteps} steps is not shorter than training: at most ${total} steps (${spec.training.epochs} epochs of at most ${batches} batches of ${batchSize} from ${rows} rows). Shorten warmupSteps or train longer.`,
    });
}
