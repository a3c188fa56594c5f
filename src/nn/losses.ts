/**
 * Loss functions `(yTrue, yPred) => Tensor`: cross-entropies, mean squared and absolute errors, Huber, hinge, focal,
 * CTC, contrastive, triplet and margin losses.
 * @module
 */
// Loss functions, Keras semantics: `loss(yTrue, yPred, { reduction })`. Each loss first makes a
// value per element (or per row, for the class-summing cross-entropies), averages it over every
// non-batch axis to get one loss per sample [N], and then reduces: 'mean' (default; Keras's
// sum over batch size), 'sum', or 'none' (the per-sample losses [N]). Rank-0 and rank-1 inputs
// are treated as one value per sample.
//
// Stability: logits go through softplus / logSoftmax (log-sum-exp), never exp then log, so
// logits of ±1e4 give finite losses and gradients; probabilities are clipped to [ε, 1 − ε] with
// Keras's ε = 1e-7 before taking logs.
//
// Beyond Keras's set: triplet and contrastive (Siamese/face-verification), binary focal, and
// CTC (connectionist temporal classification, for sequence recognition with recurrent layers).
import { customGrad, vjp } from '../autograd/index.js';
import { checkOptions, DTypeError, fmtShape, is, isFloat, type OptionSpec, ShapeError, ValueError } from '../base/index.js';
import {
  abs, add, cast, clip, concat, div, equal, log, logicalOr, logSoftmax, logSumExp, matmul, maximum, minimum, mul, neg, oneHot, pow, relu,
  reshape, sigmoid, slice, softplus, sqrt, square, squeeze, stack, sub, sum, all, toTensor, unstack, type TensorLike,
} from '../ops/index.js';
import { full, isRecording, tensor, type Tensor } from '../tensor/index.js';
import { camelCase } from './activations.js';
import { logAddExp } from './ctc-decode.js';
import {
  checkSmoothing, CROSSENTROPY_OPTIONS, type CrossentropyOptions, EPSILON, LOSS_OPTIONS, type LossFn, type LossOptions, perSample, perSampleOverClasses,
  prepare, reduce, SMOOTHED_OPTIONS, type SmoothedCrossentropyOptions,
} from './loss-core.js';
import { contrastive } from './losses-metric.js';

export { EPSILON, type CrossentropyOptions, type LossFn, type LossOptions, type Reduction, type SmoothedCrossentropyOptions } from './loss-core.js';
export { contrastive, type ContrastiveOptions, marginLoss, type MarginLossOptions, triplet, type TripletOptions } from './losses-metric.js';

const HUBER_OPTIONS: OptionSpec<HuberOptions> = { ...LOSS_OPTIONS, delta: is.positive };
const FOCAL_OPTIONS: OptionSpec<FocalOptions> = { ...CROSSENTROPY_OPTIONS, gamma: is.nonNegative, alpha: is.range(0, 1) };
const CTC_OPTIONS: OptionSpec<CtcOptions> = { ...LOSS_OPTIONS, labelLengths: is.any, logitLengths: is.any, blank: is.nonNegInt };
const DECODE_OPTIONS: OptionSpec<{ blank?: number; logitLengths?: TensorLike }> = { blank: is.nonNegInt, logitLengths: is.any };

// ---- regression ----

/** mean((yTrue − yPred)²). */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('meanSquaredError', options, LOSS_OPTIONS);
  const [t, p] = prepare('meanSquaredError', yTrue, yPred);
  return reduce('meanSquaredError', perSample(square(sub(p, t))), options);
}

/** mean(|yTrue − yPred|). */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('meanAbsoluteError', options, LOSS_OPTIONS);
  const [t, p] = prepare('meanAbsoluteError', yTrue, yPred);
  return reduce('meanAbsoluteError', perSample(abs(sub(p, t))), options);
}

/** mean((log(1 + max(yPred, ε)) − log(1 + max(yTrue, ε)))²). */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('meanSquaredLogarithmicError', options, LOSS_OPTIONS);
  const [t, p] = prepare('meanSquaredLogarithmicError', yTrue, yPred);
  const lp = log(add(maximum(p, EPSILON), 1));
  const lt = log(add(maximum(t, EPSILON), 1));
  return reduce('meanSquaredLogarithmicError', perSample(square(sub(lp, lt))), options);
}

