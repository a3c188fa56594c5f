// The scalar float64 definition of every unary and binary op code, mirroring the reference
// backend exactly (values widened to float64, computed, then stored as a typed array would).
// The SIMD loops of elementwise.ts cover the hot float32 cases; everything else comes here.
import { BinaryCode, UnaryCode } from '../tasks';

/** erf(x) as the reference computes it: Taylor series below 3, continued fraction above. */
function erf(x: f64): f64 {
  if (isNaN<f64>(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / <f64>n;
      const add = term / <f64>(2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 27) return Math.sign(x);
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + <f64>k / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}

function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function unaryScalar(op: i32, x: f64): f64 {
  switch (op) {
    case UnaryCode.Neg: return -x;
    case UnaryCode.Abs: return Math.abs(x);
    case UnaryCode.Sign: return x > 0 ? 1 : x < 0 ? -1 : x;
    case UnaryCode.Exp: return Math.exp(x);
    case UnaryCode.Log: return Math.log(x);
    case UnaryCode.Sqrt: return Math.sqrt(x);
    case UnaryCode.Sigmoid: return sigmoid(x);
    case UnaryCode.Tanh: return Math.tanh(x);
    case UnaryCode.Log1p: return Math.log1p(x);
    case UnaryCode.Expm1: return Math.expm1(x);
    case UnaryCode.Erf: return erf(x);
    case UnaryCode.Sin: return Math.sin(x);
    case UnaryCode.Cos: return Math.cos(x);
    case UnaryCode.Floor: return Math.floor(x);
    case UnaryCode.Ceil: return Math.ceil(x);
    case UnaryCode.Round: return nearest<f64>(x); // ties to even, like the reference
    case UnaryCode.LogicalNot: return x == 0 ? 1 : 0;
    case UnaryCode.IsNaN: return isNaN<f64>(x) ? 1 : 0;
    default: unreachable(); return 0; // a code without a case: a bug, not a silent result
  }
}

/** JavaScript's Math.pow where it differs from C's pow (NaN exponent, |base| = 1 with ±∞). */
function jsPow(a: f64, b: f64): f64 {
  if (isNaN<f64>(b)) return NaN;
  if (!isFinite<f64>(b) && Math.abs(a) == 1) return NaN;
  return Math.pow(a, b);
}

export function binaryScalar(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case BinaryCode.Add: return a + b;
    case BinaryCode.Sub: return a - b;
    case BinaryCode.Mul: return a * b;
    case BinaryCode.Div: return a / b;
    case BinaryCode.Pow: return jsPow(a, b);
    case BinaryCode.Maximum: return a >= b || isNaN<f64>(a) ? a : b;
    case BinaryCode.Minimum: return a <= b || isNaN<f64>(a) ? a : b;
    case BinaryCode.Mod: {
      // Python's remainder: the sign of the divisor.
      const r = a % b;
      return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }
    case BinaryCode.Equal: return a == b ? 1 : 0;
    case BinaryCode.NotEqual: return a != b ? 1 : 0;
    case BinaryCode.Greater: return a > b ? 1 : 0;
    case BinaryCode.GreaterEqual: return a >= b ? 1 : 0;
    case BinaryCode.Less: return a < b ? 1 : 0;
    case BinaryCode.LessEqual: return a <= b ? 1 : 0;
    case BinaryCode.LogicalAnd: return a != 0 && b != 0 ? 1 : 0;
    case BinaryCode.LogicalOr: return a != 0 || b != 0 ? 1 : 0;
    default: unreachable(); return 0;
  }
}
