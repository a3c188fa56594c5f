// fit / evaluate / predict / trainOnBatch / testOnBatch. One training step is one tidy():
//   outputs = model(x, training: true)
//   loss = Σ_k w_k · mean_n(s_n · L_k(y_k[n], outputs_k[n]))   (s: sample/class weights)
//        + Σ regularizer(w) over the weights + the layers' activity penalties
//   grads = ∂loss/∂(trainable weights)   (variableGrads)
//   optimizer.applyGradients(…)          (in place, under noGrad)
// and everything the step created, except the updated weights, is released when it ends, so a
// long run holds flat memory without any dispose() from the user.
//
// Custom training (Keras 3's train_step): fit calls model.trainStep(batch) for every batch and
// model.testStep(batch) for validation. The built-in steps above are the defaults; a model that
// overrides them (a GAN updating its discriminator k times, then its generator, with two
// optimizers) keeps everything else of fit: shuffling, batching, progress bar, callbacks,
// validation, history, checkpoints and resume. A custom step returns its batch's values
// ({ dLoss, gLoss }); fit reports their running means over the epoch, weighted by batch size.
import { variableGrads } from '../autograd/index.js';
import { checkOptions, is, type OptionSpec, ValueError } from '../base/index.js';
import type { LossFn } from '../nn/index.js';
import { add, argmax, cast, concat, mean, mul, reshape, sum } from '../ops/index.js';
import { noGrad, Tensor, tensor, tidy } from '../tensor/index.js';
import { type CallbackHooks, CallbackList, type FitParams, History, type Logs } from './callbacks.js';
import type { CompiledModel } from './compile.js';
import { type ModelData, sampleCount, sampleOrder, shuffleRng, sliceRows, takeRows, toTensorList } from './data-adapter.js';
import type { Model } from './model.js';
import { ProgressBar } from './progress.js';
import { StepLogTracker } from './step-logs.js';

export type { Logs, ModelData };

/** Options of `model.fit`: epochs, batch size, validation data or split, shuffling, callbacks, weights, verbosity. */
export interface FitOptions {
  /** Index of the last epoch + 1 (with initialEpoch, as Keras): trains epochs initialEpoch … epochs−1. Default 1. */
  epochs?: number;
  batchSize?: number;
  /** Shuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the data, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight] or { x, y, sampleWeight } to evaluate after every epoch. */
  validationData?: [ModelData, ModelData] | [ModelData, ModelData, Tensor] | { x: ModelData; y: ModelData; sampleWeight?: Tensor };
  /** Weight of each class index in the loss (single-output models). */
  classWeight?: Record<number, number>;
  /** Weight of each sample in the loss, [N]. */
  sampleWeight?: Tensor;
  /** Epoch to start at (to resume: the epochsTrained of a loaded model). */
  initialEpoch?: number;
  callbacks?: CallbackHooks[];
  /** 0 silent, 1 progress bar, 2 one line per epoch; default: 1 on a terminal, else 0 (Keras's auto). */
  verbose?: 0 | 1 | 2;
  /**
   * Seed for the shuffling order: epoch e uses a generator seeded from (seed, e). Without it the
   * global generator shuffles (its state is saved with the model, so resuming is exact either way).
   */
  seed?: number;
}

/** One batch as a training or test step sees it. */
export interface StepBatch {
  /** One tensor per data input (the model's inputs, unless a custom step reads other data). */
  x: Tensor[];
  /** One tensor per target (empty when fit got no y). */
  y: Tensor[];
  /** Per-sample loss weights [size] (sampleWeight and classWeight combined), or null. */
  sampleWeight: Tensor | null;
  /** Samples in the batch. */
  size: number;
}

/**
 * What a step returns: the batch's values by name (numbers or one-element tensors), reported by
 * fit as running means over the epoch; or nothing, when the step updated the compiled loss and
 * metric trackers itself (as the built-in step does).
 */
export type StepLogs = Record<string, number | Tensor> | void;

/** Options of `model.evaluate`: batch size and sample weights. */
export interface EvaluateOptions {
  batchSize?: number;
  sampleWeight?: Tensor;
}

/** Options of `model.predict`: the batch size. */
export interface PredictOptions {
  batchSize?: number;
}

/** Options of `trainOnBatch` and `testOnBatch`: sample and class weights. */
export interface BatchOptions {
  sampleWeight?: Tensor;
  classWeight?: Record<number, number>;
}

