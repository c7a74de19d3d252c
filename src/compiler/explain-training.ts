// The optimisation options in words, for `explain` (the model text says what is built; this says
// how it is trained when it departs from a constant rate and fixed weights).
import type { TaskIR } from './ir.js';
import type { TrainingSpec } from '../schema/spec-schema.js';

/** "focal loss with gamma 2 and alpha 0.25", "label smoothing 0.1": the task's loss options. */
export function taskLossWords(t: Pick<TaskIR, 'focal' | 'labelSmoothing'>): string[] {
  const out: string[] = [];
  if (t.focal)
    out.push(`focal loss with gamma ${t.focal.gamma}${t.focal.alpha !== null ? ` and alpha ${t.focal.alpha}` : ''}`);
  if (t.labelSmoothing) out.push(`label smoothing ${t.labelSmoothing}`);
  return out;
}

function scheduleWords(t: TrainingSpec): string | undefined {
  const s = t.learningRateSchedule;
  if (!s) return undefined;
  const parts: string[] = [];
  if (s.warmupSteps > 0) parts.push(`linear warmup over ${s.warmupSteps} steps`);
  switch (s.decay) {
    case 'step':
      parts.push(`times ${s.decayRate} every ${s.decaySteps} steps`);
      break;
    case 'exponential':
      parts.push(`exponential decay by ${s.decayRate} per ${s.decaySteps} steps`);
      break;
    case 'cosine':
      parts.push(`cosine decay to ${s.minLearningRate} at the last step`);
      break;
    default:
      if (parts.length) parts.push('then constant');
  }
  return parts.length ? `learning rate ${t.learningRate} with ${parts.join(', ')}` : undefined;
}

/** One sentence, or undefined when training uses none of the options. */
export function describeTraining(t: TrainingSpec): string | undefined {
  const phrases: string[] = [];
  const schedule = scheduleWords(t);
  if (schedule) phrases.push(schedule);
  if (t.gradientClipNorm !== undefined) phrases.push(`gradients clipped to global norm ${t.gradientClipNorm}`);
  const l2 = Object.entries(t.embeddingL2 ?? {}).filter(([, l]) => l > 0);
  if (l2.length) phrases.push(`L2 on embedding tables ${l2.map(([k, l]) => `${k} (${l})`).join(', ')}`);
  const w = t.taskWeighting;
  if (w?.method === 'uncertainty')
    phrases.push('task losses weighted by learned uncertainty (Kendall et al. 2018: a log-variance per task)');
  else if (w?.method === 'dwa')
    phrases.push(`task losses weighted by Dynamic Weight Average (Liu et al. 2019, temperature ${w.temperature})`);
  if (!phrases.length) return undefined;
  return `Training: ${phrases.join('; ')}.`;
}
