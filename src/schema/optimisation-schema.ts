// Spec pieces for the optimisation options of issue #14 (items 5 and 6): learning-rate schedules,
// gradient clipping, per-table embedding L2, learned task weighting (training.*) and the per-task
// loss options label smoothing and focal loss (tasks[*]). Kept apart from spec-schema.ts so that
// the shared schema only gains one line per option. The equations are in docs/training.md.
import { Type } from '@sinclair/typebox';
import { NAME_PATTERN } from './patterns.js';

export const LR_DECAYS = ['constant', 'step', 'exponential', 'cosine'] as const;
export const TASK_WEIGHTINGS = ['fixed', 'uncertainty', 'dwa'] as const;

export const LearningRateScheduleSchema = Type.Object(
  {
    warmupSteps: Type.Integer({
      minimum: 0,
      default: 0,
      description:
        'linear warmup: at step s < warmupSteps (0-based) the rate is learningRate x (s + 1) / warmupSteps; must be shorter than training',
    }),
    decay: Type.Unsafe<(typeof LR_DECAYS)[number]>({
      type: 'string',
      enum: [...LR_DECAYS],
      default: 'constant',
      description:
        'after warmup, with t = steps since warmup and T = the t of the last step (steps after warmup - 1): constant: learningRate; step: learningRate x decayRate^floor(t / decaySteps); exponential: learningRate x decayRate^(t / decaySteps); cosine: minLearningRate + (learningRate - minLearningRate) x (1 + cos(pi t / T)) / 2',
    }),
    decaySteps: Type.Optional(
      Type.Integer({ minimum: 1, description: 'step and exponential decay: steps per factor of decayRate' }),
    ),
    decayRate: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        description: 'step and exponential decay: the factor applied every decaySteps',
      }),
    ),
    minLearningRate: Type.Number({
      minimum: 0,
      default: 0,
      description: 'cosine decay: the rate reached at the last step',
    }),
  },
  {
    additionalProperties: false,
    description: 'Learning rate per optimizer step: an optional linear warmup, then a decay',
  },
);

export const TaskWeightingSchema = Type.Object(
  {
    method: Type.Unsafe<(typeof TASK_WEIGHTINGS)[number]>({
      type: 'string',
      enum: [...TASK_WEIGHTINGS],
      default: 'fixed',
      description:
        "fixed: each task's weight; uncertainty: Kendall et al. 2018, a learned log-variance s_k per task, loss exp(-s_k) L_k + s_k / 2 (binary), exp(-s_k) L_k / 2 + s_k / 2 (regression); dwa: Dynamic Weight Average, Liu et al. 2019, w_k = K exp(r_k / T) / sum_j exp(r_j / T) with r_k the ratio of task k's last two epoch losses",
    }),
    temperature: Type.Number({
      exclusiveMinimum: 0,
      default: 2,
      description: 'dwa: the softmax temperature T (2 in the paper)',
    }),
  },
  {
    additionalProperties: false,
    description: "How the tasks' losses are weighted; the task's own weight multiplies the learned one",
  },
);

/** The training.* options (spread into TrainingSchema). */
export const trainingOptimisationProps = {
  learningRateSchedule: Type.Optional(LearningRateScheduleSchema),
  gradientClipNorm: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0,
      description:
        'clip by global norm: when the L2 norm of all gradients together exceeds this, every gradient is scaled by clipNorm / norm',
    }),
  ),
  embeddingL2: Type.Optional(
    Type.Record(Type.String({ pattern: NAME_PATTERN }), Type.Number({ minimum: 0 }), {
      propertyNames: { pattern: NAME_PATTERN },
      description:
        'L2 penalty per embedding table (the table name is the feature name, or its sharedEmbedding): lambda x sum of the squared table entries, added to the loss',
    }),
  ),
  taskWeighting: Type.Optional(TaskWeightingSchema),
};

export const FocalSchema = Type.Object(
  {
    gamma: Type.Number({ minimum: 0, default: 2, description: 'focusing parameter: (1 - p_t)^gamma' }),
    alpha: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'weight of the positive class (1 - alpha for negatives); default: no class weighting',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Focal loss for a binary task (Lin et al. 2017): -alpha_t (1 - p_t)^gamma log p_t',
  },
);

/** The tasks[*] options (spread into TaskSchema). */
export const taskOptimisationProps = {
  labelSmoothing: Type.Optional(
    Type.Number({
      minimum: 0,
      exclusiveMaximum: 0.5,
      description: 'binary tasks: train on y (1 - epsilon) + epsilon / 2 instead of y; metrics use the true label',
    }),
  ),
  focal: Type.Optional(FocalSchema),
};
