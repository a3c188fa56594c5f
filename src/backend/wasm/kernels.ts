// The TypeScript half of each wasm kernel: it reads shapes and attributes, simplifies the
// problem where it can (collapsing broadcast and transpose axes, folding batches into rows),
// chooses how to cut the work into items, and writes the argument block the AssemblyScript
// item function reads (argument layouts are documented beside those functions in assembly/).
import { broadcastStrides, type DType, sizeOf, stridesOf, ValueError } from '../../base/index.js';
import type { TensorInfo } from '../backend.js';
import type { BinaryOp, ConvAttrs, KernelAttrs, KernelName, PoolAttrs, ReduceOp, UnaryOp } from '../kernels.js';
import { BinaryCode, Elem, ReduceCode, Task, UnaryCode } from './tasks.js';
import type { WasmBackend } from './wasm-backend.js';

export type WasmKernel<K extends KernelName> = (b: WasmBackend, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]) => void;

// ---- dtypes ----

type NativeDType = 'float32' | 'int32' | 'bool';

function isNative(d: DType): d is NativeDType {
  return d !== 'float64';
}

const ELEM: Record<NativeDType, Elem> = { float32: Elem.F32, int32: Elem.I32, bool: Elem.U8 };

function elem(d: DType): Elem {
  if (!isNative(d)) throw new ValueError(`wasm backend: dtype ${d} has no native kernels`);
  return ELEM[d];
}

/** log2 of the element size: kernels that only move data need nothing more. */
function elemLog2(d: DType): number {
  return d === 'bool' ? 0 : 2;
}

/** Whether `run` handles these dtypes (inputs then outputs, as the dispatcher lists them). */
export function supportsKernel(kernel: KernelName, dtypes: readonly DType[]): boolean {
  if (!dtypes.every(isNative)) return false;
  const out = dtypes[dtypes.length - 1];
  switch (kernel) {
    case 'unary': case 'cast': case 'reduce':
      return true;
    case 'binary':
      return dtypes[0] === dtypes[1];
    case 'broadcastTo': case 'transpose': case 'slice': case 'pad': case 'concat':
      // Pure data movement: every operand has the output's dtype.
      return dtypes.every((d) => d === out);
    case 'gather':
      return dtypes[0] === out && dtypes[1] === 'int32';
    case 'where':
      return dtypes[0] === 'bool' && dtypes[1] === dtypes[2] && dtypes[1] === dtypes[3];
    case 'scatterAdd':
      return dtypes[0] !== 'bool' && dtypes[0] === out && dtypes[1] === 'int32';
    case 'matmul': case 'conv': case 'convBackpropInput': case 'convBackpropFilter': case 'avgPoolBackprop':
      return dtypes.every((d) => d === 'float32');
    case 'pool':
      // The optional second output (max pooling's argmax) is int32.
      return dtypes[0] === 'float32' && dtypes[1] === 'float32' && (dtypes.length === 2 || dtypes[2] === 'int32');
    default:
      return kernel satisfies never;
  }
}

/** The bits of `v` stored as an element of `dtype`, as an int32 (what fill writes). */
function valueBits(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float32': return new Int32Array(new Float32Array([v]).buffer)[0];
    case 'int32': return new Int32Array([v])[0];
    default: return new Uint8Array([v])[0];
  }
}

// ---- how to cut work ----

/** Below this many "operations" a task runs on the calling thread alone. */
const PARALLEL_WORK = 1 << 16;

/** Whether `work` is worth waking the pool for (always, when tests ask for fine-grained items). */
function worth(b: WasmBackend, work: number): boolean {
  return b.fineGrained || work >= PARALLEL_WORK;
}

/** Items of `chunk` units each over `n` units, aiming at a few items per thread. */
function chunking(b: WasmBackend, n: number, minChunk: number): { chunk: number; items: number } {
  const t = b.threads;
  const least = b.fineGrained ? 1 : minChunk;
  const chunk = t === 1 && !b.fineGrained ? Math.max(n, 1) : Math.max(least, Math.ceil(n / (4 * t)));
  return { chunk, items: Math.ceil(n / chunk) };
}

// ---- broadcasting and axis collapsing ----

/**
 * Output `shape` and input `strides` (elements, 0 on broadcast axes) for inputs broadcast to
 * `out`, with size-1 axes dropped and neighbouring axes merged wherever every input steps
 * through them contiguously. Never rank 0.
 */
