// Helpers shared by the kernels: argument access, dtype codes and JavaScript's number
// conversions (the reference backend stores through typed arrays, so int32 results wrap like
// ToInt32 and bool results like ToUint8).

import { WORD_LOG2 } from '../tasks';

/** dtype codes, as the TypeScript side writes them into argument blocks. */
export const F32: i32 = 0;
export const I32: i32 = 1;
export const U8: i32 = 2;

/** The i-th 32-bit argument of a task's argument block. */
@inline export function arg(args: usize, i: i32): i32 {
  return load<i32>(args + (<usize>i << WORD_LOG2));
}

/** The i-th argument read as a byte offset into memory (pointers may exceed 2^31). */
@inline export function ptr(args: usize, i: i32): usize {
  return <usize>load<u32>(args + (<usize>i << WORD_LOG2));
}

/** The i-th argument read as a float32. */
@inline export function argf(args: usize, i: i32): f32 {
  return load<f32>(args + (<usize>i << WORD_LOG2));
}

@inline export function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

@inline export function imax(a: i32, b: i32): i32 {
  return a > b ? a : b;
}

/** ECMAScript ToInt32: truncate, wrap modulo 2^32; NaN and ±Infinity give 0. */
export function toInt32(x: f64): i32 {
  if (!isFinite<f64>(x)) return 0;
  x = trunc<f64>(x);
  if (x >= -2147483648.0 && x <= 2147483647.0) return <i32>x;
  const m = x - Math.floor(x / 4294967296.0) * 4294967296.0;
  return <i32><u32>m;
}

/** Load element i of an array of T as a float64 (as the reference backend reads it). */
@inline export function ld<T>(p: usize, i: i32): f64 {
  return <f64>load<T>(p + (<usize>i << alignof<T>()));
}

/** Store v into element i of an array of T the way a JavaScript typed array would. */
@inline export function st<T>(p: usize, i: i32, v: f64): void {
  const at = p + (<usize>i << alignof<T>());
  if (isFloat<T>()) store<T>(at, <T>v);
  else if (sizeof<T>() == 4) store<i32>(at, toInt32(v));
  else store<u8>(at, <u8>toInt32(v));
}

/** 4×4 transpose of rows r0..r3 (each 4 floats): lane j of output k is lane k of row j. */
@inline export function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}
