// Pooling: max, average, L2 (√(mean x²)) and sum over windows, in 1-D, 2-D and 3-D. Gradients as
// the lectures draw them: average pooling spreads dy evenly over its window; max pooling routes
// dy to the position of the maximum (scatter at the recorded arg-max, whose adjoint is gather).
// L2 and sum pooling are composites of average pooling.
import type { PoolAttrs } from '../backend/index.js';
import { checkOptions, fmtShape, is, sizeOf, spatialLayout, ShapeError, ValueError } from '../base/index.js';
import { backendRuns, gradDepth, record, runKernel, type Tensor, tensor } from '../tensor/index.js';
import { perAxis, type Padding, resolvePadding } from './conv.js';
import { mul, sqrt, square } from './elementwise.js';
import { windowOutputShape } from './geometry.js';
import { gather, reshape, scatterAdd } from './shape.js';
import { rankOps, requireFloat, toTensor, type TensorLike } from './util.js';

/** Options of the pooling ops: window `poolSize`, `strides` and `padding`. */
export interface PoolOptions {
  /** Window size (default 2). */
  poolSize?: number | readonly number[];
  /** Step between windows (default: the window size). */
  strides?: number | readonly number[];
  padding?: Padding;
}

function to3<T>(values: readonly T[], fill: T): [T, T, T] {
  const padded = [...new Array<T>(3 - values.length).fill(fill), ...values];
  return [padded[0], padded[1], padded[2]];
}

interface PreparedPool {
  x5: Tensor;
  attrs: Omit<PoolAttrs, 'op'>;
  out5: number[];
  outShape: number[];
}

const isAxes = is.anyOf(is.posInt, is.intArray);
const POOL_SPEC = { poolSize: isAxes, strides: isAxes, padding: is.anyOf(is.oneOf('valid', 'same'), is.nonNegInt, is.array) } as const;

function preparePool(op: string, xIn: TensorLike, dims: number, options: PoolOptions): PreparedPool {
  const opts = checkOptions(op, options, POOL_SPEC);
  const x = toTensor(op, xIn);
  requireFloat(op, x);
  const layout = spatialLayout(dims);
  if (x.rank !== dims + 2) throw new ShapeError(`${op}: input must be ${layout} (rank ${dims + 2}), got ${fmtShape(x.shape)}`);
  const window = perAxis(op, 'poolSize', opts.poolSize, dims, 2);
  const strides = opts.strides === undefined ? window : perAxis(op, 'strides', opts.strides, dims, 1);
  const spatial = x.shape.slice(1, dims + 1);
  const pads = resolvePadding(op, opts.padding ?? 'valid', spatial, window, strides);
  pads.forEach((p, i) => {
    if (p[0] >= window[i] || p[1] >= window[i]) throw new ValueError(`${op}: padding ${JSON.stringify(p)} must be smaller than the window ${window[i]}`);
  });
  const out = windowOutputShape(op, spatial, { window, strides, padding: pads }, x.shape) as number[];
  const C = x.shape[dims + 1];
  const x5 = reshape(x, [x.shape[0], ...to3(spatial, 1), C]);
  const attrs = { window: to3(window, 1), strides: to3(strides, 1), pads: to3(pads, [0, 0] as [number, number]) };
  return { x5, attrs, out5: [x.shape[0], ...to3(out, 1), C], outShape: [x.shape[0], ...out, C] };
}

function maxPoolNd(op: string, x: TensorLike, dims: number, opts: PoolOptions): Tensor {
  const p = preparePool(op, x, dims, opts);
  const x5 = p.x5;
  // Nothing to differentiate (inference, or an input off the tape): the maxima without their positions.
  if (gradDepth() === 0 || x5.node === null) {
    const [y] = runKernel('pool', [x5], { op: 'max', ...p.attrs }, [{ shape: p.out5, dtype: x5.dtype }]);
    return reshape(y, p.outShape);
  }
  const [y, argmax] = runKernel('pool', [x5], { op: 'max', ...p.attrs }, [{ shape: p.out5, dtype: x5.dtype }, { shape: p.out5, dtype: 'int32' }]);
  // dy is routed to each window's maximum; repeated maxima (overlapping windows) add up.
  const routed = record(op, [x5], y, [(dy) => maxPoolBackprop(dy, argmax, { op: 'max', ...p.attrs }, x5.shape)]);
  return reshape(routed, p.outShape);
}

/**
 * Max pooling's adjoint: dy scattered to the flat `argmax` positions of x. One kernel where the
 * backend has it, else scatterAdd; either way its own adjoint is gather at the same positions.
 */