export function collapseBroadcast(out: readonly number[], ins: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const full = ins.map((s) => broadcastStrides(s, out));
  const shape: number[] = [];
  const strides: number[][] = ins.map(() => []);
  for (let d = 0; d < out.length; d++) {
    if (out[d] === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && full.every((s, k) => strides[k][last] === s[d] * out[d])) {
      shape[last] *= out[d];
      full.forEach((s, k) => { strides[k][last] = s[d]; });
    } else {
      shape.push(out[d]);
      full.forEach((s, k) => strides[k].push(s[d]));
    }
  }
  if (shape.length === 0) {
    shape.push(1);
    strides.forEach((s) => s.push(0));
  }
  return { shape, strides };
}

/**
 * Merge neighbouring axes of an index space `shape` walked with two stride lists (one per
 * operand), dropping size-1 axes. Never rank 0.
 */
function collapseStrided(shape: readonly number[], a: readonly number[], b: readonly number[]): { shape: number[]; a: number[]; b: number[] } {
  const s: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && sa[last] === a[d] * shape[d] && sb[last] === b[d] * shape[d]) {
      s[last] *= shape[d];
      sa[last] = a[d];
      sb[last] = b[d];
    } else {
      s.push(shape[d]);
      sa.push(a[d]);
      sb.push(b[d]);
    }
  }
  if (s.length === 0) return { shape: [1], a: [0], b: [0] };
  return { shape: s, a: sa, b: sb };
}

// ---- elementwise ----

const UNARY: Record<UnaryOp, UnaryCode> = {
  neg: UnaryCode.Neg, abs: UnaryCode.Abs, sign: UnaryCode.Sign, exp: UnaryCode.Exp, log: UnaryCode.Log,
  sqrt: UnaryCode.Sqrt, sigmoid: UnaryCode.Sigmoid, tanh: UnaryCode.Tanh, log1p: UnaryCode.Log1p,
  expm1: UnaryCode.Expm1, erf: UnaryCode.Erf, sin: UnaryCode.Sin, cos: UnaryCode.Cos, floor: UnaryCode.Floor,
  ceil: UnaryCode.Ceil, round: UnaryCode.Round, logicalNot: UnaryCode.LogicalNot, isNaN: UnaryCode.IsNaN,
};

/** Ops that cost about one cycle per element (the rest call a transcendental function). */
const CHEAP_UNARY = new Set<UnaryOp>(['neg', 'abs', 'sign', 'sqrt', 'floor', 'ceil', 'round', 'logicalNot', 'isNaN']);

const BINARY: Record<BinaryOp, BinaryCode> = {
  add: BinaryCode.Add, sub: BinaryCode.Sub, mul: BinaryCode.Mul, div: BinaryCode.Div, pow: BinaryCode.Pow,
  maximum: BinaryCode.Maximum, minimum: BinaryCode.Minimum, mod: BinaryCode.Mod, equal: BinaryCode.Equal,
  notEqual: BinaryCode.NotEqual, greater: BinaryCode.Greater, greaterEqual: BinaryCode.GreaterEqual,
  less: BinaryCode.Less, lessEqual: BinaryCode.LessEqual, logicalAnd: BinaryCode.LogicalAnd, logicalOr: BinaryCode.LogicalOr,
};

const unary: WasmKernel<'unary'> = (b, [x], [y], { op }) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  const cost = CHEAP_UNARY.has(op) ? 1 : 20;
  const { chunk, items } = chunking(b, n, Math.ceil(65536 / cost));
  b.task(Task.Unary, [UNARY[op], elem(x.dtype), elem(y.dtype), b.addr(x), b.addr(y), n, chunk], items, worth(b, n * cost));
};

const binary: WasmKernel<'binary'> = (b, [x1, x2], [y], { op }) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  const { shape, strides } = collapseBroadcast(y.shape, [x1.shape, x2.shape]);
  const cost = op === 'pow' || op === 'mod' ? 20 : 1;
  const { chunk, items } = chunking(b, n, Math.ceil(65536 / cost));
  b.task(Task.Binary, [
    BINARY[op], elem(x1.dtype), elem(y.dtype), b.addr(x1), b.addr(x2), b.addr(y), n, chunk,
    shape.length, ...shape, ...strides[0], ...strides[1],
  ], items, worth(b, n * cost));
};

const where: WasmKernel<'where'> = (b, [cond, x1, x2], [y]) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  const { shape, strides } = collapseBroadcast(y.shape, [cond.shape, x1.shape, x2.shape]);
  const { chunk, items } = chunking(b, n, 65536);
  b.task(Task.Where, [
    elemLog2(y.dtype), b.addr(cond), b.addr(x1), b.addr(x2), b.addr(y), n, chunk,
    shape.length, ...shape, ...strides[0], ...strides[1], ...strides[2],
  ], items, worth(b, n));
};

