// Reductions with `axis` (a number, a list, or undefined for all axes) and `keepDims`.
import type { ReduceOp } from '../backend/index.js';
import { broadcastAxes, checkOptions, fmtShape, is, isFloat, normalizeAxes, normalizeAxis, shapesEqual, sizeOf, ValueError, type DType } from '../base/index.js';
import { record, runKernel, type Tensor } from '../tensor/index.js';
import { add, div, equal, exp, isFinite, log, mul, sqrt, square, sub, where } from './elementwise.js';
import { broadcastTo, reshape, stopGradient, transpose } from './shape.js';
import { castTo, requireNotBool, toFloat, toTensor, type TensorLike } from './util.js';

/** One axis or several; negative axes count from the end. */
export type Axis = number | readonly number[];

/** The shape after reducing `axes` away, or to 1 with keepDims. */
function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * Run the reduce kernel over `axes`. The kernel reduces the middle of [outer, size, inner]; axes
 * that are not one contiguous run are first transposed to the end.
 */
function reduceKernel(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean, dtype: DType): Tensor {
  const outShape = reducedShape(x.shape, axes, keepDims);
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  let input = x;
  let lo = axes[0] ?? x.rank;
  let hi = (axes[axes.length - 1] ?? x.rank - 1) + 1;
  if (!contiguous) {
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    input = transpose(x, [...kept, ...axes]);
    lo = kept.length;
    hi = x.rank;
  }
  const dims = input.shape;
  const attrs = { op, outer: sizeOf(dims.slice(0, lo)), size: sizeOf(dims.slice(lo, hi)), inner: sizeOf(dims.slice(hi)) };
  const [y] = runKernel('reduce', [input], attrs, [{ shape: outShape, dtype }]);
  return y;
}

/** dy reduced over `axes` with keepDims=false → broadcast back to `shape`. */
function expandGrad(dy: Tensor, shape: readonly number[], axes: number[]): Tensor {
  return broadcastTo(reshape(dy, reducedShape(shape, axes, true)), shape);
}

/** The sum over `axis` (default: all axes); `keepDims` keeps the reduced axes with size 1. */
export function sum(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  let t = toTensor('sum', x);
  if (t.dtype === 'bool') t = castTo(t, 'int32');
  const axes = normalizeAxes('sum', axis, t.rank);
  const y = reduceKernel('sum', t, axes, keepDims, t.dtype);
  const shape = t.shape;
  return record('sum', [t], y, [(dy) => expandGrad(dy, shape, axes)]);
}

/** The mean over `axis` (default: all axes). */
export function mean(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = toTensor('mean', x);
  const f = t.dtype === 'bool' ? castTo(t, 'float32') : toFloat('mean', t);
  const axes = normalizeAxes('mean', axis, f.rank);
  const n = sizeOf(axes.map((a) => f.shape[a]));
  return div(sum(f, axes, keepDims), n);
}

/** Max or min; the gradient is shared equally among tied extremes. */
function extreme(name: 'max' | 'min', x: TensorLike, axis: Axis | undefined, keepDims: boolean): Tensor {
  const t = toTensor(name, x);
  requireNotBool(name, t);
  const axes = normalizeAxes(name, axis, t.rank);
  for (const a of axes) if (t.shape[a] === 0) throw new ValueError(`${name}: cannot reduce over empty axis ${a} of shape ${fmtShape(t.shape)}`);
  const y = reduceKernel(name, t, axes, keepDims, t.dtype);
  if (!isFloat(t.dtype)) return y;
  return record(name, [t], y, [
    (dy) => {
      const yKeep = reshape(y, reducedShape(t.shape, axes, true));
      const mask = castTo(equal(t, yKeep), t.dtype);
      const count = sum(mask, axes, true);
      const dyKeep = reshape(dy, reducedShape(t.shape, axes, true));
      return div(mul(mask, dyKeep), count);
    },
  ]);
}
/** The maximum over `axis` (default: all axes); the gradient goes to the maxima. */
export const max = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => extreme('max', x, axis, keepDims);
/** The minimum over `axis` (default: all axes). */
export const min = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => extreme('min', x, axis, keepDims);

