// Algebraic properties on random shapes and values (fast-check): broadcasting against an
// independent implementation, round trips of the movement ops, reduction order, matmul
// associativity, and the adjoint identities that tie each linear op to its gradient:
// <A x, y> = <x, Aᵀ y>. Values are float64 so tolerances can be tight; numRuns are kept modest.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const RUNS = 60;

// ---- independent helpers (index arithmetic, written from the definitions) ----

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** NumPy broadcasting: align right; each pair equal or one of them 1. null if incompatible. */
function referenceBroadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const out: number[] = [];
  for (let k = 1; k <= Math.max(a.length, b.length); k++) {
    const da = k <= a.length ? a[a.length - k] : 1;
    const db = k <= b.length ? b[b.length - k] : 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.unshift(da === 1 ? db : da);
  }
  return out;
}

/** Multi-index of flat position `flat` in row-major `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return idx;
}

function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i] + idx[i];
  return flat;
}

/** The flat position in an operand of `inShape` that broadcasts onto output index `outIdx`. */
function broadcastSource(outIdx: readonly number[], inShape: readonly number[]): number {
  const offset = outIdx.length - inShape.length;
  return ravel(inShape.map((d, i) => (d === 1 ? 0 : outIdx[i + offset])), inShape);
}

/** Float64 values 1, 2, 3, … (distinct, so a misplaced element shows). */
const counting = (shape: number[], scale = 1): hb.Tensor =>
  hb.tensor(Float64Array.from({ length: sizeOf(shape) }, (_, i) => (i + 1) * scale), shape);

const normal = (shape: readonly number[], seed: number): hb.Tensor => hb.randomNormal(shape, { seed, dtype: 'float64' });

/** <a, b> over all elements, in JavaScript doubles. */
function inner(a: hb.Tensor, b: hb.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function expectClose(actual: number, expected: number, rtol = 1e-10): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected)));
}

function expectAllClose(a: hb.Tensor, b: hb.Tensor, rtol = 1e-10): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(y[i])));
}

// ---- arbitraries ----

const dim = fc.integer({ min: 1, max: 4 });
const shapeArb = (minRank: number, maxRank: number, d = dim): fc.Arbitrary<number[]> => fc.array(d, { minLength: minRank, maxLength: maxRank });
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
/** A permutation of 0…n−1. */
const permArb = (n: number): fc.Arbitrary<number[]> => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });

describe('broadcasting (NumPy rules)', () => {
  it('output shape and ShapeError match an independent implementation; values match index arithmetic', () => {
    // Dimensions 0…3 give a mix of compatible and incompatible pairs (including empty axes).
    const d = fc.integer({ min: 0, max: 3 });
    fc.assert(fc.property(shapeArb(0, 4, d), shapeArb(0, 4, d), (sa, sb) => hb.tidy(() => {
      const expected = referenceBroadcast(sa, sb);
      const a = counting(sa);
      const b = counting(sb, 1000);
      if (expected === null) {
        expect(() => hb.add(a, b)).toThrow(hb.ShapeError);
        expect(() => hb.mul(a, b)).toThrow(hb.ShapeError);
        return;
      }
      const sum = hb.add(a, b);
      const prod = hb.mul(a, b);
      expect(sum.shape).toEqual(expected);
      expect(prod.shape).toEqual(expected);
      const av = a.dataSync();
      const bv = b.dataSync();
      const s = sum.dataSync();
      const p = prod.dataSync();
      for (let i = 0; i < sizeOf(expected); i++) {
        const idx = unravel(i, expected);
        const x = av[broadcastSource(idx, sa)];
        const y = bv[broadcastSource(idx, sb)];
        expect(s[i]).toBe(x + y);
        expect(p[i]).toBe(x * y);
      }
    })), { numRuns: 200 });
  });

  it('is symmetric in its operands and agrees with broadcastTo', () => {
    fc.assert(fc.property(shapeArb(0, 3, fc.integer({ min: 1, max: 3 })), shapeArb(0, 3, fc.integer({ min: 1, max: 3 })), (sa, sb) => hb.tidy(() => {
      const expected = referenceBroadcast(sa, sb);
      fc.pre(expected !== null);
      const a = counting(sa);
      const b = counting(sb, 10);
      expectAllClose(hb.add(a, b), hb.add(b, a), 0);
      expectAllClose(hb.add(a, b), hb.add(hb.broadcastTo(a, expected!), hb.broadcastTo(b, expected!)), 0);
    })), { numRuns: RUNS });
  });

  it('the gradient of a broadcast operand sums the cotangent over the broadcast axes', () => {
    fc.assert(fc.property(shapeArb(1, 3, fc.integer({ min: 1, max: 3 })), fc.integer({ min: 0, max: 7 }), seedArb, (out, mask, seed) => hb.tidy(() => {
      // Operand shape: the output's with some axes set to 1 and maybe the leading axis dropped.
      let sa = out.map((d, i) => ((mask >> i) & 1 ? 1 : d));
      if (mask & 4 && sa.length > 1) sa = sa.slice(1);
      const y = normal(out, seed);
      const g = hb.grad((a: hb.Tensor) => hb.sum(hb.mul(hb.add(a, hb.zeros(out, 'float64')), y)))(hb.zeros(sa, 'float64'));
      const expected = new Float64Array(sizeOf(sa));
      const yv = y.dataSync();
      for (let i = 0; i < yv.length; i++) expected[broadcastSource(unravel(i, out), sa)] += yv[i];
      expectAllClose(g, hb.tensor(expected, sa), 1e-12);
    })), { numRuns: RUNS });
  });
});

