// GANs: the WGAN-GP penalty and its gradient (a gradient of a gradient) against closed forms and
// finite differences, the losses against their formulas, k discriminator steps per generator
// step, clipping, save/load, in-painting, masks, and the Fréchet distance against closed forms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'hebb-gan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const g = hb.generative;

describe('gradient penalty', () => {
  it('is (‖w‖ − 1)² for a linear critic, with gradient 2(‖w‖ − 1) w/‖w‖', () => {
    const w = hb.tensor([[0.3], [-1.2], [0.5], [2.0]], [4, 1], 'float64');
    const real = hb.randomNormal([5, 4], { seed: 1, dtype: 'float64' });
    const fake = hb.randomNormal([5, 4], { seed: 2, dtype: 'float64' });
    const eps = hb.randomUniform([5, 1], { seed: 3, dtype: 'float64' });
    const norm = Math.hypot(0.3, -1.2, 0.5, 2.0);
    const gp = (wv: hb.Tensor) => g.gradientPenalty((x) => hb.matmul(x, wv), real, fake, eps);
    expect(gp(w).item()).toBeCloseTo((norm - 1) ** 2, 8);
    const dw = hb.grad(gp)(w).dataSync();
    [0.3, -1.2, 0.5, 2.0].forEach((wi, i) => expect(dw[i]).toBeCloseTo((2 * (norm - 1) * wi) / norm, 8));
  });

  it('its gradient with respect to a nonlinear critic\'s weights matches finite differences', () => {
    // C(x) = tanh(x W) v on images [N, 2, 3, 1] flattened: ∇x C depends on W and v, so the
    // penalty's gradient goes through a gradient.
    const real = hb.randomUniform([4, 2, 3, 1], { seed: 4, dtype: 'float64' });
    const fake = hb.randomUniform([4, 2, 3, 1], { seed: 5, dtype: 'float64' });
    const eps = hb.randomUniform([4, 1, 1, 1], { seed: 6, dtype: 'float64' });
    const W = hb.randomNormal([6, 5], { seed: 7, dtype: 'float64', std: 0.7 });
    const v = hb.randomNormal([5, 1], { seed: 8, dtype: 'float64' });
    const f = (Wt: hb.Tensor, vt: hb.Tensor) => g.gradientPenalty((x) => hb.matmul(hb.tanh(hb.matmul(hb.reshape(x, [-1, 6]), Wt)), vt), real, fake, eps);
    const r = hb.checkGrad(f, [W, v], { eps: 1e-6, tol: 1e-6 });
    expect(r.maxRelError).toBeLessThan(1e-6);
  });

  it('rejects real and fake of different shapes', () => {
    expect(() => g.gradientPenalty((x) => x, hb.zeros([2, 3]), hb.zeros([2, 4]), hb.zeros([2, 1]))).toThrow(hb.ShapeError);
  });
});

function tinyGan(objective: hb.generative.GanObjective, k = 1, classes = 0): hb.generative.GAN {
  hb.setSeed(11);
  const m = g.gan({
    generator: g.mlpGenerator({ latentDim: 8, width: 1 / 32, classes }),
    discriminator: g.mlpDiscriminator({ width: 1 / 32, classes }),
    objective, discriminatorSteps: k,
  });
  m.compile({ optimizer: { generator: hb.optimizers.adam({ learningRate: 1e-3 }), discriminator: hb.optimizers.adam({ learningRate: 1e-3 }) } });
  return m;
}

const images = hb.randomUniform([16, 28, 28, 1], { seed: 9 });