/** Options of {@link huber}: the `delta` where the loss turns linear. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * ½e² for |e| ≤ δ, δ(|e| − ½δ) beyond, with e = yPred − yTrue. Written as ½q² + δ(|e| − q) with
 * q = min(|e|, δ), one smooth expression for both pieces.
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, options: HuberOptions = {}): Tensor {
  checkOptions('huber', options, HUBER_OPTIONS);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`huber: delta must be positive, got ${delta}`);
  const [t, p] = prepare('huber', yTrue, yPred);
  const a = abs(sub(p, t));
  const q = minimum(a, delta);
  return reduce('huber', perSample(add(mul(square(q), 0.5), mul(sub(a, q), delta))), options);
}

/** mean(log cosh(yPred − yTrue)), with log cosh x = x + softplus(−2x) − log 2 (no overflow). */
export function logCosh(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('logCosh', options, LOSS_OPTIONS);
  const [t, p] = prepare('logCosh', yTrue, yPred);
  const x = sub(p, t);
  return reduce('logCosh', perSample(sub(add(x, softplus(mul(x, -2))), Math.LN2)), options);
}

/** −Σ ŷ·p̂ over the last axis, with ŷ, p̂ the L2-normalised rows (−1 when aligned). */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('cosineSimilarity', options, LOSS_OPTIONS);
  const [t, p] = prepare('cosineSimilarity', yTrue, yPred);
  if (p.rank === 0) throw new ShapeError('cosineSimilarity: needs vectors (rank >= 1), got scalars');
  const normalize = (x: Tensor): Tensor => div(x, sqrt(maximum(sum(square(x), -1, true), 1e-12)));
  return reduce('cosineSimilarity', perSample(neg(sum(mul(normalize(t), normalize(p)), -1))), options);
}

// ---- probabilistic ----

/**
 * −[y log p + (1 − y) log(1 − p)], averaged over the last axis. From logits x:
 * softplus(x) − x·y, which equals the above with p = sigmoid(x) and never overflows.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: SmoothedCrossentropyOptions = {}): Tensor {
  checkOptions('binaryCrossentropy', options, SMOOTHED_OPTIONS);
  const name = 'binaryCrossentropy';
  const [tIn, p] = prepare(name, yTrue, yPred);
  let t = tIn;
  const s = checkSmoothing(name, options.labelSmoothing ?? 0);
  if (s > 0) t = add(mul(t, 1 - s), 0.5 * s);
  return reduce(name, perSample(binaryCrossentropyElements(t, p, options.fromLogits ?? false)), options);
}

/** Elementwise binary cross-entropy (no reduction). */
function binaryCrossentropyElements(t: Tensor, p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return sub(softplus(p), mul(p, t));
  const pc = clip(p, EPSILON, 1 - EPSILON);
  return neg(add(mul(t, log(pc)), mul(sub(1, t), log(sub(1, pc)))));
}

/**
 * −Σ y log p over the class axis (the last). Probabilities are renormalised to sum to 1 and
 * clipped; logits go through logSoftmax.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: SmoothedCrossentropyOptions = {}): Tensor {
  checkOptions('categoricalCrossentropy', options, SMOOTHED_OPTIONS);
  const name = 'categoricalCrossentropy';
  const [tIn, p] = prepare(name, yTrue, yPred);
  let t = tIn;
  if (p.rank === 0) throw new ShapeError(`${name}: yPred needs a class axis, got a scalar`);
  const s = checkSmoothing(name, options.labelSmoothing ?? 0);
  if (s > 0) t = add(mul(t, 1 - s), s / p.shape[p.rank - 1]);
  return reduce(name, perSampleOverClasses(neg(mul(t, logProbabilities(p, options.fromLogits ?? false)))), options);
}

/** log p along the last axis, from logits or from (renormalised, clipped) probabilities. */
function logProbabilities(p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return logSoftmax(p, -1);
  return log(clip(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON));
}

