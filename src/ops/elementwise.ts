// Elementwise arithmetic, comparisons and selection. Each op: dtype rule, broadcast shape rule,
// one kernel call, and one gradient rule per input, written with ops (so it differentiates again).
import type { BinaryOp, UnaryOp } from '../backend/index.js';
import { broadcastShapes, type DType, DTypeError, fmtShape, isDType, isFloat, ValueError } from '../base/index.js';
import { type GradFn, record, runKernel, type Tensor } from '../tensor/index.js';
import { sumTo } from './reduce.js';
import { castTo, promotePair, requireNotBool, toFloat, toTensor, type TensorLike } from './util.js';

// ---- unary ----

function unary(name: string, op: UnaryOp, x: Tensor, grad: ((dy: Tensor, y: Tensor) => Tensor) | null, outDType: DType = x.dtype): Tensor {
  const [y] = runKernel('unary', [x], { op }, [{ shape: x.shape, dtype: outDType }]);
  return record(name, [x], y, [grad && isFloat(outDType) ? (dy) => grad(dy, y) : null]);
}

/** −x, elementwise. */
export function neg(x: TensorLike): Tensor {
  const t = toTensor('neg', x);
  requireNotBool('neg', t);
  return unary('neg', 'neg', t, (dy) => neg(dy));
}

/** |x|, elementwise. */
export function abs(x: TensorLike): Tensor {
  const t = toTensor('abs', x);
  requireNotBool('abs', t);
  return unary('abs', 'abs', t, (dy) => mul(dy, sign(t)));
}

/** −1, 0 or 1 by the sign of each element (its gradient is zero). */
export function sign(x: TensorLike): Tensor {
  const t = toTensor('sign', x);
  requireNotBool('sign', t);
  return unary('sign', 'sign', t, null);
}

/** eˣ, elementwise. */
export function exp(x: TensorLike): Tensor {
  const t = toFloat('exp', toTensor('exp', x));
  return unary('exp', 'exp', t, (dy, y) => mul(dy, y));
}

/** The natural logarithm, elementwise (−∞ at 0, NaN below). */
export function log(x: TensorLike): Tensor {
  const t = toFloat('log', toTensor('log', x));
  return unary('log', 'log', t, (dy) => div(dy, t));
}

/** √x, elementwise. */
export function sqrt(x: TensorLike): Tensor {
  const t = toFloat('sqrt', toTensor('sqrt', x));
  return unary('sqrt', 'sqrt', t, (dy, y) => div(dy, mul(y, 2)));
}

/** log(1 + x), accurate for small x. */
export function log1p(x: TensorLike): Tensor {
  const t = toFloat('log1p', toTensor('log1p', x));
  return unary('log1p', 'log1p', t, (dy) => div(dy, add(t, 1)));
}

/** exp(x) − 1, accurate for small x. */
export function expm1(x: TensorLike): Tensor {
  const t = toFloat('expm1', toTensor('expm1', x));
  return unary('expm1', 'expm1', t, (dy, y) => mul(dy, add(y, 1)));
}

/** The error function; d/dx erf(x) = 2/√π · e^(−x²). */
export function erf(x: TensorLike): Tensor {
  const t = toFloat('erf', toTensor('erf', x));
  return unary('erf', 'erf', t, (dy) => mul(dy, mul(exp(neg(square(t))), 2 / Math.sqrt(Math.PI))));
}

/** sin x, elementwise (radians). */
export function sin(x: TensorLike): Tensor {
  const t = toFloat('sin', toTensor('sin', x));
  return unary('sin', 'sin', t, (dy) => mul(dy, cos(t)));
}

/** cos x, elementwise (radians). */
export function cos(x: TensorLike): Tensor {
  const t = toFloat('cos', toTensor('cos', x));
  return unary('cos', 'cos', t, (dy) => neg(mul(dy, sin(t))));
}

/** The logistic function 1/(1 + e^(−x)), computed without overflow. */
export function sigmoid(x: TensorLike): Tensor {
  const t = toFloat('sigmoid', toTensor('sigmoid', x));
  return unary('sigmoid', 'sigmoid', t, (dy, y) => mul(dy, mul(y, sub(1, y))));
}