describe('GAN training step', () => {
  it('takes k discriminator steps per generator step and reports both losses through fit', async () => {
    const m = tinyGan('gan', 2);
    const h = await m.fit(images, null, { epochs: 1, batchSize: 4, seed: 1 });
    expect(m.optimizers.discriminator.iterations).toBe(4);
    expect(m.optimizers.generator.iterations).toBe(2);
    expect(Object.keys(h.history).sort()).toEqual(['dFake', 'dLoss', 'dReal', 'gLoss']);
    for (const k of ['dReal', 'dFake']) expect(h.history[k][0]).toBeGreaterThan(0);
  });

  it('computes the losses by their formulas', () => {
    const m = tinyGan('gan');
    const l = hb.tensor([[-2], [0.5], [3]]);
    const sp = (x: number) => Math.log1p(Math.exp(x));
    expect(m.generatorLossOf(l).item()).toBeCloseTo((sp(2) + sp(-0.5) + sp(-3)) / 3, 5);
    const mm = g.gan({ generator: m.generator, discriminator: m.discriminator, generatorLoss: 'minimax' });
    expect(mm.generatorLossOf(l).item()).toBeCloseTo(-(sp(-2) + sp(0.5) + sp(3)) / 3, 5);
    const w = tinyGan('wgan');
    expect(w.generatorLossOf(l).item()).toBeCloseTo(-0.5, 6);
    expect(() => g.gan({ generator: m.generator, discriminator: m.discriminator, objective: 'wgan', generatorLoss: 'minimax' })).toThrow(/applies to objective 'gan'/);
  });

  it('one-sided label smoothing s gives real images the target 1 − s and leaves fakes at 0', () => {
    const m = tinyGan('gan');
    const s = 0.1;
    const smooth = g.gan({ generator: m.generator, discriminator: m.discriminator, labelSmoothing: s });
    const real = hb.randomUniform([3, 28, 28, 1], { seed: 4 });
    const fake = hb.randomUniform([3, 28, 28, 1], { seed: 5 });
    // Inference mode, so both calls see the same network; the logits come from score().
    const lr = Array.from(m.score(real, null, false).dataSync());
    const lf = Array.from(m.score(fake, null, false).dataSync());
    const sp = (x: number) => Math.log1p(Math.exp(x));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const want = mean(lr.map((l) => (1 - s) * sp(-l) + s * sp(l))) + mean(lf.map((l) => sp(l)));
    expect(smooth.discriminatorLoss(real, fake, null, false).loss.item()).toBeCloseTo(want, 5);
    expect(m.discriminatorLoss(real, fake, null, false).loss.item()).toBeCloseTo(mean(lr.map((l) => sp(-l))) + mean(lf.map((l) => sp(l))), 5);
    expect(() => g.gan({ generator: m.generator, discriminator: m.discriminator, objective: 'wgan', labelSmoothing: 0.1 })).toThrow(/labelSmoothing applies to objective 'gan'/);
    expect(() => g.gan({ generator: m.generator, discriminator: m.discriminator, labelSmoothing: 1 })).toThrow(/in \[0, 1\)/);
  });

  // Issue 11's first cgan run agreed with the requested class on 10.5 % of its samples (chance):
  // the class must reach both networks' outputs, at initialisation already.
  it('the class input of a conditional DCGAN changes both the generator\'s images and the discriminator\'s score', () => {
    hb.setSeed(21);
    const gen = g.dcganGenerator({ latentDim: 8, classes: 10, width: 0.25 });
    const dis = g.dcganDiscriminator({ classes: 10, width: 0.25 });
    const z = hb.randomNormal([10, 8], { seed: 3 });
    const same = hb.oneHot(hb.zeros([10], 'int32'), 10);
    const each = hb.oneHot(hb.tensor(Int32Array.from({ length: 10 }, (_, i) => i), [10], 'int32'), 10);
    const z1 = hb.tile(hb.slice(z, [0], [1]), [10, 1]);
    // One z, ten classes: ten different images; ten z, one class: the images differ as well.
    const byClass = (gen.predict([z1, each]) as hb.Tensor).dataSync();
    const first = byClass.slice(0, 784);
    for (let c = 1; c < 10; c++) {
      const img = byClass.slice(c * 784, (c + 1) * 784);
      expect(Math.max(...img.map((v, i) => Math.abs(v - first[i])))).toBeGreaterThan(1e-4);
    }
    const image = hb.tile(hb.randomUniform([1, 28, 28, 1], { seed: 6 }), [10, 1, 1, 1]);
    const scores = (dis.predict([image, each]) as hb.Tensor).dataSync();
    expect(new Set(Array.from(scores, (v) => v.toFixed(6))).size).toBe(10);
    const sameScores = (dis.predict([image, same]) as hb.Tensor).dataSync();
    expect(Math.max(...sameScores) - Math.min(...sameScores)).toBeLessThan(1e-5);
  });

  it('clips the WGAN critic weights, and WGAN-GP trains through the penalty', async () => {
    const w = tinyGan('wgan', 5);
    await w.fit(images, null, { epochs: 1, batchSize: 8 });
    for (const v of w.discriminator.trainableWeights) {
      const d = v.value.dataSync();
      expect(Math.max(...Array.from(d, Math.abs))).toBeLessThanOrEqual(0.01 + 1e-7);
    }
    const gp = tinyGan('wgan-gp', 1);
    const h = await gp.fit(images, null, { epochs: 1, batchSize: 8 });
    expect(Number.isFinite(h.history.dLoss[0])).toBe(true);
  });

  it('a conditional GAN takes [images, one-hot classes]; bad data is a clear error', async () => {
    const c = tinyGan('gan', 1, 10);
    const labels = hb.oneHot(hb.tensor(Int32Array.from({ length: 16 }, (_, i) => i % 10), [16], 'int32'), 10);
    await c.fit([images, labels], null, { epochs: 1, batchSize: 8 });
    expect(c.sample(3, hb.slice(labels, [0], [3])).shape).toEqual([3, 28, 28, 1]);
    await expect(c.fit(images, null, { epochs: 1 })).rejects.toThrow(/\[images, oneHotClasses\]/);
    const u = tinyGan('gan');
    await expect(u.fit(hb.zeros([4, 14, 14, 1]), null, { epochs: 1 })).rejects.toThrow(hb.ShapeError);
    const single = tinyGan('gan');
    single.compile({ optimizer: 'adam' });
    await expect(single.fit(images, null, { epochs: 1 })).rejects.toThrow(/one optimizer per network/);
    expect(() => g.gan({ generator: u.generator, discriminator: u.discriminator, k: 2 } as never)).toThrow(/unknown option 'k'/);
  });

  it('saves and loads as a GAN; the generator alone loads as a model z → [N, 28, 28, 1] in [0, 1]', async () => {
    const m = tinyGan('wgan-gp', 3);
    await m.fit(images, null, { epochs: 1, batchSize: 8 });
    await m.save(join(root, 'gan'));
    await m.generator.save(join(root, 'gen'));
    const back = await hb.loadModel(join(root, 'gan'));
    expect(back).toBeInstanceOf(g.GAN);
    const gb = back as hb.generative.GAN;
    expect([gb.objective, gb.discriminatorSteps, gb.latentDim]).toEqual(['wgan-gp', 3, 8]);
    expect(gb.optimizers.discriminator.iterations).toBe(2);
    const gen = await hb.loadModel(join(root, 'gen'));
    const out = gen.predict(hb.randomNormal([5, 8])) as hb.Tensor;
    expect(out.shape).toEqual([5, 28, 28, 1]);
    const px = out.dataSync();
    expect(Math.min(...px)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...px)).toBeLessThanOrEqual(1);
  });
});

