// WGSL helpers that give the reference backend's results where WGSL's built-ins leave a case
// undefined (NaN handling, logarithms and powers of negative numbers, erf, log1p, expm1) and
// JavaScript's float → int32 conversion (truncation modulo 2³², NaN and ±∞ → 0).
export const WGSL_MATH = /* wgsl */ `
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isinf_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn nan_() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }
fn inf_() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }
fn signbit_(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }
fn toI32_(x: f32) -> i32 {
  if (abs(x) < 2147483648.0) { return i32(x); }
  if (isnan_(x) || isinf_(x)) { return 0; }
  let k = floor(x / 4294967296.0);
  return bitcast<i32>(u32(x - k * 4294967296.0));
}
fn sign_(x: f32) -> f32 {
  if (x > 0.0) { return 1.0; }
  if (x < 0.0) { return -1.0; }
  return x;
}
fn log_(x: f32) -> f32 {
  if (isnan_(x) || x < 0.0) { return nan_(); }
  if (x == 0.0) { return -inf_(); }
  if (abs(x - 1.0) < 0.01) { return log1p_(x - 1.0); }
  return log(x);
}
fn sqrt_(x: f32) -> f32 {
  if (isnan_(x) || x < 0.0) { return nan_(); }
  return sqrt(x);
}
fn exp_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (x > 88.8) { return inf_(); }
  if (x < -104.0) { return 0.0; }
  return exp(x);
}
fn sigmoid_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + exp_(-x)); }
  let e = exp_(x);
  return e / (1.0 + e);
}
fn tanh_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  let z = x * x;
  if (abs(x) < 0.02) { return x * (1.0 + z * (-1.0 / 3.0 + z * (2.0 / 15.0 - z * 17.0 / 315.0))); }
  return tanh(clamp(x, -15.0, 15.0));
}
fn log1p_(x: f32) -> f32 {
  if (isnan_(x) || x < -1.0) { return nan_(); }
  if (x == -1.0) { return -inf_(); }
  if (isinf_(x)) { return x; }
  if (abs(x) < 0.01) { return x * (1.0 + x * (-0.5 + x * (1.0 / 3.0 + x * (-0.25 + x * 0.2)))); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn expm1_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (x > 88.8) { return inf_(); }
  if (x < -20.0) { return -1.0; }
  if (abs(x) < 0.01) { return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x / 120.0)))); }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  return um1 * x / log(u);
}
fn erf_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  let a = abs(x);
  if (a < 0.5) {
    let z = x * x;
    return 1.1283791670955126 * x * (1.0 + z * (-1.0 / 3.0 + z * (0.1 + z * (-1.0 / 42.0 + z * (1.0 / 216.0 + z * (-1.0 / 1320.0))))));
  }
  if (a > 4.0) { return sign_(x); }
  // Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7).
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let p = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign_(x) * (1.0 - p * exp(-a * a));
}
fn pow_(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  let ab = abs(a);
  let integral = floor(b) == b;
  let odd = integral && abs(b) < 16777216.0 && fract(b * 0.5) != 0.0;
  var r: f32;
  if (ab == 0.0) {
    r = select(inf_(), 0.0, b > 0.0);
  } else if (isinf_(ab)) {
    r = select(0.0, inf_(), b > 0.0);
  } else if (isinf_(b)) {
    if (ab == 1.0) { return nan_(); }
    r = select(0.0, inf_(), (ab > 1.0) == (b > 0.0));
    return r;
  } else if (ab == 1.0 && !signbit_(a)) {
    return 1.0;
  } else {
    if (a < 0.0 && !integral) { return nan_(); }
    r = pow(ab, b);
  }
  if (signbit_(a) && odd) { r = -r; }
  return r;
}
fn mod_(a: f32, b: f32) -> f32 {
  if (b == 0.0 || isnan_(a) || isnan_(b) || isinf_(a)) { return nan_(); }
  if (isinf_(b)) {
    if (a == 0.0 || (a > 0.0) == (b > 0.0)) { return a; }
    return b;
  }
  var r = a - b * trunc(a / b);
  if (abs(r) >= abs(b)) { r = r - b * trunc(r / b); }
  if (r != 0.0 && ((r < 0.0) != (b < 0.0))) { r = r + b; }
  return r;
}
// sin and cos reduced to [-π/4, π/4] (Cody–Waite, π/2 in three parts) with Cephes's minimax
// polynomials: WGSL only promises 2^-11 absolute error for the built-ins.
fn sincos_(x: f32, cosine: bool) -> f32 {
  if (isnan_(x) || isinf_(x)) { return nan_(); }
  if (abs(x) > 65536.0) { return select(sin(x), cos(x), cosine); }
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.549789948768648e-8;
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let q = (i32(k) + select(0, 1, cosine)) & 3;
  if (q == 0) { return s; }
  if (q == 1) { return c; }
  if (q == 2) { return -s; }
  return -c;
}
fn nz_(x: f32) -> bool { return isnan_(x) || x != 0.0; }
fn ne_(a: f32, b: f32) -> bool { return isnan_(a) || isnan_(b) || a != b; }
fn max_(a: f32, b: f32) -> f32 { if (a >= b || isnan_(a)) { return a; } return b; }
fn min_(a: f32, b: f32) -> f32 { if (a <= b || isnan_(a)) { return a; } return b; }
fn ipow_(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) != 0) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}
fn imod_(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}
fn idiv_(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0 - a; }
  return a / b;
}
`;
