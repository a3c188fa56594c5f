// Tests that corrupt saved files edit arbitrary parsed JSON on purpose.
/* eslint-disable @typescript-eslint/no-explicit-any */
// Helpers for tests that take saved-model directories apart: read and rewrite safetensors
// headers, and re-sign a directory after a deliberate edit (recompute each file's size and
// CRC-32 in model.json and model.json's own checksum) so that the edit reaches the deeper checks.
// The CRC here is written out independently of src/io.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): string {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

/** Split a safetensors file into its parsed header and data section. */
export function splitSafetensors(file: Uint8Array): { header: Record<string, any>; data: Uint8Array } {
  const bytes = new Uint8Array(file); // a plain copy: Node Buffers are views into a shared pool
  const n = new DataView(bytes.buffer).getUint32(0, true);
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))), data: bytes.slice(8 + n) };
}

/** Join a header object and data bytes into a safetensors file (header padded to 8 bytes). */
export function joinSafetensors(header: unknown, data: Uint8Array): Uint8Array {
  let text = JSON.stringify(header);
  while ((8 + text.length) % 8 !== 0) text += ' ';
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

export function readJson(dir: string): Record<string, any> {
  return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
}

/** Write model.json with its own checksum (and, unless told not to, fresh file sizes and CRCs). */
export function writeSigned(dir: string, doc: Record<string, any>, { refreshFiles = true } = {}): void {
  for (const key of refreshFiles ? ['weights', 'optimizer'] : []) {
    const info = doc[key];
    if (info && typeof info === 'object' && typeof info.file === 'string') {
      try {
        const bytes = readFileSync(join(dir, info.file));
        info.bytes = bytes.length;
        info.crc32 = crc32(bytes);
      } catch {
        // a deliberately missing file stays missing
      }
    }
  }
  const draft = JSON.stringify({ ...doc, checksum: '00000000' }, null, 2) + '\n';
  const sum = crc32(new TextEncoder().encode(draft));
  writeFileSync(join(dir, 'model.json'), draft.replace('"checksum": "00000000"', `"checksum": "${sum}"`));
}

/** Re-sign after files were edited. */
export function resign(dir: string): void {
  const doc = readJson(dir);
  delete doc.checksum;
  writeSigned(dir, doc);
}
