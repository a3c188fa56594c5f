// docs/api.md's functional example, run as written, then the three shapes it is named for:
// a residual connection (ResNet), parallel branches joined by concatenate (Inception), and a
// Siamese network with shared layers trained with hb.losses.contrastive / hb.losses.triplet,
// plus a model with several inputs and outputs. Every model is predicted, trained, saved and
// loaded back. Expected values come from hand-set weights and plain-JS arithmetic.
//
// About `hb.layers.add().apply([b, a])` with b [N, 28, 28, 8] and a [N, 28, 28, 1]: Keras 3's
// merge layers broadcast compatible shapes (a dimension of 1 stretches, as in NumPy; Keras 2's
// Add did the same for equal ranks), so the example is valid and gives [N, 28, 28, 8] with a's
// single channel added to each of b's 8. hb.layers.add does the same; shapes that cannot
// broadcast (8 channels and 3) are a ShapeError when the layer is applied.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const tempDir = (): string => join(mkdtempSync(join(tmpdir(), 'hebb-api-fn-')), 'model');
const flat = (t: hb.Tensor | hb.Tensor[]): number[] => Array.from((t as hb.Tensor).dataSync());
const one = (t: hb.Tensor | hb.Tensor[]): hb.Tensor => t as hb.Tensor;

/** A conv kernel [kh, kw, cin, cout] that is zero except kernel[1][1][0][c] = center[c]. */
function centerTapKernel(center: number[]): hb.Tensor {
  const k = new Float32Array(3 * 3 * 1 * center.length);
  center.forEach((v, c) => (k[(1 * 3 + 1) * center.length + c] = v));
  return hb.tensor(k, [3, 3, 1, center.length]);
}

async function roundTrip(m: hb.Model, customObjects?: hb.CustomObjects): Promise<hb.Model> {
  const dir = tempDir();
  await m.save(dir);
  return hb.loadModel(dir, { customObjects });
}

describe("the functional example of docs/api.md, as written", () => {
  const a = hb.input({ shape: [28, 28, 1] });
  const b = hb.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(a);
  const m2 = hb.model({ inputs: a, outputs: hb.layers.add().apply([b, a]) });
  const x = hb.randomUniform([2, 28, 28, 1], { seed: 1 });

  it('builds: a [null, 28, 28, 1] input, the conv output [null, 28, 28, 8], the sum broadcast to [null, 28, 28, 8]', () => {
    expect(a.shape).toEqual([null, 28, 28, 1]);
    expect(b.shape).toEqual([null, 28, 28, 8]);
    expect(m2.outputs[0].shape).toEqual([null, 28, 28, 8]);
    expect(m2.layers.map((l) => l.className)).toEqual(['InputLayer', 'Conv2D', 'Add']);
    expect(m2.countParams()).toBe(3 * 3 * 1 * 8 + 8);
  });

  it("predicts b + a with a's one channel added to every channel of b", () => {
    // kernel centre tap c for channel c, bias −c: conv(x)[…, c] = c·x − c, so out[…, c] = (c + 1)·x − c
    const conv = m2.layers[1];
    conv.setWeights([centerTapKernel([0, 1, 2, 3, 4, 5, 6, 7]), hb.tensor([0, -1, -2, -3, -4, -5, -6, -7])]);
    const out = one(m2.predict(x, { batchSize: 1 }));
    expect(out.shape).toEqual([2, 28, 28, 8]);
    const xs = x.dataSync();
    const os = out.dataSync();
    for (let p = 0; p < xs.length; p++) {
      for (let c = 0; c < 8; c++) expect(os[p * 8 + c]).toBeCloseTo((c + 1) * xs[p] - c, 5);
    }
  });

  it('shapes that cannot broadcast (8 channels and 3) are a ShapeError naming the layer', () => {
    const c3 = hb.input({ shape: [28, 28, 3] });
    const bad = hb.layers.add({ name: 'skip' });
    expect(() => bad.apply([b, c3])).toThrow(hb.ShapeError);
    expect(() => bad.apply([b, c3])).toThrow(/skip/);
  });

  it('trains (fit) and survives save / loadModel', async () => {
    m2.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    // target: 2·x in every channel, reachable with centre tap 1 and bias 0
    const y = hb.tile(hb.mul(x, 2), [1, 1, 1, 8]);
    const h = await m2.fit(x, y, { epochs: 15, batchSize: 2, verbose: 0 });
    expect(h.history.loss[14]).toBeLessThan(h.history.loss[0]);
    const loaded = await roundTrip(m2);
    expect(flat(loaded.predict(x))).toEqual(flat(m2.predict(x)));
  });
});

