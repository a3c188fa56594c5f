// where (select by a bool condition, broadcasting all three operands) and cast (dtype
// conversion, also a plain copy), over the broadcasting walk of elementwise.ts.
import { BYTE_LOG2, CastArg, Elem, WORD_LOG2, WhereArg } from '../tasks';
import { arg, ld, ptr, st, imin } from './common';
import { at32, stretch, walkAdvance, walkInit } from './elementwise';

/** Arguments: WhereArg (elemLog2 0 or 2; cond is bool). */
export function whereItem(args: usize, item: i32, scratch: usize): void {
  const el = arg(args, WhereArg.ElemLog2);
  const cond = ptr(args, WhereArg.Cond), a = ptr(args, WhereArg.A), b = ptr(args, WhereArg.B), y = ptr(args, WhereArg.Y);
  const n = arg(args, WhereArg.N), chunk = arg(args, WhereArg.Chunk), rank = arg(args, WhereArg.Rank);
  const shape = args + (<usize>WhereArg.Tail << 2);
  const strides = shape + (<usize>rank << 2);
  const idx = scratch, offs = scratch + 256;
  const s = item * chunk;
  const e = imin(n, s + chunk);
  const sc = at32(strides, rank - 1), sa = at32(strides, 2 * rank - 1), sb = at32(strides, 3 * rank - 1);
  walkInit(rank, shape, strides, 3, s, idx, offs);
  let i = s;
  while (i < e) {
    const len = stretch(rank, shape, idx, e - i);
    const pc = cond + <usize>at32(offs, 0);
    const pa = a + (<usize>at32(offs, 1) << el);
    const pb = b + (<usize>at32(offs, 2) << el);
    const py = y + (<usize>i << el);
    if (el == WORD_LOG2 && sc == 1 && (sa | sb) <= 1) {
      // 4-byte elements, contiguous condition, each value contiguous or fixed: SIMD select.
      const va = v128.load32_splat(pa), vb = v128.load32_splat(pb);
      let k = 0;
      for (; k + 4 <= len; k += 4) {
        const c4 = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(pc + <usize>k)));
        const o = <usize>k << 2;
        const x1 = sa == 1 ? v128.load(pa + o) : va;
        const x2 = sb == 1 ? v128.load(pb + o) : vb;
        v128.store(py + o, v128.bitselect(x1, x2, i32x4.ne(c4, i32x4.splat(0))));
      }
      for (; k < len; k++) {
        const src = load<u8>(pc + <usize>k) != 0 ? pa + (<usize>(k * sa) << 2) : pb + (<usize>(k * sb) << 2);
        store<u32>(py + (<usize>k << 2), load<u32>(src));
      }
    } else if (el == WORD_LOG2) {
      for (let k = 0; k < len; k++) {
        const src = load<u8>(pc + <usize>(k * sc)) != 0 ? pa + (<usize>(k * sa) << 2) : pb + (<usize>(k * sb) << 2);
        store<u32>(py + (<usize>k << 2), load<u32>(src));
      }
    } else {
      for (let k = 0; k < len; k++) {
        const src = load<u8>(pc + <usize>(k * sc)) != 0 ? pa + <usize>(k * sa) : pb + <usize>(k * sb);
        store<u8>(py + <usize>k, load<u8>(src));
      }
    }
    i += len;
    walkAdvance(rank, shape, strides, 3, idx, offs, len);
  }
}

function castRun<TI, TO>(x: usize, y: usize, s: i32, e: i32): void {
  for (let i = s; i < e; i++) {
    const v = ld<TI>(x, i);
    // bool: nonzero (NaN included) → 1; int32: truncate and wrap; float32: round.
    if (!isFloat<TO>() && sizeof<TO>() == 1) store<u8>(y + <usize>i, v != 0 ? 1 : 0);
    else st<TO>(y, i, v);
  }
}

/** Arguments: CastArg. */
export function castItem(args: usize, item: i32): void {
  const ti = arg(args, CastArg.InType), to = arg(args, CastArg.OutType);
  const x = ptr(args, CastArg.X), y = ptr(args, CastArg.Y), n = arg(args, CastArg.N), chunk = arg(args, CastArg.Chunk);
  const s = item * chunk;
  const e = imin(n, s + chunk);
  if (ti == to) {
    const l = ti == Elem.U8 ? BYTE_LOG2 : WORD_LOG2;
    memory.copy(y + (<usize>s << l), x + (<usize>s << l), <usize>(e - s) << l);
  } else if (ti == Elem.F32) {
    if (to == Elem.I32) castRun<f32, i32>(x, y, s, e);
    else castRun<f32, u8>(x, y, s, e);
  } else if (ti == Elem.I32) {
    if (to == Elem.F32) castRun<i32, f32>(x, y, s, e);
    else castRun<i32, u8>(x, y, s, e);
  } else {
    if (to == Elem.F32) castRun<u8, f32>(x, y, s, e);
    else castRun<u8, i32>(x, y, s, e);
  }
}
