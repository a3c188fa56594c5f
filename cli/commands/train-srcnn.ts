// `hebb train srcnn --out DIR`: super-resolution of MNIST digits. Each 28×28 digit is shrunk to
// 14×14 (bicubic with antialiasing, like MATLAB's imresize in the SRCNN paper) and upscaled back
// by bicubic interpolation; SRCNN learns to map that blurred 28×28 image [N, 28, 28, 1] to the
// original. The saved model (hb.loadModel(DIR)) takes the bicubic-upscaled image and returns the
// restored one. Test PSNR and SSIM of bicubic and SRCNN are printed and saved in metrics.json,
// with a picture (samples.png: original, bicubic, SRCNN rows).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import * as hb from '../../src/index.js';
import { CliError } from '../errors.js';
import { loadMnist } from '../mnist.js';
import { timestamp } from '../options.js';
import { formatDuration } from '../progress.js';
import { backendLabel, selectBackend } from '../saved-model.js';
import type { TrainCliOptions } from './train.js';

/** Bicubic 28 → 14 (antialiased) → 28, clipped to [0, 1]: the model's input. */
export function degrade(images: hb.Tensor): hb.Tensor {
  return hb.tidy(() => {
    const small = hb.image.resize(images, [14, 14], { method: 'bicubic', antialias: true, edge: 'renormalize' });
    return hb.clip(hb.image.resize(small, [28, 28], { method: 'bicubic' }), 0, 1);
  });
}

function meanOf(t: hb.Tensor): number {
  const v = t.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** Tiled rows of the first `n` digits, values in [0, 1], as a PNG. */
function samplesPng(rows: hb.Tensor[], n: number, scale = 4): Buffer {
  const grid = hb.explain.tileImages(hb.concat(rows.map((r) => hb.clip(hb.slice(r, [0], [n]), 0, 1)), 0), { columns: n, padding: 2, normalize: 'none' });
  const [h, w] = grid.shape;
  const v = grid.dataSync();
  const png = new PNG({ width: w * scale, height: h * scale });
  for (let y = 0; y < h * scale; y++) for (let x = 0; x < w * scale; x++) {
    const g = Math.round(255 * v[Math.floor(y / scale) * w + Math.floor(x / scale)]);
    const o = 4 * (y * w * scale + x);
    png.data[o] = png.data[o + 1] = png.data[o + 2] = g;
    png.data[o + 3] = 255;
  }
  return PNG.sync.write(png);
}

export async function trainSrcnn(opts: TrainCliOptions): Promise<void> {
  const started = performance.now();
  await selectBackend(opts.backend, opts.threads);
  hb.setSeed(opts.seed);
  const dir = opts.out ?? join('runs', `srcnn-${timestamp()}`);
  if (existsSync(join(dir, 'model.json'))) throw new CliError(`${dir} already holds a saved model; choose another --out`);
  const trainSize = opts.limit ?? 10000;
  const data = await loadMnist({ limit: Math.max(trainSize, 1000), dataDir: opts.dataDir });
  const hr = hb.slice(data.train.images, [0], [Math.min(trainSize, data.train.images.shape[0])]);
  const testCount = Math.min(opts.limit ?? 1000, data.test.images.shape[0]);
  const testHr = hb.slice(data.test.images, [0], [testCount]);
  const lr = degrade(hr);
  const testLr = degrade(testHr);

  const model = hb.zoo.srcnn();
  model.compile({ optimizer: hb.optimizers.adam({ learningRate: opts.lr ?? 1e-3 }), loss: 'meanSquaredError' });
  const epochs = opts.epochs ?? 5;
  process.stdout.write(`SRCNN on ${hr.shape[0]} MNIST digits (14×14 → 28×28), ${epochs} epochs, batch ${opts.batchSize}, backend ${backendLabel()}\n`);
  const t0 = performance.now();
  await model.fit(lr, hr, { epochs, batchSize: opts.batchSize, seed: opts.seed, verbose: process.stdout.isTTY ? 1 : 2 });
  const trainSeconds = (performance.now() - t0) / 1000;
  const restored = hb.clip(model.predict(testLr, { batchSize: 250 }) as hb.Tensor, 0, 1);
  const metrics = {
    testDigits: testCount,
    bicubic: { psnr: meanOf(hb.image.psnr(testLr, testHr)), ssim: meanOf(hb.image.ssim(testLr, testHr)) },
    srcnn: { psnr: meanOf(hb.image.psnr(restored, testHr)), ssim: meanOf(hb.image.ssim(restored, testHr)) },
    trainDigits: hr.shape[0],
    epochs,
    trainSeconds,
    backend: backendLabel(),
  };
  mkdirSync(dir, { recursive: true });
  await model.save(dir);
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  writeFileSync(join(dir, 'samples.png'), samplesPng([testHr, testLr, restored], Math.min(10, testCount)));
  const gain = metrics.srcnn.psnr - metrics.bicubic.psnr;
  process.stdout.write([
    '',
    `test digits          ${testCount}`,
    `bicubic              PSNR ${metrics.bicubic.psnr.toFixed(2)} dB   SSIM ${metrics.bicubic.ssim.toFixed(4)}`,
    `SRCNN                PSNR ${metrics.srcnn.psnr.toFixed(2)} dB   SSIM ${metrics.srcnn.ssim.toFixed(4)}   (${gain >= 0 ? '+' : ''}${gain.toFixed(2)} dB over bicubic)`,
    `wall time            ${formatDuration((performance.now() - started) / 1000)} (training ${formatDuration(trainSeconds)})`,
    `model saved in       ${dir} (samples.png: original / bicubic / SRCNN)`,
    '',
  ].join('\n'));
}
