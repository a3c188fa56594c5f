// `hebb predict DIR image.png …`: each image prepared the way MNIST digits were (see image.ts),
// then the model's top classes with their probabilities.
import * as hb from '../../src/index.js';
import { CliError } from '../errors.js';
import { asciiArt, readImage, toMnist } from '../image.js';
import { modelInput, toProbabilities } from '../inspect.js';
import { loadSavedModel, selectBackend } from '../saved-model.js';

export interface PredictOptions {
  top?: number;
  show?: boolean;
  backend?: string;
}

export async function predict(dir: string, files: string[], options: PredictOptions): Promise<void> {
  await selectBackend(options.backend, undefined);
  const model = await loadSavedModel(dir);
  // Decode every file first, so a bad one fails before any output.
  const digits = files.map((file) => {
    try {
      return toMnist(readImage(file));
    } catch (e) {
      if (e instanceof CliError && !e.message.startsWith(file)) throw new CliError(`${file}: ${e.message}`);
      throw e;
    }
  });
  const batch = new Float32Array(digits.length * 784);
  digits.forEach((d, i) => batch.set(d.data, i * 784));
  const x = modelInput(model, hb.tensor(batch, [digits.length, 28, 28, 1]));
  const out = model.predict(x) as hb.Tensor;
  const classes = out.shape[out.shape.length - 1];
  const p = toProbabilities(out.dataSync() as Float32Array, classes);
  const k = Math.min(options.top ?? 3, classes);
  const lines: string[] = [];
  files.forEach((file, i) => {
    const row = Array.from(p.subarray(i * classes, (i + 1) * classes));
    const ranked = row.map((prob, c) => ({ c, prob })).sort((a, b) => b.prob - a.prob).slice(0, k);
    if (options.show) lines.push(asciiArt(digits[i]));
    lines.push(`${file}: ${ranked[0].c}`);
    for (const { c, prob } of ranked) lines.push(`  ${c}  ${(100 * prob).toFixed(2).padStart(6)} %`);
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}
