// The few layers tfjs (and Keras) has no standard form for. Each follows tfjs-layers' skeleton:
// static className, argument checks in the constructor, build, computeOutputShape, call,
// getConfig merged with super's, serialization.registerClass. A model.json that uses them loads
// only where they are registered (registerCustomLayers here; a Keras user needs Python versions
// of the classes listed in CUSTOM_LAYER_CLASSES).
//
// The classes extend the tfjs instance handed in (tfjs is loaded dynamically by the engine), so
// they are defined per instance and cached.
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../engine/tf.js';
import { ATTENTION_LAYER_CLASSES, defineAttentionLayers, type AttentionLayers } from './target-attention.js';
import { registerStarLayers, type StarDenseCtor } from './star-layers.js';

/** Class names of the custom layers a built model may contain (registered as "Custom>Name"). */
export const CUSTOM_LAYER_CLASSES = [
  'MaskedSequencePooling',
  'GateSoftmax',
  'GroupedDense',
  'ScenarioSelect',
  ...ATTENTION_LAYER_CLASSES,
  'StarDense',
] as const;

type LayerBase = Tf['layers']['Layer'];
type LayerArgs = NonNullable<ConstructorParameters<LayerBase>[0]>;
type Shape = (number | null)[];
type ConfigDict = ReturnType<InstanceType<LayerBase>['getConfig']>;

export type PoolingMode = 'sum' | 'mean' | 'max';
const POOLING_MODES: readonly PoolingMode[] = ['sum', 'mean', 'max'];

export interface MaskedSequencePoolingArgs extends LayerArgs {
  mode: PoolingMode;
}
export interface GateSoftmaxArgs extends LayerArgs {
  temperature?: number;
  topK?: number | null;
  /** Read only logits[:, begin : begin + size] (one gate of a fused gate Dense). */
  begin?: number | null;
  size?: number | null;
}
export interface GroupedDenseArgs extends LayerArgs {
  groups: number;
  units: number;
  /** Seed of the kernel initializer (uniform, Glorot limit of one group's in x units). */
  seed?: number | null;
  l2?: number;
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

function single(inputs: Tensor | Tensor[]): Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`expected one input tensor, got ${inputs.length}`);
    return inputs[0];
  }
  return inputs;
}

function pair(inputs: Tensor | Tensor[], layer: string): [Tensor, Tensor] {
  if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error(`${layer} expects two inputs`);
  return [inputs[0], inputs[1]];
}

function shapes(inputShape: Shape | Shape[], n: number, layer: string): Shape[] {
  if (!Array.isArray(inputShape[0]) || inputShape.length !== n) throw new Error(`${layer} expects ${n} input shapes`);
  return inputShape as Shape[];
}

type LayerCtor<A> = new (args: A) => InstanceType<LayerBase>;

/** The custom layer classes of one tfjs instance (typed as constructors, so declarations can name them). */
export interface CustomLayers extends AttentionLayers {
  MaskedSequencePooling: LayerCtor<MaskedSequencePoolingArgs>;
  GateSoftmax: LayerCtor<GateSoftmaxArgs>;
  GroupedDense: LayerCtor<GroupedDenseArgs>;
  ScenarioSelect: LayerCtor<LayerArgs | undefined>;
  /** STAR's shared x scenario Dense (star-layers.ts). */
  StarDense: StarDenseCtor;
}

