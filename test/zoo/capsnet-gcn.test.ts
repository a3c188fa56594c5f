// The zoo's CapsNet and GCN: parameter counts by hand arithmetic, a small CapsNet that predicts
// and trains with the margin loss, and a GCN that beats an MLP on a two-community graph.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
// Imported from their files: hb.zoo.capsnet and hb.zoo.gcn are these once src/zoo/index.ts re-exports them.
import { capsnet } from '../../src/zoo/capsnet.js';
import { gcn as gcnModel } from '../../src/zoo/gcn.js';

const conv = (f: number, cIn: number, cOut: number) => f * f * cIn * cOut + cOut;

describe('zoo.capsnet', () => {
  it('has 20,992 + 5,308,672 + 1,474,560 = 6,804,224 parameters at full size (no decoder)', () => {
    const perLayer = [conv(9, 1, 256), conv(9, 256, 32 * 8), 6 * 6 * 32 * 10 * 16 * 8];
    expect(perLayer).toEqual([20992, 5308672, 1474560]);
    const start = performance.now();
    const model = capsnet();
    expect(performance.now() - start).toBeLessThan(3000);
    expect(model.countParams()).toBe(6804224);
    expect(model.layers.map((l) => l.countParams()).filter((n) => n > 0)).toEqual(perLayer);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(model.summary({ print: false })).toMatch(/6,?804,?224/);
  });

  it('with the decoder: 8,215,568 parameters (+ 82,432 + 525,312 + 803,600), inputs [image, label], outputs [lengths, image]', () => {
    const dense = (nIn: number, nOut: number) => nIn * nOut + nOut;
    const decoder = [dense(160, 512), dense(512, 1024), dense(1024, 784)];
    expect(decoder).toEqual([82432, 525312, 803600]);
    const model = capsnet({ decoder: true });
    expect(model.countParams()).toBe(6804224 + 1411344);
    expect(model.countParams()).toBe(8215568);
    expect(model.inputs.map((t) => t.shape)).toEqual([[null, 28, 28, 1], [null, 10]]);
    expect(model.outputs.map((t) => t.shape)).toEqual([[null, 10], [null, 28, 28, 1]]);
  });

  it('trains small with the decoder on margin + 0.392 · reconstruction MSE', async () => {
    const model = capsnet({
      inputShape: [8, 8, 1], classes: 2, convFilters: 4, convKernelSize: 3, primaryChannels: 2, primaryDim: 3, primaryKernelSize: 3, digitDim: 3, decoder: true,
    });
    const x = hb.randomUniform([4, 8, 8, 1], { seed: 2 });
    const y = hb.oneHot(hb.tensor([0, 1, 0, 1], undefined, 'int32'), 2);
    const [lengths, image] = model.predict([x, y]) as hb.Tensor[];
    expect(lengths.shape).toEqual([4, 2]);
    expect(image.shape).toEqual([4, 8, 8, 1]);
    model.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: [hb.losses.marginLoss, 'meanSquaredError'], lossWeights: [1, 0.392] });
    const history = await model.fit([x, y], [y, x], { epochs: 5, batchSize: 4, shuffle: false, verbose: 0 });
    const loss = history.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  });

  it('builds small, predicts capsule lengths in [0, 1) and lowers the margin loss by training', async () => {
    const model = capsnet({
      inputShape: [12, 12, 1], classes: 3, routings: 3, convFilters: 8, convKernelSize: 3,
      primaryChannels: 4, primaryDim: 4, primaryKernelSize: 3, primaryStrides: 2, digitDim: 4,
    });
    // conv1 10×10×8, primary 4×4×4 = 64 capsules of 4, digit 3×4
    expect(model.countParams()).toBe(conv(3, 1, 8) + conv(3, 8, 16) + 64 * 3 * 4 * 4);
    const x = hb.randomUniform([6, 12, 12, 1], { seed: 1 });
    const p = model.predict(x) as hb.Tensor;
    expect(p.shape).toEqual([6, 3]);
    expect(Array.from(p.dataSync()).every((v) => v >= 0 && v < 1)).toBe(true);
    const y = hb.oneHot(hb.tensor([0, 1, 2, 0, 1, 2], undefined, 'int32'), 3);
    model.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: hb.losses.marginLoss });
    const history = await model.fit(x, y, { epochs: 5, batchSize: 6, shuffle: false, verbose: 0 });
    const loss = history.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  });

  it('saves and loads (PrimaryCaps, Capsule, CapsuleLength, CapsuleMask; and a GCN with two inputs) with identical predictions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-capsnet-gcn-'));
    try {
      const caps = capsnet({ inputShape: [8, 8, 1], classes: 2, convFilters: 4, convKernelSize: 3, primaryChannels: 2, primaryDim: 3, primaryKernelSize: 3, digitDim: 3, decoder: true });
      const x = [hb.randomUniform([2, 8, 8, 1], { seed: 4 }), hb.tensor([[1, 0], [0, 1]])];
      await caps.save(join(dir, 'capsnet'));
      const capsBack = await hb.loadModel(join(dir, 'capsnet'));
      const values = (m: hb.Model) => (m.predict(x) as hb.Tensor[]).map((t) => Array.from(t.dataSync()));
      expect(values(capsBack)).toEqual(values(caps));

      const g = gcnModel({ features: 3, classes: 2, hidden: 4 });
      const feats = hb.randomNormal([5, 3], { seed: 6 });
      const adj = hb.layers.normalizeAdjacency(hb.tensor([[0, 1, 0, 0, 1], [1, 0, 1, 0, 0], [0, 1, 0, 1, 0], [0, 0, 1, 0, 1], [1, 0, 0, 1, 0]]));
      await g.save(join(dir, 'gcn'));
      const gBack = await hb.loadModel(join(dir, 'gcn'));
      const p = gBack.predict([feats, adj], { batchSize: 5 }) as hb.Tensor;
      expect(p.shape).toEqual([5, 2]);
      expect(Array.from(p.dataSync())).toEqual(Array.from((g.predict([feats, adj], { batchSize: 5 }) as hb.Tensor).dataSync()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A seeded uniform generator (mulberry32), so the graph is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two-community stochastic block model: edges with probability pIn inside a community, pOut across. */
function blockModel(n: number, pIn: number, pOut: number, features: number, shift: number, seed: number) {
  const rand = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const labels = Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
  const a = labels.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rand() < (labels[i] === labels[j] ? pIn : pOut)) a[i][j] = a[j][i] = 1;
    }
  }
  // Weakly informative features: unit noise, the class mean ±shift on every axis.
  const x = labels.map((c) => Array.from({ length: features }, () => gauss() + (c === 0 ? shift : -shift)));
  return { a, x, labels };
}

