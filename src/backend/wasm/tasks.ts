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
