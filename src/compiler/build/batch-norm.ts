// Batch normalization whose training step costs a few kernels instead of dozens.
//
// tfjs-layers' BatchNormalization trains through tf.moments and tf.batchNorm, and autodiff goes
// back through both: about 40 kernels per layer per step (means, tiles of [C] to [B, C], ones
// tensors built in JS), which measured more than half of the seed model's training step on wasm.
// Here the training forward pass computes the same values with the same kernels (mean, centred
// square mean, tf.batchNorm) and its gradient is the closed form of the full batch-norm
// derivative (Ioffe & Szegedy 2015, Sec. 3; the same function autodiff differentiates):
//   x̂ = (x - μ) / sqrt(σ² + ε),  dβ = Σ dy,  dγ = Σ dy·x̂,
//   dx = γ / (N sqrt(σ² + ε)) · (N dy - dβ - x̂ dγ).
// Inference, and anything but a [B, C] input normalised over its last axis, is the standard
// layer's code. The class keeps the name BatchNormalization: a saved model.json holds the
// standard Keras layer, and loading it anywhere gives the standard class.
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../engine/tf.js';

type Layer = InstanceType<Tf['layers']['Layer']>;
type BatchNormArgs = NonNullable<Parameters<Tf['layers']['batchNormalization']>[0]>;
type Kwargs = Parameters<Layer['call']>[1];

/** The fields of tfjs-layers' BatchNormalization that the fast path reads. */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): Tensor };
  beta: { read(): Tensor };
  movingMean: { read(): Tensor; write(v: Tensor): void };
  movingVariance: { read(): Tensor; write(v: Tensor): void };
}

function defineFastBatchNorm(tf: Tf) {
  const Base = tf.layers.batchNormalization({}).constructor as new (args: BatchNormArgs) => Layer;

  /** Batch-norm training output of x [B, C], with the batch mean and variance for the moving averages. */
  function train(
    x: Tensor,
    gamma: Tensor,
    beta: Tensor,
    epsilon: number,
  ): { y: Tensor; mean: Tensor; variance: Tensor } {
    let stats: [Tensor, Tensor] | null = null;
    const op = tf.customGrad((...args) => {
      const [xs, g, b, save] = args as [Tensor, Tensor, Tensor, (ts: Tensor[]) => void];
      const mean = tf.mean(xs, 0);
      const centred = tf.sub(xs, mean);
      const variance = tf.mean(tf.square(centred), 0);
      const y = tf.batchNorm(xs, mean, variance, b, g, epsilon);
      const rstd = tf.rsqrt(tf.add(variance, epsilon));
      save([centred, rstd, g]);
      stats = [tf.keep(mean), tf.keep(variance)];
      return {
        value: y,
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const [c, r, gs] = saved;
          const n = c.shape[0] ?? 1;
          const xhat = tf.mul(c, r);
          const dBeta = tf.sum(dy, 0);
          const dGamma = tf.sum(tf.mul(dy, xhat), 0);
          const inner = tf.sub(tf.sub(tf.mul(dy, n), dBeta), tf.mul(xhat, dGamma));
          const dx = tf.mul(inner, tf.div(tf.mul(gs, r), n));
          return [dx, dGamma, dBeta];
        },
      };
    });
    const y = op(x, gamma, beta);
    if (!stats) throw new Error('internal: batch-norm statistics missing');
    const [mean, variance] = stats as [Tensor, Tensor];
    return { y, mean, variance };
  }

  class FastBatchNormalization extends Base {
    // Serialised (and deserialised) as the standard layer.
    static className = 'BatchNormalization';

    override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const f = this as unknown as BatchNormFields;
      const lastAxis = f.axis === -1 || f.axis === x.rank - 1;
      if (
        !kwargs?.['training'] ||
        x.rank !== 2 ||
        !lastAxis ||
        !f.center ||
        !f.scale ||
        (Array.isArray(inputs) && inputs.length !== 1)
      ) {
        return super.call(inputs, kwargs);
      }
      return tf.tidy(() => {
        const { y, mean, variance } = train(x, f.gamma.read(), f.beta.read(), f.epsilon);
        // The moving averages, as tfjs-layers updates them: v -= (v - batch) * (1 - momentum).
        for (const [v, batch] of [
          [f.movingMean, mean],
          [f.movingVariance, variance],
        ] as const) {
          tf.tidy(() => {
            const old = v.read();
            v.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - f.momentum)));
          });
        }
        tf.dispose([mean, variance]);
        return y;
      });
    }
  }
  return FastBatchNormalization;
}

const defined = new WeakMap<Tf, ReturnType<typeof defineFastBatchNorm>>();

/** A BatchNormalization layer (the standard one, with the fast training step above). */
export function fastBatchNormalization(tf: Tf, args: BatchNormArgs): Layer {
  let cls = defined.get(tf);
  if (!cls) {
    cls = defineFastBatchNorm(tf);
    defined.set(tf, cls);
  }
  return new cls(args);
}
