// Data movement: transpose, strided row copies (slice, pad, concat), fill, gather and its
// adjoint scatterAdd, and the sum of per-split partial results. Elements are moved as raw
// bytes (4 for float32/int32, 1 for bool), so one kernel serves every dtype.
import { BYTE_LOG2, CopyRowsArg, Elem, FillArg, GatherArg, ScatterAddArg, StridedCopyArg, SumPartialsArg, Transpose2dArg, WORD_LOG2 } from '../tasks';
import { arg, ptr, imin, transpose4 } from './common';
import { stretch, walkAdvance, walkInit } from './elementwise';

@inline function at32(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/**
 * y = x read through strides: transpose (permuted strides) and broadcastTo (stride 0 on
 * broadcast axes) are both this copy. Runs along y's last axis are copied whole when x's
 * stride there is 1 and filled when it is 0.
 * Arguments: StridedCopyArg.
 */
export function stridedCopyItem(args: usize, item: i32, scratch: usize): void {
  const el = arg(args, StridedCopyArg.ElemLog2);
  const x = ptr(args, StridedCopyArg.X), y = ptr(args, StridedCopyArg.Y), n = arg(args, StridedCopyArg.N), chunk = arg(args, StridedCopyArg.Chunk), rank = arg(args, StridedCopyArg.Rank);
  const shape = args + (<usize>StridedCopyArg.Tail << 2);
  const strides = shape + (<usize>rank << 2);
  const idx = scratch, offs = scratch + 256;
  const s = item * chunk;
  const e = imin(n, s + chunk);
  const step = at32(strides, rank - 1);
  walkInit(rank, shape, strides, 1, s, idx, offs);
  let i = s;
  while (i < e) {
    const len = stretch(rank, shape, idx, e - i);
    const off = at32(offs, 0);
    const px = x + (<usize>off << el);
    const py = y + (<usize>i << el);
    if (step == 1) memory.copy(py, px, <usize>len << el);
    else if (step == 0 && el != 2) memory.fill(py, load<u8>(px), <usize>len);
    else if (step == 0) {
      const v = load<u32>(px);
      for (let k = 0; k < len; k++) store<u32>(py + (<usize>k << 2), v);
    } else if (el == WORD_LOG2) {
      for (let k = 0; k < len; k++) store<u32>(py + (<usize>k << 2), load<u32>(px + (<usize>(k * step) << 2)));
    } else {
      for (let k = 0; k < len; k++) store<u8>(py + <usize>k, load<u8>(px + <usize>(k * step)));
    }
    i += len;
    walkAdvance(rank, shape, strides, 1, idx, offs, len);
  }
}

/**
 * y[b, i, j] = x[b, j, i] for y [B, R, Cc], in 4×4 SIMD tiles for 4-byte elements.
 * Arguments: Transpose2dArg. Item: (b, block of y rows).
 */
export function transpose2dItem(args: usize, item: i32): void {
  const el = arg(args, Transpose2dArg.ElemLog2);
  const x = ptr(args, Transpose2dArg.X), y = ptr(args, Transpose2dArg.Y);
  const R = arg(args, Transpose2dArg.R), Cc = arg(args, Transpose2dArg.Cc), rowBlocks = arg(args, Transpose2dArg.RowBlocks), blockRows = arg(args, Transpose2dArg.BlockRows);
  const b = item / rowBlocks;
  const i0 = (item % rowBlocks) * blockRows;
  const i1 = imin(R, i0 + blockRows);
  const plane = <usize>R * <usize>Cc;
  if (el != 2) {
    const xb = x + <usize>b * plane, yb = y + <usize>b * plane;
    for (let i = i0; i < i1; i++) {
      for (let j = 0; j < Cc; j++) store<u8>(yb + <usize>i * <usize>Cc + <usize>j, load<u8>(xb + <usize>j * <usize>R + <usize>i));
    }
    return;
  }
  const xb = x + (<usize>b * plane << 2), yb = y + (<usize>b * plane << 2);
  const xRow = <usize>R << 2, yRow = <usize>Cc << 2;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    let j = 0;
    for (; j + 4 <= Cc; j += 4) {
      const src = xb + <usize>j * xRow + (<usize>i << 2);
      transpose4(v128.load(src), v128.load(src + xRow), v128.load(src + 2 * xRow), v128.load(src + 3 * xRow), yb + <usize>i * yRow + (<usize>j << 2), yRow);
    }
    for (; j < Cc; j++) {
      for (let r = 0; r < 4; r++) store<u32>(yb + <usize>(i + r) * yRow + (<usize>j << 2), load<u32>(xb + <usize>j * xRow + (<usize>(i + r) << 2)));
    }
  }
  for (; i < i1; i++) {
    for (let j = 0; j < Cc; j++) store<u32>(yb + <usize>i * yRow + (<usize>j << 2), load<u32>(xb + <usize>j * xRow + (<usize>i << 2)));
  }
}

