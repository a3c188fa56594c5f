// `hebb train gan`: train one of the GAN family on the MNIST training digits with fit (progress
// bar, a checkpoint of the whole GAN and of the generator after every epoch, --resume), then:
//   - judge 1,000 samples with a separately trained LeNet-5 (cached in runs/judge-lenet5), after
//     every epoch (so the report shows how many epochs the bars take) and at the end:
//     mean top-class probability, the share of each class, for cgan the agreement with the
//     requested class, and the Fréchet distance between the classifier's penultimate (F6)
//     features of samples and of real test digits (with real-vs-real as the floor);
//   - fill in test digits with 80 % of their pixels missing and with a 14×14 centre hole by
//     optimising z (hb.generative.inpaint);
//   - write report.html (loss curves, a sample grid per epoch — for cgan one row per class —,
//     the in-painting, the figures) and report.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import * as hb from '../../src/index.js';
import { CliError, EXIT } from '../errors.js';
import { loadMnist } from '../mnist.js';
import { timestamp } from '../options.js';
import { formatDuration } from '../progress.js';
import { renderSvg, svgToPng } from '../report/charts.js';
import { dataUri, tilePng } from '../report/tiles.js';
import { loadSavedModel, selectBackend } from '../saved-model.js';
import { GAN_MODELS, type GanModelName } from './gan.js';

const LATENT = 100;
const CLASSES = 10;
const DEFAULT_EPOCHS: Record<GanModelName, number> = { gan: 5, dcgan: 5, cgan: 4, wgan: 4, 'wgan-gp': 8 };
const DEFAULT_BATCH: Record<GanModelName, number> = { gan: 128, dcgan: 64, cgan: 64, wgan: 64, 'wgan-gp': 64 };
// DCGAN and cgan: the networks at twice the base width (generator 7·7·128 → 64 → 1 channels,
// discriminator 64 → 128), one-sided label smoothing 0.1 (real images' target 0.9; Salimans et
// al. 2016), Adam 2e-4 with β₁ = 0.5 and batches of 64 (Radford et al. 2016). The issue-11
// figures for this recipe are in examples/EXPERIMENTS.md.
const DCGAN_WIDTH = 2;
const DCGAN_LABEL_SMOOTHING = 0.1;
// The generators' weights are averaged (decay 0.999; Karras et al. 2018) for sampling and for
// DIR/generator, in every model but cgan (which meets its bars without it).
const EMA = 0.999;
// dcgan: InfoGAN's code (Chen et al. 2016), K categories and the weight λ of its term.
const DCGAN_CODES = 10;
const DCGAN_INFO_WEIGHT = 0.3;

interface Settings {
  model: GanModelName;
  epochs: number;
  batchSize: number;
  seed: number;
  limit: number | null;
  dataDir: string | null;
}

