// Drivers of the elementwise and reduction kernels (assembly/elementwise.ts, assembly/reduce.ts,
// and the strided copy of assembly/movement.ts for broadcastTo).
import { sizeOf } from '../../../base/index.js';
import type { BinaryOp, ReduceOp, UnaryOp } from '../../kernels.js';
import { collapseBroadcast } from '../../strided.js';
import { BinaryArg, BinaryCode, CastArg, ReduceArg, ReduceCode, StridedCopyArg, Task, UnaryArg, UnaryCode, WhereArg } from '../tasks.js';
import { allSameNative, chunking, elem, elemLog2, isNative, packArgs, PARALLEL_WORK, type WasmKernelRecord, worth } from './common.js';

/** The op codes assembly/elementwise.ts implements; an op missing here runs on cpu. */
const UNARY: Partial<Record<UnaryOp, UnaryCode>> = {
  neg: UnaryCode.Neg, abs: UnaryCode.Abs, sign: UnaryCode.Sign, exp: UnaryCode.Exp, log: UnaryCode.Log,
  sqrt: UnaryCode.Sqrt, sigmoid: UnaryCode.Sigmoid, tanh: UnaryCode.Tanh, log1p: UnaryCode.Log1p,
  expm1: UnaryCode.Expm1, erf: UnaryCode.Erf, sin: UnaryCode.Sin, cos: UnaryCode.Cos, floor: UnaryCode.Floor,
  ceil: UnaryCode.Ceil, round: UnaryCode.Round, logicalNot: UnaryCode.LogicalNot, isNaN: UnaryCode.IsNaN,
};

/** Ops that cost about one cycle per element (the rest call a transcendental function). */
const CHEAP_UNARY = new Set<UnaryOp>(['neg', 'abs', 'sign', 'sqrt', 'floor', 'ceil', 'round', 'logicalNot', 'isNaN']);
/** Work per element of an op that calls a transcendental function, in cheap-op units. */
const COSTLY = 20;

const BINARY: Partial<Record<BinaryOp, BinaryCode>> = {
  add: BinaryCode.Add, sub: BinaryCode.Sub, mul: BinaryCode.Mul, div: BinaryCode.Div, pow: BinaryCode.Pow,
  maximum: BinaryCode.Maximum, minimum: BinaryCode.Minimum, mod: BinaryCode.Mod, equal: BinaryCode.Equal,
  notEqual: BinaryCode.NotEqual, greater: BinaryCode.Greater, greaterEqual: BinaryCode.GreaterEqual,
  less: BinaryCode.Less, lessEqual: BinaryCode.LessEqual, logicalAnd: BinaryCode.LogicalAnd, logicalOr: BinaryCode.LogicalOr,
};

const REDUCE: Partial<Record<ReduceOp, ReduceCode>> = {
  sum: ReduceCode.Sum, max: ReduceCode.Max, min: ReduceCode.Min, argmax: ReduceCode.Argmax,
  argmin: ReduceCode.Argmin, any: ReduceCode.Any, all: ReduceCode.All,
};

/** The code of `op` in `codes` (supports() has checked that it is there). */
function code<O extends string>(codes: Partial<Record<O, number>>, op: O): number {
  const c = codes[op];
  if (c === undefined) throw new Error(`wasm backend: no code for op '${op}' (supports() should have said no)`);
  return c;
}

export const unary: WasmKernelRecord<'unary'> = {
  writesAll: true,
  supports: (dtypes, attrs) => dtypes.every(isNative) && (attrs === undefined || attrs.op in UNARY),
  run(b, [x], [y], { op }) {
    const n = sizeOf(y.shape);
    if (n === 0) return;
    const cost = CHEAP_UNARY.has(op) ? 1 : COSTLY;
    const { chunk, items } = chunking(b, n, Math.ceil(PARALLEL_WORK / cost));
    b.task(Task.Unary, packArgs(UnaryArg, {
      Op: code(UNARY, op), InType: elem(x.dtype), OutType: elem(y.dtype), X: b.addr(x), Y: b.addr(y), N: n, Chunk: chunk,
    }), items, worth(b, n * cost));
  },
};

