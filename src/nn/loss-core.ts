// What every loss shares: the options (reduction, sample weights, logits), the preparation of
// yTrue/yPred, the per-sample mean and the reduction. See losses.ts for the losses themselves.
import { DTypeError, fmtShape, is, isFloat, type OptionSpec, ShapeError, ValueError } from '../base/index.js';
import { cast, mean, mul, reshape, squeeze, sum, toTensor, type TensorLike } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';

/** Keras's fuzz factor for clipping probabilities. */
export const EPSILON = 1e-7;

/** How a loss reduces its per-sample values: their mean (default), their sum, or none (one loss per sample). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options every loss takes: the `reduction` and per-sample weights. */
export interface LossOptions {
  /** 'mean' (default): average over samples; 'sum'; 'none': per-sample losses [N]. */
  reduction?: Reduction;
  /** Per-sample weights [N] (or broadcastable to the per-sample losses). */
  sampleWeight?: TensorLike;
}

/** Options of the cross-entropy losses: those of every loss plus `fromLogits`. */
export interface CrossentropyOptions extends LossOptions {
  /** yPred holds logits (pre-sigmoid/softmax scores) rather than probabilities. */
  fromLogits?: boolean;
}

/** Options of the binary and categorical cross-entropies: plus `labelSmoothing`. */
export interface SmoothedCrossentropyOptions extends CrossentropyOptions {
  /** Pull one-hot targets towards uniform: y(1 − s) + s/K (K = 2 for binary). */
  labelSmoothing?: number;
}

/** A loss as the model calls it. */
export type LossFn = (yTrue: Tensor, yPred: Tensor, options?: LossOptions) => Tensor;

// ---- helpers ----

/** yPred as a float tensor and yTrue in its dtype, with equal shapes ([N] and [N, 1] are reconciled). */
export function prepare(name: string, yTrueIn: TensorLike, yPredIn: TensorLike): [Tensor, Tensor] {
  let yPred = toTensor(name, yPredIn);
  if (!isFloat(yPred.dtype)) {
    if (yPred.dtype === 'bool') throw new DTypeError(`${name}: yPred must be a float tensor, got bool ${fmtShape(yPred.shape)}`);
    yPred = cast(yPred, 'float32');
  }
  let yTrue = cast(toTensor(name, yTrueIn), yPred.dtype);
  if (yTrue.shape.length !== yPred.shape.length || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    if (yTrue.size === yPred.size && Math.abs(yTrue.rank - yPred.rank) === 1 && yTrue.shape[0] === yPred.shape[0]) {
      yTrue = reshape(yTrue, yPred.shape);
    } else {
      throw new ShapeError(`${name}: yTrue ${fmtShape(yTrue.shape)} and yPred ${fmtShape(yPred.shape)} must have the same shape`);
    }
  }
  return [yTrue, yPred];
}

/** [N, ...] → [N] by averaging every non-batch axis; rank 0 and 1 stay. */
export function perSample(x: Tensor): Tensor {
  if (x.rank <= 1) return x;
  return mean(x, x.shape.slice(1).map((_, i) => i + 1));
}

/** Sum over the class axis (the last), then one value per sample. */
export function perSampleOverClasses(x: Tensor): Tensor {
  return perSample(sum(x, -1));
}

/** Apply sample weights and the reduction to per-sample losses. */
export function reduce(name: string, losses: Tensor, options: LossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  let l = losses;
  if (options.sampleWeight !== undefined) {
    let w = cast(toTensor(name, options.sampleWeight), l.dtype);
    if (w.rank === l.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, -1);
    l = mul(l, w);
  }
  switch (reduction) {
    case 'none':
      return l;
    case 'sum':
      return sum(l);
    case 'mean':
      return l.rank === 0 ? l : mean(l);
    default:
      throw new ValueError(`${name}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction satisfies never)}`);
  }
}

// Each loss's options, checked on every call: an unknown key ({ from_logits: true }) or a value of
// the wrong kind is a ValueError naming the loss, never silently ignored.
export const LOSS_OPTIONS: OptionSpec<LossOptions> = { reduction: is.oneOf('mean', 'sum', 'none'), sampleWeight: is.any };
export const CROSSENTROPY_OPTIONS: OptionSpec<CrossentropyOptions> = { ...LOSS_OPTIONS, fromLogits: is.bool };
export const SMOOTHED_OPTIONS: OptionSpec<SmoothedCrossentropyOptions> = { ...CROSSENTROPY_OPTIONS, labelSmoothing: is.range(0, 1) };

export function checkSmoothing(name: string, s: number): number {
  if (!(s >= 0 && s <= 1)) throw new ValueError(`${name}: labelSmoothing must be in [0, 1], got ${s}`);
  return s;
}

