// Numbers shared by the TypeScript driver and the AssemblyScript kernels (which import this
// file too, so it is written in the subset both languages accept: enums with explicit values).
// A task is one parallel kernel; its work items run on any thread of the pool.

export enum Task {
  Matmul = 0,
  Conv = 1,
  ConvBackpropInput = 2,
  ConvBackpropFilter = 3,
  DepthwiseConv = 4,
  DepthwiseBackpropInput = 5,
  DepthwiseBackpropFilter = 6,
  SumPartials = 7,
  Pool = 8,
  AvgPoolBackprop = 9,
  Unary = 10,
  Binary = 11,
  Where = 12,
  Cast = 13,
  BroadcastTo = 14,
  Reduce = 15,
  Transpose = 16,
  Transpose2d = 17,
  CopyRows = 18,
  Fill = 19,
  Gather = 20,
  ScatterAdd = 21,
  DirectConv = 22,
  DirectBackpropFilter = 23,
  Cumsum = 24,
  LstmSequence = 25,
  LstmSequenceGrad = 26,
  GruSequence = 27,
  GruSequenceGrad = 28,
}

/** Element types as kernels see them; float64 never reaches wasm (it falls back to cpu). */
export enum Elem {
  F32 = 0,
  I32 = 1,
  U8 = 2,
}

export enum UnaryCode {
  Neg = 0, Abs = 1, Sign = 2, Exp = 3, Log = 4, Sqrt = 5, Sigmoid = 6, Tanh = 7, Log1p = 8,
  Expm1 = 9, Erf = 10, Sin = 11, Cos = 12, Floor = 13, Ceil = 14, Round = 15, LogicalNot = 16,
  IsNaN = 17,
}

export enum BinaryCode {
  Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Maximum = 5, Minimum = 6, Mod = 7, Equal = 8,
  NotEqual = 9, Greater = 10, GreaterEqual = 11, Less = 12, LessEqual = 13, LogicalAnd = 14,
  LogicalOr = 15,
}

export enum ReduceCode {
  Sum = 0, Max = 1, Min = 2, Argmax = 3, Argmin = 4, Any = 5, All = 6,
}

/** Bytes at the start of every argument block: per-thread scratch base and stride. */
export const ARGS_HEADER = 16;

/** log2 of an element's size in bytes: 4-byte elements (float32, int32, argument slots), bool bytes, float64. */
export const WORD_LOG2 = 2;
export const BYTE_LOG2 = 0;
export const F64_LOG2 = 3;

/** A WebAssembly memory page, and the most pages a 32-bit memory can have (4 GiB). */
export const PAGE_BYTES = 65536;
export const MAX_PAGES = 65536;

// ---- argument layouts ----
// One enum per task: the name of each int32 slot of its argument block, in order. The driver
// (kernels/*.ts) fills a block with packArgs(layout, values, tail); the item function reads a
// slot with arg(args, Layout.Name). A layout ending in `Tail` is followed by variable-length
// arrays (shape[rank] and strides), which start at that slot.

/** Task.Unary. Item: elements [item·chunk, …). */
export enum UnaryArg { Op = 0, InType = 1, OutType = 2, X = 3, Y = 4, N = 5, Chunk = 6 }

/** Task.Binary; tail: shape[rank] (of y), strides of a[rank], strides of b[rank]. */
export enum BinaryArg { Op = 0, InType = 1, OutType = 2, A = 3, B = 4, Y = 5, N = 6, Chunk = 7, Rank = 8, Tail = 9 }

/** Task.Where (cond is bool); tail: shape[rank], strides of cond, a and b. */
export enum WhereArg { ElemLog2 = 0, Cond = 1, A = 2, B = 3, Y = 4, N = 5, Chunk = 6, Rank = 7, Tail = 8 }

/** Task.Cast. */
export enum CastArg { InType = 0, OutType = 1, X = 2, Y = 3, N = 4, Chunk = 5 }

/** Task.Reduce: x viewed as [outer, size, inner]. */
export enum ReduceArg { Op = 0, InType = 1, OutType = 2, X = 3, Y = 4, Outer = 5, Size = 6, Inner = 7, Chunk = 8, Chunks = 9 }

/** Task.BroadcastTo and Task.Transpose; tail: shape[rank] (of y), strides[rank] (x's, per y axis). */
export enum StridedCopyArg { ElemLog2 = 0, X = 1, Y = 2, N = 3, Chunk = 4, Rank = 5, Tail = 6 }

/** Task.Transpose2d: y [B, R, Cc] = x [B, Cc, R] with the last two axes swapped. */
export enum Transpose2dArg { ElemLog2 = 0, X = 1, Y = 2, Batch = 3, R = 4, Cc = 5, RowBlocks = 6, BlockRows = 7 }

