// Every op of the elementwise and reduce kernels, as records typed over the op unions: a new op
// not listed here fails to compile, so the parity suites of every backend must cover it.
import type { BinaryOp, ReduceOp, UnaryOp } from '../../src/backend/index.js';

/** The keys of a record that must name every member of O. */
export function everyOp<O extends string>(all: Record<O, unknown>): O[] {
  return Object.keys(all) as O[];
}

/** Whether each unary op's output is bool. */
export const UNARY_BOOL: Record<UnaryOp, boolean> = {
  neg: false, abs: false, sign: false, exp: false, log: false, sqrt: false, sigmoid: false, tanh: false, log1p: false,
  expm1: false, erf: false, sin: false, cos: false, floor: false, ceil: false, round: false, logicalNot: true, isNaN: true,
};
/** Whether each binary op's output is bool (comparisons and logic). */
export const BINARY_BOOL: Record<BinaryOp, boolean> = {
  add: false, sub: false, mul: false, div: false, pow: false, maximum: false, minimum: false, mod: false,
  equal: true, notEqual: true, greater: true, greaterEqual: true, less: true, lessEqual: true, logicalAnd: true, logicalOr: true,
};
/** Each reduction's output dtype: the input's, int32 (arg-reductions) or bool (any/all). */
export const REDUCE_OUT: Record<ReduceOp, 'same' | 'int32' | 'bool'> = {
  sum: 'same', max: 'same', min: 'same', argmax: 'int32', argmin: 'int32', any: 'bool', all: 'bool',
};
