// What a reference kernel sees: plain arrays with their shapes.
import type { DType, TypedArray } from '../../base/index.js';

export interface Buf {
  data: TypedArray;
  shape: readonly number[];
  dtype: DType;
}

/** How a value is stored in `b`: rounded to float32, or as it is (float64). */
export function rounder(b: Buf): (v: number) => number {
  return b.dtype === 'float32' ? Math.fround : (v: number): number => v;
}
