// The GAN's moving average of the generator's weights (emaDecay) against its formula, its
// lending for sampling and saving, save/resume; and the minibatch-standard-deviation layer's
// output and gradient against hand computations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'hebb-gan-ema-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const g = hb.generative;

function tinyGan(emaDecay: number, dcgan = false, emaWarmup?: boolean): hb.generative.GAN {
  hb.setSeed(11);
  const m = g.gan({
    generator: dcgan ? g.dcganGenerator({ latentDim: 8, width: 1 / 8 }) : g.mlpGenerator({ latentDim: 8, width: 1 / 32 }),
    discriminator: dcgan ? g.dcganDiscriminator({ width: 1 / 8, minibatchStdDev: true }) : g.mlpDiscriminator({ width: 1 / 32 }),
    emaDecay,
    ...(emaWarmup === undefined ? {} : { emaWarmup }),
  });
  m.compile({ optimizer: { generator: hb.optimizers.adam({ learningRate: 1e-2 }), discriminator: hb.optimizers.adam({ learningRate: 1e-2 }) } });
  return m;
}

const images = hb.randomUniform([12, 28, 28, 1], { seed: 9 });
const values = (ws: readonly hb.Variable[]) => ws.map((v) => Float64Array.from(v.value.dataSync()));

describe('moving average of the generator weights (emaDecay)', () => {
  it('follows w̄ ← d·w̄ + (1 − d)·w with d = min(β, (1 + t)/(10 + t)) after each generator step t', async () => {
    const beta = 0.6;
    const m = tinyGan(beta);
    // Starts at the generator's weights.
    let expected = values(m.generator.weights);
    values(m.averagedWeights).forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(expected[i])));
    const after: Float64Array[][] = [];
    await m.fit(images, null, { epochs: 1, batchSize: 4, seed: 1, callbacks: [{ onBatchEnd: () => void after.push(values(m.generator.weights)) }] });
    expect(after.length).toBe(3);
    after.forEach((w, step) => {
      const t = step + 1;
      const d = Math.min(beta, (1 + t) / (10 + t));
      expected = expected.map((a, i) => a.map((x, j) => d * x + (1 - d) * w[i][j]));
    });
    // d = 2/11, 3/12, 4/13: all in the warm-up, below β = 0.6 (the next test runs past it).
    const got = values(m.averagedWeights);
    got.forEach((a, i) => a.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], 6)));
    // The averages differ from the trained weights (else the test would prove nothing).
    expect(Math.max(...got[0].map((x, j) => Math.abs(x - after[2][0][j])))).toBeGreaterThan(1e-4);
  });

  it('uses β once the warm-up value (1 + t)/(10 + t) exceeds it', async () => {
    const beta = 0.05;
    const m = tinyGan(beta);
    let expected = values(m.generator.weights);
    const after: Float64Array[][] = [];
    await m.fit(images, null, { epochs: 1, batchSize: 4, seed: 2, callbacks: [{ onBatchEnd: () => void after.push(values(m.generator.weights)) }] });
    for (const w of after) expected = expected.map((a, i) => a.map((x, j) => beta * x + (1 - beta) * w[i][j]));
    values(m.averagedWeights).forEach((a, i) => a.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], 6)));
  });

  it('with emaWarmup false uses β from the first step (as PyTorch\'s AveragedModel), and keeps the flag in its config', async () => {
    const beta = 0.6;
    const m = tinyGan(beta, false, false);
    let expected = values(m.generator.weights);
    const after: Float64Array[][] = [];
    await m.fit(images, null, { epochs: 1, batchSize: 4, seed: 1, callbacks: [{ onBatchEnd: () => void after.push(values(m.generator.weights)) }] });
    for (const w of after) expected = expected.map((a, i) => a.map((x, j) => beta * x + (1 - beta) * w[i][j]));
    values(m.averagedWeights).forEach((a, i) => a.forEach((x, j) => expect(x).toBeCloseTo(expected[i][j], 6)));
    expect(m.getConfig().emaWarmup).toBe(false);
    expect(tinyGan(beta).getConfig().emaWarmup).toBe(true);
    expect(() => g.gan({ generator: m.generator, discriminator: m.discriminator, emaWarmup: 'no' as never })).toThrow(hb.ValueError);
  });

  it('lends the averaged weights for sampling and saving, and puts the trained ones back (also on errors)', async () => {
    const m = tinyGan(0.9, true);
    await m.fit(images, null, { epochs: 1, batchSize: 4, seed: 3 });
    const trained = values(m.generator.weights);
    const averaged = values(m.averagedWeights);
    const z = hb.randomNormal([3, 8], { seed: 4 });
    const seen = m.withAveragedGenerator((gen) => {
      values(gen.weights).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(averaged[i])));
      return (gen.predict(z) as hb.Tensor).dataSync();
    });
    values(m.generator.weights).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(trained[i])));
    const plain = (m.generator.predict(z) as hb.Tensor).dataSync();
    expect(Math.max(...seen.map((v, i) => Math.abs(v - plain[i])))).toBeGreaterThan(1e-6);
    expect(() => m.withAveragedGenerator(() => { throw new Error('boom'); })).toThrow('boom');
    await expect(m.withAveragedGenerator(async () => { throw new Error('later'); })).rejects.toThrow('later');
    values(m.generator.weights).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(trained[i])));
    // The saved generator is the averaged one; hb.loadModel restores it alone.
    await m.withAveragedGenerator((gen) => gen.save(join(root, 'gen'), { includeOptimizer: false }));
    const gen = await hb.loadModel(join(root, 'gen'));
    const out = (gen.predict(z) as hb.Tensor).dataSync();
    out.forEach((v, i) => expect(v).toBeCloseTo(seen[i], 6));
    // Without an average the generator is lent as it is.
    const plainGan = tinyGan(0);
    expect(plainGan.averagedWeights.length).toBe(0);
    expect(plainGan.withAveragedGenerator((x) => x)).toBe(plainGan.generator);
  });

  it('saves the averages with the GAN, so a resumed run continues them', async () => {
    const m = tinyGan(0.9, true);
    await m.fit(images, null, { epochs: 1, batchSize: 4, seed: 5 });
    await m.save(join(root, 'gan'));
    const back = (await hb.loadModel(join(root, 'gan'))) as hb.generative.GAN;
    expect(back.emaDecay).toBe(0.9);
    const a = values(m.averagedWeights);
    values(back.averagedWeights).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(a[i])));
    expect(back.optimizers.generator.iterations).toBe(3);
  });

  it('validates emaDecay', () => {
    const m = tinyGan(0);
    const parts = { generator: m.generator, discriminator: m.discriminator };
    expect(() => g.gan({ ...parts, emaDecay: 1 })).toThrow(/in \[0, 1\)/);
    expect(() => g.gan({ ...parts, emaDecay: -0.1 })).toThrow(hb.ValueError);
    expect(() => g.gan({ ...parts, emaDecay: '0.9' as never })).toThrow(hb.ValueError);
    expect(() => g.gan({ ...parts, emaDecy: 0.9 } as never)).toThrow(/did you mean 'emaDecay'/);
  });
});

