// Binary losses with the per-task options of docs/training.md: label smoothing and focal loss.
//
// Label smoothing (Szegedy et al. 2016, two classes): the target y becomes y (1 - e) + e / 2.
// Focal loss (Lin et al., ICCV 2017, Eq. 5) on probabilities q = clip(p, EPS, 1 - EPS):
//   FL = -[a y (1 - q)^g log q + (1 - a) (1 - y) q^g log(1 - q)]
// with a = 1 for both classes when alpha is not set; with g = 0 and no alpha it is the
// cross-entropy. On a smoothed (soft) target both terms count, weighted by y and 1 - y.
import type * as tfType from '@tensorflow/tfjs';
import type { TaskIR } from '../compiler/ir.js';
import type { Tf } from './dataset.js';

/** Per-example loss of a binary task with smoothing and/or focal set; q is already clipped. */
export function binaryOptionLoss(
  tf: Tf,
  task: Pick<TaskIR, 'labelSmoothing' | 'focal'>,
  q: tfType.Tensor,
  label: tfType.Tensor,
): tfType.Tensor {
  const e = task.labelSmoothing ?? 0;
  const y = e > 0 ? label.mul(1 - e).add(e / 2) : label;
  const one = tf.scalar(1);
  let pos = y.mul(q.log());
  let neg = one.sub(y).mul(one.sub(q).log());
  const focal = task.focal;
  if (focal) {
    if (focal.gamma !== 0) {
      pos = pos.mul(one.sub(q).pow(focal.gamma));
      neg = neg.mul(q.pow(focal.gamma));
    }
    if (focal.alpha !== null) {
      pos = pos.mul(focal.alpha);
      neg = neg.mul(1 - focal.alpha);
    }
  }
  return pos.add(neg).neg();
}
