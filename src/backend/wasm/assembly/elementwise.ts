// Elementwise kernels: unary maps and broadcasting binary maps (where and cast are in
// where-cast.ts). Every op has a scalar float64 definition (scalar.ts) that mirrors the
// reference backend exactly; the hot float32 cases also have SIMD loops here.
//
// Broadcasting arrives pre-digested: the driver collapses shapes to `rank` axes with per-input
// element strides (0 along broadcast axes), and a work item covers a flat range of the output.
import { BYTE_LOG2, BinaryArg, BinaryCode, Elem, UnaryArg, UnaryCode, WORD_LOG2 } from '../tasks';
import { arg, ld, ptr, st, imin } from './common';
import { binaryScalar, unaryScalar } from './scalar';
import { expF32x4, sigmoidF32x4, tanhF32x4 } from './simd-math';

// ---- unary ----

function unaryRun<TI, TO>(op: i32, x: usize, y: usize, s: i32, e: i32): void {
  for (let i = s; i < e; i++) st<TO>(y, i, unaryScalar(op, ld<TI>(x, i)));
}

@inline function unaryVec(op: i32, v: v128): v128 {
  switch (op) {
    case UnaryCode.Neg: return f32x4.neg(v);
    case UnaryCode.Abs: return f32x4.abs(v);
    case UnaryCode.Sqrt: return f32x4.sqrt(v);
    case UnaryCode.Floor: return f32x4.floor(v);
    case UnaryCode.Ceil: return f32x4.ceil(v);
    case UnaryCode.Round: return f32x4.nearest(v);
    case UnaryCode.Exp: return expF32x4(v);
    case UnaryCode.Sigmoid: return sigmoidF32x4(v);
    case UnaryCode.Tanh: return tanhF32x4(v);
    default: unreachable(); return v; // only the codes unaryF32Simd sends here
  }
}

@inline function unaryF32Loop(op: i32, x: usize, y: usize, s: i32, e: i32): void {
  let i = s;
  // Two vectors per iteration: the polynomial chains are long, two independent ones overlap.
  for (; i + 8 <= e; i += 8) {
    const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
    const r0 = unaryVec(op, v128.load(px));
    const r1 = unaryVec(op, v128.load(px, 16));
    v128.store(py, r0);
    v128.store(py, r1, 16);
  }
  for (; i + 4 <= e; i += 4) v128.store(y + (<usize>i << 2), unaryVec(op, v128.load(x + (<usize>i << 2))));
  if (i < e) {
    // The tail (1–3 elements) through the same SIMD code, so every element gets identical arithmetic.
    const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
    const left = e - i;
    let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(px));
    if (left > 1) v = f32x4.replace_lane(v, 1, load<f32>(px, 4));
    if (left > 2) v = f32x4.replace_lane(v, 2, load<f32>(px, 8));
    const r = unaryVec(op, v);
    store<f32>(py, f32x4.extract_lane(r, 0));
    if (left > 1) store<f32>(py, f32x4.extract_lane(r, 1), 4);
    if (left > 2) store<f32>(py, f32x4.extract_lane(r, 2), 8);
  }
}

/** float32 → float32 unary ops with SIMD forms (exact, or within a few ulp); false if none. */
function unaryF32Simd(op: i32, x: usize, y: usize, s: i32, e: i32): bool {
  switch (op) {
    case UnaryCode.Neg: unaryF32Loop(UnaryCode.Neg, x, y, s, e); return true;
    case UnaryCode.Abs: unaryF32Loop(UnaryCode.Abs, x, y, s, e); return true;
    case UnaryCode.Sqrt: unaryF32Loop(UnaryCode.Sqrt, x, y, s, e); return true;
    case UnaryCode.Floor: unaryF32Loop(UnaryCode.Floor, x, y, s, e); return true;
    case UnaryCode.Ceil: unaryF32Loop(UnaryCode.Ceil, x, y, s, e); return true;
    case UnaryCode.Round: unaryF32Loop(UnaryCode.Round, x, y, s, e); return true;
    case UnaryCode.Exp: unaryF32Loop(UnaryCode.Exp, x, y, s, e); return true;
    case UnaryCode.Sigmoid: unaryF32Loop(UnaryCode.Sigmoid, x, y, s, e); return true;
    case UnaryCode.Tanh: unaryF32Loop(UnaryCode.Tanh, x, y, s, e); return true;
    // No SIMD form: the scalar float64 definition.
    case UnaryCode.Sign: case UnaryCode.Log: case UnaryCode.Log1p: case UnaryCode.Expm1: case UnaryCode.Erf:
    case UnaryCode.Sin: case UnaryCode.Cos: case UnaryCode.LogicalNot: case UnaryCode.IsNaN:
      return false;
    default: unreachable(); return false;
  }
}

