// The malformed-file corpus (issue 9), with test/io/fuzz.test.ts (260 damaged model directories):
// 600 safetensors files and 400 IDX files, generated from a seed, each malformed by construction
// (truncated data, header lengths and dimensions claiming up to ~10^19 bytes, offsets out of
// order or out of range, unknown dtypes, bad JSON, bad magic numbers…). Every one must give a
// FormatError, within a time bound, and memory must stay bounded: a header that claims 10^12
// bytes must not get them allocated. A failure prints the case number and what was done.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { idxBytes } from '../data/helpers.js';
import { generator, type Rand } from '../util/seeded.js';

const SEED = Number(process.env.HEBB_CORPUS_SEED ?? 9);
const TIME_BOUND_MS = 1000;
/** Growth of ArrayBuffer memory allowed over the whole corpus (a 10^12-byte claim honoured would blow it). */
const MEMORY_BOUND = 64 * 2 ** 20;


const HUGE = [2 ** 32, 2 ** 40, 1e12, 2 ** 53 - 1, 1e15, 2 ** 31, 2 ** 33 + 7];

// ---- safetensors ----

/** A valid file: 1–3 tensors of random dtype and shape. */
function validSafetensors(r: Rand): Uint8Array {
  const dtypes = ['float32', 'float64', 'int32'] as const;
  const entries: [string, hb.Tensor][] = Array.from({ length: 1 + r.int(3) }, (_, i) => {
    const shape = Array.from({ length: 1 + r.int(3) }, () => 1 + r.int(4));
    return [`t${i}`, hb.randomUniform(shape, { seed: r.int(1000) }).cast(r.pick(dtypes))];
  });
  return encodeSafetensors(entries);
}

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return { length, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) };
}

/** Rebuild a file from an edited header and the original data section. */
function withHeader(bytes: Uint8Array, json: unknown, dataLength?: number): Uint8Array {
  const { length } = headerOf(bytes);
  const data = bytes.subarray(8 + length, dataLength === undefined ? undefined : 8 + length + dataLength);
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

type Mutation = (bytes: Uint8Array, r: Rand) => [Uint8Array, string];
const tensorKey = (json: Record<string, unknown>, r: Rand): string => r.pick(Object.keys(json).filter((k) => k !== '__metadata__'));

const SAFETENSORS_MUTATIONS: Mutation[] = [
  (b, r) => {
    const { length } = headerOf(b);
    const cut = 8 + length + r.int(b.length - 8 - length); // inside the data section
    return [b.subarray(0, cut), `truncate the data: ${cut} of ${b.length} bytes`];
  },
  (b, r) => {
    const cut = r.int(8 + headerOf(b).length);
    return [b.subarray(0, cut), `truncate inside the header: ${cut} bytes`];
  },
  (b, r) => {
    const out = b.slice();
    const v = r.pick(HUGE);
    new DataView(out.buffer).setUint32(0, v % 2 ** 32, true);
    new DataView(out.buffer).setUint32(4, Math.floor(v / 2 ** 32), true);
    return [out, `header length claims ${v}`];
  },
  (b, r) => {
    const out = b.slice();
    const v = b.length + 1 + r.int(1000);
    new DataView(out.buffer).setUint32(0, v, true);
    return [out, `header length ${v} past the end`];
  },
  (b, r) => {
    const { json } = headerOf(b);
    const k = tensorKey(json, r);
    const size = json[k].shape.reduce((a, d) => a * d, 1);
    const dims = r.pick([[r.pick(HUGE)], [1e6, 1e6], [2 ** 31, 2 ** 31, 4], [-1], [1.5], ['2'], size === 1 ? [2] : []]);
    json[k].shape = dims as number[];
    return [withHeader(b, json), `shape of ${k} set to ${JSON.stringify(dims)}`];
  },
  (b, r) => {
    const { json } = headerOf(b);
    const k = tensorKey(json, r);
    const [s, e] = json[k].data_offsets;
    const offsets = r.pick([[e, s], [s, e + 4], [s, r.pick(HUGE)], [-4, e], [s + 1, e], [0, 2 ** 60], [s, 'x']]);
    json[k].data_offsets = offsets as [number, number];
    if (offsets[0] === e && offsets[1] === s && s === e) json[k].data_offsets = [s, e + 1];
    return [withHeader(b, json), `data_offsets of ${k} set to ${JSON.stringify(json[k].data_offsets)}`];
  },
  (b, r) => {
    const { json } = headerOf(b);
    const k = tensorKey(json, r);
    json[k].dtype = r.pick(['F13', 'float32', '', 'U64X', 'complex']);
    return [withHeader(b, json), `dtype of ${k} set to ${json[k].dtype}`];
  },
  (b, r) => {
    const { json } = headerOf(b);
    const k = tensorKey(json, r);
    const field = r.pick(['dtype', 'shape', 'data_offsets'] as const);
    delete (json[k] as Partial<(typeof json)[string]>)[field];
    return [withHeader(b, json), `field ${field} of ${k} removed`];
  },
  (b, r) => {
    const { length } = headerOf(b);
    const out = b.slice();
    const at = 8 + r.int(length);
    out[at] = r.pick([0x7b, 0x7d, 0x22, 0xff, 0x00, 0x5b]); // { } " invalid-utf8 NUL [
    // Malformed by construction: a byte inside a name can leave valid JSON; then cut the header's last byte.
    let stillJson = true;
    try {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(out.subarray(8, 8 + length)));
    } catch {
      stillJson = false;
    }
    if (stillJson) {
      new DataView(out.buffer).setUint32(0, length - 1, true);
      return [out, `header length one byte short (${length - 1})`];
    }
    return [out, `header byte ${at} set to 0x${out[at].toString(16)}`];
  },
  (b, r) => {
    const { json } = headerOf(b);
    const k = tensorKey(json, r);
    const extra = 1 + r.int(64);
    const [s, e] = json[k].data_offsets;
    json[k].data_offsets = [s, e];
    json[k].shape = [...json[k].shape.slice(0, -1), json[k].shape[json[k].shape.length - 1] + extra];
    return [withHeader(b, json), `shape of ${k} grown by ${extra} in the last axis (offsets unchanged)`];
  },
];

