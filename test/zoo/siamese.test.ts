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
});
