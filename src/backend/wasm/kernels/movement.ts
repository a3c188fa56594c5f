// Drivers of the data-movement kernels (assembly/movement.ts): transpose, slice, pad, concat,
// gather, scatterAdd. Most reduce to copying contiguous rows between two strided layouts.
import { type DType, sizeOf, stridesOf, ValueError } from '../../../base/index.js';
import type { TensorInfo } from '../../backend.js';
import { collapseStrided, concatLayout } from '../../strided.js';
import { CastArg, CopyRowsArg, FillArg, GatherArg, ScatterAddArg, StridedCopyArg, Task, Transpose2dArg, WORD_LOG2 } from '../tasks.js';
import type { WasmBackend } from '../wasm-backend.js';
import { allSameNative, chunking, elem, elemLog2, isNative, packArgs, PARALLEL_WORK, valueBits, type WasmKernelRecord, worth } from './common.js';

/** Values one copy item moves at the least. */
const COPY_ITEM_VALUES = 16384;

export const transpose: WasmKernelRecord<'transpose'> = {
  writesAll: true,
  supports: allSameNative,
  run(b, [x], [y], { perm }) {
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
      b.task(Task.Cast, packArgs(CastArg, { InType: elem(x.dtype), OutType: elem(y.dtype), X: b.addr(x), Y: b.addr(y), N: n, Chunk: n }), 1, false);
      return;
    }
    if ((p2.length === 2) || (p2.length === 3 && p2[0] === 0 && p2[1] === 2 && p2[2] === 1)) {
      // A batch of matrix transposes: y [B, R, Cc] = x [B, Cc, R] with the last two swapped.
      const batch = p2.length === 3 ? xs[0] : 1;
      const Cc = xs[xs.length - 2];
      const R = xs[xs.length - 1];
      const blockRows = 16;
      const rowBlocks = Math.ceil(R / blockRows);
      b.task(Task.Transpose2d, packArgs(Transpose2dArg, {
        ElemLog2: el, X: b.addr(x), Y: b.addr(y), Batch: batch, R, Cc, RowBlocks: rowBlocks, BlockRows: blockRows,
      }), batch * rowBlocks, worth(b, n));
      return;
    }
    const xStrides = stridesOf(xs);
    const shape = p2.map((p) => xs[p]);
    const strides = p2.map((p) => xStrides[p]);
    const { chunk, items } = chunking(b, n, PARALLEL_WORK);
    b.task(Task.Transpose, packArgs(StridedCopyArg, {
      ElemLog2: el, X: b.addr(x), Y: b.addr(y), N: n, Chunk: chunk, Rank: shape.length,
    }, [...shape, ...strides]), items, worth(b, n));
  },
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
  const { chunk, items } = chunking(b, rows, Math.ceil(COPY_ITEM_VALUES / rowLen));
  b.task(Task.CopyRows, packArgs(CopyRowsArg, {
    ElemLog2: elemLog2(dtype), Src: src, Dst: dst, Rows: rows, RowsPerItem: chunk, RowLen: rowLen, SrcBase: srcBase, DstBase: dstBase,
    Rank: c.shape.length,
  }, [...c.shape, ...c.a, ...c.b]), items, worth(b, rows * rowLen));
}

/** The first axis j such that every later axis is whole in both layouts (`whole(i)`). */
function contiguousFrom(rank: number, whole: (i: number) => boolean): number {
  let j = rank - 1;
  while (j > 0 && whole(j)) j--;
  return Math.max(j, 0);
}

export const slice: WasmKernelRecord<'slice'> = {
  writesAll: true,
  supports: allSameNative,
  run(b, [x], [y], { begin }) {
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
  },
};

/** Fill `n` elements of `dtype` at byte address `dst` with `value`. */
export function fill(b: WasmBackend, dtype: DType, dst: number, n: number, value: number): void {
  const { chunk, items } = chunking(b, n, PARALLEL_WORK);
  b.task(Task.Fill, packArgs(FillArg, { ElemLog2: elemLog2(dtype), Dst: dst, N: n, Chunk: chunk, ValueBits: valueBits(value, dtype) }), items, worth(b, n));
}