describe('movement ops: round trips and index arithmetic', () => {
  it('reshape keeps row-major order and reshaping back is the identity', () => {
    fc.assert(fc.property(shapeArb(0, 4), permArb(4), (shape, order) => hb.tidy(() => {
      const x = counting(shape);
      // Another shape of the same size: the prime factors of the size regrouped.
      const n = sizeOf(shape);
      const factors: number[] = [];
      let m = n;
      for (let p = 2; m > 1; p++) while (m % p === 0) { factors.push(p); m /= p; }
      const target = order.slice(0, Math.min(order.length, factors.length + 1)).map(() => 1);
      factors.forEach((f, i) => (target[i % target.length] *= f));
      const y = hb.reshape(x, target);
      expect(y.shape).toEqual(target);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
      expect(hb.reshape(y, shape).toArray()).toEqual(x.toArray());
      expect(hb.reshape(x, [-1]).shape).toEqual([n]);
    })), { numRuns: RUNS });
  });

  it('transpose moves element x[k] to y[j] with k[perm[i]] = j[i], and the inverse perm undoes it', () => {
    fc.assert(fc.property(shapeArb(1, 4).chain((s) => fc.tuple(fc.constant(s), permArb(s.length))), ([shape, perm]) => hb.tidy(() => {
      const x = counting(shape);
      const y = hb.transpose(x, perm);
      const yShape = perm.map((p) => shape[p]);
      expect(y.shape).toEqual(yShape);
      const xv = x.dataSync();
      const yv = y.dataSync();
      for (let f = 0; f < yv.length; f++) {
        const j = unravel(f, yShape);
        const k = new Array<number>(shape.length);
        perm.forEach((p, i) => (k[p] = j[i]));
        expect(yv[f]).toBe(xv[ravel(k, shape)]);
      }
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      expect(hb.transpose(y, inverse).toArray()).toEqual(x.toArray());
      // Negative axes name the same permutation.
      expect(hb.transpose(x, perm.map((p) => p - shape.length)).toArray()).toEqual(y.toArray());
    })), { numRuns: RUNS });
  });

  it('concat ∘ split is the identity, and split parts are the slices', () => {
    const arb = shapeArb(1, 4).chain((shape) => fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) =>
      fc.tuple(fc.constant(shape), fc.constant(axis), fc.array(fc.integer({ min: 0, max: shape[axis] }), { maxLength: 3 }))));
    fc.assert(fc.property(arb, ([shape, axis, cuts]) => hb.tidy(() => {
      const x = counting(shape);
      const points = [0, ...[...cuts].sort((p, q) => p - q), shape[axis]];
      const sizes = points.slice(1).map((p, i) => p - points[i]);
      const parts = hb.split(x, sizes, axis);
      expect(parts.map((p) => p.shape[axis])).toEqual(sizes);
      let offset = 0;
      for (const part of parts) {
        const begin = shape.map((_, i) => (i === axis ? offset : 0));
        expect(part.toArray()).toEqual(hb.slice(x, begin, part.shape).toArray());
        offset += part.shape[axis];
      }
      expect(hb.concat(parts, axis).toArray()).toEqual(x.toArray());
      // Negative axis too.
      expect(hb.concat(parts, axis - shape.length).toArray()).toEqual(x.toArray());
    })), { numRuns: RUNS });
  });

  it('stack ∘ unstack is the identity', () => {
    fc.assert(fc.property(shapeArb(1, 3).chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 }))), ([shape, axis]) => hb.tidy(() => {
      const x = counting(shape);
      const parts = hb.unstack(x, axis);
      expect(parts).toHaveLength(shape[axis]);
      expect(hb.stack(parts, axis).toArray()).toEqual(x.toArray());
    })), { numRuns: RUNS });
  });

  it('slice undoes pad, and pad adds exactly the padded elements', () => {
    const arb = shapeArb(1, 4).chain((shape) => fc.tuple(
      fc.constant(shape),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: shape.length, maxLength: shape.length }),
      fc.integer({ min: -3, max: 3 }),
    ));
    fc.assert(fc.property(arb, ([shape, pads, value]) => hb.tidy(() => {
      const x = counting(shape);
      const y = hb.pad(x, pads as [number, number][], value);
      const yShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
      expect(y.shape).toEqual(yShape);
      expect(hb.slice(y, pads.map((p) => p[0]), shape).toArray()).toEqual(x.toArray());
      const added = sizeOf(yShape) - sizeOf(shape);
      expect(hb.sum(y).item()).toBe(hb.sum(x).item() + value * added);
    })), { numRuns: RUNS });
  });

  it('slice with size −1 runs to the end and matches index arithmetic', () => {
    const arb = shapeArb(1, 3).chain((shape) => fc.tuple(
      fc.constant(shape),
      fc.tuple(...shape.map((d) => fc.integer({ min: 0, max: d }))),
      fc.boolean(),
    ));
    fc.assert(fc.property(arb, ([shape, begin, toEnd]) => hb.tidy(() => {
      const x = counting(shape);
      const size = toEnd ? begin.map(() => -1) : begin.map((b, i) => Math.floor((shape[i] - b) / 2));
      const y = hb.slice(x, begin, size);
      const ySize = size.map((s, i) => (s === -1 ? shape[i] - begin[i] : s));
      expect(y.shape).toEqual(ySize);
      const xv = x.dataSync();
      const yv = y.dataSync();
      for (let f = 0; f < yv.length; f++) {
        const j = unravel(f, ySize);
        expect(yv[f]).toBe(xv[ravel(j.map((v, i) => v + begin[i]), shape)]);
      }
    })), { numRuns: RUNS });
  });
});

