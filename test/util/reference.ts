// Plain-JavaScript reference implementations for tests, written from the definitions and
// sharing no code with src/: a seeded generator, n-d arrays, broadcasting by index
// arithmetic, matmul, N-d convolution (strides, padding, dilation, groups), transposed
// convolution as a scatter, pooling and reductions. Everything works in float64.

/** mulberry32: a tiny seeded generator, independent of hb's own. */
export class Prng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}

/** A dense row-major n-d array. */
export interface Arr {
  shape: number[];
  data: Float64Array;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function arr(shape: readonly number[], data?: ArrayLike<number>): Arr {
  const d = data === undefined ? new Float64Array(size(shape)) : Float64Array.from(data);
  if (d.length !== size(shape)) throw new Error(`arr: ${d.length} values for shape [${shape.join(',')}]`);
  return { shape: [...shape], data: d };
}

export function randomArr(rng: Prng, shape: readonly number[], lo = -1, hi = 1): Arr {
  return arr(shape, Array.from({ length: size(shape) }, () => rng.range(lo, hi)));
}

/** Flat index → multi-index for `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return idx;
}

/** Multi-index → flat index for `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i] + idx[i];
  return flat;
}

/** NumPy broadcast shape, or throws. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) throw new Error(`cannot broadcast [${a}] and [${b}]`);
    out.push(Math.max(da, db));
  }
  return out;
}

/** The element of `x` that output multi-index `idx` (of a larger rank) reads under broadcasting. */
function broadcastRead(x: Arr, idx: readonly number[]): number {
  const off = idx.length - x.shape.length;
  const own = x.shape.map((d, i) => (d === 1 ? 0 : idx[i + off]));
  return x.data[ravel(own, x.shape)];
}

/** f applied elementwise after broadcasting a and b: each output index maps back by index arithmetic. */
export function broadcastBinary(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const shape = broadcastShape(a.shape, b.shape);
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    out.data[i] = f(broadcastRead(a, idx), broadcastRead(b, idx));
  }
  return out;
}

/**
 * NumPy matmul: 1-D a is a row vector and 1-D b a column vector (the added axis is dropped);
 * leading axes broadcast. transposeA/B swap the last two axes of a rank ≥ 2 operand first.
 */
export function matmulRef(a: Arr, b: Arr, transposeA = false, transposeB = false): Arr {
  const swapLast = (x: Arr): Arr => {
    const r = x.shape.length;
    const shape = [...x.shape.slice(0, -2), x.shape[r - 1], x.shape[r - 2]];
    const out = arr(shape);
    for (let i = 0; i < out.data.length; i++) {
      const idx = unravel(i, shape);
      const src = [...idx.slice(0, -2), idx[r - 1], idx[r - 2]];
      out.data[i] = x.data[ravel(src, x.shape)];
    }
    return out;
  };
  const A = a.shape.length === 1 ? arr([1, a.shape[0]], a.data) : transposeA ? swapLast(a) : a;
  const B = b.shape.length === 1 ? arr([b.shape[0], 1], b.data) : transposeB ? swapLast(b) : b;
  const [M, K] = A.shape.slice(-2);
  const [K2, N] = B.shape.slice(-2);
  if (K !== K2) throw new Error('matmulRef: inner dimensions differ');
  const batch = broadcastShape(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const out = arr([...batch, M, N]);
  const nb = size(batch);
  for (let t = 0; t < nb; t++) {
    const bi = unravel(t, batch);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const av = A.data[ravel(batchIndex(bi, A.shape.slice(0, -2)).concat([i, k]), A.shape)];
          const bv = B.data[ravel(batchIndex(bi, B.shape.slice(0, -2)).concat([k, j]), B.shape)];
          s += av * bv;
        }
        out.data[(t * M + i) * N + j] = s;
      }
  }
  let shape = [...batch, M, N];
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  if (a.shape.length === 1) shape.splice(shape.length - (b.shape.length === 1 ? 1 : 2), 1);
  return { shape, data: out.data };
}