/** Arguments: UnaryArg. Item: elements [item·chunk, …). */
export function unaryItem(args: usize, item: i32): void {
  const op = arg(args, UnaryArg.Op), ti = arg(args, UnaryArg.InType), to = arg(args, UnaryArg.OutType);
  const x = ptr(args, UnaryArg.X), y = ptr(args, UnaryArg.Y), n = arg(args, UnaryArg.N), chunk = arg(args, UnaryArg.Chunk);
  const s = item * chunk;
  const e = imin(n, s + chunk);
  if (ti == Elem.F32) {
    if (to == Elem.F32) {
      if (!unaryF32Simd(op, x, y, s, e)) unaryRun<f32, f32>(op, x, y, s, e);
    } else if (to == Elem.I32) unaryRun<f32, i32>(op, x, y, s, e);
    else unaryRun<f32, u8>(op, x, y, s, e);
  } else if (ti == Elem.I32) {
    if (to == Elem.F32) unaryRun<i32, f32>(op, x, y, s, e);
    else if (to == Elem.I32) unaryRun<i32, i32>(op, x, y, s, e);
    else unaryRun<i32, u8>(op, x, y, s, e);
  } else {
    if (to == Elem.F32) unaryRun<u8, f32>(op, x, y, s, e);
    else if (to == Elem.I32) unaryRun<u8, i32>(op, x, y, s, e);
    else unaryRun<u8, u8>(op, x, y, s, e);
  }
}

// ---- broadcasting walk ----
//
// A cursor over a collapsed broadcast: `shape` (rank i32s) and, for each input k, a stride
// array at strides + k·rank·4. The cursor keeps the output multi-index in `idx` and each
// input's element offset in `offs` (both scratch i32 arrays). A kernel walks output elements
// [s, e) in stretches along the last axis:
//   walkInit(…, s); while (i < e) { n = stretch(…); process n outputs; walkAdvance(…, n) }

@inline export function at32(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline function put32(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

export function walkInit(rank: i32, shape: usize, strides: usize, inputs: i32, s: i32, idx: usize, offs: usize): void {
  let rem = s;
  for (let k = 0; k < inputs; k++) put32(offs, k, 0);
  for (let d = rank - 1; d >= 0; d--) {
    const size = at32(shape, d);
    const v = rem % size;
    rem /= size;
    put32(idx, d, v);
    for (let k = 0; k < inputs; k++) put32(offs, k, at32(offs, k) + v * at32(strides, k * rank + d));
  }
}

/** How many outputs, at most `left`, remain on the current stretch of the last axis. */
@inline export function stretch(rank: i32, shape: usize, idx: usize, left: i32): i32 {
  return imin(at32(shape, rank - 1) - at32(idx, rank - 1), left);
}

export function walkAdvance(rank: i32, shape: usize, strides: usize, inputs: i32, idx: usize, offs: usize, n: i32): void {
  const last = rank - 1;
  const L = at32(shape, last);
  const pos = at32(idx, last) + n;
  if (pos < L) {
    put32(idx, last, pos);
    for (let k = 0; k < inputs; k++) put32(offs, k, at32(offs, k) + n * at32(strides, k * rank + last));
    return;
  }
  // The stretch reached the end of the last axis: rewind it and carry into earlier axes.
  const back = pos - n; // where this stretch started
  put32(idx, last, 0);
  for (let k = 0; k < inputs; k++) put32(offs, k, at32(offs, k) - back * at32(strides, k * rank + last));
  for (let d = last - 1; d >= 0; d--) {
    const v = at32(idx, d) + 1;
    const size = at32(shape, d);
    if (v < size) {
      put32(idx, d, v);
      for (let k = 0; k < inputs; k++) put32(offs, k, at32(offs, k) + at32(strides, k * rank + d));
      return;
    }
    put32(idx, d, 0);
    for (let k = 0; k < inputs; k++) put32(offs, k, at32(offs, k) - (size - 1) * at32(strides, k * rank + d));
  }
}

// ---- binary ----

@inline function vop(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case BinaryCode.Add: return f32x4.add(a, b);
    case BinaryCode.Sub: return f32x4.sub(a, b);
    case BinaryCode.Mul: return f32x4.mul(a, b);
    case BinaryCode.Div: return f32x4.div(a, b);
    // maximum(a, b) = a where a ≥ b or a is NaN, else b (exactly the reference's rule).
    case BinaryCode.Maximum: return v128.bitselect(a, b, v128.or(f32x4.ge(a, b), f32x4.ne(a, a)));
    case BinaryCode.Minimum: return v128.bitselect(a, b, v128.or(f32x4.le(a, b), f32x4.ne(a, a)));
    default: unreachable(); return a; // only the codes binF32 sends here
  }
}

/** n outputs of a float32 op whose inputs step by 1 or 0 (mode 0: both 1, 1: b fixed, 2: a fixed). */
@inline function binF32Loop(op: i32, mode: i32, pa: usize, pb: usize, py: usize, n: i32): void {
  let i = 0;
  if (mode == 0) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, vop(op, v128.load(pa + o), v128.load(pb + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(py + o, <f32>binaryScalar(op, load<f32>(pa + o), load<f32>(pb + o)));
    }
  } else if (mode == 1) {
    const bs = load<f32>(pb);
    const bv = f32x4.splat(bs);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, vop(op, v128.load(pa + o), bv));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(py + o, <f32>binaryScalar(op, load<f32>(pa + o), bs));
    }
  } else {
    const as = load<f32>(pa);
    const av = f32x4.splat(as);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(py + o, vop(op, av, v128.load(pb + o)));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(py + o, <f32>binaryScalar(op, as, load<f32>(pb + o)));
    }
  }
}

