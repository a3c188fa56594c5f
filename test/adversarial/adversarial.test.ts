// hb.adversarial on a softmax-regression model, whose input gradient is known in closed form:
// for L = mean_n −log softmax(W·xₙ + b)[yₙ], ∂L/∂xₙ = W (pₙ − onehot(yₙ)) / N.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const W = [[0.5, -1, 0.25], [-0.75, 0.5, 1], [1.5, 0.2, -0.3], [0.1, -0.6, 0.9]];
const B = [0.1, -0.2, 0.05];

function softmaxModel(): hb.Model {
  const m = hb.sequential([hb.layers.dense({ units: 3, activation: 'softmax', inputShape: [4], name: 'd' })]);
  m.getLayer('d').setWeights([hb.tensor(W), hb.tensor(B)]);
  return m;
}

/** ∂L/∂x by the formula above, in plain JS. */
function handGradient(x: number[][], y: number[]): number[][] {
  return x.map((row, n) => {
    const z = [0, 1, 2].map((k) => B[k] + row.reduce((s, v, i) => s + v * W[i][k], 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
    return row.map((_, i) => [0, 1, 2].reduce((s, k) => s + W[i][k] * (p[k] - (k === y[n] ? 1 : 0)), 0) / x.length);
  });
}

const X = [[0.2, 0.4, 0.6, 0.8], [0.9, 0.1, 0.5, 0.3], [0.35, 0.65, 0.15, 0.55]];
const Y = [0, 2, 1];

describe('hb.adversarial', () => {
  it('FGSM moves every input by exactly ε·sign(∂L/∂x)', () => {
    const m = softmaxModel();
    const x = hb.tensor(X);
    const y = hb.tensor(Y, [3], 'int32');
    const g = handGradient(X, Y);
    const eps = 0.1;
    const adv = hb.adversarial.fgsm(m, x, y, { epsilon: eps, clipMin: null, clipMax: null }).toArray() as number[][];
    adv.forEach((row, n) => row.forEach((v, i) => expect(v - X[n][i]).toBeCloseTo(eps * Math.sign(g[n][i]), 6)));
    // The same with one-hot targets and an explicit loss; and targeted moves the other way.
    const oneHot = hb.oneHot(y, 3).cast('float32');
    const adv2 = hb.adversarial.fgsm(m, x, oneHot, { epsilon: eps, loss: 'categoricalCrossentropy', clipMin: null, clipMax: null, targeted: true }).toArray() as number[][];
    adv2.forEach((row, n) => row.forEach((v, i) => expect(v - X[n][i]).toBeCloseTo(-eps * Math.sign(g[n][i]), 6)));
    // Clipping to [0, 1] (the default).
    const big = hb.adversarial.fgsm(m, x, y, { epsilon: 0.5 }).toArray() as number[][];
    big.forEach((row, n) => row.forEach((v, i) => expect(v).toBeCloseTo(Math.min(1, Math.max(0, X[n][i] + 0.5 * Math.sign(g[n][i]))), 6)));
    // The analytic gradient itself.
    const ig = hb.adversarial.inputGradient(m, x, y).toArray() as number[][];
    ig.forEach((row, n) => row.forEach((v, i) => expect(v).toBeCloseTo(g[n][i], 6)));
  });

  it('PGD stays in the ε-ball and the valid range, raises the loss, and one full step from x is FGSM', () => {
    const m = softmaxModel();
    const x = hb.tensor(X);
    const y = hb.tensor(Y, [3], 'int32');
    const eps = 0.2;
    const adv = hb.adversarial.pgd(m, x, y, { epsilon: eps, steps: 8, seed: 3 });
    const a = adv.toArray() as number[][];
    a.forEach((row, n) => row.forEach((v, i) => {
      expect(Math.abs(v - X[n][i])).toBeLessThanOrEqual(eps + 1e-6);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }));
    const loss = (t: hb.Tensor) => hb.losses.sparseCategoricalCrossentropy(y, m.predict(t) as hb.Tensor).item();
    expect(loss(adv)).toBeGreaterThan(loss(x));
    const one = hb.adversarial.pgd(m, x, y, { epsilon: eps, steps: 1, stepSize: eps, randomStart: false });
    const f = hb.adversarial.fgsm(m, x, y, { epsilon: eps });
    expect(Array.from(one.dataSync())).toEqual(Array.from(f.dataSync()));
  });

  it('the adversarialTraining callback makes each fit step a step on [x; FGSM(x)] and then restores the step', async () => {
    const x = hb.randomUniform([8, 4], { seed: 1 });
    const y = hb.argmax(hb.matmul(x, hb.tensor([[1, -1, 0], [0, 1, -1], [-1, 0, 1], [1, 1, -2]])), 1).cast('int32');
    const compile = (m: hb.Model) => m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    // Reference: one SGD step on the clean batch stacked on its FGSM version (made by fgsm, tested above).
    const ref = softmaxModel();
    compile(ref);
    const adv = hb.adversarial.fgsm(ref, x, y, { epsilon: 0.1 });
    ref.trainOnBatch(hb.concat([x, adv], 0), hb.concat([y, y], 0));
    const m = softmaxModel();
    compile(m);
    const cb = hb.adversarial.adversarialTraining({ epsilon: 0.1 });
    expect(cb).toBeInstanceOf(hb.adversarial.AdversarialTraining);
    await m.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0, callbacks: [cb] });
    const got = m.getWeights().map((w) => Array.from(w.dataSync()));
    ref.getWeights().forEach((w, i) => Array.from(w.dataSync()).forEach((v, j) => expect(got[i][j]).toBeCloseTo(v, 6)));
    // The built-in step is back after fit; a custom step is wrapped and restored too.
    expect(Object.prototype.hasOwnProperty.call(m, 'trainStep')).toBe(false);
    const sizes: number[] = [];
    const custom = (batch: hb.StepBatch) => {
      sizes.push(batch.size, batch.x[0].shape[0]);
      return { n: batch.size };
    };
    m.trainStep = custom;
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [hb.adversarial.adversarialTraining({ epsilon: 0.1, attack: 'pgd', pgdSteps: 2, seed: 1 })] });
    expect(sizes).toEqual([8, 8, 8, 8]);
    expect(m.trainStep).toBe(custom);
    // A fit that throws leaves the wrapper behind; called outside that fit, it trains plainly and removes itself.
    const broken = softmaxModel();
    compile(broken);
    const boom = { onBatchEnd: () => { throw new Error('boom'); } };
    await expect(broken.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [hb.adversarial.adversarialTraining({ epsilon: 0.1 }), boom] })).rejects.toThrow(/boom/);
    expect(Object.prototype.hasOwnProperty.call(broken, 'trainStep')).toBe(true);
    const plain = softmaxModel();
    compile(plain);
    plain.setWeights(broken.getWeights());
    plain.trainOnBatch(x, y);
    broken.trainOnBatch(x, y);
    expect(Object.prototype.hasOwnProperty.call(broken, 'trainStep')).toBe(false);
    const bw = broken.getWeights().map((w) => Array.from(w.dataSync()));
    plain.getWeights().forEach((w, i) => Array.from(w.dataSync()).forEach((v, j) => expect(bw[i][j]).toBeCloseTo(v, 6)));
    expect(() => hb.adversarial.adversarialTraining({ epsilon: 0.1, atack: 'pgd' } as unknown as hb.adversarial.AdversarialCallbackOptions)).toThrow(/unknown option 'atack'.*attack/);
    expect(() => hb.adversarial.adversarialTraining({} as hb.adversarial.AdversarialCallbackOptions)).toThrow(/epsilon is required/);
  });

  it('adversarialTraining(model, x, y, options) fits clean + FGSM batches and reports per-epoch logs', async () => {
    const m = softmaxModel();
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = hb.randomUniform([24, 4], { seed: 1 });
    const y = hb.argmax(hb.matmul(x, hb.tensor([[1, -1, 0], [0, 1, -1], [-1, 0, 1], [1, 1, -2]])), 1).cast('int32');
    const seen: number[] = [];
    const h = await hb.adversarial.adversarialTraining(m, x, y, { epsilon: 0.05, epochs: 3, batchSize: 8, seed: 2, onEpochEnd: (e) => seen.push(e) });
    expect(seen).toEqual([0, 1, 2]);
    expect(h.loss).toHaveLength(3);
    expect(h.loss[2]).toBeLessThan(h.loss[0]);
    expect(Object.prototype.hasOwnProperty.call(m, 'trainStep')).toBe(false);
    const fresh = softmaxModel();
    await expect(hb.adversarial.adversarialTraining(fresh, x, y, { epsilon: 0.1 })).rejects.toThrow(/compile the model first/);
    expect(() => hb.adversarial.fgsm(fresh, x, y, { eps: 0.1 } as unknown as hb.adversarial.AttackOptions)).toThrow(/unknown option 'eps'/);
    expect(() => hb.adversarial.fgsm(fresh, x, hb.zeros([3], 'int32'), { epsilon: 0.1 })).toThrow(/same number of samples/);
  });
});
