// compile(): the optimizer, one loss per output (with weights), and the metrics, resolved into
// objects the training loop uses, plus their JSON form for saved models. 'accuracy' is resolved
// with nn's resolveAccuracy once the first targets are seen (binary / categorical / sparse depend
// on the loss, the output shape and the target shape).
import { checkOptions, ValueError } from '../base/index.js';
import { createMetric, getLoss, lossName, type LossFn, type Metric, MeanMetric, resolveAccuracy } from '../nn/index.js';
import { mean, toTensor, type TensorLike } from '../ops/index.js';
import { get as getOptimizer, type JsonObject, type JsonValue, Optimizer, type SerializedObject } from '../optim/index.js';
import type { Tensor } from '../tensor/index.js';
import type { Model } from './model.js';

/** A loss for `compile`: a name (`'sparseCategoricalCrossentropy'`) or a function `(yTrue, yPred) => Tensor`. */
export type LossSpec = string | LossFn;
/** A metric function returns one value per sample [N] or a batch mean (scalar). */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;
/** A metric for `compile`: a name (`'accuracy'`) or a {@link MetricFn}. */
export type MetricSpec = string | MetricFn;

/** An optimizer for `compile`: a name, an instance, or `{ className, config }`. */
export type OptimizerSpec = string | Optimizer | SerializedObject;

/** What `model.compile` takes: the optimizer(s), loss(es), metrics and loss weights. */
export interface CompileArgs {
  /**
   * A name ('adam'), an optimizer, or { className, config } (default 'rmsprop', as Keras); or
   * several optimizers by name, e.g. { generator: 'adam', discriminator: hb.optimizers.adam() },
   * for a model whose trainStep updates parts of it separately (a GAN). With several, the first
   * is `model.optimizer` (what learning-rate callbacks adjust); all are in `model.optimizers`.
   */
  optimizer?: OptimizerSpec | Record<string, OptimizerSpec>;
  /**
   * One loss for every output, one per output (array), or keyed by output name. Required by the
   * built-in training step; a model that overrides trainStep may leave it out.
   */
  loss?: LossSpec | LossSpec[] | Record<string, LossSpec>;
  /** Metrics for every output, per output (array of arrays), or keyed by output name. */
  metrics?: MetricSpec[] | MetricSpec[][] | Record<string, MetricSpec | MetricSpec[]>;
  /** Weights of the per-output losses in the total (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
}

/** Functions the saved compile config refers to by name (custom losses and metrics). */
export type CustomObjects = Record<string, LossFn | MetricFn>;

interface OutputTarget {
  name: string;
  loss: LossFn;
  /** Saved form: the canonical loss name or { custom: fnName }. */
  lossConfig: JsonValue;
  weight: number;
  metricSpecs: MetricSpec[];
}

/** A metric under its history key (e.g. 'accuracy', 'out_a_accuracy'). */
interface TrackedMetric {
  key: string;
  output: number;
  metric: Metric;
}

/** A user metric function as an epoch accumulator: the sample-weighted mean of its values. */
class FunctionMetric implements Metric {
  private readonly acc: MeanMetric;
  constructor(readonly name: string, private readonly fn: MetricFn) {
    this.acc = new MeanMetric(name);
  }
  update(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    const t = toTensor(this.name, yTrue);
    const p = toTensor(this.name, yPred);
    const v = this.fn(t, p);
    // A batch-level value counts once per sample; per-sample values are averaged over their
    // non-batch axes first.
    if (v.rank === 0 || v.size === 1) this.acc.update(v.size === 1 && v.rank > 0 ? v.reshape([]) : v, p.rank === 0 ? 1 : p.shape[0]);
    else this.acc.updateValues(v.rank > 1 ? mean(v, v.shape.slice(1).map((_, i) => i + 1)) : v, sampleWeight);
  }
  result(): number {
    return this.acc.result();
  }
  settle(): Promise<void> {
    return this.acc.settle();
  }
  reset(): void {
    this.acc.reset();
  }
}

function specName(spec: MetricSpec): string {
  return typeof spec === 'string' ? spec : spec.name || 'metric';
}

export class CompiledModel {
  /** Running means of the total loss and (for several outputs) each output's loss. */
  readonly lossTracker = new MeanMetric('loss');
  readonly outputLossTrackers: MeanMetric[];
  private metrics: TrackedMetric[] | null = null;

  /** The first (or only) optimizer. */
  readonly optimizer: Optimizer;

  /**
   * @param optimizers every optimizer by name; `named` says whether they were given by name
   *   (compile({ optimizer: { generator, discriminator } })) or as the one optimizer.
   */
  constructor(readonly optimizers: Readonly<Record<string, Optimizer>>, readonly named: boolean, readonly targets: OutputTarget[], private readonly metricsConfig: JsonValue, private readonly lossWeightsConfig: JsonValue) {
    this.optimizer = Object.values(optimizers)[0];
    this.outputLossTrackers = targets.map((t) => new MeanMetric(`${t.name}_loss`));
  }

