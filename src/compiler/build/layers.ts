// Layer-making helpers shared by the model builder: unique names, seeded initializers, and MLP
// stacks (Dense -> [BatchNorm] -> activation -> [Dropout]) in their separate and grouped forms.
import type { SymbolicTensor } from '@tensorflow/tfjs';
import type { Tf } from '../../engine/tf.js';
import type { MlpIR } from '../ir.js';
import { fastBatchNormalization } from './batch-norm.js';
import type { CustomLayers } from './custom-layers.js';
import { derivedSeed, TFJS_NAME, type MlpPart } from './names.js';

export type Layer = InstanceType<Tf['layers']['Layer']>;

export interface BuildContext {
  tf: Tf;
  custom: CustomLayers;
  seed: number;
  /** false: no Dropout layers and no L2 regularizers (an inference graph; same weights). */
  training: boolean;
  used: Set<string>;
}

/** Reserve a layer name; a second use is a clash between IR names (e.g. a feature named head_ctr). */
export function claim(ctx: BuildContext, name: string): string {
  if (ctx.used.has(name))
    throw new Error(
      `cannot build the model: two layers would be named "${name}"; rename the feature, group, pool, gate, tower or task that produces it`,
    );
  if (!TFJS_NAME.test(name))
    throw new Error(
      `cannot build the model: "${name}" is not a valid tfjs layer name (it must start with a letter or digit); rename the feature, group, pool, gate, tower or task it comes from`,
    );
  ctx.used.add(name);
  return name;
}

export function applyLayer(layer: Layer, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

/** Keras activation identifiers for the spec's activations (leaky_relu is a layer of its own). */
const KERAS_ACTIVATION = {
  relu: 'relu',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  swish: 'swish',
  linear: 'linear',
} as const;
type KerasActivation = (typeof KERAS_ACTIVATION)[keyof typeof KERAS_ACTIVATION];

/** tf.nn.leaky_relu's default slope (tfjs-layers' LeakyReLU layer defaults to 0.3). */
export const LEAKY_RELU_ALPHA = 0.2;

function kerasActivation(act: string): KerasActivation | null {
  return Object.hasOwn(KERAS_ACTIVATION, act) ? KERAS_ACTIVATION[act as keyof typeof KERAS_ACTIVATION] : null;
}

export function checkActivation(act: string): void {
  if (act !== 'leaky_relu' && kerasActivation(act) === null) throw new Error(`unsupported activation "${act}"`);
}

export interface DenseOptions {
  /** softmax: a multi-class head only (never a hidden layer's activation). */
  activation?: KerasActivation | 'softmax';
  l2?: number;
  /** Uniform init limit; default Glorot uniform over the layer's own fans. */
  uniformLimit?: number;
}

export function denseLayer(ctx: BuildContext, name: string, units: number, opts: DenseOptions = {}): Layer {
  const { tf } = ctx;
  const n = claim(ctx, name);
  const seed = derivedSeed(ctx.seed, `${n}/kernel`);
  const l2 = opts.l2 ?? 0;
  return tf.layers.dense({
    name: n,
    units,
    activation: opts.activation ?? 'linear',
    kernelInitializer:
      opts.uniformLimit === undefined
        ? tf.initializers.glorotUniform({ seed })
        : tf.initializers.randomUniform({ minval: -opts.uniformLimit, maxval: opts.uniformLimit, seed }),
    biasInitializer: 'zeros',
    kernelRegularizer: l2 > 0 && ctx.training ? tf.regularizers.l2({ l2 }) : undefined,
  });
}

export function embeddingLayer(ctx: BuildContext, name: string, vocabSize: number, dim: number): Layer {
  const { tf } = ctx;
  const n = claim(ctx, name);
  return tf.layers.embedding({
    name: n,
    inputDim: vocabSize,
    outputDim: dim,
    // Keras' default range, seeded.
    embeddingsInitializer: tf.initializers.randomUniform({
      minval: -0.05,
      maxval: 0.05,
      seed: derivedSeed(ctx.seed, `${n}/embeddings`),
    }),
  });
}

/**
 * An MLP over x. groups = 1: plain Dense layers. groups = G > 1: G independent MLPs side by
 * side (the fused expert lowering): layer 0 is one Dense(G x units) over the shared input,
 * later layers GroupedDense; the result is [B, G x last] with group g in the g-th block.
 * Batch norm, activation and dropout act per unit, so they apply to the flat form unchanged.
 */
export function mlp(
  ctx: BuildContext,
  x: SymbolicTensor,
  m: MlpIR,
  nameOf: (part: MlpPart, j: number) => string,
  groups = 1,
): SymbolicTensor {
  const { tf } = ctx;
  checkActivation(m.activation);
  let h = x;
  let width = x.shape[x.shape.length - 1] as number;
  m.units.forEach((units, j) => {
    const keras = kerasActivation(m.activation);
    // Fold the activation into the Dense when nothing sits between them (one layer fewer).
    const fold = !m.batchNorm && keras !== null && keras !== 'linear' && (groups === 1 || j === 0);
    let layer: Layer;
    if (groups === 1)
      layer = denseLayer(ctx, nameOf('dense', j), units, { activation: fold ? keras : 'linear', l2: m.l2 });
    else if (j === 0) {
      // Same init distribution as G separate Glorot-uniform layers of width -> units.
      layer = denseLayer(ctx, nameOf('dense', j), groups * units, {
        activation: fold ? keras : 'linear',
        l2: m.l2,
        uniformLimit: Math.sqrt(6 / (width + units)),
      });
    } else {
      const n = claim(ctx, nameOf('dense', j));
      layer = new ctx.custom.GroupedDense({
        name: n,
        groups,
        units,
        seed: derivedSeed(ctx.seed, `${n}/kernel`),
        l2: ctx.training ? m.l2 : 0,
      });
    }
    h = applyLayer(layer, h);
    if (m.batchNorm) h = applyLayer(fastBatchNormalization(tf, { name: claim(ctx, nameOf('bn', j)), axis: -1 }), h);
    if (!fold && keras !== 'linear') {
      const name = claim(ctx, nameOf('act', j));
      h = applyLayer(
        keras === null
          ? tf.layers.leakyReLU({ name, alpha: LEAKY_RELU_ALPHA })
          : tf.layers.activation({ name, activation: keras }),
        h,
      );
    }
    if (m.dropout > 0 && ctx.training)
      h = applyLayer(tf.layers.dropout({ name: claim(ctx, nameOf('drop', j)), rate: m.dropout }), h);
    width = units;
  });
  return h;
}
