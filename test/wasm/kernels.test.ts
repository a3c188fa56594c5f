// Every wasm kernel against the reference cpu backend, on random data and odd sizes, for every
// option, with one thread and with two (then every kernel is cut into many small work items,
// so the pool's scheduling is exercised even on tiny inputs).
import { beforeAll, describe, expect, it } from 'vitest';
import type { BinaryOp, ConvAttrs, KernelName, PoolAttrs, UnaryOp } from '../../src/backend/index.js';
import { WASM_KERNELS } from '../../src/backend/wasm/kernels/index.js';
import type { DType } from '../../src/base/index.js';
import { ValueError } from '../../src/base/index.js';
import { BINARY_BOOL, everyOp, REDUCE_OUT, UNARY_BOOL } from '../util/kernel-ops.js';
import { compareKernel, covered, input, random, Rng, runOn, useThreads, waitForWorkers, wasm } from './helpers.js';
import { recurrentParityCases } from './recurrent-cases.js';

const UNARY_OPS = everyOp(UNARY_BOOL);
const BINARY_OPS = everyOp(BINARY_BOOL);
const REDUCE_OPS = everyOp(REDUCE_OUT);
const COMPARISONS = new Set<BinaryOp>(BINARY_OPS.filter((op) => BINARY_BOOL[op]));
/** Special float values every elementwise kernel must treat like the reference. */
const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 0.5, 1.5, 2.5, -2.5, -0.5, 1e-8, 3e38, -7, 40, 1, -1];

/** Output shape of one spatial axis: ⌊(n + pads − ((k − 1)·d + 1)) / s⌋ + 1. */
function outSize(n: number, k: number, s: number, d: number, p: [number, number]): number {
  return Math.floor((n + p[0] + p[1] - ((k - 1) * d + 1)) / s) + 1;
}

interface ConvCase {
  name: string;
  x: [number, number, number, number, number];
  k: [number, number, number];
  cin: number; // per group
  f: number;
  attrs: ConvAttrs;
}

