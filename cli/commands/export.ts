// `hebb export DIR --onnx FILE`. ONNX export (hb.io.exportOnnx) is a later issue; until it
// lands the command says so plainly and exits with the usage code, never half-writing a file.
import { CliError, EXIT } from '../errors.js';

export async function exportModel(dir: string, options: { onnx: string }): Promise<void> {
  throw new CliError(`export: ONNX export is not implemented yet (asked to write ${options.onnx} from ${dir}); it is planned for a later release`, EXIT.usage);
}
