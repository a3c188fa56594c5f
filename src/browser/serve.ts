// The worker side of hb.browser.trainInWorker: serveWorker() makes the worker it runs in answer
// training requests. The worker rebuilds the model from its config, loads the page's weights,
// compiles it with the page's compile config, runs fit() and posts progress events; at the end
// it posts the trained weights back. A stop request ends fit() after the current batch.
import { getBackendInstance, ready, setBackend } from '../backend/index.js';
import { getThreads, setThreads } from '../backend/native/index.js';
import { ValueError } from '../base/index.js';
import { compileArgsFromConfig } from '../model/compile.js';
import type { Logs, Model } from '../model/index.js';
import { deserializeLayer } from '../nn/index.js';
import { argmax, slice } from '../ops/index.js';
import { type Tensor, tidy } from '../tensor/index.js';
import {
  messageToTensor, tensorToMessage, transferables, type DoneMessage, type TrainProgress, type TrainRequest, type WorkerReply, type WorkerRequest,
} from './protocol.js';

interface WorkerScope {
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

/** The global scope when this code runs in a dedicated worker, else null. */
function workerScope(): WorkerScope | null {
  const g = globalThis as { WorkerGlobalScope?: unknown; postMessage?: unknown; addEventListener?: unknown; document?: unknown };
  if (g.WorkerGlobalScope === undefined || g.document !== undefined || typeof g.postMessage !== 'function') return null;
  return globalThis as unknown as WorkerScope;
}

let serving = false;

/**
 * Call once in a Web Worker's script (`import * as hb from 'hebb'; hb.browser.serveWorker();`):
 * the worker then runs the training that hb.browser.trainInWorker asks of it. Throws outside a worker.
 */
export function serveWorker(): void {
  const scope = workerScope();
  if (scope === null) throw new ValueError('browser.serveWorker: call it in a Web Worker (the worker script that trainInWorker is given)');
  if (serving) return;
  serving = true;
  const running = new Map<number, Model>();
  scope.addEventListener('message', (e) => {
    const request = e.data as WorkerRequest;
    if (typeof request !== 'object' || request === null) return;
    if (request.type === 'hebb:stop') {
      const model = running.get(request.id);
      if (model) model.stopTraining = true;
    } else if (request.type === 'hebb:train') {
      const post = (reply: WorkerReply, transfer: Transferable[] = []): void => scope.postMessage(reply, transfer);
      train(request, running, post).catch((err: unknown) => {
        running.delete(request.id);
        const error = err instanceof Error ? err : new Error(String(err));
        post({ type: 'hebb:error', id: request.id, name: error.name, message: error.message });
      });
    }
  });
}

/** Resolves after the worker has had a chance to handle queued messages (a stop request). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The fraction of the first `limit` samples whose predicted class (argmax) is the label (int [N] or one-hot [N, C]). */
function accuracyOn(model: Model, x: Tensor, y: Tensor, limit: number): number {
  const n = Math.min(limit, x.shape[0]);
  return tidy(() => {
    const xs = n < x.shape[0] ? slice(x, [0], [n]) : x;
    const ys = n < y.shape[0] ? slice(y, [0], [n]) : y;
    const predicted = argmax(model.predict(xs, { batchSize: 256 }) as Tensor, -1).dataSync();
    const labels = ys.rank > 1 ? argmax(ys, -1).dataSync() : ys.dataSync();
    let right = 0;
    for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) right++;
    return n === 0 ? 0 : right / n;
  });
}

async function train(request: TrainRequest, running: Map<number, Model>, post: (reply: WorkerReply, transfer?: Transferable[]) => void): Promise<void> {
  await ready();
  if (request.backend !== null) setBackend(request.backend);
  if (request.threads !== null) setThreads(request.threads);
  const model = deserializeLayer(request.model) as Model;
  if (typeof model.fit !== 'function') throw new ValueError(`browser.trainInWorker: '${request.model.className}' is not a model`);
  const byName = new Map(model.weights.map((v) => [v.name, v]));
  for (const [name, m] of request.weights) {
    const v = byName.get(name);
    if (!v) throw new ValueError(`browser.trainInWorker: the worker's model has no weight '${name}'`);
    v.assign(messageToTensor(m));
  }
  model.compile(compileArgsFromConfig(request.compile));
  const x = messageToTensor(request.x);
  const y = messageToTensor(request.y);
  const validation = request.validation ? request.validation.map(messageToTensor) as [Tensor, Tensor] : null;
  const n = x.shape[0];
  const perEpoch = Math.ceil(n / request.batchSize);
  const steps = Math.min(perEpoch * request.epochs, request.maxSteps ?? Infinity);
  const epochs = Math.ceil(steps / perEpoch);
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  let step = 0;
  let samples = 0;
  let epoch = 0;
  let lastYield = 0;
  /** Seconds spent on the periodic evaluations, which the speed leaves out. */
  let evaluating = 0;
  const history: Logs[] = [];
  const start = performance.now();
  const event = (kind: TrainProgress['kind'], logs: Logs, extra: Partial<TrainProgress> = {}): TrainProgress => {
    const seconds = (performance.now() - start) / 1000;
    const training = seconds - evaluating;
    return {
      kind, backend: getBackendInstance().name, threads: getThreads(), crossOriginIsolated: isolated, epoch, step, steps, samples,
      seconds, samplesPerSecond: training > 0 ? samples / training : 0, logs, ...extra,
    };
  };
  const progress = (e: TrainProgress): void => post({ type: 'hebb:progress', id: request.id, event: e });
  const evaluate = (): void => {
    if (!validation) return;
    const t0 = performance.now();
    const valAccuracy = accuracyOn(model, validation[0], validation[1], request.evaluateLimit ?? Infinity);
    evaluating += (performance.now() - t0) / 1000;
    progress(event('evaluate', { valAccuracy }, { valAccuracy }));
  };
  running.set(request.id, model);
  progress(event('start', {}));
  if (request.evaluateEvery > 0) evaluate();
  await model.fit(x, y, {
    epochs, batchSize: request.batchSize, shuffle: request.shuffle, verbose: 0,
    ...(request.seed !== null ? { seed: request.seed } : {}),
    ...(validation ? { validationData: validation } : {}),
    callbacks: [{
      onEpochBegin: (e) => {
        epoch = e;
      },
      onBatchEnd: async (_batch, logs = {}) => {
        step++;
        samples += logs.size ?? request.batchSize;
        const { batch: _b, size: _s, ...metrics } = logs;
        progress(event('batch', metrics));
        if (request.evaluateEvery > 0 && step % request.evaluateEvery === 0) evaluate();
        if (step >= steps) model.stopTraining = true;
        if (performance.now() - lastYield > 50) {
          await yieldToEvents();
          lastYield = performance.now();
        }
      },
      onEpochEnd: (_e, logs = {}) => {
        history.push({ ...logs });
        progress(event('epoch', { ...logs }));
      },
    }],
  });
  if (request.evaluateEvery > 0 && step % request.evaluateEvery !== 0) evaluate();
  running.delete(request.id);
  const weights = model.weights.map((v): [string, ReturnType<typeof tensorToMessage>] => [v.name, tensorToMessage(v.value)]);
  const seconds = (performance.now() - start) / 1000;
  const done: DoneMessage = {
    type: 'hebb:done', id: request.id, weights, history, steps: step, samples, seconds, trainingSeconds: seconds - evaluating, stopped: step < steps,
  };
  post(done, transferables(weights.map(([, m]) => m)));
}