/**
 * Categorical cross-entropy with integer class labels: yTrue [N] (or [N, 1], or [N, T] for
 * yPred [N, T, C]) holding class indices in [0, C).
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CrossentropyOptions = {}): Tensor {
  checkOptions('sparseCategoricalCrossentropy', options, CROSSENTROPY_OPTIONS);
  const name = 'sparseCategoricalCrossentropy';
  const p = toTensor(name, yPred);
  if (!isFloat(p.dtype)) throw new DTypeError(`${name}: yPred must be float (probabilities or logits), got ${p.dtype}`);
  const oneHotTargets = sparseToOneHot(name, yTrue, p);
  return reduce(name, perSampleOverClasses(neg(mul(oneHotTargets, logProbabilities(p, options.fromLogits ?? false)))), options);
}

/** Integer labels shaped like yPred without its class axis → one-hot rows in yPred's dtype. */
export function sparseToOneHot(name: string, yTrue: TensorLike, yPred: Tensor): Tensor {
  if (yPred.rank === 0) throw new ShapeError(`${name}: yPred needs a class axis, got a scalar`);
  let labels = toTensor(name, yTrue);
  const classes = yPred.shape[yPred.rank - 1];
  const target = yPred.shape.slice(0, -1);
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = squeeze(labels, -1);
  if (labels.rank !== target.length || labels.shape.some((d, i) => d !== target[i])) {
    throw new ShapeError(`${name}: labels ${fmtShape(labels.shape)} do not match predictions ${fmtShape(yPred.shape)} (expected labels ${fmtShape(target)})`);
  }
  const values = labels.dataSync();
  for (const v of values) {
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new ValueError(`${name}: label ${v} is not a class index in [0, ${classes})`);
  }
  return cast(oneHot(cast(labels, 'int32'), classes), yPred.dtype);
}

/** Σ y log(y / p) over the last axis, both clipped to [ε, 1]. */
export function kullbackLeiblerDivergence(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('kullbackLeiblerDivergence', options, LOSS_OPTIONS);
  const [t, p] = prepare('kullbackLeiblerDivergence', yTrue, yPred);
  const tc = clip(t, EPSILON, 1);
  const pc = clip(p, EPSILON, 1);
  return reduce('kullbackLeiblerDivergence', perSampleOverClasses(mul(tc, log(div(tc, pc)))), options);
}

/** Labels in {0, 1} become {−1, 1}; labels already in {−1, 1} stay (as Keras). */
function hingeLabels(t: Tensor): Tensor {
  const binary = all(logicalOr(equal(t, 0), equal(t, 1))).item() === 1;
  return binary ? sub(mul(t, 2), 1) : t;
}

/** mean(max(1 − y·ŷ, 0)) with labels y in {−1, 1} (or {0, 1}, converted). */
export function hinge(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('hinge', options, LOSS_OPTIONS);
  const [t, p] = prepare('hinge', yTrue, yPred);
  return reduce('hinge', perSample(relu(sub(1, mul(hingeLabels(t), p)))), options);
}

/** mean(max(1 − y·ŷ, 0)²). */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike, options?: LossOptions): Tensor {
  checkOptions('squaredHinge', options, LOSS_OPTIONS);
  const [t, p] = prepare('squaredHinge', yTrue, yPred);
  return reduce('squaredHinge', perSample(square(relu(sub(1, mul(hingeLabels(t), p))))), options);
}

/** Options of {@link focal}: the focusing exponent `gamma` and the positive-class weight `alpha`. */
export interface FocalOptions extends CrossentropyOptions {
  /** Focusing exponent γ (default 2): (1 − p_t)^γ down-weights easy examples. */
  gamma?: number;
  /** Weight of the positive class α (default 0.25); negatives get 1 − α. */
  alpha?: number;
}

/**
 * Binary focal loss (Lin et al. 2017): −α_t (1 − p_t)^γ log p_t with p_t = p for positives and
 * 1 − p for negatives; log p_t is the (stable) binary cross-entropy.
 */
