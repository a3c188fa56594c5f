// `hebb export DIR --onnx FILE [--opset N]`: a saved model (or a zoo model by name) as an ONNX
// file that ONNX Runtime, TensorRT or OpenVINO can serve. The file keeps hebb's channels-last
// input and output shapes with a dynamic batch axis.
import * as hb from '../../src/index.js';
import { CliError, describeError, EXIT } from '../errors.js';
import { modelByName } from '../saved-model.js';

export interface ExportCliOptions {
  onnx: string;
  opset?: number;
}

export async function exportModel(dir: string, options: ExportCliOptions, log: (line: string) => void = console.log): Promise<void> {
  const opset = options.opset ?? 21;
  if (opset < 13 || opset > 21) throw new CliError(`export: --opset must be from 13 to 21, got ${opset}`, EXIT.usage);
  const model = await modelByName(dir);
  try {
    await hb.io.exportOnnx(model, options.onnx, { opset });
  } catch (e) {
    throw new CliError(`export: cannot export ${dir} to ONNX: ${describeError(e)}`);
  }
  const shapes = (ts: readonly { shape: readonly (number | null)[] }[]): string => ts.map((t) => `[${t.shape.map((d) => (d === null ? 'N' : d)).join(', ')}]`).join(', ');
  log(`wrote ${options.onnx}: ONNX opset ${opset}, input ${shapes(model.inputs)} → output ${shapes(model.outputs)} (channels-last, N = any batch size)`);
}