const cast: WasmKernel<'cast'> = (b, [x], [y]) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  const { chunk, items } = chunking(b, n, 65536);
  b.task(Task.Cast, [elem(x.dtype), elem(y.dtype), b.addr(x), b.addr(y), n, chunk], items, worth(b, n));
};

const broadcastTo: WasmKernel<'broadcastTo'> = (b, [x], [y]) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  const { shape, strides } = collapseBroadcast(y.shape, [x.shape]);
  const { chunk, items } = chunking(b, n, 65536);
  b.task(Task.BroadcastTo, [elemLog2(y.dtype), b.addr(x), b.addr(y), n, chunk, shape.length, ...shape, ...strides[0]], items, worth(b, n));
};

// ---- reduce ----

const REDUCE: Record<ReduceOp, ReduceCode> = {
  sum: ReduceCode.Sum, max: ReduceCode.Max, min: ReduceCode.Min, argmax: ReduceCode.Argmax,
  argmin: ReduceCode.Argmin, any: ReduceCode.Any, all: ReduceCode.All,
};

const reduce: WasmKernel<'reduce'> = (b, [x], [y], { op, outer, size, inner }) => {
  if (outer * inner === 0) return;
  const work = outer * size * inner;
  let chunk: number;
  let chunks: number;
  let items: number;
  if (inner === 1) {
    // Items are runs of whole rows.
    ({ chunk, items } = chunking(b, outer, Math.ceil(16384 / Math.max(size, 1))));
    chunks = 1;
  } else {
    // Items are (row, block of columns); a block's float64 sums fit the scratch area.
    chunk = Math.min(inner, b.fineGrained ? 3 : 4096);
    chunks = Math.ceil(inner / chunk);
    items = outer * chunks;
  }
  b.task(Task.Reduce, [REDUCE[op], elem(x.dtype), elem(y.dtype), b.addr(x), b.addr(y), outer, size, inner, chunk, chunks], items, worth(b, work));
};

// ---- movement ----

const transpose: WasmKernel<'transpose'> = (b, [x], [y], { perm }) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  // Drop size-1 axes, then merge runs of axes that stay neighbours after the permutation.
  const kept = perm.filter((p) => x.shape[p] !== 1);
  const runs: number[][] = [];
  for (const p of kept) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === p - 1) run.push(p);
    else runs.push([p]);
  }
  // Runs in input order give the collapsed input shape; their order in `runs` is the perm.
  const byInput = [...runs].sort((r1, r2) => r1[0] - r2[0]);
  const xs = byInput.map((r) => r.reduce((acc, p) => acc * x.shape[p], 1));
  const p2 = runs.map((r) => byInput.indexOf(r));
  const el = elemLog2(y.dtype);
  if (p2.every((p, i) => p === i)) {
    // Only size-1 axes moved: the data is already in order.
    b.task(Task.Cast, [elem(x.dtype), elem(y.dtype), b.addr(x), b.addr(y), n, n], 1, false);
    return;
  }
  if ((p2.length === 2) || (p2.length === 3 && p2[0] === 0 && p2[1] === 2 && p2[2] === 1)) {
    // A batch of matrix transposes: y [B, R, Cc] = x [B, Cc, R] with the last two swapped.
    const batch = p2.length === 3 ? xs[0] : 1;
    const Cc = xs[xs.length - 2];
    const R = xs[xs.length - 1];
    const blockRows = 16;
    const rowBlocks = Math.ceil(R / blockRows);
    b.task(Task.Transpose2d, [el, b.addr(x), b.addr(y), batch, R, Cc, rowBlocks, blockRows], batch * rowBlocks, worth(b, n));
    return;
  }
  const xStrides = stridesOf(xs);
  const shape = p2.map((p) => xs[p]);
  const strides = p2.map((p) => xStrides[p]);
  const { chunk, items } = chunking(b, n, 65536);
  b.task(Task.Transpose, [el, b.addr(x), b.addr(y), n, chunk, shape.length, ...shape, ...strides], items, worth(b, n));
};

/**
 * Copy rows between strided layouts: row index space `shape` (walked with srcStrides and
 * dstStrides), each row `rowLen` contiguous elements; `srcBase`/`dstBase` in elements.
 */
