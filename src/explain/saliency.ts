// Attribution: which input pixels a class score depends on.
//   vanilla            S = |∂y_c/∂x|                        (Simonyan, Vedaldi & Zisserman 2014)
//   smoothGrad         S = |1/n Σₖ ∂y_c/∂x (x + εₖ)|, εₖ ~ N(0, σ²)   (Smilkov et al. 2017)
//   integratedGradients A = (x − x′) ⊙ ∫₀¹ ∂y_c/∂x (x′ + α(x − x′)) dα  (Sundararajan et al. 2017)
// Integrated gradients is signed and complete: Σ A = y_c(x) − y_c(x′) (up to the quadrature
// error of its `steps`-point midpoint rule), so by default it is returned signed.
import { grad } from '../autograd/index.js';
import { checkOptions, is, ValueError } from '../base/index.js';
import type { Model } from '../model/index.js';
import { abs, add, argmax, div, max, mul, oneHot, sub, sum } from '../ops/index.js';
import { noGrad, randomNormal, scalar, type Tensor, tensor, tidy } from '../tensor/index.js';
import { checkImages, checkModel, forward } from './common.js';

/**
 * How {@link saliency} attributes: the plain input gradient, SmoothGrad (Smilkov et al. 2017) or integrated gradients
 * (Sundararajan et al. 2017).
 */
export type SaliencyMethod = 'vanilla' | 'smoothGrad' | 'integratedGradients';

/** Options of {@link saliency}: the class explained, the method and its parameters. */
export interface SaliencyOptions {
  /** The class whose score is explained: one for all samples, or one per sample. Default: each sample's predicted class. */
  classIndex?: number | readonly number[];
  /** Default 'vanilla'. */
  method?: SaliencyMethod;
  /** smoothGrad: noisy copies averaged (default 25). */
  samples?: number;
  /** smoothGrad: noise σ as a fraction of each sample's value range max − min (default 0.15, the paper's 10–20 %). */
  noise?: number;
  /** integratedGradients: points of the midpoint rule along the path (default 50). */
  steps?: number;
  /** integratedGradients: the baseline x′, a number or a tensor shaped like x (default 0, a black image). */
  baseline?: number | Tensor;
  /**
   * Take |·| per element (default: true for vanilla and smoothGrad, false for integrated
   * gradients). Channels of images are then combined by max (absolute) or sum (signed).
   */
  absolute?: boolean;
  /** Seed of smoothGrad's noise. */
  seed?: number;
}

const SPEC = {
  classIndex: is.anyOf(is.nonNegInt, is.intArray),
  method: is.oneOf('vanilla', 'smoothGrad', 'integratedGradients'),
  samples: is.posInt,
  noise: is.nonNegative,
  steps: is.posInt,
  baseline: is.anyOf(is.finite, is.object),
  absolute: is.bool,
  seed: is.int,
};

/**
 * The saliency map of `model` for images `x` `[N, H, W, C]`: `[N, H, W]` (for inputs of another
 * rank, x's own shape). See the file comment for the three methods.
 */