const one: [number, number] = [0, 0];
const CONV_CASES: ConvCase[] = [
  { name: '2-D 3x3 valid', x: [2, 1, 7, 9, 3], k: [1, 3, 3], cin: 3, f: 5, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, one, one], groups: 1 } },
  { name: '2-D 3x3 same pad, batch 1', x: [1, 1, 8, 8, 4], k: [1, 3, 3], cin: 4, f: 8, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [1, 1], [1, 1]], groups: 1 } },
  { name: '2-D stride 2, asymmetric pad', x: [2, 1, 9, 7, 5], k: [1, 3, 2], cin: 5, f: 7, attrs: { strides: [1, 2, 2], dilations: [1, 1, 1], pads: [one, [0, 1], [1, 0]], groups: 1 } },
  { name: '2-D dilation 2', x: [1, 1, 11, 10, 2], k: [1, 3, 3], cin: 2, f: 3, attrs: { strides: [1, 1, 1], dilations: [1, 2, 2], pads: [one, [2, 2], [1, 2]], groups: 1 } },
  { name: '2-D stride 3 dilation 2 pad 2', x: [2, 1, 13, 12, 3], k: [1, 3, 3], cin: 3, f: 4, attrs: { strides: [1, 3, 2], dilations: [1, 2, 2], pads: [one, [2, 2], [2, 1]], groups: 1 } },
  { name: '2-D groups 2', x: [2, 1, 6, 7, 6], k: [1, 3, 3], cin: 3, f: 4, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [1, 1], [1, 1]], groups: 2 } },
  { name: '2-D groups 3 stride 2', x: [1, 1, 9, 9, 9], k: [1, 3, 3], cin: 3, f: 6, attrs: { strides: [1, 2, 2], dilations: [1, 1, 1], pads: [one, [1, 1], [1, 1]], groups: 3 } },
  { name: 'depthwise 3x3', x: [2, 1, 7, 8, 9], k: [1, 3, 3], cin: 1, f: 9, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [1, 1], [1, 1]], groups: 9 } },
  { name: 'depthwise stride 2 dilation 2', x: [1, 1, 11, 9, 5], k: [1, 3, 3], cin: 1, f: 5, attrs: { strides: [1, 2, 2], dilations: [1, 2, 1], pads: [one, [2, 1], [0, 1]], groups: 5 } },
  { name: 'depthwise multiplier 2', x: [2, 1, 6, 6, 3], k: [1, 3, 3], cin: 1, f: 6, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [1, 1], [1, 1]], groups: 3 } },
  { name: 'single input channel (LeNet first layer)', x: [3, 1, 12, 12, 1], k: [1, 5, 5], cin: 1, f: 6, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, one, one], groups: 1 } },
  { name: '1x1 pointwise', x: [2, 1, 5, 7, 33], k: [1, 1, 1], cin: 33, f: 17, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, one, one], groups: 1 } },
  { name: '1x1 pointwise groups 2', x: [1, 1, 4, 5, 8], k: [1, 1, 1], cin: 4, f: 6, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, one, one], groups: 2 } },
  { name: '1x1 stride 2', x: [2, 1, 7, 7, 5], k: [1, 1, 1], cin: 5, f: 3, attrs: { strides: [1, 2, 2], dilations: [1, 1, 1], pads: [one, one, one], groups: 1 } },
  { name: '1-D k5 stride 2', x: [3, 1, 1, 33, 4], k: [1, 1, 5], cin: 4, f: 6, attrs: { strides: [1, 1, 2], dilations: [1, 1, 1], pads: [one, one, [2, 2]], groups: 1 } },
  { name: '3-D 2x3x3', x: [2, 5, 6, 7, 3], k: [2, 3, 3], cin: 3, f: 4, attrs: { strides: [1, 2, 1], dilations: [2, 1, 1], pads: [[1, 0], [1, 1], [0, 2]], groups: 1 } },
  { name: 'wide: 64 channels in and out', x: [1, 1, 9, 9, 64], k: [1, 3, 3], cin: 64, f: 64, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [1, 1], [1, 1]], groups: 1 } },
  // The direct kernels (input channels ≤ 16): output channels that fill 1, 9, 17 lanes,
  // fewer than 4 output columns, planes of a 3-D input, row blocks narrower than a plane.
  { name: 'direct: C=1, 17 filters, stride 2, dilation 2, asymmetric pad', x: [2, 1, 13, 11, 1], k: [1, 5, 3], cin: 1, f: 17, attrs: { strides: [1, 2, 1], dilations: [1, 2, 2], pads: [one, [3, 1], [2, 0]], groups: 1 } },
  { name: 'direct: C=2, 9 filters, 3 output columns', x: [3, 1, 6, 5, 2], k: [1, 3, 3], cin: 2, f: 9, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [1, 0], one], groups: 1 } },
  { name: 'direct: C=3, 1 filter, stride 3 wider than the window', x: [2, 1, 10, 14, 3], k: [1, 2, 2], cin: 3, f: 1, attrs: { strides: [1, 3, 3], dilations: [1, 1, 1], pads: [one, [1, 1], [0, 1]], groups: 1 } },
  { name: 'direct: planes of a 3-D input (depth kernel 1, depth stride 2)', x: [2, 5, 7, 9, 3], k: [1, 2, 3], cin: 3, f: 5, attrs: { strides: [2, 1, 2], dilations: [1, 1, 1], pads: [one, [1, 1], [2, 0]], groups: 1 } },
  { name: 'direct: LeNet second layer', x: [2, 1, 14, 14, 6], k: [1, 5, 5], cin: 6, f: 16, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, one, one], groups: 1 } },
  { name: 'direct: rows too wide for one slab per plane', x: [1, 1, 9, 700, 8], k: [1, 3, 3], cin: 8, f: 4, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [1, 1], [1, 1]], groups: 1 } },
  { name: 'direct: padding wider than the kernel (all-padding rows and columns)', x: [1, 1, 4, 5, 2], k: [1, 2, 2], cin: 2, f: 3, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, [3, 2], [2, 3]], groups: 1 } },
  { name: 'kernel larger than padded input in one axis... output 1', x: [1, 1, 3, 3, 2], k: [1, 3, 3], cin: 2, f: 2, attrs: { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [one, one, one], groups: 1 } },
];

interface PoolCase {
  name: string;
  x: [number, number, number, number, number];
  attrs: Omit<PoolAttrs, 'op'>;
}