/** The networks, objective and optimizers of each named model. */
function buildGan(name: GanModelName): hb.generative.GAN {
  const g = hb.generative;
  const adam = (lr: number, beta2 = 0.999) => hb.optimizers.adam({ learningRate: lr, beta1: 0.5, beta2 });
  let gan: hb.generative.GAN;
  let optimizer: Record<string, hb.Optimizer>;
  switch (name) {
    case 'gan':
      // Goodfellow et al.: fully connected networks, k = 1, the non-saturating generator loss, and
      // dropout in the discriminator; with LeakyReLU, batch norm in the generator, one-sided label
      // smoothing 0.1, the batch's standard deviation as a feature of the discriminator (against
      // the collapse onto one digit of the first run), batches of 128 and the weight average.
      gan = g.gan({
        generator: g.mlpGenerator({ latentDim: LATENT, batchNorm: true }), discriminator: g.mlpDiscriminator({ minibatchStdDev: true, dropout: 0.3 }),
        objective: 'gan', discriminatorSteps: 1, labelSmoothing: 0.1, emaDecay: EMA,
      });
      optimizer = { generator: adam(2e-4), discriminator: adam(2e-4) };
      break;
    case 'dcgan':
      // Beside the shared DCGAN recipe: two dense layers that map z before the projection
      // (mappingLayers), the batch's standard deviation as a discriminator feature (against the
      // too few 4s of the plain recipe), the weight average, and InfoGAN's categorical code of 10
      // categories read off z's first 10 entries (the generator still takes standard normal z
      // alone) with λ = 0.3: without it the digits were judged 0.887 after 4 epochs, with it
      // 0.925 (λ = 1 gave crisper digits, 0.931, but drew 4s 1 % of the time; 20 categories
      // dropped the 4s too). 5 epochs: with the CLI's defaults (native, 2 threads) the fourth
      // epoch judged 0.899 and the fifth 0.907, in 14 min 10 s of training on the 2 cores.
      // examples/EXPERIMENTS.md has the runs.
      gan = g.gan({
        generator: g.dcganGenerator({ latentDim: LATENT, width: DCGAN_WIDTH, mappingLayers: 2, codeClasses: DCGAN_CODES }),
        discriminator: g.dcganDiscriminator({ width: DCGAN_WIDTH, minibatchStdDev: true, codeClasses: DCGAN_CODES }),
        objective: 'gan', labelSmoothing: DCGAN_LABEL_SMOOTHING, emaDecay: EMA, infoWeight: DCGAN_INFO_WEIGHT,
      });
      optimizer = { generator: adam(2e-4), discriminator: adam(2e-4) };
      break;
    case 'cgan':
      // The shared DCGAN recipe, the class given to both networks (without dcgan's additions).
      gan = g.gan({
        generator: g.dcganGenerator({ latentDim: LATENT, classes: CLASSES, width: DCGAN_WIDTH }),
        discriminator: g.dcganDiscriminator({ classes: CLASSES, width: DCGAN_WIDTH }),
        objective: 'gan', labelSmoothing: DCGAN_LABEL_SMOOTHING,
      });
      optimizer = { generator: adam(2e-4), discriminator: adam(2e-4) };
      break;
    case 'wgan':
      // Arjovsky et al.: RMSprop 5e-5, critic weights clipped to ±0.01, 5 critic steps per
      // generator step, no batch norm in the critic; and the weight average.
      gan = g.gan({
        generator: g.dcganGenerator({ latentDim: LATENT }), discriminator: g.dcganDiscriminator({ batchNorm: false }),
        objective: 'wgan', discriminatorSteps: 5, clipValue: 0.01, emaDecay: EMA,
      });
      optimizer = { generator: hb.optimizers.rmsprop({ learningRate: 5e-5 }), discriminator: hb.optimizers.rmsprop({ learningRate: 5e-5 }) };
      break;
    case 'wgan-gp':
      // Gulrajani et al.: λ = 10, 5 critic steps, Adam 1e-4 with β = (0.5, 0.9), no batch norm in
      // the critic (the penalty is per sample); and the weight average.
      gan = g.gan({
        generator: g.dcganGenerator({ latentDim: LATENT }), discriminator: g.dcganDiscriminator({ batchNorm: false }),
        objective: 'wgan-gp', discriminatorSteps: 5, gradientPenaltyWeight: 10, emaDecay: EMA,
      });
      optimizer = { generator: adam(1e-4, 0.9), discriminator: adam(1e-4, 0.9) };
      break;
    default:
      throw new CliError(`unknown GAN model '${name satisfies never}'`, EXIT.usage);
  }
  gan.compile({ optimizer });
  return gan;
}

/** One grey PNG of images [N, 28, 28, 1] laid out `cols` per row, each pixel `scale`×. */
function gridPng(images: hb.Tensor, cols: number, scale = 2): Uint8Array {
  const n = images.shape[0];
  const h = images.shape[1];
  const w = images.shape[2];
  const rows = Math.ceil(n / cols);
  const pad = 1;
  const W = cols * (w + pad) + pad;
  const H = rows * (h + pad) + pad;
  const data = new Float32Array(W * H).fill(0.35);
  const px = images.dataSync();
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[(pad + r * (h + pad) + y) * W + pad + c * (w + pad) + x] = px[(i * h + y) * w + x];
  }
  return tilePng({ data, width: W, height: H }, { scale });
}

/** The judge: a LeNet-5 trained on MNIST, loaded from `dir` or trained there (2 epochs). */
async function judgeClassifier(dir: string, dataDir: string | null, log: (s: string) => void): Promise<{ model: hb.Model; testAccuracy: number; trainedNow: boolean }> {
  // Always the full MNIST: a judge cached from a --limit run would judge every later run badly.
  const data = await loadMnist({ dataDir });
  if (existsSync(join(dir, 'model.json'))) {
    const model = await loadSavedModel(dir);
    const acc = (await model.evaluate(data.test.images, data.test.labels, { batchSize: 500 })).accuracy ?? NaN;
    return { model, testAccuracy: acc, trainedNow: false };
  }
  log(`training the judge (LeNet-5, 2 epochs) into ${dir}`);
  hb.setSeed(12345);
  const model = hb.zoo.lenet5();
  model.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(data.train.images, data.train.labels, { epochs: 2, batchSize: 64, verbose: process.stdout.isTTY ? 1 : 2 });
  const acc = (await model.evaluate(data.test.images, data.test.labels, { batchSize: 500 })).accuracy ?? NaN;
  await model.save(dir);
  return { model, testAccuracy: acc, trainedNow: true };
}

