// Activation functions. Most are composites of other ops and get their gradient for free; the
// few whose composite gradient would be wrong at a point (softplus at 0) or unstable say so.
import { normalizeAxis, shapesEqual, sizeOf, ValueError } from '../base/index.js';
import { backendRuns, noGrad, record, runKernel, type Tensor } from '../tensor/index.js';
import { abs, add, div, erf, exp, expm1, greater, greaterEqual, log1p, maximum, minimum, mul, sigmoid, sub, tanh, where } from './elementwise.js';
import { logSumExp } from './reduce.js';
import { offTape, toFloat, toTensor, type TensorLike } from './util.js';


/**
 * max(x, 0) as maximum(0, x): one kernel forward; at the tie x = 0 maximum's gradient goes to
 * its first operand, the constant, so the gradient at 0 is 0 (as in PyTorch); NaN passes through.
 * The gradient is maximum's, in one kernel (reluBackprop) where the backend has it instead of a
 * comparison and a select.
 */
export function relu(x: TensorLike): Tensor {
  const t = toFloat('relu', toTensor('relu', x));
  if (offTape([t])) return maximum(0, t);
  const y = noGrad(() => maximum(0, t));
  return record('relu', [t], y, [(dy) => reluBackprop(t, dy)]);
}

/** dy where x > 0 or x is NaN, else 0: relu's (maximum(0, x)'s) adjoint, linear in dy. */
function reluBackprop(x: Tensor, dy: Tensor): Tensor {
  if (x.dtype === dy.dtype && shapesEqual(x.shape, dy.shape) && backendRuns('reluBackprop', [x.dtype, dy.dtype, dy.dtype], {})) {
    const [dx] = runKernel('reluBackprop', [x, dy], {}, [{ shape: dy.shape, dtype: dy.dtype }]);
    return record('reluBackprop', [x, dy], dx, [null, (g) => reluBackprop(x, g)]);
  }
  return where(greaterEqual(0, x), 0, dy);
}

/** min(max(x, 0), 6), used by MobileNet. */
export function relu6(x: TensorLike): Tensor {
  return minimum(relu(x), 6);
}

/** x for x > 0, alpha·x otherwise. */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = toFloat('leakyRelu', toTensor('leakyRelu', x));
  return where(greater(t, 0), t, mul(t, alpha));
}

/** x for x > 0, alpha·(eˣ − 1) otherwise. */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = toFloat('elu', toTensor('elu', x));
  return where(greater(t, 0), t, mul(expm1(minimum(t, 0)), alpha));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Scaled ELU with the self-normalising constants of Klambauer et al. (2017). */
export function selu(x: TensorLike): Tensor {
  return mul(elu(toFloat('selu', toTensor('selu', x)), SELU_ALPHA), SELU_SCALE);
}

/** x·Φ(x) = ½x(1 + erf(x/√2)); with `approximate`, the tanh form of Hendrycks & Gimpel. */
export function gelu(x: TensorLike, approximate = false): Tensor {
  const t = toFloat('gelu', toTensor('gelu', x));
  if (approximate) {
    const inner = mul(add(t, mul(mul(mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(t, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}

/**
 * log(1 + eˣ), computed as max(x, 0) + log1p(e^(−|x|)) so it never overflows. The gradient is
 * given directly as sigmoid(x): the composite's would be 0 instead of ½ at exactly x = 0.
 */
export function softplus(x: TensorLike): Tensor {
  const t = toFloat('softplus', toTensor('softplus', x));
  const y = noGrad(() => add(maximum(t, 0), log1p(exp(mul(abs(t), -1)))));
  return record('softplus', [t], y, [(dy) => mul(dy, sigmoid(t))]);
}

/** x·sigmoid(x), also called SiLU. */
export function swish(x: TensorLike): Tensor {
  const t = toFloat('swish', toTensor('swish', x));
  return mul(t, sigmoid(t));
}

/** x / (1 + |x|). */
export function softsign(x: TensorLike): Tensor {
  const t = toFloat('softsign', toTensor('softsign', x));
  return div(t, add(abs(t), 1));
}

/** clip(0.2·x + 0.5, 0, 1), Keras's piecewise-linear sigmoid. */
export function hardSigmoid(x: TensorLike): Tensor {
  const t = toFloat('hardSigmoid', toTensor('hardSigmoid', x));
  return minimum(maximum(add(mul(t, 0.2), 0.5), 0), 1);
}

function checkSoftmaxAxis(op: string, t: Tensor, axis: number): void {
  if (t.rank === 0) throw new ValueError(`${op}: needs a tensor of rank >= 1, got a scalar`);
  normalizeAxis(op, axis, t.rank);
}

/**
 * (log-)softmax in one kernel, where nothing is differentiated and the backend has it; null
 * otherwise (the callers then compose it from the ops, whose gradient it has).
 */
function softmaxKernel(t: Tensor, axis: number, log: boolean): Tensor | null {
  if (t.size === 0 || !offTape([t])) return null;
  const ax = normalizeAxis(log ? 'logSoftmax' : 'softmax', axis, t.rank);
  const attrs = { outer: sizeOf(t.shape.slice(0, ax)), size: t.shape[ax], inner: sizeOf(t.shape.slice(ax + 1)), log };
  if (!backendRuns('softmax', [t.dtype, t.dtype], attrs)) return null;
  return runKernel('softmax', [t], attrs, [{ shape: t.shape, dtype: t.dtype }])[0];
}

/** x − log Σ exp(x) along `axis`: stable for any magnitude of x. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = toFloat('logSoftmax', toTensor('logSoftmax', x));
  checkSoftmaxAxis('logSoftmax', t, axis);
  return softmaxKernel(t, axis, true) ?? sub(t, logSumExp(t, axis, true));
}

/** exp(x) / Σ exp(x) along `axis`, as exp(logSoftmax(x)). */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = toFloat('softmax', toTensor('softmax', x));
  checkSoftmaxAxis('softmax', t, axis);
  return softmaxKernel(t, axis, false) ?? exp(logSoftmax(t, axis));
}