function maxPoolBackprop(dy: Tensor, argmax: Tensor, attrs: PoolAttrs, xShape: readonly number[]): Tensor {
  const flatIndex = reshape(argmax, [-1]);
  if (backendRuns('maxPoolBackprop', [dy.dtype, 'int32', dy.dtype], attrs)) {
    const [dx] = runKernel('maxPoolBackprop', [dy, argmax], attrs, [{ shape: xShape, dtype: dy.dtype }]);
    return record('maxPoolBackprop', [dy, argmax], dx, [(g) => reshape(gather(reshape(g, [-1]), flatIndex, 0), dy.shape), null]);
  }
  return reshape(scatterAdd(reshape(dy, [-1]), flatIndex, 0, [sizeOf(xShape)]), xShape);
}

function avgPoolCore(x5: Tensor, attrs: PoolAttrs, out5: readonly number[]): Tensor {
  const [y] = runKernel('pool', [x5], attrs, [{ shape: out5, dtype: x5.dtype }]);
  return record('avgPool', [x5], y, [(dy) => avgPoolBackpropCore(dy, attrs, x5.shape)]);
}

function avgPoolBackpropCore(dy: Tensor, attrs: PoolAttrs, xShape: readonly number[]): Tensor {
  const [dx] = runKernel('avgPoolBackprop', [dy], attrs, [{ shape: xShape, dtype: dy.dtype }]);
  return record('avgPoolBackprop', [dy], dx, [(g) => avgPoolCore(g, attrs, dy.shape)]);
}

function avgPoolNd(op: string, x: TensorLike, dims: number, opts: PoolOptions): Tensor {
  const p = preparePool(op, x, dims, opts);
  return reshape(avgPoolCore(p.x5, { op: 'avg', ...p.attrs }, p.out5), p.outShape);
}

function l2PoolNd(op: string, x: TensorLike, dims: number, opts: PoolOptions): Tensor {
  const t = toTensor(op, x);
  requireFloat(op, t);
  return sqrt(avgPoolNd(op, square(t), dims, opts));
}

/** How many real (unpadded) elements of an axis of length n each of its `out` windows covers. */
function windowCounts(n: number, window: number, stride: number, padBefore: number, out: number): number[] {
  return Array.from({ length: out }, (_, o) => {
    const start = o * stride - padBefore;
    return Math.min(start + window, n) - Math.max(start, 0);
  });
}

// sum = avg · count: the average pooling kernel divides each window by the number of its real
// elements (padding is left out), so multiplying by that count, a constant of the geometry
// [1, OD, OH, OW, 1], gives the sum with padding counted as zeros.
function sumPoolNd(op: string, x: TensorLike, dims: number, opts: PoolOptions): Tensor {
  const p = preparePool(op, x, dims, opts);
  const { window, strides, pads } = p.attrs;
  const [cd, ch, cw] = [0, 1, 2].map((i) => windowCounts(p.x5.shape[i + 1], window[i], strides[i], pads[i][0], p.out5[i + 1]));
  const counts = cd.flatMap((a) => ch.flatMap((b) => cw.map((c) => a * b * c)));
  const countTensor = tensor(counts, [1, cd.length, ch.length, cw.length, 1], p.x5.dtype);
  return reshape(mul(avgPoolCore(p.x5, { op: 'avg', ...p.attrs }, p.out5), countTensor), p.outShape);
}

/** A pooling op of one rank: `[N, ...spatial, C]` → `[N, ...pooled, C]`. */
export type PoolOp = (x: TensorLike, opts?: PoolOptions) => Tensor;

/** The 1-D, 2-D and 3-D ops of one pooling rule `nd`. */
function poolRanks(name: string, nd: typeof maxPoolNd): [PoolOp, PoolOp, PoolOp] {
  return rankOps(name, (op, rank) => (x, opts = {}) => nd(op, x, rank, opts));
}

/** Max over windows of `[N, L, C]`, `[N, H, W, C]` or `[N, D, H, W, C]` (poolSize and strides default to 2). */
export const [maxPool1d, maxPool2d, maxPool3d] = poolRanks('maxPool', maxPoolNd);
/** Mean over windows of `[N, L, C]`, `[N, H, W, C]` or `[N, D, H, W, C]` (padding left out of the count). */
export const [avgPool1d, avgPool2d, avgPool3d] = poolRanks('avgPool', avgPoolNd);
/** √(Σ x²) over windows of `[N, L, C]`, `[N, H, W, C]` or `[N, D, H, W, C]`. */
export const [l2Pool1d, l2Pool2d, l2Pool3d] = poolRanks('l2Pool', l2PoolNd);
/** Sum over windows of `[N, L, C]`, `[N, H, W, C]` or `[N, D, H, W, C]`. */
export const [sumPool1d, sumPool2d, sumPool3d] = poolRanks('sumPool', sumPoolNd);
