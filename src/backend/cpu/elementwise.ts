// Elementwise kernels: unary maps, broadcasting binary maps, where, cast and broadcastTo.
import { broadcastStrides, sizeOf } from '../../base/index.js';
import type { BinaryOp, UnaryOp } from '../kernels.js';
import type { Buf } from './buffer.js';
import { erf, mod, roundHalfEven, sigmoid } from './math.js';

export const UNARY: { [K in UnaryOp]: (x: number) => number } = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sigmoid,
  tanh: Math.tanh,
  log1p: Math.log1p,
  expm1: Math.expm1,
  erf,
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  logicalNot: (x) => (x === 0 ? 1 : 0),
  isNaN: (x) => (Number.isNaN(x) ? 1 : 0),
};

export const BINARY: { [K in BinaryOp]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  mod,
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

export function unary([x]: Buf[], [y]: Buf[], { op }: { op: UnaryOp }): void {
  const f = UNARY[op];
  for (let i = 0; i < y.data.length; i++) y.data[i] = f(x.data[i]);
}

/**
 * For each element of an output of `outShape`, the offset of the element of an input of
 * `inShape` that broadcasts onto it.
 */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const strides = broadcastStrides(inShape, outShape);
  const rank = outShape.length;
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = offset;
    // Advance the multi-index like an odometer, updating the input offset incrementally.
    for (let ax = rank - 1; ax >= 0; ax--) {
      counter[ax]++;
      offset += strides[ax];
      if (counter[ax] < outShape[ax]) break;
      offset -= strides[ax] * outShape[ax];
      counter[ax] = 0;
    }
  }
  return idx;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function binary([a, b]: Buf[], [y]: Buf[], { op }: { op: BinaryOp }): void {
  const out = y.data;
  const f = op === 'mul' && y.dtype === 'int32' ? Math.imul : BINARY[op];
  const A = a.data;
  const B = b.data;
  if (sameShape(a.shape, y.shape) && sameShape(b.shape, y.shape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], B[i]);
  } else if (sameShape(a.shape, y.shape) && B.length === 1) {
    const s = B[0];
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], s);
  } else {
    const ia = broadcastIndex(a.shape, y.shape);
    const ib = broadcastIndex(b.shape, y.shape);
    for (let i = 0; i < out.length; i++) out[i] = f(A[ia[i]], B[ib[i]]);
  }
}

export function where([cond, a, b]: Buf[], [y]: Buf[]): void {
  const ic = broadcastIndex(cond.shape, y.shape);
  const ia = broadcastIndex(a.shape, y.shape);
  const ib = broadcastIndex(b.shape, y.shape);
  for (let i = 0; i < y.data.length; i++) y.data[i] = cond.data[ic[i]] !== 0 ? a.data[ia[i]] : b.data[ib[i]];
}

export function cast([x]: Buf[], [y]: Buf[]): void {
  if (y.dtype === 'bool') for (let i = 0; i < y.data.length; i++) y.data[i] = x.data[i] !== 0 ? 1 : 0;
  else if (y.dtype === 'int32') for (let i = 0; i < y.data.length; i++) y.data[i] = Math.trunc(x.data[i]);
  else y.data.set(x.data);
}

export function broadcastTo([x]: Buf[], [y]: Buf[]): void {
  const ix = broadcastIndex(x.shape, y.shape);
  for (let i = 0; i < y.data.length; i++) y.data[i] = x.data[ix[i]];
}