describe('residual block with filters: 1 (a real skip connection)', () => {
  const a = hb.input({ shape: [28, 28, 1] });
  const conv = hb.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same' });
  const m = hb.model({ inputs: a, outputs: hb.layers.add().apply([conv.apply(a), a]) });
  const x = hb.randomNormal([3, 28, 28, 1], { seed: 2 });

  it('output shape equals the input shape', () => {
    expect(m.outputs[0].shape).toEqual([null, 28, 28, 1]);
  });

  it('a zero residual branch is the identity; a centre tap k with bias β gives (1 + k)·x + β', () => {
    conv.setWeights([hb.zeros([3, 3, 1, 1]), hb.zeros([1])]);
    expect(flat(m.predict(x))).toEqual(flat(x));
    conv.setWeights([centerTapKernel([1]), hb.tensor([0.5])]);
    const xs = x.dataSync();
    flat(m.predict(x)).forEach((v, i) => expect(v).toBeCloseTo(2 * xs[i] + 0.5, 5));
  });

  it('the gradient flows through both paths: learning y = 3x from the identity', async () => {
    conv.setWeights([hb.zeros([3, 3, 1, 1]), hb.zeros([1])]);
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const h = await m.fit(x, hb.mul(x, 3), { epochs: 40, batchSize: 3, verbose: 0 });
    expect(h.history.loss[39]).toBeLessThan(0.1 * h.history.loss[0]);
    // the learned kernel is close to a centre tap of 2 (3x = x + 2x)
    expect(conv.getWeights()[0].dataSync()[4]).toBeGreaterThan(1.5);
    const loaded = await roundTrip(m);
    expect(flat(loaded.predict(x))).toEqual(flat(m.predict(x)));
  });
});

describe('Inception-like branches joined by concatenate', () => {
  const input = hb.input({ shape: [8, 8, 3], name: 'image' });
  const b1 = hb.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'relu', name: 'b1x1' }).apply(input);
  const b3 = hb.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'b3x3' }).apply(input);
  const bp = hb.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: 'bpool' }).apply(input);
  const joined = hb.layers.concatenate({ name: 'mixed' }).apply([b1, b3, bp]);
  const pooled = hb.layers.globalAveragePooling2d().apply(joined);
  const out = hb.layers.dense({ units: 3, activation: 'softmax', name: 'classes' }).apply(pooled);
  const m = hb.model({ inputs: input, outputs: out, name: 'inception' });

  // class k: channel k is brighter (+1) on top of N(0, 0.5²) noise
  const n = 60;
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const boost = hb.reshape(hb.oneHot(hb.tensor(labels, [n], 'int32'), 3), [n, 1, 1, 3]);
  const x = hb.add(hb.randomNormal([n, 8, 8, 3], { std: 0.5, seed: 3 }), boost);
  const y = hb.oneHot(hb.tensor(labels, [n], 'int32'), 3);

  it('shapes: 4 + 6 + 3 channels after concatenate, 13 after global pooling', () => {
    expect(joined.shape).toEqual([null, 8, 8, 13]);
    expect(pooled.shape).toEqual([null, 13]);
    expect(m.countParams()).toBe((1 * 1 * 3 * 4 + 4) + (3 * 3 * 3 * 6 + 6) + (13 * 3 + 3));
    expect(m.summary({ print: false })).toMatch(/mixed \(Concatenate\)\s+\(None, 8, 8, 13\)\s+0\s+b1x1\[0\]\[0\]/);
  });

  it('concatenated channels are [relu(1×1 conv), relu(3×3 conv), 3×3 max pool], checked in plain JS', () => {
    const sample = hb.slice(x, [0], [2]);
    const mixed = one(hb.model({ inputs: input, outputs: joined }).predict(sample)).toArray() as number[][][][];
    const xs = sample.toArray() as number[][][][];
    const [w1, c1] = m.getLayer('b1x1').getWeights().map((t) => t.toArray()) as [number[][][][], number[]];
    for (let s = 0; s < 2; s++) {
      for (let i = 0; i < 8; i++) {
        for (let j = 0; j < 8; j++) {
          for (let f = 0; f < 4; f++) {
            const z = c1[f] + [0, 1, 2].reduce((acc, c) => acc + xs[s][i][j][c] * w1[0][0][c][f], 0);
            expect(mixed[s][i][j][f]).toBeCloseTo(Math.max(z, 0), 5);
          }
          for (let c = 0; c < 3; c++) {
            let best = -Infinity;
            for (let di = -1; di <= 1; di++) for (let dj = -1; dj <= 1; dj++) {
              const [ii, jj] = [i + di, j + dj];
              if (ii >= 0 && ii < 8 && jj >= 0 && jj < 8) best = Math.max(best, xs[s][ii][jj][c]);
            }
            expect(mixed[s][i][j][10 + c]).toBeCloseTo(best, 6);
          }
        }
      }
    }
  });

  it('fit learns the task; predict gives [N, 3] rows summing to 1; save / load predicts identically', async () => {
    hb.setSeed(4);
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(x, y, { epochs: 25, batchSize: 20, verbose: 0 });
    expect(h.history.loss[24]).toBeLessThan(h.history.loss[0]);
    expect((await m.evaluate(x, y)).accuracy).toBeGreaterThan(0.9);
    const p = one(m.predict(x, { batchSize: 16 }));
    expect(p.shape).toEqual([n, 3]);
    for (const row of p.toArray() as number[][]) expect(row[0] + row[1] + row[2]).toBeCloseTo(1, 5);
    const loaded = await roundTrip(m);
    expect(flat(loaded.predict(x))).toEqual(flat(p));
    expect((await loaded.evaluate(x, y)).accuracy).toBe((await m.evaluate(x, y)).accuracy);
  });
});