describe('reductions', () => {
  it('sum over all axes equals summing one axis at a time, in any order', () => {
    fc.assert(fc.property(shapeArb(1, 4).chain((s) => fc.tuple(fc.constant(s), permArb(s.length), seedArb)), ([shape, order, seed]) => hb.tidy(() => {
      const x = normal(shape, seed);
      const total = hb.sum(x).item();
      // Reduce the axes in the random order, renumbering the axes that remain after each step.
      let y = x;
      let remaining = [...Array(shape.length).keys()];
      for (const a of order) {
        y = hb.sum(y, remaining.indexOf(a));
        remaining = remaining.filter((r) => r !== a);
      }
      expect(y.shape).toEqual([]);
      expectClose(y.item(), total, 1e-12);
      // And with keepDims the shape keeps every axis as 1.
      expect(hb.sum(x, undefined, true).shape).toEqual(shape.map(() => 1));
    })), { numRuns: RUNS });
  });

  it('sum over a subset of axes equals the index-arithmetic sum', () => {
    fc.assert(fc.property(shapeArb(1, 4).chain((s) => fc.tuple(fc.constant(s), fc.subarray([...Array(s.length).keys()]), seedArb)), ([shape, axes, seed]) => hb.tidy(() => {
      const x = normal(shape, seed);
      const y = hb.sum(x, axes, true);
      const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const expected = new Float64Array(sizeOf(keptShape));
      const xv = x.dataSync();
      for (let f = 0; f < xv.length; f++) expected[ravel(unravel(f, shape).map((v, i) => (axes.includes(i) ? 0 : v)), keptShape)] += xv[f];
      expectAllClose(y, hb.tensor(expected, keptShape), 1e-12);
      // mean = sum / count over the same axes.
      expectAllClose(hb.mean(x, axes, true), hb.div(y, sizeOf(axes.map((a) => shape[a]))), 1e-12);
    })), { numRuns: RUNS });
  });

  it('max ≥ every element ≥ min, and argmax points at the max', () => {
    fc.assert(fc.property(shapeArb(1, 3).chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 }), seedArb)), ([shape, axis, seed]) => hb.tidy(() => {
      const x = normal(shape, seed);
      const mx = hb.max(x, axis, true);
      const mn = hb.min(x, axis, true);
      expect(hb.all(hb.lessEqual(x, mx)).item()).toBe(1);
      expect(hb.all(hb.greaterEqual(x, mn)).item()).toBe(1);
      const at = hb.gather(hb.transpose(x, [axis, ...[...Array(shape.length).keys()].filter((i) => i !== axis)]), hb.reshape(hb.argmax(x, axis), [-1]), 0);
      // Each column of `at` (index k taken for column k) holds that column's maximum on its diagonal.
      const cols = sizeOf(shape) / shape[axis];
      const atv = at.dataSync();
      const mv = hb.reshape(hb.max(x, axis), [-1]).dataSync();
      for (let c = 0; c < cols; c++) expect(atv[c * cols + c]).toBe(mv[c]);
    })), { numRuns: RUNS });
  });
});