  /** Create the metric objects (once) now that output and target shapes are known. */
  ensureMetrics(outputShapes: readonly (readonly (number | null)[])[], targets: readonly Tensor[]): void {
    if (this.metrics !== null) return;
    const multi = this.targets.length > 1;
    const seen = new Set<string>();
    const list: TrackedMetric[] = [];
    this.targets.forEach((t, k) => {
      for (const spec of t.metricSpecs) {
        const base = specName(spec);
        let key = multi ? `${t.name}_${base}` : base;
        for (let i = 1; seen.has(key); i++) key = `${multi ? `${t.name}_` : ''}${base}_${i}`;
        seen.add(key);
        let metric: Metric;
        if (typeof spec === 'function') metric = new FunctionMetric(key, spec);
        else if (spec === 'accuracy' || spec === 'acc') {
          metric = createMetric(resolveAccuracy(t.loss, [...outputShapes[k]], targets[k]?.shape), { name: key });
        } else {
          metric = createMetric(spec, { name: key });
        }
        list.push({ key, output: k, metric });
      }
    });
    this.metrics = list;
  }

  get trackedMetrics(): readonly TrackedMetric[] {
    return this.metrics ?? [];
  }

  resetMetrics(): void {
    this.lossTracker.reset();
    for (const t of this.outputLossTrackers) t.reset();
    for (const m of this.metrics ?? []) m.metric.reset();
  }

  /** Read back what the trackers still hold on an asynchronous backend (webgpu); logs() needs it there. */
  async settle(): Promise<void> {
    await Promise.all([this.lossTracker.settle(), ...this.outputLossTrackers.map((t) => t.settle()), ...(this.metrics ?? []).map((m) => m.metric.settle?.())]);
  }

  /** Current values: loss, per-output losses (several outputs), then metrics. */
  logs(): Record<string, number> {
    const out: Record<string, number> = { loss: this.lossTracker.result() };
    if (this.targets.length > 1) this.targets.forEach((t, k) => (out[`${t.name}_loss`] = this.outputLossTrackers[k].result()));
    for (const m of this.metrics ?? []) out[m.key] = m.metric.result();
    return out;
  }

