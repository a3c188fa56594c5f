// hb.explain on small models whose answers are known: for a linear model the gradient of class
// c's score is the kernel column W[:, c], so saliency is |W| exactly, zero wherever the weights
// are zero; integrated gradients satisfy completeness (Σ A = f(x) − f(x′)); activation
// maximisation of a linear unit inside [0, 1] ends at x = [w > 0]; tiles are placed by hand.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

/** [4,4,1] image → flatten → dense(3), no activation; pixels in columns 2–3 have zero weights. */
function linearModel(): { model: hb.Model; kernel: number[][] } {
  const kernel = Array.from({ length: 16 }, (_, p) => [0, 1, 2].map((c) => (p % 4 >= 2 ? 0 : Math.sin(p * 3 + c * 7 + 1))));
  const model = hb.sequential([hb.layers.flatten({ inputShape: [4, 4, 1] }), hb.layers.dense({ units: 3, name: 'scores' })]);
  model.getLayer('scores').setWeights([hb.tensor(kernel), hb.zeros([3])]);
  return { model, kernel };
}

const near = (got: ArrayLike<number>, want: ArrayLike<number>, digits = 5): void => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i], digits);
};

describe('hb.explain.saliency', () => {
  it('vanilla and smoothGrad give |W[:, c]| for a linear model, zero where the output ignores the input', () => {
    const { model, kernel } = linearModel();
    const x = hb.randomUniform([2, 4, 4, 1], { seed: 1 });
    const s = hb.explain.saliency(model, x, { classIndex: [1, 2] });
    expect(s.shape).toEqual([2, 4, 4]);
    const v = s.dataSync();
    near(v.slice(0, 16), kernel.map((r) => Math.abs(r[1])));
    near(v.slice(16), kernel.map((r) => Math.abs(r[2])));
    for (let p = 0; p < 32; p++) if (p % 4 >= 2) expect(v[p]).toBe(0);
    // The gradient of a linear model is the same everywhere, so averaging noisy copies changes nothing.
    near(hb.explain.saliency(model, x, { classIndex: [1, 2], method: 'smoothGrad', samples: 4, seed: 3 }).dataSync(), v);
  });

  it('is zero for pixels a conv net never sees (a crop), and defaults to the predicted class', () => {
    const inp = hb.input({ shape: [6, 6, 1] });
    const cropped = hb.layers.cropping2d({ cropping: [[0, 2], [0, 2]] }).apply(inp);
    const h = hb.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'tanh' }).apply(cropped);
    const out = hb.layers.dense({ units: 3, activation: 'softmax' }).apply(hb.layers.flatten().apply(h));
    const model = hb.model({ inputs: inp, outputs: out });
    const x = hb.randomUniform([1, 6, 6, 1], { seed: 2 });
    const s = hb.explain.saliency(model, x).toArray() as number[][][];
    // Rows and columns 4–5 are cropped away: exactly zero; the rest is not all zero.
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (i >= 4 || j >= 4) expect(s[0][i][j]).toBe(0);
    expect(Math.max(...s[0].flat())).toBeGreaterThan(0);
    // Default class = argmax of the prediction.
    const predicted = (hb.argmax(model.predict(x) as hb.Tensor, 1).dataSync())[0];
    near(hb.explain.saliency(model, x, { classIndex: predicted }).dataSync(), s.flat(2));
  });

  it('integrated gradients are complete: Σ attributions = f(x) − f(baseline)', () => {
    const model = hb.sequential([
      hb.layers.flatten({ inputShape: [3, 3, 2] }),
      hb.layers.dense({ units: 5, activation: 'tanh' }),
      hb.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    const x = hb.randomUniform([2, 3, 3, 2], { seed: 5 });
    const baseline = hb.full([2, 3, 3, 2], 0.2);
    const a = hb.explain.saliency(model, x, { method: 'integratedGradients', classIndex: 2, steps: 64, baseline });
    expect(a.shape).toEqual([2, 3, 3]);
    const fx = (model.predict(x) as hb.Tensor).toArray() as number[][];
    const fb = (model.predict(baseline) as hb.Tensor).toArray() as number[][];
    const sums = hb.sum(a.reshape([2, 9]), 1).dataSync();
    for (let n = 0; n < 2; n++) expect(sums[n]).toBeCloseTo(fx[n][2] - fb[n][2], 4);
    // For the linear model (f(x) − f(0) = W·x exactly) it is x ⊙ W[:, c], signed.
    const { model: lin, kernel } = linearModel();
    const ig = hb.explain.saliency(lin, x.slice([0, 0, 0, 0], [1, 3, 3, 1]).pad([[0, 0], [0, 1], [0, 1], [0, 0]]), { method: 'integratedGradients', classIndex: 0, steps: 3 });
    const xs = x.slice([0, 0, 0, 0], [1, 3, 3, 1]).pad([[0, 0], [0, 1], [0, 1], [0, 0]]).dataSync();
    near(ig.dataSync(), kernel.map((r, p) => r[0] * xs[p]));
  });

  it('rejects bad options and inputs clearly', () => {
    const { model } = linearModel();
    const x = hb.zeros([1, 4, 4, 1]);
    expect(() => hb.explain.saliency(model, x, { classIndex: 3 })).toThrow(/classIndex 3 is out of range for 3 classes/);
    expect(() => hb.explain.saliency(model, x, { classIndex: [0, 1] })).toThrow(/2 classes for 1 samples/);
    expect(() => hb.explain.saliency(model, x, { methd: 'vanilla' } as hb.explain.SaliencyOptions)).toThrow(/did you mean 'method'/);
    expect(() => hb.explain.saliency(model, hb.zeros([1, 5, 5, 1]))).toThrow(/takes inputs of shape \[null, 4, 4, 1\]/);
  });
});

