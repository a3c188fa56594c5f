// Auto-encoders and the variational auto-encoder on MNIST (the generative deck's "other family"):
// dense (stacked 784-256-64), convolutional (code 7×7×8) and denoising auto-encoders (masking
// noise and Gaussian noise), and a VAE with a 2-D latent space. It reports the reconstruction
// error on test digits (and, for the denoising ones, on corrupted test digits), and draws the
// VAE's samples and its latent space as a grid of decoded points (examples/vae.png).
//
//   npx tsx examples/autoencoders.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';

const FULL = { train: 2000, test: 1000, epochs: 3, vaeEpochs: 8 };
const QUICK = { train: 200, test: 100, epochs: 1, vaeEpochs: 1 };

/** Mean squared error per pixel between two image batches. */
const mse = (a: hb.Tensor, b: hb.Tensor): number => hb.tidy(() => hb.mean(hb.square(hb.sub(a, b))).item());

/** A grey PNG of image rows: `rows` is a list of [n, 28, 28, 1] tensors, each one row of the picture. */
function gridPng(rows: hb.Tensor[], scale = 2): Buffer {
  const cols = Math.max(...rows.map((r) => r.shape[0]));
  const W = cols * 29 + 1;
  const H = rows.length * 29 + 1;
  const png = new PNG({ width: W * scale, height: H * scale });
  png.data.fill(255);
  rows.forEach((row, r) => {
    const px = row.dataSync();
    for (let i = 0; i < row.shape[0]; i++) {
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const g = Math.round(255 * Math.min(1, Math.max(0, px[(i * 28 + y) * 28 + x])));
          for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) {
            const o = 4 * (((1 + r * 29 + y) * scale + sy) * W * scale + (1 + i * 29 + x) * scale + sx);
            png.data[o] = png.data[o + 1] = png.data[o + 2] = g;
          }
        }
      }
    }
  });
  return PNG.sync.write(png);
}