  /** The compile arguments as JSON, for model.json. */
  getConfig(): JsonObject {
    const optimizer: JsonValue = this.named
      ? Object.fromEntries(Object.entries(this.optimizers).map(([k, o]) => [k, o.serialize() as unknown as JsonObject]))
      : (this.optimizer.serialize() as unknown as JsonObject);
    return {
      optimizer,
      loss: this.targets.map((t) => t.lossConfig),
      lossWeights: this.lossWeightsConfig,
      metrics: this.metricsConfig,
    };
  }
}

/** Per-output values from one-for-all, array or keyed-by-name forms. */
function perOutput<T>(what: string, names: readonly string[], spec: T | T[] | Record<string, T> | undefined, fallback: T, isSingle: (v: unknown) => v is T): T[] {
  if (spec === undefined) return names.map(() => fallback);
  if (isSingle(spec)) return names.map(() => spec);
  if (Array.isArray(spec)) {
    if (spec.length !== names.length) throw new ValueError(`compile: ${what} has ${spec.length} entries for ${names.length} outputs (${names.join(', ')})`);
    return spec;
  }
  if (typeof spec === 'object' && spec !== null) {
    const extra = Object.keys(spec).filter((k) => !names.includes(k));
    if (extra.length > 0) throw new ValueError(`compile: ${what} names unknown output(s) ${extra.join(', ')}; outputs: ${names.join(', ')}`);
    return names.map((n) => (n in spec ? (spec as Record<string, T>)[n] : fallback));
  }
  throw new ValueError(`compile: ${what} must be a value, an array or an object keyed by output name`);
}

const isLossSpec = (v: unknown): v is LossSpec => typeof v === 'string' || typeof v === 'function';
const isMetricList = (v: unknown): v is MetricSpec[] => Array.isArray(v) && v.every((m) => typeof m === 'string' || typeof m === 'function');

function metricConfig(spec: MetricSpec): JsonValue {
  return typeof spec === 'string' ? spec : { custom: spec.name || 'metric' };
}

export function compileModel(model: Model, args: CompileArgs): CompiledModel {
  if (typeof args !== 'object' || args === null) throw new ValueError('compile: expected { optimizer, loss, metrics? }');
  // Each value is checked where it is resolved below (names, instances, per-output forms).
  const any = (): null => null;
  checkOptions('compile', args, { optimizer: any, loss: any, metrics: any, lossWeights: any });
  const names = model.outputNames;
  if (names.length === 0) throw new ValueError(`compile: model '${model.name}' has no outputs yet (give the first layer an inputShape, or call build())`);
  const { optimizers, named } = resolveOptimizers(args.optimizer);
  // Without a loss there are no per-output targets: only a custom trainStep can train the model.
  const losses = args.loss === undefined ? [] : perOutput('loss', names, args.loss, args.loss as LossSpec, isLossSpec);
  const weights = perOutput('lossWeights', names, args.lossWeights, 1, (v): v is number => typeof v === 'number');
  for (const w of weights) if (!Number.isFinite(w)) throw new ValueError(`compile: loss weights must be finite numbers, got ${w}`);
  let metricLists: MetricSpec[][];
  const m = args.metrics;
  if (m === undefined) metricLists = names.map(() => []);
  else if (isMetricList(m)) metricLists = names.map(() => m);
  else if (Array.isArray(m)) {
    if (m.length !== names.length || !m.every(isMetricList)) throw new ValueError(`compile: metrics must be one list for all outputs, or one list per output (${names.length})`);
    metricLists = m as MetricSpec[][];
  } else {
    metricLists = perOutput('metrics', names, m as Record<string, MetricSpec[]>, [] as MetricSpec[], (v): v is MetricSpec[] => isMetricList(v)).map((x) => (Array.isArray(x) ? x : [x as MetricSpec]));
  }
  for (const list of metricLists) {
    for (const spec of list) {
      if (typeof spec === 'string' && spec !== 'accuracy' && spec !== 'acc') createMetric(spec); // unknown names fail now, not at fit()
    }
  }
  const targets: OutputTarget[] = losses.map((spec, k) => {
    const name = names[k];
    if (!isLossSpec(spec)) throw new ValueError(`compile: loss for output '${name}' must be a name or a function`);
    const fn = getLoss(spec);
    const canonical = lossName(spec);
    return { name, loss: fn, lossConfig: canonical ?? { custom: (typeof spec === 'function' && spec.name) || 'loss' }, weight: weights[k], metricSpecs: metricLists[k] };
  });
  const metricsConfig: JsonValue = metricLists.map((list) => list.map(metricConfig));
  return new CompiledModel(optimizers, named, targets, metricsConfig, weights);
}

/** A single optimizer spec, or a record of named ones (told apart: a serialised one has className). */
function resolveOptimizers(spec: CompileArgs['optimizer']): { optimizers: Record<string, Optimizer>; named: boolean } {
  const single = spec === undefined || typeof spec === 'string' || spec instanceof Optimizer || (typeof spec === 'object' && spec !== null && 'className' in spec);
  if (single) {
    const o = getOptimizer((spec as OptimizerSpec | undefined) ?? 'rmsprop');
    return { optimizers: { [o.name]: o }, named: false };
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new ValueError('compile: optimizer must be a name, an optimizer, { className, config }, or an object of named optimizers');
  const entries = Object.entries(spec);
  if (entries.length === 0) throw new ValueError('compile: the object of named optimizers is empty');
  const optimizers: Record<string, Optimizer> = {};
  const seen = new Set<Optimizer>();
  for (const [name, s] of entries) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new ValueError(`compile: optimizer name '${name}' must use letters, digits, '_', '.' or '-'`);
    const o = getOptimizer(s);
    // One optimizer object under two names would step twice and be saved twice.
    if (seen.has(o)) throw new ValueError(`compile: optimizer '${name}' is the same object as another one; give each part its own optimizer`);
    seen.add(o);
    optimizers[name] = o;
  }
  return { optimizers, named: true };
}

/** Rebuild compile arguments from their saved JSON (see CompiledModel.getConfig). */
export function compileArgsFromConfig(config: unknown, customObjects: CustomObjects = {}): CompileArgs {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new ValueError('compile config must be an object');
  const { optimizer, loss, lossWeights, metrics } = config as Record<string, unknown>;
  const custom = (v: unknown, what: string): LossFn | MetricFn | string => {
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null && typeof (v as { custom?: unknown }).custom === 'string') {
      const name = (v as { custom: string }).custom;
      const fn = customObjects[name];
      if (typeof fn !== 'function') throw new ValueError(`the saved model uses a custom ${what} '${name}'; pass it as loadModel(dir, { customObjects: { ${name} } })`);
      return fn;
    }
    throw new ValueError(`bad ${what} entry ${JSON.stringify(v)?.slice(0, 80)}`);
  };
  if (!Array.isArray(loss)) throw new ValueError('compile config: loss must be an array (one per output, or empty)');
  if (!Array.isArray(lossWeights) || !lossWeights.every((w) => typeof w === 'number')) throw new ValueError('compile config: lossWeights must be an array of numbers');
  if (!Array.isArray(metrics) || !metrics.every(Array.isArray)) throw new ValueError('compile config: metrics must be an array of arrays');
  if (typeof optimizer !== 'object' || optimizer === null) throw new ValueError('compile config: optimizer must be { className, config } or named ones');
  return {
    optimizer: optimizer as SerializedObject | Record<string, SerializedObject>,
    loss: loss.length === 0 ? undefined : loss.map((l) => custom(l, 'loss') as LossSpec),
    lossWeights: lossWeights as number[],
    metrics: (metrics as unknown[][]).map((list) => list.map((m) => custom(m, 'metric') as MetricSpec)),
  };
}