/** The index into a (possibly broadcast) batch shape `own` for the output batch index `bi`. */
function batchIndex(bi: readonly number[], own: readonly number[]): number[] {
  const off = bi.length - own.length;
  return own.map((d, i) => (d === 1 ? 0 : bi[i + off]));
}

/** TensorFlow's 'same' padding for one axis: output ⌈n/s⌉, the extra cell goes after. */
export function samePads(n: number, effectiveWindow: number, stride: number): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + effectiveWindow - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export interface ConvGeometry {
  strides: number[];
  /** [before, after] per spatial axis. */
  pads: [number, number][];
  dilation: number[];
  groups: number;
}

/**
 * Direct N-d convolution (cross-correlation, as in deep learning), from the definition:
 *   y[n, o…, f] = Σ_{k…, c} x[n, o·s + k·d − p_before, g(f)·Cg + c] · w[k…, c, f]
 * with x [N, ...spatial, C], w [...kernel, C/groups, F]; out-of-range input positions are zero.
 */
export function convRef(x: Arr, w: Arr, g: ConvGeometry): Arr {
  const dims = x.shape.length - 2;
  const N = x.shape[0];
  const C = x.shape[dims + 1];
  const sp = x.shape.slice(1, dims + 1);
  const kernel = w.shape.slice(0, dims);
  const Cg = w.shape[dims];
  const F = w.shape[dims + 1];
  if (Cg * g.groups !== C) throw new Error('convRef: channels do not match groups');
  const Fg = F / g.groups;
  const outSp = sp.map((n, i) => Math.floor((n + g.pads[i][0] + g.pads[i][1] - ((kernel[i] - 1) * g.dilation[i] + 1)) / g.strides[i]) + 1);
  const out = arr([N, ...outSp, F]);
  const nTaps = size(kernel);
  for (let oi = 0; oi < out.data.length; oi++) {
    const idx = unravel(oi, out.shape);
    const n = idx[0];
    const o = idx.slice(1, dims + 1);
    const f = idx[dims + 1];
    const group = Math.floor(f / Fg);
    let s = 0;
    for (let t = 0; t < nTaps; t++) {
      const k = unravel(t, kernel);
      const pos = o.map((ov, i) => ov * g.strides[i] + k[i] * g.dilation[i] - g.pads[i][0]);
      if (pos.some((p, i) => p < 0 || p >= sp[i])) continue;
      for (let c = 0; c < Cg; c++) {
        s += x.data[ravel([n, ...pos, group * Cg + c], x.shape)] * w.data[ravel([...k, c, f], w.shape)];
      }
    }
    out.data[oi] = s;
  }
  return out;
}

/**
 * Transposed convolution as a scatter: every input element x[n, i…, c] adds x·w[k…, f, c] to
 * y[n, i·s + k·d − p_before, f] (positions outside y are dropped). x [N, ...spatial, Cin],
 * w [...kernel, Cout, Cin]; `outSpatial` is the output's spatial size.
 */
export function convTransposeRef(x: Arr, w: Arr, g: Omit<ConvGeometry, 'groups'>, outSpatial: number[]): Arr {
  const dims = x.shape.length - 2;
  const N = x.shape[0];
  const kernel = w.shape.slice(0, dims);
  const Cout = w.shape[dims];
  const out = arr([N, ...outSpatial, Cout]);
  const nTaps = size(kernel);
  for (let xi = 0; xi < x.data.length; xi++) {
    const idx = unravel(xi, x.shape);
    const n = idx[0];
    const i = idx.slice(1, dims + 1);
    const c = idx[dims + 1];
    for (let t = 0; t < nTaps; t++) {
      const k = unravel(t, kernel);
      const pos = i.map((iv, a) => iv * g.strides[a] + k[a] * g.dilation[a] - g.pads[a][0]);
      if (pos.some((p, a) => p < 0 || p >= outSpatial[a])) continue;
      for (let f = 0; f < Cout; f++) {
        out.data[ravel([n, ...pos, f], out.shape)] += x.data[xi] * w.data[ravel([...k, f, c], w.shape)];
      }
    }
  }
  return out;
}

