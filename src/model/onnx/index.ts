// ONNX export and import for hebb models: `hb.io.exportOnnx(model, file, { opset })` and
// `hb.io.importOnnx(file)`, plus in-memory forms (bytes in, bytes out) for browsers and tests.
// They live under model/ rather than io/ because they read and build layers and models, which
// io may not import (DESIGN.md's layer table); the protobuf codec itself is in src/io/onnx/.
import { checkOptions, ValueError } from '../../base/index.js';
import { getFileSystem, readFileOrFormatError } from '../../io/index.js';
import { Model } from '../model.js';
import { buildOnnx, DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from './export.js';
import { importOnnxModel, type ImportOnnxOptions } from './import.js';

export { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from './export.js';
export type { ImportOnnxOptions } from './import.js';

/** Options of `hb.io.exportOnnx`: the opset. */
export interface ExportOnnxOptions {
  /** ONNX opset version, 13–21 (default 21). */
  opset?: number;
}

function exportOptions(where: string, options: ExportOnnxOptions | undefined): Required<ExportOnnxOptions> {
  const o = checkOptions<ExportOnnxOptions>(where, options, {
    opset: (v) => (Number.isInteger(v) && (v as number) >= MIN_OPSET && (v as number) <= MAX_OPSET ? null : `an integer from ${MIN_OPSET} to ${MAX_OPSET}`),
  });
  return { opset: o.opset ?? DEFAULT_OPSET };
}

/** The ONNX bytes of `model` (channels-last inputs and outputs, dynamic batch). */
export function exportOnnxBytes(model: Model, options?: ExportOnnxOptions): Uint8Array {
  const { opset } = exportOptions('exportOnnxBytes', options);
  if (!(model instanceof Model)) throw new ValueError('exportOnnxBytes: expected a hebb Model (hb.sequential or hb.model)');
  return buildOnnx(model, opset, '0.1.0').bytes;
}

/** Write `model` as an ONNX file (atomically). */
export async function exportOnnx(model: Model, file: string, options?: ExportOnnxOptions): Promise<void> {
  const { opset } = exportOptions('exportOnnx', options);
  if (typeof file !== 'string' || file === '') throw new ValueError(`exportOnnx: file must be a non-empty path, got ${JSON.stringify(file)}`);
  if (!(model instanceof Model)) throw new ValueError('exportOnnx: expected a hebb Model (hb.sequential or hb.model)');
  const { bytes } = buildOnnx(model, opset, '0.1.0');
  await getFileSystem('exportOnnx').writeFileAtomic(file, bytes);
}

/** A trainable hebb model from ONNX bytes. */
export function importOnnxBytes(bytes: Uint8Array, options?: ImportOnnxOptions): Model {
  return importOnnxModel(bytes, options, 'importOnnxBytes');
}

/** A trainable hebb model from an ONNX file. */
export async function importOnnx(file: string, options?: ImportOnnxOptions): Promise<Model> {
  if (typeof file !== 'string' || file === '') throw new ValueError(`importOnnx: file must be a non-empty path, got ${JSON.stringify(file)}`);
  const bytes = await readFileOrFormatError('importOnnx', file);
  return importOnnxModel(bytes, options, `importOnnx ${file}`);
}
