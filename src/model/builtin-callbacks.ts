// The built-in training callbacks (Keras semantics): early stopping, checkpoints, learning-rate
// control, CSV logging and NaN termination, with their factories. The Callback base is in callbacks.ts.
import { checkOptions, is, ValueError } from '../base/index.js';
import { getFileSystem } from '../io/index.js';
import type { Tensor } from '../tensor/index.js';
import { Callback, type Logs } from './callbacks.js';

/** Whether the monitored quantity should go down ('min'), up ('max'), or either by its name ('auto'). */
export type Mode = 'auto' | 'min' | 'max';
const isMode = is.oneOf('auto', 'min', 'max');
const isVerbose = is.oneOf(0, 1, 2);

/** 'auto' means max for accuracy-like quantities and min for everything else (losses, errors). */
function resolveMode(op: string, mode: Mode, monitor: string): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new ValueError(`${op}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  if (mode !== 'auto') return mode;
  return /acc|auc|precision|recall|f1/i.test(monitor) ? 'max' : 'min';
}

function nonNegative(op: string, name: string, v: number): number {
  if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new ValueError(`${op}: ${name} must be a number >= 0, got ${v}`);
  return v;
}

/** The options of a callback that watches one logged quantity. */
export interface MonitorOptions {
  monitor?: string;
  mode?: Mode;
  verbose?: number;
}

/**
 * A callback that watches one logged quantity (EarlyStopping, ModelCheckpoint,
 * ReduceLROnPlateau): its name, whether lower or higher is better, the smallest change that
 * counts, and the best value seen.
 */
export abstract class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly verbose: number;
  best = Infinity;

  constructor(op: string, o: MonitorOptions, minDelta: number) {
    super();
    this.monitor = o.monitor ?? 'val_loss';
    this.mode = resolveMode(op, o.mode ?? 'auto', this.monitor);
    this.minDelta = minDelta;
    this.verbose = o.verbose ?? 0;
  }

  /** `current` beats `reference` (default: the best so far) by more than minDelta. */
  protected improves(current: number, reference = this.best): boolean {
    return this.mode === 'min' ? current < reference - this.minDelta : current > reference + this.minDelta;
  }

  /** Forget the best value: the worst one for the mode. */
  protected resetBest(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** The monitored value in `logs`, or undefined after warning (once) that it is missing. */
  protected current(op: string, logs: Logs): number | undefined {
    const value = logs[this.monitor];
    if (value === undefined) warnMissing(op, this.monitor, logs);
    return value;
  }
}

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  mode?: Mode;
  /** Stop unless the quantity beats this value within `patience` epochs. */
  baseline?: number | null;
  /** Put back the weights of the best epoch when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching (warm-up). */
  startFromEpoch?: number;
  verbose?: number;
}

/** Stop training when a monitored quantity has stopped improving (Keras's EarlyStopping). */
export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  stoppedEpoch = 0;
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    const op = 'earlyStopping';
    const o = checkOptions(op, options, {
      monitor: is.string, minDelta: is.finite, patience: is.nonNegInt, mode: isMode, baseline: is.nullable(is.finite),
      restoreBestWeights: is.bool, startFromEpoch: is.nonNegInt, verbose: isVerbose,
    });
    super(op, o, Math.abs(o.minDelta ?? 0));
    this.patience = nonNegative(op, 'patience', o.patience ?? 0);
    this.baseline = o.baseline ?? null;
    this.restoreBestWeights = o.restoreBestWeights ?? false;
    this.startFromEpoch = o.startFromEpoch ?? 0;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.resetBest();
    this.bestEpoch = 0;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = this.current('earlyStopping', logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    const model = this.requireModel();
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = model.getWeights();
    this.wait += 1;
    if (this.improves(current)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        for (const t of this.bestWeights ?? []) t.dispose();
        this.bestWeights = model.getWeights();
      }
      // Progress only counts once the baseline is beaten.
      if (this.baseline === null || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireModel().setWeights(this.bestWeights);
      for (const t of this.bestWeights) t.dispose();
      this.bestWeights = null;
    }
  }
}

const warned = new Set<string>();
function warnMissing(op: string, monitor: string, logs: Logs): void {
  const key = `${op}:${monitor}`;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`[hebb] ${op}: '${monitor}' is not in the logs (available: ${Object.keys(logs).join(', ')}); skipping`);
}

/** Options of {@link ModelCheckpoint}. */
export interface ModelCheckpointOptions {
  monitor?: string;
  /** Save only when the monitored quantity improves (default false: every epoch). */
  saveBestOnly?: boolean;
  /** Save only the weights (one .safetensors file) instead of the whole model directory. */
  saveWeightsOnly?: boolean;
  mode?: Mode;
  /** Include the optimizer state in full saves (default true). */
  includeOptimizer?: boolean;
  verbose?: number;
}

/**
 * Fill a Keras-style path template: `{epoch}` (1-based), `{epoch:03d}`, `{val_loss:.4f}` and any
 * log key.
 */
export function formatPath(template: string, epoch: number, logs: Logs): string {
  const values: Logs = { ...logs, epoch: epoch + 1 };
  return template.replace(/\{([A-Za-z_][\w]*)(?::([^}]*))?\}/g, (whole, key: string, spec: string | undefined) => {
    const v = values[key];
    if (v === undefined) throw new ValueError(`modelCheckpoint: the path template uses {${key}}, which is not in the logs (${Object.keys(values).join(', ')})`);
    if (spec === undefined) return String(v);
    const m = /^(0?)(\d*)([df])$|^\.(\d+)f$/.exec(spec);
    if (!m) throw new ValueError(`modelCheckpoint: unsupported format '${whole}' (use {name}, {name:03d} or {name:.4f})`);
    if (m[4] !== undefined) return v.toFixed(Number(m[4]));
    const text = m[3] === 'd' ? String(Math.round(v)) : String(v);
    return m[2] ? text.padStart(Number(m[2]), m[1] === '0' ? '0' : ' ') : text;
  });
}

/** Save the model (or its weights) after every epoch, or only when it improves. */
export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly includeOptimizer: boolean;

  constructor(filepath: string, options: ModelCheckpointOptions = {}) {
    const o = checkOptions('modelCheckpoint', options, {
      monitor: is.string, saveBestOnly: is.bool, saveWeightsOnly: is.bool, mode: isMode, includeOptimizer: is.bool, verbose: isVerbose,
    });
    if (typeof filepath !== 'string' || filepath === '') throw new ValueError(`modelCheckpoint: filepath must be a non-empty string`);
    // Any improvement counts (minDelta 0).
    super('modelCheckpoint', o, 0);
    this.filepath = filepath;
    this.saveBestOnly = o.saveBestOnly ?? false;
    this.saveWeightsOnly = o.saveWeightsOnly ?? false;
    this.includeOptimizer = o.includeOptimizer ?? true;
    this.resetBest();
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const model = this.requireModel();
    if (this.saveBestOnly) {
      const current = this.current('modelCheckpoint', logs);
      if (current === undefined || !this.improves(current)) return;
      if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}`);
      this.best = current;
    }
    const path = formatPath(this.filepath, epoch, logs);
    if (this.saveWeightsOnly) await model.saveWeights(path);
    else await model.save(path, { includeOptimizer: this.includeOptimizer });
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: saved to ${path}`);
  }
}

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  monitor?: string;
  /** New rate = rate · factor (< 1; default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  mode?: Mode;
  /** Threshold for measuring a new optimum (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate (default 0). */
  minLr?: number;
  verbose?: number;
}

/** Multiply the learning rate by `factor` when the monitored quantity stops improving. */
export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    const op = 'reduceLROnPlateau';
    const o = checkOptions(op, options, {
      monitor: is.string, factor: is.range(0, 1, true), patience: is.nonNegInt, mode: isMode, minDelta: is.nonNegative,
      cooldown: is.nonNegInt, minLr: is.nonNegative, verbose: isVerbose,
    });
    const factor = o.factor ?? 0.1;
    if (!(factor < 1 && factor >= 0)) throw new ValueError(`${op}: factor must be in [0, 1) (it multiplies the learning rate), got ${factor}`);
    const patience = nonNegative(op, 'patience', o.patience ?? 10);
    super(op, o, nonNegative(op, 'minDelta', o.minDelta ?? 1e-4));
    this.factor = factor;
    this.patience = patience;
    this.cooldown = nonNegative(op, 'cooldown', o.cooldown ?? 0);
    this.minLr = nonNegative(op, 'minLr', o.minLr ?? 0);
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.resetBest();
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = this.requireModel().optimizer;
    if (!optimizer) throw new ValueError('reduceLROnPlateau: the model is not compiled');
    logs.learning_rate = optimizer.learningRate;
    const current = this.current('reduceLROnPlateau', logs);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = optimizer.learningRate;
        if (old > this.minLr) {
          const next = Math.max(old * this.factor, this.minLr);
          optimizer.learningRate = next;
          if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: reduceLROnPlateau reducing learning rate to ${next}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Set the learning rate at the start of every epoch from `schedule(epoch, currentLr)`. */
export class LearningRateScheduler extends Callback {
  constructor(readonly schedule: (epoch: number, lr: number) => number, readonly verbose = 0) {
    super();
    if (typeof schedule !== 'function') throw new ValueError('learningRateScheduler: schedule must be a function (epoch, lr) => lr');
    if (isVerbose(verbose) !== null) throw new ValueError(`learningRateScheduler: verbose must be 0, 1 or 2, got ${String(verbose)}`);
  }

  onEpochBegin(epoch: number): void {
    const optimizer = this.requireModel().optimizer;
    if (!optimizer) throw new ValueError('learningRateScheduler: the model is not compiled');
    const lr = this.schedule(epoch, optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new ValueError(`learningRateScheduler: the schedule returned ${lr} for epoch ${epoch}; expected a finite number`);
    optimizer.learningRate = lr;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: learningRateScheduler setting learning rate to ${lr}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const optimizer = this.requireModel().optimizer;
    if (optimizer) logs.learning_rate = optimizer.learningRate;
  }
}

/** Options of {@link CsvLogger}: the `separator` and whether to `append`. */
export interface CsvLoggerOptions {
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

/** Write one CSV row per epoch: epoch, then the log values in sorted key order. */
export class CsvLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private needHeader = true;

  constructor(readonly path: string, options: CsvLoggerOptions = {}) {
    super();
    const o = checkOptions('csvLogger', options, { separator: is.string, append: is.bool });
    if (typeof path !== 'string' || path === '') throw new ValueError('csvLogger: path must be a non-empty string');
    this.separator = o.separator ?? ',';
    this.append = o.append ?? false;
  }

  async onTrainBegin(): Promise<void> {
    const fs = getFileSystem('csvLogger');
    this.keys = null;
    if (this.append && (await fs.exists(this.path))) {
      const text = new TextDecoder().decode(await fs.readFile(this.path));
      this.needHeader = text.trim() === '';
    } else {
      await fs.writeFileAtomic(this.path, new Uint8Array(0));
      this.needHeader = true;
    }
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const fs = getFileSystem('csvLogger');
    this.keys ??= Object.keys(logs).sort();
    const cell = (v: number | undefined): string => (v === undefined ? '' : String(v));
    let text = '';
    if (this.needHeader) {
      text += ['epoch', ...this.keys].join(this.separator) + '\n';
      this.needHeader = false;
    }
    text += [String(epoch), ...this.keys.map((k) => cell(logs[k]))].join(this.separator) + '\n';
    await fs.appendFile(this.path, text);
  }
}

/** Stop training as soon as the loss becomes NaN or infinite. */
export class TerminateOnNaN extends Callback {
  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.warn(`[hebb] terminateOnNaN: batch ${batch}: invalid loss ${loss}, terminating training`);
      this.requireModel().stopTraining = true;
    }
  }
}

/**
 * Stops training when the monitored quantity (default 'val_loss') stops improving: `hb.callbacks.earlyStopping({
 * patience: 3 })`.
 */
export const earlyStopping = (o?: EarlyStoppingOptions): EarlyStopping => new EarlyStopping(o);
/**
 * Saves the model to `filepath` (with `{epoch}` and log names substituted) after every epoch, or only when it
 * improves.
 */
export const modelCheckpoint = (filepath: string, o?: ModelCheckpointOptions): ModelCheckpoint => new ModelCheckpoint(filepath, o);
/** Multiplies the learning rate by `factor` when the monitored quantity stops improving. */
export const reduceLROnPlateau = (o?: ReduceLROnPlateauOptions): ReduceLROnPlateau => new ReduceLROnPlateau(o);
/** Sets the learning rate at the start of every epoch from `schedule(epoch, currentLr)`. */
export const learningRateScheduler = (schedule: (epoch: number, lr: number) => number, verbose = 0): LearningRateScheduler =>
  new LearningRateScheduler(schedule, verbose);
/** Writes one CSV row of logs per epoch to `path`. */
export const csvLogger = (path: string, o?: CsvLoggerOptions): CsvLogger => new CsvLogger(path, o);
/** Stops training as soon as the loss is NaN or infinite. */
export const terminateOnNaN = (): TerminateOnNaN => new TerminateOnNaN();
