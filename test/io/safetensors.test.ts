// The safetensors writer and reader: the byte layout written against the public spec, files
// built by hand read back, and every malformed header rejected with a FormatError that says why.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { crc32Hex, decodeSafetensors, encodeSafetensors, getFileSystem, loadSafetensors, saveSafetensors } from '../../src/io/index.js';

/** A file from a header object and raw data bytes, exactly as the spec lays it out (no padding). */
function build(header: unknown, data: Uint8Array | number[] = [], headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32 = (...xs: number[]): Uint8Array => new Uint8Array(new Float32Array(xs).buffer);

describe('safetensors writer', () => {
  it('writes the spec layout: u64 LE header length, padded JSON header, LE data in order', () => {
    const bytes = encodeSafetensors({ a: hb.tensor([1, 2]), b: hb.tensor([[7]], undefined, 'int32') }, { format: 'pt' });
    const view = new DataView(bytes.buffer);
    const n = view.getUint32(0, true);
    expect(view.getUint32(4, true)).toBe(0);
    expect((8 + n) % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd().length).toBeLessThanOrEqual(n);
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    const header = JSON.parse(text);
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'I32', shape: [1, 1], data_offsets: [8, 12] },
    });
    const data = bytes.subarray(8 + n);
    expect(data.length).toBe(12);
    const dv = new DataView(data.buffer, data.byteOffset);
    expect([dv.getFloat32(0, true), dv.getFloat32(4, true), dv.getInt32(8, true)]).toEqual([1, 2, 7]);
  });

  it('round-trips every dtype, scalars and empty tensors', () => {
    const src = {
      f32: hb.tensor([[1.5, -2], [3, 4]]),
      f64: hb.tensor([Math.PI, -1e300], [2], 'float64'),
      i32: hb.tensor([-5, 2147483647], [2], 'int32'),
      bool: hb.tensor([true, false, true]),
      scalar: hb.scalar(42),
      empty: hb.zeros([0, 3]),
    };
    const back = decodeSafetensors(encodeSafetensors(src));
    for (const [name, t] of Object.entries(src)) {
      const s = back.tensors.get(name)!;
      expect(s.dtype, name).toBe(t.dtype);
      expect(s.shape, name).toEqual([...t.shape]);
      expect(Array.from(s.data), name).toEqual(Array.from(t.dataSync()));
    }
  });
});

describe('safetensors reader', () => {
  it('reads a file built by hand, tensors in any header order', () => {
    const file = build(
      { y: { dtype: 'I32', shape: [], data_offsets: [8, 12] }, x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, __metadata__: { k: 'v' } },
      [...f32(0.5, -1), 3, 0, 0, 0],
    );
    const { tensors, metadata } = decodeSafetensors(file);
    expect(metadata).toEqual({ k: 'v' });
    expect(Array.from(tensors.get('x')!.data)).toEqual([0.5, -1]);
    expect(tensors.get('y')).toEqual({ dtype: 'int32', shape: [], data: new Int32Array([3]) });
  });

  const x = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const bad: [string, Uint8Array, RegExp][] = [
    ['empty file', new Uint8Array(0), /too short/],
    ['7 bytes', new Uint8Array(7), /too short/],
    ['header length past the end', (() => { const b = build({ x }, f32(1, 2)); new DataView(b.buffer).setUint32(0, 1000, true); return b; })(), /runs past the end/],
    ['absurd 64-bit header length', (() => { const b = build({ x }, f32(1, 2)); new DataView(b.buffer).setUint32(4, 0xffffffff, true); return b; })(), /exceeds the 100 MB limit/],
    ['header not UTF-8', build(null, f32(1, 2), undefined).map((v, i) => (i === 8 ? 0xff : v)), /UTF-8|start with/],
    ['not JSON', build(null, [], '{"x": '), /not valid JSON/],
    ['JSON array', build(null, [], '[1,2]'), /start with '\{'|JSON object/],
    ['entry not an object', build({ x: 3 }), /entry must be an object/],
    ['unknown dtype', build({ x: { ...x, dtype: 'F16' } }, f32(1, 2)), /unsupported dtype "F16"/],
    ['negative shape', build({ x: { ...x, shape: [-2] } }, f32(1, 2)), /non-negative integers/],
    ['fractional shape', build({ x: { ...x, shape: [1.5] } }, f32(1, 2)), /non-negative integers/],
    ['shape disagrees with offsets', build({ x: { ...x, shape: [3] } }, f32(1, 2)), /needs 12 bytes/],
    ['huge shape', build({ x: { ...x, shape: [1e9, 1e9, 1e9] } }, f32(1, 2)), /needs more than the file bytes|needs/],
    ['offsets past the data', build({ x: { ...x, data_offsets: [0, 16] } }, f32(1, 2)), /run past the data section/],
    ['reversed offsets', build({ x: { ...x, data_offsets: [8, 0] } }, f32(1, 2)), /reversed/],
    ['one offset', build({ x: { ...x, data_offsets: [0] } }, f32(1, 2)), /two non-negative integers/],
    ['overlap', build({ x, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(1, 2)), /overlap/],
    ['gap at the start', build({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(1, 2)), /gap/],
    ['gap at the end', build({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(1, 2)), /gap/],
    ['metadata not strings', build({ x, __metadata__: { a: 1 } }, f32(1, 2)), /__metadata__ 'a' must be a string/],
    ['extra field', build({ x: { ...x, extra: 1 } }, f32(1, 2)), /unexpected field/],
    ['bool byte 2', build({ b: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, [1, 2]), /must be 0 or 1/],
  ];
  for (const [what, bytes, message] of bad) {
    it(`rejects: ${what}`, () => {
      expect(() => decodeSafetensors(bytes, 'f.safetensors')).toThrow(hb.FormatError);
      expect(() => decodeSafetensors(bytes, 'f.safetensors')).toThrow(message);
    });
  }

  it('names the file in the message', () => {
    expect(() => decodeSafetensors(new Uint8Array(3), 'dir/weights.safetensors')).toThrow(/^dir\/weights\.safetensors: /);
  });
});

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32Hex('123456789')).toBe('cbf43926'); // the CRC-32/ISO-HDLC check value
    expect(crc32Hex('')).toBe('00000000');
    expect(crc32Hex(new Uint8Array([0]))).toBe('d202ef8d');
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hebb-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('saveSafetensors / loadSafetensors', async () => {
    const path = join(dir, 'a.safetensors');
    await saveSafetensors(path, { w: hb.tensor([1, 2, 3]) }, { note: 'x' });
    const { tensors, metadata } = await loadSafetensors(path);
    expect(tensors.w.toArray()).toEqual([1, 2, 3]);
    expect(metadata).toEqual({ note: 'x' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing file is a FormatError', async () => {
    await expect(loadSafetensors(join(dir, 'nope.safetensors'))).rejects.toThrow(/missing file/);
  });

  it('writeFileAtomic replaces the whole file and leaves no temp files', async () => {
    const fs = getFileSystem('test');
    const path = join(dir, 'atomic.bin');
    writeFileSync(path, 'old contents that are longer');
    await fs.writeFileAtomic(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writeFilesAtomic creates the folder and writes every file', async () => {
    const fs = getFileSystem('test');
    const sub = join(dir, 'nested', 'model');
    await fs.writeFilesAtomic(sub, [{ name: 'a.bin', bytes: new Uint8Array([1]) }, { name: 'model.json', bytes: new TextEncoder().encode('{}') }]);
    expect(readdirSync(sub).sort()).toEqual(['a.bin', 'model.json']);
  });
});