const isTensorLike = (v: unknown): string | null => (v instanceof Tensor ? null : 'a Tensor');
const isClassWeight = (v: unknown): string | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.entries(v).every(([k, w]) => Number.isInteger(Number(k)) && typeof w === 'number' && Number.isFinite(w) && w >= 0)
    ? null
    : 'an object mapping class indices to non-negative weights';
const isCallbackList = (v: unknown): string | null => (Array.isArray(v) && v.every((c) => c !== null && typeof c === 'object') ? null : 'an array of callbacks');
const isValidationData = (v: unknown): string | null =>
  (Array.isArray(v) && (v.length === 2 || v.length === 3)) || (v !== null && typeof v === 'object' && !Array.isArray(v) && 'x' in v && 'y' in v)
    ? null
    : '[x, y], [x, y, sampleWeight] or { x, y, sampleWeight? }';

const FIT_SPEC: OptionSpec<FitOptions> = {
  epochs: is.nonNegInt, batchSize: is.posInt, shuffle: is.bool, validationSplit: is.range(0, 1, true), validationData: isValidationData,
  classWeight: isClassWeight, sampleWeight: isTensorLike, initialEpoch: is.nonNegInt, callbacks: isCallbackList, verbose: is.oneOf(0, 1, 2), seed: is.int,
};
const EVALUATE_SPEC: OptionSpec<EvaluateOptions> = { batchSize: is.posInt, sampleWeight: isTensorLike };
const PREDICT_SPEC: OptionSpec<PredictOptions> = { batchSize: is.posInt };
const BATCH_SPEC: OptionSpec<BatchOptions> = { sampleWeight: isTensorLike, classWeight: isClassWeight };

function requireCompiled(model: Model, op: string): CompiledModel {
  if (!model.compiled) throw new ValueError(`${op}: model '${model.name}' must be compiled first: model.compile({ optimizer, loss, metrics })`);
  return model.compiled;
}

function checkBatchSize(op: string, b: number): number {
  if (!(Number.isInteger(b) && b > 0)) throw new ValueError(`${op}: batchSize must be a positive integer, got ${b}`);
  return b;
}

interface Prepared {
  xs: Tensor[];
  ys: Tensor[];
  sampleWeight: Tensor | null;
  n: number;
}

/**
 * x, y and weights as tensor lists with a common sample count; builds a deferred Sequential.
 * With `free` (a custom step reads the data) a tensor or an array of tensors is taken as it is,
 * whatever the model's inputs and outputs are (a GAN's data are images, its input is z).
 */
function prepare(model: Model, op: string, x: ModelData, y: ModelData | null | undefined, sampleWeight?: Tensor, free = false): Prepared {
  const asIs = (d: ModelData): Tensor[] | null => (d instanceof Tensor ? [d] : Array.isArray(d) && d.length > 0 && d.every((t) => t instanceof Tensor) ? (d as Tensor[]) : null);
  if (model.inputs.length === 0 && !(free && asIs(x))) {
    // A Sequential without an input shape: build from the data (only single-input models defer).
    model.ensureBuilt(toTensorList(op, x, ['input'], 'input'));
  }
  const xs = (free ? asIs(x) : null) ?? toTensorList(op, x, model.inputNames, 'input');
  const ys = y === null || y === undefined ? [] : ((free ? asIs(y) : null) ?? toTensorList(op, y, model.outputNames, 'target'));
  const groups = [xs, ys];
  if (sampleWeight !== undefined) {
    if (sampleWeight.rank !== 1) throw new ValueError(`${op}: sampleWeight must have shape [N], got [${sampleWeight.shape.join(',')}]`);
    groups.push([sampleWeight]);
  }
  return { xs, ys, sampleWeight: sampleWeight ?? null, n: sampleCount(op, groups) };
}

/** Per-sample weights from class weights: the class of a sample is argmax(y) or round(y). */
function classWeights(y: Tensor, classWeight: Record<number, number>): Tensor {
  const labels = y.rank >= 2 && y.shape[y.rank - 1] > 1 ? argmax(y, -1) : y;
  const values = labels.dataSync();
  const n = y.shape[0];
  const per = values.length / n;
  if (per !== 1) throw new ValueError(`classWeight: expected one class per sample, got targets of shape [${y.shape.join(',')}]`);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = classWeight[Math.round(values[i])] ?? 1;
  return tensor(w, [n]);
}