describe('matmul', () => {
  it('is associative in float64: (AB)C ≈ A(BC), also batched with broadcasting', () => {
    const d = fc.integer({ min: 1, max: 5 });
    fc.assert(fc.property(d, d, d, d, fc.constantFrom([], [2], [3, 1]), seedArb, (m, k, n, p, batch, seed) => hb.tidy(() => {
      const A = normal([...batch, m, k], seed);
      const B = normal([k, n], seed + 1);
      const C = normal([...batch.slice(-1), n, p], seed + 2);
      const left = hb.matmul(hb.matmul(A, B), C);
      const right = hb.matmul(A, hb.matmul(B, C));
      expect(left.shape).toEqual(right.shape);
      expectAllClose(left, right, 1e-11);
    })), { numRuns: RUNS });
  });

  it('matches the definition y[i,j] = Σ_k a[i,k] b[k,j], and transpose flags equal explicit transposes', () => {
    const d = fc.integer({ min: 1, max: 5 });
    fc.assert(fc.property(d, d, d, seedArb, fc.boolean(), fc.boolean(), (m, k, n, seed, tA, tB) => hb.tidy(() => {
      const a = normal([m, k], seed);
      const b = normal([k, n], seed + 7);
      const y = hb.matmul(a, b).dataSync();
      const av = a.dataSync();
      const bv = b.dataSync();
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let q = 0; q < k; q++) s += av[i * k + q] * bv[q * n + j];
          expectClose(y[i * n + j], s, 1e-12);
        }
      }
      const aStored = tA ? hb.transpose(a) : a;
      const bStored = tB ? hb.transpose(b) : b;
      expectAllClose(hb.matmul(aStored, bStored, tA, tB), hb.matmul(a, b), 1e-12);
    })), { numRuns: RUNS });
  });
});