function copyRows(
  b: WasmBackend, dtype: DType, src: number, dst: number, shape: readonly number[],
  srcStrides: readonly number[], dstStrides: readonly number[], rowLen: number, srcBase: number, dstBase: number,
): void {
  const rows = sizeOf(shape);
  if (rows === 0 || rowLen === 0) return;
  const c = collapseStrided(shape, srcStrides, dstStrides);
  const { chunk, items } = chunking(b, rows, Math.ceil(16384 / rowLen));
  b.task(Task.CopyRows, [
    elemLog2(dtype), src, dst, rows, chunk, rowLen, srcBase, dstBase, c.shape.length, ...c.shape, ...c.a, ...c.b,
  ], items, worth(b, rows * rowLen));
}

/** The first axis j such that every later axis is whole in both layouts (`whole(i)`). */
function contiguousFrom(rank: number, whole: (i: number) => boolean): number {
  let j = rank - 1;
  while (j > 0 && whole(j)) j--;
  return Math.max(j, 0);
}

const slice: WasmKernel<'slice'> = (b, [x], [y], { begin }) => {
  if (sizeOf(y.shape) === 0) return;
  const rank = y.shape.length;
  if (rank === 0) {
    copyRows(b, y.dtype, b.addr(x), b.addr(y), [1], [0], [0], 1, 0, 0);
    return;
  }
  const xStrides = stridesOf(x.shape);
  const yStrides = stridesOf(y.shape);
  // Rows: axes j… form one contiguous run in x when every axis after j is taken whole.
  const j = contiguousFrom(rank, (i) => y.shape[i] === x.shape[i]);
  const rowLen = sizeOf(y.shape.slice(j));
  const srcBase = begin.reduce((acc, s, i) => acc + s * xStrides[i], 0);
  copyRows(b, y.dtype, b.addr(x), b.addr(y), y.shape.slice(0, j), xStrides.slice(0, j), yStrides.slice(0, j), rowLen, srcBase, 0);
};

const pad: WasmKernel<'pad'> = (b, [x], [y], { paddings, value }) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  const { chunk, items } = chunking(b, n, 65536);
  b.task(Task.Fill, [elemLog2(y.dtype), b.addr(y), n, chunk, valueBits(value, y.dtype)], items, worth(b, n));
  const rank = x.shape.length;
  if (sizeOf(x.shape) === 0) return;
  if (rank === 0) {
    copyRows(b, y.dtype, b.addr(x), b.addr(y), [1], [0], [0], 1, 0, 0);
    return;
  }
  const xStrides = stridesOf(x.shape);
  const yStrides = stridesOf(y.shape);
  const j = contiguousFrom(rank, (i) => paddings[i][0] === 0 && paddings[i][1] === 0);
  const rowLen = sizeOf(x.shape.slice(j));
  const dstBase = paddings.reduce((acc, p, i) => acc + p[0] * yStrides[i], 0);
  copyRows(b, y.dtype, b.addr(x), b.addr(y), x.shape.slice(0, j), xStrides.slice(0, j), yStrides.slice(0, j), rowLen, 0, dstBase);
};

const concat: WasmKernel<'concat'> = (b, xs, [y], { axis }) => {
  // Every input is [outer, chunk_i] with chunk_i = shape[axis…]; the output interleaves them.
  const outer = sizeOf(y.shape.slice(0, axis));
  const yChunk = sizeOf(y.shape.slice(axis));
  let offset = 0;
  for (const x of xs) {
    const chunk = sizeOf(x.shape.slice(axis));
    copyRows(b, y.dtype, b.addr(x), b.addr(y), [outer], [chunk], [yChunk], chunk, 0, offset);
    offset += chunk;
  }
};

/** Throw the reference backend's error for the first index outside [0, size). */
function checkIndices(b: WasmBackend, op: string, indices: TensorInfo, size: number): void {
  const n = sizeOf(indices.shape);
  if (n === 0) return;
  const bad = b.exports.checkIndices(b.addr(indices), n, size);
  if (bad >= 0) throw new ValueError(`${op}: index ${b.i32[(b.addr(indices) >>> 2) + bad]} is out of range [0, ${size})`);
}

const gather: WasmKernel<'gather'> = (b, [x, indices], [y], { axis }) => {
  const outer = sizeOf(x.shape.slice(0, axis));
  const size = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const n = sizeOf(indices.shape);
  if (outer > 0) checkIndices(b, 'gather', indices, size);
  if (sizeOf(y.shape) === 0) return;
  const { chunk, items } = chunking(b, outer * n, Math.ceil(16384 / inner));
  b.task(Task.Gather, [elemLog2(y.dtype), b.addr(x), b.addr(indices), b.addr(y), outer, size, inner, n, chunk], items, worth(b, outer * n * inner));
};