/** The classifier's probabilities and its penultimate-layer (F6) features for images. */
function classify(clf: hb.Model, images: hb.Tensor): { probs: hb.Tensor; features: hb.Tensor } {
  const [probs, features] = hb.tidy(() =>
    hb.noGrad(() => {
      let h = images;
      const layers = clf.layers.filter((l) => l.className !== 'InputLayer');
      for (const l of layers.slice(0, -1)) h = l.apply(h, { training: false }) as hb.Tensor;
      return [layers[layers.length - 1].apply(h, { training: false }) as hb.Tensor, h];
    }),
  );
  return { probs, features };
}

export interface Judgement {
  samples: number;
  meanTopProbability: number;
  classShare: number[];
  classAgreement: number | null;
  frechet: number;
  frechetRealFloor: number;
}

export function judge(clf: hb.Model, gan: hb.generative.GAN, n: number, realA: hb.Tensor, realB: hb.Tensor, averaged = true): Judgement {
  const conditional = gan.classes > 0;
  const requested = Int32Array.from({ length: n }, (_, i) => i % CLASSES);
  const onehot = conditional ? hb.oneHot(hb.tensor(requested, [n], 'int32'), CLASSES) : null;
  // Its own seeded z: the same codes every time, and the global generator (training's noise) untouched.
  const z = hb.randomNormal([n, gan.latentDim], { seed: 2024 });
  // The averaged generator when the GAN keeps one (what DIR/generator holds), else the trained one.
  const samples = averaged ? gan.withAveragedGenerator(() => hb.tidy(() => hb.noGrad(() => gan.generate(z, onehot, false)))) : hb.tidy(() => hb.noGrad(() => gan.generate(z, onehot, false)));
  const batch = (images: hb.Tensor) => {
    const probs: hb.Tensor[] = [];
    const feats: hb.Tensor[] = [];
    for (let s = 0; s < images.shape[0]; s += 500) {
      const r = classify(clf, hb.slice(images, [s], [Math.min(500, images.shape[0] - s)]));
      probs.push(r.probs);
      feats.push(r.features);
    }
    return { probs: hb.concat(probs, 0), features: hb.concat(feats, 0) };
  };
  const fake = batch(samples);
  const p = fake.probs.dataSync();
  const share = new Array<number>(CLASSES).fill(0);
  let top = 0;
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < CLASSES; k++) if (p[i * CLASSES + k] > p[i * CLASSES + best]) best = k;
    top += p[i * CLASSES + best];
    share[best] += 1 / n;
    if (best === requested[i]) agree++;
  }
  const a = batch(realA).features;
  const b = batch(realB).features;
  return {
    samples: n,
    meanTopProbability: top / n,
    classShare: share,
    classAgreement: conditional ? agree / n : null,
    frechet: hb.generative.frechetDistance(fake.features, a),
    frechetRealFloor: hb.generative.frechetDistance(b, a),
  };
}