/**
 * Copy rows of rowLen contiguous elements between two strided layouts (slice, pad, concat).
 * Rows are numbered over `shape`; row r starts at srcBase + Σ idx·srcStride in the source and
 * dstBase + Σ idx·dstStride in the destination (elements).
 * Arguments: CopyRowsArg.
 */
export function copyRowsItem(args: usize, item: i32, scratch: usize): void {
  const el = arg(args, CopyRowsArg.ElemLog2);
  const src = ptr(args, CopyRowsArg.Src), dst = ptr(args, CopyRowsArg.Dst), rows = arg(args, CopyRowsArg.Rows), per = arg(args, CopyRowsArg.RowsPerItem);
  const rowLen = arg(args, CopyRowsArg.RowLen), srcBase = arg(args, CopyRowsArg.SrcBase), dstBase = arg(args, CopyRowsArg.DstBase), rank = arg(args, CopyRowsArg.Rank);
  const shape = args + (<usize>CopyRowsArg.Tail << 2);
  const strides = shape + (<usize>rank << 2);
  const idx = scratch, offs = scratch + 256;
  const s = item * per;
  const e = imin(rows, s + per);
  const ss = at32(strides, rank - 1), ds = at32(strides, 2 * rank - 1);
  const bytes = <usize>rowLen << el;
  walkInit(rank, shape, strides, 2, s, idx, offs);
  let i = s;
  while (i < e) {
    const len = stretch(rank, shape, idx, e - i);
    const ps = src + (<usize>(srcBase + at32(offs, 0)) << el);
    const pd = dst + (<usize>(dstBase + at32(offs, 1)) << el);
    if (rowLen == 1 && el == WORD_LOG2) {
      for (let k = 0; k < len; k++) store<u32>(pd + (<usize>(k * ds) << 2), load<u32>(ps + (<usize>(k * ss) << 2)));
    } else {
      for (let k = 0; k < len; k++) memory.copy(pd + (<usize>(k * ds) << el), ps + (<usize>(k * ss) << el), bytes);
    }
    i += len;
    walkAdvance(rank, shape, strides, 2, idx, offs, len);
  }
}

/** Arguments: FillArg. */
export function fillItem(args: usize, item: i32): void {
  const el = arg(args, FillArg.ElemLog2), dst = ptr(args, FillArg.Dst), n = arg(args, FillArg.N), chunk = arg(args, FillArg.Chunk), bits = arg(args, FillArg.ValueBits);
  const s = item * chunk;
  const e = imin(n, s + chunk);
  if (el == BYTE_LOG2) {
    memory.fill(dst + <usize>s, <u8>bits, <usize>(e - s));
  } else if (bits == 0) {
    memory.fill(dst + (<usize>s << 2), 0, <usize>(e - s) << 2);
  } else {
    const v = i32x4.splat(bits);
    let i = s;
    for (; i + 4 <= e; i += 4) v128.store(dst + (<usize>i << 2), v);
    for (; i < e; i++) store<i32>(dst + (<usize>i << 2), bits);
  }
}

/** The first j < n with idx[j] outside [0, size), or -1. */
export function checkIndices(idx: usize, n: i32, size: i32): i32 {
  for (let j = 0; j < n; j++) {
    const k = load<i32>(idx + (<usize>j << 2));
    if (k < 0 || k >= size) return j;
  }
  return -1;
}

/**
 * y[o, j, :] = x[o, idx[j], :] for x [outer, size, inner] (indices already checked).
 * Arguments: GatherArg. Item: rows (o, j).
 */
