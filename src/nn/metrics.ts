/**
 * Metrics for `compile({ metrics })`: accuracies, top-k accuracy, errors, and the stateful metric objects that
 * average them over an epoch.
 * @module
 */
// Metrics: functions `metric(yTrue, yPred)` returning a scalar tensor for one batch, and
// stateful accumulators (`createMetric(name)`: update / result / reset) that a model uses to
// report a metric over a whole epoch correctly: mean metrics accumulate sums and counts of
// per-sample values, precision/recall/F1 accumulate true/false positives and negatives, so the
// epoch value is the metric of the epoch, not the mean of batch values.
import { checkOptions, fmtShape, is, type OptionSpec, ShapeError, ValueError } from '../base/index.js';
import {
  abs, argmax, cast, equal, greater, logicalAnd, logicalNot, mean, mul, reshape, square, sub, sum, toTensor, type TensorLike,
} from '../ops/index.js';
import { keep, scalar, type Tensor, tensor, viewTensor } from '../tensor/index.js';
import { camelCase } from './activations.js';
import { type LossFn, lossName, sparseToOneHot } from './losses.js';
import type { Shape } from './types.js';

// ---- per-sample values ([N]; rank-0/1 inputs are one value per element) ----

function sameShape(name: string, t: Tensor, p: Tensor): Tensor {
  if (t.shape.length === p.shape.length && t.shape.every((d, i) => d === p.shape[i])) return t;
  if (t.size === p.size && t.shape[0] === p.shape[0]) return reshape(t, p.shape);
  throw new ShapeError(`${name}: yTrue ${fmtShape(t.shape)} and yPred ${fmtShape(p.shape)} must have the same shape`);
}

/** Mean over every non-batch axis: [N, ...] → [N]. */
function perSample(x: Tensor): Tensor {
  return x.rank <= 1 ? x : mean(x, x.shape.slice(1).map((_, i) => i + 1));
}

type PerSample = (yTrue: Tensor, yPred: Tensor) => Tensor;

function binaryAccuracyValues(threshold: number): PerSample {
  return (yTrue, yPred) => {
    const t = sameShape('binaryAccuracy', yTrue, yPred);
    const predicted = greater(yPred, threshold);
    return perSample(cast(equal(greater(t, 0.5), predicted), 'float32'));
  };
}

const categoricalAccuracyValues: PerSample = (yTrue, yPred) => {
  const t = sameShape('categoricalAccuracy', yTrue, yPred);
  return perSample(cast(equal(argmax(t, -1), argmax(yPred, -1)), 'float32'));
};

const sparseCategoricalAccuracyValues: PerSample = (yTrue, yPred) => {
  let labels = cast(yTrue, 'int32');
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, labels.shape.slice(0, -1));
  const predicted = argmax(yPred, -1);
  if (labels.shape.length !== predicted.shape.length || labels.shape.some((d, i) => d !== predicted.shape[i])) {
    throw new ShapeError(`sparseCategoricalAccuracy: labels ${fmtShape(yTrue.shape)} do not match predictions ${fmtShape(yPred.shape)}`);
  }
  return perSample(cast(equal(labels, predicted), 'float32'));
};

/**
 * The true class counts as a hit when fewer than k classes score strictly higher than it (so
 * ties at the boundary count as hits, as TensorFlow's in_top_k).
 */
function topKValues(k: number, oneHotTargets: (yTrue: Tensor, yPred: Tensor) => Tensor): PerSample {
  if (!(Number.isInteger(k) && k >= 1)) throw new ValueError(`topKCategoricalAccuracy: k must be a positive integer, got ${k}`);
  return (yTrue, yPred) => {
    const targets = oneHotTargets(yTrue, yPred);
    const trueScore = sum(mul(targets, yPred), -1, true);
    const higher = sum(cast(greater(yPred, trueScore), 'int32'), -1);
    return perSample(cast(greater(k, higher), 'float32'));
  };
}

function oneHotFromCategorical(yTrue: Tensor, yPred: Tensor): Tensor {
  // The target class is the argmax of yTrue (one-hot or smoothed rows).
  const t = sameShape('topKCategoricalAccuracy', yTrue, yPred);
  return sparseToOneHot('topKCategoricalAccuracy', argmax(t, -1), yPred);
}

const mseValues: PerSample = (yTrue, yPred) => perSample(square(sub(yPred, sameShape('mse', yTrue, yPred))));
const maeValues: PerSample = (yTrue, yPred) => perSample(abs(sub(yPred, sameShape('mae', yTrue, yPred))));

// ---- batch functions ----