export async function trainGan(command: Command, own: Record<string, unknown>): Promise<void> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const parent = command.parent!;
  const shared = parent.opts() as Record<string, unknown>;
  const given = (key: string) => parent.getOptionValueSource(key) === 'cli';
  const model = (given('model') ? shared.model : 'dcgan') as string;
  if (!(GAN_MODELS as readonly string[]).includes(model)) throw new CliError(`train gan: --model must be one of ${GAN_MODELS.join(', ')}, got '${model}'`, EXIT.usage);
  const resume = shared.resume as string | undefined;
  const dir = resume ?? (shared.out as string | undefined) ?? join('runs', `${model}-${timestamp()}`);
  const settingsFile = join(dir, 'gan-settings.json');
  let settings: Settings;
  if (resume) {
    if (!existsSync(settingsFile)) throw new CliError(`${resume}: not a GAN run folder (no gan-settings.json)`, EXIT.usage);
    settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings;
    if (given('epochs')) settings.epochs = shared.epochs as number;
  } else {
    if (existsSync(join(dir, 'gan', 'model.json'))) throw new CliError(`${dir} already holds a GAN run; choose another --out, or continue it with --resume ${dir}`, EXIT.usage);
    settings = {
      model: model as GanModelName,
      epochs: (shared.epochs as number | undefined) ?? DEFAULT_EPOCHS[model as GanModelName],
      batchSize: given('batchSize') ? (shared.batchSize as number) : DEFAULT_BATCH[model as GanModelName],
      seed: shared.seed as number,
      limit: (shared.limit as number | undefined) ?? null,
      dataDir: (shared.dataDir as string | undefined) ?? null,
    };
  }
  await selectBackend(shared.backend as string | undefined, shared.threads as number | undefined);
  mkdirSync(dir, { recursive: true });
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  const log = (s: string) => process.stderr.write(`hebb: ${s}\n`);

  const data = await loadMnist({ limit: settings.limit, dataDir: settings.dataDir });
  const images = data.train.images;
  const x = settings.model === 'cgan' ? [images, hb.oneHot(data.train.labels, CLASSES)] : images;

  hb.setSeed(settings.seed);
  let gan: hb.generative.GAN;
  if (resume) {
    const loaded = await loadSavedModel(join(dir, 'gan'));
    if (!(loaded instanceof hb.generative.GAN)) throw new CliError(`${dir}/gan is not a GAN`);
    gan = loaded;
    if (own.judgeOnly === true) settings.epochs = gan.epochsTrained;
    else if (gan.epochsTrained >= settings.epochs) throw new CliError(`${dir}: already trained ${gan.epochsTrained} epoch(s); pass --epochs with more to continue`, EXIT.usage);
  } else {
    if (own.judgeOnly === true) throw new CliError('--judge-only needs --resume DIR (a GAN run folder)', EXIT.usage);
    gan = buildGan(settings.model);
  }
  // The judge, loaded (or trained) before training, to judge every epoch's generator too.
  const judgeDir = (own.judge as string | undefined) ?? join('runs', 'judge-lenet5');
  const clf = await judgeClassifier(judgeDir, settings.dataDir, log);
  const nSamples = own.samples as number;
  const testN = data.test.images.shape[0];
  const realA = hb.slice(data.test.images, [0], [Math.min(nSamples, testN)]);
  const realB = hb.slice(data.train.images, [0], [Math.min(nSamples, images.shape[0])]);
  const epochVerdicts: (Judgement & { epoch: number; trainSeconds: number; trainCpuSeconds: number; withoutAverage: Judgement | null })[] = [];
  // Judging inside fit is not training: its wall and CPU time are taken off the training time.
  let judgingSeconds = 0;
  let judgingCpuSeconds = 0;
  // Fixed latent codes for the per-epoch grids: 10 × 10; cgan: row r asks for digit r.
  const gridZ = hb.randomNormal([100, LATENT], { seed: 777 });
  const gridClasses = gan.classes > 0 ? hb.oneHot(hb.tensor(Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)), [100], 'int32'), CLASSES) : null;
  const grids: { epoch: number; uri: string }[] = [];
  const epochSeconds: number[] = [];
  let epochStart = performance.now();
  // The curves: every 20 batches, the epoch's running means so far, against the global step.
  const curve: { step: number; metric: string; value: number }[] = [];
  let stepsPerEpoch = 0;
  const perEpoch: hb.CallbackHooks = {
    onBatchEnd: (batch, logs) => {
      stepsPerEpoch = Math.max(stepsPerEpoch, batch + 1);
      if (batch % 20 !== 19) return;
      const step = gan.epochsTrained * stepsPerEpoch + batch + 1;
      for (const [metric, value] of Object.entries(logs ?? {})) if (metric !== 'batch' && metric !== 'size' && Number.isFinite(value)) curve.push({ step, metric, value });
    },
    onEpochBegin: () => void (epochStart = performance.now()),
    onEpochEnd: async (epoch) => {
      epochSeconds.push((performance.now() - epochStart) / 1000);
      const samples = gan.withAveragedGenerator(() => hb.tidy(() => hb.noGrad(() => gan.generate(gridZ, gridClasses, false))));
      const png = gridPng(samples, 10);
      samples.dispose();
      writeFileSync(join(dir, `samples-epoch-${epoch + 1}.png`), png);
      grids.push({ epoch: epoch + 1, uri: dataUri(png) });
      await gan.save(join(dir, 'gan'));
      await gan.withAveragedGenerator((gen) => gen.save(join(dir, 'generator'), { includeOptimizer: false }));
      const j0 = performance.now();
      const jc = process.cpuUsage();
      const v = judge(clf.model, gan, nSamples, realA, realB);
      // The trained (not averaged) generator too, to show what the average adds.
      const raw = gan.emaDecay > 0 ? judge(clf.model, gan, nSamples, realA, realB, false) : null;
      const used = process.cpuUsage(jc);
      judgingSeconds += (performance.now() - j0) / 1000;
      judgingCpuSeconds += (used.user + used.system) / 1e6;
      const sofar = process.cpuUsage(trainCpu);
      const entry = { epoch: epoch + 1, trainSeconds: (performance.now() - trainStart) / 1000 - judgingSeconds, trainCpuSeconds: (sofar.user + sofar.system) / 1e6 - judgingCpuSeconds, ...v, withoutAverage: raw };
      epochVerdicts.push(entry);
      log(`epoch ${epoch + 1} judged: mean top probability ${v.meanTopProbability.toFixed(3)}, class shares ${v.classShare.map((x) => (100 * x).toFixed(1)).join(' ')} %` +
        `${v.classAgreement === null ? '' : `, agreement ${(100 * v.classAgreement).toFixed(1)} %`}, Fréchet ${v.frechet.toFixed(1)} (${formatDuration(entry.trainSeconds)} wall, ${formatDuration(entry.trainCpuSeconds)} CPU of training so far)`);
      if (raw) {
        const r = raw;
        log(`  without the weight average: mean top probability ${r.meanTopProbability.toFixed(3)}, class shares ${r.classShare.map((x) => (100 * x).toFixed(1)).join(' ')} %, Fréchet ${r.frechet.toFixed(1)}`);
      }
    },
  };
  const trainStart = performance.now();
  const trainCpu = process.cpuUsage();
  log(`training ${settings.model} on ${images.shape[0]} digits for ${settings.epochs} epoch(s), batches of ${settings.batchSize}, into ${dir}`);
  const history = own.judgeOnly === true ? { history: {} } : await gan.fit(x, null, {
    epochs: settings.epochs, initialEpoch: gan.epochsTrained, batchSize: settings.batchSize, callbacks: [perEpoch],
    verbose: process.stdout.isTTY ? 1 : 2, seed: settings.seed,
  });
  const trainSeconds = (performance.now() - trainStart) / 1000 - judgingSeconds;
  const c = process.cpuUsage(trainCpu);
  const trainCpuSeconds = (c.user + c.system) / 1e6 - judgingCpuSeconds;
  log(`trained in ${formatDuration(trainSeconds)} (CPU ${formatDuration(trainCpuSeconds)})`);

  // A judged-only run shows the grids its training epochs left on disk.
  const fromDisk = grids.length === 0;
  for (let e = 1; fromDisk && e <= gan.epochsTrained; e++) {
    const file = join(dir, `samples-epoch-${e}.png`);
    if (existsSync(file)) grids.push({ epoch: e, uri: dataUri(readFileSync(file)) });
  }

  // ---- the judge ----
  const verdict = judge(clf.model, gan, nSamples, realA, realB);

  // ---- in-painting ----
  let inpaintHtml = '';
  const inpaintErrors: Record<string, number> = {};
  if (own.inpaint !== false && gan.classes === 0) {
    const digits = hb.slice(data.test.images, [0], [10]);
    for (const [label, mask] of [['80 % of the pixels missing', hb.generative.randomMask([10, 28, 28, 1], 0.8, 5)], ['a 14×14 centre hole', hb.generative.centreMask([10, 28, 28, 1], 14)]] as const) {
      const { completed } = gan.withAveragedGenerator((gen) => hb.generative.inpaint(gen, digits, mask, { steps: 150, restarts: 2, seed: 9, discriminator: gan.discriminator }));
      // Mean absolute error on the missing pixels, against filling them with the known pixels' mean.
      const missing = hb.sub(1, mask);
      const nMissing = hb.sum(missing).item();
      const err = hb.sum(hb.abs(hb.mul(missing, hb.sub(completed, digits)))).item() / nMissing;
      const fillMean = hb.div(hb.sum(hb.mul(mask, digits), [1, 2, 3], true), hb.sum(mask, [1, 2, 3], true));
      const base = hb.sum(hb.abs(hb.mul(missing, hb.sub(fillMean, digits)))).item() / nMissing;
      inpaintErrors[label] = err;
      inpaintErrors[`${label} (mean fill)`] = base;
      const shown = hb.concat([digits, hb.add(hb.mul(mask, digits), hb.mul(missing, 0.5)), completed], 0);
      inpaintHtml += `<h3>${label}</h3><p>rows: original, known pixels (grey = missing), completed. Mean absolute error on the missing pixels ${err.toFixed(3)} (filling them with the image's mean known value: ${base.toFixed(3)})</p><img src="${dataUri(gridPng(shown, 10, 3))}">`;
    }
  }

  const totalSeconds = (performance.now() - started) / 1000;
  const ct = process.cpuUsage(cpuStart);
  const report = {
    model: settings.model, epochs: settings.epochs, trainImages: images.shape[0], batchSize: settings.batchSize,
    trainSeconds, trainCpuSeconds, totalSeconds, totalCpuSeconds: (ct.user + ct.system) / 1e6, epochSeconds,
    judge: { dir: judgeDir, testAccuracy: clf.testAccuracy, trainedNow: clf.trainedNow },
    ...verdict, epochVerdicts, inpaintErrors, history: history.history,
  };
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const lines = [
    `mean top-class probability ${verdict.meanTopProbability.toFixed(3)} (bar ≥ 0.9)`,
    `class shares ${verdict.classShare.map((s, k) => `${k}:${pct(s)}`).join(' ')} (bar: each 4–20 %)`,
    ...(verdict.classAgreement !== null ? [`classifier agrees with the requested class on ${pct(verdict.classAgreement)} (bar ≥ 90 %)`] : []),
    `Fréchet distance on LeNet-5 F6 features ${verdict.frechet.toFixed(2)} (real train vs real test digits: ${verdict.frechetRealFloor.toFixed(2)})`,
    `training ${formatDuration(trainSeconds)} wall, ${formatDuration(trainCpuSeconds)} CPU; judge test accuracy ${pct(clf.testAccuracy)}`,
  ];
  for (const l of lines) console.log(l);

  if (shared.report !== false) {
    const curves = await renderSvg(lossSpec(curve));
    writeFileSync(join(dir, 'curves.png'), svgToPng(curves, 900));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>hebb ${settings.model}</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}img{image-rendering:pixelated;margin:4px}td,th{padding:2px 10px;text-align:left}</style></head><body>
