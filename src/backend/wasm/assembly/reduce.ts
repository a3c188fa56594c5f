// Reductions over the middle axis of x viewed as [outer, size, inner] → y [outer, inner].
// Sums accumulate in float64 (as the reference does), so float32 sums of long rows stay
// accurate; max/min/arg* follow the reference's NaN rules (a NaN wins, the first extreme wins).
import { Elem, ReduceArg, ReduceCode } from '../tasks';
import { arg, ld, ptr, st, imin } from './common';

/** One output: reduce `size` values of x starting at element `base`, `step` apart. */
function reduceOne<T>(op: i32, x: usize, base: i32, size: i32, step: i32): f64 {
  switch (op) {
    case ReduceCode.Sum: {
      let acc: f64 = 0;
      if (isFloat<T>() && step == 1) {
        // Contiguous float32: two float64x2 accumulators over f32x4 loads.
        let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
        let k = 0;
        const p = x + (<usize>base << 2);
        for (; k + 4 <= size; k += 4) {
          const v = v128.load(p + (<usize>k << 2));
          a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
          a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
        }
        const t = f64x2.add(a0, a1);
        acc = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
        for (; k < size; k++) acc += ld<T>(x, base + k);
        return acc;
      }
      for (let k = 0; k < size; k++) acc += ld<T>(x, base + k * step);
      return acc;
    }
    case ReduceCode.Max: {
      let acc = -Infinity;
      for (let k = 0; k < size; k++) {
        const v = ld<T>(x, base + k * step);
        if (isNaN<f64>(v)) return v;
        if (v > acc) acc = v;
      }
      return acc;
    }
    case ReduceCode.Min: {
      let acc = Infinity;
      for (let k = 0; k < size; k++) {
        const v = ld<T>(x, base + k * step);
        if (isNaN<f64>(v)) return v;
        if (v < acc) acc = v;
      }
      return acc;
    }
    case ReduceCode.Argmax:
    case ReduceCode.Argmin: {
      if (size == 0) return 0;
      let best = ld<T>(x, base);
      let at = 0;
      const isMax = op == ReduceCode.Argmax;
      for (let k = 1; k < size && !isNaN<f64>(best); k++) {
        const v = ld<T>(x, base + k * step);
        if (isNaN<f64>(v) || (isMax ? v > best : v < best)) {
          best = v;
          at = k;
        }
      }
      return <f64>at;
    }
    case ReduceCode.Any: {
      for (let k = 0; k < size; k++) if (ld<T>(x, base + k * step) != 0) return 1;
      return 0;
    }
    case ReduceCode.All: {
      for (let k = 0; k < size; k++) if (ld<T>(x, base + k * step) == 0) return 0;
      return 1;
    }
    default: unreachable(); return 0; // a code without a case: a bug, not a silent result
  }
}

/**
 * Sum of columns [j0, j1) of x[o] into y[o], float32, inner > 1: rows are added in order into
 * float64 accumulators (scratch), reading each row contiguously.
 */
function sumColumnsF32(x: usize, y: usize, o: i32, size: i32, inner: i32, j0: i32, j1: i32, acc: usize): void {
  const w = j1 - j0;
  memory.fill(acc, 0, <usize>w << 3);
  for (let k = 0; k < size; k++) {
    const row = x + (<usize>((o * size + k) * inner + j0) << 2);
    let j = 0;
    for (; j + 4 <= w; j += 4) {
      const v = v128.load(row + (<usize>j << 2));
      const p = acc + (<usize>j << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v)));
      v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
    }
    for (; j < w; j++) {
      const p = acc + (<usize>j << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(row + (<usize>j << 2)));
    }
  }
  const out = y + (<usize>(o * inner + j0) << 2);
  for (let j = 0; j < w; j++) store<f32>(out + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)));
}

function reduceRun<T, TO>(op: i32, x: usize, y: usize, outer: i32, size: i32, inner: i32, item: i32, chunk: i32, chunks: i32, scratch: usize): void {
  if (inner == 1) {
    // Items are runs of `chunk` outputs.
    const s = item * chunk;
    const e = imin(outer, s + chunk);
    for (let o = s; o < e; o++) st<TO>(y, o, reduceOne<T>(op, x, o * size, size, 1));
    return;
  }
  // Items are (o, column chunk).
  const o = item / chunks;
  const j0 = (item % chunks) * chunk;
  const j1 = imin(inner, j0 + chunk);
  if (isFloat<T>() && isFloat<TO>() && op == ReduceCode.Sum) {
    sumColumnsF32(x, y, o, size, inner, j0, j1, scratch);
    return;
  }
  for (let j = j0; j < j1; j++) st<TO>(y, o * inner + j, reduceOne<T>(op, x, o * size * inner + j, size, inner));
}

/** Arguments: ReduceArg. */
export function reduceItem(args: usize, item: i32, scratch: usize): void {
  const op = arg(args, ReduceArg.Op), ti = arg(args, ReduceArg.InType), to = arg(args, ReduceArg.OutType);
  const x = ptr(args, ReduceArg.X), y = ptr(args, ReduceArg.Y);
  const outer = arg(args, ReduceArg.Outer), size = arg(args, ReduceArg.Size), inner = arg(args, ReduceArg.Inner), chunk = arg(args, ReduceArg.Chunk), chunks = arg(args, ReduceArg.Chunks);
  if (ti == Elem.F32) {
    if (to == Elem.F32) reduceRun<f32, f32>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
    else if (to == Elem.I32) reduceRun<f32, i32>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
    else reduceRun<f32, u8>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
  } else if (ti == Elem.I32) {
    if (to == Elem.F32) reduceRun<i32, f32>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
    else if (to == Elem.I32) reduceRun<i32, i32>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
    else reduceRun<i32, u8>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
  } else {
    if (to == Elem.F32) reduceRun<u8, f32>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
    else if (to == Elem.I32) reduceRun<u8, i32>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
    else reduceRun<u8, u8>(op, x, y, outer, size, inner, item, chunk, chunks, scratch);
  }
}
