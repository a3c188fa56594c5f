// The safetensors format (https://github.com/huggingface/safetensors), readable by other tools:
//   [8 bytes]  N, the header length, unsigned 64-bit little-endian
//   [N bytes]  UTF-8 JSON object: { "<name>": { "dtype": "F32", "shape": [2, 3],
//              "data_offsets": [begin, end] }, …, "__metadata__": { string: string } },
//              padded with spaces so that the data section starts 8-byte aligned
//   [rest]     the tensors' raw little-endian bytes; offsets are relative to the data section,
//              which they must cover exactly (no overlaps, no gaps).
// The reader trusts nothing: every rule is checked and any violation throws FormatError saying
// what is wrong. It never allocates more than the file's own size, so an absurd header length
// or shape cannot exhaust memory.
import { allocArray, bytesPerElement, type DType, FormatError, fmtShape, type TypedArray } from '../base/index.js';
import { tensor, type Tensor } from '../tensor/index.js';

/** The safetensors dtype names for hebb's dtypes. */
const DTYPE_CODES: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const CODE_DTYPES = new Map<string, DType>(Object.entries(DTYPE_CODES).map(([d, c]) => [c, d as DType]));

/** The spec's cap on the header (100 MB); larger claims are rejected before anything is read. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One tensor as stored: dtype, shape and its values (a fresh, aligned array). */
export interface StoredTensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export interface SafetensorsContent {
  /** Tensors in file (data-offset) order. */
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
}

/** Anything with dtype, shape and values: a Tensor, or a StoredTensor. */
export type TensorSource = Tensor | StoredTensor;

function valuesOf(t: TensorSource): { dtype: DType; shape: readonly number[]; data: TypedArray } {
  return 'storage' in t ? { dtype: t.dtype, shape: t.shape, data: t.dataSync() } : t;
}

/** The bytes of `data` in little-endian order. */
function littleEndianBytes(data: TypedArray, dtype: DType): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST || dtype === 'bool') return bytes;
  const out = new Uint8Array(bytes.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * 4, data[i], true);
    else if (dtype === 'float64') view.setFloat64(i * 8, data[i], true);
    else view.setInt32(i * 4, data[i], true);
  }
  return out;
}

/**
 * Encode named tensors (in the given order) and optional string metadata as a safetensors file.
 */
