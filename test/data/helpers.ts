// Writing IDX files for tests, independently of the reader: header and values through a
// DataView, big-endian, exactly as the format's description says.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TYPE_CODE = { ubyte: 0x08, byte: 0x09, short: 0x0b, int: 0x0c, float: 0x0d, double: 0x0e } as const;
const WIDTH = { ubyte: 1, byte: 1, short: 2, int: 4, float: 4, double: 8 } as const;

export function idxBytes(type: keyof typeof TYPE_CODE, shape: number[], values: number[]): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * WIDTH[type]);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, TYPE_CODE[type], shape.length]);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => {
    const at = header + i * WIDTH[type];
    switch (type) {
      case 'ubyte': view.setUint8(at, v); break;
      case 'byte': view.setInt8(at, v); break;
      case 'short': view.setInt16(at, v, false); break;
      case 'int': view.setInt32(at, v, false); break;
      case 'float': view.setFloat32(at, v, false); break;
      case 'double': view.setFloat64(at, v, false); break;
    }
  });
  return bytes;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hebb-data-'));
}

export function writeFiles(dir: string, files: Record<string, Uint8Array>): void {
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}