describe('MinibatchStdDev', () => {
  // x [N = 3, 1, 2, C = 2]: four (position, channel) features.
  const data = [0.5, -1, 2, 0.25, 1.5, 3, -0.5, 0.75, -2, 1, 1, -1.25];
  const N = 3;
  const F = 4;
  const col = (f: number) => Array.from({ length: N }, (_, n) => data[n * F + f]);
  const mu = (f: number) => col(f).reduce((a, b) => a + b, 0) / N;
  const sd = (f: number, eps: number) => Math.sqrt(col(f).reduce((a, b) => a + (b - mu(f)) ** 2, 0) / N + eps);

  it('appends the mean over features of the batch standard deviation as one more channel', () => {
    const eps = 1e-8;
    const m = [0, 1, 2, 3].reduce((a, f) => a + sd(f, eps), 0) / F;
    const layer = new g.MinibatchStdDev();
    const x = hb.tensor(data, [3, 1, 2, 2], 'float64');
    const y = layer.apply(x) as hb.Tensor;
    expect(y.shape).toEqual([3, 1, 2, 3]);
    const out = y.dataSync();
    for (let n = 0; n < N; n++) {
      for (let p = 0; p < 2; p++) {
        expect(out[(n * 2 + p) * 3]).toBe(data[(n * 2 + p) * 2]);
        expect(out[(n * 2 + p) * 3 + 1]).toBe(data[(n * 2 + p) * 2 + 1]);
        expect(out[(n * 2 + p) * 3 + 2]).toBeCloseTo(m, 12);
      }
    }
    expect(layer.computeOutputShape([null, 7, 7, 5])).toEqual([null, 7, 7, 6]);
    expect((layer.apply(hb.tensor(data, [3, 4])) as hb.Tensor).shape).toEqual([3, 5]);
  });

  it('has the gradient ∂m/∂x_nf = (x_nf − μ_f)/(N·s_f·F)', () => {
    const eps = 0.01;
    const layer = new g.MinibatchStdDev({ epsilon: eps });
    const x = hb.tensor(data, [3, 1, 2, 2], 'float64');
    // L = Σ over the new channel = N·2 positions·m, so ∂L/∂x_nf = 2N·∂m/∂x_nf; the copied channels add 0 here.
    const L = (t: hb.Tensor) => hb.sum(hb.slice(layer.apply(t) as hb.Tensor, [0, 0, 0, 2], [3, 1, 2, 1]));
    const dx = hb.grad(L)(x).dataSync();
    for (let n = 0; n < N; n++) for (let f = 0; f < F; f++) {
      expect(dx[n * F + f]).toBeCloseTo((2 * N * (data[n * F + f] - mu(f))) / (N * sd(f, eps) * F), 10);
    }
    const r = hb.checkGrad((t: hb.Tensor) => hb.sum(hb.mul(layer.apply(t) as hb.Tensor, hb.randomNormal([3, 1, 2, 3], { seed: 1, dtype: 'float64' }))), [x], { eps: 1e-6, tol: 1e-6 });
    expect(r.maxRelError).toBeLessThan(1e-6);
  });

  it('validates its options and input, and survives a config round trip inside a saved model', async () => {
    expect(() => new g.MinibatchStdDev({ epsilon: 0 })).toThrow(hb.ValueError);
    expect(() => new g.MinibatchStdDev({ epsilom: 1 } as never)).toThrow(/did you mean 'epsilon'/);
    expect(() => new g.MinibatchStdDev().apply(hb.tensor([1, 2, 3]))).toThrow(hb.ShapeError);
    hb.setSeed(2);
    const d = g.dcganDiscriminator({ width: 1 / 8, minibatchStdDev: true });
    expect(d.getLayer('d_mbstd')).toBeInstanceOf(g.MinibatchStdDev);
    expect(() => g.dcganDiscriminator({ minibatchStddev: true } as never)).toThrow(/did you mean 'minibatchStdDev'/);
    await d.save(join(root, 'disc'));
    const back = await hb.loadModel(join(root, 'disc'));
    const x = hb.randomUniform([4, 28, 28, 1], { seed: 3 });
    const a = (d.predict(x) as hb.Tensor).dataSync();
    (back.predict(x) as hb.Tensor).dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i], 6));
  });
});