describe('zoo.gcn', () => {
  it('has F·hidden + hidden·classes parameters (23,040 for Cora), + biases with useBias', () => {
    const cora = gcnModel({ features: 1433, classes: 7, numNodes: 2708 });
    expect(cora.countParams()).toBe(1433 * 16 + 16 * 7);
    expect(cora.countParams()).toBe(23040);
    expect(cora.layers.filter((l) => l.className === 'GraphConv').map((l) => l.name)).toEqual(['gc1', 'gc2']);
    expect(gcnModel({ features: 5, classes: 3, hidden: 4, useBias: true }).countParams()).toBe(5 * 4 + 4 + 4 * 3 + 3);
    expect(() => gcnModel({ features: 0, classes: 2 })).toThrow(hb.ValueError);
  });

  it('classifies the nodes of a two-community graph from 4 labels each better than an MLP on the features', async () => {
    const n = 60;
    const { a, x, labels } = blockModel(n, 0.2, 0.02, 8, 0.25, 11);
    const features = hb.tensor(x);
    const adjacency = hb.layers.normalizeAdjacency(hb.tensor(a));
    const y = hb.oneHot(hb.tensor(labels, undefined, 'int32'), 2);
    const labelled = new Set([0, 1, 2, 3, n - 1, n - 2, n - 3, n - 4]);
    const mask = hb.tensor(labels.map((_, i) => (labelled.has(i) ? 1 : 0)));
    const accuracy = (p: hb.Tensor) => {
      const guess = Array.from(hb.argmax(p, -1).dataSync());
      const test = labels.map((_, i) => i).filter((i) => !labelled.has(i));
      return test.filter((i) => guess[i] === labels[i]).length / test.length;
    };
    // The whole graph is one batch (the node axis is the batch axis): batchSize n, no shuffling.
    const train = { epochs: 100, batchSize: n, shuffle: false, sampleWeight: mask, verbose: 0 } as const;

    hb.setSeed(1);
    const gcn = gcnModel({ features: 8, classes: 2, numNodes: n });
    gcn.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    await gcn.fit([features, adjacency], y, train);
    const gcnAccuracy = accuracy(gcn.predict([features, adjacency], { batchSize: n }) as hb.Tensor);

    hb.setSeed(1);
    const mlp = hb.sequential([
      hb.layers.dropout({ rate: 0.5, inputShape: [8] }),
      hb.layers.dense({ units: 16, activation: 'relu' }),
      hb.layers.dropout({ rate: 0.5 }),
      hb.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    mlp.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    await mlp.fit(features, y, train);
    const mlpAccuracy = accuracy(mlp.predict(features) as hb.Tensor);

    expect(gcnAccuracy).toBeGreaterThan(0.85);
    expect(gcnAccuracy).toBeGreaterThan(mlpAccuracy + 0.2); // about 0.94 against 0.65 (5 graph and weight seeds tried: 0.92–0.98 against 0.60–0.67)
  });
});