describe('in-painting and masks', () => {
  it('masks: about 80 % random pixels missing; a centre hole of size²', () => {
    const r = g.randomMask([10, 28, 28, 1], 0.8, 3);
    const missing = 1 - hb.mean(r).item();
    expect(missing).toBeGreaterThan(0.77);
    expect(missing).toBeLessThan(0.83);
    const c = g.centreMask([2, 28, 28, 1], 14);
    expect(hb.sum(c).item()).toBe(2 * (784 - 196));
    expect(c.dataSync()[14 * 28 + 14]).toBe(0);
    expect(c.dataSync()[0]).toBe(1);
    expect(() => g.centreMask([2, 28, 28, 1], 30)).toThrow(hb.ValueError);
  });

  it('keeps the known pixels and fits them better than the starting code', () => {
    // A generator that can make the target exactly: z → dense (no activation) → 28×28.
    hb.setSeed(3);
    const z = hb.input({ shape: [4] });
    const px = hb.layers.dense({ units: 784, activation: 'sigmoid' }).apply(z) as hb.SymbolicTensor;
    const gen = hb.model({ inputs: z, outputs: hb.layers.reshape({ targetShape: [28, 28, 1] }).apply(px) as hb.SymbolicTensor });
    const target = gen.predict(hb.randomNormal([2, 4], { seed: 5 })) as hb.Tensor;
    const mask = g.centreMask([2, 28, 28, 1], 10);
    const start = gen.predict(hb.randomNormal([2, 4], { seed: 77 })) as hb.Tensor;
    const { completed, generated } = g.inpaint(gen, target, mask, { steps: 60, restarts: 2, seed: 77, learningRate: 0.1 });
    const missing = hb.sub(1, mask);
    expect(hb.max(hb.abs(hb.mul(mask, hb.sub(completed, target)))).item()).toBe(0);
    const err = (x: hb.Tensor) => hb.mean(hb.abs(hb.mul(missing, hb.sub(x, target)))).item();
    expect(err(generated)).toBeLessThan(err(start) / 2);
    expect(() => g.inpaint(gen, target, mask, { step: 3 } as never)).toThrow(/did you mean 'steps'/);
  });
});

