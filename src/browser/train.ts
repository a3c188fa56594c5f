// The page side of training in a Web Worker: hb.browser.trainInWorker sends a compiled model,
// its weights and the data to a worker that runs hb.browser.serveWorker(), relays the worker's
// progress events, and when fit() ends there copies the trained weights into the page's model.
// The page's thread never runs a training step, so the UI stays responsive.
import { checkOptions, is, ValueError } from '../base/index.js';
import type { Logs, Model } from '../model/index.js';
import { Tensor } from '../tensor/index.js';
import {
  messageToTensor, tensorToMessage, transferables, type TensorMessage, type TrainProgress, type TrainRequest, type WorkerReply,
} from './protocol.js';

/**
 * Options of {@link trainInWorker}: fit's epochs, batch size, shuffling and validation data, progress evaluation, and
 * the worker's threads.
 */
export interface TrainInWorkerOptions {
  /** Epochs (default 1). */
  epochs?: number;
  /** Samples per step (default 32). */
  batchSize?: number;
  /** Shuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seed for the shuffling order. */
  seed?: number;
  /** Stop after this many steps, even within an epoch. */
  maxSteps?: number;
  /** [x, y] held-out data: fit's val_loss/val_* at every epoch end, and the periodic accuracy below. */
  validationData?: [Tensor, Tensor];
  /** Every this many steps (and before the first and after the last), report the validation accuracy (0: never; default 0). */
  evaluateEvery?: number;
  /** Use only the first N validation samples for the periodic accuracy (default: all). */
  evaluateLimit?: number;
  /** Threads for the worker's wasm backend (default: all cores where the page is cross-origin isolated, else 1). */
  threads?: number;
  /** The worker's backend (default: the best one that starts there). */
  backend?: string;
  /** Called for every progress event. */
  onProgress?: (event: TrainProgress) => void;
}

/** How a worker training run ended. */
export interface TrainResult {
  /** Each epoch's logs (loss, metrics, and val_* with validationData). */
  history: Logs[];
  steps: number;
  samples: number;
  /** Wall time of the run in the worker, evaluations included. */
  seconds: number;
  /** Training samples per second (the time of the periodic evaluations left out). */
  samplesPerSecond: number;
  /** Whether stop() ended it early. */
  stopped: boolean;
}

/** A training run in progress: `done` resolves once the trained weights are in the page's model. */
export interface WorkerTraining {
  done: Promise<TrainResult>;
  /** End training after the current batch; `done` still resolves, with the weights trained so far. */
  stop(): void;
}

/** A dedicated worker, or the URL of a worker script to start as a module worker. */
export type WorkerSource = Worker | URL | string;

let nextId = 1;

const OPTIONS = {
  epochs: is.posInt, batchSize: is.posInt, shuffle: is.bool, seed: is.int, maxSteps: is.posInt, validationData: is.array,
  evaluateEvery: is.nonNegInt, evaluateLimit: is.posInt, threads: is.posInt, backend: is.string, onProgress: is.fn,
};

/**
 * Train `model` (compiled on the page) on `x`, `y` in a Web Worker whose script calls
 * `hb.browser.serveWorker()`. `worker` is that worker, or its script's URL (then a module worker
 * is started for this run and terminated after it). Progress events arrive through
 * `onProgress`; when the run ends the trained weights are assigned to `model`.
 */
export function trainInWorker(worker: WorkerSource, model: Model, x: Tensor, y: Tensor, options: TrainInWorkerOptions = {}): WorkerTraining {
  const op = 'browser.trainInWorker';
  const o = checkOptions(op, options, OPTIONS);
  if (!model || typeof model.fit !== 'function') throw new ValueError(`${op}: expected a model, got ${typeof model}`);
  const compiled = model.compiled;
  if (!compiled) throw new ValueError(`${op}: compile model '${model.name}' first (its compile config is sent to the worker)`);
  if (model.inputs.length === 0) throw new ValueError(`${op}: model '${model.name}' is not built yet (give its first layer an inputShape)`);
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new ValueError(`${op}: x and y must be tensors`);
  if (x.shape[0] !== y.shape[0]) throw new ValueError(`${op}: x has ${x.shape[0]} samples but y has ${y.shape[0]}`);
  const validation = o.validationData;
  if (validation !== undefined && (validation.length !== 2 || !(validation[0] instanceof Tensor) || !(validation[1] instanceof Tensor))) {
    throw new ValueError(`${op}: validationData must be [x, y] tensors`);
  }
  let own: Worker | null = null;
  let w: Worker;
  if (typeof worker === 'string' || worker instanceof URL) {
    if (typeof Worker !== 'function') throw new ValueError(`${op}: this platform has no Web Workers`);
    own = new Worker(worker, { type: 'module', name: 'hebb-training' });
    w = own;
  } else if (worker && typeof (worker as Worker).postMessage === 'function') {
    w = worker as Worker;
  } else {
    throw new ValueError(`${op}: expected a Worker or the URL of a worker script, got ${typeof worker}`);
  }
  const id = nextId++;
  const weights = model.weights.map((v): [string, TensorMessage] => [v.name, tensorToMessage(v.value)]);
  const request: TrainRequest = {
    type: 'hebb:train', id,
    model: { className: model.className, config: model.getConfig() },
    compile: compiled.getConfig(),
    weights,
    x: tensorToMessage(x), y: tensorToMessage(y),
    validation: validation ? [tensorToMessage(validation[0]), tensorToMessage(validation[1])] : null,
    epochs: o.epochs ?? 1, batchSize: o.batchSize ?? 32, shuffle: o.shuffle ?? true, seed: o.seed ?? null, maxSteps: o.maxSteps ?? null,
    evaluateEvery: o.evaluateEvery ?? 0, evaluateLimit: o.evaluateLimit ?? null, threads: o.threads ?? null, backend: o.backend ?? null,
  };
  const done = new Promise<TrainResult>((resolve, reject) => {
    const finish = (): void => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      own?.terminate();
    };
    const onError = (e: ErrorEvent): void => {
      finish();
      reject(new Error(`${op}: the worker failed${e.message ? `: ${e.message}` : ''} (does its script call hb.browser.serveWorker()?)`));
    };
    const onMessage = (e: MessageEvent): void => {
      const reply = e.data as WorkerReply;
      if (typeof reply !== 'object' || reply === null || reply.id !== id) return;
      if (reply.type === 'hebb:progress') {
        o.onProgress?.(reply.event);
      } else if (reply.type === 'hebb:done') {
        finish();
        const byName = new Map(model.weights.map((v) => [v.name, v]));
        for (const [name, m] of reply.weights) byName.get(name)?.assign(messageToTensor(m));
        resolve({
          history: reply.history, steps: reply.steps, samples: reply.samples, seconds: reply.seconds,
          samplesPerSecond: reply.trainingSeconds > 0 ? reply.samples / reply.trainingSeconds : 0, stopped: reply.stopped,
        });
      } else if (reply.type === 'hebb:error') {
        finish();
        const error = new Error(`${op}: ${reply.name}: ${reply.message}`);
        reject(error);
      }
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
  });
  w.postMessage(request, transferables([request.x, request.y, ...(request.validation ?? []), ...weights.map(([, m]) => m)]));
  return { done, stop: () => w.postMessage({ type: 'hebb:stop', id }) };
}
