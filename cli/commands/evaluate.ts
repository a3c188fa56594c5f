// `hebb evaluate DIR mnist`: a saved model on the test set: loss, accuracy and per-class recall.
import { CliError, EXIT } from '../errors.js';
import { modelInput, testModel } from '../inspect.js';
import { loadMnist } from '../mnist.js';
import { loadSavedModel, selectBackend } from '../saved-model.js';

export interface EvaluateOptions {
  batchSize?: number;
  limit?: number;
  backend?: string;
  threads?: number;
  dataDir?: string;
}

export async function evaluate(dir: string, dataset: string, options: EvaluateOptions): Promise<void> {
  if (dataset !== 'mnist') throw new CliError(`evaluate: unknown dataset '${dataset}' (available: mnist)`, EXIT.usage);
  await selectBackend(options.backend, options.threads);
  const model = await loadSavedModel(dir);
  const { test } = await loadMnist({ limit: options.limit, dataDir: options.dataDir });
  const started = performance.now();
  const r = testModel(model, modelInput(model, test.images), test.labels, options.batchSize);
  const seconds = (performance.now() - started) / 1000;
  const n = r.labels.length;
  const lines = [
    `model     ${dir}`,
    `dataset   MNIST test set, ${n.toLocaleString('en-US')} digits`,
    `loss      ${r.loss.toFixed(4)}`,
    `accuracy  ${(100 * r.accuracy).toFixed(2)} % (${n - Math.round(r.accuracy * n)} errors)`,
    `time      ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)} digits/s)`,
    'per class (recall):',
    ...r.confusion.map((row, k) => {
      const total = row.reduce((s, v) => s + v, 0);
      return `  ${k}  ${total > 0 ? ((100 * row[k]) / total).toFixed(2).padStart(6) : '     –'} %  of ${total}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
