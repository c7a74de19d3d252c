// Options of the spec that targets/torch/train.py does not implement: `train --engine torch`
// refuses them, located, rather than training another objective than the tfjs engine would.
import { locate, type LocIndex } from '../schema/source.js';
import type { Spec } from '../schema/spec-schema.js';
import type { Diagnostic } from '../util/diagnostics.js';

export function torchRefusals(spec: Spec, locs: LocIndex, file: string): Diagnostic[] {
  const found: { option: string; path: string }[] = [];
  const w = spec.training.taskWeighting;
  if (w && w.method !== 'fixed')
    found.push({ option: `training.taskWeighting method ${w.method}`, path: '/training/taskWeighting/method' });
  return found.map(({ option, path }) => ({
    ...(locate(locs, path)?.value ?? { file, line: 1, column: 1 }),
    severity: 'error',
    code: 'engine-option',
    path,
    message: `${option} is not supported by --engine torch; train with the default tfjs engine, or remove it.`,
  }));
}