export function saliency(model: Model, x: Tensor, options: SaliencyOptions = {}): Tensor {
  const op = 'explain.saliency';
  const opts = checkOptions(op, options, SPEC);
  checkModel(op, model);
  const xs = checkImages(op, x, model);
  const method = opts.method ?? 'vanilla';
  const n = xs.shape[0];
  const probe = noGrad(() => forward(model, xs));
  if (probe.rank < 2) throw new ValueError(`${op}: the model's output [${probe.shape.join(', ')}] has no class axis`);
  const classes = probe.shape[probe.rank - 1];
  const picked = classIndices(op, opts.classIndex, n, classes, probe);
  // score(x) = Σₙ y[n, …, c_n]: each sample's own class, so one backward pass serves the batch.
  const mask = oneHot(tensor(picked, [n], 'int32'), classes).cast(probe.dtype);
  const maskFor = probe.rank === 2 ? mask : mask.reshape([n, ...probe.shape.slice(1, -1).map(() => 1), classes]);
  const score = (input: Tensor): Tensor => sum(mul(forward(model, input), maskFor));
  const dScore = grad(score);
  let attribution: Tensor;
  switch (method) {
    case 'vanilla':
      attribution = tidy(() => dScore(xs));
      break;
    case 'smoothGrad': {
      const samples = opts.samples ?? 25;
      const sigma = (opts.noise ?? 0.15) * rangeOf(xs);
      let total = noGrad(() => mul(xs, 0));
      for (let k = 0; k < samples; k++) {
        const prev = total;
        total = tidy(() => {
          const noisy = noGrad(() => add(xs, randomNormal(xs.shape, { std: sigma, seed: opts.seed === undefined ? undefined : opts.seed + k, dtype: xs.dtype })));
          return noGrad(() => add(prev, dScore(noisy)));
        });
        prev.dispose();
      }
      attribution = noGrad(() => div(total, samples));
      break;
    }
    case 'integratedGradients':
      attribution = integrated(op, dScore, xs, opts.baseline ?? 0, opts.steps ?? 50);
      break;
    default:
      throw new ValueError(`${op}: unknown method ${String(method satisfies never)}`);
  }
  const absolute = opts.absolute ?? method !== 'integratedGradients';
  return noGrad(() => {
    const a = absolute ? abs(attribution) : attribution;
    if (a.rank !== 4) return a;
    return absolute ? max(a, -1) : sum(a, -1);
  });
}

/** (x − x′) ⊙ mean over α = (k + ½)/steps of ∇score(x′ + α(x − x′)). */
function integrated(op: string, dScore: (x: Tensor) => Tensor, x: Tensor, baselineOpt: number | Tensor, steps: number): Tensor {
  const baseline = typeof baselineOpt === 'number' ? noGrad(() => add(mul(x, 0), baselineOpt)) : baselineOpt;
  if (baseline.shape.length !== x.shape.length || baseline.shape.some((d, i) => d !== x.shape[i])) {
    throw new ValueError(`${op}: baseline must have x's shape [${x.shape.join(', ')}], got [${baseline.shape.join(', ')}]`);
  }
  const delta = noGrad(() => sub(x, baseline.cast(x.dtype)));
  let total = noGrad(() => mul(x, 0));
  for (let k = 0; k < steps; k++) {
    const alpha = (k + 0.5) / steps;
    const prev = total;
    total = tidy(() => {
      const point = noGrad(() => add(baseline.cast(x.dtype), mul(delta, scalar(alpha, x.dtype))));
      return noGrad(() => add(prev, dScore(point)));
    });
    prev.dispose();
  }
  return noGrad(() => mul(delta, div(total, steps)));
}

function classIndices(op: string, given: number | readonly number[] | undefined, n: number, classes: number, probe: Tensor): number[] {
  let picked: number[];
  if (given === undefined) {
    // The predicted class of each sample (over the last axis, after flattening any others).
    picked = Array.from(argmax(probe.reshape([n, -1, classes]).reshape([n, -1]), 1).dataSync(), (i) => i % classes);
  } else if (typeof given === 'number') picked = new Array<number>(n).fill(given);
  else {
    if (given.length !== n) throw new ValueError(`${op}: classIndex lists ${given.length} classes for ${n} samples`);
    picked = [...given];
  }
  const bad = picked.find((c) => !(c >= 0 && c < classes));
  if (bad !== undefined) throw new ValueError(`${op}: classIndex ${bad} is out of range for ${classes} classes`);
  return picked;
}

function rangeOf(x: Tensor): number {
  const v = x.dataSync();
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of v) {
    lo = Math.min(lo, e);
    hi = Math.max(hi, e);
  }
  return hi > lo ? hi - lo : 1;
}