/** Index (int32) of the first maximum along `axis`; without an axis, into the flattened tensor. */
function argExtreme(name: 'argmax' | 'argmin', x: TensorLike, axis: number | undefined, keepDims: boolean): Tensor {
  let t = toTensor(name, x);
  requireNotBool(name, t);
  if (axis === undefined) {
    t = reshape(t, [-1]);
    axis = 0;
    keepDims = false;
  }
  const a = normalizeAxis(name, axis, t.rank);
  if (t.shape[a] === 0) throw new ValueError(`${name}: cannot reduce over empty axis ${a} of shape ${fmtShape(t.shape)}`);
  return reduceKernel(name, t, [a], keepDims, 'int32');
}
/** The int32 index of the maximum along `axis` (default: over the flattened tensor). */
export const argmax = (x: TensorLike, axis?: number, keepDims = false): Tensor => argExtreme('argmax', x, axis, keepDims);
/** The int32 index of the minimum along `axis` (default: over the flattened tensor). */
export const argmin = (x: TensorLike, axis?: number, keepDims = false): Tensor => argExtreme('argmin', x, axis, keepDims);

/** Population variance, mean((x − mean x)²). */
export function variance(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = toFloat('variance', toTensor('variance', x));
  normalizeAxes('variance', axis, t.rank);
  return mean(square(sub(t, mean(t, axis, true))), axis, keepDims);
}

/** Population standard deviation. */
export function std(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return sqrt(variance(x, axis, keepDims));
}

/** log Σ exp(x), computed as m + log Σ exp(x − m) with m the (gradient-free) maximum. */
export function logSumExp(x: TensorLike, axis?: Axis, keepDims = false): Tensor {
  const t = toFloat('logSumExp', toTensor('logSumExp', x));
  const axes = normalizeAxes('logSumExp', axis, t.rank);
  const m = stopGradient(max(t, axes, true));
  const safeM = where(isFinite(m), m, 0); // all −∞ → log 0 = −∞, not NaN
  const y = add(log(sum(exp(sub(t, safeM)), axes, true)), safeM);
  return keepDims ? y : reshape(y, reducedShape(t.shape, axes, false));
}

function boolReduce(name: 'any' | 'all', x: TensorLike, axis: Axis | undefined, keepDims: boolean): Tensor {
  const t = castTo(toTensor(name, x), 'bool');
  return reduceKernel(name, t, normalizeAxes(name, axis, t.rank), keepDims, 'bool');
}
/** Whether any element along `axis` is true (non-zero), as bool. */
export const any = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => boolReduce('any', x, axis, keepDims);
/** Whether every element along `axis` is true (non-zero), as bool. */
export const all = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => boolReduce('all', x, axis, keepDims);

/** Sum `x` down to `shape` over the axes along which `shape` was broadcast (gradients of broadcasting ops). */
export function sumTo(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const axes = broadcastAxes(shape, x.shape);
  return reshape(sum(x, axes, true), shape);
}

/** Options of {@link cumsum}: `exclusive` and `reverse`. */
export interface CumsumOptions {
  /** Each sum leaves out its own element (the first output is 0). Default false. */
  exclusive?: boolean;
  /** Sum from the end of the axis towards its start. Default false. */
  reverse?: boolean;
}

/**
 * Running sums along `axis` (default 0, as tf.cumsum): y[…, k, …] = Σ_{j ≤ k} x[…, j, …].
 * The gradient is the running sum of dy in the opposite direction (the adjoint of a lower-
 * triangular all-ones matrix is the upper-triangular one), so it is differentiable again.
 */
export function cumsum(x: TensorLike, axis = 0, options: CumsumOptions = {}): Tensor {
  const { exclusive = false, reverse = false } = checkOptions('cumsum', options, { exclusive: is.bool, reverse: is.bool });
  let t = toTensor('cumsum', x);
  if (t.dtype === 'bool') t = castTo(t, 'int32');
  if (t.rank === 0) throw new ValueError(`cumsum: needs a tensor of rank ≥ 1, got shape ${fmtShape(t.shape)}`);
  const ax = normalizeAxis('cumsum', axis, t.rank);
  const attrs = { outer: sizeOf(t.shape.slice(0, ax)), size: t.shape[ax], inner: sizeOf(t.shape.slice(ax + 1)), exclusive, reverse };
  const [y] = runKernel('cumsum', [t], attrs, [{ shape: t.shape, dtype: t.dtype }]);
  return record('cumsum', [t], y, [(dy) => cumsum(dy, ax, { exclusive, reverse: !reverse })]);
}