<h1>${settings.model.toUpperCase()} on MNIST</h1>
<p>${settings.epochs} epoch(s) over ${images.shape[0]} digits, batches of ${settings.batchSize}; ${formatDuration(trainSeconds)} of training (${formatDuration(trainCpuSeconds)} CPU).</p>
<h2>Judged by a LeNet-5 (${pct(clf.testAccuracy)} on the test digits), ${verdict.samples} samples</h2><ul>${lines.map((l) => `<li>${l}</li>`).join('')}</ul>
${epochVerdicts.length > 0 ? `<h2>Judged after each epoch</h2><table><tr><th>epoch</th><th>mean top prob.</th><th>class shares (%)</th>${gan.classes > 0 ? '<th>agreement</th>' : ''}<th>Fréchet</th><th>training wall / CPU</th></tr>${epochVerdicts.map((v) => `<tr><td>${v.epoch}</td><td>${v.meanTopProbability.toFixed(3)}</td><td>${v.classShare.map((x) => (100 * x).toFixed(1)).join(' ')}</td>${v.classAgreement === null ? '' : `<td>${pct(v.classAgreement)}</td>`}<td>${v.frechet.toFixed(1)}</td><td>${formatDuration(v.trainSeconds)} / ${formatDuration(v.trainCpuSeconds)}</td></tr>`).join('')}</table>` : ''}
<h2>Losses</h2>${curves}
<h2>Samples after each epoch${gan.classes > 0 ? ' (row r: the class r was asked for)' : ''}</h2>
${grids.map((g) => `<figure style="display:inline-block"><img src="${g.uri}"><figcaption>epoch ${g.epoch}</figcaption></figure>`).join('\n')}
${inpaintHtml ? `<h2>In-painting by optimising z</h2>${inpaintHtml}` : ''}
</body></html>\n`;
    writeFileSync(join(dir, 'report.html'), html);
  }
  log(`saved the generator to ${join(dir, 'generator')}, the GAN to ${join(dir, 'gan')}, and the report to ${dir}`);
}

/** Every logged series against the training step, one panel. */
function lossSpec(values: { step: number; metric: string; value: number }[]): Parameters<typeof renderSvg>[0] {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    width: 500,
    height: 260,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'generator + discriminator steps (batches)' },
      y: { field: 'value', type: 'quantitative', scale: { zero: false } },
      color: { field: 'metric', type: 'nominal' },
    },
  } as Parameters<typeof renderSvg>[0];
}
