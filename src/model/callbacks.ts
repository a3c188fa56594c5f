// Training callbacks core (Keras semantics): the hook types, the Callback base, the CallbackList
// that fit() drives, and History; the built-in callbacks are in builtin-callbacks.ts.
// A callback is any object with some of the hooks below (each may be async; fit awaits it);
// the classes here also receive the model and fit's params.
// Setting `model.stopTraining = true` ends fit() after the current batch.
import { ValueError } from '../base/index.js';
import type { Model } from './model.js';

/** Named values a callback receives (loss, metrics, val_…). */
export type Logs = Record<string, number>;
type Awaitable = void | Promise<void>;

/** The hooks `fit` calls; a callback implements any of them. */
export interface CallbackHooks {
  onTrainBegin?(logs?: Logs): Awaitable;
  onTrainEnd?(logs?: Logs): Awaitable;
  onEpochBegin?(epoch: number, logs?: Logs): Awaitable;
  onEpochEnd?(epoch: number, logs?: Logs): Awaitable;
  onBatchBegin?(batch: number, logs?: Logs): Awaitable;
  onBatchEnd?(batch: number, logs?: Logs): Awaitable;
}

/** What fit tells its callbacks. */
export interface FitParams {
  epochs: number;
  initialEpoch: number;
  /** Batches per epoch. */
  steps: number;
  samples: number;
  batchSize: number;
  verbose: number;
  /** Names of the values in epoch logs (loss, metrics, val_…). */
  metrics: string[];
}

/**
 * The base of callbacks: subclass it (or pass an object of {@link CallbackHooks}) to act at the start and end of
 * training, epochs and batches. `this.model` is the model being trained.
 */
export abstract class Callback {
  model: Model | null = null;
  params: FitParams | null = null;

  setModel(model: Model): void {
    this.model = model;
  }

  setParams(params: FitParams): void {
    this.params = params;
  }

  protected requireModel(): Model {
    if (!this.model) throw new ValueError(`${this.constructor.name}: not attached to a model (pass it in fit's callbacks)`);
    return this.model;
  }
}

/** Calls every callback's hook in order, awaiting each. */
export class CallbackList {
  constructor(readonly callbacks: CallbackHooks[], model: Model, params: FitParams) {
    for (const cb of callbacks) {
      (cb as Partial<Callback>).setModel?.(model);
      (cb as Partial<Callback>).setParams?.(params);
    }
  }

  private async each(run: (cb: CallbackHooks) => Awaitable): Promise<void> {
    for (const cb of this.callbacks) {
      const r = run(cb);
      if (r && typeof (r as Promise<void>).then === 'function') await r;
    }
  }

  onTrainBegin(logs: Logs = {}): Promise<void> {
    return this.each((cb) => cb.onTrainBegin?.(logs));
  }
  onTrainEnd(logs: Logs = {}): Promise<void> {
    return this.each((cb) => cb.onTrainEnd?.(logs));
  }
  onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    return this.each((cb) => cb.onEpochBegin?.(epoch, logs));
  }
  onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onEpochEnd?.(epoch, logs));
  }
  onBatchBegin(batch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onBatchBegin?.(batch, logs));
  }
  onBatchEnd(batch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onBatchEnd?.(batch, logs));
  }
}

/** What fit() returns: the per-epoch logs, keyed as Keras (loss, accuracy, val_loss, …). */
export class History extends Callback {
  /** Epoch indices trained (initialEpoch, initialEpoch + 1, …). */
  epoch: number[] = [];
  history: Record<string, number[]> = {};

  onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      // A key that appears late (e.g. learning_rate from a callback) is padded so indices line up.
      (this.history[k] ??= new Array<number>(this.epoch.length - 1).fill(NaN)).push(v);
    }
  }
}
