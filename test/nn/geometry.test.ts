// Window geometry (src/ops/geometry.ts), the one output-length rule of conv and pool ops, their
// layers and the zoo: hand-computed sizes for every padding mode, unknown (null) sizes, windows
// that do not fit (a ShapeError naming the op or layer), and a brute-force count of window
// positions that the formula must match.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import {
  effectiveWindow, samePads, transposedDefaultLength, transposedLength, transposedOutputShape, windowOutputShape, windowPads,
} from '../../src/ops/geometry.js';

const one = (n: number | null, window: number, stride: number, padding: 'valid' | 'same' | 'causal' | [number, number], dilation = 1) =>
  windowOutputShape('test', [n], { window: [window], strides: [stride], dilation: [dilation], padding: Array.isArray(padding) ? [padding] : padding })[0];

describe('window output length, by hand', () => {
  it("'valid': ⌊(n − e) / s⌋ + 1", () => {
    expect(one(7, 3, 2, 'valid')).toBe(3); // ⌊4/2⌋ + 1
    expect(one(7, 3, 1, 'valid', 2)).toBe(3); // e = 5: ⌊2/1⌋ + 1
    expect(one(5, 5, 1, 'valid')).toBe(1);
    expect(one(6, 2, 3, 'valid')).toBe(2); // ⌊4/3⌋ + 1
  });

  it("'same': ⌈n / s⌉, pads split with the smaller half first", () => {
    expect(one(7, 3, 2, 'same')).toBe(4);
    expect(samePads(7, 3, 2)).toEqual([1, 1]); // total (4 − 1)·2 + 3 − 7 = 2
    expect(samePads(6, 2, 2)).toEqual([0, 0]); // total 2·2 + 2 − 6 = 0
    expect(samePads(5, 4, 1)).toEqual([1, 2]); // total 4 + 4 − 5 = 3
    expect(one(1, 5, 1, 'same')).toBe(1);
  });

  it("'causal': pads e − 1 before, 0 after, so ⌈n / s⌉", () => {
    expect(one(6, 3, 1, 'causal', 2)).toBe(6); // e = 5, pads [4, 0]: ⌊(6 + 4 − 5)/1⌋ + 1
    expect(one(6, 2, 2, 'causal')).toBe(3); // pads [1, 0]: ⌊(6 + 1 − 2)/2⌋ + 1
    expect(windowPads([6], { window: [3], strides: [1], dilation: [2], padding: 'causal' })).toEqual([[4, 0]]);
  });

  it('explicit [before, after] pads', () => {
    expect(one(4, 3, 1, [1, 2])).toBe(5); // ⌊(4 + 3 − 3)/1⌋ + 1
    expect(one(4, 3, 2, [0, 1])).toBe(2); // ⌊(4 + 1 − 3)/2⌋ + 1
  });

  it('keeps unknown sizes unknown, per axis', () => {
    expect(windowOutputShape('t', [null, 8], { window: [3, 3], strides: [1, 2], padding: 'valid' })).toEqual([null, 3]);
    expect(windowOutputShape('t', [null, null], { window: [9, 9], strides: [1, 1], padding: 'valid' })).toEqual([null, null]);
  });

  it('rejects a window that does not fit, naming the caller, the input and the axis', () => {
    const f = () => windowOutputShape("Conv2D 'c'", [3, 3], { window: [5, 5], strides: [1, 1], padding: 'valid' }, [null, 3, 3, 1]);
    expect(f).toThrow(hb.ShapeError);
    expect(f).toThrow("Conv2D 'c': window 5x5 with strides 1x1 and padding 'valid' does not fit input [null,3,3,1]: spatial axis 0 (size 3) would give output size -1");
    expect(() => one(4, 3, 1, 'valid', 2)).toThrow(/dilated to 5/);
    expect(() => windowOutputShape('t', [4, 4], { window: [2, 2], strides: [1, 1], padding: 'causal' })).toThrow(hb.ValueError);
    expect(() => windowOutputShape('t', [4], { window: [2, 2], strides: [1], padding: 'valid' })).toThrow(hb.ValueError);
  });

  it('matches a brute-force count of window positions', () => {
    // Positions t ≥ 0 with t·s + e ≤ n + before + after, counted one by one.
    const count = (n: number, e: number, s: number, [b, a]: [number, number]) => {
      let c = 0;
      for (let t = 0; t * s + e <= n + b + a; t++) c++;
      return c;
    };
    for (let n = 1; n <= 9; n++) {
      for (let k = 1; k <= 4; k++) {
        for (let s = 1; s <= 3; s++) {
          for (let d = 1; d <= 2; d++) {
            const e = effectiveWindow(k, d);
            for (const padding of ['valid', 'same', 'causal'] as const) {
              const pads = windowPads([n], { window: [k], strides: [s], dilation: [d], padding })[0];
              const expected = count(n, e, s, pads);
              if (expected < 1) expect(() => one(n, k, s, padding, d)).toThrow(hb.ShapeError);
              else expect(one(n, k, s, padding, d)).toBe(expected);
              if (padding !== 'valid') expect(expected).toBe(Math.ceil(n / s));
            }
          }
        }
      }
    }
  });
});