export interface PoolGeometry {
  window: number[];
  strides: number[];
  pads: [number, number][];
}

/**
 * N-d pooling over x [N, ...spatial, C]. Padded positions are not part of a window (max
 * ignores them, average and L2 divide by the count of real elements: TensorFlow's rule; sum
 * adds only the real elements).
 * Also returns, for max, the flat index into x of each window's first maximum.
 */
export function poolRef(x: Arr, op: 'max' | 'avg' | 'l2' | 'sum', g: PoolGeometry): { y: Arr; argmax: number[] } {
  const dims = x.shape.length - 2;
  const sp = x.shape.slice(1, dims + 1);
  const outSp = sp.map((n, i) => Math.floor((n + g.pads[i][0] + g.pads[i][1] - g.window[i]) / g.strides[i]) + 1);
  const y = arr([x.shape[0], ...outSp, x.shape[dims + 1]]);
  const argmax: number[] = [];
  const nTaps = size(g.window);
  for (let oi = 0; oi < y.data.length; oi++) {
    const idx = unravel(oi, y.shape);
    const o = idx.slice(1, dims + 1);
    let best = -Infinity;
    let bestAt = -1;
    let sum = 0;
    let sumSq = 0;
    let count = 0;
    for (let t = 0; t < nTaps; t++) {
      const k = unravel(t, g.window);
      const pos = o.map((ov, i) => ov * g.strides[i] + k[i] - g.pads[i][0]);
      if (pos.some((p, i) => p < 0 || p >= sp[i])) continue;
      const at = ravel([idx[0], ...pos, idx[dims + 1]], x.shape);
      const v = x.data[at];
      if (v > best) {
        best = v;
        bestAt = at;
      }
      sum += v;
      sumSq += v * v;
      count++;
    }
    y.data[oi] = op === 'max' ? best : op === 'avg' ? sum / count : op === 'sum' ? sum : Math.sqrt(sumSq / count);
    argmax.push(bestAt);
  }
  return { y, argmax };
}

/** Reduce `axes` of x with `f` over the list of values (keepDims shape). */
export function reduceRef(x: Arr, axes: readonly number[], f: (values: number[]) => number): Arr {
  const keep = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((v, a) => (axes.includes(a) ? 0 : v));
    const key = ravel(idx, keep);
    const list = groups.get(key) ?? [];
    list.push(x.data[i]);
    groups.set(key, list);
  }
  const out = arr(keep);
  for (const [k, values] of groups) out.data[k] = f(values);
  return out;
}

/** Largest |a − b| / max(1, |b|) over two equally long lists. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

// ---- recurrent cells on plain arrays (Keras gate order i, f, g, o) ----

export type Mat = number[][];
export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
export const vecMat = (v: number[], m: Mat): number[] => m[0].map((_, j) => v.reduce((s, vi, i) => s + vi * m[i][j], 0));
export const addv = (a: number[], b: number[]): number[] => a.map((x, i) => x + b[i]);
/** The k-th block of `u` values (one gate of a fused pre-activation vector). */
export const part = (v: number[], k: number, u: number): number[] => v.slice(k * u, (k + 1) * u);

/** One LSTM step: kernel k [F, 4u], recurrent kernel r [u, 4u], bias b [4u] → [h, c]. */
export function lstmStep(xt: number[], h: number[], c: number[], k: Mat, r: Mat, b: number[]): [number[], number[]] {
  const u = h.length;
  const z = addv(addv(vecMat(xt, k), vecMat(h, r)), b);
  const i = part(z, 0, u).map(sigmoid);
  const f = part(z, 1, u).map(sigmoid);
  const g = part(z, 2, u).map(Math.tanh);
  const o = part(z, 3, u).map(sigmoid);
  const cn = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
  return [cn.map((cj, j) => o[j] * Math.tanh(cj)), cn];
}

/** max |a − b| / max(|b|, 1e-3): the largest difference relative to the reference array's scale. */
export function maxNormError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
