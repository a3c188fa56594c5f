// Gradient checking: analytic gradients against central finite differences, in float64.
import { checkOptions, fmtShape, is, Rng, ValueError } from '../base/index.js';
import { cast, mul, reshape, sum } from '../ops/index.js';
import type { TensorLike } from '../ops/index.js';
import { noGrad, Tensor, tensor, tidy } from '../tensor/index.js';
import { grad } from './grad.js';

/** Options of {@link checkGrad}: finite-difference step `eps` and tolerance `tol`. */
export interface CheckGradOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Largest acceptable error (default 1e-6). */
  tol?: number;
}

/** What {@link checkGrad} returns: the largest relative error, whether it is within tolerance, and the worst entry. */
export interface CheckGradResult {
  /** max over elements of |analytic − numeric| / max(1, |analytic|, |numeric|). */
  maxRelError: number;
  ok: boolean;
  /** Where the largest error was: argument, flat element index, both values. */
  worst: { argument: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compare the gradient of `f` at `inputs` with central differences (f(x + ε) − f(x − ε)) / 2ε,
 * every input cast to float64. A non-scalar output is reduced by a fixed random weighting, so
 * every output element is checked, not only their sum.
 */
export function checkGrad(f: (...xs: Tensor[]) => Tensor, inputs: readonly TensorLike[], options: CheckGradOptions = {}): CheckGradResult {
  const { eps = 1e-6, tol = 1e-6 } = checkOptions('checkGrad', options, { eps: is.positive, tol: is.nonNegative });
  if (typeof f !== 'function') throw new ValueError(`checkGrad: f must be a function, got ${typeof f}`);
  if (!Array.isArray(inputs)) throw new ValueError(`checkGrad: inputs must be an array of tensors`);
  return tidy(() => {
    const xs = inputs.map((x) => cast(x, 'float64'));
    let weights: Tensor | null = null;
    const scalarF = (...a: Tensor[]): Tensor => {
      const out: unknown = f(...a);
      // A JS number would be a constant: its gradient is zero and so are its finite differences,
      // and the check would pass while testing nothing.
      if (!(out instanceof Tensor)) throw new ValueError(`checkGrad: f must return a Tensor, got ${out === null ? 'null' : typeof out}`);
      const y = cast(out, 'float64');
      if (y.size === 1) return reshape(y, []);
      if (weights === null) {
        const rng = new Rng(20261122);
        weights = tensor(Float64Array.from({ length: y.size }, () => rng.uniform() + 0.5), y.shape);
      } else if (weights.size !== y.size) {
        throw new ValueError(`checkGrad: f returned ${fmtShape(y.shape)} on a perturbed input, but ${fmtShape(weights.shape)} before`);
      }
      return sum(mul(y, weights));
    };
    const analytic = grad(scalarF, xs.map((_, i) => i))(...xs).map((g) => g.dataSync());
    let maxRelError = 0;
    let worst: CheckGradResult['worst'] = null;
    noGrad(() => {
      xs.forEach((x, argument) => {
        const base = x.dataSync() as Float64Array;
        for (let index = 0; index < base.length; index++) {
          const evalAt = (delta: number): number => tidy(() => {
            const values = base.slice();
            values[index] += delta;
            const args = xs.map((other, j) => (j === argument ? tensor(values, x.shape) : other));
            return scalarF(...args).item();
          });
          const numeric = (evalAt(eps) - evalAt(-eps)) / (2 * eps);
          const a = analytic[argument][index];
          const err = Math.abs(a - numeric) / Math.max(1, Math.abs(a), Math.abs(numeric));
          if (!(err <= maxRelError)) {
            maxRelError = Number.isNaN(err) ? Infinity : err;
            worst = { argument, index, analytic: a, numeric };
          }
        }
      });
    });
    return { maxRelError, ok: maxRelError <= tol, worst };
  });
}