// ---- IDX ----

const IDX_TYPES = ['ubyte', 'byte', 'short', 'int', 'float', 'double'] as const;
const WIDTH = { ubyte: 1, byte: 1, short: 2, int: 4, float: 4, double: 8 } as const;

function validIdx(r: Rand): { bytes: Uint8Array; type: (typeof IDX_TYPES)[number]; shape: number[] } {
  const type = r.pick(IDX_TYPES);
  const shape = Array.from({ length: 1 + r.int(3) }, () => 1 + r.int(5));
  const n = shape.reduce((a, b) => a * b, 1);
  return { bytes: idxBytes(type, shape, Array.from({ length: n }, (_, i) => i % 100)), type, shape };
}

type IdxMutation = (f: ReturnType<typeof validIdx>, r: Rand) => [Uint8Array, string];
const IDX_MUTATIONS: IdxMutation[] = [
  ({ bytes, shape }, r) => {
    const header = 4 + 4 * shape.length;
    const cut = header + r.int(bytes.length - header);
    return [bytes.subarray(0, cut), `data truncated to ${cut} of ${bytes.length} bytes`];
  },
  ({ bytes }, r) => {
    const out = bytes.slice();
    out[r.int(2)] = 1 + r.int(255);
    return [out, `magic byte set to ${out[0]},${out[1]}`];
  },
  ({ bytes }, r) => {
    const out = bytes.slice();
    out[2] = r.pick([0, 1, 7, 0x0a, 0x0f, 0x10, 0xff]);
    return [out, `type code 0x${out[2].toString(16)}`];
  },
  ({ bytes, shape }, r) => {
    const out = bytes.slice();
    const axis = r.int(shape.length);
    const v = r.pick([0xffffffff, 1e9, 2 ** 31, 123456789, 0]);
    new DataView(out.buffer).setUint32(4 + 4 * axis, v, false);
    return [out, `dimension ${axis} claims ${v}`];
  },
  ({ bytes, shape }, r) => {
    const out = bytes.slice();
    out[3] = r.pick([0, shape.length + 1 + r.int(10), 255]);
    return [out, `rank byte set to ${out[3]}`];
  },
  ({ bytes }, r) => {
    const extra = 1 + r.int(9);
    const out = new Uint8Array(bytes.length + extra);
    out.set(bytes);
    return [out, `${extra} trailing bytes`];
  },
  ({ bytes }, r) => {
    const cut = r.int(4);
    return [bytes.subarray(0, cut), `cut to ${cut} bytes`];
  },
  ({ bytes, type, shape }, r) => {
    // A header of 3 huge dimensions: the product is ~10^28 bytes.
    const out = idxBytes(type, [0xfffffff0, 0xfffffff0, 0xfffffff0], []);
    return [r.next() < 0.5 ? out : new Uint8Array([...out, ...bytes.subarray(4 + 4 * shape.length)]), `3 dimensions of 4,294,967,280 (${WIDTH[type]}-byte ${type})`];
  },
];

function runCorpus(name: string, count: number, make: (r: Rand) => [Uint8Array, string], parse: (bytes: Uint8Array) => unknown): void {
  const r = generator(SEED);
  const failures: string[] = [];
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  for (let i = 0; i < count; i++) {
    const [bytes, what] = make(r);
    const t0 = performance.now();
    let outcome: unknown = 'parsed';
    try {
      hb.tidy(() => parse(bytes));
    } catch (e) {
      outcome = e;
    }
    const ms = performance.now() - t0;
    if (!(outcome instanceof hb.FormatError)) failures.push(`${name} case ${i} (seed ${SEED}): ${what} → ${outcome instanceof Error ? `${outcome.constructor.name}: ${outcome.message}` : 'parsed without error'}`);
    if (ms > TIME_BOUND_MS) failures.push(`${name} case ${i} (seed ${SEED}): ${what} took ${ms.toFixed(0)} ms`);
    if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  console.log(`${name}: ${count} malformed files, ${count - failures.length} FormatErrors; ArrayBuffer peak +${((peak - before) / 2 ** 20).toFixed(1)} MiB`);
  expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
  expect(peak - before).toBeLessThan(MEMORY_BOUND);
}

describe('malformed-file corpus: FormatError every time, in bounded time and memory', () => {
  it('600 malformed safetensors files', () => {
    runCorpus('safetensors', 600, (r) => {
      const valid = validSafetensors(r);
      return r.pick(SAFETENSORS_MUTATIONS)(valid, r);
    }, (bytes) => decodeSafetensors(bytes, 'case.safetensors'));
  });

  it('400 malformed IDX files', () => {
    runCorpus('IDX', 400, (r) => r.pick(IDX_MUTATIONS)(validIdx(r), r), (bytes) => hb.datasets.parseIdx(bytes, 'case.idx'));
  });
});
