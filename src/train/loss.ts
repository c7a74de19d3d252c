// The training objective: sum over tasks with a label of weight_k * masked mean loss_k (weighted
// by the rows' sample weights when the task has them: sum(w l) / sum(w)), plus the
// layers' regularisation losses. A task's mask removes rows outside its sample space (cvr is
// counted only where click = 1); ESMM's ctr and ctcvr have no sample space, so they cover the
// entire impression space (Ma et al., SIGIR 2018, Eq. 4). A multi-class task's loss is the
// categorical cross-entropy -log p_y of its softmax output.
import type * as tfType from '@tensorflow/tfjs';
import type { TaskIR } from '../compiler/ir.js';
import { binaryOptionLoss } from './binary-loss.js';
import type { Tf } from './dataset.js';

const EPS = 1e-7;

export function taskLoss(
  tf: Tf,
  task: TaskIR,
  pred: tfType.Tensor,
  label: tfType.Tensor,
  mask: tfType.Tensor,
): tfType.Scalar {
  return tf.tidy(() => {
    const p = pred.reshape([-1]);
    const y = label.reshape([-1]);
    const m = mask.reshape([-1]);
    let per: tfType.Tensor;
    switch (task.loss) {
      case 'binary_crossentropy': {
        // p * 0 is 0, or NaN when p is NaN or infinite: the clip alone maps NaN to EPS on wasm
        // (XNNPACK's clamp), which would hide a diverged model behind a finite loss.
        const q = p.clipByValue(EPS, 1 - EPS).add(p.mul(0));
        if (task.focal || task.labelSmoothing) {
          per = binaryOptionLoss(tf, task, q, y);
          break;
        }
        per = y
          .mul(q.log())
          .add(tf.scalar(1).sub(y).mul(tf.scalar(1).sub(q).log()))
          .neg();
        break;
      }
      case 'categorical_crossentropy': {
        // -log p[label] over the softmax output [rows, K], clipped like the binary case; the
        // label is the class index (src/data/class-labels.ts).
        const k = task.classes?.length ?? 0;
        const probs = pred.reshape([-1, k]);
        const q = probs.clipByValue(EPS, 1).add(probs.mul(0));
        per = tf.oneHot(y.toInt(), k).mul(q.log()).sum(1).neg();
        break;
      }
      case 'mse':
        per = p.sub(y).square();
        break;
      case 'mae':
        per = p.sub(y).abs();
        break;
      case 'huber': {
        // 0.5 a^2 for a <= 1, a - 0.5 above, with c = min(a, 1): 0.5 c^2 + (a - c). (tf.where on
        // a.lessEqual(1) has no gradient in tfjs: every huber task failed to train.)
        const a = p.sub(y).abs();
        const c = a.minimum(1);
        per = c.square().mul(0.5).add(a.sub(c));
        break;
      }
    }
    // Masked (sample-weighted) mean: sum(w l) / sum(w), the mask holding each row's weight (1
    // without sampleWeight); a batch with no row in the sample space contributes 0. The floor is
    // tiny, not 1, so that weights below 1 still average instead of shrinking the loss.
    return per.mul(m).sum().div(m.sum().maximum(1e-12)) as tfType.Scalar;
  });
}