describe('Siamese network: shared layers, trained with hb.losses.contrastive', () => {
  // Two classes in 4-D; a pair is "similar" (y = 1) when both points have the same class.
  const centers = [[1.5, 1.5, 0, 0], [0, 0, 1.5, 1.5]];
  function pairs(n: number, seed: number): { left: hb.Tensor; right: hb.Tensor; same: hb.Tensor; sameJs: number[] } {
    const ca = Array.from({ length: n }, (_, i) => i % 2);
    const cb = Array.from({ length: n }, (_, i) => (i % 4 < 2 ? ca[i] : 1 - ca[i]));
    const pick = (cls: number[], s: number): hb.Tensor =>
      hb.add(hb.tensor(cls.map((c) => centers[c])), hb.randomNormal([n, 4], { std: 0.3, seed: s }));
    const sameJs = ca.map((c, i) => (c === cb[i] ? 1 : 0));
    return { left: pick(ca, seed), right: pick(cb, seed + 100), same: hb.tensor(sameJs), sameJs };
  }

  const left = hb.input({ shape: [4], name: 'left' });
  const right = hb.input({ shape: [4], name: 'right' });
  const hidden = hb.layers.dense({ units: 8, activation: 'relu', name: 'shared_hidden' });
  const embed = hb.layers.dense({ units: 2, name: 'shared_embed' });
  const encode = (t: hb.SymbolicTensor): hb.SymbolicTensor => embed.apply(hidden.apply(t));
  const diff = hb.layers.subtract({ name: 'diff' }).apply([encode(left), encode(right)]);
  const siamese = hb.model({ inputs: [left, right], outputs: diff, name: 'siamese' });

  /** Contrastive loss on the Euclidean distance ‖e₁ − e₂‖ computed from the model's output e₁ − e₂. */
  function contrastiveOnDifference(yTrue: hb.Tensor, difference: hb.Tensor, options?: hb.LossOptions): hb.Tensor {
    const distance = hb.sqrt(hb.add(hb.sum(hb.square(difference), -1), 1e-9));
    return hb.losses.contrastive(yTrue, distance, options);
  }

  const distances = (m: hb.Model, d: ReturnType<typeof pairs>): number[] =>
    (one(m.predict([d.left, d.right])).toArray() as number[][]).map(([u, v]) => Math.hypot(u, v));
  const meanOf = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

  it('each shared layer appears once, with one set of weights, used by both branches', () => {
    expect(siamese.layers.filter((l) => l === hidden || l === embed).length).toBe(2);
    expect(siamese.weights.length).toBe(4);
    expect(siamese.countParams()).toBe(4 * 8 + 8 + (8 * 2 + 2));
    // the same point on both sides: e₁ − e₂ = 0 exactly, whatever the weights
    const p = hb.tensor([[1, 2, 3, 4]]);
    expect(flat(siamese.predict([p, p]))).toEqual([0, 0]);
  });

  it('fit with the contrastive loss: similar pairs end up closer than dissimilar ones (by the margin)', async () => {
    hb.setSeed(5);
    const train = pairs(80, 10);
    const test = pairs(40, 20);
    siamese.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.02 }), loss: contrastiveOnDifference });
    const h = await siamese.fit([train.left, train.right], train.same, { epochs: 30, batchSize: 16, verbose: 0 });
    expect(h.history.loss[29]).toBeLessThan(0.3 * h.history.loss[0]);
    const d = distances(siamese, test);
    const similar = meanOf(d.filter((_, i) => test.sameJs[i] === 1));
    const dissimilar = meanOf(d.filter((_, i) => test.sameJs[i] === 0));
    expect(similar).toBeLessThan(0.5 * dissimilar);
    expect(dissimilar).toBeGreaterThan(0.7); // pushed towards the margin 1
    // evaluate agrees with the loss recomputed in plain JS from the predicted distances
    const expected = meanOf(d.map((di, i) => (test.sameJs[i] === 1 ? di * di : Math.max(1 - di, 0) ** 2)));
    expect((await siamese.evaluate([test.left, test.right], test.same)).loss).toBeCloseTo(expected, 4);
  });

  it('save / load: the custom loss is named through customObjects; the shared layers stay shared', async () => {
    const dir = tempDir();
    await siamese.save(dir);
    await expect(hb.loadModel(dir)).rejects.toThrow(/contrastiveOnDifference/);
    const loaded = await hb.loadModel(dir, { customObjects: { contrastiveOnDifference } });
    expect(loaded.weights.length).toBe(4);
    expect(loaded.countParams()).toBe(siamese.countParams());
    const test = pairs(10, 30);
    expect(flat(loaded.predict([test.left, test.right]))).toEqual(flat(siamese.predict([test.left, test.right])));
    // trains on after loading
    const h = await loaded.fit([test.left, test.right], test.same, { epochs: 1, batchSize: 10, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
  });
});

