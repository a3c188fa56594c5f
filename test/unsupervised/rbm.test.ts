// RBMs: the free energy against brute force over the hidden states, the CD-k estimator's mean
// against its exact expectation by enumerating a tiny machine's states (and, for a long chain,
// the exact log-likelihood gradient), training, and greedy pre-training of a model's layers.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const u = hb.unsupervised;

/** All binary vectors of length n, as rows. */
function states(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, s) => Array.from({ length: n }, (_, i) => (s >> i) & 1));
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** A tiny RBM with weights of order 1 (so that the chain's statistics differ from the data's). */
function tiny(V: number, H: number, seed: number) {
  const m = u.rbm({ visibleUnits: V, hiddenUnits: H, seed, initStddev: 1, dtype: 'float64' });
  m.b = hb.keep(hb.randomNormal([V], { seed: seed + 1, dtype: 'float64', std: 0.5 }));
  m.c = hb.keep(hb.randomNormal([H], { seed: seed + 2, dtype: 'float64', std: 0.5 }));
  const W = Array.from({ length: V }, (_, i) => Array.from({ length: H }, (_, j) => m.W.dataSync()[i * H + j]));
  const b = Array.from(m.b.dataSync());
  const c = Array.from(m.c.dataSync());
  const energy = (v: number[], h: number[]) => {
    let e = 0;
    v.forEach((vi, i) => (e -= b[i] * vi));
    h.forEach((hj, j) => (e -= c[j] * hj));
    v.forEach((vi, i) => h.forEach((hj, j) => (e -= vi * W[i][j] * hj)));
    return e;
  };
  const pH = (v: number[]) => c.map((cj, j) => sig(cj + v.reduce((s, vi, i) => s + vi * W[i][j], 0)));
  const pV = (h: number[]) => b.map((bi, i) => sig(bi + h.reduce((s, hj, j) => s + hj * W[i][j], 0)));
  const prob = (p: number[], x: number[]) => p.reduce((s, pi, i) => s * (x[i] ? pi : 1 - pi), 1);
  return { m, W, b, c, energy, pH, pV, prob };
}

describe('RBM', () => {
  it('free energy equals −log Σ_h exp(−E(v, h)) by enumeration', () => {
    const { m, energy } = tiny(4, 3, 10);
    const vs = states(4);
    const F = m.freeEnergy(hb.tensor(vs, undefined, 'float64')).dataSync();
    vs.forEach((v, n) => {
      const z = states(3).reduce((s, h) => s + Math.exp(-energy(v, h)), 0);
      expect(F[n]).toBeCloseTo(-Math.log(z), 10);
    });
  });

  it('the CD-1 and CD-3 estimators average to their exact expectations (enumerated chain)', () => {
    const V = 3, H = 2;
    const { m, pH, pV, prob } = tiny(V, H, 20);
    const vs = states(V);
    const hs = states(H);
    // Gibbs transition T[v][v'] = Σ_h p(h|v) p(v'|h).
    const T = vs.map((v) => vs.map((v2) => hs.reduce((s, h) => s + prob(pH(v), h) * prob(pV(h), v2), 0)));
    const v0 = [1, 0, 1];
    const n = 20000;
    const batch = hb.tile(hb.tensor([v0], undefined, 'float64'), [n, 1]);
    for (const k of [1, 3]) {
      // Distribution of v_k from v0: the v0 row of T^k.
      let dist: number[] = vs.map((v) => (v.every((x, i) => x === v0[i]) ? 1 : 0));
      for (let s = 0; s < k; s++) dist = vs.map((_, j) => dist.reduce((acc, p, i) => acc + p * T[i][j], 0));
      const h0 = pH(v0);
      const g = m.cdGradients(batch, k);
      const dW = g.dW.dataSync();
      const db = g.db.dataSync();
      const dc = g.dc.dataSync();
      for (let i = 0; i < V; i++) {
        for (let j = 0; j < H; j++) {
          const neg = vs.reduce((s, v, t) => s + dist[t] * v[i] * pH(v)[j], 0);
          expect(Math.abs(dW[i * H + j] - (v0[i] * h0[j] - neg))).toBeLessThan(0.015);
        }
        expect(Math.abs(db[i] - (v0[i] - vs.reduce((s, v, t) => s + dist[t] * v[i], 0)))).toBeLessThan(0.015);
      }
      for (let j = 0; j < H; j++) expect(Math.abs(dc[j] - (h0[j] - vs.reduce((s, v, t) => s + dist[t] * pH(v)[j], 0)))).toBeLessThan(0.015);
    }
  });

  it('with a long chain, CD-k approaches the exact log-likelihood gradient ⟨vhᵀ⟩_data − ⟨vhᵀ⟩_model', () => {
    const V = 3, H = 2;
    const { m, energy, pH } = tiny(V, H, 30);
    const vs = states(V);
    const hs = states(H);
    const joint = vs.map((v) => hs.map((h) => Math.exp(-energy(v, h))));
    const Z = joint.flat().reduce((a, b) => a + b, 0);
    const data = [[1, 1, 0], [0, 1, 1]];
    const n = 10000;
    const batch = hb.tile(hb.tensor(data, undefined, 'float64'), [n / 2, 1]);
    const dW = m.cdGradients(batch, 20).dW.dataSync();
    for (let i = 0; i < V; i++) {
      for (let j = 0; j < H; j++) {
        const pos = data.reduce((s, v) => s + v[i] * pH(v)[j], 0) / data.length;
        let model = 0;
        vs.forEach((v, a) => hs.forEach((h, c) => (model += (joint[a][c] / Z) * v[i] * h[j])));
        expect(Math.abs(dW[i * H + j] - (pos - model))).toBeLessThan(0.02);
      }
    }
  });

  it('fit (CD-1 and persistent CD) lowers the reconstruction error; transform, reconstruct, sample', () => {
    // Two prototype patterns with 5 % bit flips.
    const rng = new (class { s = 7; next() { this.s = (this.s * 1103515245 + 12345) % 2 ** 31; return this.s / 2 ** 31; } })();
    const protos = [[1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0], [0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1]];
    const x = hb.tensor(Array.from({ length: 200 }, (_, i) => protos[i % 2].map((p) => (rng.next() < 0.05 ? 1 - p : p))));
    for (const persistent of [false, true]) {
      const m = u.rbm({ visibleUnits: 12, hiddenUnits: 4, seed: 1 });
      const { reconstructionError } = m.fit(x, { epochs: 15, batchSize: 20, learningRate: 0.2, k: 1, momentum: 0.5, weightDecay: 1e-4, persistent });
      expect(reconstructionError[14]).toBeLessThan(reconstructionError[0] / 2);
      expect(reconstructionError[14]).toBeLessThan(0.08);
      expect(m.transform(x).shape).toEqual([200, 4]);
      const r = m.reconstruct(hb.tensor([protos[0]])).dataSync();
      protos[0].forEach((p, i) => expect(Math.abs(r[i] - p)).toBeLessThan(0.5));
      const s = m.sample(6, { gibbsSteps: 50 });
      expect(s.shape).toEqual([6, 12]);
      // Samples look like one of the two prototypes.
      const d = s.dataSync();
      for (let n = 0; n < 6; n++) {
        const row = Array.from(d.slice(n * 12, n * 12 + 12), (v) => Math.round(v));
        const dist = Math.min(...protos.map((p) => p.reduce((acc, pi, i) => acc + Math.abs(pi - row[i]), 0)));
        expect(dist).toBeLessThanOrEqual(3);
      }
    }
  });

  it('validates its options and shapes', () => {
    expect(() => u.rbm({ visibleUnits: 4, hiddenUnit: 2 } as never)).toThrow(/did you mean 'hiddenUnits'/);
    const m = u.rbm({ visibleUnits: 4, hiddenUnits: 2 });
    expect(() => m.fit(hb.zeros([3, 5]))).toThrow(hb.ShapeError);
    expect(() => m.fit(hb.zeros([3, 4]), { lr: 0.1 } as never)).toThrow(/did you mean 'learningRate'/);
    expect(() => m.sample(2, { steps: 3 } as never)).toThrow(hb.ValueError);
  });
});

