// StarDense: the fully connected layer of STAR (Sheng et al., CIKM 2021, Eq. 4) with the skeleton
// of custom-layers.ts. Inputs [x [B, in], scenario [B, 1] int index]; a row of scenario p computes
//   y = x (W_shared ⊙ W_p) + (b_shared + b_p),
// a row whose index is outside [0, S) (the unknown scenario) y = x W_shared + b_shared. Weights:
// kernel [in, units] (Glorot uniform, seeded), bias [units] (zeros), scenario_kernel
// [S, in, units] (ones) and scenario_bias [S, units] (zeros): at initialisation every scenario
// computes the shared layer, as in the paper. All S products are formed per batch (S is small):
// one matMul of x by the [in, S * units] stack, then each row keeps its own scenario's block.
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../engine/tf.js';

type LayerBase = Tf['layers']['Layer'];
type LayerArgs = NonNullable<ConstructorParameters<LayerBase>[0]>;
type Shape = (number | null)[];
type ConfigDict = ReturnType<InstanceType<LayerBase>['getConfig']>;
type Weight = ReturnType<InstanceType<LayerBase>['addWeight']>;

export interface StarDenseArgs extends LayerArgs {
  units: number;
  scenarios: number;
  seed?: number | null;
  /** L2 penalty on the shared kernel. */
  l2?: number;
}

export type StarDenseCtor = new (args: StarDenseArgs) => InstanceType<LayerBase>;

const isPositiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

function defineStarDense(tf: Tf): StarDenseCtor {
  class StarDense extends tf.layers.Layer {
    static className = 'StarDense';
    readonly units: number;
    readonly scenarios: number;
    readonly seed: number | null;
    readonly l2: number;
    private w: { kernel: Weight; bias: Weight; scenarioKernel: Weight; scenarioBias: Weight } | null = null;

    constructor(args: StarDenseArgs) {
      super(args);
      if (!isPositiveInt(args.units)) throw new Error(`StarDense: units must be a positive integer, got ${args.units}`);
      if (!isPositiveInt(args.scenarios))
        throw new Error(`StarDense: scenarios must be a positive integer, got ${args.scenarios}`);
      if (args.l2 !== undefined && !(args.l2 >= 0)) throw new Error(`StarDense: l2 must be >= 0, got ${args.l2}`);
      this.units = args.units;
      this.scenarios = args.scenarios;
      this.seed = args.seed ?? null;
      this.l2 = args.l2 ?? 0;
    }

    override build(inputShape: Shape | Shape[]): void {
      const shapes = inputShape as Shape[];
      if (!Array.isArray(shapes[0]) || shapes.length !== 2) throw new Error('StarDense expects two input shapes');
      const [x, s] = shapes;
      const inp = x[x.length - 1];
      if (x.length !== 2 || inp === null || s.length !== 2 || s[1] !== 1)
        throw new Error(`StarDense: expected [B, in] and [B, 1], got [${x.join(',')}] and [${s.join(',')}]`);
      const limit = Math.sqrt(6 / (inp + this.units));
      const glorot = tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed: this.seed ?? undefined });
      const reg = this.l2 > 0 ? tf.regularizers.l2({ l2: this.l2 }) : undefined;
      const S = this.scenarios;
      this.w = {
        kernel: this.addWeight('kernel', [inp, this.units], 'float32', glorot, reg, true),
        bias: this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros(), undefined, true),
        scenarioKernel: this.addWeight(
          'scenario_kernel',
          [S, inp, this.units],
          'float32',
          tf.initializers.ones(),
          undefined,
          true,
        ),
        scenarioBias: this.addWeight(
          'scenario_bias',
          [S, this.units],
          'float32',
          tf.initializers.zeros(),
          undefined,
          true,
        ),
      };
      this.built = true;
    }

    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const [x] = inputShape as Shape[];
      return [x[0], this.units];
    }

    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.tidy(() => {
        if (!this.w) throw new Error('StarDense: called before build');
        if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error('StarDense expects two inputs');
        const [x, scenario] = inputs;
        const S = this.scenarios;
        const u = this.units;
        const inp = x.shape[1] ?? 0;
        const kernel = this.w.kernel.read();
        const bias = this.w.bias.read();
        const product = tf.mul(tf.expandDims(kernel, 0), this.w.scenarioKernel.read()); // [S, in, u]
        const stacked = tf.reshape(tf.transpose(product, [1, 0, 2]), [inp, S * u]); // [in, S*u]
        const biases = tf.reshape(tf.add(this.w.scenarioBias.read(), bias), [1, S * u]);
        const all = tf.reshape(tf.add(tf.matMul(x, stacked), biases), [-1, S, u]); // [B, S, u]
        const pick = tf.cast(tf.oneHot(tf.reshape(tf.cast(scenario, 'int32'), [-1]), S), 'float32'); // [B, S]; zero row when unknown
        const chosen = tf.sum(tf.mul(all, tf.expandDims(pick, 2)), 1); // [B, u]
        const unknown = tf.sub(1, tf.sum(pick, 1, true)); // [B, 1]
        const shared = tf.add(tf.matMul(x, kernel), bias);
        return tf.add(chosen, tf.mul(unknown, shared));
      });
    }

    override getConfig(): ConfigDict {
      return {
        ...super.getConfig(),
        units: this.units,
        scenarios: this.scenarios,
        seed: this.seed,
        l2: this.l2,
      };
    }
  }
  tf.serialization.registerClass(StarDense);
  return StarDense;
}

const defined = new WeakMap<Tf, StarDenseCtor>();

/** The StarDense class of this tfjs instance, registered for deserialisation. Idempotent. */
export function registerStarLayers(tf: Tf): StarDenseCtor {
  let cls = defined.get(tf);
  if (!cls) {
    cls = defineStarDense(tf);
    defined.set(tf, cls);
  }
  return cls;
}
