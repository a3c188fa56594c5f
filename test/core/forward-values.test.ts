// Forward values against independent math: hand-computed cases and closed forms, and the
// plain-JS references in test/util/reference.ts on random data of odd sizes (1, 3, 7,
// non-square, batch 1). Then the integer and bool dtype rules.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { availableBackends, withBackend } from '../util/backends.js';
import {
  type Arr, broadcastBinary, convRef, convTransposeRef, matmulRef, maxRelDiff, poolRef, Prng, randomArr, reduceRef, samePads,
} from '../util/reference.js';

type Tensor = hb.Tensor;

const backends = availableBackends();

const t64 = (a: Arr): Tensor => hb.tensor(a.data, a.shape, 'float64');
const t32 = (a: Arr): Tensor => hb.tensor(Float32Array.from(a.data), a.shape, 'float32');
/** The array a float32 tensor really holds (its values rounded to float32), for the reference. */
const rounded = (a: Arr): Arr => ({ shape: a.shape, data: Float64Array.from(Float32Array.from(a.data)) });
const values = (t: Tensor): number[] => Array.from(t.dataSync());

// float32 results are compared with the float64 reference on the same (rounded) inputs: sums of
// a few dozen products may differ by a few float32 ulps, hence 1e-5 rather than float64's 1e-12.
const TOL64 = 1e-12;
const TOL32 = 1e-5;

function expectClose(t: Tensor, ref: Arr, tol: number, label = ''): void {
  expect(t.shape, label).toEqual(ref.shape);
  expect(maxRelDiff(values(t), ref.data), label).toBeLessThanOrEqual(tol);
}

const padsFor = (padding: hb.Padding, spatial: number[], effective: number[], strides: number[]): [number, number][] =>
  padding === 'valid' ? spatial.map(() => [0, 0])
    : padding === 'same' ? spatial.map((n, i) => samePads(n, effective[i], strides[i]))
      : typeof padding === 'number' ? spatial.map(() => [padding, padding])
        : padding.map(([a, b]) => [a, b]);

