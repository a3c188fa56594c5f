// `hebb import FILE --out DIR`: an ONNX file (e.g. exported by PyTorch) as a hebb model folder
// that hebb train/evaluate/predict and hb.loadModel read. Channels-first image inputs become
// channels-last, as everywhere in hebb.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as hb from '../../src/index.js';
import { CliError, describeError } from '../errors.js';

export async function importModel(file: string, options: { out: string }, log: (line: string) => void = console.log): Promise<void> {
  if (!existsSync(file)) throw new CliError(`import: ${file}: no such file`);
  if (existsSync(join(options.out, 'model.json'))) throw new CliError(`import: ${options.out} already holds a saved model; choose another --out folder`);
  let model: hb.Model;
  try {
    model = await hb.io.importOnnx(file);
  } catch (e) {
    throw new CliError(`import: cannot import ${file}: ${describeError(e)}`);
  }
  await model.save(options.out);
  const shapes = (ts: readonly { shape: readonly (number | null)[] }[]): string => ts.map((t) => `[${t.shape.map((d) => (d === null ? 'N' : d)).join(', ')}]`).join(', ');
  log(`saved ${options.out}: ${model.layers.length} layers, ${model.countParams()} parameters, input ${shapes(model.inputs)} → output ${shapes(model.outputs)}`);
}
