// float32 SIMD versions of the transcendental functions training leans on (exp for softmax,
// sigmoid and tanh for LSTMs), after Cephes' expf/tanhf: a few ulp from the correctly
// rounded value (relative error below 1e-6 outside the subnormal range), where the scalar
// float64 definitions cost 10–50 ns an element.

const LOG2E: f32 = 1.44269504088896341;
// ln 2 split so that n·LN2_HI is exact for |n| < 2^10 (Cody–Waite reduction).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/**
 * e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, then scaled by 2^n in
 * two halves so that results near overflow and in the subnormal range come out right (and ±∞,
 * 0 and NaN propagate).
 */
@inline export function expF32x4(x: v128): v128 {
  // pmin/pmax (one instruction each) keep a NaN that is their first operand.
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(89)), f32x4.splat(-104));
  // n = round(x·log2 e) by adding 1.5·2^23: the sum's low mantissa bits then hold n.
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(12582912));
  const n = f32x4.sub(t, f32x4.splat(12582912));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^n = 2^n1 · 2^n2 with both halves inside the normal exponent range.
  const ni = i32x4.sub(t, i32x4.splat(0x4b400000)); // the bits of 1.5·2^23
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** 1 / (1 + e^−x), computed from e^−|x| so that neither branch overflows. */
@inline export function sigmoidF32x4(x: v128): v128 {
  const e = expF32x4(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  // x ≥ 0: 1/(1+e); x < 0: e/(1+e). (A NaN x fails the test and gives e·s = NaN.)
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, f32x4.splat(0)));
}

/**
 * tanh: below |x| = 0.625 the odd polynomial x + x³·P(x²) (no cancellation near 0); above,
 * 1 − 2/(e^{2|x|} + 1) with the sign of x.
 */
@inline export function tanhF32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(p, z), x));
  const e = expF32x4(f32x4.add(ax, ax));
  const large = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  // Copy x's sign onto the large-argument branch.
  const signed = v128.or(large, v128.and(x, i32x4.splat(0x80000000)));
  // |x| < 0.625 picks the polynomial; NaN fails the test and the other branch keeps it NaN.
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}