/** How two inputs step: 0 both by 1, 1 b fixed, 2 a fixed; −1 for any other strides (no SIMD path). */
@inline function stepMode(sa: i32, sb: i32): i32 {
  if (sa == 1 && sb == 1) return 0;
  if (sa == 1 && sb == 0) return 1;
  if (sa == 0 && sb == 1) return 2;
  return -1;
}

/** The SIMD path for float32 arithmetic; false when (op, strides) has none. */
function binF32(op: i32, pa: usize, sa: i32, pb: usize, sb: i32, py: usize, n: i32): bool {
  const mode = stepMode(sa, sb);
  if (mode < 0) return false;
  switch (op) {
    case BinaryCode.Add: binF32Loop(BinaryCode.Add, mode, pa, pb, py, n); return true;
    case BinaryCode.Sub: binF32Loop(BinaryCode.Sub, mode, pa, pb, py, n); return true;
    case BinaryCode.Mul: binF32Loop(BinaryCode.Mul, mode, pa, pb, py, n); return true;
    case BinaryCode.Div: binF32Loop(BinaryCode.Div, mode, pa, pb, py, n); return true;
    case BinaryCode.Maximum: binF32Loop(BinaryCode.Maximum, mode, pa, pb, py, n); return true;
    case BinaryCode.Minimum: binF32Loop(BinaryCode.Minimum, mode, pa, pb, py, n); return true;
    // No SIMD arithmetic form (comparisons go to cmpF32): the scalar float64 definition.
    case BinaryCode.Pow: case BinaryCode.Mod: case BinaryCode.Equal: case BinaryCode.NotEqual:
    case BinaryCode.Greater: case BinaryCode.GreaterEqual: case BinaryCode.Less: case BinaryCode.LessEqual:
    case BinaryCode.LogicalAnd: case BinaryCode.LogicalOr:
      return false;
    default: unreachable(); return false;
  }
}

@inline function vcmp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case BinaryCode.Equal: return f32x4.eq(a, b);
    case BinaryCode.NotEqual: return f32x4.ne(a, b);
    case BinaryCode.Greater: return f32x4.gt(a, b);
    case BinaryCode.GreaterEqual: return f32x4.ge(a, b);
    case BinaryCode.Less: return f32x4.lt(a, b);
    case BinaryCode.LessEqual: return f32x4.le(a, b);
    default: unreachable(); return a; // only the codes cmpF32 sends here
  }
}