describe('Fréchet distance', () => {
  it('matches the closed form for covariances with common eigenvectors', () => {
    // Σᵢ = R diag(dᵢ) Rᵀ: Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) = Σ (d₁ + d₂ − 2√(d₁d₂)) = Σ (√d₁ − √d₂)².
    const d = 5;
    const theta = 0.7;
    const R = new Float64Array(d * d);
    for (let i = 0; i < d; i++) R[i * d + i] = 1;
    // A rotation in the (0, 1) and (2, 4) planes.
    for (const [p, q] of [[0, 1], [2, 4]]) {
      R[p * d + p] = Math.cos(theta); R[q * d + q] = Math.cos(theta);
      R[p * d + q] = -Math.sin(theta); R[q * d + p] = Math.sin(theta);
    }
    const make = (diag: number[]) => {
      const s = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) s[i * d + j] += R[i * d + k] * diag[k] * R[j * d + k];
      return s;
    };
    const d1 = [1, 2, 0.5, 3, 0.1];
    const d2 = [4, 0.2, 0.5, 1, 2];
    const mu1 = Float64Array.from([0, 1, 2, 3, 4]);
    const mu2 = Float64Array.from([1, 1, 0, 3, 5]);
    const expected = 1 + 0 + 4 + 0 + 1 + d1.reduce((s, a, i) => s + (Math.sqrt(a) - Math.sqrt(d2[i])) ** 2, 0);
    expect(g.frechetDistanceFromMoments(mu1, make(d1), mu2, make(d2))).toBeCloseTo(expected, 8);
  });

  it('is about zero for one sample set against itself, and positive for shifted features', () => {
    const a = hb.randomNormal([200, 6], { seed: 1 });
    expect(Math.abs(g.frechetDistance(a, a))).toBeLessThan(1e-6);
    const shifted = hb.add(a, 1);
    expect(g.frechetDistance(a, shifted)).toBeCloseTo(6, 4);
    expect(() => g.frechetDistance(a, hb.zeros([3, 5]))).toThrow(hb.ShapeError);
  });
});
