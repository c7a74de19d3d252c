import { lrSchedule } from '../../../src/schema/rules/lr-schedule.js';
import { ruleTester } from '../rule-tester.js';

// The base spec reads the synthetic ecom generator (20,000 rows by default), batch 512, 5 epochs:
// at most 5 x ceil(20000 / 512) = 5 x 40 = 200 steps.
ruleTester(lrSchedule, {
  valid: [
    'training:\n  learningRateSchedule: { warmupSteps: 100 }\n',
    'training:\n  learningRateSchedule: { warmupSteps: 199, decay: cosine }\n',
    'training:\n  learningRateSchedule: { decay: step, decaySteps: 10, decayRate: 0.5 }\n',
    'training:\n  learningRateSchedule: { decay: exponential, decaySteps: 10, decayRate: 0.9 }\n',
    'training:\n  learningRate: 0.01\n  learningRateSchedule: { decay: cosine, minLearningRate: 0.001 }\n',
  ],
  invalid: [
    {
      name: 'a warmup as long as the most steps training can take',
      yaml: 'training:\n  learningRateSchedule: { warmupSteps: 200 }\n',
      errors: [
        {
          code: 'lr-schedule',
          line: 2,
          column: 40,
          message: 'at most 200 steps (5 epochs of at most 40 batches of 512 from 20000 rows)',
        },
      ],
    },
    {
      name: 'fewer rows than a batch: one step per epoch',
      yaml: 'data: { rows: 100 }\ntraining:\n  epochs: 3\n  learningRateSchedule: { warmupSteps: 3 }\n',
      errors: [
        {
          code: 'lr-schedule',
          line: 4,
          column: 40,
          message: 'at most 3 steps (3 epochs of at most 1 batches of 512 from 100 rows)',
        },
      ],
    },
    {
      name: 'step decay without its settings',
      yaml: 'training:\n  learningRateSchedule: { decay: step }\n',
      errors: [{ code: 'lr-schedule', line: 2, column: 34, message: 'decay step needs decaySteps and decayRate' }],
    },
    {
      name: 'exponential decay without decayRate',
      yaml: 'training:\n  learningRateSchedule: { decay: exponential, decaySteps: 5 }\n',
      errors: [{ code: 'lr-schedule', line: 2, column: 34, message: 'needs decayRate' }],
    },
    {
      name: 'cosine to a floor at the starting rate',
      yaml: 'training:\n  learningRate: 0.001\n  learningRateSchedule: { decay: cosine, minLearningRate: 0.001 }\n',
      errors: [{ code: 'lr-schedule', line: 3, column: 59, message: 'minLearningRate 0.001 is not below' }],
    },
    {
      name: 'settings the decay does not read',
      yaml: 'training:\n  learningRateSchedule: { decay: cosine, decayRate: 0.5 }\n',
      errors: [{ code: 'lr-schedule', line: 2, column: 42, severity: 'warning', message: 'decayRate is ignored' }],
    },
    {
      name: 'minLearningRate with the default decay',
      yaml: 'training:\n  learningRateSchedule: { warmupSteps: 10, minLearningRate: 0.0001 }\n',
      errors: [
        {
          code: 'lr-schedule',
          line: 2,
          column: 44,
          severity: 'warning',
          message: 'ignored with decay constant (the default)',
        },
      ],
    },
  ],
});
