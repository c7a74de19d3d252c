// Target attention (DIN, Zhou et al., KDD 2018, Sec. 4.3 and Fig. 2) as two weightless custom
// layers around standard Dense layers, so the attention MLP's weights are ordinary Dense
// kernels (saved, loaded and exported like every other MLP):
//   AttentionFeatures  [h [B, L, D], t [B, 1, D]] -> [B, L, 4D] = [h, t, h - t, h * t]
//   Dense(units..., activation) -> Dense(1): one score a_l per position   (built in model.ts)
//   AttentionPooling   [a [B, L, 1], h [B, L, D], ids [B, L]] -> [B, D] = sum_l w_l h_l
// where w_l = a_l * m_l (DIN: the raw scores, no sum-to-one) or, with softmax, the softmax of a
// over the positions with m_l = 1; m_l = [id_l != 0] masks the padding, and an all-padding row
// pools to zeros.
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../engine/tf.js';

type LayerBase = Tf['layers']['Layer'];
type LayerArgs = NonNullable<ConstructorParameters<LayerBase>[0]>;
type Shape = (number | null)[];
type ConfigDict = ReturnType<InstanceType<LayerBase>['getConfig']>;
type LayerCtor<A> = new (args: A) => InstanceType<LayerBase>;

export interface AttentionPoolingArgs extends LayerArgs {
  softmax: boolean;
}

export interface AttentionLayers {
  AttentionFeatures: LayerCtor<LayerArgs>;
  AttentionPooling: LayerCtor<AttentionPoolingArgs>;
}

export const ATTENTION_LAYER_CLASSES = ['AttentionFeatures', 'AttentionPooling'] as const;

/** Masked logits are pushed this far down before a softmax (exp underflows to 0). */
const MASKED = 1e9;

function inputsOf(inputs: Tensor | Tensor[], n: number, layer: string): Tensor[] {
  if (!Array.isArray(inputs) || inputs.length !== n) throw new Error(`${layer} expects ${n} inputs`);
  return inputs;
}

function shapesOf(inputShape: Shape | Shape[], n: number, layer: string): Shape[] {
  if (!Array.isArray(inputShape[0]) || inputShape.length !== n) throw new Error(`${layer} expects ${n} input shapes`);
  return inputShape as Shape[];
}

export function defineAttentionLayers(tf: Tf): AttentionLayers {
  const Layer = tf.layers.Layer;

  class AttentionFeatures extends Layer {
    static className = 'AttentionFeatures';

    override build(inputShape: Shape | Shape[]): void {
      const [h, t] = shapesOf(inputShape, 2, 'AttentionFeatures');
      if (h.length !== 3 || t.length !== 3 || t[1] !== 1 || h[2] !== t[2])
        throw new Error(
          `AttentionFeatures: expected [B, L, D] and [B, 1, D], got [${h.join(',')}] and [${t.join(',')}]`,
        );
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [h] = shapesOf(inputShape, 2, 'AttentionFeatures');
      return [h[0], h[1], h[2] === null ? null : 4 * h[2]];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const [h, t1] = inputsOf(inputs, 2, 'AttentionFeatures');
        const t = tf.tile(t1, [1, h.shape[1] ?? 1, 1]);
        return tf.concat([h, t, tf.sub(h, t), tf.mul(h, t)], -1);
      });
    }

    override getConfig(): ConfigDict {
      return { ...super.getConfig() };
    }
  }

  class AttentionPooling extends Layer {
    static className = 'AttentionPooling';
    readonly softmax: boolean;

    constructor(args: AttentionPoolingArgs) {
      super(args);
      if (typeof args.softmax !== 'boolean')
        throw new Error(`AttentionPooling: softmax must be true or false, got ${String(args.softmax)}`);
      this.softmax = args.softmax;
    }

    override build(inputShape: Shape | Shape[]): void {
      const [a, h, ids] = shapesOf(inputShape, 3, 'AttentionPooling');
      if (a.length !== 3 || a[2] !== 1 || h.length !== 3 || ids.length !== 2 || a[1] !== h[1] || h[1] !== ids[1])
        throw new Error(
          `AttentionPooling: expected [B, L, 1], [B, L, D] and [B, L], got [${a.join(',')}], [${h.join(',')}] and [${ids.join(',')}]`,
        );
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [, h] = shapesOf(inputShape, 3, 'AttentionPooling');
      return [h[0], h[2]];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const [a, h, ids] = inputsOf(inputs, 3, 'AttentionPooling');
        const mask = tf.expandDims(tf.cast(tf.notEqual(ids, 0), 'float32'), -1); // [B, L, 1]
        let w: Tensor;
        if (this.softmax) {
          const z = tf.sub(a, tf.mul(tf.sub(1, mask), MASKED));
          const e = tf.mul(tf.exp(tf.sub(z, tf.max(z, 1, true))), mask);
          // an all-padding row: every e is 0, and so are its weights
          w = tf.div(e, tf.maximum(tf.sum(e, 1, true), 1e-30));
        } else w = tf.mul(a, mask);
        return tf.sum(tf.mul(w, h), 1);
      });
    }

    override getConfig(): ConfigDict {
      return { ...super.getConfig(), softmax: this.softmax };
    }
  }

  for (const cls of [AttentionFeatures, AttentionPooling]) tf.serialization.registerClass(cls);
  return { AttentionFeatures, AttentionPooling };
}
