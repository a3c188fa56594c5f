import { FormatError } from '../../base/index.js';
import type { Model } from '../model.js';
export interface ImportOnnxOptions { name?: string }
export function importOnnxModel(_bytes: Uint8Array, _options: ImportOnnxOptions | undefined, where: string): Model {
  throw new FormatError(`${where}: TODO`);
}