/** Lanes of (a op b) for float32 comparisons, 16 at a time narrowed to bytes 0/1. */
@inline function cmpF32Loop(op: i32, mode: i32, pa: usize, pb: usize, py: usize, n: i32): void {
  const one = i8x16.splat(1);
  const sa: usize = mode == 2 ? 0 : 16, sb: usize = mode == 1 ? 0 : 16;
  const as = mode == 2 ? f32x4.splat(load<f32>(pa)) : f32x4.splat(0);
  const bs = mode == 1 ? f32x4.splat(load<f32>(pb)) : f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const m0 = vcmp(op, mode == 2 ? as : v128.load(pa + o), mode == 1 ? bs : v128.load(pb + o));
    const m1 = vcmp(op, mode == 2 ? as : v128.load(pa + o + sa), mode == 1 ? bs : v128.load(pb + o + sb));
    const m2 = vcmp(op, mode == 2 ? as : v128.load(pa + o + 2 * sa), mode == 1 ? bs : v128.load(pb + o + 2 * sb));
    const m3 = vcmp(op, mode == 2 ? as : v128.load(pa + o + 3 * sa), mode == 1 ? bs : v128.load(pb + o + 3 * sb));
    const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
    v128.store(py + <usize>i, v128.and(bytes, one));
  }
  for (; i < n; i++) {
    const a = mode == 2 ? load<f32>(pa) : load<f32>(pa + (<usize>i << 2));
    const b = mode == 1 ? load<f32>(pb) : load<f32>(pb + (<usize>i << 2));
    store<u8>(py + <usize>i, <u8>binaryScalar(op, a, b));
  }
}

/** The SIMD path for float32 comparisons (bool output); false when (op, strides) has none. */
function cmpF32(op: i32, pa: usize, sa: i32, pb: usize, sb: i32, py: usize, n: i32): bool {
  const mode = stepMode(sa, sb);
  if (mode < 0) return false;
  switch (op) {
    case BinaryCode.Equal: cmpF32Loop(BinaryCode.Equal, mode, pa, pb, py, n); return true;
    case BinaryCode.NotEqual: cmpF32Loop(BinaryCode.NotEqual, mode, pa, pb, py, n); return true;
    case BinaryCode.Greater: cmpF32Loop(BinaryCode.Greater, mode, pa, pb, py, n); return true;
    case BinaryCode.GreaterEqual: cmpF32Loop(BinaryCode.GreaterEqual, mode, pa, pb, py, n); return true;
    case BinaryCode.Less: cmpF32Loop(BinaryCode.Less, mode, pa, pb, py, n); return true;
    case BinaryCode.LessEqual: cmpF32Loop(BinaryCode.LessEqual, mode, pa, pb, py, n); return true;
    // Not a float32 comparison with a SIMD form: the scalar float64 definition.
    case BinaryCode.Add: case BinaryCode.Sub: case BinaryCode.Mul: case BinaryCode.Div: case BinaryCode.Pow:
    case BinaryCode.Maximum: case BinaryCode.Minimum: case BinaryCode.Mod:
    case BinaryCode.LogicalAnd: case BinaryCode.LogicalOr:
      return false;
    default: unreachable(); return false;
  }
}

/** n outputs y[i] = op(a[k·sa], b[k·sb]), k < n, through the float64 definition. */
function binRun<T, TO>(op: i32, pa: usize, sa: i32, pb: usize, sb: i32, py: usize, n: i32): void {
  // int32 products wrap (Math.imul), which float64 cannot reproduce above 2^53.
  if (!isFloat<T>() && sizeof<T>() == 4 && !isFloat<TO>() && sizeof<TO>() == 4 && op == BinaryCode.Mul) {
    for (let k = 0; k < n; k++) store<i32>(py + (<usize>k << 2), load<i32>(pa + (<usize>(k * sa) << 2)) * load<i32>(pb + (<usize>(k * sb) << 2)));
    return;
  }
  for (let k = 0; k < n; k++) st<TO>(py, k, binaryScalar(op, ld<T>(pa, k * sa), ld<T>(pb, k * sb)));
}

/** Rows shorter than this that repeat along the outer axis (a bias) take the pattern path. */
const SHORT_ROW: i32 = 64;

/**
 * float32 y = a op b on [rows, L] where one operand is a whole [rows, L] and the other one
 * row [L] repeated (a bias added to channels-last data). Walking row by row would do L
 * elements per stretch; instead the row is repeated into a pattern of whole rows that many
 * SIMD steps long, and y is computed in long contiguous runs against it. Outputs [s, e); the
 * op must be one binF32 has a SIMD loop for.
 */
