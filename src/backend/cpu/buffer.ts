// What a reference kernel sees: plain arrays with their shapes.
import type { DType, TypedArray } from '../../base/index.js';

export interface Buf {
  data: TypedArray;
  shape: readonly number[];
  dtype: DType;
}