/** Task.CopyRows; tail: shape[rank] (of the row index space), source strides, destination strides. */
export enum CopyRowsArg { ElemLog2 = 0, Src = 1, Dst = 2, Rows = 3, RowsPerItem = 4, RowLen = 5, SrcBase = 6, DstBase = 7, Rank = 8, Tail = 9 }

/** Task.Fill: `ValueBits` is the value as stored (an int32 bit pattern). */
export enum FillArg { ElemLog2 = 0, Dst = 1, N = 2, Chunk = 3, ValueBits = 4 }

/** Task.Gather. */
export enum GatherArg { ElemLog2 = 0, X = 1, Indices = 2, Y = 3, Outer = 4, Size = 5, Inner = 6, N = 7, RowsPerItem = 8 }

/** Task.ScatterAdd (`Type` is an Elem). */
export enum ScatterAddArg { Type = 0, Updates = 1, Indices = 2, Y = 3, Outer = 4, Size = 5, Inner = 6, N = 7, Chunk = 8, Chunks = 9 }

/** Task.SumPartials: dst[i] = Σ_s parts[s·len + i]. */
export enum SumPartialsArg { Parts = 0, Count = 1, Len = 2, Dst = 3, Chunk = 4 }

/** Task.Cumsum: running sums along the middle axis of [outer, size, inner]; items are runs of `Chunk` lines (o, i). */
export enum CumsumArg { X = 0, Y = 1, Outer = 2, Size = 3, Inner = 4, Exclusive = 5, Reverse = 6, Chunk = 7 }

/**
 * The fused recurrences (Task.LstmSequence, LstmSequenceGrad, GruSequence, GruSequenceGrad;
 * assembly/recurrent.ts): item i runs every time step for batch rows [i·Rows, (i+1)·Rows).
 * Slots a task does not use are 0. Forward: In0 = xk, In1 = h0, In2 = c0 (LSTM), Out0 = y,
 * Out1 = gates. Adjoint: In0 = dy, In1 = y, In2 = gates, In3 = c0 (LSTM) or h0 (GRU), Out0…Out2
 * the kernel's outputs in order. R is the recurrent kernel, Rb the GRU's recurrent bias.
 */
export enum RecurrentArg {
  N = 0, T = 1, U = 2, R = 3, Rb = 4, Mask = 5, Masked = 6, In0 = 7, In1 = 8, In2 = 9, In3 = 10,
  Out0 = 11, Out1 = 12, Out2 = 13, Rows = 14,
}

/** Task.Matmul: strides are elements per batch (0 shares the operand). */
export enum MatmulArg {
  M = 0, N = 1, K = 2, A = 3, Lda = 4, TransA = 5, B = 6, Ldb = 7, TransB = 8, C = 9, Ldc = 10,
  StrideA = 11, StrideB = 12, StrideC = 13, TileM = 14, TileN = 15, TilesM = 16, TilesN = 17,
}

/**
 * Every conv task (im2col + GEMM and depthwise): the geometry, then the buffers and the work
 * split. `Pads` are the leading pads (front, top, left); `PerItem` is rows (or channels) per item,
 * `PerGroup` items per group, `Pointwise` 1 for a 1×1 kernel with stride 1 and no padding.
 */
export enum ConvArg {
  N = 0, D = 1, H = 2, W = 3, C = 4, KD = 5, KH = 6, KW = 7, CG = 8, F = 9, OD = 10, OH = 11, OW = 12,
  Sd = 13, Sh = 14, Sw = 15, Dd = 16, Dh = 17, Dw = 18, Pd = 19, Ph = 20, Pw = 21, Groups = 22, FG = 23,
  In0 = 24, In1 = 25, Out = 26, PerItem = 27, PerGroup = 28, Pointwise = 29, Partials = 30, Splits = 31, PerSplit = 32,
}

/**
 * The direct conv tasks (assembly/conv-direct.ts), over planes N·OD of a 2-D convolution:
 * output plane q = n·OD + od reads input plane n·D + od·sd. `W` is w for conv, dy for the filter gradient.
 */
export enum DirectArg {
  Planes = 0, H = 1, W = 2, C = 3, KH = 4, KW = 5, F = 6, OH = 7, OW = 8, Sh = 9, Sw = 10, Dh = 11, Dw = 12,
  Ph = 13, Pw = 14, X = 15, Wt = 16, Y = 17, Rows = 18, Blocks = 19, D = 20, OD = 21, Sd = 22,
  Partials = 23, Splits = 24, PerSplit = 25,
}

/** Task.Pool and Task.AvgPoolBackprop (x/y are dy/dx for the latter; ArgMax 0 when absent). */
export enum PoolArg {
  N = 0, D = 1, H = 2, W = 3, C = 4, OD = 5, OH = 6, OW = 7, Kd = 8, Kh = 9, Kw = 10,
  Sd = 11, Sh = 12, Sw = 13, Pd = 14, Ph = 15, Pw = 16, X = 17, Y = 18, ArgMax = 19, IsAvg = 20, PerItem = 21,
}