describe('Siamese (three branches) trained with hb.losses.triplet', () => {
  const D = 2;
  const anchor = hb.input({ shape: [4], name: 'anchor' });
  const positive = hb.input({ shape: [4], name: 'positive' });
  const negative = hb.input({ shape: [4], name: 'negative' });
  const encoder = hb.layers.dense({ units: D, name: 'encoder' });
  const out = hb.layers.concatenate({ name: 'embeddings' }).apply([encoder.apply(anchor), encoder.apply(positive), encoder.apply(negative)]);
  const m = hb.model({ inputs: [anchor, positive, negative], outputs: out });

  /** yPred = [e_anchor | e_positive | e_negative]; yTrue is unused. */
  function tripletOnConcat(_yTrue: hb.Tensor, yPred: hb.Tensor, options?: hb.LossOptions): hb.Tensor {
    const part = (k: number): hb.Tensor => hb.slice(yPred, [0, k * D], [-1, D]);
    return hb.losses.triplet(part(0), part(1), part(2), { reduction: options?.reduction });
  }

  it('shares the encoder and lowers the triplet loss', async () => {
    expect(m.countParams()).toBe(4 * D + D);
    expect(out.shape).toEqual([null, 3 * D]);
    const n = 48;
    const cls = Array.from({ length: n }, (_, i) => i % 2);
    const at = (c: number[], seed: number): hb.Tensor =>
      hb.add(hb.tensor(c.map((k) => (k === 0 ? [1, 0, 1, 0] : [0, 1, 0, 1]))), hb.randomNormal([n, 4], { std: 0.3, seed }));
    const xs = [at(cls, 1), at(cls, 2), at(cls.map((c) => 1 - c), 3)];
    hb.setSeed(6);
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: tripletOnConcat });
    const before = (await m.evaluate(xs, hb.zeros([n, 1]))).loss;
    await m.fit(xs, hb.zeros([n, 1]), { epochs: 20, batchSize: 12, verbose: 0 });
    const after = (await m.evaluate(xs, hb.zeros([n, 1]))).loss;
    expect(after).toBeLessThan(0.5 * before);
  });
});