describe('greedy layer-wise pre-training', () => {
  const x = hb.randomUniform([64, 20], { seed: 3 }).greater(0.5).cast('float32');
  const net = () => {
    hb.setSeed(4);
    return hb.sequential([
      hb.layers.dense({ units: 8, activation: 'sigmoid', inputShape: [20] }),
      hb.layers.dense({ units: 6, activation: 'sigmoid' }),
      hb.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
  };

  for (const method of ['rbm', 'autoencoder', 'denoisingAutoencoder'] as const) {
    it(`${method}: sets every hidden dense layer, leaves the output layer, and the model still trains`, async () => {
      const model = net();
      const before = model.getWeights().map((w) => Array.from(w.dataSync()));
      const errors = await u.pretrain(model, x, { method, epochs: 2, batchSize: 16 });
      expect(errors.length).toBe(2);
      const after = model.getWeights().map((w) => Array.from(w.dataSync()));
      for (const i of [0, 2]) expect(after[i]).not.toEqual(before[i]); // hidden kernels changed
      expect(after[4]).toEqual(before[4]); // the output layer is left alone
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      const y = hb.tensor(Int32Array.from({ length: 64 }, (_, i) => i % 3), [64], 'int32');
      const h = await model.fit(x, y, { epochs: 1, batchSize: 16 });
      expect(Number.isFinite(h.history.loss[0])).toBe(true);
    });
  }

  // Regression (issue 11): at Adam's 0.001 the auto-encoders of a short pre-training learnt no
  // more than the mean input, and the fine-tuned MNIST networks sat at chance. The default must
  // beat that floor on data with structure: 4 prototypes of 20 bits, 5 % of the bits flipped.
  it('auto-encoders with the default learning rate reconstruct better than the mean input in 80 steps', async () => {
    const protos = hb.randomUniform([4, 20], { seed: 11 }).greater(0.5).cast('float32');
    const clean = hb.gather(protos, hb.tensor(Int32Array.from({ length: 256 }, (_, i) => i % 4), [256], 'int32'));
    const data = hb.abs(hb.sub(clean, hb.randomUniform([256, 20], { seed: 12 }).less(0.05).cast('float32')));
    // Cross-entropy of predicting every input by the per-unit mean.
    const m = hb.clip(hb.mean(data, 0, true), 1e-7, 1 - 1e-7);
    const floor = hb.mean(hb.neg(hb.add(hb.mul(data, hb.log(m)), hb.mul(hb.sub(1, data), hb.log(hb.sub(1, m)))))).item();
    for (const method of ['autoencoder', 'denoisingAutoencoder'] as const) {
      const errors = await u.pretrain(net(), data, { method, epochs: 10, batchSize: 32 });
      expect(errors[0]).toBeLessThan(0.8 * floor);
    }
  });

  it('needs a hidden dense layer and a known method', async () => {
    const one = hb.sequential([hb.layers.dense({ units: 3, inputShape: [20] })]);
    await expect(u.pretrain(one, x, { method: 'rbm' })).rejects.toThrow(/hidden dense layer/);
    await expect(u.pretrain(net(), x, { method: 'pca' as never })).rejects.toThrow(/one of/);
  });
});