const POOL_CASES: PoolCase[] = [
  { name: '2x2 stride 2', x: [2, 1, 8, 8, 3], attrs: { window: [1, 2, 2], strides: [1, 2, 2], pads: [one, one, one] } },
  { name: '3x3 stride 2 same pad', x: [1, 1, 7, 9, 5], attrs: { window: [1, 3, 3], strides: [1, 2, 2], pads: [one, [1, 1], [1, 1]] } },
  { name: '3x3 stride 1 asymmetric pad', x: [2, 1, 5, 6, 8], attrs: { window: [1, 3, 3], strides: [1, 1, 1], pads: [one, [0, 2], [1, 1]] } },
  { name: '2x3 overlapping, odd channels', x: [1, 1, 9, 7, 7], attrs: { window: [1, 2, 3], strides: [1, 1, 2], pads: [one, one, [0, 1]] } },
  { name: '1-D window 3', x: [3, 1, 1, 33, 1], attrs: { window: [1, 1, 3], strides: [1, 1, 3], pads: [one, one, one] } },
  { name: '3-D 2x2x2', x: [2, 4, 5, 6, 4], attrs: { window: [2, 2, 2], strides: [2, 2, 2], pads: [[0, 0], [0, 1], one] } },
  { name: '2x2 stride 2, 6 channels (LeNet)', x: [2, 1, 8, 8, 6], attrs: { window: [1, 2, 2], strides: [1, 2, 2], pads: [one, one, one] } },
  { name: '2x2 stride 1, 9 channels', x: [1, 1, 5, 4, 9], attrs: { window: [1, 2, 2], strides: [1, 1, 1], pads: [one, [0, 1], one] } },
  { name: 'global 7x7', x: [2, 1, 7, 7, 16], attrs: { window: [1, 7, 7], strides: [1, 7, 7], pads: [one, one, one] } },
];

function poolOut(c: PoolCase): [number, number, number, number, number] {
  const [N, D, H, W, C] = c.x;
  const a = c.attrs;
  return [N, outSize(D, a.window[0], a.strides[0], 1, a.pads[0]), outSize(H, a.window[1], a.strides[1], 1, a.pads[1]), outSize(W, a.window[2], a.strides[2], 1, a.pads[2]), C];
}

describe('supports()', () => {
  it('runs every kernel natively in float32, and no float64 (which falls back to cpu)', () => {
    const f = 'float32' as const;
    const float32: [Parameters<typeof wasm.supports>[0], DType[]][] = [
      ['unary', [f, f]], ['binary', [f, f, f]], ['binary', [f, f, 'bool']], ['where', ['bool', f, f, f]], ['cast', [f, 'int32']],
      ['broadcastTo', [f, f]], ['reduce', [f, f]], ['reduce', [f, 'int32']], ['matmul', [f, f, f]], ['transpose', [f, f]],
      ['slice', [f, f]], ['pad', [f, f]], ['concat', [f, f, f]], ['gather', [f, 'int32', f]], ['scatterAdd', [f, 'int32', f]],
      ['conv', [f, f, f]], ['convBackpropInput', [f, f, f]], ['convBackpropFilter', [f, f, f]], ['pool', [f, f, 'int32']],
      ['pool', [f, f]], ['avgPoolBackprop', [f, f]],
    ];
    for (const [kernel, dtypes] of float32) {
      expect(wasm.supports(kernel, dtypes), kernel).toBe(true);
      expect(wasm.supports(kernel, dtypes.map((d) => (d === 'float32' ? 'float64' : d))), `${kernel} float64`).toBe(false);
    }
    // int32 and bool run natively for everything but arithmetic-heavy kernels.
    expect(wasm.supports('binary', ['int32', 'int32', 'int32'])).toBe(true);
    expect(wasm.supports('where', ['bool', 'bool', 'bool', 'bool'])).toBe(true);
    expect(wasm.supports('gather', ['bool', 'int32', 'bool'])).toBe(true);
    expect(wasm.supports('matmul', ['int32', 'int32', 'int32'])).toBe(false);
    expect(wasm.supports('scatterAdd', ['bool', 'int32', 'bool'])).toBe(false);
    // cumsum's record takes float32 only: int32 running sums fall back to cpu.
    expect(wasm.supports('cumsum', ['float32', 'float32'])).toBe(true);
    expect(wasm.supports('cumsum', ['int32', 'int32'])).toBe(false);
  });
});