/** The hyperbolic tangent, elementwise: an activation with outputs in (−1, 1). */
export function tanh(x: TensorLike): Tensor {
  const t = toFloat('tanh', toTensor('tanh', x));
  return unary('tanh', 'tanh', t, (dy, y) => mul(dy, sub(1, square(y))));
}

function rounding(name: 'floor' | 'ceil' | 'round', x: TensorLike): Tensor {
  const t = toTensor(name, x);
  requireNotBool(name, t);
  return isFloat(t.dtype) ? unary(name, name, t, null) : t;
}
/** Rounds down to an integer value, elementwise (gradient 0). */
export const floor = (x: TensorLike): Tensor => rounding('floor', x);
/** Rounds up to an integer value, elementwise (gradient 0). */
export const ceil = (x: TensorLike): Tensor => rounding('ceil', x);
/** Round half to even (as NumPy and TensorFlow). */
export const round = (x: TensorLike): Tensor => rounding('round', x);

/** x², elementwise. */
export function square(x: TensorLike): Tensor {
  const t = toTensor('square', x);
  requireNotBool('square', t);
  return mul(t, t);
}

/** 1/x, elementwise. */
export function reciprocal(x: TensorLike): Tensor {
  return div(1, toFloat('reciprocal', toTensor('reciprocal', x)));
}

/** 1/√x, elementwise. */
export function rsqrt(x: TensorLike): Tensor {
  return reciprocal(sqrt(x));
}

/** Logical not of a bool tensor (other dtypes: x == 0). */
export function logicalNot(x: TensorLike): Tensor {
  return unary('logicalNot', 'logicalNot', toTensor('logicalNot', x), null, 'bool');
}

/** A bool tensor, true where x is NaN. */
export function isNaN(x: TensorLike): Tensor {
  return unary('isNaN', 'isNaN', toTensor('isNaN', x), null, 'bool');
}

/** True where the value is neither infinite nor NaN. */
export function isFinite(x: TensorLike): Tensor {
  const t = toTensor('isFinite', x);
  return less(abs(t), Infinity);
}

// ---- binary ----

function binary(name: string, op: BinaryOp, a: Tensor, b: Tensor, outDType: DType, grads: [GradFn, GradFn] | null): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const [y] = runKernel('binary', [a, b], { op }, [{ shape, dtype: outDType }]);
  if (!grads || !isFloat(outDType)) return y;
  return record(name, [a, b], y, [(dy) => sumTo(grads[0](dy), a.shape), (dy) => sumTo(grads[1](dy), b.shape)]);
}

/** Operands for arithmetic: one common dtype; bool op bool is refused, bool next to a number is promoted. */
function arithmetic(name: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const [x, y] = promotePair(name, a, b);
  if (x.dtype === 'bool') {
    throw new DTypeError(`${name}: arithmetic on bool tensors is not supported (got bool ${fmtShape(x.shape)} and bool ${fmtShape(y.shape)}); cast first`);
  }
  return [x, y];
}