describe('DCGAN network options', () => {
  it('extraConvs adds stride-1 transposed convolutions at 7×7, mappingLayers dense layers on z; dropout follows each discriminator conv', () => {
    hb.setSeed(4);
    const gen = g.dcganGenerator({ latentDim: 8, width: 0.25, extraConvs: 2 });
    expect(gen.getLayer('g_refine2').computeOutputShape([null, 7, 7, 16])).toEqual([null, 7, 7, 16]);
    expect((gen.predict(hb.randomNormal([2, 8])) as hb.Tensor).shape).toEqual([2, 28, 28, 1]);
    expect(() => gen.getLayer('g_refine3')).toThrow();
    const plain = g.dcganGenerator({ latentDim: 8, width: 0.25 });
    expect(plain.layers.some((l) => l.name.startsWith('g_refine'))).toBe(false);
    // mappingLayers: dense 256·width layers on z before the projection.
    const mapped = g.dcganGenerator({ latentDim: 8, width: 0.25, mappingLayers: 2 });
    expect([1, 2].map((i) => mapped.getLayer(`g_map${i}`).getConfig().units)).toEqual([64, 64]);
    expect(mapped.getLayer('g_project').computeOutputShape([null, 64])).toEqual([null, 7 * 7 * 16]);
    expect(plain.layers.some((l) => l.name.startsWith('g_map'))).toBe(false);
    const d = g.dcganDiscriminator({ width: 0.25, dropout: 0.3 });
    expect(['d_drop1', 'd_drop2'].map((n) => d.getLayer(n).getConfig().rate)).toEqual([0.3, 0.3]);
    // Inference mode leaves dropout out: the same images score the same.
    const x = hb.randomUniform([3, 28, 28, 1], { seed: 2 });
    expect(Array.from((d.predict(x) as hb.Tensor).dataSync())).toEqual(Array.from((d.predict(x) as hb.Tensor).dataSync()));
    expect(() => g.dcganDiscriminator({ dropout: 1 })).toThrow(/in \[0, 1\)/);
    expect(() => g.dcganGenerator({ extraConvs: 1.5 })).toThrow(hb.ValueError);
    expect(() => g.dcganGenerator({ extraConv: 1 } as never)).toThrow(/did you mean 'extraConvs'/);
  });

  it('MLP networks: batch norm after the generator\'s hidden layers, dropout after the discriminator\'s', () => {
    hb.setSeed(5);
    const gen = g.mlpGenerator({ latentDim: 8, width: 1 / 16, batchNorm: true });
    expect(['g_bn1', 'g_bn2'].every((n) => gen.getLayer(n) instanceof hb.layers.BatchNormalization)).toBe(true);
    expect(gen.getLayer('g_dense1').getConfig().useBias).toBe(false);
    expect(g.mlpGenerator({ latentDim: 8, width: 1 / 16 }).layers.some((l) => l instanceof hb.layers.BatchNormalization)).toBe(false);
    const d = g.mlpDiscriminator({ width: 1 / 16, dropout: 0.25 });
    expect(['d_drop1', 'd_drop2'].map((n) => d.getLayer(n).getConfig().rate)).toEqual([0.25, 0.25]);
    expect((gen.predict(hb.randomNormal([3, 8])) as hb.Tensor).shape).toEqual([3, 28, 28, 1]);
  });
});
