// One seeded random generator (xoshiro128**, seeded through splitmix32). Same seed, same
// numbers, on every backend: random tensors are drawn here, in JavaScript, and then uploaded.

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  seed(seed: number): void {
    const next = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spare = null;
  }

  /** A uniformly random 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal by the Box–Muller transform (the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** The generator's state, to save with a checkpoint and restore exactly. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spare === null ? NaN : this.spare];
  }

  setState(state: readonly number[]): void {
    [this.s0, this.s1, this.s2, this.s3] = state.map((x) => x >>> 0);
    this.spare = state.length > 4 && !Number.isNaN(state[4]) ? state[4] : null;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The library-wide generator. `setSeed` re-seeds it; ops that take `{ seed }` use their own. */
export const globalRng = new Rng(42);

/** Seeds the global random generator, so that random tensors, initializers, dropout and shuffling repeat. */
export function setSeed(seed: number): void {
  globalRng.seed(seed);
}

/** The generator for a call: a fresh one for an explicit seed, else the global one. */
export function rngFor(seed?: number): Rng {
  return seed === undefined ? globalRng : new Rng(seed);
}