const scatterAdd: WasmKernel<'scatterAdd'> = (b, [updates, indices], [y], { axis }) => {
  const outer = sizeOf(y.shape.slice(0, axis));
  const size = y.shape[axis];
  const inner = sizeOf(y.shape.slice(axis + 1));
  const n = sizeOf(indices.shape);
  if (outer > 0) checkIndices(b, 'scatterAdd', indices, size);
  if (sizeOf(y.shape) === 0) return;
  // Items split rows and columns but never the index list, so duplicates add up in order.
  const chunk = b.fineGrained ? Math.min(inner, 3) : b.threads > 1 && outer < b.threads ? Math.max(256, Math.ceil(inner / (4 * b.threads))) : inner;
  const chunks = Math.ceil(inner / chunk);
  b.task(Task.ScatterAdd, [elem(y.dtype), b.addr(updates), b.addr(indices), b.addr(y), outer, size, inner, n, chunk, chunks], outer * chunks, worth(b, outer * (n + size) * inner));
};

// ---- matmul ----

const matmul: WasmKernel<'matmul'> = (b, [a, bm], [y], { transposeA, transposeB }) => {
  const [batch, M0, N] = y.shape;
  const [batchA, ra, ca] = a.shape;
  const [batchB, rb, cb] = bm.shape;
  const K = transposeA ? ra : ca;
  if (batch * M0 * N === 0) return;
  let M = M0;
  let batches = batch;
  // A shared right operand with untransposed left operands: the batch is just more rows.
  if (batch > 1 && batchB === 1 && batchA === batch && !transposeA) {
    M = batch * M0;
    batches = 1;
  }
  const work = batch * M0 * N * K;
  const parallel = b.threads > 1 && (b.fineGrained || work >= PARALLEL_WORK * 4);
  let tileM = M;
  let tileN = N;
  if (parallel) {
    // Tiles of at most 256×256 (each packs its own panels of A and B: square tiles repack the
    // least), then halved along the longer side until there are about four per thread, so a
    // thread that the OS delays holds up little.
    const rowUnit = b.fineGrained ? 4 : 32;
    const colUnit = b.fineGrained ? 8 : 64;
    tileM = Math.min(M, 256);
    tileN = Math.min(N, 256);
    const want = 4 * b.threads;
    while (batches * Math.ceil(M / tileM) * Math.ceil(N / tileN) < want) {
      const canM = tileM >= 2 * rowUnit;
      const canN = tileN >= 2 * colUnit;
      if (canM && (tileM >= tileN || !canN)) tileM = Math.ceil(tileM / 2 / 4) * 4;
      else if (canN) tileN = Math.ceil(tileN / 2 / 8) * 8;
      else break;
    }
  }
  const tilesM = Math.ceil(M / tileM);
  const tilesN = Math.ceil(N / tileN);
  b.ensureScratch(b.exports.gemmScratchBytes.value + 64);
  b.task(Task.Matmul, [
    M, N, K, b.addr(a), ca, transposeA ? 1 : 0, b.addr(bm), cb, transposeB ? 1 : 0, b.addr(y), N,
    batchA === 1 ? 0 : ra * ca, batchB === 1 ? 0 : rb * cb, M0 * N, tileM, tileN, tilesM, tilesN,
  ], batches * tilesM * tilesN, parallel);
};

// ---- convolution ----

interface ConvGeometry {
  N: number; D: number; H: number; W: number; C: number;
  KD: number; KH: number; KW: number; CG: number; F: number;
  OD: number; OH: number; OW: number; FG: number; groups: number;
  taps: number; Kt: number; P: number;
  depthwise: boolean; pointwise: boolean;
}

function convGeometry(x: readonly number[], w: readonly number[], y: readonly number[], a: ConvAttrs): ConvGeometry {
  const [N, D, H, W, C] = x;
  const [KD, KH, KW, CG, F] = w;
  const [, OD, OH, OW] = y;
  const taps = KD * KH * KW;
  const pointwise = taps === 1 && a.strides.every((s) => s === 1) && a.pads.every(([p, q]) => p === 0 && q === 0);
  return {
    N, D, H, W, C, KD, KH, KW, CG, F, OD, OH, OW, FG: F / a.groups, groups: a.groups, taps, Kt: taps * CG,
    P: N * OD * OH * OW, depthwise: CG === 1 && F === a.groups, pointwise,
  };
}

