// Adam with its per-variable update in one kernel on wasm, for small variables.
//
// tfjs' AdamOptimizer updates each variable with 13 kernels (moments, bias correction, square
// root, step). On large variables those passes are cheap XNNPACK loops; on small ones what costs
// is the fixed price of a kernel call in tfjs, paid 13 times per variable per step: a third of a
// training step for the paper's 8-expert MMoE with 28 small variables. Here one kernel computes the same
// float32 operations in the same order per element and returns the new value and moments. The
// arithmetic matches the stock kernels bit for bit: every wasm kernel rounds each +, -, *, / and
// sqrt to float32, and JS computes each in double and rounds with Math.fround, which gives the
// same float32 for these five operations (double has more than 2 x 24 + 2 bits). State,
// getWeights and setWeights are AdamOptimizer's own, so checkpoints are unchanged. The cpu
// backend gets the same kernel over its JS arrays (its stock kernels also round every operation
// to float32: 13 passes and 13 kernel calls per variable were a fifth of its training step on
// the paper model); tfjs-node and other backends take AdamOptimizer's path.
import type { KernelConfig, KernelFunc, Optimizer, Tensor, TensorInfo, Variable } from '@tensorflow/tfjs';
import type { Tf } from './tf.js';

export const FUSED_ADAM_KERNEL = 'MmoeCompileFusedAdam';

/**
 * On wasm, variables of at least this many values take AdamOptimizer's 13 kernels (XNNPACK passes at a
 * fraction of a nanosecond per value beat the JS loop's ~13 ns once the fixed cost per kernel
 * call no longer dominates); smaller ones take the one fused kernel.
 */
export const FUSED_ADAM_MAX_SIZE = 16384;

export interface FusedAdamConstants {
  beta1: number;
  beta2: number;
  /** 1 - beta1^t and 1 - beta2^t, as the float32 values AdamOptimizer computes. */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
  epsilon: number;
  learningRate: number;
}

const f = Math.fround;

/** One Adam step over arrays, in AdamOptimizer's float32 operation order. */
export function fusedAdamInto(
  value: Float32Array,
  m: Float32Array,
  v: Float32Array,
  grad: Float32Array,
  c: FusedAdamConstants,
  out: { value: Float32Array; m: Float32Array; v: Float32Array },
): void {
  const b1 = f(c.beta1);
  const k1 = f(1 - c.beta1);
  const b2 = f(c.beta2);
  const k2 = f(1 - c.beta2);
  const o1 = f(c.oneMinusAccBeta1);
  const o2 = f(c.oneMinusAccBeta2);
  const eps = f(c.epsilon);
  const step = f(-c.learningRate);
  const { value: w1, m: m1, v: v1 } = out;
  for (let i = 0; i < grad.length; i++) {
    const g = grad[i];
    const mi = f(f(m[i] * b1) + f(g * k1));
    const vi = f(f(v[i] * b2) + f(f(g * g) * k2));
    const update = f(f(f(mi / o1) / f(f(Math.sqrt(f(vi / o2))) + eps)) * step);
    m1[i] = mi;
    v1[i] = vi;
    w1[i] = update + value[i];
  }
}

interface HeapBackend {
  makeOutput(shape: number[], dtype: TensorInfo['dtype']): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const fusedAdamKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { value, m, v, grad } = inputs as Record<'value' | 'm' | 'v' | 'grad', TensorInfo>;
  const be = backend as unknown as HeapBackend;
  // Allocate first: growing the wasm heap detaches typed-array views taken before it.
  const outs = [
    be.makeOutput(value.shape, 'float32'),
    be.makeOutput(value.shape, 'float32'),
    be.makeOutput(value.shape, 'float32'),
  ];
  const view = (t: TensorInfo) => be.typedArrayFromHeap(t) as Float32Array;
  fusedAdamInto(view(value), view(m), view(v), view(grad), attrs as unknown as FusedAdamConstants, {
    value: view(outs[0]),
    m: view(outs[1]),
    v: view(outs[2]),
  });
  return outs;
};

export const FUSED_ADAM_KERNEL_CONFIG: KernelConfig = {
  kernelName: FUSED_ADAM_KERNEL,
  backendName: 'wasm',
  kernelFunc: fusedAdamKernel,
};

/** The cpu backend's storage (tfjs-backend-cpu's MathBackendCPU). */
interface CpuBackend {
  readSync(dataId: TensorInfo['dataId']): Float32Array | Int32Array | Uint8Array;
  makeTensorInfo(shape: number[], dtype: TensorInfo['dtype'], values: Float32Array): TensorInfo;
}

const fusedAdamCpuKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { value, m, v, grad } = inputs as Record<'value' | 'm' | 'v' | 'grad', TensorInfo>;
  const be = backend as unknown as CpuBackend;
  const read = (t: TensorInfo) => be.readSync(t.dataId) as Float32Array;
  const n = read(value).length;
  const out = { value: new Float32Array(n), m: new Float32Array(n), v: new Float32Array(n) };
  fusedAdamInto(read(value), read(m), read(v), read(grad), attrs as unknown as FusedAdamConstants, out);
  return [out.value, out.m, out.v].map((values) => be.makeTensorInfo(value.shape, 'float32', values));
};

export const FUSED_ADAM_CPU_KERNEL_CONFIG: KernelConfig = {
  kernelName: FUSED_ADAM_KERNEL,
  backendName: 'cpu',
  kernelFunc: fusedAdamCpuKernel,
};

/** Backends with the fused kernel, and the variable size from which each keeps the stock ops. */
const FUSED_BACKENDS: ReadonlyMap<string, number> = new Map([
  ['wasm', FUSED_ADAM_MAX_SIZE],
  ['cpu', Number.POSITIVE_INFINITY],
]);

/** The AdamOptimizer fields the fused step reads and writes (private in tfjs' typings). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: Variable } | undefined)[];
  incrementIterations(): void;
}

type GradientList = Parameters<InstanceType<Tf['AdamOptimizer']>['applyGradients']>[0];

function defineFusedAdam(tf: Tf) {
  for (const config of [FUSED_ADAM_KERNEL_CONFIG, FUSED_ADAM_CPU_KERNEL_CONFIG])
    if (tf.getKernel(FUSED_ADAM_KERNEL, config.backendName) === undefined) tf.registerKernel(config);

  class FusedAdamOptimizer extends tf.AdamOptimizer {
    override applyGradients(variableGradients: GradientList): void {
      const maxSize = FUSED_BACKENDS.get(tf.getBackend());
      if (maxSize === undefined) {
        super.applyGradients(variableGradients);
        return;
      }
      const s = this as unknown as AdamState;
      const names = Array.isArray(variableGradients)
        ? variableGradients.map((g) => g.name)
        : Object.keys(variableGradients);
      const constants: FusedAdamConstants = {
        beta1: s.beta1,
        beta2: s.beta2,
        // sub(1, accBeta) in float32: 1 - a is exact in double for a float32 a in (0, 1).
        oneMinusAccBeta1: f(1 - s.accBeta1.dataSync()[0]),
        oneMinusAccBeta2: f(1 - s.accBeta2.dataSync()[0]),
        epsilon: s.epsilon,
        learningRate: s.learningRate,
      };
      tf.tidy(() => {
        let oneMinusAccBeta: [Tensor, Tensor] | undefined;
        names.forEach((name, i) => {
          const value = tf.engine().registeredVariables[name];
          if (value.dtype !== 'float32')
            throw new Error(`fused Adam: variable ${name} is ${value.dtype}, expected float32`);
          s.accumulatedFirstMoment[i] ??= {
            originalName: `${name}/m`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
          s.accumulatedSecondMoment[i] ??= {
            originalName: `${name}/v`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
          const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
          if (gradient == null) return;
          const m = s.accumulatedFirstMoment[i]!.variable;
          const v = s.accumulatedSecondMoment[i]!.variable;
          if (value.size >= maxSize) {
            // AdamOptimizer's own ops: on large variables its XNNPACK passes beat one JS loop.
            oneMinusAccBeta ??= [tf.sub(1, s.accBeta1), tf.sub(1, s.accBeta2)];
            const m1 = tf.add(tf.mul(m, s.beta1), tf.mul(gradient, 1 - s.beta1));
            const v1 = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(gradient), 1 - s.beta2));
            const mHat = tf.div(m1, oneMinusAccBeta[0]);
            const vHat = tf.div(v1, oneMinusAccBeta[1]);
            m.assign(m1);
            v.assign(v1);
            value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), s.epsilon)), -s.learningRate), value));
            return;
          }
          const [w1, m1, v1] = tf
            .engine()
            .runKernel(
              FUSED_ADAM_KERNEL,
              { value, m, v, grad: gradient },
              constants as unknown as Record<string, number>,
            ) as Tensor[];
          m.assign(m1);
          v.assign(v1);
          value.assign(w1);
        });
        s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
        s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
      });
      s.incrementIterations();
    }
  }
  return FusedAdamOptimizer;
}

const defined = new WeakMap<Tf, ReturnType<typeof defineFusedAdam>>();

/**
 * tf.train.adam(learningRate) with the fused update on wasm (same values, same state and
 * weights; class name "Adam").
 */
export function fusedAdam(tf: Tf, learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number): Optimizer {
  let cls = defined.get(tf);
  if (!cls) {
    cls = defineFusedAdam(tf);
    defined.set(tf, cls);
  }
  return new cls(learningRate, beta1, beta2, epsilon);
}