export function focal(yTrue: TensorLike, yPred: TensorLike, options: FocalOptions = {}): Tensor {
  checkOptions('focal', options, FOCAL_OPTIONS);
  const name = 'focal';
  const { gamma = 2, alpha = 0.25, fromLogits = false } = options;
  if (!(gamma >= 0)) throw new ValueError(`${name}: gamma must be >= 0, got ${gamma}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new ValueError(`${name}: alpha must be in [0, 1], got ${alpha}`);
  const [t, p] = prepare(name, yTrue, yPred);
  const prob = fromLogits ? sigmoid(p) : clip(p, EPSILON, 1 - EPSILON);
  const pT = add(mul(t, prob), mul(sub(1, t), sub(1, prob)));
  const alphaT = add(mul(t, alpha), mul(sub(1, t), 1 - alpha));
  const ce = binaryCrossentropyElements(t, p, fromLogits);
  const modulating = gamma === 0 ? null : pow(sub(1, pT), gamma);
  const elements = mul(alphaT, modulating === null ? ce : mul(modulating, ce));
  return reduce(name, perSample(elements), options);
}

// ---- sequence ----

/** Options of {@link ctc}: label and logit lengths, and the blank class. */
export interface CtcOptions extends LossOptions {
  /** Label length per sample [N]. Default: the entries before the first padding value (negative or the blank). */
  labelLengths?: TensorLike;
  /** Number of valid time steps per sample [N], in [1, T]. Default: all T. */
  logitLengths?: TensorLike;
  /** The blank class (default 0, as Keras's mask_index). */
  blank?: number;
}

/** log 0 for the forward algorithm: finite, so that logSumExp and its gradient never see −∞ − (−∞). */
const LOG_ZERO = -1e30;

/** Integer lengths from a tensor-like, each checked to lie in [0, max]. */
function lengthsOf(name: string, what: string, v: TensorLike, n: number, max: number, min = 0): number[] {
  const t = toTensor(name, v);
  if (t.size !== n) throw new ShapeError(`${name}: ${what} must have one entry per sample (${n}), got ${fmtShape(t.shape)}`);
  const out = Array.from(t.dataSync(), Number);
  for (const d of out) if (!Number.isInteger(d) || d < min || d > max) throw new ValueError(`${name}: ${what} must be integers in [${min}, ${max}], got ${d}`);
  return out;
}

/**
 * Connectionist temporal classification (Graves et al. 2006): −log p(labels | logits), summed
 * over every alignment of the label sequence to the T time steps (blanks between and around
 * labels, repeats collapsed). labels: int [N, S], padded; logits: [N, T, C], unnormalised
 * (logSoftmax is applied here). The forward algorithm runs in log space over the extended
 * sequence b l₁ b l₂ … b (2S + 1 states), with the gradient in closed form (see ctcLosses). A
 * label sequence that cannot fit in its T steps gets a loss of 1e30.
 */
export function ctc(labelsIn: TensorLike, logitsIn: TensorLike, options: CtcOptions = {}): Tensor {
  checkOptions('ctc', options, CTC_OPTIONS);
  const name = 'ctc';
  let logits = toTensor(name, logitsIn);
  if (!isFloat(logits.dtype)) logits = cast(logits, 'float32');
  const labelsT = toTensor(name, labelsIn);
  if (logits.rank !== 3) throw new ShapeError(`${name}: logits must be [N, T, C], got ${fmtShape(logits.shape)}`);
  if (labelsT.rank !== 2 || labelsT.shape[0] !== logits.shape[0]) {
    throw new ShapeError(`${name}: labels must be [N, S] with N = ${logits.shape[0]}, got ${fmtShape(labelsT.shape)}`);
  }
  const [n, T, C] = logits.shape;
  const S = labelsT.shape[1];
  const blank = options.blank ?? 0;
  if (!Number.isInteger(blank) || blank < 0 || blank >= C) throw new ValueError(`${name}: blank must be an integer in [0, ${C - 1}], got ${blank}`);
  const flat = Array.from(labelsT.dataSync(), Number);
  const labels = Array.from({ length: n }, (_, i) => flat.slice(i * S, (i + 1) * S));
  const labelLengths = options.labelLengths !== undefined
    ? lengthsOf(name, 'labelLengths', options.labelLengths, n, S)
    : labels.map((row) => {
      const end = row.findIndex((v) => v < 0 || v === blank);
      return end < 0 ? S : end;
    });
  if (T < 1) throw new ShapeError(`${name}: logits need at least one time step, got ${fmtShape(logits.shape)}`);
  const logitLengths = options.logitLengths !== undefined ? lengthsOf(name, 'logitLengths', options.logitLengths, n, T, 1) : new Array<number>(n).fill(T);
  labels.forEach((row, i) => {
    for (const v of row.slice(0, labelLengths[i])) {
      if (!Number.isInteger(v) || v < 0 || v >= C || v === blank) throw new ValueError(`${name}: labels must be classes in [0, ${C - 1}] other than the blank ${blank}, got ${v} in sample ${i}`);
    }
  });

  const losses = ctcLosses(logits, { labels, labelLengths, logitLengths, blank, S });
  return reduce(name, losses, options);
}

/** The checked inputs of the CTC forward algorithm. */
interface CtcProblem {
  labels: number[][];
  labelLengths: number[];
  logitLengths: number[];
  blank: number;
  /** The labels' padded length. */
  S: number;
}

/** One sample's CTC lattice: its extended sequence and the forward variables α over its steps. */
interface CtcLattice {
  /** b l₁ b l₂ … b: L = 2·length + 1 states. */
  ext: number[];
  /** Whether state s may be entered from s − 2 (a label unlike the one two states back). */
  skip: boolean[];
  /** The sample's steps. */
  len: number;
  /** log α_t(s), [len, L]. */
  alpha: Float64Array;
  /** log p(labels | logits); −∞ when the labels cannot fit in len steps. */
  logP: number;
}

/** The forward recursion of one sample, over its log-probabilities lp[from + t·C + k]. */
function ctcForward(lp: ArrayLike<number>, from: number, len: number, C: number, label: readonly number[], blank: number): CtcLattice {
  const L = 2 * label.length + 1;
  const ext = Array.from({ length: L }, (_, s) => (s % 2 === 1 ? label[(s - 1) / 2] : blank));
  const skip = ext.map((v, s) => s >= 2 && v !== blank && v !== ext[s - 2]);
  const alpha = new Float64Array(len * L).fill(-Infinity);
  alpha[0] = lp[from + blank];
  if (L > 1) alpha[1] = lp[from + ext[1]];
  for (let t = 1; t < len; t++) {
    for (let s = 0; s < L; s++) {
      const p = (t - 1) * L + s;
      let a = alpha[p];
      if (s >= 1) a = logAddExp(a, alpha[p - 1]);
      if (skip[s]) a = logAddExp(a, alpha[p - 2]);
      if (a !== -Infinity) alpha[t * L + s] = a + lp[from + t * C + ext[s]];
    }
  }
  const last = (len - 1) * L;
  const logP = L > 1 ? logAddExp(alpha[last + L - 1], alpha[last + L - 2]) : alpha[last];
  return { ext, skip, len, alpha, logP };
}

/**
 * ∂(−log p)/∂logits of one sample into grad[from …] (zero past its steps, and for labels that
 * cannot fit): the backward recursion β, then softmax − Σ_{s: ext[s] = k} α_t(s) β_t(s) / (p · y_t(k)).
 */
function ctcGradient(lp: ArrayLike<number>, from: number, C: number, { ext, skip, len, alpha, logP }: CtcLattice, grad: Float64Array): void {
  if (logP === -Infinity) return;
  const L = ext.length;
  const beta = new Float64Array(len * L).fill(-Infinity);
  const last = (len - 1) * L;
  beta[last + L - 1] = lp[from + (len - 1) * C + ext[L - 1]];
  if (L > 1) beta[last + L - 2] = lp[from + (len - 1) * C + ext[L - 2]];
  for (let t = len - 2; t >= 0; t--) {
    for (let s = 0; s < L; s++) {
      const p = (t + 1) * L + s;
      let b = beta[p];
      if (s + 1 < L) b = logAddExp(b, beta[p + 1]);
      if (s + 2 < L && skip[s + 2]) b = logAddExp(b, beta[p + 2]);
      if (b !== -Infinity) beta[t * L + s] = b + lp[from + t * C + ext[s]];
    }
  }
  // Occupation of each class at each step: log Σ_{s: ext[s] = k} α_t(s) β_t(s) / y_t(k).
  const occupied = new Float64Array(C);
  for (let t = 0; t < len; t++) {
    occupied.fill(-Infinity);
    for (let s = 0; s < L; s++) {
      const g = alpha[t * L + s] + beta[t * L + s];
      if (g !== -Infinity) occupied[ext[s]] = logAddExp(occupied[ext[s]], g - lp[from + t * C + ext[s]]);
    }
    const o = from + t * C;
    for (let k = 0; k < C; k++) grad[o + k] = Math.exp(lp[o + k]) - Math.exp(occupied[k] - logP);
  }
}

/**
 * Per-sample CTC losses [N]: the forward recursion α runs in float64 on the host, one sample at a
 * time, over the log-softmax of the logits; the gradient with respect to the logits is in closed
 * form (Graves et al. 2006, eq. 16, through the log-softmax):
 *   ∂loss/∂logits[t, k] = softmax(logits_t)[k] − Σ_{s: ext[s] = k} α_t(s) β_t(s) / (p · y_t(ext[s]))
 * for t below the sample's length, 0 after it. The backward recursion β and the gradient are
 * computed only when a gradient is asked for (not for a loss that is only reported). This
 * replaces the ~15 recorded ops per time step of the same recursion written with ops
 * (ctcRecorded), whose dispatch dominated the loss's cost (about 3,000 kernel calls per training
 * step of the digit-strip CRNN at T = 56). When the backward pass is itself recorded (a gradient
 * of a gradient), the rule differentiates ctcRecorded instead, so higher derivatives stay exact.
 * A label that cannot fit in its steps gets a loss of 1e30 and no gradient.
 */
function ctcLosses(logits: Tensor, problem: CtcProblem): Tensor {
  const { labels, labelLengths, logitLengths, blank } = problem;
  const [n, T, C] = logits.shape;
  const f = customGrad((l: Tensor) => {
    const lp = logSoftmax(l, -1).dataSync();
    const lattices = labels.map((row, i) => ctcForward(lp, i * T * C, logitLengths[i], C, row.slice(0, labelLengths[i]), blank));
    return {
      value: tensor(lattices.map((c) => (c.logP === -Infinity ? 1e30 : -c.logP)), [n], l.dtype),
      gradFunc: (dy: Tensor): Tensor => {
        if (isRecording()) return vjp((u: Tensor) => ctcRecorded(u, problem), [l], dy).grads[0];
        const grad = new Float64Array(n * T * C);
        lattices.forEach((c, i) => ctcGradient(lp, i * T * C, C, c, grad));
        return mul(tensor(grad, [n, T, C], l.dtype), reshape(dy, [n, 1, 1]));
      },
    };
  });
  return f(logits);
}

/**
 * The same per-sample losses as ctcLosses, computed with ops so that autograd records them: the
 * forward algorithm in log space over the extended sequences padded with blanks to 2S + 1 states.
 * Used for gradients of gradients and as the tests' independent reference.
 */
export function ctcRecorded(logits: Tensor, { labels, labelLengths, logitLengths, blank, S }: CtcProblem): Tensor {
  const [n, T, C] = logits.shape;
  // Extended sequences b l1 b l2 … b, padded with blanks to L = 2S + 1; constant masks per sample.
  const L = 2 * S + 1;
  const ext = labels.map((row, i) => Array.from({ length: L }, (_, s) => (s % 2 === 1 && (s - 1) / 2 < labelLengths[i] ? row[(s - 1) / 2] : blank)));
  // s − 2 → s is allowed onto a label that differs from the label two states back.
  const skip = ext.flatMap((e) => e.map((v, s) => (s >= 2 && v !== blank && v !== e[s - 2] ? 1 : 0)));
  const start = ext.flatMap(() => Array.from({ length: L }, (_, s) => (s < 2 ? 1 : 0)));
  const final = ext.flatMap((_, i) => Array.from({ length: L }, (_, s) => (s === 2 * labelLengths[i] || s === 2 * labelLengths[i] - 1 ? 1 : 0)));
  const dt = logits.dtype;
  const mask = (v: number[]): Tensor => tensor(v, [n, L], dt);
  /** x where m = 1, log 0 elsewhere. */
  const keep = (x: Tensor, m: Tensor): Tensor => add(mul(x, m), mul(sub(1, m), LOG_ZERO));

  const logp = logSoftmax(logits, -1);
  // e[n, t, s] = logp[n, t, ext[n][s]], as a product with one-hot rows (exact: entries are 0 or 1).
  const extOneHot = cast(oneHot(tensor(ext.flat(), [n, L], 'int32'), C), dt);
  const emissions = unstack(matmul(logp, extOneHot, false, true), 1); // T × [N, L]
  const skipMask = mask(skip);
  const pad = (k: number): Tensor => full([n, k], LOG_ZERO, dt);
  const shift = (a: Tensor, k: number): Tensor => (k >= L ? pad(L) : concat([pad(k), slice(a, [0, 0], [n, L - k])], 1));

  let alpha = keep(emissions[0], mask(start));
  for (let t = 1; t < T; t++) {
    const prev = stack([alpha, shift(alpha, 1), keep(shift(alpha, 2), skipMask)], 0);
    const next = add(logSumExp(prev, 0), emissions[t]);
    // Samples whose sequence has ended keep their α.
    const live = tensor(logitLengths.map((len) => (t < len ? 1 : 0)), [n, 1], dt);
    alpha = add(mul(next, live), mul(alpha, sub(1, live)));
  }
  return neg(logSumExp(keep(alpha, mask(final)), 1));
}

/**
 * Best-path decoding: the most likely class per time step, repeats merged and blanks removed.
 * logits [N, T, C] → one label list per sample (plain arrays, since lengths differ).
 */
export function ctcGreedyDecode(logitsIn: TensorLike, options: { blank?: number; logitLengths?: TensorLike } = {}): number[][] {
  checkOptions('ctcGreedyDecode', options, DECODE_OPTIONS);
  const logits = toTensor('ctcGreedyDecode', logitsIn);
  if (logits.rank !== 3) throw new ShapeError(`ctcGreedyDecode: logits must be [N, T, C], got ${fmtShape(logits.shape)}`);
  const [n, T, C] = logits.shape;
  const blank = options.blank ?? 0;
  const lengths = options.logitLengths !== undefined ? lengthsOf('ctcGreedyDecode', 'logitLengths', options.logitLengths, n, T) : new Array<number>(n).fill(T);
  const data = logits.dataSync();
  return Array.from({ length: n }, (_, i) => {
    const out: number[] = [];
    let prev = -1;
    for (let t = 0; t < lengths[i]; t++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (Number(data[(i * T + t) * C + c]) > Number(data[(i * T + t) * C + best])) best = c;
      if (best !== prev && best !== blank) out.push(best);
      prev = best;
    }
    return out;
  });
}

// ---- lookup ----

const LOSSES = {
  meanSquaredError,
  meanAbsoluteError,
  meanSquaredLogarithmicError,
  huber,
  logCosh,
  cosineSimilarity,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  kullbackLeiblerDivergence,
  hinge,
  squaredHinge,
  focal,
  contrastive,
  ctc,
} satisfies Record<string, LossFn>;

/**
 * The losses' names, as `compile({ loss: 'sparseCategoricalCrossentropy' })` accepts them (snake_case and Keras's
 * aliases such as 'mse' work too).
 */
export type LossName = keyof typeof LOSSES;

const LOSS_ALIASES: Record<string, LossName> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
  klDivergence: 'kullbackLeiblerDivergence',
  kullbackLeibler: 'kullbackLeiblerDivergence',
  logcosh: 'logCosh',
  huberLoss: 'huber',
  binaryFocalCrossentropy: 'focal',
  crossentropy: 'categoricalCrossentropy',
};

/** Every canonical loss name {@link getLoss} accepts. */
export function lossNames(): LossName[] {
  return Object.keys(LOSSES) as LossName[];
}

/** The canonical name of a loss given by name (camelCase, snake_case or a Keras alias) or function; null for an unknown function. */
export function lossName(id: string | LossFn): LossName | null {
  if (typeof id === 'function') {
    const hit = Object.entries(LOSSES).find(([, fn]) => fn === id);
    return hit ? (hit[0] as LossName) : null;
  }
  const c = camelCase(id);
  if (c in LOSSES) return c as LossName;
  return LOSS_ALIASES[c] ?? LOSS_ALIASES[id] ?? null;
}

/** The loss function for a name ('categoricalCrossentropy', 'categorical_crossentropy', 'mse') or a function (returned as is). */
export function getLoss(id: LossName | (string & {}) | LossFn): LossFn {
  if (typeof id === 'function') return id;
  const name = typeof id === 'string' ? lossName(id) : null;
  if (name === null) throw new ValueError(`getLoss: unknown loss ${JSON.stringify(id)}; known: ${lossNames().join(', ')}`);
  return LOSSES[name] as LossFn;
}