/** The 32 geometry arguments of every conv task (layout in assembly/conv.ts). */
function convArgs(g: ConvGeometry, a: ConvAttrs, in0: number, in1: number, out: number, per: number, perGroup: number, partials = 0, splits = 1, perSplit = 0): number[] {
  return [
    g.N, g.D, g.H, g.W, g.C, g.KD, g.KH, g.KW, g.CG, g.F, g.OD, g.OH, g.OW,
    ...a.strides, ...a.dilations, a.pads[0][0], a.pads[1][0], a.pads[2][0], g.groups, g.FG,
    in0, in1, out, per, perGroup, g.pointwise ? 1 : 0, partials, splits, perSplit,
  ];
}

/** Rows of im2col one thread holds at a time: at most 4 MiB of them, at most 512. */
function colRows(g: ConvGeometry): number {
  return Math.max(4, Math.min(512, Math.floor((1 << 20) / Math.max(g.Kt, 1) / 4) * 4));
}

function gemmScratch(b: WasmBackend, extraBytes: number): void {
  b.ensureScratch(b.exports.gemmScratchBytes.value + 64 + extraBytes);
}

/** Items over `rows` rows for the direct (depthwise) kernels. */
function rowItems(b: WasmBackend, rows: number): { per: number; items: number } {
  const { chunk, items } = chunking(b, rows, 1);
  return { per: chunk, items };
}

// ---- direct convolution (few input channels; assembly/conv-direct.ts) ----

/** Input channels up to which the direct kernels run instead of im2col + GEMM. */
const DIRECT_MAX_C = 16;
/** Bytes of zero-padded input rows (the slab) one work item copies at a time. */
const SLAB_BYTES = 128 * 1024;

/** A 2-D convolution over planes, as the direct kernels see it (layout in conv-direct.ts). */
interface DirectGeometry {
  planes: number; H: number; W: number; C: number; KH: number; KW: number; F: number; OH: number; OW: number;
  sh: number; sw: number; dh: number; dw: number; ph: number; pw: number; D: number; OD: number; sd: number;
}

/** The forward convolution as planes, or null when the direct kernels do not apply. */
function directForward(g: ConvGeometry, a: ConvAttrs): DirectGeometry | null {
  if (g.groups !== 1 || g.KD !== 1 || a.pads[0][0] !== 0 || a.pads[0][1] !== 0 || g.C > DIRECT_MAX_C || g.pointwise) return null;
  const d: DirectGeometry = {
    planes: g.N * g.OD, H: g.H, W: g.W, C: g.C, KH: g.KH, KW: g.KW, F: g.F, OH: g.OH, OW: g.OW,
    sh: a.strides[1], sw: a.strides[2], dh: a.dilations[1], dw: a.dilations[2], ph: a.pads[1][0], pw: a.pads[2][0],
    D: g.D, OD: g.OD, sd: a.strides[0],
  };
  return directRows(d) >= 1 ? d : null;
}

/** Output rows whose input rows fit a slab of SLAB_BYTES (0: not even one). */
function directRows(d: DirectGeometry): number {
  const width = (d.OW - 1) * d.sw + (d.KW - 1) * d.dw + 1;
  const slabRows = Math.floor(SLAB_BYTES / (width * d.C * 4));
  const rows = Math.floor((slabRows - (d.KH - 1) * d.dh - 1) / d.sh) + 1;
  return Math.max(0, Math.min(d.OH, rows));
}

/** Scratch bytes of a direct task with blocks of `rows` output rows (+ dy rows for the filter gradient). */
function directScratch(d: DirectGeometry, rows: number, filterGrad: boolean): number {
  const taps = d.KH * d.KW * d.C;
  const lanes = Math.ceil(d.F / 8) * 8;
  const width = (d.OW - 1) * d.sw + (d.KW - 1) * d.dw + 1;
  const slab = ((rows - 1) * d.sh + (d.KH - 1) * d.dh + 1) * width * d.C * 4;
  const offsets = Math.ceil(taps * 4 / 16) * 16;
  return taps * lanes * 4 + offsets + Math.ceil(slab / 16) * 16 + (filterGrad ? rows * d.OW * lanes * 4 : 0) + 64;
}

function directArgs(d: DirectGeometry, x: number, w: number, y: number, rows: number, blocks: number, partials = 0, splits = 1, perSplit = 0): number[] {
  return [
    d.planes, d.H, d.W, d.C, d.KH, d.KW, d.F, d.OH, d.OW, d.sh, d.sw, d.dh, d.dw, d.ph, d.pw,
    x, w, y, rows, blocks, d.D, d.OD, d.sd, partials, splits, perSplit,
  ];
}