/** a + b, elementwise, broadcasting as NumPy. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = arithmetic('add', a, b);
  return binary('add', 'add', x, y, x.dtype, [(dy) => dy, (dy) => dy]);
}

/** a − b, elementwise, broadcasting as NumPy. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = arithmetic('sub', a, b);
  return binary('sub', 'sub', x, y, x.dtype, [(dy) => dy, (dy) => neg(dy)]);
}

/** a · b, elementwise, broadcasting as NumPy. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = arithmetic('mul', a, b);
  return binary('mul', 'mul', x, y, x.dtype, [(dy) => mul(dy, y), (dy) => mul(dy, x)]);
}

/** True division; integer operands give float32. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  let [x, y] = arithmetic('div', a, b);
  if (!isFloat(x.dtype)) [x, y] = [castTo(x, 'float32'), castTo(y, 'float32')];
  return binary('div', 'div', x, y, x.dtype, [(dy) => div(dy, y), (dy) => neg(div(mul(dy, x), square(y)))]);
}

/**
 * x^y. d/dx = y·x^(y−1); d/dy = x^y·log x, taken as 0 where x ≤ 0 (where log x is undefined and
 * the exponent's gradient is conventionally dropped, as PyTorch does at x = 0).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = arithmetic('pow', a, b);
  return binary('pow', 'pow', x, y, x.dtype, [
    (dy) => mul(dy, mul(y, pow(x, sub(y, 1)))),
    (dy) => {
      const positive = greater(x, 0);
      const safeLog = log(where(positive, x, 1));
      return mul(dy, where(positive, mul(pow(x, y), safeLog), 0));
    },
  ]);
}

/** Elementwise maximum; at ties the gradient goes to the first operand. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = arithmetic('maximum', a, b);
  return binary('maximum', 'maximum', x, y, x.dtype, [
    (dy) => where(greaterEqual(x, y), dy, 0),
    (dy) => where(greaterEqual(x, y), 0, dy),
  ]);
}

/** Elementwise minimum; at ties the gradient goes to the first operand. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = arithmetic('minimum', a, b);
  return binary('minimum', 'minimum', x, y, x.dtype, [
    (dy) => where(lessEqual(x, y), dy, 0),
    (dy) => where(lessEqual(x, y), 0, dy),
  ]);
}

/** Remainder with the sign of the divisor (Python's %): x − floor(x/y)·y. */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = arithmetic('mod', a, b);
  return binary('mod', 'mod', x, y, x.dtype, [(dy) => dy, (dy) => neg(mul(dy, floor(div(x, y))))]);
}

function compare(name: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promotePair(name, a, b);
  return binary(name, name, x, y, 'bool', null);
}
/** a == b elementwise (broadcasting), as a bool tensor. */
export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('equal', a, b);
/** a != b elementwise (broadcasting), as a bool tensor. */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare('notEqual', a, b);
/** a > b elementwise (broadcasting), as a bool tensor. */
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('greater', a, b);
/** a ≥ b elementwise (broadcasting), as a bool tensor. */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare('greaterEqual', a, b);
/** a < b elementwise (broadcasting), as a bool tensor. */
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('less', a, b);
/** a ≤ b elementwise (broadcasting), as a bool tensor. */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare('lessEqual', a, b);

function logical(name: 'logicalAnd' | 'logicalOr', a: TensorLike, b: TensorLike): Tensor {
  const x = toTensor(name, a, 'bool');
  const y = toTensor(name, b, 'bool');
  if (x.dtype !== 'bool' || y.dtype !== 'bool') {
    throw new DTypeError(`${name}: expected bool tensors, got ${x.dtype} ${fmtShape(x.shape)} and ${y.dtype} ${fmtShape(y.shape)}`);
  }
  return binary(name, name, x, y, 'bool', null);
}
/** Logical and of two bool tensors, broadcasting. */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logical('logicalAnd', a, b);
/** Logical or of two bool tensors, broadcasting. */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logical('logicalOr', a, b);

/** Elements of `a` where `cond` is true, else of `b`; all three broadcast together. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor('where', cond, 'bool');
  if (c.dtype !== 'bool') throw new DTypeError(`where: condition must be bool, got ${c.dtype} ${fmtShape(c.shape)}`);
  const [x, y] = promotePair('where', a, b);
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, x.shape), y.shape);
  const [out] = runKernel('where', [c, x, y], {}, [{ shape, dtype: x.dtype }]);
  if (!isFloat(x.dtype)) return out;
  return record('where', [c, x, y], out, [
    null,
    (dy) => sumTo(where(c, dy, 0), x.shape),
    (dy) => sumTo(where(c, 0, dy), y.shape),
  ]);
}

/** Limit every element to [min, max]; the gradient passes where min ≤ x ≤ max. */
export function clip(x: TensorLike, min: number, max: number): Tensor {
  const t = toTensor('clip', x);
  requireNotBool('clip', t);
  if (!(min <= max)) throw new ValueError(`clip: min must be <= max, got min ${min}, max ${max}`);
  return minimum(maximum(t, min), max);
}

/** `x` converted to `dtype`. */
export function cast(x: TensorLike, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype ${JSON.stringify(dtype)}; expected float32, float64, int32 or bool`);
  return castTo(toTensor('cast', x), dtype);
}
