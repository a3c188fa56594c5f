// The Siamese pair model: one encoder, shared by both branches (the same Variables, counted
// once); the distance head is ‖f(a) − f(b)‖₂ computed by hand from the encoder's embeddings,
// symmetric and zero for a pair of equal images; the logistic head is σ(w·|f(a) − f(b)| + b).
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const tiny = () => hb.sequential([hb.layers.flatten({ inputShape: [4, 4, 1] }), hb.layers.dense({ units: 3, name: 'emb' })], { name: 'enc' });

describe('hb.zoo.siamese', () => {
  it('shares the encoder weights between the two branches', () => {
    const encoder = tiny();
    const m = hb.zoo.siamese({ encoder });
    expect(m.weights).toHaveLength(encoder.weights.length);
    m.weights.forEach((w, i) => expect(w).toBe(encoder.weights[i]));
    expect(m.countParams()).toBe(16 * 3 + 3);
    expect(m.layers.filter((l) => l === encoder)).toHaveLength(1);
    // Changing the encoder changes both branches: zero weights → equal embeddings → distance ≈ 0.
    const a = hb.randomUniform([3, 4, 4, 1], { seed: 1 });
    const b = hb.randomUniform([3, 4, 4, 1], { seed: 2 });
    encoder.setWeights(encoder.getWeights().map((w) => hb.zerosLike(w)));
    for (const v of (m.predict([a, b]) as hb.Tensor).dataSync()) expect(v).toBeLessThan(1e-5);
  });

  it('distance head = ‖f(a) − f(b)‖₂, symmetric, 0 for equal inputs', () => {
    const encoder = tiny();
    const m = hb.zoo.siamese({ encoder });
    const a = hb.randomUniform([3, 4, 4, 1], { seed: 3 });
    const b = hb.randomUniform([3, 4, 4, 1], { seed: 4 });
    const fa = (encoder.predict(a) as hb.Tensor).toArray() as number[][];
    const fb = (encoder.predict(b) as hb.Tensor).toArray() as number[][];
    const d = (m.predict([a, b]) as hb.Tensor).dataSync();
    fa.forEach((r, n) => expect(d[n]).toBeCloseTo(Math.hypot(...r.map((v, k) => v - fb[n][k])), 5));
    const back = (m.predict([b, a]) as hb.Tensor).dataSync();
    d.forEach((v, n) => expect(back[n]).toBeCloseTo(v, 6));
    for (const v of (m.predict([a, a]) as hb.Tensor).dataSync()) expect(v).toBeLessThan(1e-5);
  });

  it('logistic head = σ(w·|f(a) − f(b)| + b), and the model saves and loads', async () => {
    const encoder = tiny();
    const m = hb.zoo.siamese({ encoder, head: 'logistic' });
    m.getLayer('same_probability').setWeights([hb.tensor([[0.5], [-1], [2]]), hb.tensor([0.1])]);
    const a = hb.randomUniform([2, 4, 4, 1], { seed: 5 });
    const b = hb.randomUniform([2, 4, 4, 1], { seed: 6 });
    const fa = (encoder.predict(a) as hb.Tensor).toArray() as number[][];
    const fb = (encoder.predict(b) as hb.Tensor).toArray() as number[][];
    const p = (m.predict([a, b]) as hb.Tensor).dataSync();
    fa.forEach((r, n) => {
      const z = 0.1 + [0.5, -1, 2].reduce((s, w, k) => s + w * Math.abs(r[k] - fb[n][k]), 0);
      expect(p[n]).toBeCloseTo(1 / (1 + Math.exp(-z)), 5);
    });
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = join(mkdtempSync(join(tmpdir(), 'hebb-siamese-')), 'm');
    await m.save(dir);
    const back = await hb.loadModel(dir);
    Array.from((back.predict([a, b]) as hb.Tensor).dataSync()).forEach((v, n) => expect(v).toBeCloseTo(p[n], 6));
    expect(() => hb.zoo.siamese({ head: 'cosine' as 'distance' })).toThrow(/one of "distance", "logistic"/);
  });

  it('the logistic head keeps w ≤ 0 through training (a weighted L1 distance); normalize makes unit embeddings', async () => {
    const encoder = tiny();
    const m = hb.zoo.siamese({ encoder, head: 'logistic' });
    expect(Array.from(m.getLayer('same_probability').getWeights()[0].dataSync())).toEqual([-0.1, -0.1, -0.1].map(Math.fround));
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 5 }), loss: 'binaryCrossentropy' });
    const a = hb.randomUniform([16, 4, 4, 1], { seed: 7 });
    const b = hb.randomUniform([16, 4, 4, 1], { seed: 8 });
    // Targets that reward "far apart = same": an unconstrained head would make w positive.
    await m.fit([a, b], hb.ones([16, 1]), { epochs: 3, batchSize: 16, verbose: 0 });
    for (const w of m.getLayer('same_probability').getWeights()[0].dataSync()) expect(w).toBeLessThanOrEqual(0);

    const n = hb.zoo.siamese({ encoder, normalize: true });
    const fa = (encoder.predict(a) as hb.Tensor).toArray() as number[][];
    const fb = (encoder.predict(b) as hb.Tensor).toArray() as number[][];
    const unit = (r: number[]) => r.map((v) => v / Math.hypot(...r));
    const d = (n.predict([a, b]) as hb.Tensor).dataSync();
    fa.forEach((r, i) => {
      const ua = unit(r);
      const ub = unit(fb[i]);
      expect(d[i]).toBeCloseTo(Math.hypot(...ua.map((v, k) => v - ub[k])), 5);
    });
  });

  it('tripletSemiHardLoss picks the semi-hard negative (else the farthest) and has the hand gradient', () => {
    // 1-D embeddings 0, 1, 3, 0.6 with labels 0, 0, 1, 1. Squared distances and the negative of
    // each (anchor, positive): (0,1) d=1, negatives 9 (#2), 0.36 (#3) → 9; (1,0) d=1 → 4 (#2);
    // (2,3) d=5.76, negatives 9, 4 → 9; (3,2) d=5.76, negatives 0.36, 0.16: none farther → 0.36.
    const e = hb.tensor([[0], [1], [3], [0.6]], [4, 1], 'float64');
    const y = hb.tensor([0, 0, 1, 1], [4], 'int32');
    expect(hb.zoo.tripletSemiHardLoss(y, e, { margin: 0.5 }).item()).toBeCloseTo((5.76 - 0.36 + 0.5) / 4, 10);
    // α = 3.5: terms 0, 0.5, 0.26, 8.9.
    expect(hb.zoo.tripletSemiHardLoss(y, e, { margin: 3.5 }).item()).toBeCloseTo((0.5 + 0.26 + 8.9) / 4, 10);
    // ∂/∂e of ¼[(e1−e0)² − (e1−e2)² + (e2−e3)² − (e2−e0)² + (e3−e2)² − (e3−e0)² + 3α].
    const g = hb.grad((t: hb.Tensor) => hb.zoo.tripletSemiHardLoss(y, t, { margin: 3.5 }))(e).dataSync();
    [1.3, 1.5, -0.1, -2.7].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 9));
    expect(() => hb.zoo.tripletSemiHardLoss(hb.tensor([0, 1], [2], 'int32'), e)).toThrow(/one label per embedding/);
    expect(() => hb.zoo.tripletSemiHardLoss(y, e, { margn: 1 } as unknown as hb.zoo.TripletSemiHardOptions)).toThrow(/unknown option 'margn'/);
  });
});