/** conv: items are (plane, block of output rows). */
function directConv(b: WasmBackend, d: DirectGeometry, x: number, w: number, y: number, work: number): void {
  let rows = directRows(d);
  // Enough items for every thread (rows per block never change the numbers).
  const want = b.fineGrained ? d.planes * d.OH : b.threads > 1 ? 4 * b.threads : 1;
  if (d.planes * Math.ceil(d.OH / rows) < want) rows = Math.max(1, Math.ceil(d.OH / Math.ceil(want / d.planes)));
  const blocks = Math.ceil(d.OH / rows);
  b.ensureScratch(directScratch(d, rows, false));
  b.task(Task.DirectConv, directArgs(d, x, w, y, rows, blocks), d.planes * blocks, worth(b, work));
}

const conv: WasmKernel<'conv'> = (b, [x, w], [y], attrs) => {
  const g = convGeometry(x.shape, w.shape, y.shape, attrs);
  if (g.P * g.F === 0) return;
  const work = g.P * g.F * g.Kt;
  if (g.depthwise) {
    const { per, items } = rowItems(b, g.N * g.OD * g.OH);
    b.task(Task.DepthwiseConv, convArgs(g, attrs, b.addr(x), b.addr(w), b.addr(y), per, 0), items, worth(b, work));
    return;
  }
  const direct = directForward(g, attrs);
  if (direct) {
    directConv(b, direct, b.addr(x), b.addr(w), b.addr(y), work);
    return;
  }
  // Items: (group, block of output pixels). Blocks never change the numbers, only who computes them.
  const maxRows = colRows(g);
  const least = b.fineGrained ? 4 : 16;
  const mb = b.threads === 1 && !b.fineGrained ? maxRows : Math.max(least, Math.min(maxRows, Math.ceil(g.P * g.groups / (4 * b.threads) / 4) * 4));
  const blocks = Math.ceil(g.P / mb);
  gemmScratch(b, g.pointwise ? 0 : mb * g.Kt * 4);
  b.task(Task.Conv, convArgs(g, attrs, b.addr(x), b.addr(w), b.addr(y), mb, blocks), g.groups * blocks, worth(b, work));
};

const convBackpropInput: WasmKernel<'convBackpropInput'> = (b, [dy, w], [dx], attrs) => {
  const g = convGeometry(dx.shape, w.shape, dy.shape, attrs);
  if (g.N * g.D * g.H * g.W * g.C === 0) return;
  const work = g.P * g.F * g.Kt;
  if (g.depthwise) {
    const { per, items } = rowItems(b, g.N * g.D * g.H);
    b.task(Task.DepthwiseBackpropInput, convArgs(g, attrs, b.addr(dy), b.addr(w), b.addr(dx), per, 0), items, worth(b, work));
    return;
  }
  if (g.P * g.F === 0) {
    b.task(Task.Fill, [2, b.addr(dx), sizeOf(dx.shape), sizeOf(dx.shape), 0], 1, false);
    return;
  }
  // Items: (image, group); each owns its dx entries, so col2im needs no synchronisation.
  const mb = colRows(g);
  gemmScratch(b, g.pointwise ? 0 : mb * g.Kt * 4);
  b.task(Task.ConvBackpropInput, convArgs(g, attrs, b.addr(dy), b.addr(w), b.addr(dx), mb, 0), g.N * g.groups, worth(b, work));
};

const convBackpropFilter: WasmKernel<'convBackpropFilter'> = (b, [x, dy], [dw], attrs) => {
  const g = convGeometry(x.shape, dw.shape, dy.shape, attrs);
  const len = g.Kt * g.F;
  if (len === 0) return;
  const work = g.P * g.F * g.Kt;
  if (g.depthwise) {
    const per = b.fineGrained ? 4 : 16;
    const items = Math.ceil(g.C / per);
    b.ensureScratch(g.taps * per * 12 + 64);
    b.task(Task.DepthwiseBackpropFilter, convArgs(g, attrs, b.addr(x), b.addr(dy), b.addr(dw), per, 0), items, worth(b, work));
    return;
  }
  const direct = directForward(g, attrs);
  if (direct) {
    directBackpropFilter(b, g, direct, b.addr(x), b.addr(dy), b.addr(dw), work);
    return;
  }
  // Pixels split into a fixed number of ranges (a function of the shapes only, so every thread
  // count gives the same sums); each range's dW goes to its own partial, then they are added.
  const splits = b.fineGrained ? Math.max(1, Math.min(3, g.P)) : Math.max(1, Math.min(8, Math.floor(g.P / 1024)));
  const perSplit = Math.ceil(g.P / splits);
  const mb = colRows(g);
  const partialBytes = splits > 1 ? splits * len * 4 : 0;
  const partials = partialBytes > 0 ? b.allocTemp(partialBytes) : 0;
  try {
    gemmScratch(b, g.pointwise ? 0 : mb * g.Kt * 4);
    b.task(Task.ConvBackpropFilter, convArgs(g, attrs, b.addr(x), b.addr(dy), b.addr(dw), mb, 0, partials, splits, perSplit), g.groups * splits, worth(b, work));
    if (splits > 1) {
      const { chunk, items } = chunking(b, len, 16384);
      b.task(Task.SumPartials, [partials, splits, len, b.addr(dw), chunk], items, worth(b, len * splits));
    }
  } finally {
    if (partialBytes > 0) b.releaseTemp(partials, partialBytes);
  }
};