function asFloat(name: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p = toTensor(name, yPred);
  return [toTensor(name, yTrue), p.dtype === 'float64' ? p : cast(p, 'float32')];
}

function batchMean(name: string, values: PerSample) {
  return (yTrue: TensorLike, yPred: TensorLike): Tensor => {
    const [t, p] = asFloat(name, yTrue, yPred);
    return mean(values(t, p));
  };
}

/** Fraction of elements where (yPred > threshold) equals the 0/1 label. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  return batchMean('binaryAccuracy', binaryAccuracyValues(threshold))(yTrue, yPred);
}
/** Fraction of rows whose argmax matches the one-hot target's. */
export const categoricalAccuracy = batchMean('categoricalAccuracy', categoricalAccuracyValues);
/** Fraction of rows whose argmax equals the integer label. */
export const sparseCategoricalAccuracy = batchMean('sparseCategoricalAccuracy', sparseCategoricalAccuracyValues);
/** mean((yTrue − yPred)²) over the batch, as a metric. */
export const meanSquaredError = batchMean('meanSquaredError', mseValues);
/** mean(|yTrue − yPred|) over the batch, as a metric. */
export const meanAbsoluteError = batchMean('meanAbsoluteError', maeValues);
/** Alias of {@link meanSquaredError}. */
export const mse = meanSquaredError;
/** Alias of {@link meanAbsoluteError}. */
export const mae = meanAbsoluteError;

/** Fraction of rows whose true class (one-hot yTrue) is among the k highest scores. */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return batchMean('topKCategoricalAccuracy', topKValues(k, oneHotFromCategorical))(yTrue, yPred);
}

/** Same with integer labels [N]. */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return batchMean('sparseTopKCategoricalAccuracy', topKValues(k, (t, p) => sparseToOneHot('sparseTopKCategoricalAccuracy', t, p)))(yTrue, yPred);
}