describe('several inputs and outputs', () => {
  const image = hb.input({ shape: [6, 6, 1], name: 'image' });
  const meta = hb.input({ shape: [3], name: 'meta' });
  const features = hb.layers.flatten().apply(hb.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }).apply(image));
  const hidden = hb.layers.dense({ units: 16, activation: 'relu' }).apply(hb.layers.concatenate().apply([features, meta]));
  const cls = hb.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(hidden);
  const reg = hb.layers.dense({ units: 1, name: 'reg' }).apply(hidden);
  const m = hb.model({ inputs: [image, meta], outputs: [cls, reg], name: 'two_heads' });

  // class = argmax(meta); regression target = mean pixel of the image
  const n = 90;
  const imgs = hb.randomUniform([n, 6, 6, 1], { seed: 7 });
  const metas = hb.randomNormal([n, 3], { seed: 8 });
  const yCls = hb.oneHot(hb.argmax(metas, -1), 3);
  const yReg = hb.mean(imgs, [1, 2]);

  it('input and output names come from the layers; shapes are per output', () => {
    expect(m.inputNames).toEqual(['image', 'meta']);
    expect(m.outputNames).toEqual(['cls', 'reg']);
    expect(m.outputs.map((o) => o.shape)).toEqual([[null, 3], [null, 1]]);
  });

  it('compile per output (by name), fit with x by name and y as a list, evaluate and predict', async () => {
    hb.setSeed(9);
    m.compile({
      optimizer: hb.optimizers.adam({ learningRate: 0.01 }),
      loss: { cls: 'categoricalCrossentropy', reg: 'meanSquaredError' },
      lossWeights: { cls: 1, reg: 0.5 },
      metrics: { cls: ['accuracy'] },
    });
    const h = await m.fit({ image: imgs, meta: metas }, [yCls, yReg], { epochs: 30, batchSize: 30, validationSplit: 0.2, verbose: 0 });
    for (const key of ['loss', 'cls_loss', 'reg_loss', 'cls_accuracy', 'val_loss', 'val_cls_loss', 'val_reg_loss', 'val_cls_accuracy']) {
      expect(h.history[key]?.length, key).toBe(30);
    }
    expect(h.history.cls_loss[29]).toBeLessThan(h.history.cls_loss[0]);
    expect(h.history.reg_loss[29]).toBeLessThan(h.history.reg_loss[0]);
    const res = await m.evaluate([imgs, metas], { cls: yCls, reg: yReg }, { batchSize: 45 });
    expect(Object.keys(res).sort()).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'reg_loss']);
    expect(res.loss).toBeCloseTo(res.cls_loss + 0.5 * res.reg_loss, 5);
    expect(res.cls_accuracy).toBeGreaterThan(0.8);
    const out = m.predict([imgs, metas], { batchSize: 32 });
    expect(Array.isArray(out)).toBe(true);
    const [pc, pr] = out as hb.Tensor[];
    expect(pc.shape).toEqual([n, 3]);
    expect(pr.shape).toEqual([n, 1]);
    // the classification head's loss recomputed in plain JS
    const probs = pc.toArray() as number[][];
    const truth = yCls.toArray() as number[][];
    const ce = probs.reduce((s, row, i) => s - Math.log(Math.max(row[truth[i].indexOf(1)], 1e-7)), 0) / n;
    expect(res.cls_loss).toBeCloseTo(ce, 4);
  });

  it('save / load keeps both inputs, both outputs and the compile config', async () => {
    const loaded = await roundTrip(m);
    expect(loaded.inputNames).toEqual(['image', 'meta']);
    expect(loaded.outputNames).toEqual(['cls', 'reg']);
    const [a, b] = m.predict([imgs, metas]) as hb.Tensor[];
    const [la, lb] = loaded.predict([imgs, metas]) as hb.Tensor[];
    expect(flat(la)).toEqual(flat(a));
    expect(flat(lb)).toEqual(flat(b));
    const [r1, r2] = [await m.evaluate([imgs, metas], [yCls, yReg]), await loaded.evaluate([imgs, metas], [yCls, yReg])];
    expect(Object.keys(r2).sort()).toEqual(Object.keys(r1).sort());
    expect(r2.loss).toBeCloseTo(r1.loss, 6);
  });
});
