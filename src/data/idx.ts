// The IDX format (LeCun's MNIST files): a 4-byte magic [0, 0, type code, ndims], ndims
// big-endian uint32 dimensions, then the values row-major and big-endian. Pure functions over
// bytes, so this file also runs in a browser; reading files lives in fs.ts.
import { FormatError, fmtShape, sizeOf } from '../base/index.js';
import { makeTensor, type Tensor } from '../tensor/index.js';

/** The element types an IDX file can hold. */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';
/** The typed array an IDX file's values are read into, by {@link IdxType}. */
export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its element type, its dimensions and its values in row-major order. */
export interface IdxArray {
  readonly type: IdxType;
  readonly shape: readonly number[];
  readonly values: IdxValues;
}

const TYPE_CODES: Readonly<Record<number, { type: IdxType; bytes: number }>> = {
  0x08: { type: 'ubyte', bytes: 1 },
  0x09: { type: 'byte', bytes: 1 },
  0x0b: { type: 'short', bytes: 2 },
  0x0c: { type: 'int', bytes: 4 },
  0x0d: { type: 'float', bytes: 4 },
  0x0e: { type: 'double', bytes: 8 },
};

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** True for the two magic bytes of a gzip stream (the form in which MNIST is usually distributed). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parse IDX bytes. Everything is validated before any value is read, so malformed input
 * (truncated, wrong magic, unknown type, zero dimensions, a length that does not match the
 * dimensions exactly) throws FormatError instead of crashing or allocating a huge array.
 * ubyte values are a view into `bytes` (no copy); wider types are decoded from big-endian.
 * `name` (a file name) only makes error messages clearer.
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  const fail = (what: string): never => {
    throw new FormatError(`parseIdx: ${name}: ${what}`);
  };
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (isGzip(bytes)) fail('is gzip-compressed; decompress it first (loadIdx does this)');
  if (bytes.length < 4) fail(`truncated: ${bytes.length} bytes, but the magic number alone takes 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`bad magic number ${[...bytes.subarray(0, 4)].map(hex).join(' ')}: the first two bytes must be 0x00 0x00`);
  }
  const code = TYPE_CODES[bytes[2]] ?? fail(`unknown type code ${hex(bytes[2])}; expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e`);
  const ndims = bytes[3];
  if (ndims === 0) fail('has 0 dimensions; an IDX array needs at least one');
  const header = 4 + 4 * ndims;
  if (bytes.length < header) fail(`truncated header: ${ndims} dimensions need ${header} bytes, got ${bytes.length}`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  if (shape.includes(0)) fail(`dimension ${shape.indexOf(0)} is 0 in ${fmtShape(shape)}; every dimension must be at least 1`);
  // The product may exceed 2^53 for corrupt dimensions; it is then far above any real length.
  const count = sizeOf(shape);
  const expected = header + count * code.bytes;
  if (bytes.length !== expected) {
    const diff = bytes.length < expected ? `truncated, ${expected - bytes.length} bytes missing` : `${bytes.length - expected} trailing bytes`;
    fail(`length ${bytes.length} bytes does not match ${code.type} ${fmtShape(shape)}, which needs ${expected} (${diff})`);
  }
  return { type: code.type, shape, values: decodeValues(code.type, view, header, count) };
}

/** The multi-byte IDX types: their array and the big-endian DataView reader of one element. */
const WIDE_TYPES = {
  short: { TypedArray: Int16Array, read: (v: DataView, at: number) => v.getInt16(at, false) },
  int: { TypedArray: Int32Array, read: (v: DataView, at: number) => v.getInt32(at, false) },
  float: { TypedArray: Float32Array, read: (v: DataView, at: number) => v.getFloat32(at, false) },
  double: { TypedArray: Float64Array, read: (v: DataView, at: number) => v.getFloat64(at, false) },
};

function decodeValues(type: IdxType, view: DataView, offset: number, count: number): IdxValues {
  if (type === 'ubyte') return new Uint8Array(view.buffer, view.byteOffset + offset, count);
  if (type === 'byte') return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
  const { TypedArray, read } = WIDE_TYPES[type];
  const out = new TypedArray(count);
  for (let i = 0; i < count; i++) out[i] = read(view, offset + i * out.BYTES_PER_ELEMENT);
  return out;
}

/** An IDX array as a tensor: integer types become int32, float float32, double float64. */
export function idxToTensor(idx: IdxArray): Tensor {
  switch (idx.type) {
    case 'ubyte': case 'byte': case 'short': case 'int':
      return makeTensor(Int32Array.from(idx.values), idx.shape, 'int32');
    case 'float': return makeTensor(idx.values, idx.shape, 'float32');
    case 'double': return makeTensor(idx.values, idx.shape, 'float64');
    default: return idx.type satisfies never;
  }
}

/**
 * IDX bytes, gunzipped first if they are gzip-compressed (DecompressionStream exists in Node
 * 18+ and in browsers). Decompression errors become FormatError.
 */
export async function decodeIdx(bytes: Uint8Array, name = 'IDX data'): Promise<IdxArray> {
  if (!isGzip(bytes)) return parseIdx(bytes, name);
  const Stream = (globalThis as { DecompressionStream?: typeof DecompressionStream }).DecompressionStream;
  if (Stream === undefined) throw new FormatError(`decodeIdx: ${name} is gzip-compressed and this platform has no DecompressionStream; decompress it first`);
  let plain: Uint8Array;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new Stream('gzip'));
    plain = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new FormatError(`decodeIdx: ${name} is not valid gzip data: ${(e as Error).message}`);
  }
  return parseIdx(plain, name);
}