export function gatherItem(args: usize, item: i32): void {
  const el = arg(args, GatherArg.ElemLog2);
  const x = ptr(args, GatherArg.X), idx = ptr(args, GatherArg.Indices), y = ptr(args, GatherArg.Y);
  const outer = arg(args, GatherArg.Outer), size = arg(args, GatherArg.Size), inner = arg(args, GatherArg.Inner), n = arg(args, GatherArg.N), per = arg(args, GatherArg.RowsPerItem);
  const s = item * per;
  const e = imin(outer * n, s + per);
  const bytes = <usize>inner << el;
  for (let r = s; r < e; r++) {
    const o = r / n;
    const k = load<i32>(idx + (<usize>(r - o * n) << 2));
    const from = x + (<usize>(o * size + k) * bytes);
    const to = y + <usize>r * bytes;
    if (inner == 1 && el == WORD_LOG2) store<u32>(to, load<u32>(from));
    else memory.copy(to, from, bytes);
  }
}

/**
 * y[o, idx[j], c] += u[o, j, c] over j in order (so duplicates add up as in the reference).
 * Arguments: ScatterAddArg. Item: (o, column chunk).
 */
export function scatterAddItem(args: usize, item: i32): void {
  const type = arg(args, ScatterAddArg.Type);
  const u = ptr(args, ScatterAddArg.Updates), idx = ptr(args, ScatterAddArg.Indices), y = ptr(args, ScatterAddArg.Y);
  const size = arg(args, ScatterAddArg.Size), inner = arg(args, ScatterAddArg.Inner), n = arg(args, ScatterAddArg.N), chunk = arg(args, ScatterAddArg.Chunk), chunks = arg(args, ScatterAddArg.Chunks);
  const o = item / chunks;
  const c0 = (item % chunks) * chunk;
  const w = imin(inner, c0 + chunk) - c0;
  if (w == inner) memory.fill(y + (<usize>(o * size * inner) << 2), 0, <usize>(size * inner) << 2);
  else for (let k = 0; k < size; k++) memory.fill(y + (<usize>((o * size + k) * inner + c0) << 2), 0, <usize>w << 2);
  if (inner == 1 && type == Elem.F32) {
    // Single elements (max pooling's gradient routed by flat index): a tight scalar loop.
    const uo = u + (<usize>(o * n) << 2), yo = y + (<usize>(o * size) << 2);
    for (let j = 0; j < n; j++) {
      const to = yo + (<usize>load<i32>(idx + (<usize>j << 2)) << 2);
      store<f32>(to, load<f32>(to) + load<f32>(uo + (<usize>j << 2)));
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    const k = load<i32>(idx + (<usize>j << 2));
    const from = u + (<usize>((o * n + j) * inner + c0) << 2);
    const to = y + (<usize>((o * size + k) * inner + c0) << 2);
    let c = 0;
    if (type == Elem.F32) {
      for (; c + 4 <= w; c += 4) {
        const q = <usize>c << 2;
        v128.store(to + q, f32x4.add(v128.load(to + q), v128.load(from + q)));
      }
      for (; c < w; c++) {
        const q = <usize>c << 2;
        store<f32>(to + q, load<f32>(to + q) + load<f32>(from + q));
      }
    } else {
      for (; c < w; c++) {
        const q = <usize>c << 2;
        store<i32>(to + q, load<i32>(to + q) + load<i32>(from + q));
      }
    }
  }
}

/** dst[i] = Σ_s parts[s·len + i], s in order. Arguments: SumPartialsArg. */
export function sumPartialsItem(args: usize, item: i32): void {
  const parts = ptr(args, SumPartialsArg.Parts), count = arg(args, SumPartialsArg.Count), len = arg(args, SumPartialsArg.Len), dst = ptr(args, SumPartialsArg.Dst), chunk = arg(args, SumPartialsArg.Chunk);
  const s = item * chunk;
  const e = imin(len, s + chunk);
  const stride = <usize>len << 2;
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const o = <usize>i << 2;
    let acc = v128.load(parts + o);
    for (let p = 1; p < count; p++) acc = f32x4.add(acc, v128.load(parts + <usize>p * stride + o));
    v128.store(dst + o, acc);
  }
  for (; i < e; i++) {
    const o = <usize>i << 2;
    let acc = load<f32>(parts + o);
    for (let p = 1; p < count; p++) acc += load<f32>(parts + <usize>p * stride + o);
    store<f32>(dst + o, acc);
  }
}