describe('adjoint identities <A x, y> = <x, Aᵀ y>', () => {
  it('gather and scatterAdd: <gather(x, i), y> = <x, scatterAdd(y, i)>', () => {
    const arb = shapeArb(1, 3).chain((shape) => fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) => fc.tuple(
      fc.constant(shape), fc.constant(axis),
      shapeArb(0, 2, fc.integer({ min: 1, max: 3 })).chain((ish) => fc.tuple(fc.constant(ish), fc.array(fc.integer({ min: 0, max: shape[axis] - 1 }), { minLength: sizeOf(ish), maxLength: sizeOf(ish) }))),
      seedArb,
    )));
    fc.assert(fc.property(arb, ([shape, axis, [ishape, ivalues], seed]) => hb.tidy(() => {
      const x = normal(shape, seed);
      const idx = hb.tensor(Int32Array.from(ivalues), ishape);
      const gathered = hb.gather(x, idx, axis);
      const outShape = [...shape.slice(0, axis), ...ishape, ...shape.slice(axis + 1)];
      expect(gathered.shape).toEqual(outShape);
      const y = normal(outShape, seed + 1);
      const scattered = hb.scatterAdd(y, idx, axis, shape);
      expectClose(inner(gathered, y), inner(x, scattered), 1e-10);
      // And the gradient of gather is that scatter.
      expectAllClose(hb.grad((t: hb.Tensor) => hb.sum(hb.mul(hb.gather(t, idx, axis), y)))(x), scattered, 1e-12);
    })), { numRuns: RUNS });
  });

  it('conv2d: <conv(x, w), y> = <x, ∂/∂x> = <w, ∂/∂w>, and conv2dTranspose is the x-adjoint', () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 7 }), w: fc.integer({ min: 1, max: 7 }),
      groups: fc.constantFrom(1, 1, 2), cPerGroup: fc.integer({ min: 1, max: 2 }), fPerGroup: fc.integer({ min: 1, max: 2 }),
      kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
      strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })),
      dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      padding: fc.constantFrom<hb.Padding>('valid', 'same', 1, [[0, 2], [1, 0]]),
      seed: seedArb,
    });
    fc.assert(fc.property(arb, (c) => hb.tidy(() => {
      const C = c.cPerGroup * c.groups;
      const F = c.fPerGroup * c.groups;
      const x = normal([c.n, c.h, c.w, C], c.seed);
      const w = normal([c.kh, c.kw, c.cPerGroup, F], c.seed + 1);
      const opts: hb.ConvOptions = { strides: c.strides, dilation: c.dilation, padding: c.padding, groups: c.groups };
      let y0: hb.Tensor;
      try {
        y0 = hb.conv2d(x, w, opts);
      } catch (e) {
        // A kernel that does not fit the input: the precondition of this run fails.
        expect(e).toBeInstanceOf(hb.ShapeError);
        fc.pre(false);
        return;
      }
      const y = normal(y0.shape, c.seed + 2);
      const lhs = inner(y0, y);
      const [gx, gw] = hb.grad((a: hb.Tensor, b: hb.Tensor) => hb.sum(hb.mul(hb.conv2d(a, b, opts), y)), [0, 1])(x, w);
      expectClose(inner(x, gx), lhs, 1e-10);
      expectClose(inner(w, gw), lhs, 1e-10);
      if (c.groups === 1) {
        // conv2dTranspose's filter [kh, kw, out, in] is conv2d's [kh, kw, C, F]: it applies Aᵀ.
        const xt = hb.conv2dTranspose(y, w, { strides: c.strides, dilation: c.dilation, padding: c.padding, outputShape: [c.h, c.w] });
        expectAllClose(xt, gx, 1e-10);
      }
    })), { numRuns: RUNS });
  });

  it('conv1d and conv3d: <conv(x, w), y> = <x, ∂/∂x>', () => {
    const arb = fc.record({ dims: fc.constantFrom(1, 3), size: fc.integer({ min: 2, max: 5 }), k: fc.integer({ min: 1, max: 2 }), s: fc.integer({ min: 1, max: 2 }), padding: fc.constantFrom<hb.Padding>('valid', 'same'), seed: seedArb });
    fc.assert(fc.property(arb, (c) => hb.tidy(() => {
      const sp = new Array<number>(c.dims).fill(c.size);
      const x = normal([1, ...sp, 2], c.seed);
      const w = normal([...new Array<number>(c.dims).fill(c.k), 2, 3], c.seed + 1);
      const conv = c.dims === 1 ? hb.conv1d : hb.conv3d;
      const opts = { strides: c.s, padding: c.padding };
      const y0 = conv(x, w, opts);
      const y = normal(y0.shape, c.seed + 2);
      const gx = hb.grad((a: hb.Tensor) => hb.sum(hb.mul(conv(a, w, opts), y)))(x);
      expectClose(inner(x, gx), inner(y0, y), 1e-10);
    })), { numRuns: 30 });
  });

  it('average pooling: <avgPool(x), y> = <x, ∂/∂x>; max pooling routes Σy to window maxima', () => {
    const arb = fc.record({ h: fc.integer({ min: 2, max: 6 }), w: fc.integer({ min: 2, max: 6 }), c: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }), padding: fc.constantFrom<hb.Padding>('valid', 'same'), seed: seedArb });
    fc.assert(fc.property(arb, (c) => hb.tidy(() => {
      const x = normal([1, c.h, c.w, c.c], c.seed);
      const opts: hb.PoolOptions = { poolSize: c.p, strides: c.s, padding: c.padding };
      let avg: hb.Tensor;
      try {
        avg = hb.avgPool2d(x, opts);
      } catch (e) {
        expect(e).toBeInstanceOf(hb.HebbError);
        fc.pre(false);
        return;
      }
      const y = normal(avg.shape, c.seed + 1);
      const gAvg = hb.grad((a: hb.Tensor) => hb.sum(hb.mul(hb.avgPool2d(a, opts), y)))(x);
      expectClose(inner(x, gAvg), inner(avg, y), 1e-10);
      // Max pooling: every output's cotangent lands on exactly one input, a maximum of its window.
      const gMax = hb.grad((a: hb.Tensor) => hb.sum(hb.mul(hb.maxPool2d(a, opts), y)))(x);
      expectClose(hb.sum(gMax).item(), hb.sum(y).item(), 1e-10);
      const maxima = new Set(hb.maxPool2d(x, opts).dataSync());
      const xv = x.dataSync();
      gMax.dataSync().forEach((g, i) => {
        if (g !== 0) expect(maxima.has(xv[i])).toBe(true);
      });
    })), { numRuns: RUNS });
  });

  it('transpose, slice, pad, broadcastTo and tile: <A x, y> = <x, ∂/∂x>', () => {
    fc.assert(fc.property(shapeArb(1, 3, fc.integer({ min: 1, max: 3 })), seedArb, (shape, seed) => hb.tidy(() => {
      const x = normal(shape, seed);
      const ops: ((t: hb.Tensor) => hb.Tensor)[] = [
        (t) => hb.transpose(t),
        (t) => hb.slice(t, shape.map((d) => (d > 1 ? 1 : 0)), shape.map((d) => (d > 1 ? d - 1 : d))),
        (t) => hb.pad(t, shape.map((_, i) => [i % 2, 1] as [number, number])),
        (t) => hb.broadcastTo(t, [2, ...shape]),
        (t) => hb.tile(t, shape.map((_, i) => i + 1)),
        (t) => hb.reverse(t, [...shape.keys()]),
      ];
      ops.forEach((op, k) => {
        const ax = op(x);
        const y = normal(ax.shape, seed + 10 + k);
        const g = hb.grad((t: hb.Tensor) => hb.sum(hb.mul(op(t), y)))(x);
        expectClose(inner(x, g), inner(ax, y), 1e-10);
      });
    })), { numRuns: 40 });
  });
});
