// The module's entry points. The TypeScript driver writes a task's arguments into an argument
// block in memory and calls runTask once per work item, on whichever thread claimed the item;
// each thread passes its own index, which selects its private scratch area.
import { ARGS_HEADER, MatmulArg, Task } from '../tasks';
import { gemm } from './gemm';
import { ptr, arg } from './common';
import { convItem, convBackpropInputItem, convBackpropFilterItem, depthwiseConvItem, depthwiseBackpropInputItem, depthwiseBackpropFilterItem } from './conv';
import { directConvItem, directBackpropFilterItem } from './conv-direct';
import { poolItem, avgPoolBackpropItem } from './pool';
import { unaryItem, binaryItem } from './elementwise';
import { whereItem, castItem } from './where-cast';
import { reduceItem } from './reduce';
import { cumsumItem } from './scan';
import { lstmSequenceItem, lstmSequenceGradItem, gruSequenceItem, gruSequenceGradItem } from './recurrent';
import { stridedCopyItem, transpose2dItem, copyRowsItem, fillItem, gatherItem, scatterAddItem, sumPartialsItem } from './movement';
export { checkIndices } from './movement';

/** Where the driver may start allocating: everything below holds the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Batched matmul, one output tile per item. args: M, N, K, a, lda, transA, b, ldb, transB, c,
 * ldc, strideA, strideB, strideC (elements per batch; 0 shares the operand), tileM, tileN,
 * tilesM, tilesN. Item: (batch, tile row, tile column).
 */
function matmulItem(args: usize, item: i32, scratch: usize): void {
  const M = arg(args, MatmulArg.M), N = arg(args, MatmulArg.N), K = arg(args, MatmulArg.K);
  const a = ptr(args, MatmulArg.A), lda = arg(args, MatmulArg.Lda), ta = arg(args, MatmulArg.TransA) != 0;
  const b = ptr(args, MatmulArg.B), ldb = arg(args, MatmulArg.Ldb), tb = arg(args, MatmulArg.TransB) != 0;
  const c = ptr(args, MatmulArg.C), ldc = arg(args, MatmulArg.Ldc);
  const sa = <usize>arg(args, MatmulArg.StrideA), sb = <usize>arg(args, MatmulArg.StrideB), sc = <usize>arg(args, MatmulArg.StrideC);
  const tileM = arg(args, MatmulArg.TileM), tileN = arg(args, MatmulArg.TileN), tilesM = arg(args, MatmulArg.TilesM), tilesN = arg(args, MatmulArg.TilesN);
  const perBatch = tilesM * tilesN;
  const batch = <usize>(item / perBatch);
  const t = item % perBatch;
  const i0 = (t / tilesN) * tileM;
  const j0 = (t % tilesN) * tileN;
  const rows = min(tileM, M - i0), cols = min(tileN, N - j0);
  // Offsets of op(A) row i0 and op(B) column j0 in the stored (possibly transposed) layouts.
  const aOff = ta ? <usize>i0 : <usize>i0 * <usize>lda;
  const bOff = tb ? <usize>j0 * <usize>ldb : <usize>j0;
  gemm(
    rows, cols, K,
    a + ((batch * sa + aOff) << 2), lda, ta,
    b + ((batch * sb + bOff) << 2), ldb, tb,
    c + ((batch * sc + <usize>i0 * <usize>ldc + <usize>j0) << 2), ldc, false, scratch,
  );
}

/** Zero `bytes` bytes at `at` (memory.fill: far faster than TypedArray.fill on shared memory). */
export function zero(at: usize, bytes: usize): void {
  memory.fill(at, 0, bytes);
}

/** Run work item `item` of task `kind` on thread `thread`. */
export function runTask(kind: i32, block: usize, item: i32, thread: i32): void {
  const scratch = ptr(block, 0) + <usize>thread * ptr(block, 1);
  const args = block + ARGS_HEADER;
  switch (kind) {
    case Task.Matmul: matmulItem(args, item, scratch); break;
    case Task.Conv: convItem(args, item, scratch); break;
    case Task.ConvBackpropInput: convBackpropInputItem(args, item, scratch); break;
    case Task.ConvBackpropFilter: convBackpropFilterItem(args, item, scratch); break;
    case Task.DepthwiseConv: depthwiseConvItem(args, item); break;
    case Task.DepthwiseBackpropInput: depthwiseBackpropInputItem(args, item); break;
    case Task.DepthwiseBackpropFilter: depthwiseBackpropFilterItem(args, item, scratch); break;
    case Task.SumPartials: sumPartialsItem(args, item); break;
    case Task.Pool: poolItem(args, item); break;
    case Task.AvgPoolBackprop: avgPoolBackpropItem(args, item); break;
    case Task.Unary: unaryItem(args, item); break;
    case Task.Binary: binaryItem(args, item, scratch); break;
    case Task.Where: whereItem(args, item, scratch); break;
    case Task.Cast: castItem(args, item); break;
    case Task.BroadcastTo: stridedCopyItem(args, item, scratch); break;
    case Task.Reduce: reduceItem(args, item, scratch); break;
    case Task.Transpose: stridedCopyItem(args, item, scratch); break;
    case Task.Transpose2d: transpose2dItem(args, item); break;
    case Task.CopyRows: copyRowsItem(args, item, scratch); break;
    case Task.Fill: fillItem(args, item); break;
    case Task.Gather: gatherItem(args, item); break;
    case Task.ScatterAdd: scatterAddItem(args, item); break;
    case Task.DirectConv: directConvItem(args, item, scratch); break;
    case Task.DirectBackpropFilter: directBackpropFilterItem(args, item, scratch); break;
    case Task.Cumsum: cumsumItem(args, item); break;
    case Task.LstmSequence: lstmSequenceItem(args, item, scratch); break;
    case Task.LstmSequenceGrad: lstmSequenceGradItem(args, item, scratch); break;
    case Task.GruSequence: gruSequenceItem(args, item, scratch); break;
    case Task.GruSequenceGrad: gruSequenceGradItem(args, item, scratch); break;
    default: unreachable();
  }
}

/** Items [first, last) of a task, in order, on one thread (the single-threaded path). */
export function runTasks(kind: i32, block: usize, first: i32, last: i32, thread: i32): void {
  for (let i = first; i < last; i++) runTask(kind, block, i, thread);
}

/** Bytes of scratch one thread needs for a gemm call (before any kernel-specific space). */
export { GEMM_SCRATCH as gemmScratchBytes } from './gemm';