export const binary: WasmKernelRecord<'binary'> = {
  writesAll: true,
  supports: (dtypes, attrs) => dtypes.every(isNative) && dtypes[0] === dtypes[1] && (attrs === undefined || attrs.op in BINARY),
  run(b, [x1, x2], [y], { op }) {
    const n = sizeOf(y.shape);
    if (n === 0) return;
    const { shape, strides } = collapseBroadcast(y.shape, [x1.shape, x2.shape]);
    const cost = op === 'pow' || op === 'mod' ? COSTLY : 1;
    const { chunk, items } = chunking(b, n, Math.ceil(PARALLEL_WORK / cost));
    b.task(Task.Binary, packArgs(BinaryArg, {
      Op: code(BINARY, op), InType: elem(x1.dtype), OutType: elem(y.dtype), A: b.addr(x1), B: b.addr(x2), Y: b.addr(y),
      N: n, Chunk: chunk, Rank: shape.length,
    }, [...shape, ...strides[0], ...strides[1]]), items, worth(b, n * cost));
  },
};

export const where: WasmKernelRecord<'where'> = {
  writesAll: true,
  supports: (dtypes) => dtypes.every(isNative) && dtypes[0] === 'bool' && dtypes[1] === dtypes[2] && dtypes[1] === dtypes[3],
  run(b, [cond, x1, x2], [y]) {
    const n = sizeOf(y.shape);
    if (n === 0) return;
    const { shape, strides } = collapseBroadcast(y.shape, [cond.shape, x1.shape, x2.shape]);
    const { chunk, items } = chunking(b, n, PARALLEL_WORK);
    b.task(Task.Where, packArgs(WhereArg, {
      ElemLog2: elemLog2(y.dtype), Cond: b.addr(cond), A: b.addr(x1), B: b.addr(x2), Y: b.addr(y), N: n, Chunk: chunk, Rank: shape.length,
    }, [...shape, ...strides[0], ...strides[1], ...strides[2]]), items, worth(b, n));
  },
};

export const cast: WasmKernelRecord<'cast'> = {
  writesAll: true,
  supports: (dtypes) => dtypes.every(isNative),
  run(b, [x], [y]) {
    const n = sizeOf(y.shape);
    if (n === 0) return;
    const { chunk, items } = chunking(b, n, PARALLEL_WORK);
    b.task(Task.Cast, packArgs(CastArg, { InType: elem(x.dtype), OutType: elem(y.dtype), X: b.addr(x), Y: b.addr(y), N: n, Chunk: chunk }), items, worth(b, n));
  },
};

export const broadcastTo: WasmKernelRecord<'broadcastTo'> = {
  writesAll: true,
  supports: allSameNative,
  run(b, [x], [y]) {
    const n = sizeOf(y.shape);
    if (n === 0) return;
    const { shape, strides } = collapseBroadcast(y.shape, [x.shape]);
    const { chunk, items } = chunking(b, n, PARALLEL_WORK);
    b.task(Task.BroadcastTo, packArgs(StridedCopyArg, {
      ElemLog2: elemLog2(y.dtype), X: b.addr(x), Y: b.addr(y), N: n, Chunk: chunk, Rank: shape.length,
    }, [...shape, ...strides[0]]), items, worth(b, n));
  },
};

/** Rows of `size` values one reduction item covers at the least (about 16k values). */
const REDUCE_ITEM_VALUES = 16384;
/** Columns per item when reducing over a middle axis: their float64 sums fit the scratch area. */
const REDUCE_COLUMNS = 4096;

export const reduce: WasmKernelRecord<'reduce'> = {
  writesAll: true,
  supports: (dtypes, attrs) => dtypes.every(isNative) && (attrs === undefined || attrs.op in REDUCE),
  run(b, [x], [y], { op, outer, size, inner }) {
    if (outer * inner === 0) return;
    const work = outer * size * inner;
    let chunk: number;
    let chunks: number;
    let items: number;
    if (inner === 1) {
      // Items are runs of whole rows.
      ({ chunk, items } = chunking(b, outer, Math.ceil(REDUCE_ITEM_VALUES / Math.max(size, 1))));
      chunks = 1;
    } else {
      // Items are (row, block of columns); a block's float64 sums fit the scratch area.
      chunk = Math.min(inner, b.fineGrained ? 3 : REDUCE_COLUMNS);
      chunks = Math.ceil(inner / chunk);
      items = outer * chunks;
    }
    b.task(Task.Reduce, packArgs(ReduceArg, {
      Op: code(REDUCE, op), InType: elem(x.dtype), OutType: elem(y.dtype), X: b.addr(x), Y: b.addr(y),
      Outer: outer, Size: size, Inner: inner, Chunk: chunk, Chunks: chunks,
    }), items, worth(b, work));
  },
};
