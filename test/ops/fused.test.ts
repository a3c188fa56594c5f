// The fused forward kernels (fusedMatmul, fusedConv, softmax; src/ops/fused.ts) against the
// op-by-op maths they replace, on the reference backend: a layer's output in inference is the
// same with and without them, they run only where nothing is differentiated, and softmax keeps
// the composite's rules for NaN and infinities (expected values from the formulas).
import { afterEach, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { kernelsOf, refusing } from './kernel-spies.js';

const FUSED = new Set<string>(['fusedMatmul', 'fusedConv', 'softmax']);

/** `fn` with the fused kernels refused by the backend (so the ops compose them). */
const opByOp = <T>(fn: () => T): T => refusing(FUSED, fn);

const values = (t: hb.Tensor): number[] => Array.from(t.dataSync() as Float32Array);

function expectAllClose(got: number[], want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i])) expect(g, `element ${i}`).toBeNaN();
    else if (!Number.isFinite(want[i])) expect(g, `element ${i}`).toBe(want[i]);
    else expect(Math.abs(g - want[i]), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i])));
  });
}

describe('fused forward kernels (cpu reference)', () => {
  afterEach(() => hb.setBackend('cpu'));

  it('dense: every fusable activation and softmax, with and without a bias, equals the op-by-op result', () => {
    hb.setBackend('cpu');
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const) {
      for (const useBias of [true, false]) {
        const layer = hb.layers.dense({ units: 7, activation, useBias, biasInitializer: 'randomNormal', inputShape: [13] });
        const x = hb.randomNormal([5, 13], { std: 2, seed: 3 });
        const fused = hb.tidy(() => values(layer.apply(x) as hb.Tensor));
        const plain = opByOp(() => hb.tidy(() => values(layer.apply(x) as hb.Tensor)));
        expectAllClose(fused, plain, 1e-6);
        const ran = kernelsOf(() => layer.apply(x));
        expect(ran, `${activation} ${useBias}`).toContain('fusedMatmul');
        expect(ran.filter((k) => !FUSED.has(k)), `${activation} ${useBias}: only fused kernels`).toEqual([]);
      }
    }
  });

  it('conv1d/2d/3d with strides, padding and groups equal the op-by-op result', () => {
    hb.setBackend('cpu');
    const cases: [hb.Layer, number[]][] = [
      [hb.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', biasInitializer: 'randomNormal', inputShape: [9, 7, 3] }), [2, 9, 7, 3]],
      [hb.layers.conv2d({ filters: 6, kernelSize: [2, 3], groups: 3, activation: 'tanh', biasInitializer: 'randomNormal', inputShape: [6, 6, 3] }), [1, 6, 6, 3]],
      [hb.layers.conv1d({ filters: 5, kernelSize: 3, padding: 'causal', activation: 'sigmoid', inputShape: [11, 2] }), [3, 11, 2]],
      [hb.layers.conv3d({ filters: 2, kernelSize: 2, useBias: false, inputShape: [4, 5, 3, 2] }), [1, 4, 5, 3, 2]],
    ];
    for (const [layer, shape] of cases) {
      const x = hb.randomNormal(shape, { std: 1, seed: 5 });
      const fused = hb.tidy(() => values(layer.apply(x) as hb.Tensor));
      const plain = opByOp(() => hb.tidy(() => values(layer.apply(x) as hb.Tensor)));
      expectAllClose(fused, plain, 1e-6);
      expect(kernelsOf(() => layer.apply(x))).toEqual(['fusedConv']);
    }
  });

  it('while gradients are recorded the layers run op by op, and their gradients are unchanged', () => {
    hb.setBackend('cpu');
    const layer = hb.layers.dense({ units: 3, activation: 'relu', biasInitializer: 'randomNormal', inputShape: [4] });
    const x = hb.randomNormal([2, 4], { std: 1, seed: 7 });
    layer.apply(x);
    const seen: string[][] = [];
    const g = hb.grad((t: hb.Tensor) => {
      seen.push(kernelsOf(() => layer.apply(t)));
      return hb.sum(layer.apply(t) as hb.Tensor);
    })(x);
    expect(seen[0]).not.toContain('fusedMatmul');
    expect(seen[0]).toContain('matmul');
    // d/dx Σ relu(xW + b) = 1[xW + b > 0] · Wᵀ, computed here from the weights.
    const w = layer.getWeights()[0].toArray() as number[][];
    const b = layer.getWeights()[1].toArray() as number[];
    const xs = x.toArray() as number[][];
    const want = xs.map((row) => {
      const on = b.map((bj, j) => row.reduce((s, v, i) => s + v * w[i][j], bj) > 0);
      return row.map((_, i) => on.reduce((s, o, j) => s + (o ? w[i][j] : 0), 0));
    });
    expectAllClose(values(g), want.flat(), 1e-6);
  });

  it('softmax and logSoftmax: the kernel off the tape, the formula on it, the same values and special cases', () => {
    hb.setBackend('cpu');
    const x = hb.randomNormal([6, 9], { std: 3, seed: 11 });
    for (const axis of [-1, 0]) {
      expectAllClose(values(hb.softmax(x, axis)), opByOp(() => values(hb.softmax(x, axis))), 1e-6);
      expectAllClose(values(hb.logSoftmax(x, axis)), opByOp(() => values(hb.logSoftmax(x, axis))), 1e-6);
      expect(kernelsOf(() => hb.softmax(x, axis))).toEqual(['softmax']);
    }
    const lse = Math.log(1 + Math.E);
    const rows = hb.tensor([[1, NaN, 2, 3], [Infinity, 1, 2, 3], [-Infinity, -Infinity, -Infinity, -Infinity], [-Infinity, 0, 1, -Infinity]]);
    const want = [NaN, NaN, NaN, NaN, NaN, 0, 0, 0, NaN, NaN, NaN, NaN, 0, 1 / (1 + Math.E), Math.E / (1 + Math.E), 0];
    const wantLog = [NaN, NaN, NaN, NaN, NaN, -Infinity, -Infinity, -Infinity, NaN, NaN, NaN, NaN, -Infinity, -lse, 1 - lse, -Infinity];
    expectAllClose(values(hb.softmax(rows)), want, 1e-6);
    expectAllClose(opByOp(() => values(hb.softmax(rows))), want, 1e-6);
    expectAllClose(values(hb.logSoftmax(rows)), wantLog, 1e-6);
    expectAllClose(opByOp(() => values(hb.logSoftmax(rows))), wantLog, 1e-6);
  });
});
