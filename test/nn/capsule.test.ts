// Capsules checked against plain-JS references on tiny inputs: squash, the predictions
// û_{j|i} = W_ij u_i and routing by agreement, primary capsules' reshape, the lengths, and the
// margin loss by hand.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

type Vec = number[];
const dot = (a: Vec, b: Vec) => a.reduce((s, x, i) => s + x * b[i], 0);
const refSquash = (s: Vec, eps = 1e-7): Vec => {
  const n2 = dot(s, s);
  return s.map((x) => (x * n2) / ((1 + n2) * Math.sqrt(n2 + eps)));
};

/** The paper's Procedure 1 for one sample: uHat[i][j] is a D-vector; returns v[j]. */
function refRouting(uHat: Vec[][], routings: number): Vec[] {
  const I = uHat.length;
  const J = uHat[0].length;
  const D = uHat[0][0].length;
  const b = uHat.map(() => new Array<number>(J).fill(0));
  let v: Vec[] = [];
  for (let r = 0; r < routings; r++) {
    const c = b.map((row) => {
      const m = Math.max(...row);
      const e = row.map((x) => Math.exp(x - m));
      const z = e.reduce((p, q) => p + q, 0);
      return e.map((x) => x / z);
    });
    v = [];
    for (let j = 0; j < J; j++) {
      const s = new Array<number>(D).fill(0);
      for (let i = 0; i < I; i++) for (let d = 0; d < D; d++) s[d] += c[i][j] * uHat[i][j][d];
      v.push(refSquash(s));
    }
    if (r < routings - 1) for (let i = 0; i < I; i++) for (let j = 0; j < J; j++) b[i][j] += dot(uHat[i][j], v[j]);
  }
  return v;
}

const close = (got: number[], want: number[], tol = 1e-10) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => expect(Math.abs(g - want[k])).toBeLessThan(tol));
};

describe('squash', () => {
  it('matches s·‖s‖²/(1+‖s‖²)/‖s‖ row by row, and keeps lengths below 1', () => {
    const s = hb.randomNormal([3, 4], { seed: 1, dtype: 'float64', std: 2 });
    const rows = s.toArray() as number[][];
    close(Array.from(hb.layers.squash(s).dataSync()), rows.flatMap((r) => refSquash(r)));
    // ‖squash(s)‖ = ‖s‖²/(1+‖s‖²): 3-4-5 triangle → 25/26
    const v = hb.layers.squash(hb.tensor([[3, 4]], undefined, 'float64'));
    expect(Math.hypot(...(v.toArray() as number[][])[0])).toBeCloseTo(25 / 26, 6);
    // zero stays zero, with a finite gradient
    expect(Array.from(hb.layers.squash(hb.zeros([1, 3], 'float64')).dataSync())).toEqual([0, 0, 0]);
    const g = hb.grad((x: hb.Tensor) => hb.sum(hb.layers.squash(x)))(hb.zeros([1, 3], 'float64'));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });
});

describe('capsule (dynamic routing)', () => {
  for (const routings of [1, 2, 3]) {
    it(`matches the plain-JS predictions and routing with ${routings} iteration(s)`, () => {
      const [N, I, inDim, J, D] = [2, 3, 2, 2, 3];
      const layer = hb.layers.capsule({ numCapsules: J, capsuleDim: D, routings, dtype: 'float64' });
      const u = hb.randomNormal([N, I, inDim], { seed: 5, dtype: 'float64' });
      const v = layer.apply(u) as hb.Tensor;
      expect(v.shape).toEqual([N, J, D]);
      const W = layer.getWeights()[0].toArray() as number[][][][]; // [I, J, D, inDim]
      expect(layer.getWeights()[0].shape).toEqual([I, J, D, inDim]);
      const us = u.toArray() as number[][][];
      const want = us.flatMap((sample) => {
        const uHat = sample.map((ui, i) => W[i].map((Wij) => Wij.map((row) => dot(row, ui))));
        return refRouting(uHat, routings).flat();
      });
      close(Array.from(v.dataSync()), want);
    });
  }

  it('lets gradients flow through every routing iteration (float64 check w.r.t. û)', () => {
    const uHat = hb.randomNormal([1, 3, 2, 2], { seed: 8, dtype: 'float64' });
    const r = hb.checkGrad((x: hb.Tensor) => hb.sum(hb.mul(hb.layers.routeByAgreement(x, 3), hb.arange(4).reshape([1, 2, 2]).cast('float64'))), [uHat]);
    expect(r.maxRelError).toBeLessThan(1e-6);
  });
});

