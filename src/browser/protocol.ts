// The messages between a page and a training worker (hb.browser.trainInWorker on the page,
// hb.browser.serveWorker in the worker). Everything crosses by structured clone; tensors travel
// as typed arrays with their shape and dtype, and their buffers are transferred, not copied.
import type { DType } from '../base/index.js';
import type { Logs } from '../model/index.js';
import type { Config, Serialized } from '../nn/index.js';
import { type Tensor, tensor } from '../tensor/index.js';

/** A tensor as it crosses to or from a worker. */
export interface TensorMessage {
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: DType;
}

export function tensorToMessage(t: Tensor): TensorMessage {
  // dataSync() may return the backend's own view; slice() gives the message a buffer of its own to transfer.
  const data = t.dataSync().slice() as TensorMessage['data'];
  return { data, shape: [...t.shape], dtype: t.dtype };
}

export function messageToTensor(m: TensorMessage): Tensor {
  return tensor(m.data, m.shape, m.dtype);
}

/** The buffers of these messages, for postMessage's transfer list. */
export function transferables(messages: readonly (TensorMessage | null | undefined)[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const m of messages) if (m && m.data.buffer instanceof ArrayBuffer && !out.includes(m.data.buffer)) out.push(m.data.buffer);
  return out;
}

/** What fit() in the worker is asked to do. */
export interface TrainRequest {
  type: 'hebb:train';
  id: number;
  /** The architecture ({ className, config } of model.getConfig()), the compile config, and the starting weights. */
  model: Serialized;
  compile: Config;
  weights: [string, TensorMessage][];
  x: TensorMessage;
  y: TensorMessage;
  validation: [TensorMessage, TensorMessage] | null;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number | null;
  maxSteps: number | null;
  evaluateEvery: number;
  evaluateLimit: number | null;
  threads: number | null;
  backend: string | null;
}

export interface StopRequest {
  type: 'hebb:stop';
  id: number;
}

/** One progress event of a training run in a worker. */
export interface TrainProgress {
  /**
   * 'start': the worker is ready and fit() begins; 'batch': a training step ended; 'evaluate':
   * the periodic validation accuracy (evaluateEvery); 'epoch': an epoch ended (logs include
   * fit's val_loss and val_* metrics when validationData was given).
   */
  kind: 'start' | 'batch' | 'evaluate' | 'epoch';
  /** The backend and threads training runs on in the worker, and whether the worker is cross-origin isolated. */
  backend: string;
  threads: number;
  crossOriginIsolated: boolean;
  /** Zero-based epoch. */
  epoch: number;
  /** Training steps (batches) done so far over all epochs, and the number the run will take. */
  step: number;
  steps: number;
  /** Training samples processed so far, seconds since fit() began, and samples per second of training (the periodic evaluations left out). */
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  /** 'batch': the epoch's running loss and metrics; 'epoch': the epoch's logs; 'evaluate': { valAccuracy }. */
  logs: Logs;
  /** 'evaluate': the fraction of validation samples whose argmax matches the label. */
  valAccuracy?: number;
}

export interface ProgressMessage {
  type: 'hebb:progress';
  id: number;
  event: TrainProgress;
}

/** The outcome of a training run, with the trained weights. */
export interface DoneMessage {
  type: 'hebb:done';
  id: number;
  weights: [string, TensorMessage][];
  history: Logs[];
  steps: number;
  samples: number;
  seconds: number;
  /** `seconds` without the periodic evaluations. */
  trainingSeconds: number;
  stopped: boolean;
}

export interface ErrorMessage {
  type: 'hebb:error';
  id: number;
  name: string;
  message: string;
}

export type WorkerReply = ProgressMessage | DoneMessage | ErrorMessage;
export type WorkerRequest = TrainRequest | StopRequest;
