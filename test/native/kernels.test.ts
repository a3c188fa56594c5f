// Every native kernel against the reference cpu backend, on random data at odd sizes, with one
// thread and with two. Sizes straddle the point where a primitive goes multi-threaded (2^17
// multiply-adds) and where unary ops switch to oneDNN's eltwise (4096 elements), so both paths
// of each are compared. Each case also asserts that the addon (not the reference loop) ran it.
import { afterAll, describe, expect, it } from 'vitest';
import type { BinaryOp, ConvAttrs, KernelAttrs, PoolAttrs, ReduceOp, UnaryOp } from '../../src/backend/index.js';
import type { TypedArray } from '../../src/base/index.js';
import { ValueError } from '../../src/base/index.js';
import { cpu, expectClose, type Input, input, type OutputSpec, random, Rng, runOn } from '../wasm/helpers.js';
import { type CompareSequence, expectSequenceClose, recurrentParityCases } from '../wasm/recurrent-cases.js';
import { compareNative, native, skipNote } from './helpers.js';

const UNARY_OPS: UnaryOp[] = ['neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'sigmoid', 'tanh', 'log1p', 'expm1', 'erf', 'sin', 'cos', 'floor', 'ceil', 'round', 'logicalNot', 'isNaN'];
const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'logicalAnd', 'logicalOr'];
const TO_BOOL = new Set<string>(['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'logicalAnd', 'logicalOr', 'logicalNot', 'isNaN']);
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 0.5, 1.5, 2.5, -2.5, -0.5, 1e-8, 3e38, -7, 40, 1, -1];
const none: [number, number] = [0, 0];

/** ⌊(n + pads − ((k − 1)·d + 1)) / s⌋ + 1 */
function outSize(n: number, k: number, s: number, d: number, p: [number, number]): number {
  return Math.floor((n + p[0] + p[1] - ((k - 1) * d + 1)) / s) + 1;
}

/** x [N,D,H,W,C], kernel [KD,KH,KW], input channels per group, filters, attributes. */
type ConvCase = [string, [number, number, number, number, number], [number, number, number], number, number, ConvAttrs];
const conv2d = (s: number, d: number, pads: [[number, number], [number, number]], groups = 1): ConvAttrs => ({ strides: [1, s, s], dilations: [1, d, d], pads: [none, ...pads], groups });
const CONV_CASES: ConvCase[] = [
  ['LeNet C1: 1 channel, 5x5', [3, 1, 28, 28, 1], [1, 5, 5], 1, 6, conv2d(1, 1, [none, none])],
  ['LeNet C3: 6 → 16, 5x5', [3, 1, 14, 14, 6], [1, 5, 5], 6, 16, conv2d(1, 1, [none, none])],
  ['3x3 same, 64 → 64 (multi-threaded)', [1, 1, 9, 9, 64], [1, 3, 3], 64, 64, conv2d(1, 1, [[1, 1], [1, 1]])],
  ['stride 2, asymmetric pad, odd sizes', [2, 1, 9, 7, 5], [1, 3, 2], 5, 7, { strides: [1, 2, 2], dilations: [1, 1, 1], pads: [none, [0, 1], [1, 0]], groups: 1 }],
  ['dilation 2, stride 3', [2, 1, 13, 12, 3], [1, 3, 3], 3, 4, { strides: [1, 3, 2], dilations: [1, 2, 2], pads: [none, [2, 2], [2, 1]], groups: 1 }],
  ['groups 3', [1, 1, 9, 9, 9], [1, 3, 3], 3, 6, conv2d(2, 1, [[1, 1], [1, 1]], 3)],
  ['depthwise', [2, 1, 7, 8, 9], [1, 3, 3], 1, 9, conv2d(1, 1, [[1, 1], [1, 1]], 9)],
  ['depthwise multiplier 2', [2, 1, 6, 6, 3], [1, 3, 3], 1, 6, conv2d(1, 1, [[1, 1], [1, 1]], 3)],
  ['1x1 pointwise', [2, 1, 5, 7, 33], [1, 1, 1], 33, 17, conv2d(1, 1, [none, none])],
  ['1-D k5 stride 2', [3, 1, 1, 33, 4], [1, 1, 5], 4, 6, { strides: [1, 1, 2], dilations: [1, 1, 1], pads: [none, none, [2, 2]], groups: 1 }],
  ['3-D 2x3x3 with depth padding and dilation', [2, 5, 6, 7, 3], [2, 3, 3], 3, 4, { strides: [1, 2, 1], dilations: [2, 1, 1], pads: [[1, 0], [1, 1], [0, 2]], groups: 1 }],
  ['3-D planes (depth kernel 1, depth stride 2)', [2, 5, 7, 9, 3], [1, 2, 3], 3, 5, { strides: [2, 1, 2], dilations: [1, 1, 1], pads: [none, [1, 1], [2, 0]], groups: 1 }],
  ['padding wider than the kernel', [1, 1, 4, 5, 2], [1, 2, 2], 2, 3, conv2d(1, 1, [[3, 2], [2, 3]])],
];

/** x [N,D,H,W,C], window, strides, pads. */
type PoolCase = [string, [number, number, number, number, number], Omit<PoolAttrs, 'op'>];
const POOL_CASES: PoolCase[] = [
  ['2x2 stride 2 (LeNet)', [2, 1, 28, 28, 6], { window: [1, 2, 2], strides: [1, 2, 2], pads: [none, none, none] }],
  ['2x2 stride 2, odd sizes, 5 channels', [3, 1, 9, 11, 5], { window: [1, 2, 2], strides: [1, 2, 2], pads: [none, none, none] }],
  ['2x2 stride 2, 16 channels (multi-threaded)', [64, 1, 32, 32, 16], { window: [1, 2, 2], strides: [1, 2, 2], pads: [none, none, none] }],
  ['2x2 stride 2, 32 channels', [3, 1, 6, 10, 32], { window: [1, 2, 2], strides: [1, 2, 2], pads: [none, none, none] }],
  ['2x2 stride 2, 64 channels, odd height', [2, 1, 5, 4, 64], { window: [1, 2, 2], strides: [1, 2, 2], pads: [none, none, none] }],
  ['3x3 stride 2 same pad', [1, 1, 7, 9, 5], { window: [1, 3, 3], strides: [1, 2, 2], pads: [none, [1, 1], [1, 1]] }],
  ['3x3 stride 1 asymmetric pad', [2, 1, 5, 6, 8], { window: [1, 3, 3], strides: [1, 1, 1], pads: [none, [0, 2], [1, 1]] }],
  ['1-D window 3', [3, 1, 1, 33, 1], { window: [1, 1, 3], strides: [1, 1, 3], pads: [none, none, none] }],
  ['3-D 2x2x2', [2, 4, 5, 6, 4], { window: [2, 2, 2], strides: [2, 2, 2], pads: [none, [0, 1], none] }],
  ['global 7x7, 64 channels (multi-threaded)', [8, 1, 7, 7, 64], { window: [1, 7, 7], strides: [1, 7, 7], pads: [none, none, none] }],
];

/**
 * Run a batch-norm kernel on native and cpu; each output must match to 1e-5 of 1 + |expected|
 * (y and dx are O(1) where x − μ cancels: an error relative to |expected| alone would ask for
 * more digits than the float32 terms have). Returns cpu's outputs.
 */
function compareBatchNorm<K extends 'batchNormTraining' | 'batchNormTrainingGrad'>(kernel: K, ins: Input[], outs: OutputSpec[], attrs: KernelAttrs[K], what: string): TypedArray[] {
  const before = native!.counts.native;
  const got = runOn(native!, kernel, ins, outs, attrs);
  expect(native!.counts.native, `${what}: ran on the addon`).toBe(before + 1);
  const want = runOn(cpu, kernel, ins, outs, attrs);
  want.forEach((w, i) => expectClose(got[i], w, 'float32', { rtol: 1e-5, scale: Array.from(w, (v) => 1 + Math.abs(v)) }, `${what} output ${i}`));
  return want;
}

describe.skipIf(!native)(`native kernels = cpu${skipNote}`, () => {
  afterAll(() => native?.setThreads(2));

  for (const threads of [1, 2]) {
    describe(`${threads} thread${threads > 1 ? 's' : ''}`, () => {
      const rng = new Rng(4321 + threads);
      const setUp = (): void => native?.setThreads(threads);

      it('unary: every op, below and above the eltwise threshold, and special values', () => {
        setUp();
        for (const op of UNARY_OPS) {
          const dtype = TO_BOOL.has(op) ? 'bool' : 'float32';
          for (const shape of [[1], [7, 33], [5000]]) {
            // oneDNN's exp/log/tanh/logistic are within a few ulp of the float64 reference.
            expect(compareNative('unary', [random(rng, shape)], [{ shape, dtype }], { op }, { rtol: 4e-7, what: `${op} ${shape}` })).toBe(true);
          }
          compareNative('unary', [input([SPECIALS.length], 'float32', SPECIALS)], [{ shape: [SPECIALS.length], dtype }], { op }, { rtol: 4e-7, what: `${op} specials` });
          const big = Array.from({ length: 4200 }, (_, i) => SPECIALS[i % SPECIALS.length]);
          compareNative('unary', [input([big.length], 'float32', big)], [{ shape: [big.length], dtype }], { op }, { rtol: 4e-7, what: `${op} specials (eltwise)` });
        }
      });

      it('binary: every op, broadcast on either side, special values', () => {
        setUp();
        const patterns: [number[], number[], number[]][] = [
          [[7, 33], [7, 33], [7, 33]], [[257], [], [257]], [[], [33], [33]], [[7, 33], [33], [7, 33]], [[7, 33], [7, 1], [7, 33]],
          [[7, 1], [1, 33], [7, 33]], [[2, 1, 5, 3], [4, 1, 3], [2, 4, 5, 3]], [[300, 130], [130], [300, 130]],
          // A short row repeated on either side (a bias over channels-last data: the tiled path).
          [[6], [901, 6], [901, 6]], [[901, 6], [6], [901, 6]], [[33], [7, 33], [7, 33]],
        ];
        for (const op of BINARY_OPS) {
          const dtype = TO_BOOL.has(op) ? 'bool' : 'float32';
          for (const [sa, sb, sy] of patterns) {
            expect(compareNative('binary', [random(rng, sa), random(rng, sb)], [{ shape: sy, dtype }], { op }, { what: `${op} ${sa}·${sb}` })).toBe(true);
          }
          const n = SPECIALS.length;
          compareNative('binary', [input([n, 1], 'float32', SPECIALS), input([1, n], 'float32', SPECIALS)], [{ shape: [n, n], dtype }], { op }, { what: `${op} specials` });
        }
      });

      it('where and broadcastTo (broadcast)', () => {
        setUp();
        expect(compareNative('where', [random(rng, [7, 33], 'bool'), random(rng, [7, 33]), random(rng, [7, 33])], [{ shape: [7, 33], dtype: 'float32' }], {})).toBe(true);
        compareNative('where', [random(rng, [300, 130], 'bool'), random(rng, []), random(rng, [300, 130])], [{ shape: [300, 130], dtype: 'float32' }], {});
        compareNative('where', [random(rng, [7, 1], 'bool'), random(rng, [33]), random(rng, [])], [{ shape: [7, 33], dtype: 'float32' }], {});
        expect(compareNative('broadcastTo', [random(rng, [3, 1, 5])], [{ shape: [2, 3, 4, 5], dtype: 'float32' }], {})).toBe(true);
        compareNative('broadcastTo', [random(rng, [1, 130])], [{ shape: [300, 130], dtype: 'float32' }], {});
        compareNative('broadcastTo', [random(rng, [7, 1])], [{ shape: [7, 33], dtype: 'float32' }], {});
      });

      it('reduce: sum, max, min, argmax, argmin over every view, NaN first', () => {
        setUp();
        const views: [number, number, number][] = [[1, 1, 1], [1, 257, 1], [7, 33, 5], [1, 7, 33], [2, 0, 3], [300, 130, 1], [1, 300, 130]];
        for (const op of ['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceOp[]) {
          const dtype = op.startsWith('arg') ? 'int32' : 'float32';
          for (const [outer, size, inner] of views) {
            if (size === 0 && op.startsWith('arg')) continue;
            const ran = compareNative('reduce', [random(rng, [outer, size, inner])], [{ shape: [outer, inner], dtype }], { op, outer, size, inner }, { bound: op === 'sum', what: `${op} ${outer}x${size}x${inner}` });
            expect(ran).toBe(true);
          }
          const withNaN = input([2, 5, 3], 'float32', [1, 2, NaN, 4, 5, NaN, 7, 8, 9, 10, 11, 12, 13, 14, 15, 5, 5, 5, -Infinity, 6, 6, NaN, 1, 9, 9, 9, 9, 0, 0, 0]);
          compareNative('reduce', [withNaN], [{ shape: [2, 3], dtype }], { op, outer: 2, size: 5, inner: 3 }, { what: `${op} NaN` });
        }
      });

      it('scatterAdd (duplicates add up); an index out of range throws the reference ValueError', () => {
        setUp();
        expect(compareNative('scatterAdd', [random(rng, [6, 5]), input([6], 'int32', [2, 0, 2, 6, 2, 1])], [{ shape: [7, 5], dtype: 'float32' }], { axis: 0 })).toBe(true);
        compareNative('scatterAdd', [random(rng, [3, 4, 33]), input([4], 'int32', [1, 1, 0, 4])], [{ shape: [3, 5, 33], dtype: 'float32' }], { axis: 1 });
        compareNative('scatterAdd', [random(rng, [40000]), input([40000], 'int32', Array.from({ length: 40000 }, (_, i) => (i * 7) % 1001))], [{ shape: [1001], dtype: 'float32' }], { axis: 0 });
        expect(() => runOn(native!, 'scatterAdd', [random(rng, [2, 5]), input([2], 'int32', [0, 9])], [{ shape: [3, 5], dtype: 'float32' }], { axis: 0 })).toThrow(ValueError);
      });

      it('matmul: every transpose case, shared and batched operands, small and large', () => {
        setUp();
        const sizes: [number, number, number][] = [[1, 1, 1], [7, 33, 5], [33, 7, 257], [130, 257, 67], [9, 1, 300]];
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            for (const [M, K, N] of sizes) {
              for (const [Ba, Bb] of [[1, 1], [3, 3], [3, 1], [1, 3]]) {
                const a = random(rng, ta ? [Ba, K, M] : [Ba, M, K]);
                const b = random(rng, tb ? [Bb, N, K] : [Bb, K, N]);
                const ran = compareNative('matmul', [a, b], [{ shape: [Math.max(Ba, Bb), M, N], dtype: 'float32' }], { transposeA: ta, transposeB: tb }, { bound: true, what: `matmul ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${M}x${K}x${N} batch ${Ba},${Bb}` });
                expect(ran).toBe(true);
              }
            }
          }
        }
        compareNative('matmul', [random(rng, [1, 3, 0]), random(rng, [1, 0, 4])], [{ shape: [1, 3, 4], dtype: 'float32' }], { transposeA: false, transposeB: false }, { what: 'K = 0' });
      });

      it('convolution forward and both backward passes', () => {
        setUp();
        for (const [name, x, [KD, KH, KW], cin, f, a] of CONV_CASES) {
          const [N, D, H, W, C] = x;
          const y = [N, outSize(D, KD, a.strides[0], a.dilations[0], a.pads[0]), outSize(H, KH, a.strides[1], a.dilations[1], a.pads[1]), outSize(W, KW, a.strides[2], a.dilations[2], a.pads[2]), f];
          const w = [KD, KH, KW, cin, f];
          const xs = random(rng, x);
          const ws = random(rng, w);
          expect(compareNative('conv', [xs, ws], [{ shape: y, dtype: 'float32' }], a, { bound: true, what: `conv ${name}` }), name).toBe(true);
          expect(compareNative('convBackpropInput', [random(rng, y), ws], [{ shape: [N, D, H, W, C], dtype: 'float32' }], a, { bound: true, what: `convBackpropInput ${name}` }), name).toBe(true);
          expect(compareNative('convBackpropFilter', [xs, random(rng, y)], [{ shape: w, dtype: 'float32' }], a, { bound: true, what: `convBackpropFilter ${name}` }), name).toBe(true);
        }
      });

      it('pooling: max (with and without argmax), average and its gradient; ties and NaN as the reference', () => {
        setUp();
        for (const [name, x, attrs] of POOL_CASES) {
          const [N, D, H, W, C] = x;
          const y = [N, outSize(D, attrs.window[0], attrs.strides[0], 1, attrs.pads[0]), outSize(H, attrs.window[1], attrs.strides[1], 1, attrs.pads[1]), outSize(W, attrs.window[2], attrs.strides[2], 1, attrs.pads[2]), C];
          const xs = random(rng, x);
          expect(compareNative('pool', [xs], [{ shape: y, dtype: 'float32' }, { shape: y, dtype: 'int32' }], { op: 'max', ...attrs }, { what: `max pool ${name}` })).toBe(true);
          compareNative('pool', [xs], [{ shape: y, dtype: 'float32' }], { op: 'max', ...attrs }, { what: `max pool without argmax ${name}` });
          expect(compareNative('pool', [xs], [{ shape: y, dtype: 'float32' }], { op: 'avg', ...attrs }, { bound: true, what: `avg pool ${name}` })).toBe(true);
          expect(compareNative('avgPoolBackprop', [random(rng, y)], [{ shape: x, dtype: 'float32' }], { op: 'avg', ...attrs }, { bound: true, what: `avgPoolBackprop ${name}` })).toBe(true);
          // Max pooling's adjoint at the reference's argmax (ties from a few distinct values, so repeated maxima occur).
          const few = input(x, 'float32', Array.from(xs.data, (v) => Math.round(v)));
          const [, argmax] = runOn(cpu, 'pool', [few], [{ shape: y, dtype: 'float32' }, { shape: y, dtype: 'int32' }], { op: 'max', ...attrs });
          expect(compareNative('maxPoolBackprop', [random(rng, y), input(y, 'int32', argmax)], [{ shape: x, dtype: 'float32' }], { op: 'max', ...attrs }, { bound: true, what: `maxPoolBackprop ${name}` })).toBe(true);
        }
        const x = input([1, 1, 2, 4, 2], 'float32', [1, 5, 1, NaN, 3, 5, 0, 2, 1, 5, 1, 1, 3, 5, NaN, 1]);
        const attrs: PoolAttrs = { op: 'max', window: [1, 2, 2], strides: [1, 2, 2], pads: [none, none, none] };
        compareNative('pool', [x], [{ shape: [1, 1, 1, 2, 2], dtype: 'float32' }, { shape: [1, 1, 1, 2, 2], dtype: 'int32' }], attrs, { what: 'ties and NaN' });
        // An argmax outside x: the reference's ValueError.
        expect(() => runOn(native!, 'maxPoolBackprop', [random(rng, [1, 1, 1, 2, 2]), input([1, 1, 1, 2, 2], 'int32', [0, 1, 16, 3])], [{ shape: [1, 1, 2, 4, 2], dtype: 'float32' }], attrs)).toThrow(ValueError);
        // The same with 16 channels as one vector and a 17th on its own: values from {0, 1, 2, NaN}, so most windows tie.
        const tied = input([2, 1, 4, 6, 17], 'float32', Array.from({ length: 2 * 4 * 6 * 17 }, () => [0, 1, 2, NaN][Math.floor(rng.next() * 4)]));
        expect(compareNative('pool', [tied], [{ shape: [2, 1, 2, 3, 17], dtype: 'float32' }, { shape: [2, 1, 2, 3, 17], dtype: 'int32' }], attrs, { what: 'ties and NaN, vectors of 16 channels' })).toBe(true);
        // Without indices (the 2×2 loop): NaN anywhere in a window, ±∞, and −0 against +0.
        const specials = input([1, 1, 2, 4, 3], 'float32', [NaN, 1, -0, -Infinity, 2, 0, 3, NaN, -1, 4, 4, -Infinity, 1, 5, 0, -Infinity, -Infinity, -Infinity, 2, 3, NaN, Infinity, 1, -Infinity]);
        compareNative('pool', [specials], [{ shape: [1, 1, 1, 2, 3], dtype: 'float32' }], attrs, { what: 'specials without indices' });
      });

      it('fusedMatmul and fusedConv: bias and every activation in the primitive (post-ops), with and without a bias', () => {
        setUp();
        for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
          // Saturating activations: the output error is at most the pre-activation's, which scales with the sum's terms.
          const rtol = activation === 'sigmoid' || activation === 'tanh' ? 1e-4 : undefined;
          for (const bias of [true, false]) {
            for (const [M, K, N] of [[1, 1, 1], [7, 33, 5], [100, 257, 67], [9, 1, 300]] as [number, number, number][]) {
              const ins = [random(rng, [1, M, K]), random(rng, [1, K, N]), ...(bias ? [random(rng, [N])] : [])];
              const ran = compareNative('fusedMatmul', ins, [{ shape: [1, M, N], dtype: 'float32' }], { bias, activation }, { bound: true, rtol, what: `fusedMatmul ${activation} bias ${bias} ${M}x${K}x${N}` });
              expect(ran).toBe(true);
            }
            for (const [name, x, [KD, KH, KW], cin, f, a] of CONV_CASES.filter((_, i) => i % 2 === 0 || i < 2)) {
              const [N, D, H, W] = x;
              const y = [N, outSize(D, KD, a.strides[0], a.dilations[0], a.pads[0]), outSize(H, KH, a.strides[1], a.dilations[1], a.pads[1]), outSize(W, KW, a.strides[2], a.dilations[2], a.pads[2]), f];
              const ins = [random(rng, x), random(rng, [KD, KH, KW, cin, f]), ...(bias ? [random(rng, [f])] : [])];
              const ran = compareNative('fusedConv', ins, [{ shape: y, dtype: 'float32' }], { ...a, bias, activation }, { bound: true, rtol, what: `fusedConv ${activation} bias ${bias} ${name}` });
              expect(ran, name).toBe(true);
            }
          }
        }
        // One-channel images (our own loop for linear and relu; oneDNN for the rest): 'same' and
        // asymmetric padding, 4/6/8 filters, the widest row (32), a batch split over the threads,
        // and NaN in the input.
        const oneChannel: [number[], [number, number], number, [number, number][]][] = [
          [[70, 1, 28, 28, 1], [5, 5], 6, [[2, 2], [2, 2]]],
          [[2, 1, 9, 13, 1], [3, 2], 4, [[1, 0], [0, 1]]],
          [[3, 1, 30, 32, 1], [7, 7], 8, [[3, 3], [3, 3]]],
          [[2, 1, 8, 8, 1], [3, 3], 6, [[0, 0], [0, 0]]],
        ];
        for (const [x, [KH, KW], f, [ph, pw]] of oneChannel) {
          const a: ConvAttrs = { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [none, ph, pw], groups: 1 };
          const y = [x[0], 1, outSize(x[2], KH, 1, 1, ph), outSize(x[3], KW, 1, 1, pw), f];
          const xs = random(rng, x);
          xs.data[7] = NaN;
          for (const activation of ['linear', 'relu', 'tanh'] as const) {
            for (const bias of [true, false]) {
              const ins = [xs, random(rng, [1, KH, KW, 1, f]), ...(bias ? [random(rng, [f])] : [])];
              const what = `fusedConv one channel ${x.join('x')} k${KH}x${KW} f${f} ${activation} bias ${bias}`;
              expect(compareNative('fusedConv', ins, [{ shape: y, dtype: 'float32' }], { ...a, bias, activation }, { bound: true, rtol: activation === 'tanh' ? 1e-4 : undefined, what }), what).toBe(true);
              // (tanh goes to oneDNN, whose cached primitive does not rename the last implementation.)
              if (activation !== 'tanh') expect(native!.addon.lastImplementation(), what).toBe('hebb:conv1ch');
            }
          }
        }
        // NaN and infinities through the epilogue as through add then the activation.
        const specials = input([1, 2, SPECIALS.length / 2], 'float32', SPECIALS);
        for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
          compareNative('fusedMatmul', [input([1, 1, 2], 'float32', [1, 0]), specials, input([SPECIALS.length / 2], 'float32', SPECIALS.slice(0, SPECIALS.length / 2).map((v) => (Number.isFinite(v) ? 0.5 : 0)))], [{ shape: [1, 1, SPECIALS.length / 2], dtype: 'float32' }], { bias: true, activation }, { rtol: 4e-7, what: `fusedMatmul specials ${activation}` });
        }
      });

      it('softmax and log-softmax along rows; other views and specials as the reference', () => {
        setUp();
        for (const log of [false, true]) {
          for (const [outer, size] of [[1, 1], [100, 10], [7, 33], [3, 4097], [2000, 10]]) {
            expect(compareNative('softmax', [random(rng, [outer, size, 1])], [{ shape: [outer, size, 1], dtype: 'float32' }], { outer, size, inner: 1, log }, { rtol: 2e-6, what: `softmax ${outer}x${size} log ${log}` })).toBe(true);
          }
          // A middle axis with inner > 1 goes to the reference loop in place.
          expect(compareNative('softmax', [random(rng, [3, 5, 4])], [{ shape: [3, 5, 4], dtype: 'float32' }], { outer: 3, size: 5, inner: 4, log })).toBe(false);
          // Rows with NaN, +∞, all −∞, and huge values.
          const rows = [[1, NaN, 2, 3], [Infinity, 1, 2, 3], [-Infinity, -Infinity, -Infinity, -Infinity], [1e30, -1e30, 3e38, 0], [-Infinity, 0, 1, -Infinity]];
          compareNative('softmax', [input([5, 4, 1], 'float32', rows.flat())], [{ shape: [5, 4, 1], dtype: 'float32' }], { outer: 5, size: 4, inner: 1, log }, { rtol: 2e-6, what: `softmax specials log ${log}` });
        }
      });

      it('batch normalisation in training mode and its adjoint, with and without γ and β; relu\'s adjoint with ties and NaN', () => {
        setUp();
        // Rows × channels straddling the parallel threshold (2^20 elements); a mean far from zero.
        for (const [rows, C, offset] of [[1, 1, 0], [7, 3, 0], [33, 16, 0], [257, 17, 0], [40000, 32, 0], [301, 5, 1000]] as const) {
          const x = random(rng, [rows, C]);
          if (offset) x.data.forEach((v, i) => (x.data[i] = offset + v));
          const stat = { shape: [C], dtype: 'float32' as const };
          for (const [scale, center] of [[true, true], [false, false], [true, false], [false, true]]) {
            const params = [...(scale ? [random(rng, [C])] : []), ...(center ? [random(rng, [C])] : [])];
            const what = `batchNormTraining ${rows}x${C} offset ${offset} scale ${scale} center ${center}`;
            const attrs = { channels: C, epsilon: 1e-3, scale };
            const outs = [{ shape: [rows, C], dtype: 'float32' as const }, stat, stat];
            const forward = compareBatchNorm('batchNormTraining', [x, ...params], outs, { ...attrs, center }, what);
            // The adjoint at the reference's statistics.
            const stats = [input([C], 'float32', forward[1]), input([C], 'float32', forward[2])];
            compareBatchNorm('batchNormTrainingGrad', [x, random(rng, [rows, C]), ...stats, ...(scale ? [params[0]] : [])], outs, attrs, `${what} grad`);
          }
        }
        for (const n of [1, 7, 4097, 300001]) {
          const x = random(rng, [n]);
          x.data[0] = 0;
          if (n > 2) x.data[1] = NaN;
          if (n > 3) x.data[2] = -0;
          expect(compareNative('reluBackprop', [x, random(rng, [n])], [{ shape: [n], dtype: 'float32' }], {}, { what: `reluBackprop ${n}` })).toBe(true);
        }
      });

      it('movement (transpose, slice, pad, concat) as one strided copy, for float32, int32 and bool', () => {
        setUp();
        for (const dtype of ['float32', 'int32', 'bool'] as const) {
          for (const [shape, perm] of [[[7, 33], [1, 0]], [[3, 7, 5], [2, 0, 1]], [[2, 3, 4, 5], [3, 1, 0, 2]], [[2, 1, 4, 1], [3, 2, 1, 0]], [[5, 6, 7], [0, 1, 2]], [[64, 28, 128], [1, 0, 2]]] as [number[], number[]][]) {
            expect(compareNative('transpose', [random(rng, shape, dtype)], [{ shape: perm.map((p) => shape[p]), dtype }], { perm }, { what: `transpose ${shape} ${perm}` })).toBe(true);
          }
          for (const [shape, begin, size] of [[[257], [3], [200]], [[7, 33], [2, 5], [4, 20]], [[2, 3, 4, 5], [1, 0, 1, 2], [1, 3, 2, 3]], [[5], [2], [0]], [[64, 512], [0, 128], [64, 128]]] as [number[], number[], number[]][]) {
            compareNative('slice', [random(rng, shape, dtype)], [{ shape: size, dtype }], { begin }, { what: `slice ${shape} ${begin} ${size}` });
          }
          for (const [shape, paddings] of [[[7], [[2, 3]]], [[3, 4, 5], [[0, 0], [1, 1], [2, 0]]], [[2, 3, 4, 5], [[0, 1], [2, 0], [1, 1], [0, 3]]], [[0, 3], [[1, 1], [0, 0]]]] as [number[], [number, number][]][]) {
            const value = dtype === 'float32' ? -1.5 : dtype === 'int32' ? 7 : 1;
            compareNative('pad', [random(rng, shape, dtype)], [{ shape: shape.map((d, i) => d + paddings[i][0] + paddings[i][1]), dtype }], { paddings, value }, { what: `pad ${shape}` });
          }
          expect(compareNative('concat', [random(rng, [3, 5], dtype), random(rng, [4, 5], dtype), random(rng, [1, 5], dtype)], [{ shape: [8, 5], dtype }], { axis: 0 })).toBe(true);
          compareNative('concat', [random(rng, [7, 3], dtype), random(rng, [7, 33], dtype)], [{ shape: [7, 36], dtype }], { axis: 1 });
          compareNative('concat', [random(rng, [2, 3, 1], dtype), random(rng, [2, 3, 0], dtype), random(rng, [2, 3, 4], dtype)], [{ shape: [2, 3, 5], dtype }], { axis: 2 });
        }
      });

      it('lstmSequence, gruSequence and their adjoints (the wasm cases, and blocks of rows on two threads)', () => {
        setUp();
        const compare: CompareSequence = (kernel, inputs, outputs, attrs, what) => {
          const before = native!.counts.native;
          const got = runOn(native!, kernel, inputs, outputs, attrs);
          expect(native!.counts.native, `${what}: the addon ran it`).toBe(before + 1);
          expectSequenceClose(got, runOn(cpu, kernel, inputs, outputs, attrs), outputs, what);
        };
        // u 65, N 9, T 5: 49M multiply-adds, over the threshold where rows split into blocks (5 and 4 rows on two threads).
        recurrentParityCases(rng, compare, [[65, 9, 5]]);
      });

      it('what the addon does not take (other dtypes, gather, casts) runs the reference loop in place', () => {
        setUp();
        expect(compareNative('matmul', [random(rng, [1, 3, 4], 'int32'), random(rng, [1, 4, 2], 'int32')], [{ shape: [1, 3, 2], dtype: 'int32' }], { transposeA: false, transposeB: false })).toBe(false);
        expect(compareNative('transpose', [random(rng, [3, 7, 5], 'float64')], [{ shape: [5, 3, 7], dtype: 'float64' }], { perm: [2, 0, 1] })).toBe(false);
        expect(compareNative('unary', [random(rng, [9], 'float64')], [{ shape: [9], dtype: 'float64' }], { op: 'exp' })).toBe(false);
        const r = random(rng, [3, 12], 'float64');
        expect(compareNative('lstmSequence', [random(rng, [2, 4, 12], 'float64'), random(rng, [2, 3], 'float64'), random(rng, [2, 3], 'float64'), r], [{ shape: [2, 4, 6], dtype: 'float64' }, { shape: [2, 4, 12], dtype: 'float64' }], { masked: false })).toBe(false);
      });
    });
  }
});
