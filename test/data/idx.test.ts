import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileBytes } from '../../src/data/fs.js';
import * as hb from '../../src/index.js';
import { idxBytes, tempDir, writeFiles } from './helpers.js';

const { parseIdx, loadIdx } = hb.datasets;

describe('parseIdx', () => {
  it('reads every element type, big-endian, with its dimensions', () => {
    const cases = [
      ['ubyte', [0, 1, 127, 255], Uint8Array],
      ['byte', [-128, -1, 0, 127], Int8Array],
      ['short', [-32768, -2, 258, 32767], Int16Array],
      ['int', [-2147483648, -70000, 65537, 2147483647], Int32Array],
      ['float', [-1.5, 0, 3.25, 2 ** 100], Float32Array],
      ['double', [-1.5, Math.PI, 1e-300, 1e300], Float64Array],
    ] as const;
    for (const [type, values, Array] of cases) {
      const idx = parseIdx(idxBytes(type, [2, 2], [...values]));
      expect(idx.type).toBe(type);
      expect(idx.shape).toEqual([2, 2]);
      expect(idx.values).toBeInstanceOf(Array);
      expect([...idx.values]).toEqual([...values]);
    }
  });

  it('reads 1-d and 3-d arrays and respects a byteOffset into a larger buffer', () => {
    expect(parseIdx(idxBytes('ubyte', [3], [7, 8, 9])).shape).toEqual([3]);
    const file = idxBytes('short', [2, 1, 3], [1, 2, 3, 4, 5, 6]);
    const padded = new Uint8Array(file.length + 10);
    padded.set(file, 3);
    const idx = parseIdx(padded.subarray(3, 3 + file.length));
    expect(idx.shape).toEqual([2, 1, 3]);
    expect([...idx.values]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['empty input', new Uint8Array(0), /truncated: 0 bytes/],
    ['a truncated magic number', Uint8Array.of(0, 0, 8), /truncated: 3 bytes/],
    ['a wrong magic number', Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 1, 5), /bad magic number 0x01 0x00 0x08 0x01/],
    ['an unknown type code', Uint8Array.of(0, 0, 0x0a, 1, 0, 0, 0, 1, 5), /unknown type code 0x0a/],
    ['zero dimensions', Uint8Array.of(0, 0, 8, 0), /0 dimensions/],
    ['a truncated header', Uint8Array.of(0, 0, 8, 2, 0, 0, 0, 1, 0, 0), /truncated header: 2 dimensions need 12 bytes, got 10/],
    ['a dimension of size 0', idxBytes('ubyte', [2, 0], []), /dimension 1 is 0/],
    ['huge dimensions', idxBytes('double', [0xffffffff, 0xffffffff, 0xffffffff], []), /truncated/],
    ['missing values', idxBytes('int', [2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 30), /needs 36 \(truncated, 6 bytes missing\)/],
    ['trailing bytes', Uint8Array.of(...idxBytes('ubyte', [2], [1, 2]), 9), /1 trailing bytes/],
    ['gzip data', gzipSync(idxBytes('ubyte', [1], [1])), /gzip-compressed/],
  ];
  for (const [what, bytes, message] of bad) {
    it(`throws FormatError on ${what}`, () => {
      expect(() => parseIdx(bytes, 'f.idx')).toThrow(hb.FormatError);
      expect(() => parseIdx(bytes, 'f.idx')).toThrow(message);
    });
  }

  it('throws FormatError on anything but a Uint8Array', () => {
    expect(() => parseIdx('abc' as unknown as Uint8Array)).toThrow(hb.FormatError);
  });

  it('on arbitrary bytes returns a consistent array or throws FormatError, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (raw, magic) => {
      const bytes = magic && raw.length >= 2 ? Uint8Array.of(0, 0, ...raw.subarray(2)) : raw;
      try {
        const idx = parseIdx(bytes);
        expect(idx.values.length).toBe(idx.shape.reduce((a, b) => a * b, 1));
      } catch (e) {
        expect(e).toBeInstanceOf(hb.FormatError);
      }
    }), { numRuns: 2000 });
  });

  it('on any single-byte corruption or truncation of a valid file, parses or throws FormatError', () => {
    const valid = idxBytes('short', [3, 2], [1, -2, 3, -4, 5, -6]);
    fc.assert(fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(valid.length), (at, value, cut) => {
      const bytes = valid.slice(0, cut);
      if (at < bytes.length) bytes[at] = value;
      try {
        parseIdx(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(hb.FormatError);
      }
    }), { numRuns: 2000 });
  });
});

