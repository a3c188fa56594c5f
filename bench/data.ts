// Seeded inputs shared by both engines: every case builds its tensors from the same
// Float32Arrays, so hebb and TF.js do identical work on identical numbers (and their first
// results can be compared as a sanity check).

/** mulberry32: a tiny, fast 32-bit generator; quality is ample for benchmark inputs. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` samples of N(0, std²) by Box–Muller. */
export function normalArray(size: number, seed: number, std = 1): Float32Array {
  const rand = makeRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand())) * std;
    const theta = 2 * Math.PI * rand();
    out[i] = r * Math.cos(theta);
    if (i + 1 < size) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/** `size` samples uniform in [lo, hi). */
export function uniformArray(size: number, seed: number, lo = 0, hi = 1): Float32Array {
  const rand = makeRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

/** Glorot-uniform weights for a layer with the given fan-in and fan-out. */
export function glorotArray(size: number, fanIn: number, fanOut: number, seed: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return uniformArray(size, seed, -limit, limit);
}

/** One-hot rows [batch, classes] for labels drawn uniformly with `seed`. */
export function oneHotArray(batch: number, classes: number, seed: number): Float32Array {
  const rand = makeRng(seed);
  const out = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) out[i * classes + Math.floor(rand() * classes)] = 1;
  return out;
}