for (const backend of backends) {
  const run = <T>(fn: () => T): T => withBackend(backend, () => hb.tidy(fn));

  describe(`forward values on ${backend}: closed forms and hand-computed cases`, () => {
    it('softmax of [0, ln 2, ln 3] is [1/6, 2/6, 3/6]', () => {
      const v = [0, Math.log(2), Math.log(3)];
      const [p64, p32] = run(() => [values(hb.softmax(hb.tensor(v, [3], 'float64'))), values(hb.softmax(hb.tensor(v)))]);
      expect(maxRelDiff(p64, [1 / 6, 2 / 6, 3 / 6])).toBeLessThan(1e-15);
      expect(maxRelDiff(p32, [1 / 6, 2 / 6, 3 / 6])).toBeLessThan(1e-7); // float32 rounding of the inputs and result
    });

    it('cumsum: running sums, exclusive and reverse, along any axis; ints stay ints; bad input is a clear error', () => {
      const [plain, excl, rev, both, rows, ints] = run(() => [
        values(hb.cumsum(hb.tensor([1, 2, 3, 4]))),
        values(hb.cumsum(hb.tensor([1, 2, 3, 4]), 0, { exclusive: true })),
        values(hb.cumsum(hb.tensor([1, 2, 3, 4]), 0, { reverse: true })),
        values(hb.cumsum(hb.tensor([1, 2, 3, 4]), 0, { exclusive: true, reverse: true })),
        values(hb.cumsum(hb.tensor([[1, 2, 3], [4, 5, 6]]), -1)),
        hb.cumsum(hb.tensor([[1, 2], [3, 4]], [2, 2], 'int32')),
      ]);
      expect(plain).toEqual([1, 3, 6, 10]);
      expect(excl).toEqual([0, 1, 3, 6]);
      expect(rev).toEqual([10, 9, 7, 4]);
      expect(both).toEqual([9, 7, 4, 0]);
      expect(rows).toEqual([1, 3, 6, 4, 9, 15]);
      expect(ints.dtype).toBe('int32');
      expect(run(() => values(hb.cumsum(hb.tensor([[1, 2], [3, 4]], [2, 2], 'int32'))))).toEqual([1, 2, 4, 6]);
      expect(() => hb.cumsum(hb.scalar(1))).toThrow(hb.ValueError);
      expect(() => hb.cumsum(hb.tensor([1, 2]), 1)).toThrow(hb.ValueError);
      expect(() => hb.cumsum(hb.tensor([1, 2]), 0, { revers: true } as hb.CumsumOptions)).toThrow(/did you mean 'reverse'/);
    });

    it('softmax along axis 0 and of huge logits: no overflow', () => {
      const [a, b] = run(() => [
        hb.softmax(hb.tensor([[1000, 0], [1000 + Math.log(3), 0]], [2, 2], 'float64'), 0).toArray(),
        values(hb.softmax(hb.tensor([1000, 1000 + Math.log(3)], [2], 'float64'))),
      ]);
      expect(maxRelDiff((a as number[][]).flat(), [0.25, 0.5, 0.75, 0.5])).toBeLessThan(1e-12);
      expect(maxRelDiff(b, [0.25, 0.75])).toBeLessThan(1e-12);
    });

    it('logSumExp of large values does not overflow', () => {
      const r = run(() => [
        hb.logSumExp(hb.tensor([1000, 1000], [2], 'float64')).item(),
        hb.logSumExp(hb.tensor([-1000, -1000], [2], 'float64')).item(),
        hb.logSumExp(hb.tensor([1000, 1000])).item(),
        hb.logSumExp(hb.tensor([-Infinity, -Infinity], [2], 'float64')).item(),
        hb.logSumExp(hb.tensor([-Infinity, 0], [2], 'float64')).item(),
      ]);
      expect(r[0]).toBe(1000 + Math.LN2);
      expect(r[1]).toBeCloseTo(-1000 + Math.LN2, 12);
      expect(Math.abs(r[2] - (1000 + Math.LN2))).toBeLessThan(1e-4); // float32: ulp(1000) ≈ 6e-5
      expect(r[3]).toBe(-Infinity);
      expect(r[4]).toBe(0);
    });

    it('logSoftmax of [1000, 0] is [−log(1 + e⁻¹⁰⁰⁰), −1000]', () => {
      const r = run(() => values(hb.logSoftmax(hb.tensor([1000, 0], [2], 'float64'))));
      expect(r).toEqual([0, -1000]);
    });

    it('erf at known points (and odd symmetry)', () => {
      // Reference values: Python's math.erf.
      const known: [number, number][] = [
        [0, 0], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [1.5, 0.9661051464753108],
        [2, 0.9953222650189527], [3, 0.9999779095030014], [3.5, 0.9999992569016276], [5, 0.9999999999984626], [30, 1],
      ];
      const xs = known.flatMap(([x]) => [x, -x]);
      const got = run(() => values(hb.erf(hb.tensor(xs, [xs.length], 'float64'))));
      expect(maxRelDiff(got, known.flatMap(([, y]) => [y, -y]))).toBeLessThan(1e-15);
      const tiny = run(() => hb.erf(hb.tensor([1e-10], [1], 'float64')).item());
      expect(tiny).toBeCloseTo((2 / Math.sqrt(Math.PI)) * 1e-10, 24);
    });

    it('gelu is x·Φ(x); the tanh form follows its formula', () => {
      // x·Φ(x) from Python: x * 0.5 * (1 + erf(x / sqrt 2)).
      const known: [number, number][] = [[-1, -0.15865525393145707], [0, 0], [0.5, 0.34573123063700656], [1, 0.8413447460685429], [2, 1.9544997361036416]];
      const xs = known.map(([x]) => x);
      const [exact, approx] = run(() => {
        const x = hb.tensor(xs, [xs.length], 'float64');
        return [values(hb.gelu(x)), values(hb.gelu(x, true))];
      });
      expect(maxRelDiff(exact, known.map(([, y]) => y))).toBeLessThan(1e-15);
      const tanhForm = xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
      expect(maxRelDiff(approx, tanhForm)).toBeLessThan(1e-15);
      expect(maxRelDiff(approx, known.map(([, y]) => y))).toBeLessThan(1e-3); // the approximation is close to exact
    });

    it('sigmoid, softplus and tanh at the extremes stay finite', () => {
      const [s, sp, th] = run(() => {
        const x = hb.tensor([-800, -1, 0, Math.log(3), 800], [5], 'float64');
        return [values(hb.sigmoid(x)), values(hb.softplus(x)), values(hb.tanh(x))];
      });
      expect(maxRelDiff(s, [0, 1 / (1 + Math.E), 0.5, 0.75, 1])).toBeLessThan(1e-15);
      expect(maxRelDiff(sp, [0, Math.log(1 + Math.exp(-1)), Math.LN2, Math.log(4), 800])).toBeLessThan(1e-15);
      expect(th).toEqual([-1, Math.tanh(-1), 0, Math.tanh(Math.log(3)), 1]);
    });

    it('activations at hand-picked points', () => {
      const xs = [-2, -0.5, 0.5, 3, 7];
      const r = run(() => {
        const x = hb.tensor(xs, [5], 'float64');
        return {
          relu: values(hb.relu(x)), relu6: values(hb.relu6(x)), leaky: values(hb.leakyRelu(x)), leaky01: values(hb.leakyRelu(x, 0.1)),
          elu: values(hb.elu(x)), selu: values(hb.selu(hb.tensor([-1, 1], [2], 'float64'))), softsign: values(hb.softsign(x)),
          hard: values(hb.hardSigmoid(x)), swish: values(hb.swish(x)),
        };
      });
      expect(r.relu).toEqual([0, 0, 0.5, 3, 7]);
      expect(r.relu6).toEqual([0, 0, 0.5, 3, 6]);
      expect(r.leaky).toEqual([-0.4, -0.1, 0.5, 3, 7]); // default alpha 0.2
      expect(maxRelDiff(r.leaky01, [-0.2, -0.05, 0.5, 3, 7])).toBeLessThan(1e-16);
      expect(maxRelDiff(r.elu, [Math.expm1(-2), Math.expm1(-0.5), 0.5, 3, 7])).toBeLessThan(1e-16);
      expect(maxRelDiff(r.selu, [-1.1113307378125625, 1.0507009873554805])).toBeLessThan(1e-15);
      expect(maxRelDiff(r.softsign, [-2 / 3, -1 / 3, 1 / 3, 0.75, 7 / 8])).toBeLessThan(1e-16);
      expect(maxRelDiff(r.hard, [0.1, 0.4, 0.6, 1, 1])).toBeLessThan(1e-15);
      expect(maxRelDiff(r.swish, xs.map((x) => x / (1 + Math.exp(-x))))).toBeLessThan(1e-15);
    });

    it('variance and std of arange(n) are (n² − 1)/12 and its root', () => {
      for (const n of [1, 2, 7, 10]) {
        const [v, s] = run(() => {
          const x = hb.arange(0, n, 1, 'float64');
          return [hb.variance(x).item(), hb.std(x).item()];
        });
        expect(v).toBeCloseTo((n * n - 1) / 12, 12);
        expect(s).toBeCloseTo(Math.sqrt((n * n - 1) / 12), 12);
      }
    });

    it('argmax and argmin: ties pick the first index; NaN wins', () => {
      const r = run(() => ({
        flat: hb.argmax(hb.tensor([1, 3, 3, 2])).item(),
        min: hb.argmin(hb.tensor([2, 1, 5, 1])).item(),
        axis0: hb.argmax(hb.tensor([[1, 4, 2], [1, 4, 3]]), 0).toArray(),
        axis1: hb.argmin(hb.tensor([[2, 2, 1], [0, 3, 0]]), 1).toArray(),
        nan: hb.argmax(hb.tensor([1, NaN, 3])).item(),
        dtype: hb.argmax(hb.tensor([1, 2])).dtype,
        keep: hb.argmax(hb.tensor([[1, 5], [7, 2]]), 1, true).shape,
      }));
      expect(r.flat).toBe(1);
      expect(r.min).toBe(1);
      expect(r.axis0).toEqual([0, 0, 1]);
      expect(r.axis1).toEqual([2, 0]);
      expect(r.nan).toBe(1);
      expect(r.dtype).toBe('int32');
      expect(r.keep).toEqual([2, 1]);
    });

    it('round is half to even; floor and ceil of negatives', () => {
      const xs = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6];
      const r = run(() => ({
        round: values(hb.round(hb.tensor(xs))).map((v) => v + 0),
        floor: values(hb.floor(hb.tensor([-1.5, -0.2, 0.2, 1.5]))).map((v) => v + 0),
        ceil: values(hb.ceil(hb.tensor([-1.5, -0.2, 0.2, 1.5]))).map((v) => v + 0),
      }));
      expect(r.round).toEqual([0, 2, 2, 4, 0, -2, -2, 2, 3, -3]);
      expect(r.floor).toEqual([-2, -1, 0, 1]);
      expect(r.ceil).toEqual([-1, 0, 1, 2]);
    });

    it('mod takes the sign of the divisor (as Python)', () => {
      const r = run(() => values(hb.mod(hb.tensor([-7, 7, -7, 7, 5.5, -5.5], [6], 'float64'), hb.tensor([3, -3, -3, 3, 2, 2], [6], 'float64'))));
      expect(r).toEqual([2, -2, -1, 1, 1.5, 0.5]);
    });

    it('log1p and expm1 are accurate near 0', () => {
      const r = run(() => [hb.log1p(hb.tensor([1e-12], [1], 'float64')).item(), hb.expm1(hb.tensor([1e-12], [1], 'float64')).item()]);
      expect(Math.abs(r[0] - (1e-12 - 0.5e-24)) / 1e-12).toBeLessThan(1e-15);
      expect(Math.abs(r[1] - (1e-12 + 0.5e-24)) / 1e-12).toBeLessThan(1e-15);
    });

    it('small matmul, convolution, transposed convolution and pooling by hand', () => {
      const r = run(() => ({
        mm: hb.matmul(hb.tensor([[1, 2], [3, 4]]), hb.tensor([[5, 6], [7, 8]])).toArray(),
        dot: hb.dot(hb.tensor([1, 2, 3]), hb.tensor([4, 5, 6])).item(),
        outer: hb.outer(hb.tensor([1, 2]), hb.tensor([3, 4, 5])).toArray(),
        // [1,2,3,4] ⋆ [1,−1] = [1−2, 2−3, 3−4]
        conv: values(hb.conv1d(hb.tensor([1, 2, 3, 4], [1, 4, 1]), hb.tensor([1, -1], [2, 1, 1]))),
        // stride 2, 'same' on length 4, kernel 3: pads [0, 1] → windows [1,2,3] and [3,4,0]
        convSame: values(hb.conv1d(hb.tensor([1, 2, 3, 4], [1, 4, 1]), hb.tensor([1, 10, 100], [3, 1, 1]), { strides: 2, padding: 'same' })),
        // transposed, stride 2: each input spreads x·[1, 10] to positions 2i, 2i+1 (+ overlap none)
        convT: values(hb.conv1dTranspose(hb.tensor([1, 2, 3], [1, 3, 1]), hb.tensor([1, 10, 100], [3, 1, 1]), { strides: 2 })),
        max: values(hb.maxPool2d(hb.tensor([1, 5, 2, 3, 4, 8, 6, 7, 0, 9, 1, 2, 3, 4, 5, 6], [1, 4, 4, 1]))),
        avg: values(hb.avgPool2d(hb.tensor([1, 5, 2, 3, 4, 8, 6, 7, 0, 9, 1, 2, 3, 4, 5, 6], [1, 4, 4, 1]))),
        // same padding on 3 with window 2, stride 2: the last window has one real element, which is its average
        avgEdge: values(hb.avgPool1d(hb.tensor([2, 4, 9], [1, 3, 1]), { padding: 'same' })),
        l2: values(hb.l2Pool1d(hb.tensor([3, 4, 6, 8], [1, 4, 1]))),
      }));
      expect(r.mm).toEqual([[19, 22], [43, 50]]);
      expect(r.dot).toBe(32);
      expect(r.outer).toEqual([[3, 4, 5], [6, 8, 10]]);
      expect(r.conv).toEqual([-1, -1, -1]);
      expect(r.convSame).toEqual([1 + 20 + 300, 3 + 40]);
      // positions: 0:1·1, 1:1·10, 2:1·100+2·1, 3:2·10, 4:2·100+3·1, 5:3·10, 6:3·100
      expect(r.convT).toEqual([1, 10, 102, 20, 203, 30, 300]);
      expect(r.max).toEqual([8, 7, 9, 6]);
      expect(r.avg).toEqual([4.5, 4.5, 4, 3.5]);
      expect(r.avgEdge).toEqual([3, 9]);
      expect(maxRelDiff(r.l2, [Math.sqrt(12.5), Math.sqrt(50)])).toBeLessThan(1e-7);
    });

    it('movement ops by hand', () => {
      const x = [[1, 2, 3], [4, 5, 6]];
      const r = run(() => ({
        transpose: hb.transpose(hb.tensor(x)).toArray(),
        slice: hb.slice(hb.tensor(x), [0, 1], [2, -1]).toArray(),
        pad: hb.pad(hb.tensor([[1, 2]]), [[1, 0], [0, 1]], 9).toArray(),
        concat: hb.concat([hb.tensor(x), hb.tensor([[7], [8]])], 1).toArray(),
        stack: hb.stack([hb.tensor([1, 2]), hb.tensor([3, 4])], 1).toArray(),
        gather: hb.gather(hb.tensor(x), [2, 0, 2], 1).toArray(),
        scatter: hb.scatterAdd(hb.tensor([1, 2, 3]), [1, 0, 1], 0, [3]).toArray(),
        tile: hb.tile(hb.tensor([[1, 2]]), [2, 2]).toArray(),
        reverse: hb.reverse(hb.tensor(x), [0, 1]).toArray(),
        split: hb.split(hb.tensor([1, 2, 3, 4, 5]), [2, 3]).map((p) => p.toArray()),
        broadcast: hb.broadcastTo(hb.tensor([[1], [2]]), [2, 3]).toArray(),
      }));
      expect(r.transpose).toEqual([[1, 4], [2, 5], [3, 6]]);
      expect(r.slice).toEqual([[2, 3], [5, 6]]);
      expect(r.pad).toEqual([[9, 9, 9], [1, 2, 9]]);
      expect(r.concat).toEqual([[1, 2, 3, 7], [4, 5, 6, 8]]);
      expect(r.stack).toEqual([[1, 3], [2, 4]]);
      expect(r.gather).toEqual([[3, 1, 3], [6, 4, 6]]);
      expect(r.scatter).toEqual([2, 4, 0]);
      expect(r.tile).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
      expect(r.reverse).toEqual([[6, 5, 4], [3, 2, 1]]);
      expect(r.split).toEqual([[1, 2], [3, 4, 5]]);
      expect(r.broadcast).toEqual([[1, 1, 1], [2, 2, 2]]);
    });

    it('dropout: survivors scaled by 1/(1 − rate), same seed same mask, identity when not training', () => {
      const r = run(() => {
        const x = hb.ones([1000], 'float64');
        const a = values(hb.dropout(x, 0.25, { seed: 9 }));
        const b = values(hb.dropout(x, 0.25, { seed: 9 }));
        return { a, b, off: values(hb.dropout(x, 0.25, { training: false })) };
      });
      expect(r.a).toEqual(r.b);
      expect(new Set(r.a)).toEqual(new Set([0, 1 / 0.75]));
      const dropped = r.a.filter((v) => v === 0).length;
      expect(dropped).toBeGreaterThan(250 - 4 * Math.sqrt(1000 * 0.25 * 0.75)); // binomial, 4 standard deviations
      expect(dropped).toBeLessThan(250 + 4 * Math.sqrt(1000 * 0.25 * 0.75));
      expect(r.off).toEqual(new Array(1000).fill(1));
    });
  });

  describe(`forward values on ${backend}: against the plain-JS references`, () => {
    it('broadcasting binary ops match index arithmetic', () => {
      const rng = new Prng(101);
      const pairs: [number[], number[]][] = [[[1], [7]], [[3, 1], [1, 7]], [[2, 1, 3], [4, 1]], [[1, 3, 1, 5], [3, 7, 1]], [[], [3, 7]], [[7], []], [[3, 7], [3, 7]]];
      const ops: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
        ['add', hb.add, (x, y) => x + y], ['sub', hb.sub, (x, y) => x - y], ['mul', hb.mul, (x, y) => x * y], ['div', hb.div, (x, y) => x / y],
        ['pow', (a, b) => hb.pow(hb.abs(a), b), (x, y) => Math.abs(x) ** y], ['maximum', hb.maximum, Math.max], ['minimum', hb.minimum, Math.min],
        ['mod', hb.mod, (x, y) => x - Math.floor(x / y) * y],
      ];
      for (const [sa, sb] of pairs) {
        const a = randomArr(rng, sa, -3, 3);
        const b = randomArr(rng, sb, 0.5, 2);
        for (const [name, op, f] of ops) {
          const label = `${name} [${sa}] [${sb}]`;
          run(() => {
            expectClose(op(t64(a), t64(b)), broadcastBinary(a, b, f), TOL64, label);
            expectClose(op(t32(a), t32(b)), broadcastBinary(rounded(a), rounded(b), f), TOL32, `${label} float32`);
          });
        }
      }
    });

    it('matmul matches the naive triple loop', () => {
      const rng = new Prng(102);
      const cases: [number[], number[], boolean, boolean][] = [
        [[1, 1], [1, 1], false, false], [[3, 7], [7, 1], false, false], [[7], [7, 3], false, false], [[3, 7], [7], false, false],
        [[7], [7], false, false], [[1, 3, 7], [7, 5], false, false], [[2, 1, 3, 7], [5, 7, 3], false, false],
        [[7, 3], [7, 5], true, false], [[3, 7], [5, 7], false, true], [[7, 3], [5, 7], true, true], [[1, 7, 1], [4, 3, 7], true, true],
        [[33, 17], [17, 9], false, false],
      ];
      for (const [sa, sb, tA, tB] of cases) {
        const a = randomArr(rng, sa);
        const b = randomArr(rng, sb);
        const ref = matmulRef(a, b, tA, tB);
        const label = `[${sa}]${tA ? 'ᵀ' : ''} x [${sb}]${tB ? 'ᵀ' : ''}`;
        run(() => {
          expectClose(hb.matmul(t64(a), t64(b), tA, tB), ref, TOL64, label);
          expectClose(hb.matmul(t32(a), t32(b), tA, tB), matmulRef(rounded(a), rounded(b), tA, tB), TOL32, `${label} float32`);
        });
      }
    });

    it('conv1d/2d/3d match the direct N-d convolution (strides, padding, dilation, groups)', () => {
      const rng = new Prng(103);
      const fns = { 1: hb.conv1d, 2: hb.conv2d, 3: hb.conv3d } as const;
      const cases: { x: number[]; k: number[]; C: number; F: number; strides: number[]; padding: hb.Padding; dilation: number[]; groups: number }[] = [
        { x: [1, 7], k: [3], C: 1, F: 1, strides: [1], padding: 'valid', dilation: [1], groups: 1 },
        { x: [3, 7], k: [2], C: 3, F: 5, strides: [2], padding: 'same', dilation: [1], groups: 1 },
        { x: [1, 7], k: [3], C: 4, F: 6, strides: [1], padding: [[2, 1]], dilation: [2], groups: 2 },
        { x: [1, 7, 5], k: [3, 2], C: 3, F: 2, strides: [2, 1], padding: 'same', dilation: [1, 1], groups: 1 },
        { x: [2, 7, 7], k: [3, 3], C: 2, F: 3, strides: [2, 2], padding: 1, dilation: [1, 2], groups: 1 },
        { x: [1, 5, 7], k: [1, 1], C: 6, F: 3, strides: [1, 1], padding: 'valid', dilation: [1, 1], groups: 3 },
        { x: [1, 6, 5], k: [2, 3], C: 4, F: 4, strides: [3, 2], padding: [[0, 2], [1, 1]], dilation: [2, 1], groups: 4 },
        { x: [1, 3, 5, 4], k: [2, 3, 2], C: 2, F: 3, strides: [1, 2, 1], padding: 'same', dilation: [1, 1, 1], groups: 1 },
        { x: [2, 5, 3, 3], k: [2, 2, 2], C: 2, F: 4, strides: [2, 1, 1], padding: 'valid', dilation: [2, 1, 1], groups: 2 },
      ];
      for (const c of cases) {
        const dims = c.k.length as 1 | 2 | 3;
        const x = randomArr(rng, [...c.x, c.C]);
        const w = randomArr(rng, [...c.k, c.C / c.groups, c.F]);
        const spatial = c.x.slice(1);
        const pads = padsFor(c.padding, spatial, c.k.map((k, i) => (k - 1) * c.dilation[i] + 1), c.strides);
        const geometry = { strides: c.strides, pads, dilation: c.dilation, groups: c.groups };
        const opts = { strides: c.strides, padding: c.padding, dilation: c.dilation, groups: c.groups };
        const label = JSON.stringify(c);
        run(() => {
          expectClose(fns[dims](t64(x), t64(w), opts), convRef(x, w, geometry), TOL64, label);
          expectClose(fns[dims](t32(x), t32(w), opts), convRef(rounded(x), rounded(w), geometry), TOL32, `${label} float32`);
        });
      }
    });

    it('depthwiseConv2d and separableConv2d match the reference', () => {
      const rng = new Prng(104);
      for (const [m, strides, padding] of [[1, 1, 'valid'], [2, 2, 'same'], [3, 1, 'same']] as const) {
        const x = randomArr(rng, [1, 7, 5, 3]);
        const w = randomArr(rng, [3, 2, 3, m]);
        // Output channel c·m + j reads input channel c with w[..., c, j]: a grouped conv with C groups.
        const grouped = { shape: [3, 2, 1, 3 * m], data: w.data };
        const pads = padsFor(padding, [7, 5], [3, 2], [strides, strides]);
        const ref = convRef(x, grouped, { strides: [strides, strides], pads, dilation: [1, 1], groups: 3 });
        run(() => expectClose(hb.depthwiseConv2d(t64(x), t64(w), { strides, padding }), ref, TOL64, `depthwise m=${m}`));
        const p = randomArr(rng, [1, 1, 3 * m, 2]);
        const sep = convRef(ref, p, { strides: [1, 1], pads: [[0, 0], [0, 0]], dilation: [1, 1], groups: 1 });
        run(() => expectClose(hb.separableConv2d(t64(x), t64(w), t64(p), { strides, padding }), sep, TOL64, `separable m=${m}`));
      }
    });

    it('transposed convolutions match the scatter reference', () => {
      const rng = new Prng(105);
      const fns = { 1: hb.conv1dTranspose, 2: hb.conv2dTranspose, 3: hb.conv3dTranspose } as const;
      const cases: { x: number[]; k: number[]; cin: number; cout: number; strides: number[]; padding: 'valid' | 'same'; dilation: number[]; out?: number[] }[] = [
        { x: [1, 7], k: [3], cin: 1, cout: 1, strides: [1], padding: 'valid', dilation: [1] },
        { x: [3, 5], k: [4], cin: 2, cout: 3, strides: [2], padding: 'same', dilation: [1] },
        { x: [1, 3, 5], k: [3, 2], cin: 3, cout: 2, strides: [2, 3], padding: 'valid', dilation: [1, 1] },
        { x: [2, 3, 3], k: [3, 3], cin: 2, cout: 1, strides: [2, 2], padding: 'same', dilation: [1, 1], out: [5, 6] },
        { x: [1, 4, 3], k: [2, 2], cin: 1, cout: 2, strides: [1, 1], padding: 'valid', dilation: [2, 1] },
        { x: [1, 3, 4], k: [3, 3], cin: 2, cout: 2, strides: [2, 2], padding: 'valid', dilation: [1, 1], out: [8, 10] },
        { x: [1, 2, 3, 2], k: [2, 3, 2], cin: 2, cout: 3, strides: [2, 1, 2], padding: 'same', dilation: [1, 1, 1] },
      ];
      for (const c of cases) {
        const dims = c.k.length as 1 | 2 | 3;
        const spatial = c.x.slice(1);
        const effective = c.k.map((k, i) => (k - 1) * c.dilation[i] + 1);
        // Output sizes from the definition: the transposed conv is the adjoint of a conv mapping out → in.
        const outSpatial = c.out ?? (c.padding === 'same' ? spatial.map((n, i) => n * c.strides[i]) : spatial.map((n, i) => (n - 1) * c.strides[i] + effective[i]));
        const pads = padsFor(c.padding, outSpatial, effective, c.strides);
        const x = randomArr(rng, [...c.x, c.cin]);
        const w = randomArr(rng, [...c.k, c.cout, c.cin]);
        const ref = convTransposeRef(x, w, { strides: c.strides, pads, dilation: c.dilation }, outSpatial);
        const opts = { strides: c.strides, padding: c.padding, dilation: c.dilation, outputShape: c.out };
        run(() => expectClose(fns[dims](t64(x), t64(w), opts), ref, TOL64, JSON.stringify(c)));
      }
    });

    it('pooling matches the reference (max, avg, l2, sum; 1-d, 2-d, 3-d; padding excluded from windows)', () => {
      const rng = new Prng(106);
      const fns = {
        max: { 1: hb.maxPool1d, 2: hb.maxPool2d, 3: hb.maxPool3d },
        avg: { 1: hb.avgPool1d, 2: hb.avgPool2d, 3: hb.avgPool3d },
        l2: { 1: hb.l2Pool1d, 2: hb.l2Pool2d, 3: hb.l2Pool3d },
        sum: { 1: hb.sumPool1d, 2: hb.sumPool2d, 3: hb.sumPool3d },
      } as const;
      const cases: { x: number[]; window: number[]; strides: number[]; padding: hb.Padding }[] = [
        { x: [1, 7, 1], window: [2], strides: [2], padding: 'valid' },
        { x: [3, 7, 2], window: [3], strides: [1], padding: 'same' },
        { x: [1, 7, 5, 3], window: [3, 2], strides: [2, 1], padding: 'same' },
        { x: [2, 5, 5, 1], window: [3, 3], strides: [2, 2], padding: [[1, 2], [2, 0]] },
        { x: [1, 1, 1, 1], window: [1, 1], strides: [1, 1], padding: 'valid' },
        { x: [1, 3, 5, 4, 2], window: [2, 3, 2], strides: [1, 2, 2], padding: 'same' },
        { x: [1, 4, 3, 3, 1], window: [2, 2, 2], strides: [1, 1, 1], padding: 1 },
      ];
      for (const c of cases) {
        const dims = c.window.length as 1 | 2 | 3;
        const x = randomArr(rng, c.x);
        const pads = padsFor(c.padding, c.x.slice(1, dims + 1), c.window, c.strides);
        for (const kind of ['max', 'avg', 'l2', 'sum'] as const) {
          const ref = poolRef(x, kind, { window: c.window, strides: c.strides, pads }).y;
          const label = `${kind} ${JSON.stringify(c)}`;
          run(() => {
            expectClose(fns[kind][dims](t64(x), { poolSize: c.window, strides: c.strides, padding: c.padding }), ref, TOL64, label);
            expectClose(fns[kind][dims](t32(x), { poolSize: c.window, strides: c.strides, padding: c.padding }), poolRef(rounded(x), kind, { window: c.window, strides: c.strides, pads }).y, TOL32, `${label} float32`);
          });
        }
      }
    });

    it('sum pooling by hand: padded positions add nothing', () => {
      // x = [1..5] as [1, 5, 1]; window 3, stride 2, padding 1: windows {pad,1,2}, {2,3,4}, {4,5,pad}.
      const y = run(() => values(hb.sumPool1d(hb.tensor([1, 2, 3, 4, 5], [1, 5, 1], 'float64'), { poolSize: 3, strides: 2, padding: 1 })));
      expect(y).toEqual([3, 9, 9]);
    });

    it('localResponseNormalization matches TensorFlow\'s formula on odd channel counts', () => {
      const rng = new Prng(109);
      // out[…, d] = x[…, d] / (bias + alpha · Σ_{|d'−d| ≤ r, 0 ≤ d' < C} x[…, d']²)^beta
      const lrnRef = (x: Arr, r: number, bias: number, alpha: number, beta: number): Arr => {
        const C = x.shape[3];
        const data = x.data.map((v, i) => {
          const base = i - (i % C);
          let sqrSum = 0;
          for (let d = Math.max(i % C - r, 0); d <= Math.min(i % C + r, C - 1); d++) sqrSum += x.data[base + d] ** 2;
          return v / (bias + alpha * sqrSum) ** beta;
        });
        return { shape: x.shape, data };
      };
      const cases: { x: number[]; o: Required<hb.LocalResponseNormalizationOptions> }[] = [
        { x: [2, 3, 5, 7], o: { depthRadius: 5, bias: 1, alpha: 1, beta: 0.5 } },
        { x: [1, 1, 1, 1], o: { depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 } },
        { x: [1, 2, 3, 33], o: { depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 } },
        { x: [3, 1, 7, 13], o: { depthRadius: 0, bias: 0.5, alpha: 3, beta: 1 } },
        { x: [1, 3, 3, 9], o: { depthRadius: 3, bias: 1.5, alpha: 0.2, beta: 2 } },
      ];
      for (const c of cases) {
        const x = randomArr(rng, c.x, -2, 2);
        const { depthRadius: r, bias, alpha, beta } = c.o;
        const label = JSON.stringify(c);
        run(() => {
          expectClose(hb.localResponseNormalization(t64(x), c.o), lrnRef(x, r, bias, alpha, beta), TOL64, label);
          expectClose(hb.localResponseNormalization(t32(x), c.o), lrnRef(rounded(x), r, bias, alpha, beta), TOL32, `${label} float32`);
        });
      }
      // The defaults are TensorFlow's: depthRadius 5, bias 1, alpha 1, beta 0.5.
      const x = randomArr(rng, [1, 2, 2, 11]);
      run(() => expectClose(hb.localResponseNormalization(t64(x)), lrnRef(x, 5, 1, 1, 0.5), TOL64, 'defaults'));
    });

    it('reductions over every axis form match the reference', () => {
      const rng = new Prng(107);
      const x = randomArr(rng, [3, 1, 7, 5], -3, 3);
      const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      const variance = (v: number[]): number => mean(v.map((u) => (u - mean(v)) ** 2));
      const refs: [string, (t: Tensor, axis: number[] | undefined, keep: boolean) => Tensor, (v: number[]) => number][] = [
        ['sum', hb.sum, (v) => v.reduce((a, b) => a + b, 0)],
        ['mean', hb.mean, mean],
        ['max', hb.max, (v) => Math.max(...v)],
        ['min', hb.min, (v) => Math.min(...v)],
        ['variance', hb.variance, variance],
        ['std', hb.std, (v) => Math.sqrt(variance(v))],
        ['logSumExp', hb.logSumExp, (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0))],
      ];
      const axesList: (number[] | undefined)[] = [[0], [1], [2], [3], [0, 2], [1, 3], [0, 1, 3], [0, 1, 2, 3], undefined];
      for (const [name, op, f] of refs) {
        for (const axes of axesList) {
          const ref = reduceRef(x, axes ?? [0, 1, 2, 3], f);
          for (const keep of [true, false]) {
            const shape = keep ? ref.shape : ref.shape.filter((_, i) => !(axes ?? [0, 1, 2, 3]).includes(i));
            run(() => expectClose(op(t64(x), axes, keep), { shape, data: ref.data }, TOL64, `${name} ${JSON.stringify(axes)} keep=${keep}`));
          }
        }
        // Negative axes name the same axes.
        run(() => expect(values(op(t64(x), [-1, -4], false))).toEqual(values(op(t64(x), [0, 3], false))));
      }
    });

    it('softmax and logSoftmax match exp(x)/Σexp(x) on every axis', () => {
      const rng = new Prng(108);
      const x = randomArr(rng, [3, 7, 2], -4, 4);
      for (const axis of [0, 1, 2, -1]) {
        const a = (axis + 3) % 3;
        const sums = reduceRef(x, [a], (v) => v.reduce((p, q) => p + Math.exp(q), 0));
        const ref = { shape: x.shape, data: x.data.map((v, i) => {
          const idx = [Math.floor(i / 14), Math.floor(i / 2) % 7, i % 2];
          idx[a] = 0;
          return Math.exp(v) / sums.data[(idx[0] * sums.shape[1] + idx[1]) * sums.shape[2] + idx[2]];
        }) };
        run(() => {
          expectClose(hb.softmax(t64(x), axis), ref, TOL64, `softmax axis ${axis}`);
          expectClose(hb.logSoftmax(t64(x), axis), { shape: ref.shape, data: ref.data.map(Math.log) }, TOL64, `logSoftmax axis ${axis}`);
        });
      }
    });
  });

  describe(`dtype rules on ${backend}`, () => {
    it('int32 arithmetic stays int32; weak scalars follow the tensor', () => {
      const r = run(() => {
        const a = hb.tensor([7, -7, 2], [3], 'int32');
        const b = hb.tensor([2, 2, 3], [3], 'int32');
        return {
          add: hb.add(a, b), sub: hb.sub(a, b), mul: hb.mul(a, b), neg: hb.neg(a), addInt: hb.add(a, 1), addFloat: hb.add(a, 1.5),
          addF32: hb.add(a, hb.tensor([0.5, 0.5, 0.5])), mod: hb.mod(a, b), max: hb.maximum(a, b), sum: hb.sum(a), maxR: hb.max(a),
          matmul: hb.matmul(hb.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), hb.tensor([[5], [6]], [2, 1], 'int32')),
          floor: hb.floor(a), abs: hb.abs(a), square: hb.square(b),
        };
      });
      for (const k of ['add', 'sub', 'mul', 'neg', 'addInt', 'mod', 'max', 'sum', 'maxR', 'matmul', 'floor', 'abs', 'square'] as const) expect(r[k].dtype, k).toBe('int32');
      expect(r.add.toArray()).toEqual([9, -5, 5]);
      expect(r.sub.toArray()).toEqual([5, -9, -1]);
      expect(r.mul.toArray()).toEqual([14, -14, 6]);
      expect(r.neg.toArray()).toEqual([-7, 7, -2]);
      expect(r.addInt.toArray()).toEqual([8, -6, 3]);
      expect(r.mod.toArray()).toEqual([1, 1, 2]);
      expect(r.max.toArray()).toEqual([7, 2, 3]);
      expect(r.sum.item()).toBe(2);
      expect(r.maxR.item()).toBe(7);
      expect(r.matmul.toArray()).toEqual([[17], [39]]);
      expect(r.floor.toArray()).toEqual([7, -7, 2]);
      expect(r.abs.toArray()).toEqual([7, 7, 2]);
      expect(r.square.toArray()).toEqual([4, 4, 9]);
      expect(r.addFloat.dtype).toBe('float32');
      expect(r.addFloat.toArray()).toEqual([8.5, -5.5, 3.5]);
      expect(r.addF32.dtype).toBe('float32');
    });

    it('int32 multiplication wraps around as 32-bit integers do', () => {
      const r = run(() => hb.mul(hb.tensor([65536, 46341], [2], 'int32'), hb.tensor([65536, 46341], [2], 'int32')).toArray());
      expect(r).toEqual([0, (46341 * 46341) | 0]);
    });

    it('div of int32 gives float32; unary math on int32 gives float32', () => {
      const r = run(() => ({
        div: hb.div(hb.tensor([7, -7], [2], 'int32'), hb.tensor([2, 2], [2], 'int32')),
        exp: hb.exp(hb.tensor([0, 1], [2], 'int32')),
        sqrt: hb.sqrt(hb.tensor([4, 9], [2], 'int32')),
        mean: hb.mean(hb.tensor([1, 2], [2], 'int32')),
      }));
      expect(r.div.dtype).toBe('float32');
      expect(r.div.toArray()).toEqual([3.5, -3.5]);
      expect(r.exp.dtype).toBe('float32');
      expect(r.exp.toArray()).toEqual([1, Math.fround(Math.E)]);
      expect(r.sqrt.toArray()).toEqual([2, 3]);
      expect(r.mean.dtype).toBe('float32');
      expect(r.mean.item()).toBe(1.5);
    });

    it('float promotion: float32 with float64 gives float64; default dtype is float32', () => {
      const r = run(() => ({
        plain: hb.tensor([1, 2]).dtype,
        mixed: hb.add(hb.tensor([1, 2]), hb.tensor([0.5, 0.5], [2], 'float64')).dtype,
        weak: hb.mul(hb.tensor([1], [1], 'float64'), 2.5).dtype,
        bools: hb.tensor([true, false]).dtype,
      }));
      expect(r).toEqual({ plain: 'float32', mixed: 'float64', weak: 'float64', bools: 'bool' });
    });

    it('comparisons give bool; sum of bool gives int32; mean of bool float32', () => {
      const r = run(() => {
        const a = hb.tensor([1, 2, 3, 4]);
        const b = hb.tensor([4, 2, 1, 4]);
        const gt = hb.greater(a, b);
        return {
          gt, eq: hb.equal(a, b), ne: hb.notEqual(a, b), ge: hb.greaterEqual(a, b), lt: hb.less(a, b), le: hb.lessEqual(a, b),
          intCmp: hb.less(hb.tensor([1, 5], [2], 'int32'), 3),
          sum: hb.sum(gt), mean: hb.mean(gt), and: hb.logicalAnd(gt, hb.tensor([true, true, false, false])),
          or: hb.logicalOr(gt, hb.tensor([true, false, false, false])), not: hb.logicalNot(gt),
          any: hb.any(gt), all: hb.all(gt), nan: hb.isNaN(hb.tensor([NaN, 1])), fin: hb.isFinite(hb.tensor([Infinity, 1, NaN])),
        };
      });
      for (const k of ['gt', 'eq', 'ne', 'ge', 'lt', 'le', 'intCmp', 'and', 'or', 'not', 'any', 'all', 'nan', 'fin'] as const) expect(r[k].dtype, k).toBe('bool');
      expect(r.gt.toArray()).toEqual([false, false, true, false]);
      expect(r.eq.toArray()).toEqual([false, true, false, true]);
      expect(r.ne.toArray()).toEqual([true, false, true, false]);
      expect(r.ge.toArray()).toEqual([false, true, true, true]);
      expect(r.lt.toArray()).toEqual([true, false, false, false]);
      expect(r.le.toArray()).toEqual([true, true, false, true]);
      expect(r.intCmp.toArray()).toEqual([true, false]);
      expect(r.sum.dtype).toBe('int32');
      expect(r.sum.item()).toBe(1);
      expect(r.mean.dtype).toBe('float32');
      expect(r.mean.item()).toBe(0.25);
      expect(r.and.toArray()).toEqual([false, false, false, false]);
      expect(r.or.toArray()).toEqual([true, false, true, false]);
      expect(r.not.toArray()).toEqual([true, true, false, true]);
      expect(r.any.toArray()).toBe(true);
      expect(r.all.toArray()).toBe(false);
      expect(r.nan.toArray()).toEqual([true, false]);
      expect(r.fin.toArray()).toEqual([false, true, false]);
    });

    it('cast: float → int32 truncates toward zero, anything → bool is "nonzero"', () => {
      const r = run(() => ({
        int: hb.cast(hb.tensor([-1.7, 1.7, 2.5, -0.2]), 'int32').toArray(),
        bool: hb.cast(hb.tensor([0, -0.5, 2]), 'bool').toArray(),
        back: hb.cast(hb.tensor([true, false]), 'float32').toArray(),
        f64: hb.cast(hb.tensor([0.1]), 'float64').item(),
      }));
      expect((r.int as number[]).map((v) => v + 0)).toEqual([-1, 1, 2, 0]);
      expect(r.bool).toEqual([false, true, true]);
      expect(r.back).toEqual([1, 0]);
      expect(r.f64).toBe(Math.fround(0.1)); // widening keeps the float32 value exactly
    });

    it('bool arithmetic is refused; bool next to a number is promoted', () => {
      run(() => {
        const b = hb.tensor([true, false]);
        expect(() => hb.add(b, b)).toThrow(hb.DTypeError);
        expect(() => hb.neg(b)).toThrow(hb.DTypeError);
        expect(() => hb.matmul(b, b)).toThrow(hb.DTypeError);
        expect(() => hb.logicalAnd(hb.tensor([1, 0]), b)).toThrow(hb.DTypeError);
        const plus = hb.add(b, 1);
        expect(plus.dtype).toBe('int32');
        expect(plus.toArray()).toEqual([2, 1]);
      });
    });

    it('where keeps the branch dtype; gather keeps int32', () => {
      const r = run(() => ({
        where: hb.where(hb.tensor([true, false]), hb.tensor([1, 2], [2], 'int32'), hb.tensor([3, 4], [2], 'int32')),
        gather: hb.gather(hb.tensor([5, 6, 7], [3], 'int32'), [2, 0]),
      }));
      expect(r.where.dtype).toBe('int32');
      expect(r.where.toArray()).toEqual([1, 4]);
      expect(r.gather.dtype).toBe('int32');
      expect(r.gather.toArray()).toEqual([7, 5]);
    });
  });
}