export const pad: WasmKernelRecord<'pad'> = {
  writesAll: true,
  supports: allSameNative,
  run(b, [x], [y], { paddings, value }) {
    const n = sizeOf(y.shape);
    if (n === 0) return;
    fill(b, y.dtype, b.addr(y), n, value);
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
  },
};

export const concat: WasmKernelRecord<'concat'> = {
  writesAll: true,
  supports: allSameNative,
  run(b, xs, [y], { axis }) {
    const { outer, yChunk, parts } = concatLayout(xs.map((x) => x.shape), y.shape, axis);
    xs.forEach((x, i) => {
      const { chunk, offset } = parts[i];
      copyRows(b, y.dtype, b.addr(x), b.addr(y), [outer], [chunk], [yChunk], chunk, 0, offset);
    });
  },
};

/** Throw the reference backend's error for the first index outside [0, size). */
function checkIndices(b: WasmBackend, op: string, indices: TensorInfo, size: number): void {
  const n = sizeOf(indices.shape);
  if (n === 0) return;
  const bad = b.exports.checkIndices(b.addr(indices), n, size);
  if (bad >= 0) throw new ValueError(`${op}: index ${b.i32[(b.addr(indices) >>> WORD_LOG2) + bad]} is out of range [0, ${size})`);
}

/**
 * The indexed tensor viewed as [outer, size, inner] around `axis`, and the number of indices n,
 * after checking every index is in [0, size) (as the reference does).
 */
function indexedView(b: WasmBackend, op: string, shape: readonly number[], axis: number, indices: TensorInfo): { outer: number; size: number; inner: number; n: number } {
  const outer = sizeOf(shape.slice(0, axis));
  const size = shape[axis];
  if (outer > 0) checkIndices(b, op, indices, size);
  return { outer, size, inner: sizeOf(shape.slice(axis + 1)), n: sizeOf(indices.shape) };
}

export const gather: WasmKernelRecord<'gather'> = {
  writesAll: true,
  supports: (dtypes) => dtypes.every(isNative) && dtypes[0] === dtypes[2] && dtypes[1] === 'int32',
  run(b, [x, indices], [y], { axis }) {
    const { outer, size, inner, n } = indexedView(b, 'gather', x.shape, axis, indices);
    if (sizeOf(y.shape) === 0) return;
    const { chunk, items } = chunking(b, outer * n, Math.ceil(COPY_ITEM_VALUES / inner));
    b.task(Task.Gather, packArgs(GatherArg, {
      ElemLog2: elemLog2(y.dtype), X: b.addr(x), Indices: b.addr(indices), Y: b.addr(y), Outer: outer, Size: size, Inner: inner, N: n, RowsPerItem: chunk,
    }), items, worth(b, outer * n * inner));
  },
};

export const scatterAdd: WasmKernelRecord<'scatterAdd'> = {
  writesAll: true,
  supports: (dtypes) => dtypes.every(isNative) && dtypes[0] !== 'bool' && dtypes[0] === dtypes[2] && dtypes[1] === 'int32',
  run(b, [updates, indices], [y], { axis }) {
    const { outer, size, inner, n } = indexedView(b, 'scatterAdd', y.shape, axis, indices);
    if (sizeOf(y.shape) === 0) return;
    // Items split rows and columns but never the index list, so duplicates add up in order.
    const chunk = b.fineGrained ? Math.min(inner, 3) : b.threads > 1 && outer < b.threads ? Math.max(256, Math.ceil(inner / (4 * b.threads))) : inner;
    const chunks = Math.ceil(inner / chunk);
    b.task(Task.ScatterAdd, packArgs(ScatterAddArg, {
      Type: elem(y.dtype), Updates: b.addr(updates), Indices: b.addr(indices), Y: b.addr(y), Outer: outer, Size: size, Inner: inner, N: n, Chunk: chunk, Chunks: chunks,
    }), outer * chunks, worth(b, outer * (n + size) * inner));
  },
};
