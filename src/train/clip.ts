// Gradient clipping by global norm (Pascanu et al. 2013; TensorFlow's clip_by_global_norm): with
// n = sqrt(sum over every gradient of its squared entries), each gradient is multiplied by
// c / max(n, c), so the clipped gradients have global norm min(n, c) and keep their direction.
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from './dataset.js';

export function clipByGlobalNorm(
  tf: Tf,
  grads: tfType.NamedTensorMap,
  clipNorm: number,
): { grads: tfType.NamedTensorMap; norm: tfType.Scalar } {
  const names = Object.keys(grads);
  const norm = tf.tidy(() =>
    names.reduce((s, n) => s.add(grads[n].square().sum()), tf.scalar(0) as tfType.Tensor).sqrt(),
  ) as tfType.Scalar;
  const clipped = tf.tidy(() => {
    const scale = tf.scalar(clipNorm).div(norm.maximum(clipNorm));
    return Object.fromEntries(names.map((n) => [n, grads[n].mul(scale)]));
  });
  return { grads: clipped, norm };
}
