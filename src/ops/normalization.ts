// Local response normalisation (Krizhevsky et al. 2012, AlexNet), with TensorFlow's semantics on
// channels-last x [N, H, W, C]: each activation is divided by the energy of its 2r + 1
// neighbouring channels,
//   sqrSum[n, h, w, d] = Σ_{d' = d−r}^{d+r} x[n, h, w, d']²   (channels past either end count as 0)
//   out = x / (bias + alpha · sqrSum)^beta.
// A composite: the windowed channel sum is a 1-D convolution of x² with a ones filter along the
// channel axis, so the gradient comes from conv, pow and div.
import type { BatchNormAttrs } from '../backend/index.js';
import { checkOptions, fmtShape, is, isFloat, ShapeError, ValueError } from '../base/index.js';
import { backendRuns, isRecording, noGrad, ones, record, runKernel, type Tensor } from '../tensor/index.js';
import { conv1d } from './conv.js';
import { add, div, maximum, mul, neg, pow, rsqrt, square, sub } from './elementwise.js';
import { mean, sum, type Axis } from './reduce.js';
import { reshape } from './shape.js';
import { jointGrads, requireFloat, toTensor, type TensorLike } from './util.js';

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

/**
 * Batch normalisation in training mode: y = γ·(x − μ)·r + β with r = 1/√(σ² + ε) and μ, σ² (biased)
 * the statistics over `axes` (every axis but the features'); γ and β (either may be null) have
 * the features' size. Returns y and μ, σ² with `axes` kept as size 1. The backward pass is
 * written out instead of recorded op by op:
 *   dβ = Σ dy,  dγ = r·Σ dy·(x − μ),
 *   dx = γ·r·(dy − mean(dy)) − γ·r³·(x − μ)·mean(dy·(x − μ))
 * (the sums and means over `axes`); the recorded chain of the forward formula (mean, subtract,
 * square, mean, add, rsqrt, two multiplies, add) costs about 25 passes over x per training step.
 * Channels last (every axis but the last reduced), on a backend with the batchNormTraining
 * kernels (native, and cpu's reference loops), each direction is one kernel of two passes;
 * elsewhere the same formulas run as ops, 6 passes forward and 7 backward. When the backward
 * pass is itself being recorded (a gradient of a gradient, as in a gradient penalty) the rule
 * recomputes x − μ and r from x with ops, so that it is differentiable in x as well.
 */