function binF32Rows(op: i32, full: usize, row: usize, rowIsA: bool, L: i32, y: usize, s: i32, e: i32, pattern: usize): void {
  const reps = (256 + L - 1) / L;
  const span = reps * L;
  // pattern[j] = row[j mod L] for j < span + L, so it can be entered at any phase.
  for (let j = 0; j < span + L; j++) store<f32>(pattern + (<usize>j << 2), load<f32>(row + (<usize>(j % L) << 2)));
  const pb = pattern + (<usize>(s % L) << 2);
  for (let i = s; i < e; i += span) {
    const len = imin(span, e - i);
    const pf = full + (<usize>i << 2);
    const py = y + (<usize>i << 2);
    if (rowIsA) binF32(op, pb, 1, pf, 1, py, len);
    else binF32(op, pf, 1, pb, 1, py, len);
  }
}

/** Arguments: BinaryArg. */
export function binaryItem(args: usize, item: i32, scratch: usize): void {
  const op = arg(args, BinaryArg.Op), ti = arg(args, BinaryArg.InType), to = arg(args, BinaryArg.OutType);
  const a = ptr(args, BinaryArg.A), b = ptr(args, BinaryArg.B), y = ptr(args, BinaryArg.Y), n = arg(args, BinaryArg.N), chunk = arg(args, BinaryArg.Chunk);
  const rank = arg(args, BinaryArg.Rank);
  const shape = args + (<usize>BinaryArg.Tail << 2);
  const strides = shape + (<usize>rank << 2);
  const idx = scratch, offs = scratch + 256;
  const s = item * chunk;
  const e = imin(n, s + chunk);
  if (rank == 2 && ti == Elem.F32 && to == Elem.F32 && op <= BinaryCode.Minimum && op != BinaryCode.Pow) {
    const L = at32(shape, 1);
    const sa0 = at32(strides, 0), sa1 = at32(strides, 1), sb0 = at32(strides, 2), sb1 = at32(strides, 3);
    if (L < SHORT_ROW && sa1 == 1 && sb1 == 1 && sa0 + sb0 == L && sa0 * sb0 == 0) {
      // One operand whole ([rows, L]), the other one row repeated (stride 0 along rows).
      if (sb0 == 0) binF32Rows(op, a, b, false, L, y, s, e, scratch + 512);
      else binF32Rows(op, b, a, true, L, y, s, e, scratch + 512);
      return;
    }
  }
  const sa = at32(strides, rank - 1), sb = at32(strides, 2 * rank - 1);
  const ea = ti == Elem.U8 ? BYTE_LOG2 : WORD_LOG2;
  const eo = to == Elem.U8 ? BYTE_LOG2 : WORD_LOG2;
  walkInit(rank, shape, strides, 2, s, idx, offs);
  let i = s;
  while (i < e) {
    const len = stretch(rank, shape, idx, e - i);
    const pa = a + (<usize>at32(offs, 0) << ea);
    const pb = b + (<usize>at32(offs, 1) << ea);
    const py = y + (<usize>i << eo);
    if (ti == Elem.F32) {
      if (to == Elem.F32) {
        if (!binF32(op, pa, sa, pb, sb, py, len)) binRun<f32, f32>(op, pa, sa, pb, sb, py, len);
      } else if (to == Elem.I32) binRun<f32, i32>(op, pa, sa, pb, sb, py, len);
      else if (!cmpF32(op, pa, sa, pb, sb, py, len)) binRun<f32, u8>(op, pa, sa, pb, sb, py, len);
    } else if (ti == Elem.I32) {
      if (to == Elem.F32) binRun<i32, f32>(op, pa, sa, pb, sb, py, len);
      else if (to == Elem.I32) binRun<i32, i32>(op, pa, sa, pb, sb, py, len);
      else binRun<i32, u8>(op, pa, sa, pb, sb, py, len);
    } else {
      if (to == Elem.F32) binRun<u8, f32>(op, pa, sa, pb, sb, py, len);
      else if (to == Elem.I32) binRun<u8, i32>(op, pa, sa, pb, sb, py, len);
      else binRun<u8, u8>(op, pa, sa, pb, sb, py, len);
    }
    i += len;
    walkAdvance(rank, shape, strides, 2, idx, offs, len);
  }
}
