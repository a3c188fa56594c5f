// Auto-encoders and the VAE: the KL term against numerical integration of its definition, the
// reparameterisation's derivatives, masking noise, and that each model trains through fit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const g = hb.generative;
const root = mkdtempSync(join(tmpdir(), 'hebb-ae-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** KL(N(μ, σ²) ‖ N(0, 1)) = ∫ q log(q/p) by the trapezoid rule on [μ − 12σ, μ + 12σ]. */
function klByIntegration(mu: number, sigma: number): number {
  const q = (x: number) => Math.exp(-((x - mu) ** 2) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
  const logRatio = (x: number) => -((x - mu) ** 2) / (2 * sigma * sigma) - Math.log(sigma) + (x * x) / 2;
  const n = 20000;
  const a = mu - 12 * sigma;
  const h = (24 * sigma) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const x = a + i * h;
    s += (i === 0 || i === n ? 0.5 : 1) * q(x) * logRatio(x);
  }
  return s * h;
}

describe('VAE', () => {
  it('KL term equals the integral of q log(q/p), summed over latent dimensions', () => {
    const mu = [[0.5, -1.2], [0, 2]];
    const logVar = [[Math.log(0.3), 0.4], [0, -1]];
    const kl = g.klStandardNormal(hb.tensor(mu, undefined, 'float64'), hb.tensor(logVar, undefined, 'float64')).dataSync();
    for (let n = 0; n < 2; n++) {
      const expected = klByIntegration(mu[n][0], Math.exp(logVar[n][0] / 2)) + klByIntegration(mu[n][1], Math.exp(logVar[n][1] / 2));
      expect(kl[n]).toBeCloseTo(expected, 6);
    }
    expect(() => g.klStandardNormal(hb.zeros([2, 3]), hb.zeros([2, 2]))).toThrow(hb.ShapeError);
  });

  it('reparameterisation: ∂z/∂μ = 1 and ∂z/∂log σ² = ½ σ ε', () => {
    const eps = hb.tensor([[0.7, -1.5]], undefined, 'float64');
    const mu = hb.tensor([[0.1, 0.2]], undefined, 'float64');
    const lv = hb.tensor([[0.4, -0.6]], undefined, 'float64');
    const [dMu, dLv] = hb.grad((m: hb.Tensor, l: hb.Tensor) => hb.sum(g.reparameterize(m, l, eps)), [0, 1])(mu, lv);
    expect(Array.from(dMu.dataSync())).toEqual([1, 1]);
    expect(dLv.dataSync()[0]).toBeCloseTo(0.5 * Math.exp(0.2) * 0.7, 10);
    expect(dLv.dataSync()[1]).toBeCloseTo(0.5 * Math.exp(-0.3) * -1.5, 10);
  });

  it('trains through fit (ELBO falls), samples digits-shaped images, and saves/loads', async () => {
    hb.setSeed(2);
    const x = hb.randomUniform([64, 28, 28, 1], { seed: 4 }).greater(0.7).cast('float32');
    const v = g.vae({ latentDim: 2, hidden: 32 });
    v.compile({ optimizer: hb.optimizers.adam({ learningRate: 3e-3 }) });
    const h = await v.fit(x, null, { epochs: 4, batchSize: 16 });
    expect(Object.keys(h.history).sort()).toEqual(['kl', 'loss', 'reconstruction']);
    expect(h.history.loss[3]).toBeLessThan(h.history.loss[0]);
    expect(v.sample(3).shape).toEqual([3, 28, 28, 1]);
    expect(v.encodeMean(hb.slice(x, [0], [5])).shape).toEqual([5, 2]);
    await v.save(join(root, 'vae'));
    const back = (await hb.loadModel(join(root, 'vae'))) as hb.generative.VAE;
    expect(back).toBeInstanceOf(g.VAE);
    const a = (v.predict(hb.slice(x, [0], [4])) as hb.Tensor).dataSync();
    const b = (back.predict(hb.slice(x, [0], [4])) as hb.Tensor).dataSync();
    for (let i = 0; i < a.length; i += 97) expect(b[i]).toBeCloseTo(a[i], 6);
    expect(() => g.vae({ latentDims: 2 } as never)).toThrow(/did you mean 'latentDim'/);
  });
});

describe('auto-encoders', () => {
  it('masking noise zeroes a fraction `rate` of the inputs while training only, without rescaling', () => {
    const layer = new g.MaskingNoise({ rate: 0.25, seed: 3 });
    const x = hb.ones([100, 100]);
    const y = layer.apply(x, { training: true }) as hb.Tensor;
    const kept = hb.mean(y).item();
    expect(kept).toBeGreaterThan(0.73);
    expect(kept).toBeLessThan(0.77);
    expect(new Set(Array.from(y.dataSync())).size).toBe(2); // only 0 and 1: no 1/(1 − rate) scaling
    expect(hb.mean(layer.apply(x, { training: false }) as hb.Tensor).item()).toBe(1);
    expect(() => new g.MaskingNoise({ rate: 1 })).toThrow(hb.ValueError);
  });

  it('dense, convolutional and denoising auto-encoders reduce their reconstruction error', async () => {
    hb.setSeed(5);
    // Digits-like data with structure: blurred random blobs.
    const x = hb.avgPool2d(hb.randomUniform([48, 28, 28, 1], { seed: 8 }), { poolSize: 3, strides: 1, padding: 'same' });
    const cases = [
      g.denseAutoencoder({ hidden: [32, 8] }),
      g.convAutoencoder(),
      g.denseAutoencoder({ hidden: [16], noise: { kind: 'masking', rate: 0.3 }, name: 'dae_mask' }),
      g.denseAutoencoder({ hidden: [16], noise: { kind: 'gaussian', stddev: 0.2 }, name: 'dae_gauss' }),
    ];
    for (const { autoencoder, encoder, decoder } of cases) {
      autoencoder.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-2 }), loss: 'meanSquaredError' });
      const before = (await autoencoder.evaluate(x, x)).loss;
      await autoencoder.fit(x, x, { epochs: 3, batchSize: 16 });
      const after = (await autoencoder.evaluate(x, x)).loss;
      expect(after).toBeLessThan(before);
      // The halves share the auto-encoder's layers.
      const code = encoder.predict(hb.slice(x, [0], [2])) as hb.Tensor;
      expect((decoder.predict(code) as hb.Tensor).shape).toEqual([2, 28, 28, 1]);
    }
    expect(() => g.denseAutoencoder({ noise: { kind: 'salt', rate: 1 } as never })).toThrow(/kind: 'masking'/);
  });
});
