// The importer's value model: an ONNX value is either a View of a hebb symbolic tensor (reshape
// then transpose, see import.ts) or a Const folded at import time, plus the small permutation
// helpers every converter uses. It is its own module so that the Importer core and the per-op
// converter modules share one definition without importing each other.
import { type SymbolicTensor } from '../../nn/index.js';

/** A view of hebb tensor `sym`: ONNX value = transpose(reshape(sym, pre), perm); pre[0] is the batch axis (null). */
export interface View {
  kind: 'tensor';
  sym: SymbolicTensor;
  pre: (number | null)[];
  perm: number[];
}

/** A value folded at import time: a constant, or a shape vector (NaN for the unknown batch size). */
export interface Const {
  kind: 'const';
  dims: number[];
  values: Float32Array | Int32Array | Float64Array;
  isInt: boolean;
  /** ConstantOfShape output: an all-`fill` tensor whose shape may be unknown. */
  fill?: number;
}

export type Value = View | Const;

export const identity = (r: number): number[] => Array.from({ length: r }, (_, i) => i);
export const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
export const invert = (p: readonly number[]): number[] => {
  const q = new Array<number>(p.length);
  p.forEach((v, i) => (q[v] = i));
  return q;
};
// The channels-last → channels-first permutation and the element count are the exporter's too.
export { prod, toCfPerm as cfPerm } from './export-values.js';