export function batchNormTraining(xIn: TensorLike, gamma: Tensor | null, beta: Tensor | null, axes: readonly number[], epsilon: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const op = 'batchNormTraining';
  const x = toTensor(op, xIn);
  requireFloat(op, x);
  const reduced = [...axes].sort((a, b) => a - b);
  if (reduced.some((a, i) => !Number.isInteger(a) || a < 0 || a >= x.rank || (i > 0 && a === reduced[i - 1]))) {
    throw new ValueError(`${op}: axes ${JSON.stringify(axes)} must be distinct axes of x ${fmtShape(x.shape)}`);
  }
  const statShape = x.shape.map((d, i) => (reduced.includes(i) ? 1 : d));
  const features = statShape.reduce((a, b) => a * b, 1);
  for (const [name, p] of [['gamma', gamma], ['beta', beta]] as const) {
    if (p && (p.size !== features || p.dtype !== x.dtype)) {
      throw new ShapeError(`${op}: ${name} ${fmtShape(p.shape)} ${p.dtype} must hold one ${x.dtype} value per feature (${features}) of x ${fmtShape(x.shape)}`);
    }
  }
  if (!(epsilon >= 0)) throw new ValueError(`${op}: epsilon must be ≥ 0, got ${epsilon}`);
  const params = [gamma, beta].filter((p): p is Tensor => p !== null);
  const centred = (input: Tensor): { mu: Tensor; xc: Tensor; variance: Tensor; r: Tensor } => {
    const mu = mean(input, reduced, true);
    const xc = sub(input, mu);
    const variance = mean(square(xc), reduced, true);
    return { mu, xc, variance, r: rsqrt(add(variance, epsilon)) };
  };
  /** The rule as ops, from x − μ and r. */
  const opsGradient = (dy: Tensor, xc: Tensor, r: Tensor): Tensor[] => {
    // γ is reshaped here, so that the reshape is recorded when the rule is.
    const gr = gamma ? mul(reshape(gamma, statShape), r) : r;
    const sumDy = sum(dy, reduced, true);
    const dyXc = sum(mul(dy, xc), reduced, true);
    const n = dy.size / sumDy.size;
    // dx = gr·dy − gr·mean(dy) − gr·r²·xc·mean(dy·xc)
    const dx = add(add(mul(dy, gr), mul(xc, mul(neg(gr), mul(square(r), mul(dyXc, 1 / n))))), mul(neg(gr), mul(sumDy, 1 / n)));
    const grads = [dx];
    if (gamma) grads.push(reshape(mul(dyXc, r), gamma.shape));
    if (beta) grads.push(reshape(sumDy, beta.shape));
    return grads;
  };
  const attrs = batchNormKernels(x, gamma, beta, reduced, epsilon);
  // The forward pass and the first-order rule: one kernel each way, or the same formulas as ops.
  let forward: { y: Tensor; mu: Tensor; variance: Tensor; gradient: (dy: Tensor) => Tensor[] };
  if (attrs) {
    const stat = { shape: [attrs.channels], dtype: x.dtype };
    const [y, muC, varianceC] = runKernel(op, [x, ...params], { ...attrs, center: beta !== null }, [{ shape: x.shape, dtype: x.dtype }, stat, stat]);
    const gradient = (dy: Tensor): Tensor[] => {
      const [dx, dgamma, dbeta] = runKernel('batchNormTrainingGrad', [x, dy, muC, varianceC, ...(gamma ? [gamma] : [])], attrs, [{ shape: x.shape, dtype: x.dtype }, stat, stat]);
      return [dx, ...(gamma ? [reshape(dgamma, gamma.shape)] : []), ...(beta ? [reshape(dbeta, beta.shape)] : [])];
    };
    forward = { y, mu: reshape(muC, statShape), variance: reshape(varianceC, statShape), gradient };
  } else {
    const saved = noGrad(() => centred(x));
    const y = noGrad(() => {
      const scale = gamma ? mul(reshape(gamma, statShape), saved.r) : saved.r;
      return beta ? add(mul(saved.xc, scale), reshape(beta, statShape)) : mul(saved.xc, scale);
    });
    forward = { y, mu: saved.mu, variance: saved.variance, gradient: (dy) => opsGradient(dy, saved.xc, saved.r) };
  }
  // Recorded (higher order): x − μ and r as functions of x; else the forward's values.
  const grad = jointGrads((dy) => {
    if (!isRecording()) return forward.gradient(dy);
    const { xc, r } = centred(x);
    return opsGradient(dy, xc, r);
  });
  const out = record(op, [x, ...params], forward.y, [x, ...params].map((_, i) => grad(i)));
  return { y: out, mean: forward.mu, variance: forward.variance };
}

/**
 * The batch-norm kernels' attributes when they can run: channels last (every axis but the last
 * reduced), a float x that is not empty, and a backend that has both kernels; else null.
 */
function batchNormKernels(x: Tensor, gamma: Tensor | null, beta: Tensor | null, reduced: readonly number[], epsilon: number): BatchNormAttrs | null {
  const channelsLast = x.rank >= 2 && reduced.length === x.rank - 1 && reduced.every((a, i) => a === i);
  if (!channelsLast || x.size === 0 || !isFloat(x.dtype)) return null;
  const attrs: BatchNormAttrs = { channels: x.shape[x.rank - 1], epsilon, scale: gamma !== null };
  const d = x.dtype;
  const params = [gamma, beta].filter((p) => p !== null).map(() => d);
  const forward = backendRuns('batchNormTraining', [d, ...params, d, d, d], { ...attrs, center: beta !== null });
  const backward = backendRuns('batchNormTrainingGrad', [d, d, d, d, ...(gamma ? [d] : []), d, d, d], attrs);
  return forward && backward ? attrs : null;
}