export function encodeSafetensors(tensors: Iterable<[string, TensorSource]> | Record<string, TensorSource>, metadata: Record<string, string> = {}): Uint8Array {
  const entries = Symbol.iterator in tensors ? [...(tensors as Iterable<[string, TensorSource]>)] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new FormatError(`encodeSafetensors: metadata '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new FormatError("encodeSafetensors: '__metadata__' is reserved and cannot name a tensor");
    if (name in header) throw new FormatError(`encodeSafetensors: duplicate tensor name '${name}'`);
    const { dtype, shape, data } = valuesOf(t);
    const bytes = littleEndianBytes(data, dtype);
    header[name] = { dtype: DTYPE_CODES[dtype], shape: [...shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so that 8 + N is a multiple of 8 (the data section starts aligned).
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, Math.floor(json.length / 2 ** 32), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Product of `shape` × `itemsize`, or Infinity once it passes `limit` (no overflow games). */
function byteSize(shape: number[], itemsize: number, limit: number): number {
  let n = itemsize;
  for (const d of shape) {
    n *= d;
    if (n > limit) return Infinity;
  }
  return n;
}

/** Read `data` (little-endian) as a fresh array of `dtype`. */
function readValues(bytes: Uint8Array, dtype: DType, count: number): TypedArray {
  const out = allocArray(dtype, count);
  if (LITTLE_ENDIAN_HOST || dtype === 'bool') {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) {
    if (dtype === 'float32') out[i] = view.getFloat32(i * 4, true);
    else if (dtype === 'float64') out[i] = view.getFloat64(i * 8, true);
    else out[i] = view.getInt32(i * 4, true);
  }
  return out;
}

/**
 * Parse and validate a safetensors file. `source` (a path) names the file in error messages.
 * Throws FormatError on any violation of the format.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors'): SafetensorsContent {
  const fail = (what: string): never => {
    throw new FormatError(`${source}: ${what}`);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected the file bytes as a Uint8Array');
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const headerLength = hi * 2 ** 32 + lo;
  if (hi !== 0 || headerLength > MAX_HEADER_BYTES) fail(`header length ${hi === 0 ? headerLength : `${hi}·2^32 + ${lo}`} exceeds the 100 MB limit`);
  if (headerLength > bytes.length - 8) fail(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  if (headerLength < 2) fail(`header length ${headerLength} is too small for a JSON object`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(`header must start with '{', got ${JSON.stringify(text.slice(0, 20))}`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(header)) return fail('header must be a JSON object');

  const metadata: Record<string, string> = {};
  if ('__metadata__' in header) {
    const m = header.__metadata__;
    if (!isPlainObject(m)) fail('__metadata__ must be an object of strings');
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`__metadata__ '${k}' must be a string, got ${JSON.stringify(v)?.slice(0, 50)}`);
      metadata[k] = v as string;
    }
  }

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  interface Entry { name: string; dtype: DType; shape: number[]; begin: number; end: number }
  const entries: Entry[] = [];
  for (const [name, spec] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const where = `tensor '${name}'`;
    if (!isPlainObject(spec)) fail(`${where}: entry must be an object with dtype, shape and data_offsets`);
    const { dtype: code, shape, data_offsets: offsets } = spec as Record<string, unknown>;
    const extra = Object.keys(spec as object).filter((k) => k !== 'dtype' && k !== 'shape' && k !== 'data_offsets');
    if (extra.length > 0) fail(`${where}: unexpected field(s) ${extra.join(', ')}`);
    if (typeof code !== 'string') fail(`${where}: dtype must be a string, got ${JSON.stringify(code)}`);
    const dtype = CODE_DTYPES.get(code as string);
    if (dtype === undefined) fail(`${where}: unsupported dtype ${JSON.stringify(code)}; expected one of ${[...CODE_DTYPES.keys()].join(', ')}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)?.slice(0, 80)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`${where}: data_offsets must be two non-negative integers, got ${JSON.stringify(offsets)?.slice(0, 80)}`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end) fail(`${where}: data_offsets [${begin}, ${end}] are reversed`);
    if (end > dataLength) fail(`${where}: data_offsets [${begin}, ${end}] run past the data section (${dataLength} bytes)`);
    const itemsize = bytesPerElement(dtype as DType);
    const expected = byteSize(shape as number[], itemsize, Number.MAX_SAFE_INTEGER);
    if (expected !== end - begin) {
      fail(`${where}: shape ${fmtShape(shape as number[])} ${code} needs ${Number.isFinite(expected) ? expected : 'more than the file'} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as DType, shape: shape as number[], begin, end });
  }

  // The data section must be covered exactly: sorted by offset, each tensor starts where the
  // previous one ended, the first at 0 and the last at the end.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin < cursor) fail(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap the previous tensor (which ends at ${cursor})`);
    if (e.begin > cursor) fail(`gap in the data section: bytes [${cursor}, ${e.begin}) belong to no tensor`);
    cursor = e.end;
  }
  if (cursor !== dataLength) fail(`gap in the data section: bytes [${cursor}, ${dataLength}) at the end belong to no tensor`);

  const tensors = new Map<string, StoredTensor>();
  for (const e of sorted) {
    const raw = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    if (e.dtype === 'bool') {
      const bad = raw.findIndex((b) => b > 1);
      if (bad !== -1) fail(`tensor '${e.name}': BOOL element ${bad} has byte value ${raw[bad]} (must be 0 or 1)`);
    }
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: readValues(raw, e.dtype, (e.end - e.begin) / bytesPerElement(e.dtype)) });
  }
  return { tensors, metadata };
}

/** A Tensor from a stored one. */
export function storedToTensor(t: StoredTensor): Tensor {
  return tensor(t.data, t.shape, t.dtype);
}