/** mean over the batch of s_n · L(y_n, ŷ_n) (Keras's sum over batch size). */
function outputLoss(loss: LossFn, y: Tensor, yPred: Tensor, weights: Tensor | null): Tensor {
  let l = loss(y, yPred, { reduction: 'none' });
  if (l.rank === 0) return weights === null ? l : mul(l, mean(weights));
  if (l.rank > 1) l = mean(l, l.shape.slice(1).map((_, i) => i + 1));
  if (weights === null) return mean(l);
  return mean(mul(l, reshape(cast(weights, l.dtype), l.shape)));
}

interface StepResult {
  loss: Tensor;
  outputLosses: Tensor[];
  outputs: Tensor[];
}

/** Forward pass and the total loss (with penalties) for one batch. */
function forwardLoss(model: Model, compiled: CompiledModel, xs: Tensor[], ys: Tensor[], weights: Tensor | null, training: boolean): StepResult {
  if (compiled.targets.length === 0) {
    throw new ValueError(`model '${model.name}' was compiled without a loss: compile({ optimizer, loss }) for the built-in training step, or override trainStep/testStep`);
  }
  if (ys.length !== compiled.targets.length) {
    throw new ValueError(`model '${model.name}': the built-in training step needs ${compiled.targets.length} target tensor(s) (y), got ${ys.length}`);
  }
  const { outputs, losses } = model.runGraph(xs, { training });
  const outputLosses = compiled.targets.map((t, k) => outputLoss(t.loss, ys[k], outputs[k], weights));
  let total = outputLosses.map((l, k) => (compiled.targets[k].weight === 1 ? l : mul(l, compiled.targets[k].weight))).reduce((a, b) => add(a, b));
  for (const v of model.weights) if (v.regularizer) total = add(total, v.regularizer.apply(v.value));
  for (const p of losses) total = add(total, sum(p));
  return { loss: total, outputLosses, outputs };
}

/** Combine given sample weights and class weights for a batch (null when neither). */
function batchWeights(ys: Tensor[], sw: Tensor | null, classWeight: Record<number, number> | undefined): Tensor | null {
  if (classWeight === undefined) return sw;
  if (ys.length !== 1) throw new ValueError('classWeight: supported for single-output models only; use sampleWeight');
  const cw = classWeights(ys[0], classWeight);
  return sw === null ? cw : mul(cast(sw, 'float32'), cw);
}

/** Record a batch's losses and metrics in the compiled model's accumulators. */
function track(compiled: CompiledModel, r: StepResult, ys: Tensor[], weights: Tensor | null, batchSize: number): void {
  noGrad(() => {
    // Tensors, read when the trackers settle: on webgpu the loss is still on the GPU here.
    compiled.lossTracker.update(r.loss, batchSize);
    r.outputLosses.forEach((l, k) => compiled.outputLossTrackers[k].update(l, batchSize));
    for (const m of compiled.trackedMetrics) m.metric.update(ys[m.output], r.outputs[m.output], weights ?? undefined);
  });
}

/**
 * The built-in training step (Model.trainStep's default): one step of the compiled optimizer on
 * the compiled loss; updates the compiled loss and metric trackers. Call it from an override to
 * extend rather than replace it.
 */
export function defaultTrainStep(model: Model, batch: StepBatch): void {
  const compiled = requireCompiled(model, `trainStep (model '${model.name}')`);
  const { x: xs, y: ys, sampleWeight: weights } = batch;
  tidy(() => {
    const variables = model.trainableWeights;
    let result: StepResult | null = null;
    const f = (): Tensor => {
      result = forwardLoss(model, compiled, xs, ys, weights, true);
      return result.loss;
    };
    if (variables.length === 0) {
      noGrad(f);
    } else {
      const { grads } = variableGrads(f, variables.map((v) => v.value));
      compiled.optimizer.applyGradients(variables.map((variable, i) => ({ variable, grad: grads[i] })));
    }
    track(compiled, result!, ys, weights, batch.size);
  });
}

/** The built-in test step (Model.testStep's default): the compiled loss and metrics, no update. */
export function defaultTestStep(model: Model, batch: StepBatch): void {
  const compiled = requireCompiled(model, `testStep (model '${model.name}')`);
  const { x: xs, y: ys, sampleWeight: sw } = batch;
  tidy(() =>
    noGrad(() => {
      const r = forwardLoss(model, compiled, xs, ys, sw, false);
      track(compiled, r, ys, sw, batch.size);
    }),
  );
}

function outputShapes(model: Model): (number | null)[][] {
  return model.outputs.map((o) => [...o.shape]);
}