describe('primaryCaps and capsuleLength', () => {
  it('reads conv channels k·capsuleDim + d as component d of capsule k, then squashes', () => {
    const layer = hb.layers.primaryCaps({ numCapsules: 2, capsuleDim: 3, kernelSize: 1, dtype: 'float64' });
    const x = hb.randomNormal([1, 2, 1, 1], { seed: 3, dtype: 'float64' });
    const y = layer.apply(x) as hb.Tensor;
    expect(y.shape).toEqual([1, 2 * 1 * 2, 3]);
    const [kernel, bias] = layer.getWeights().map((t) => Array.from(t.dataSync()));
    const xs = Array.from(x.dataSync());
    const want = xs.flatMap((xv) => {
      const ch = kernel.map((k, c) => xv * k + bias[c]); // 6 channels at this position
      return [...refSquash(ch.slice(0, 3)), ...refSquash(ch.slice(3))];
    });
    close(Array.from(y.dataSync()), want);
  });

  it('capsuleMask keeps the labelled capsule, or else the longest, flattened to [N, J·D]', () => {
    const v = hb.tensor([[[1, 2], [3, 4], [0, 1]], [[5, 0], [0, 1], [1, 1]]], undefined, 'float64');
    const byLabel = hb.layers.capsuleMask().apply([v, hb.tensor([[0, 0, 1], [0, 1, 0]], undefined, 'float64')]) as hb.Tensor;
    expect(byLabel.toArray()).toEqual([[0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 0, 0]]);
    const byLength = hb.layers.capsuleMask().apply(v) as hb.Tensor;
    expect(byLength.toArray()).toEqual([[0, 0, 3, 4, 0, 0], [5, 0, 0, 0, 0, 0]]);
    expect(() => hb.layers.capsuleMask().apply([v, hb.zeros([2, 2], 'float64')])).toThrow(/CapsuleMask/);
  });

  it('capsuleLength gives ‖v_j‖', () => {
    const v = hb.tensor([[[3, 4], [0, 1]]], undefined, 'float64');
    close(Array.from((hb.layers.capsuleLength().apply(v) as hb.Tensor).dataSync()), [5, 1], 1e-6);
  });
});

describe('losses.marginLoss', () => {
  it('is Σ_k T_k max(0, 0.9 − ‖v_k‖)² + 0.5 (1 − T_k) max(0, ‖v_k‖ − 0.1)², by hand', () => {
    const y = hb.tensor([[1, 0, 0], [0, 0, 1]]);
    const len = hb.tensor([[0.5, 0.3, 0.05], [0.95, 0.2, 0.7]]);
    // sample 1: (0.9−0.5)² + 0.5·(0.3−0.1)² + 0 = 0.16 + 0.02 = 0.18
    // sample 2: 0.5·(0.95−0.1)² + 0.5·(0.2−0.1)² + (0.9−0.7)² = 0.36125 + 0.005 + 0.04 = 0.40625
    close(Array.from(hb.losses.marginLoss(y, len, { reduction: 'none' }).dataSync()), [0.18, 0.40625], 1e-6);
    expect(hb.losses.marginLoss(y, len).item()).toBeCloseTo((0.18 + 0.40625) / 2, 6);
    // other margins: mPlus 1, mMinus 0, lambda 1 → sample 1: 0.25 + 0.09 + 0.0025
    expect(hb.losses.marginLoss(y, len, { mPlus: 1, mMinus: 0, lambda: 1, reduction: 'none' }).dataSync()[0]).toBeCloseTo(0.3425, 6);
    expect(() => hb.losses.marginLoss(y, len, { lambda: -1 })).toThrow(hb.ValueError);
  });
});