/**
 * Filter gradient by the direct kernel: output rows cut into a fixed number of splits (a
 * function of the shapes, like the GEMM path's), each summed into its own partial.
 */
function directBackpropFilter(b: WasmBackend, g: ConvGeometry, d: DirectGeometry, x: number, dy: number, dw: number, work: number): void {
  const rowsTotal = d.planes * d.OH;
  const wanted = b.fineGrained ? Math.min(3, rowsTotal) : Math.max(1, Math.min(8, Math.floor(g.P / 1024), rowsTotal));
  const perSplit = Math.ceil(rowsTotal / wanted);
  const splits = Math.ceil(rowsTotal / perSplit);
  // Row blocks also keep their padded dy rows within SLAB_BYTES (a function of the shapes only).
  const lanes = Math.ceil(d.F / 8) * 8;
  const rows = b.fineGrained ? 1 : Math.min(directRows(d), Math.max(1, Math.floor(SLAB_BYTES / (d.OW * lanes * 4))));
  const len = g.Kt * g.F;
  const partialBytes = splits > 1 ? splits * len * 4 : 0;
  const partials = partialBytes > 0 ? b.allocTemp(partialBytes) : 0;
  try {
    b.ensureScratch(directScratch(d, rows, true));
    b.task(Task.DirectBackpropFilter, directArgs(d, x, dy, dw, rows, 0, partials, splits, perSplit), splits, worth(b, work));
    if (splits > 1) {
      const { chunk, items } = chunking(b, len, 16384);
      b.task(Task.SumPartials, [partials, splits, len, dw, chunk], items, worth(b, len * splits));
    }
  } finally {
    if (partialBytes > 0) b.releaseTemp(partials, partialBytes);
  }
}

// ---- pooling ----

function poolArgs(x: readonly number[], y: readonly number[], a: PoolAttrs, input: number, output: number, argmax: number, per: number): number[] {
  const [N, D, H, W, C] = x;
  const [, OD, OH, OW] = y;
  return [N, D, H, W, C, OD, OH, OW, ...a.window, ...a.strides, a.pads[0][0], a.pads[1][0], a.pads[2][0], input, output, argmax, a.op === 'avg' ? 1 : 0, per];
}

const pool: WasmKernel<'pool'> = (b, [x], [y, argmax], attrs) => {
  const n = sizeOf(y.shape);
  if (n === 0) return;
  const [N, , , , C] = x.shape;
  const [, OD, OH] = y.shape;
  const { per, items } = rowItems(b, N * OD * OH);
  const work = n * attrs.window[0] * attrs.window[1] * attrs.window[2];
  b.task(Task.Pool, poolArgs(x.shape, y.shape, attrs, b.addr(x), b.addr(y), argmax ? b.addr(argmax) : 0, per), items, worth(b, work) && C > 0);
};

const avgPoolBackprop: WasmKernel<'avgPoolBackprop'> = (b, [dy], [dx], attrs) => {
  const n = sizeOf(dx.shape);
  if (n === 0) return;
  const [N, D, H] = dx.shape;
  const { per, items } = rowItems(b, N * D * H);
  const work = n * attrs.window[0] * attrs.window[1] * attrs.window[2];
  b.task(Task.AvgPoolBackprop, poolArgs(dx.shape, dy.shape, attrs, b.addr(dy), b.addr(dx), 0, per), items, worth(b, work));
};

/** Every kernel name must have an entry: a missing one is a compile error. */
export const KERNELS: { [K in KernelName]: WasmKernel<K> } = {
  unary, binary, where, cast, broadcastTo, reduce, matmul, transpose, slice, pad, concat,
  gather, scatterAdd, conv, convBackpropInput, convBackpropFilter, pool, avgPoolBackprop,
};