describe('transposed convolution length', () => {
  it("layers follow Keras: 'valid' n·s + max(e − s, 0), 'same' n·s, or with outputPadding (n − 1)·s + e − 2·pad + p", () => {
    expect(transposedLength(3, 3, 2, 'valid')).toBe(7);
    expect(transposedLength(2, 2, 3, 'valid')).toBe(6);
    expect(transposedLength(3, 3, 2, 'same')).toBe(6);
    expect(transposedLength(3, 3, 2, 'same', 1, 1)).toBe(6); // (3 − 1)·2 + 3 − 2·1 + 1
    expect(transposedLength(3, 3, 2, 'valid', 1, 0)).toBe(7);
    expect(transposedLength(null, 3, 2, 'valid')).toBeNull();
    expect(transposedOutputShape('t', [null, 4], { window: [2, 2], strides: [2, 2], padding: 'valid' })).toEqual([null, 8]);
  });

  it('the op alone infers the smallest size the forward convolution maps back: (n − 1)·s + e − pads', () => {
    expect(transposedDefaultLength(2, 2, 3, [0, 0])).toBe(5);
    expect(transposedDefaultLength(3, 3, 2, 'same')).toBe(6);
    const y = hb.conv2dTranspose(hb.zeros([1, 2, 2, 1]), hb.zeros([2, 2, 1, 1]), { strides: 3 });
    expect(y.shape).toEqual([1, 5, 5, 1]);
  });
});

describe('ops and layers share the rule', () => {
  it('layers fail at build (symbolic apply) with a ShapeError naming the layer', () => {
    const x = hb.input({ shape: [3, 3, 1] });
    expect(() => hb.layers.conv2d({ filters: 1, kernelSize: 5, name: 'c5' }).apply(x)).toThrow(hb.ShapeError);
    expect(() => hb.layers.conv2d({ filters: 1, kernelSize: 5, name: 'c5b' }).apply(x)).toThrow(/^Conv2D 'c5b': window 5x5 .*\[null,3,3,1\]/);
    expect(() => hb.layers.maxPooling2d({ poolSize: 4, name: 'p4' }).apply(x)).toThrow(/^MaxPooling2D 'p4': window 4x4/);
    expect(() => hb.layers.depthwiseConv2d({ kernelSize: 4, name: 'dw' }).apply(x)).toThrow(/^DepthwiseConv2D 'dw'/);
    expect(() => hb.layers.conv1d({ filters: 1, kernelSize: 3, dilationRate: 2, name: 'c1' }).apply(hb.input({ shape: [4, 1] }))).toThrow(/^Conv1D 'c1'.*dilated to 5/);
    expect(() => hb.layers.primaryCaps({ numCapsules: 2, capsuleDim: 2, kernelSize: 9, name: 'pc' }).apply(x)).toThrow(/^PrimaryCaps 'pc'/);
  });

  it('layers fail on tensors too, naming the layer, and keep null sizes unknown', () => {
    expect(() => hb.layers.averagePooling2d({ poolSize: 3, name: 'ap' }).apply(hb.zeros([1, 2, 2, 1]))).toThrow(/^AveragePooling2D 'ap'/);
    expect(() => hb.layers.conv2d({ filters: 1, kernelSize: 3, name: 'ct' }).apply(hb.zeros([1, 2, 5, 1]))).toThrow(/^Conv2D 'ct'/);
    const c = hb.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2 });
    expect(c.computeOutputShape([null, null, 9, 1])).toEqual([null, null, 4, 2]);
  });

  it('the ops name themselves for the same mistake', () => {
    expect(() => hb.conv2d(hb.zeros([1, 3, 3, 1]), hb.zeros([5, 5, 1, 1]))).toThrow(/^conv2d: window 5x5/);
    expect(() => hb.maxPool2d(hb.zeros([1, 2, 2, 1]), { poolSize: 3 })).toThrow(/^maxPool2d: window 3x3/);
  });

  it('layer shapes equal the op results on random geometry', () => {
    for (const [n, k, s, d, padding] of [[7, 3, 2, 1, 'valid'], [7, 3, 2, 1, 'same'], [9, 2, 3, 2, 'valid'], [5, 4, 1, 1, 'same'], [8, 3, 3, 2, 'same']] as const) {
      const layer = hb.layers.conv2d({ filters: 1, kernelSize: k, strides: s, dilationRate: d, padding });
      const y = layer.apply(hb.zeros([1, n, n + 1, 1]));
      expect(layer.computeOutputShape([null, n, n + 1, 1])).toEqual([null, ...y.shape.slice(1)]);
    }
  });
});