describe('buffers', () => {
  it('a new buffer reads as zeros, and counts as zeros in a kernel, even where memory held data', () => {
    // Freed blocks are reused; their zeros are owed until the first read or kernel input.
    const old = wasm.alloc('float32', 300);
    wasm.write(old, new Float32Array(300).fill(7));
    wasm.free(old);
    const fresh = wasm.alloc('float32', 300);
    expect(Array.from(wasm.read(fresh)).every((v) => v === 0)).toBe(true);
    const reused = wasm.alloc('float32', 300);
    wasm.write(reused, new Float32Array(300).fill(5));
    wasm.free(reused);
    const input = wasm.alloc('float32', 300);
    const output = wasm.alloc('float32', 300);
    wasm.run('unary', [{ id: input, shape: [300], dtype: 'float32' }], [{ id: output, shape: [300], dtype: 'float32' }], { op: 'neg' });
    expect(Array.from(wasm.read(output)).every((v) => v === 0)).toBe(true);
    for (const id of [fresh, input, output]) wasm.free(id);
  });
});

for (const threads of [1, 2]) {
  describe(`wasm kernels = cpu, ${threads} thread${threads > 1 ? 's' : ''}`, () => {
    beforeAll(async () => {
      useThreads(threads);
      await waitForWorkers(threads);
    });
    const rng = new Rng(1234 + threads);

    describe('unary', () => {
      for (const op of UNARY_OPS) {
        it(op, () => {
          const boolOut = UNARY_BOOL[op];
          const outDType: DType = boolOut ? 'bool' : 'float32';
          for (const shape of [[1], [7, 33], [257]]) {
            compareKernel('unary', [random(rng, shape)], [{ shape, dtype: outDType }], { op }, { what: `${op} ${shape}` });
          }
          compareKernel('unary', [input([SPECIALS.length], 'float32', SPECIALS)], [{ shape: [SPECIALS.length], dtype: outDType }], { op }, { what: `${op} specials` });
          if (['neg', 'abs', 'sign', 'logicalNot', 'isNaN'].includes(op)) {
            const ints = input([6], 'int32', [-2147483648, -5, 0, 7, 2147483647, 1]);
            compareKernel('unary', [ints], [{ shape: [6], dtype: boolOut ? 'bool' : 'int32' }], { op }, { what: `${op} int32` });
          }
          if (op === 'logicalNot') compareKernel('unary', [random(rng, [33], 'bool')], [{ shape: [33], dtype: 'bool' }], { op });
        });
      }
    });

    it('exp, sigmoid and tanh (SIMD polynomials) stay within 2 ulp on dense sweeps', () => {
      // Sweeps that cross every branch: exp's reduction over its whole normal range, tanh's
      // switch from polynomial to exp form at 0.625, sigmoid's two signs.
      const sweeps: [UnaryOp, number, number][] = [['exp', -87, 88.7], ['exp', -1, 1], ['sigmoid', -30, 30], ['tanh', -10, 10], ['tanh', -0.7, 0.7], ['tanh', -1e-3, 1e-3]];
      for (const [op, lo, hi] of sweeps) {
        const n = 20001;
        const x = input([n], 'float32', Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1)));
        compareKernel('unary', [x], [{ shape: [n], dtype: 'float32' }], { op }, { rtol: 2.4e-7, what: `${op} sweep [${lo}, ${hi}]` });
      }
    });

    describe('binary', () => {
      // [a shape, b shape, y shape]: same shape, scalars, row and column broadcasts, both sides.
      const patterns: [number[], number[], number[]][] = [
        [[7, 33], [7, 33], [7, 33]], [[257], [], [257]], [[], [33], [33]], [[7, 33], [33], [7, 33]],
        [[7, 33], [7, 1], [7, 33]], [[7, 1], [1, 33], [7, 33]], [[2, 1, 5, 3], [4, 1, 3], [2, 4, 5, 3]],
        [[1], [1], [1]], [[3, 1, 5], [3, 4, 1], [3, 4, 5]],
        // A short row repeated (a bias on channels-last data), either side, over several pattern spans.
        [[9, 28, 6], [6], [9, 28, 6]], [[6], [13, 6], [13, 6]], [[300, 7], [7], [300, 7]], [[5, 63], [1, 63], [5, 63]],
      ];
      for (const op of BINARY_OPS) {
        it(op, () => {
          const logical = op === 'logicalAnd' || op === 'logicalOr';
          const outDType: DType = COMPARISONS.has(op) ? 'bool' : 'float32';
          for (const [sa, sb, sy] of patterns) {
            const inDType: DType = logical ? 'bool' : 'float32';
            compareKernel('binary', [random(rng, sa, inDType), random(rng, sb, inDType)], [{ shape: sy, dtype: outDType }], { op }, { what: `${op} ${sa}·${sb}` });
          }
          const n = SPECIALS.length;
          const a = input([n, 1], 'float32', SPECIALS);
          const b = input([1, n], 'float32', SPECIALS);
          compareKernel('binary', [a, b], [{ shape: [n, n], dtype: outDType }], { op }, { what: `${op} specials` });
          // int32: wrapping arithmetic, Python's remainder, zero divisors.
          const ia = input([8], 'int32', [2147483647, -2147483648, 7, -7, 0, 5, -3, 46341]);
          const ib = input([8], 'int32', [1, -1, 3, 3, 0, -2, 0, 46341]);
          compareKernel('binary', [ia, ib], [{ shape: [8], dtype: COMPARISONS.has(op) ? 'bool' : 'int32' }], { op }, { what: `${op} int32` });
          compareKernel('binary', [random(rng, [7, 5], 'int32'), random(rng, [5], 'int32')], [{ shape: [7, 5], dtype: COMPARISONS.has(op) ? 'bool' : 'int32' }], { op }, { what: `${op} int32 broadcast` });
        });
      }
    });

    it('where (float32, int32, bool; broadcast)', () => {
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        compareKernel('where', [random(rng, [7, 33], 'bool'), random(rng, [7, 33], dtype), random(rng, [7, 33], dtype)], [{ shape: [7, 33], dtype }], {});
        compareKernel('where', [random(rng, [7, 1], 'bool'), random(rng, [33], dtype), random(rng, [], dtype)], [{ shape: [7, 33], dtype }], {});
        compareKernel('where', [random(rng, [], 'bool'), random(rng, [2, 3, 4], dtype), random(rng, [3, 1], dtype)], [{ shape: [2, 3, 4], dtype }], {});
      }
    });

    it('cast between every pair of dtypes', () => {
      const values = [...SPECIALS, 2147483648.5, -2147483649, 4294967301, 0.999];
      const sources: DType[] = ['float32', 'int32', 'bool'];
      for (const from of sources) {
        const x = from === 'float32' ? input([values.length], from, values) : random(rng, [257], from);
        for (const to of sources) compareKernel('cast', [x], [{ shape: x.shape, dtype: to }], {}, { what: `cast ${from}→${to}` });
      }
    });

    it('broadcastTo', () => {
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        compareKernel('broadcastTo', [random(rng, [1, 33], dtype)], [{ shape: [7, 33], dtype }], {});
        compareKernel('broadcastTo', [random(rng, [7, 1], dtype)], [{ shape: [7, 33], dtype }], {});
        compareKernel('broadcastTo', [random(rng, [], dtype)], [{ shape: [257], dtype }], {});
        compareKernel('broadcastTo', [random(rng, [3, 1, 5], dtype)], [{ shape: [2, 3, 4, 5], dtype }], {});
      }
    });

    describe('reduce', () => {
      const views: [number, number, number][] = [[1, 1, 1], [1, 257, 1], [7, 33, 1], [7, 33, 5], [1, 7, 33], [3, 1, 7], [2, 0, 3], [5, 1000, 1]];
      for (const op of REDUCE_OPS) {
        it(op, () => {
          const outFor = (d: DType): DType => (REDUCE_OUT[op] === 'same' ? d : REDUCE_OUT[op]);
          const dtypes: DType[] = op === 'any' || op === 'all' ? ['bool', 'float32'] : op === 'sum' ? ['float32', 'int32'] : ['float32', 'int32'];
          for (const dtype of dtypes) {
            for (const [outer, size, inner] of views) {
              const x = random(rng, [outer, size, inner], dtype);
              compareKernel('reduce', [x], [{ shape: [outer, inner], dtype: outFor(dtype) }], { op, outer, size, inner }, { what: `${op} ${dtype} ${outer}x${size}x${inner}`, bound: op === 'sum' });
            }
          }
          // NaNs: the first one wins for max/min/arg*; sum propagates it.
          const withNaN = input([2, 5, 3], 'float32', [1, 2, NaN, 4, 5, NaN, 7, 8, 9, 10, 11, 12, 13, 14, 15, 5, 5, 5, -Infinity, 6, 6, NaN, 1, 9, 9, 9, 9, 0, 0, 0]);
          compareKernel('reduce', [withNaN], [{ shape: [2, 3], dtype: outFor('float32') }], { op, outer: 2, size: 5, inner: 3 }, { what: `${op} NaN` });
          compareKernel('reduce', [withNaN], [{ shape: [6], dtype: outFor('float32') }], { op, outer: 6, size: 5, inner: 1 }, { what: `${op} NaN rows` });
        });
      }
    });

    it('cumsum (float32; every direction, lines of 1 to 257)', () => {
      const views: [number, number, number][] = [[1, 1, 1], [1, 257, 1], [7, 33, 1], [7, 33, 5], [1, 7, 33], [3, 1, 7], [2, 0, 3]];
      for (const [outer, size, inner] of views) {
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            compareKernel('cumsum', [random(rng, [outer, size, inner])], [{ shape: [outer, size, inner], dtype: 'float32' }], { outer, size, inner, exclusive, reverse }, { what: `cumsum ${outer}x${size}x${inner} ${exclusive} ${reverse}` });
          }
        }
      }
    });

    it('lstmSequence, gruSequence and their adjoints (units 1, 7, 33; batch 1, 5; time 1, 9; masked or not)', () => {
      recurrentParityCases(rng);
    });

    it('transpose (ranks 2 to 5, every dtype)', () => {
      const cases: [number[], number[]][] = [
        [[7, 33], [1, 0]], [[1, 257], [1, 0]], [[3, 7, 5], [0, 2, 1]], [[3, 7, 5], [2, 0, 1]], [[3, 7, 5], [1, 2, 0]],
        [[2, 3, 4, 5], [3, 1, 0, 2]], [[2, 1, 4, 1], [3, 2, 1, 0]], [[2, 3, 4, 5, 3], [4, 0, 3, 2, 1]], [[33, 34], [1, 0]],
        [[5, 6, 7], [0, 1, 2]], [[4, 1, 6], [1, 0, 2]],
      ];
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        for (const [shape, perm] of cases) {
          compareKernel('transpose', [random(rng, shape, dtype)], [{ shape: perm.map((p) => shape[p]), dtype }], { perm }, { what: `transpose ${shape} ${perm}` });
        }
      }
    });

    it('slice', () => {
      const cases: [number[], number[], number[]][] = [
        [[257], [3], [200]], [[7, 33], [2, 5], [4, 20]], [[7, 33], [2, 0], [3, 33]], [[3, 4, 5], [1, 1, 1], [2, 2, 3]],
        [[3, 4, 5], [0, 2, 0], [3, 2, 5]], [[2, 3, 4, 5], [1, 0, 1, 2], [1, 3, 2, 3]], [[5], [2], [0]], [[4, 4], [1, 1], [1, 1]],
      ];
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        for (const [shape, begin, size] of cases) {
          compareKernel('slice', [random(rng, shape, dtype)], [{ shape: size, dtype }], { begin }, { what: `slice ${shape} ${begin} ${size}` });
        }
      }
    });

    it('pad', () => {
      const cases: [number[], [number, number][]][] = [
        [[7], [[2, 3]]], [[7, 33], [[1, 0], [0, 2]]], [[3, 4, 5], [[0, 0], [1, 1], [2, 0]]], [[3, 4, 5], [[1, 2], [0, 0], [0, 0]]],
        [[2, 3, 4, 5], [[0, 1], [2, 0], [1, 1], [0, 3]]], [[0, 3], [[1, 1], [0, 0]]],
      ];
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        for (const [shape, paddings] of cases) {
          const value = dtype === 'float32' ? -1.5 : dtype === 'int32' ? 7 : 1;
          compareKernel('pad', [random(rng, shape, dtype)], [{ shape: shape.map((d, i) => d + paddings[i][0] + paddings[i][1]), dtype }], { paddings, value }, { what: `pad ${shape}` });
        }
      }
    });

    it('concat', () => {
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        compareKernel('concat', [random(rng, [3, 5], dtype), random(rng, [4, 5], dtype), random(rng, [1, 5], dtype)], [{ shape: [8, 5], dtype }], { axis: 0 });
        compareKernel('concat', [random(rng, [7, 3], dtype), random(rng, [7, 33], dtype)], [{ shape: [7, 36], dtype }], { axis: 1 });
        compareKernel('concat', [random(rng, [2, 3, 1], dtype), random(rng, [2, 3, 0], dtype), random(rng, [2, 3, 4], dtype)], [{ shape: [2, 3, 5], dtype }], { axis: 2 });
        compareKernel('concat', [random(rng, [2, 1, 4], dtype), random(rng, [2, 5, 4], dtype)], [{ shape: [2, 6, 4], dtype }], { axis: 1 });
      }
    });

    it('gather, with out-of-range indices throwing ValueError', () => {
      for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
        compareKernel('gather', [random(rng, [7, 5], dtype), input([4], 'int32', [6, 0, 6, 3])], [{ shape: [4, 5], dtype }], { axis: 0 });
        compareKernel('gather', [random(rng, [3, 7, 5], dtype), input([2, 3], 'int32', [1, 6, 0, 0, 2, 5])], [{ shape: [3, 2, 3, 5], dtype }], { axis: 1 });
        compareKernel('gather', [random(rng, [3, 4, 257], dtype), input([1], 'int32', [256])], [{ shape: [3, 4, 1], dtype }], { axis: 2 });
      }
      for (const bad of [7, -1]) {
        const run = (): unknown => runOn(wasm, 'gather', [random(rng, [7, 5]), input([3], 'int32', [1, bad, 2])], [{ shape: [3, 5], dtype: 'float32' }], { axis: 0 });
        expect(run).toThrow(ValueError);
        expect(run).toThrow(`gather: index ${bad} is out of range [0, 7)`);
      }
    });

    it('scatterAdd (duplicates add up), with out-of-range indices throwing ValueError', () => {
      for (const dtype of ['float32', 'int32'] as DType[]) {
        compareKernel('scatterAdd', [random(rng, [6, 5], dtype), input([6], 'int32', [2, 0, 2, 6, 2, 1])], [{ shape: [7, 5], dtype }], { axis: 0 });
        compareKernel('scatterAdd', [random(rng, [3, 4, 33], dtype), input([4], 'int32', [1, 1, 0, 4])], [{ shape: [3, 5, 33], dtype }], { axis: 1 });
        compareKernel('scatterAdd', [random(rng, [257], dtype), input([257], 'int32', Array.from({ length: 257 }, (_, i) => (i * 7) % 10))], [{ shape: [10], dtype }], { axis: 0 });
      }
      expect(() => runOn(wasm, 'scatterAdd', [random(rng, [2, 5]), input([2], 'int32', [0, 9])], [{ shape: [3, 5], dtype: 'float32' }], { axis: 0 })).toThrow(ValueError);
    });

    describe('matmul', () => {
      const sizes: [number, number, number][] = [[1, 1, 1], [7, 33, 5], [33, 7, 257], [257, 33, 7], [64, 64, 64], [130, 257, 67], [1, 300, 9], [9, 1, 300]];
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          it(`${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}`, () => {
            for (const [M, K, N] of sizes) {
              for (const [Ba, Bb] of [[1, 1], [3, 3], [3, 1], [1, 3]]) {
                const B = Math.max(Ba, Bb);
                const a = random(rng, transposeA ? [Ba, K, M] : [Ba, M, K]);
                const b = random(rng, transposeB ? [Bb, N, K] : [Bb, K, N]);
                // float32 sums of K products: the error is measured against Σ|a||b|.
                compareKernel('matmul', [a, b], [{ shape: [B, M, N], dtype: 'float32' }], { transposeA, transposeB }, { bound: true, what: `matmul ${M}x${K}x${N} batch ${Ba},${Bb}` });
              }
            }
          });
        }
      }
      it('K = 0 gives zeros', () => {
        compareKernel('matmul', [random(rng, [1, 3, 0]), random(rng, [1, 0, 4])], [{ shape: [1, 3, 4], dtype: 'float32' }], { transposeA: false, transposeB: false });
      });
    });

    describe('convolution', () => {
      for (const c of CONV_CASES) {
        it(c.name, () => {
          const [N, D, H, W, C] = c.x;
          const a = c.attrs;
          const [KD, KH, KW] = c.k;
          const y: [number, number, number, number, number] = [
            N, outSize(D, KD, a.strides[0], a.dilations[0], a.pads[0]), outSize(H, KH, a.strides[1], a.dilations[1], a.pads[1]),
            outSize(W, KW, a.strides[2], a.dilations[2], a.pads[2]), c.f,
          ];
          const w = [KD, KH, KW, c.cin, c.f];
          const x = random(rng, c.x);
          const wt = random(rng, w);
          const dy = random(rng, y);
          // Sums of products again: errors against the same computation on |inputs|.
          compareKernel('conv', [x, wt], [{ shape: y, dtype: 'float32' }], a, { bound: true, what: `conv ${c.name}` });
          compareKernel('convBackpropInput', [dy, wt], [{ shape: [N, D, H, W, C], dtype: 'float32' }], a, { bound: true, what: `convBackpropInput ${c.name}` });
          compareKernel('convBackpropFilter', [x, dy], [{ shape: w, dtype: 'float32' }], a, { bound: true, what: `convBackpropFilter ${c.name}` });
        });
      }
    });

    describe('pooling', () => {
      for (const c of POOL_CASES) {
        it(c.name, () => {
          const y = poolOut(c);
          const x = random(rng, c.x);
          compareKernel('pool', [x], [{ shape: y, dtype: 'float32' }, { shape: y, dtype: 'int32' }], { op: 'max', ...c.attrs }, { what: `max pool ${c.name}` });
          compareKernel('pool', [x], [{ shape: y, dtype: 'float32' }], { op: 'max', ...c.attrs }, { what: `max pool without argmax ${c.name}` });
          compareKernel('pool', [x], [{ shape: y, dtype: 'float32' }], { op: 'avg', ...c.attrs }, { bound: true, what: `avg pool ${c.name}` });
          compareKernel('avgPoolBackprop', [random(rng, y)], [{ shape: c.x, dtype: 'float32' }], { op: 'avg', ...c.attrs }, { bound: true, what: `avgPoolBackprop ${c.name}` });
        });
      }
      it('max pool: ties take the first maximum, NaN wins', () => {
        const x = input([1, 1, 2, 4, 2], 'float32', [1, 5, 1, NaN, 3, 5, 0, 2, 1, 5, 1, 1, 3, 5, NaN, 1]);
        const attrs: PoolAttrs = { op: 'max', window: [1, 2, 2], strides: [1, 2, 2], pads: [one, one, one] };
        compareKernel('pool', [x], [{ shape: [1, 1, 1, 2, 2], dtype: 'float32' }, { shape: [1, 1, 1, 2, 2], dtype: 'int32' }], attrs);
      });
    });

    if (threads > 1) {
      it('the workers took part', () => {
        expect(wasm.poolStats().workerItems).toBeGreaterThan(0);
      });
      it('fewer threads park workers, and more reuse them at once (no restart)', () => {
        wasm.setThreads(1);
        expect(wasm.poolStats().workers).toBe(0);
        wasm.setThreads(threads);
        expect(wasm.poolStats().workers).toBe(threads - 1);
      });
    }
  });
}

describe('parity coverage', () => {
  // Runs after the blocks above (tests in a file run in order); skipped when filtered with -t.
  it('every kernel and op the wasm backend claims has at least one parity case above', () => {
    const f = 'float32' as const;
    const claimed: string[] = (Object.keys(WASM_KERNELS) as KernelName[]).slice();
    for (const op of UNARY_OPS) if (wasm.supports('unary', [f, UNARY_BOOL[op] ? 'bool' : f], { op })) claimed.push(`unary.${op}`);
    for (const op of BINARY_OPS) if (wasm.supports('binary', [f, f, BINARY_BOOL[op] ? 'bool' : f], { op })) claimed.push(`binary.${op}`);
    for (const op of REDUCE_OPS) {
      if (wasm.supports('reduce', [f, REDUCE_OUT[op] === 'same' ? f : REDUCE_OUT[op]], { op, outer: 1, size: 1, inner: 1 })) claimed.push(`reduce.${op}`);
    }
    expect(claimed.filter((k) => !covered.has(k))).toEqual([]);
  });
});