describe('loadIdx', () => {
  const dir = tempDir();
  writeFiles(dir, {
    'a-idx2-int': idxBytes('int', [2, 3], [1, -2, 3, 4, 5, -600000]),
    'b-idx1-float': idxBytes('float', [3], [0.5, -1.25, 8]),
    'c-idx1-double.gz': gzipSync(idxBytes('double', [2], [Math.E, -0.1])),
    'd-idx3-ubyte': idxBytes('ubyte', [1, 2, 2], [0, 10, 200, 255]),
    'broken.gz': Uint8Array.of(0x1f, 0x8b, 1, 2, 3),
  });

  it('reads files into tensors of the matching dtype', async () => {
    const a = await loadIdx(join(dir, 'a-idx2-int'));
    expect([a.dtype, a.shape]).toEqual(['int32', [2, 3]]);
    expect(a.toArray()).toEqual([[1, -2, 3], [4, 5, -600000]]);
    const b = await loadIdx(join(dir, 'b-idx1-float'));
    expect([b.dtype, b.toArray()]).toEqual(['float32', [0.5, -1.25, 8]]);
    const d = await loadIdx(join(dir, 'd-idx3-ubyte'));
    expect([d.dtype, d.toArray()]).toEqual(['int32', [[[0, 10], [200, 255]]]]);
  });

  it('decompresses gzip files', async () => {
    const c = await loadIdx(join(dir, 'c-idx1-double.gz'));
    expect([c.dtype, c.toArray()]).toEqual(['float64', [Math.E, -0.1]]);
  });

  it('reads bytes and ArrayBuffers as well as paths', async () => {
    const bytes = idxBytes('byte', [2], [-3, 4]);
    expect((await loadIdx(bytes)).toArray()).toEqual([-3, 4]);
    expect((await loadIdx(bytes.slice().buffer)).toArray()).toEqual([-3, 4]);
  });

  it('throws FormatError on broken gzip data and ValueError on a missing file or bad argument', async () => {
    await expect(loadIdx(join(dir, 'broken.gz'))).rejects.toThrow(hb.FormatError);
    await expect(loadIdx(join(dir, 'missing'))).rejects.toThrow(hb.ValueError);
    await expect(loadIdx(join(dir, 'missing'))).rejects.toThrow(/loadIdx: cannot read .*missing/);
    await expect(loadIdx(42 as unknown as string)).rejects.toThrow(hb.ValueError);
  });
});

describe('browser safety', () => {
  it('no file in src/data imports a Node module statically', () => {
    const folder = join(import.meta.dirname, '../../src/data');
    for (const file of readdirSync(folder)) {
      const text = readFileSync(join(folder, file), 'utf8');
      expect(text, file).not.toMatch(/^\s*import\s[^;]*from\s+'(node:)?(fs|path|module|os|zlib)(\/\w+)?'/m);
    }
  });

  it('file functions throw ValueError when process.getBuiltinModule is missing (as in a browser)', async () => {
    const saved = process.getBuiltinModule;
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    try {
      await expect(readFileBytes('loadIdx', '/x')).rejects.toThrow(/loadIdx: reading files needs Node\.js/);
      await expect(hb.datasets.mnist()).rejects.toThrow(/in a browser pass \{ load/);
      await expect(hb.datasets.mnist()).rejects.toThrow(hb.ValueError);
    } finally {
      process.getBuiltinModule = saved;
    }
  });
});
