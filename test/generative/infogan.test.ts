// InfoGAN's categorical code read off z (LatentCode / latentCode) against a hand argmax and its
// uniform prior; the GAN's mutual-information term against the cross-entropy computed here in
// float64, its gradient by finite differences, its validation, training and a save round trip.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'hebb-infogan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const g = hb.generative;

/** Index of the largest of the first k entries of each row. */
function handArgmax(z: Float32Array | Float64Array, cols: number, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < z.length / cols; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (z[r * cols + j] > z[r * cols + best]) best = j;
    out.push(best);
  }
  return out;
}

function infoGan(codes = 4, infoWeight?: number): hb.generative.GAN {
  hb.setSeed(5);
  const m = g.gan({
    generator: g.dcganGenerator({ latentDim: 8, width: 1 / 8, codeClasses: codes }),
    discriminator: g.dcganDiscriminator({ width: 1 / 8, codeClasses: codes }),
    ...(infoWeight === undefined ? {} : { infoWeight }),
  });
  m.compile({ optimizer: { generator: hb.optimizers.adam({ learningRate: 1e-2 }), discriminator: hb.optimizers.adam({ learningRate: 1e-2 }) } });
  return m;
}

describe('latentCode / LatentCode', () => {
  it('is the one-hot of the argmax of the first K entries of z, with no gradient', () => {
    const z = hb.randomNormal([50, 7], { seed: 3 });
    const want = handArgmax(z.dataSync() as Float32Array, 7, 5);
    const c = g.latentCode(z, 5);
    expect(c.shape).toEqual([50, 5]);
    expect(c.dtype).toBe('float32');
    const got = c.dataSync();
    want.forEach((k, r) => {
      for (let j = 0; j < 5; j++) expect(got[r * 5 + j]).toBe(j === k ? 1 : 0);
    });
    const dz = hb.grad((t: hb.Tensor) => hb.sum(hb.mul(g.latentCode(t, 5), hb.tensor([0, 1, 2, 3, 4], [1, 5]))))(hb.randomNormal([3, 7], { seed: 4 }));
    expect(Array.from(dz.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('draws every category with probability 1/K from standard normal z', () => {
    const n = 20_000;
    const k = 10;
    const counts = new Array<number>(k).fill(0);
    const c = g.latentCode(hb.randomNormal([n, 100], { seed: 8 }), k).dataSync();
    for (let i = 0; i < c.length; i++) if (c[i] === 1) counts[i % k]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    // Binomial(n, 1/10): standard deviation √(n·0.1·0.9) ≈ 42; 5σ either side.
    for (const count of counts) expect(Math.abs(count - n / k)).toBeLessThan(5 * Math.sqrt(n * 0.09));
  });

  it('validates its classes and input, and has its output shape', () => {
    expect(() => new g.LatentCode({ classes: 1 })).toThrow(hb.ValueError);
    expect(() => new g.LatentCode({ clases: 3 } as never)).toThrow(/did you mean 'classes'/);
    const layer = new g.LatentCode({ classes: 3 });
    expect(layer.computeOutputShape([null, 8])).toEqual([null, 3]);
    expect(() => layer.computeOutputShape([null, 2])).toThrow(hb.ShapeError);
    expect(() => layer.apply(hb.zeros([2, 2]))).toThrow(hb.ShapeError);
    expect(() => g.latentCode(hb.zeros([4]), 2)).toThrow(hb.ShapeError);
    expect(() => g.dcganGenerator({ latentDim: 8, codeClasses: 9 })).toThrow(/codeClasses/);
    expect(() => g.dcganGenerator({ latentDim: 8, codeClasses: 1 })).toThrow(/codeClasses/);
    expect(() => g.mlpGenerator({ codeClasses: 4 })).toThrow(/codeClasses/);
  });
});

describe('InfoGAN (a discriminator with a code head)', () => {
  it('the generator joins the code to z; the discriminator gains Q logits [N, K]', () => {
    const m = infoGan(4);
    expect(m.codeClasses).toBe(4);
    expect(m.infoWeight).toBe(1);
    expect(m.generator.getLayer('g_code')).toBeInstanceOf(g.LatentCode);
    expect(m.discriminator.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 4]]);
    const { score, code } = m.scoreAndCode(hb.randomUniform([3, 28, 28, 1], { seed: 1 }));
    expect(score.shape).toEqual([3, 1]);
    expect(code?.shape).toEqual([3, 4]);
    // The GAN's own graph (predict) still scores [N, 1].
    expect((m.predict(hb.randomNormal([2, 8])) as hb.Tensor).shape).toEqual([2, 1]);
    // Images differ with the code alone: same z beyond the first K entries, another argmax.
    hb.setSeed(1);
    const z = hb.randomNormal([1, 8], { seed: 6 }).dataSync();
    const a = Float32Array.from(z);
    const b = Float32Array.from(z);
    a.fill(-3, 0, 4);
    b.fill(-3, 0, 4);
    a[0] = 3;
    b[2] = 3;
    const ia = m.generate(hb.tensor(a, [1, 8])).dataSync();
    const ib = m.generate(hb.tensor(b, [1, 8])).dataSync();
    expect(Math.max(...ia.map((v, i) => Math.abs(v - ib[i])))).toBeGreaterThan(1e-4);
  });

  it('infoLoss is λ · mean cross-entropy of softmax(Q) against the code, with the right gradient', () => {
    const m = infoGan(3, 0.5);
    const logits = [0.3, -1.2, 2.0, 1.1, 0.4, -0.7];
    const z = [0.1, 0.9, -0.3, 5, 5, 2.0, -1, 0.5, 7, 7];
    // codes: row 0 argmax of (0.1, 0.9, -0.3) = 1; row 1 of (2.0, -1, 0.5) = 0.
    const ce = (row: number[], k: number) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[k];
    const want = (0.5 * (ce(logits.slice(0, 3), 1) + ce(logits.slice(3), 0))) / 2;
    const zt = hb.tensor(z, [2, 5], 'float64');
    const got = m.infoLoss(hb.tensor(logits, [2, 3], 'float64'), zt).item();
    expect(got).toBeCloseTo(want, 12);
    const r = hb.checkGrad((l: hb.Tensor) => m.infoLoss(l, zt), [hb.tensor(logits, [2, 3], 'float64')], { eps: 1e-6, tol: 1e-6 });
    expect(r.maxRelError).toBeLessThan(1e-6);
  });

  it('checks that the generator reads the code the discriminator predicts', () => {
    hb.setSeed(2);
    const d4 = g.dcganDiscriminator({ width: 1 / 8, codeClasses: 4 });
    expect(() => g.gan({ generator: g.dcganGenerator({ latentDim: 8, width: 1 / 8 }), discriminator: d4 })).toThrow(/no LatentCode layer of 4/);
    expect(() => g.gan({ generator: g.dcganGenerator({ latentDim: 8, width: 1 / 8, codeClasses: 3 }), discriminator: d4 })).toThrow(/no LatentCode layer of 4/);
    expect(() => g.gan({ generator: g.dcganGenerator({ latentDim: 8, width: 1 / 8, codeClasses: 4 }), discriminator: d4, infoWeight: -1 })).toThrow(/infoWeight/);
  });

  it('trains with the information term logged, Q learning the code, and survives save and load', async () => {
    const m = infoGan(4);
    const images = hb.randomUniform([64, 28, 28, 1], { seed: 9 });
    const infos: number[] = [];
    await m.fit(images, null, { epochs: 6, batchSize: 16, seed: 1, verbose: 0, callbacks: [{ onBatchEnd: (_b: number, logs?: Record<string, number>) => void infos.push(logs?.infoLoss ?? NaN) }] });
    expect(infos.length).toBe(24);
    expect(infos.every(Number.isFinite)).toBe(true);
    // Chance is ln 4 ≈ 1.386; both networks work to make the code readable.
    const late = infos.slice(-4).reduce((a, b) => a + b, 0) / 4;
    expect(late).toBeLessThan(Math.log(4) * 0.7);
    await m.save(join(root, 'gan'));
    const back = (await hb.loadModel(join(root, 'gan'))) as hb.generative.GAN;
    expect(back.codeClasses).toBe(4);
    expect(back.infoWeight).toBe(1);
    const z = hb.randomNormal([3, 8], { seed: 12 });
    const a = m.generate(z).dataSync();
    back.generate(z).dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i], 6));
    await m.generator.save(join(root, 'generator'));
    const gen = await hb.loadModel(join(root, 'generator'));
    (gen.predict(z) as hb.Tensor).dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i], 6));
  });
});