/** Evaluate on prepared data in batches; returns the logs (loss, metrics) over all samples. */
async function runEvaluation(model: Model, compiled: CompiledModel, data: Prepared, batchSize: number): Promise<Logs> {
  if (compiled.targets.length > 0) compiled.ensureMetrics(outputShapes(model), data.ys);
  const tracker = new StepLogTracker(compiled);
  tracker.reset();
  const op = `testStep (model '${model.name}')`;
  for (let start = 0; start < data.n; start += batchSize) {
    const size = Math.min(batchSize, data.n - start);
    tidy(() => {
      const batch: StepBatch = {
        x: sliceRows(data.xs, start, size),
        y: sliceRows(data.ys, start, size),
        sampleWeight: data.sampleWeight ? sliceRows([data.sampleWeight], start, size)[0] : null,
        size,
      };
      tracker.record(op, model.testStep(batch), size);
    });
  }
  await tracker.settle();
  return tracker.logs();
}

/**
 * `custom`: the model's trainStep is not the built-in one, so x and y are passed to it as they
 * are and y may be absent.
 */
export async function fitModel(model: Model, x: ModelData, y: ModelData | null | undefined, fitOptions: FitOptions = {}, custom = false): Promise<History> {
  const op = `fit (model '${model.name}')`;
  const options = checkOptions(op, fitOptions, FIT_SPEC);
  const compiled = requireCompiled(model, op);
  const epochs = options.epochs ?? 1;
  const initialEpoch = options.initialEpoch ?? 0;
  if (!(Number.isInteger(epochs) && epochs >= 0)) throw new ValueError(`${op}: epochs must be a non-negative integer, got ${epochs}`);
  if (!(Number.isInteger(initialEpoch) && initialEpoch >= 0)) throw new ValueError(`${op}: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  const batchSize = checkBatchSize(op, options.batchSize ?? 32);
  const shuffle = options.shuffle ?? true;
  // Keras's 'auto': a progress bar when a person is watching a terminal, silence otherwise
  // (test runners, CI logs, browsers).
  const tty = (globalThis as { process?: { stdout?: { isTTY?: boolean } } }).process?.stdout?.isTTY === true;
  const verbose = options.verbose ?? (tty ? 1 : 0);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new ValueError(`${op}: seed must be an integer, got ${options.seed}`);

  let train = prepare(model, op, x, y, options.sampleWeight, custom);
  let validation: Prepared | null = null;
  const vd = options.validationData;
  if (vd !== undefined) {
    const [vx, vy, vw] = Array.isArray(vd) ? vd : [vd.x, vd.y, vd.sampleWeight];
    validation = prepare(model, `${op} validationData`, vx, vy, vw, custom);
  } else if (options.validationSplit !== undefined && options.validationSplit > 0) {
    const split = options.validationSplit;
    if (!(split < 1)) throw new ValueError(`${op}: validationSplit must be in [0, 1), got ${split}`);
    // Keras: the last fraction of the samples, before any shuffling.
    const nTrain = Math.floor(train.n * (1 - split));
    if (nTrain === 0 || nTrain === train.n) throw new ValueError(`${op}: validationSplit ${split} of ${train.n} samples leaves an empty training or validation set`);
    const part = (start: number, size: number): Prepared => ({
      xs: sliceRows(train.xs, start, size),
      ys: sliceRows(train.ys, start, size),
      sampleWeight: train.sampleWeight ? sliceRows([train.sampleWeight], start, size)[0] : null,
      n: size,
    });
    validation = part(nTrain, train.n - nTrain);
    train = part(0, nTrain);
  }
  if (compiled.targets.length > 0) compiled.ensureMetrics(outputShapes(model), train.ys);

  const steps = Math.ceil(train.n / batchSize);
  // Custom steps name their values only when they run; the built-in step's names are known now.
  const metricNames = compiled.targets.length > 0 ? Object.keys(compiled.logs()) : [];
  const params: FitParams = {
    epochs, initialEpoch, steps, samples: train.n, batchSize, verbose,
    metrics: [...metricNames, ...(validation ? metricNames.map((k) => `val_${k}`) : [])],
  };
  const history = new History();
  const user = options.callbacks ?? [];
  if (!Array.isArray(user)) throw new ValueError(`${op}: callbacks must be an array`);
  const extra: CallbackHooks[] = verbose > 0 ? [new ProgressBar({ plain: verbose === 2 })] : [];
  const callbacks = new CallbackList([...extra, ...user, history], model, params);

  model.stopTraining = false;
  await callbacks.onTrainBegin();
  let epochLogs: Logs = {};
  const tracker = new StepLogTracker(compiled);
  const stepOp = `trainStep (model '${model.name}')`;
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    tracker.reset();
    await callbacks.onEpochBegin(epoch);
    const order = sampleOrder(train.n, shuffle ? shuffleRng(options.seed, epoch) : null);
    for (let step = 0; step < steps; step++) {
      const start = step * batchSize;
      const size = Math.min(batchSize, train.n - start);
      await callbacks.onBatchBegin(step, { batch: step, size });
      tidy(() => {
        const pick = (ts: Tensor[]): Tensor[] => (shuffle ? takeRows(ts, order.subarray(start, start + size)) : sliceRows(ts, start, size));
        const xb = pick(train.xs);
        const yb = pick(train.ys);
        const wb = train.sampleWeight ? pick([train.sampleWeight])[0] : null;
        const batch: StepBatch = { x: xb, y: yb, sampleWeight: batchWeights(yb, wb, options.classWeight), size };
        tracker.record(stepOp, model.trainStep(batch), size);
      });
      await tracker.settle();
      await callbacks.onBatchEnd(step, { batch: step, size, ...tracker.logs() });
      if (model.stopTraining) break;
    }
    epochLogs = tracker.logs();
    if (validation) {
      const v = await runEvaluation(model, compiled, validation, batchSize);
      for (const [k, value] of Object.entries(v)) epochLogs[`val_${k}`] = value;
    }
    model.epochsTrained = epoch + 1;
    await callbacks.onEpochEnd(epoch, epochLogs);
  }
  await callbacks.onTrainEnd(epochLogs);
  return history;
}

export async function evaluateModel(model: Model, x: ModelData, y: ModelData | null | undefined, options: EvaluateOptions = {}, custom = false): Promise<Logs> {
  const op = `evaluate (model '${model.name}')`;
  checkOptions(op, options, EVALUATE_SPEC);
  const compiled = requireCompiled(model, op);
  const batchSize = checkBatchSize(op, options.batchSize ?? 32);
  return runEvaluation(model, compiled, prepare(model, op, x, y, options.sampleWeight, custom), batchSize);
}

/** Outputs for x, computed in batches (training: false). One tensor, or one per output. */
export function predictModel(model: Model, x: ModelData, options: PredictOptions = {}): Tensor | Tensor[] {
  const op = `predict (model '${model.name}')`;
  checkOptions(op, options, PREDICT_SPEC);
  const batchSize = checkBatchSize(op, options.batchSize ?? 32);
  const { xs, n } = prepare(model, op, x, null);
  const pieces: Tensor[][] = model.outputs.map(() => []);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const outs = tidy(() => noGrad(() => model.runGraph(sliceRows(xs, start, size), { training: false }).outputs, 'model.predict'));
    outs.forEach((o, k) => pieces[k].push(o));
  }
  const result = pieces.map((ps) => {
    if (ps.length === 1) return ps[0];
    const joined = concat(ps, 0);
    for (const p of ps) p.dispose();
    return joined;
  });
  return result.length === 1 ? result[0] : result;
}

/** One batch through trainStep (train) or testStep (test): its loss and metrics. */
function onBatch(kind: 'train' | 'test', model: Model, x: ModelData, y: ModelData | null | undefined, options: BatchOptions, custom: boolean): Logs {
  const op = `${kind}OnBatch (model '${model.name}')`;
  checkOptions(op, options, BATCH_SPEC);
  const compiled = requireCompiled(model, op);
  const data = prepare(model, op, x, y, options.sampleWeight, custom);
  if (compiled.targets.length > 0) compiled.ensureMetrics(outputShapes(model), data.ys);
  const tracker = new StepLogTracker(compiled);
  tracker.reset();
  tidy(() => {
    const batch = { x: data.xs, y: data.ys, sampleWeight: batchWeights(data.ys, data.sampleWeight, options.classWeight), size: data.n };
    tracker.record(op, kind === 'train' ? model.trainStep(batch) : model.testStep(batch), data.n);
  });
  return tracker.logs();
}

/** One optimizer step on (x, y) as one batch; returns that batch's loss and metrics. */
export function trainOnBatch(model: Model, x: ModelData, y: ModelData | null | undefined, options: BatchOptions = {}, custom = false): Logs {
  return onBatch('train', model, x, y, options, custom);
}

/** Loss and metrics of (x, y) as one batch, without training. */
export function testOnBatch(model: Model, x: ModelData, y: ModelData | null | undefined, options: BatchOptions = {}, custom = false): Logs {
  return onBatch('test', model, x, y, options, custom);
}
