// A seeded pseudo-random generator for everything the data layer draws: splits, shuffles and
// the synthetic generators. Requirements: the same numbers on every run, machine and JS engine
// (so only 32-bit integer arithmetic in the core), cheap independent sub-streams, and no global
// state (two generators may run at once).
//
// Core: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand), which
// passes PractRand/BigCrush and is fast in JS. Its 128-bit state is filled from the seed with
// splitmix32, so seeds 1 and 2 give unrelated streams.
//
// Sub-streams: `rng.fork(label)` hashes (seed, label) into a new seed. It depends only on the
// seed the generator was created with, never on how many numbers were drawn, so adding a draw
// in one place does not change the numbers of another stream (e.g. the train and test rows of
// a synthetic data set, or the train/test and train/validation splits).
//
// Caveat: `normal()` uses Math.log/sqrt/cos. V8 (Node, Chrome) computes these identically on
// every platform; other engines may differ in the last bit.
import { fnv1a32 } from './hash.js';

const TWO_POW_32 = 4294967296;

/** The MurmurHash3 finaliser: a bijective 32-bit mix (nearby inputs -> unrelated outputs). */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Reduces any non-negative safe integer (spec seeds have no upper bound) to 32 bits. */
export function toSeed32(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32);
  return high === 0 ? low : mix32(low ^ mix32(high));
}

/** The seed of the sub-stream `label` of `seed`. */
export function deriveSeed(seed: number, label: string): number {
  return mix32(fnv1a32(label, mix32(toSeed32(seed) ^ 0x9e3779b9)));
}

export class Rng {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  // Box-Muller yields two normals per draw; the second is kept for the next call.
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.seed = toSeed32(seed);
    // splitmix32 fills the state; 0x9e3779b9 is the golden-ratio increment.
    let s = this.seed;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // Warm-up rounds recommended for sfc32 so the first outputs are well mixed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent generator for the sub-stream `label` (see the file comment). */
  fork(label: string): Rng {
    return new Rng(deriveSeed(this.seed, label));
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [lo, hi) with 32 bits of resolution (plenty for sampling, cheap). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * (this.nextUint32() / TWO_POW_32);
  }

  /** Uniform integer in [0, n). The modulo bias is below n / 2^32: negligible for our n. */
  int(n: number): number {
    return Math.floor((this.nextUint32() / TWO_POW_32) * n);
  }

  /** Normal(mean, std) by the Box-Muller transform. */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + std * z;
    }
    // 1 - u lies in (0, 1], so the log is finite.
    const u1 = 1 - this.nextUint32() / TWO_POW_32;
    const u2 = this.nextUint32() / TWO_POW_32;
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spareNormal = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.nextUint32() / TWO_POW_32 < p;
  }

  /** Fisher-Yates shuffle, in place; returns its argument. */
  shuffle<T extends { length: number; [i: number]: any }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** One element of `items`, uniformly or with the given non-negative weights. */
  choice<T>(items: readonly T[], weights?: ArrayLike<number>): T {
    if (items.length === 0) throw new RangeError('choice from an empty list');
    if (weights === undefined) return items[this.int(items.length)];
    if (weights.length !== items.length) {
      throw new RangeError(`choice: ${items.length} items but ${weights.length} weights`);
    }
    return items[new WeightedSampler(weights).sample(this)];
  }
}

/**
 * Draws indices with probability proportional to fixed weights: cumulative sums once, then a
 * binary search per draw (O(log n)), for generators that draw from the same weights many times.
 */
export class WeightedSampler {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    if (weights.length === 0) throw new RangeError('WeightedSampler: no weights');
    this.cumulative = new Float64Array(weights.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`WeightedSampler: weight ${i} is ${w}`);
      total += w;
      this.cumulative[i] = total;
    }
    if (total <= 0) throw new RangeError('WeightedSampler: weights sum to 0');
  }

  get size(): number {
    return this.cumulative.length;
  }

  sample(rng: Rng): number {
    const cum = this.cumulative;
    const target = rng.uniform() * cum[cum.length - 1];
    // First index whose cumulative weight exceeds the target (zero weights are never chosen).
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
