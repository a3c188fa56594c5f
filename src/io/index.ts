// File formats and file access: safetensors, the file-system adapter, and small helpers that
// read and write safetensors files.
import { FormatError } from '../base/index.js';
import type { Tensor } from '../tensor/index.js';
import { getFileSystem } from './fs-node.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsContent, storedToTensor, type TensorSource } from './safetensors.js';

export {
  encodeSafetensors, decodeSafetensors, storedToTensor, MAX_HEADER_BYTES,
  type StoredTensor, type SafetensorsContent, type TensorSource,
} from './safetensors.js';
export { crc32, crc32Hex } from './crc32.js';
export { getFileSystem, setFileSystem, hasFileSystem, nodeFileSystem, type FileSystem } from './fs-node.js';

/** Write named tensors to a .safetensors file (atomically). */
export async function saveSafetensors(path: string, tensors: Record<string, TensorSource>, metadata?: Record<string, string>): Promise<void> {
  await getFileSystem('saveSafetensors').writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Read and validate a .safetensors file; an unreadable file also throws FormatError. */
export async function loadSafetensors(path: string): Promise<{ tensors: Record<string, Tensor>; metadata: Record<string, string> }> {
  const content = await readSafetensors('loadSafetensors', path);
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of content.tensors) tensors[name] = storedToTensor(t);
  return { tensors, metadata: content.metadata };
}

/** Read a file's bytes; any failure (missing, unreadable) is a FormatError naming `op` and the path. */
export async function readFileOrFormatError(op: string, path: string): Promise<Uint8Array> {
  const fs = getFileSystem(op);
  try {
    return await fs.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new FormatError(`${op}: ${code === 'ENOENT' ? 'missing file' : 'cannot read'} ${path}${code === 'ENOENT' ? '' : `: ${(e as Error).message}`}`);
  }
}

async function readSafetensors(op: string, path: string): Promise<SafetensorsContent> {
  return decodeSafetensors(await readFileOrFormatError(op, path), path);
}