describe('hb.explain.featureMaps, activationMaximization, deepDream, tileImages', () => {
  it('featureMaps gives the named layers’ outputs in order', () => {
    const m = hb.zoo.lenet5();
    const x = hb.randomUniform([2, 28, 28, 1], { seed: 4 });
    const [c3, c1] = hb.explain.featureMaps(m, x, ['c3', 'c1']);
    const h1 = m.getLayer('c1').apply(x);
    near(c1.dataSync(), h1.dataSync());
    near(c3.dataSync(), m.getLayer('c3').apply(m.getLayer('s2').apply(h1)).dataSync());
    expect(() => hb.explain.featureMaps(m, x, ['c9'])).toThrow(/no layer named 'c9'/);
  });

  it('activation maximisation of a linear unit in [0, 1] ends at x = [w > 0]', () => {
    const { model, kernel } = linearModel();
    const img = hb.explain.activationMaximization(model, { layer: 'scores', unit: 0, steps: 40, learningRate: 0.1, seed: 1 });
    expect(img.shape).toEqual([4, 4, 1]);
    const v = img.dataSync();
    kernel.forEach((r, p) => {
      if (r[0] > 0.05) expect(v[p]).toBeCloseTo(1, 6);
      else if (r[0] < -0.05) expect(v[p]).toBeCloseTo(0, 6);
    });
    expect(() => hb.explain.activationMaximization(model, { layer: 'scores', unit: 3 })).toThrow(/3 channels; unit 3 is out of range/);
    expect(() => hb.explain.activationMaximization(model, { layer: 'scores' })).toThrow(/give the filter/);
    expect(() => hb.explain.activationMaximization(model, { layer: 'scores', unit: 0, regularization: { l1: 1 } as hb.explain.Regularization })).toThrow(/unknown option 'l1'/);
  });

  it('activation maximisation of a conv filter and DeepDream raise their objectives and stay in range', () => {
    const m = hb.zoo.lenet5();
    const x = hb.randomUniform([28, 28, 1], { seed: 6 });
    const img = hb.explain.activationMaximization(m, { layer: 'c1', filter: 2, steps: 10, regularization: { l2: 0.1, totalVariation: 0.1 }, seed: 2 });
    const act = (t: hb.Tensor): number => hb.mean(hb.explain.featureMaps(m, t.reshape([1, 28, 28, 1]), ['c1'])[0].slice([0, 0, 0, 2], [1, 28, 28, 1])).item();
    expect(act(img)).toBeGreaterThan(act(hb.full([28, 28, 1], 0.5)));
    const dream = hb.explain.deepDream(m, x, { layers: ['c1', 'c3'], octaves: 2, steps: 4 });
    expect(dream.shape).toEqual([28, 28, 1]);
    const energy = (t: hb.Tensor): number => hb.explain.featureMaps(m, t.reshape([1, 28, 28, 1]), ['c1', 'c3']).reduce((s, a) => s + hb.mean(hb.square(a)).item(), 0);
    expect(energy(dream)).toBeGreaterThan(energy(x));
    expect(hb.min(dream).item()).toBeGreaterThanOrEqual(0);
    expect(hb.max(dream).item()).toBeLessThanOrEqual(1);
  });

  it('tileImages lays tiles out row by row with padding', () => {
    const a = hb.tensor([[[0, 2], [4, 6]], [[1, 1], [1, 1]], [[0, 0], [0, 3]]]);
    const g = hb.explain.tileImages(a, { columns: 2, padding: 1, padValue: 0.5 });
    expect(g.shape).toEqual([5, 5, 1]);
    const P = 0.5;
    // Tile 0 scaled by its range [0, 6]; tile 1 is constant (shown as 0); tile 2 scaled by 3; one blank tile.
    expect(g.reshape([5, 5]).toArray()).toEqual([
      [0, 1 / 3, P, 0, 0],
      [2 / 3, 1, P, 0, 0],
      [P, P, P, P, P],
      [0, 0, P, P, P],
      [0, 1, P, P, P],
    ].map((r) => r.map((v) => Math.fround(v))));
  });
});