/** True/false positive and negative counts of binary predictions (yPred > threshold). */
export function binaryCounts(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): { tp: number; fp: number; fn: number; tn: number } {
  const [t0, p] = asFloat('binaryCounts', yTrue, yPred);
  const t = sameShape('binaryCounts', t0, p);
  const actual = greater(t, 0.5);
  const predicted = greater(p, threshold);
  const count = (a: Tensor, b: Tensor): number => sum(cast(logicalAnd(a, b), 'int32')).item();
  return {
    tp: count(actual, predicted),
    fp: count(logicalNot(actual), predicted),
    fn: count(actual, logicalNot(predicted)),
    tn: count(logicalNot(actual), logicalNot(predicted)),
  };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1Of = ({ tp, fp, fn }: { tp: number; fp: number; fn: number }): number => ratio(2 * tp, 2 * tp + fp + fn);

/** tp / (tp + fp) (0 when nothing is predicted positive). */
export function precision(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  const c = binaryCounts(yTrue, yPred, threshold);
  return scalar(ratio(c.tp, c.tp + c.fp));
}

/** tp / (tp + fn) (0 when there are no positives). */
export function recall(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  const c = binaryCounts(yTrue, yPred, threshold);
  return scalar(ratio(c.tp, c.tp + c.fn));
}

/** Harmonic mean of precision and recall, 2tp / (2tp + fp + fn). */
export function f1(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  return scalar(f1Of(binaryCounts(yTrue, yPred, threshold)));
}

/**
 * Counts [numClasses, numClasses] (int32): entry [i, j] is how many samples of true class i were
 * predicted as class j. `predictions` are class indices [N], or scores [N, numClasses] (argmax).
 */
export function confusionMatrix(labels: TensorLike, predictions: TensorLike, numClasses: number): Tensor {
  const name = 'confusionMatrix';
  if (!(Number.isInteger(numClasses) && numClasses >= 1)) throw new ValueError(`${name}: numClasses must be a positive integer, got ${numClasses}`);
  const l = toTensor(name, labels);
  let p = toTensor(name, predictions);
  if (p.rank === l.rank + 1) p = argmax(p, -1);
  if (l.size !== p.size) throw new ShapeError(`${name}: labels ${fmtShape(l.shape)} and predictions ${fmtShape(p.shape)} differ in size`);
  const counts = new Int32Array(numClasses * numClasses);
  const lv = l.dataSync();
  const pv = p.dataSync();
  for (let i = 0; i < lv.length; i++) {
    const [a, b] = [lv[i], pv[i]];
    for (const v of [a, b]) {
      if (!(Number.isInteger(v) && v >= 0 && v < numClasses)) throw new ValueError(`${name}: class ${v} is outside [0, ${numClasses})`);
    }
    counts[a * numClasses + b]++;
  }
  return tensor(counts, [numClasses, numClasses], 'int32');
}

// ---- choosing "accuracy" ----

/** The three accuracies `metrics: ['accuracy']` can resolve to (see {@link resolveAccuracy}). */
export type AccuracyName = 'binaryAccuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy';

/**
 * The accuracy Keras means by metrics: ['accuracy'] for a model with this loss and output shape:
 * binary for binary losses or a single output unit, sparse-categorical for the sparse loss (or
 * integer targets with one axis fewer than the output), categorical otherwise.
 */
export function resolveAccuracy(loss: string | LossFn | null | undefined, outputShape: Shape | readonly number[], targetShape?: Shape | readonly number[]): AccuracyName {
  const name = loss === null || loss === undefined ? null : lossName(loss);
  switch (name) {
    case 'binaryCrossentropy':
    case 'hinge':
    case 'squaredHinge':
    case 'focal':
      return 'binaryAccuracy';
    case 'sparseCategoricalCrossentropy':
      return 'sparseCategoricalAccuracy';
    case 'categoricalCrossentropy':
    case 'kullbackLeiblerDivergence':
      return 'categoricalAccuracy';
    default:
      break;
  }
  const last = outputShape[outputShape.length - 1];
  if (outputShape.length <= 1 || last === 1) return 'binaryAccuracy';
  if (targetShape && (targetShape.length < outputShape.length || targetShape[targetShape.length - 1] === 1)) return 'sparseCategoricalAccuracy';
  return 'categoricalAccuracy';
}

// ---- stateful metrics ----

/** An epoch accumulator: update per batch, read the value over everything seen since reset. */
export interface Metric {
  readonly name: string;
  update(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void;
  result(): number;
  reset(): void;
  /** Read back values still on an asynchronous backend (webgpu), so that result() can be computed. */
  settle?(): Promise<void>;
}

/** Weighted mean of per-sample values. */
class MeanOfValues implements Metric {
  private readonly mean: MeanMetric;
  constructor(readonly name: string, private readonly values: PerSample) {
    this.mean = new MeanMetric(name);
  }
  update(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    const [t, p] = asFloat(this.name, yTrue, yPred);
    this.mean.updateValues(this.values(t, p), sampleWeight);
  }
  result(): number {
    return this.mean.result();
  }
  reset(): void {
    this.mean.reset();
  }
  settle(): Promise<void> {
    return this.mean.settle();
  }
}

/**
 * A weighted running mean. Values that a backend can only read back asynchronously (webgpu:
 * results still on the GPU) are kept as one-element tensors and added when read: by settle()
 * (what fit and evaluate await before reporting), or by result() if already readable.
 */
export class MeanMetric {
  private total = 0;
  private count = 0;
  /** Kept scalars: Σ value·weight and Σ weight, not yet read. */
  private pending: { total: Tensor; count: Tensor | number; weight: number }[] = [];
  constructor(readonly name = 'mean') {}
  update(value: number | Tensor, weight = 1): void {
    if (typeof value === 'number') {
      this.total += value * weight;
      this.count += weight;
    } else this.add(value, weight, weight);
  }
  /** Add per-sample values, each with weight 1 or its entry of `sampleWeight` (same shape). */
  updateValues(values: Tensor, sampleWeight?: TensorLike): void {
    if (sampleWeight === undefined) {
      this.add(sum(values), values.size, 1);
    } else {
      const w = reshape(cast(toTensor(this.name, sampleWeight), values.dtype), values.shape);
      this.add(sum(mul(values, w)), sum(w), 1);
    }
  }
  private add(total: Tensor, count: Tensor | number, weight: number): void {
    if (total.readableSync && (typeof count === 'number' || count.readableSync)) {
      this.total += total.item() * weight;
      this.count += typeof count === 'number' ? count : count.item();
      return;
    }
    // Views of their own (a view shares the buffer; reshape to the same shape would return the
    // tensor itself): the caller may pass one tensor to several trackers (a model's loss is its
    // only output's loss), and each disposes what it kept.
    const own = (t: Tensor): Tensor => keep(viewTensor(t, t.shape));
    this.pending.push({ total: own(total), count: typeof count === 'number' ? count : own(count), weight });
  }
  /** Fold in kept values (they must be readable synchronously by now). */
  private fold(): void {
    for (const p of this.pending) {
      this.total += p.total.item() * p.weight;
      this.count += typeof p.count === 'number' ? p.count : p.count.item();
      p.total.dispose();
      if (typeof p.count !== 'number') p.count.dispose();
    }
    this.pending = [];
  }
  async settle(): Promise<void> {
    await Promise.all(this.pending.flatMap((p) => [p.total.data(), ...(typeof p.count === 'number' ? [] : [p.count.data()])]));
    this.fold();
  }
  result(): number {
    this.fold();
    return this.count === 0 ? 0 : this.total / this.count;
  }
  reset(): void {
    for (const p of this.pending) {
      p.total.dispose();
      if (typeof p.count !== 'number') p.count.dispose();
    }
    this.pending = [];
    this.total = 0;
    this.count = 0;
  }
}

type CountsMetricKind = 'precision' | 'recall' | 'f1';

/** Precision, recall or F1 from counts accumulated over every update. */
class CountsMetric implements Metric {
  private counts = { tp: 0, fp: 0, fn: 0 };
  constructor(readonly name: string, private readonly kind: CountsMetricKind, private readonly threshold: number) {}
  update(yTrue: TensorLike, yPred: TensorLike): void {
    const c = binaryCounts(yTrue, yPred, this.threshold);
    this.counts.tp += c.tp;
    this.counts.fp += c.fp;
    this.counts.fn += c.fn;
  }
  result(): number {
    const { tp, fp, fn } = this.counts;
    switch (this.kind) {
      case 'precision': return ratio(tp, tp + fp);
      case 'recall': return ratio(tp, tp + fn);
      case 'f1': return f1Of(this.counts);
      default: return this.kind satisfies never;
    }
  }
  reset(): void {
    this.counts = { tp: 0, fp: 0, fn: 0 };
  }
}

/** The metrics' names, as `compile({ metrics: ['accuracy'] })` and {@link createMetric} accept them. */
export type MetricName =
  | AccuracyName | 'topKCategoricalAccuracy' | 'sparseTopKCategoricalAccuracy' | 'precision' | 'recall' | 'f1'
  | 'meanSquaredError' | 'meanAbsoluteError' | 'mse' | 'mae';

/** Options of {@link createMetric}: the binary `threshold`, `k` for top-k, and the reported `name`. */
export interface MetricOptions {
  /** Binary decision threshold for binaryAccuracy, precision, recall, f1 (default 0.5). */
  threshold?: number;
  /** k for the top-k accuracies (default 5). */
  k?: number;
  /** Name reported in histories (default: the metric's name). */
  name?: string;
}

const METRIC_OPTIONS: OptionSpec<MetricOptions> = { threshold: is.finite, k: is.posInt, name: is.string };

/** A fresh accumulator for a metric name (camelCase or snake_case; 'acc' and 'accuracy' need resolveAccuracy first). */
export function createMetric(id: MetricName | (string & {}), options: MetricOptions = {}): Metric {
  checkOptions(`metric '${String(id)}'`, options, METRIC_OPTIONS);
  const canonical = camelCase(id);
  const threshold = options.threshold ?? 0.5;
  const k = options.k ?? 5;
  const named = (n: string): string => options.name ?? n;
  switch (canonical) {
    case 'binaryAccuracy': return new MeanOfValues(named('binaryAccuracy'), binaryAccuracyValues(threshold));
    case 'categoricalAccuracy': return new MeanOfValues(named('categoricalAccuracy'), categoricalAccuracyValues);
    case 'sparseCategoricalAccuracy': return new MeanOfValues(named('sparseCategoricalAccuracy'), sparseCategoricalAccuracyValues);
    case 'topKCategoricalAccuracy': return new MeanOfValues(named('topKCategoricalAccuracy'), topKValues(k, oneHotFromCategorical));
    case 'sparseTopKCategoricalAccuracy':
      return new MeanOfValues(named('sparseTopKCategoricalAccuracy'), topKValues(k, (t, p) => sparseToOneHot('sparseTopKCategoricalAccuracy', t, p)));
    case 'meanSquaredError': case 'mse': return new MeanOfValues(named(canonical), mseValues);
    case 'meanAbsoluteError': case 'mae': return new MeanOfValues(named(canonical), maeValues);
    case 'precision': case 'recall': case 'f1': return new CountsMetric(named(canonical), canonical, threshold);
    case 'accuracy': case 'acc':
      throw new ValueError(`createMetric: '${id}' depends on the loss and output shape; pick one with resolveAccuracy(loss, outputShape) first`);
    default:
      throw new ValueError(`createMetric: unknown metric '${id}'; known: binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, sparseTopKCategoricalAccuracy, precision, recall, f1, mse, mae`);
  }
}
