// Losses for metric learning (Siamese networks, face verification) and CapsNet's margin loss.
import { checkOptions, fmtShape, is, type OptionSpec, ShapeError, ValueError } from '../base/index.js';
import { add, mul, relu, square, sub, sum, toTensor, type TensorLike } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';
import { LOSS_OPTIONS, type LossOptions, perSample, perSampleOverClasses, prepare, type Reduction, reduce } from './loss-core.js';

// ---- metric learning ----

const TRIPLET_OPTIONS: OptionSpec<TripletOptions> = { margin: is.nonNegative, reduction: LOSS_OPTIONS.reduction };
const CONTRASTIVE_OPTIONS: OptionSpec<ContrastiveOptions> = { ...LOSS_OPTIONS, margin: is.nonNegative };
const MARGIN_OPTIONS: OptionSpec<MarginLossOptions> = { ...LOSS_OPTIONS, mPlus: is.nonNegative, mMinus: is.nonNegative, lambda: is.nonNegative };

/** Options of {@link triplet}: the `margin` α and the reduction. */
export interface TripletOptions {
  /** α: how much closer the positive must be than the negative (default 0.2). */
  margin?: number;
  reduction?: Reduction;
}

/**
 * Triplet loss (FaceNet): max(‖a − p‖² − ‖a − n‖² + α, 0) per sample, for embeddings [N, D]
 * of anchors, positives (same identity) and negatives.
 */
export function triplet(anchor: TensorLike, positive: TensorLike, negative: TensorLike, options: TripletOptions = {}): Tensor {
  checkOptions('triplet', options, TRIPLET_OPTIONS);
  const name = 'triplet';
  const margin = options.margin ?? 0.2;
  if (!(margin >= 0)) throw new ValueError(`${name}: margin must be >= 0, got ${margin}`);
  const a = toTensor(name, anchor);
  const p = toTensor(name, positive);
  const n = toTensor(name, negative);
  for (const [label, t] of [['positive', p], ['negative', n]] as const) {
    if (t.shape.length !== a.shape.length || t.shape.some((d, i) => d !== a.shape[i])) {
      throw new ShapeError(`${name}: anchor ${fmtShape(a.shape)} and ${label} ${fmtShape(t.shape)} must have the same shape`);
    }
  }
  if (a.rank === 0) throw new ShapeError(`${name}: embeddings must have rank >= 1, got scalars`);
  const dPos = sum(square(sub(a, p)), -1);
  const dNeg = sum(square(sub(a, n)), -1);
  return reduce(name, perSample(relu(add(sub(dPos, dNeg), margin))), { reduction: options.reduction });
}

/** Options of {@link contrastive}: the `margin` for dissimilar pairs. */
export interface ContrastiveOptions extends LossOptions {
  /** Dissimilar pairs are pushed at least this far apart (default 1). */
  margin?: number;
}

/**
 * Contrastive loss (Hadsell et al. 2006) on pair distances d [N]: y·d² + (1 − y)·max(m − d, 0)²,
 * with y = 1 for a similar pair and 0 for a dissimilar one.
 */
export function contrastive(yTrue: TensorLike, distance: TensorLike, options: ContrastiveOptions = {}): Tensor {
  checkOptions('contrastive', options, CONTRASTIVE_OPTIONS);
  const name = 'contrastive';
  const margin = options.margin ?? 1;
  if (!(margin >= 0)) throw new ValueError(`${name}: margin must be >= 0, got ${margin}`);
  const [t, d] = prepare(name, yTrue, distance);
  const elements = add(mul(t, square(d)), mul(sub(1, t), square(relu(sub(margin, d)))));
  return reduce(name, perSample(elements), options);
}

// ---- capsules ----

/** Options of the capsule network's {@link marginLoss}: m⁺, m⁻ and λ. */
export interface MarginLossOptions extends LossOptions {
  /** m⁺: a present class's capsule should be at least this long (default 0.9). */
  mPlus?: number;
  /** m⁻: an absent class's capsule should be at most this long (default 0.1). */
  mMinus?: number;
  /** λ: down-weights the absent classes so that early training does not shrink every capsule (default 0.5). */
  lambda?: number;
}

/**
 * CapsNet's margin loss (Sabour et al. 2017) on one-hot targets T and capsule lengths ‖v‖ [N, K]:
 * Σ_k T_k max(0, m⁺ − ‖v_k‖)² + λ (1 − T_k) max(0, ‖v_k‖ − m⁻)², summed over classes per sample.
 */
export function marginLoss(yTrue: TensorLike, lengths: TensorLike, options: MarginLossOptions = {}): Tensor {
  checkOptions('marginLoss', options, MARGIN_OPTIONS);
  const name = 'marginLoss';
  const { mPlus = 0.9, mMinus = 0.1, lambda = 0.5 } = options;
  if (!(mPlus >= 0 && mMinus >= 0 && lambda >= 0)) throw new ValueError(`${name}: mPlus, mMinus and lambda must be >= 0, got ${mPlus}, ${mMinus}, ${lambda}`);
  const [t, v] = prepare(name, yTrue, lengths);
  const present = mul(t, square(relu(sub(mPlus, v))));
  const absent = mul(mul(sub(1, t), square(relu(sub(v, mMinus)))), lambda);
  return reduce(name, perSampleOverClasses(add(present, absent)), options);
}
