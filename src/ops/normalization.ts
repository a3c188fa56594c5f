// Local response normalisation (Krizhevsky et al. 2012, AlexNet), with TensorFlow's semantics on
// channels-last x [N, H, W, C]: each activation is divided by the energy of its 2r + 1
// neighbouring channels,
//   sqrSum[n, h, w, d] = Σ_{d' = d−r}^{d+r} x[n, h, w, d']²   (channels past either end count as 0)
//   out = x / (bias + alpha · sqrSum)^beta.
// A composite: the windowed channel sum is a 1-D convolution of x² with a ones filter along the
// channel axis, so the gradient comes from conv, pow and div.
import { checkOptions, fmtShape, is, ShapeError, ValueError } from '../base/index.js';
import { ones, type Tensor } from '../tensor/index.js';
import { conv1d } from './conv.js';
import { add, div, maximum, mul, pow, rsqrt, square } from './elementwise.js';
import { sum, type Axis } from './reduce.js';
import { reshape } from './shape.js';
import { requireFloat, toTensor, type TensorLike } from './util.js';

/** Options of {@link localResponseNormalization}. */
export interface LocalResponseNormalizationOptions {
  /** r: the window covers channels d − r … d + r (default 5). */
  depthRadius?: number;
  /** Added to the scaled sum before the power (default 1). */
  bias?: number;
  /** Scale of the sum of squares (default 1). */
  alpha?: number;
  /** Exponent (default 0.5). */
  beta?: number;
}

/** x / (bias + α · Σ x² over the channels d − r … d + r)^β for `[N, H, W, C]` (AlexNet's normalisation). */
export function localResponseNormalization(xIn: TensorLike, options: LocalResponseNormalizationOptions = {}): Tensor {
  const op = 'localResponseNormalization';
  const opts = checkOptions(op, options, { depthRadius: is.nonNegInt, bias: is.finite, alpha: is.finite, beta: is.finite });
  const x = toTensor(op, xIn);
  requireFloat(op, x);
  if (x.rank !== 4) throw new ShapeError(`${op}: input must be [N, H, W, C] (rank 4), got ${fmtShape(x.shape)}`);
  const { depthRadius = 5, bias = 1, alpha = 1, beta = 0.5 } = opts;
  if (!Number.isInteger(depthRadius) || depthRadius < 0) throw new ValueError(`${op}: depthRadius must be a non-negative integer, got ${JSON.stringify(depthRadius)}`);
  for (const [name, v] of [['bias', bias], ['alpha', alpha], ['beta', beta]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${typeof v === 'number' ? v : JSON.stringify(v)}`);
  }
  const C = x.shape[3];
  // x² as [N·H·W, C, 1] so that channels are the convolution's length axis.
  const squares = reshape(square(x), [-1, C, 1]);
  const window = ones([2 * depthRadius + 1, 1, 1], x.dtype);
  const sqrSum = reshape(conv1d(squares, window, { padding: [[depthRadius, depthRadius]] }), x.shape);
  return div(x, pow(add(mul(sqrSum, alpha), bias), beta));
}

/**
 * x scaled to unit L2 norm along `axis` (default the last), as tf.math.l2_normalize:
 * y = x / √max(Σ_axis x², epsilon), so an all-zero slice stays zero instead of becoming NaN.
 * A composite of square, sum, maximum and rsqrt: its gradient comes from theirs.
 */
export function l2Normalize(x: TensorLike, axis: Axis = -1, epsilon = 1e-12): Tensor {
  const t = toTensor('l2Normalize', x);
  requireFloat('l2Normalize', t);
  if (!(epsilon >= 0)) throw new ValueError(`l2Normalize: epsilon must be a non-negative number, got ${epsilon}`);
  return mul(t, rsqrt(maximum(sum(square(t), axis, true), epsilon)));
}