function defineCustomLayers(tf: Tf): CustomLayers {
  const Layer = tf.layers.Layer;

  /**
   * Pools a sequence's embeddings over its non-padding positions (id 0 is padding).
   * Inputs: [embeddings [B, L, D], ids [B, L]]. Output [B, D]. An all-padding row gives zeros.
   */
  class MaskedSequencePooling extends Layer {
    static className = 'MaskedSequencePooling';
    readonly mode: PoolingMode;

    constructor(args: MaskedSequencePoolingArgs) {
      super(args);
      if (!POOLING_MODES.includes(args.mode))
        throw new Error(
          `MaskedSequencePooling: mode must be one of ${POOLING_MODES.join(', ')}, got ${String(args.mode)}`,
        );
      this.mode = args.mode;
    }

    override build(inputShape: Shape | Shape[]): void {
      const [emb, ids] = shapes(inputShape, 2, 'MaskedSequencePooling');
      if (emb.length !== 3 || ids.length !== 2 || emb[1] !== ids[1]) {
        throw new Error(
          `MaskedSequencePooling: expected [B, L, D] and [B, L], got [${emb.join(',')}] and [${ids.join(',')}]`,
        );
      }
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [emb] = shapes(inputShape, 2, 'MaskedSequencePooling');
      return [emb[0], emb[2]];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const [emb, ids] = pair(inputs, 'MaskedSequencePooling');
        const mask = tf.expandDims(tf.cast(tf.notEqual(ids, 0), 'float32'), -1); // [B, L, 1]
        const count = tf.sum(mask, 1); // [B, 1]
        if (this.mode === 'max') {
          // Padding positions are pushed far below any embedding value; empty rows become 0.
          const shifted = tf.sub(emb, tf.mul(tf.sub(1, mask), 1e9));
          return tf.mul(tf.max(shifted, 1), tf.minimum(count, 1));
        }
        const total = tf.sum(tf.mul(emb, mask), 1);
        return this.mode === 'sum' ? total : tf.div(total, tf.maximum(count, 1));
      });
    }

    override getConfig(): ConfigDict {
      return { ...super.getConfig(), mode: this.mode };
    }
  }

  /**
   * Gate weights from logits: softmax(logits / temperature); with topK, the k largest weights
   * per example are kept (ties: lowest index first) and renormalised to sum to 1. With
   * begin/size it reads one slice of a fused gate Dense. Input [B, N], output [B, size ?? N].
   */
  class GateSoftmax extends Layer {
    static className = 'GateSoftmax';
    readonly temperature: number;
    readonly topK: number | null;
    readonly begin: number | null;
    readonly size: number | null;

    constructor(args: GateSoftmaxArgs) {
      super(args);
      this.temperature = args.temperature ?? 1;
      this.topK = args.topK ?? null;
      this.begin = args.begin ?? null;
      this.size = args.size ?? null;
      if (!(Number.isFinite(this.temperature) && this.temperature > 0))
        throw new Error(`GateSoftmax: temperature must be > 0, got ${this.temperature}`);
      if (this.topK !== null && !isPositiveInt(this.topK))
        throw new Error(`GateSoftmax: topK must be a positive integer or null, got ${this.topK}`);
      if ((this.begin === null) !== (this.size === null)) throw new Error('GateSoftmax: begin and size go together');
      if (this.begin !== null && !(Number.isInteger(this.begin) && this.begin >= 0 && isPositiveInt(this.size))) {
        throw new Error(`GateSoftmax: bad slice begin=${this.begin} size=${this.size}`);
      }
    }

    override build(inputShape: Shape | Shape[]): void {
      const shape = inputShape as Shape;
      const n = shape[shape.length - 1];
      if (shape.length !== 2 || n === null)
        throw new Error(`GateSoftmax: expected logits [B, N], got [${shape.join(',')}]`);
      if (this.begin !== null && this.begin + (this.size ?? 0) > n)
        throw new Error(`GateSoftmax: slice ${this.begin}+${this.size} exceeds ${n} logits`);
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const shape = inputShape as Shape;
      return [shape[0], this.size ?? shape[shape.length - 1]];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        let z = single(inputs);
        if (this.begin !== null && this.size !== null) z = tf.slice(z, [0, this.begin], [-1, this.size]);
        if (this.temperature !== 1) z = tf.div(z, this.temperature);
        const p = tf.softmax(z);
        const n = p.shape[1] ?? 0;
        if (this.topK === null || this.topK >= n) return p;
        // Pick the k largest one at a time (argMax, then knock the winner out of the running).
        // Every op here has a tfjs gradient; the mask itself is piecewise constant.
        let mask = tf.zerosLike(p);
        let rest = p;
        for (let t = 0; t < this.topK; t++) {
          const hit = tf.cast(tf.oneHot(tf.argMax(rest, 1), n), 'float32');
          mask = tf.add(mask, hit);
          rest = tf.sub(rest, tf.mul(hit, 2));
        }
        const kept = tf.mul(p, mask);
        return tf.div(kept, tf.sum(kept, 1, true));
      });
    }

    override getConfig(): ConfigDict {
      return {
        ...super.getConfig(),
        temperature: this.temperature,
        topK: this.topK,
        begin: this.begin,
        size: this.size,
      };
    }
  }

  /**
   * `groups` independent Dense layers applied side by side: input [B, G * in] (group g in
   * columns g*in .. (g+1)*in), output [B, G * units]. Kernel [G, in, units], bias [G * units].
   * The batched form of "one Dense per expert" used by the fused expert lowering.
   */
  class GroupedDense extends Layer {
    static className = 'GroupedDense';
    readonly groups: number;
    readonly units: number;
    readonly seed: number | null;
    readonly l2: number;
    private kernel: ReturnType<InstanceType<LayerBase>['addWeight']> | null = null;
    private bias: ReturnType<InstanceType<LayerBase>['addWeight']> | null = null;

    constructor(args: GroupedDenseArgs) {
      super(args);
      if (!isPositiveInt(args.groups))
        throw new Error(`GroupedDense: groups must be a positive integer, got ${args.groups}`);
      if (!isPositiveInt(args.units))
        throw new Error(`GroupedDense: units must be a positive integer, got ${args.units}`);
      if (args.l2 !== undefined && !(args.l2 >= 0)) throw new Error(`GroupedDense: l2 must be >= 0, got ${args.l2}`);
      this.groups = args.groups;
      this.units = args.units;
      this.seed = args.seed ?? null;
      this.l2 = args.l2 ?? 0;
    }

    override build(inputShape: Shape | Shape[]): void {
      const shape = inputShape as Shape;
      const width = shape[shape.length - 1];
      if (shape.length !== 2 || width === null || width % this.groups !== 0) {
        throw new Error(`GroupedDense: input [B, ${String(width)}] does not split into ${this.groups} groups`);
      }
      const inp = width / this.groups;
      const limit = Math.sqrt(6 / (inp + this.units));
      const init = tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed: this.seed ?? undefined });
      const reg = this.l2 > 0 ? tf.regularizers.l2({ l2: this.l2 }) : undefined;
      this.kernel = this.addWeight('kernel', [this.groups, inp, this.units], 'float32', init, reg, true);
      this.bias = this.addWeight(
        'bias',
        [this.groups * this.units],
        'float32',
        tf.initializers.zeros(),
        undefined,
        true,
      );
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const shape = inputShape as Shape;
      return [...shape.slice(0, -1), this.groups * this.units];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        if (!this.kernel || !this.bias) throw new Error('GroupedDense: called before build');
        const x = single(inputs);
        const g = this.groups;
        const inp = (x.shape[1] ?? 0) / g;
        const perGroup = tf.transpose(tf.reshape(x, [-1, g, inp]), [1, 0, 2]); // [G, B, in]
        const y = tf.matMul(perGroup, this.kernel.read()); // [G, B, units]
        const flat = tf.reshape(tf.transpose(y, [1, 0, 2]), [-1, g * this.units]);
        return tf.add(flat, this.bias.read());
      });
    }

    override getConfig(): ConfigDict {
      return { ...super.getConfig(), groups: this.groups, units: this.units, seed: this.seed, l2: this.l2 };
    }
  }

  /**
   * Per-scenario outputs -> the row's own. Inputs: [values [B, S], scenario [B, 1] int index].
   * Index s in [0, S) picks column s; any other index (S = unknown scenario) gives the mean of
   * the S columns, so an unseen scenario gets the average of the scenario towers.
   */
  class ScenarioSelect extends Layer {
    static className = 'ScenarioSelect';

    constructor(args: LayerArgs = {}) {
      super(args);
    }

    override build(inputShape: Shape | Shape[]): void {
      const [values, scenario] = shapes(inputShape, 2, 'ScenarioSelect');
      if (values.length !== 2 || scenario.length !== 2 || scenario[1] !== 1) {
        throw new Error(
          `ScenarioSelect: expected [B, S] and [B, 1], got [${values.join(',')}] and [${scenario.join(',')}]`,
        );
      }
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [values] = shapes(inputShape, 2, 'ScenarioSelect');
      return [values[0], 1];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        const [values, scenario] = pair(inputs, 'ScenarioSelect');
        const s = values.shape[1] ?? 0;
        const pick = tf.cast(tf.oneHot(tf.reshape(tf.cast(scenario, 'int32'), [-1]), s), 'float32'); // zero row when unknown
        const known = tf.sum(pick, 1, true);
        const chosen = tf.sum(tf.mul(values, pick), 1, true);
        return tf.add(chosen, tf.mul(tf.sub(1, known), tf.mean(values, 1, true)));
      });
    }

    override getConfig(): ConfigDict {
      return { ...super.getConfig() };
    }
  }

  for (const cls of [MaskedSequencePooling, GateSoftmax, GroupedDense, ScenarioSelect])
    tf.serialization.registerClass(cls);
  return {
    MaskedSequencePooling,
    GateSoftmax,
    GroupedDense,
    ScenarioSelect,
    ...defineAttentionLayers(tf),
    StarDense: registerStarLayers(tf),
  };
}

const defined = new WeakMap<Tf, CustomLayers>();

/**
 * The custom layer classes for this tfjs instance, registered for deserialisation. Idempotent;
 * call it before tf.loadLayersModel / tf.models.modelFromJSON on a model.json using them.
 */
export function registerCustomLayers(tf: Tf): CustomLayers {
  let layers = defined.get(tf);
  if (!layers) {
    layers = defineCustomLayers(tf);
    defined.set(tf, layers);
  }
  return layers;
}