export const experiment: Experiment = {
  name: 'autoencoders',
  title: 'Auto-encoders and the VAE',
  deck: 'auto-encoders learn codes that reconstruct digits; denoising ones undo corruption; a VAE samples new digits from N(0, I)',
  async run({ quick, seed, log, outDir }) {
    const cfg = quick ? QUICK : FULL;
    const data = await loadMnist(cfg.train, cfg.test);
    const x = data.train.images;
    const t = data.test.images;
    // The floor to beat: every test digit reconstructed as the mean training digit.
    const meanImage = hb.mean(x, 0, true);
    const baseline = mse(hb.broadcastTo(meanImage, t.shape), t);
    const g = hb.generative;
    const masked = hb.mul(t, g.randomMask([...t.shape], 0.3, seed + 1));
    const noisy = hb.clip(hb.add(t, hb.randomNormal([...t.shape], { std: 0.3, seed: seed + 2 })), 0, 1);
    const results: { name: string; clean: number; masked: number; noisy: number; seconds: number }[] = [];
    const models = {
      'dense 784-256-64 (stacked)': () => g.denseAutoencoder({ hidden: [256, 64] }),
      'convolutional (code 7×7×8)': () => g.convAutoencoder(),
      'denoising, 30 % masking noise': () => g.denseAutoencoder({ hidden: [256, 64], noise: { kind: 'masking', rate: 0.3 }, name: 'dae_masking' }),
      'denoising, Gaussian noise σ = 0.3': () => g.denseAutoencoder({ hidden: [256, 64], noise: { kind: 'gaussian', stddev: 0.3 }, name: 'dae_gaussian' }),
    };
    const shown: hb.Tensor[] = [hb.slice(t, [0], [10])];
    for (const [name, make] of Object.entries(models)) {
      const start = performance.now();
      hb.setSeed(seed);
      const { autoencoder } = make();
      autoencoder.compile({ optimizer: hb.optimizers.adam({ learningRate: 2e-3 }), loss: 'binaryCrossentropy' });
      await autoencoder.fit(x, x, { epochs: cfg.epochs, batchSize: 64, seed, verbose: 0 });
      const rec = (input: hb.Tensor) => autoencoder.predict(input, { batchSize: 500 }) as hb.Tensor;
      const r = { name, clean: mse(rec(t), t), masked: mse(rec(masked), t), noisy: mse(rec(noisy), t), seconds: (performance.now() - start) / 1000 };
      results.push(r);
      shown.push(hb.slice(rec(t), [0], [10]));
      log(`${name}: test MSE ${fmt(r.clean, 4)} clean, ${fmt(r.masked, 4)} from 30 %-masked, ${fmt(r.noisy, 4)} from noisy digits (${fmt(r.seconds, 0)} s)`);
    }

    hb.setSeed(seed);
    const start = performance.now();
    const vae = g.vae({ latentDim: 2, hidden: 256 });
    vae.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }) });
    const h = await vae.fit(x, null, { epochs: cfg.vaeEpochs, batchSize: 64, seed, validationData: [t, t], verbose: 0 });
    const vaeRec = mse(vae.predict(t, { batchSize: 500 }) as hb.Tensor, t);
    const vaeSeconds = (performance.now() - start) / 1000;
    const last = (k: string) => h.history[k][h.history[k].length - 1];
    log(`VAE: −ELBO ${fmt(last('val_loss'), 1)} nats per test digit (reconstruction ${fmt(last('val_reconstruction'), 1)}, KL ${fmt(last('val_kl'), 2)}); test MSE of the mean code ${fmt(vaeRec, 4)} (${fmt(vaeSeconds, 0)} s)`);
    // The latent space: decode a 12 × 12 grid of z in [−2, 2]², and 3 rows of samples z ~ N(0, I).
    const steps = 12;
    const grid: hb.Tensor[] = [];
    for (let i = 0; i < steps; i++) {
      const zs = Array.from({ length: steps }, (_, j) => [-2 + (4 * j) / (steps - 1), 2 - (4 * i) / (steps - 1)]);
      grid.push(vae.decoder.predict(hb.tensor(zs)) as hb.Tensor);
    }
    const samples = [0, 1, 2].map(() => vae.sample(steps));
    const files = ['autoencoders.png', 'vae.png'];
    writeFileSync(join(outDir, files[0]), gridPng(shown));
    writeFileSync(join(outDir, files[1]), gridPng([...grid, ...samples]));

    const table = [
      '| model | test MSE (clean) | from 30 %-masked digits | from noisy digits (σ = 0.3) | time |',
      '|---|---|---|---|---|',
      `| the mean training digit (baseline) | ${fmt(baseline, 4)} | – | – | – |`,
      ...results.map((r) => `| ${r.name} | ${fmt(r.clean, 4)} | ${fmt(r.masked, 4)} | ${fmt(r.noisy, 4)} | ${fmt(r.seconds, 0)} s |`),
      `| VAE, 2-D latent (mean code) | ${fmt(vaeRec, 4)} | – | – | ${fmt(vaeSeconds, 0)} s |`,
    ].join('\n');
    const plain = results[0];
    const maskingDae = results[2];
    return {
      hebb: `test MSE ${results.map((r) => fmt(r.clean, 4)).join(' / ')} (dense / conv / masking DAE / Gaussian DAE) vs ${fmt(baseline, 4)} for the mean digit; VAE −ELBO ${fmt(last('val_loss'), 1)} nats`,
      setup: `Trained on the first ${cfg.train} training digits (${cfg.epochs} epochs each, Adam 2e-3, binary cross-entropy; VAE ${cfg.vaeEpochs} epochs, Adam 1e-3), ` +
        `evaluated on the first ${cfg.test} test digits. Reconstructions (first row: test digits; then one row per auto-encoder, in the table's order) ` +
        `in autoencoders.png; vae.png: the decoder on a 12 × 12 grid of z ∈ [−2, 2]², then 3 rows of samples z ~ N(0, I).\n\n${table}`,
      files,
      checks: [
        ...results.map((r) => check(r.clean < baseline / 2, `${r.name} reconstructs test digits: MSE ${fmt(r.clean, 4)} < half the mean-digit baseline ${fmt(baseline, 4)}`)),
        check(maskingDae.masked < plain.masked, `the masking-noise DAE undoes masking better than the plain one: ${fmt(maskingDae.masked, 4)} < ${fmt(plain.masked, 4)}`),
        check(last('val_kl') > 0.5 && Number.isFinite(last('val_loss')), `the VAE uses its latent space: KL ${fmt(last('val_kl'), 2)} nats > 0.5`),
      ],
    };
  },
};

await main(experiment, import.meta.url);