describe('in-painting with a code', () => {
  it('starts cycle through the code categories, so K starts find an image drawn from any of them', () => {
    // A generator whose image depends on the code alone: z [N, 6] → code of 3 → dense 784 (sigmoid).
    hb.setSeed(21);
    const z = hb.input({ shape: [6], name: 'z' });
    const c = new g.LatentCode({ classes: 3, name: 'code' }).apply(z) as hb.SymbolicTensor;
    const d = hb.layers.dense({ units: 784, activation: 'sigmoid', kernelInitializer: hb.initializers.randomNormal({ stddev: 2, seed: 3 }), name: 'pixels' }).apply(c) as hb.SymbolicTensor;
    const out = hb.layers.reshape({ targetShape: [28, 28, 1], name: 'image' }).apply(d) as hb.SymbolicTensor;
    const gen = new hb.Model({ inputs: z, outputs: out });
    // Targets: four images of category 2 (z's largest first-three entry is the third).
    const zt = hb.tensor(Array.from({ length: 4 }, (_, i) => [0, 0.5, 2 + i, 0.1 * i, -1, 1]).flat(), [4, 6]);
    const images = gen.predict(zt) as hb.Tensor;
    const mask = g.randomMask(images.shape, 0.8, 4);
    const r = g.inpaint(gen, images, mask, { steps: 1, learningRate: 1e-6, restarts: 3, seed: 5 });
    expect(Array.from(hb.argmax(g.latentCode(r.z, 3), 1).dataSync())).toEqual([2, 2, 2, 2]);
    const want = images.dataSync();
    r.generated.dataSync().forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    // One start keeps the category it drew (gradient steps cannot cross categories): with this
    // seed some images start, and stay, in another category, and their images stay wrong.
    const one = g.inpaint(gen, images, mask, { steps: 3, learningRate: 1e-3, restarts: 1, seed: 5 });
    const codes = Array.from(hb.argmax(g.latentCode(one.z, 3), 1).dataSync());
    expect(codes.some((k) => k !== 2)).toBe(true);
    const got = one.generated.dataSync();
    codes.forEach((k, i) => {
      const err = Math.max(...Array.from({ length: 784 }, (_, j) => Math.abs(got[i * 784 + j] - want[i * 784 + j])));
      if (k === 2) expect(err).toBeLessThan(1e-4);
      else expect(err).toBeGreaterThan(0.1);
    });
  });
});
