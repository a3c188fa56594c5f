// The four dtypes and their storage. bool is stored as one byte per element (0 or 1).

/** The element types: float32 (the default), float64, int32 and bool. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** The typed arrays that hold tensor data (bool as Uint8Array). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export function isDType(d: unknown): d is DType {
  return typeof d === 'string' && (DTYPES as readonly string[]).includes(d);
}

export function isFloat(d: DType): boolean {
  return d === 'float32' || d === 'float64';
}

export function bytesPerElement(d: DType): number {
  switch (d) {
    case 'float32': return 4;
    case 'float64': return 8;
    case 'int32': return 4;
    case 'bool': return 1;
    default: return d satisfies never;
  }
}

/** A zeroed array of `size` elements for `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'float64': return new Float64Array(size);
    case 'int32': return new Int32Array(size);
    case 'bool': return new Uint8Array(size);
    default: return dtype satisfies never;
  }
}

/** The dtype whose storage class is that of `a` (Uint8Array means bool). */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Copy `src` into a new array of `dtype`, converting values (bool: nonzero → 1). */
export function convertArray(src: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocArray(dtype, src.length);
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else if (dtype === 'int32') for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
  else out.set(src);
  return out;
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** Type promotion as in NumPy/PyTorch: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
