// hb.adversarial: adversarial examples and training against them.
//   FGSM (Goodfellow, Shlens & Szegedy 2015): x̃ = clip(x + ε·sign(∇ₓ L(f(x), y)))
//     — the lectures' panda that becomes a gibbon at ε = 0.007.
//   PGD (Madry et al. 2018): k steps x ← Π_{‖x−x₀‖∞ ≤ ε} clip(x + α·sign(∇ₓL)), from a random
//     start in the ε-ball: the strongest first-order attack in the L∞ ball.
// Adversarial training (fit on clean + adversarial batches) is in training.ts.
import { grad } from '../autograd/index.js';
import { checkOptions, is, type OptionSpec, ValueError } from '../base/index.js';
import { Model } from '../model/index.js';
import { getLoss, type LossFn, type LossName } from '../nn/index.js';
import { add, clip, maximum, minimum, mul, sign, sub } from '../ops/index.js';
import { noGrad, randomUniform, Tensor, tidy } from '../tensor/index.js';

/**
 * Options of {@link fgsm}: the radius ε, the loss attacked, the valid input range, and whether the attack is targeted.
 */
export interface AttackOptions {
  /** L∞ radius ε of the perturbation (in input units; MNIST pixels are in [0, 1]). */
  epsilon: number;
  /** The loss to increase: a name or function (yTrue, yPred). Default: the compiled loss, else cross-entropy matched to y (int labels: sparse). */
  loss?: LossName | LossFn;
  /** The valid input range; null for no clipping. Default [0, 1]. */
  clipMin?: number | null;
  clipMax?: number | null;
  /** Move towards class y instead of away from it (x − ε·sign ∇L). Default false. */
  targeted?: boolean;
}

/** Options of {@link pgd}: those of FGSM plus the number of steps, the step size, a random start and its seed. */
export interface PgdOptions extends AttackOptions {
  /** Iterations (default 10). */
  steps?: number;
  /** Step size α (default 2.5·ε/steps, Madry et al.). */
  stepSize?: number;
  /** Start from a uniform random point of the ε-ball (default true). */
  randomStart?: boolean;
  seed?: number;
}

const ATTACK_SPEC = {
  epsilon: is.nonNegative,
  loss: is.anyOf(is.string, is.fn),
  clipMin: is.nullable(is.finite),
  clipMax: is.nullable(is.finite),
  targeted: is.bool,
};
const PGD_SPEC = { ...ATTACK_SPEC, steps: is.posInt, stepSize: is.positive, randomStart: is.bool, seed: is.int };

export function checkModel(op: string, model: unknown): Model {
  if (!(model instanceof Model)) throw new ValueError(`${op}: expected a model, got ${typeof model}`);
  return model;
}

export function checkXY(op: string, x: unknown, y: unknown): [Tensor, Tensor] {
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new ValueError(`${op}: x and y must be Tensors`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new ValueError(`${op}: x must be float32 or float64, got ${x.dtype}`);
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) throw new ValueError(`${op}: x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}] must have the same number of samples`);
  return [x, y];
}

/** The loss to attack: given, else the compiled one, else cross-entropy suited to y's form. */
function attackLoss(model: Model, y: Tensor, loss: LossName | LossFn | undefined): LossFn {
  if (loss !== undefined) return getLoss(loss);
  const compiled = model.compiled?.targets[0]?.loss;
  if (compiled) return compiled;
  return getLoss(y.dtype === 'int32' || y.rank === 1 ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy');
}

function bounds(opts: AttackOptions, op: string): [number | null, number | null] {
  const lo = opts.clipMin === undefined ? 0 : opts.clipMin;
  const hi = opts.clipMax === undefined ? 1 : opts.clipMax;
  if (lo !== null && hi !== null && !(hi > lo)) throw new ValueError(`${op}: clipMax (${hi}) must be greater than clipMin (${lo})`);
  return [lo, hi];
}

function clipTo(x: Tensor, lo: number | null, hi: number | null): Tensor {
  if (lo !== null && hi !== null) return clip(x, lo, hi);
  if (lo !== null) return maximum(x, lo);
  if (hi !== null) return minimum(x, hi);
  return x;
}

/** x ↦ ∇ₓ of the mean loss of model(x) against y (inference mode). */
function lossGradient(model: Model, y: Tensor, lossFn: LossFn): (x: Tensor) => Tensor {
  return grad((input: Tensor) => {
    const out = model.apply(input, { training: false });
    return lossFn(y, Array.isArray(out) ? out[0] : out);
  });
}

/** ∇ₓ of the mean loss of model(x) against y (inference mode). */
export function inputGradient(model: Model, x: Tensor, y: Tensor, loss?: LossName | LossFn): Tensor {
  checkModel('adversarial.inputGradient', model);
  checkXY('adversarial.inputGradient', x, y);
  return lossGradient(model, y, attackLoss(model, y, loss))(x);
}

/** An attack's arguments checked (options against `spec`, epsilon required), with its clip bounds. */
function checkAttack<O extends AttackOptions>(op: string, model: Model, x: Tensor, y: Tensor, options: O, spec: OptionSpec<O>): { opts: O & { epsilon: number }; lo: number | null; hi: number | null } {
  const opts = checkOptions(op, options, spec);
  checkModel(op, model);
  checkXY(op, x, y);
  if (opts.epsilon === undefined) throw new ValueError(`${op}: epsilon is required`);
  const [lo, hi] = bounds(opts, op);
  return { opts: opts as O & { epsilon: number }, lo, hi };
}

/** FGSM: clip(x + ε·sign(∇ₓL)) (targeted: x − ε·sign ∇ₓL towards y). */
export function fgsm(model: Model, x: Tensor, y: Tensor, options: AttackOptions): Tensor {
  const { opts, lo, hi } = checkAttack('adversarial.fgsm', model, x, y, options, ATTACK_SPEC);
  const direction = opts.targeted ? -opts.epsilon : opts.epsilon;
  // tidy: the gradient's intermediates are released now, not when the garbage collector runs.
  return tidy(() => {
    const g = inputGradient(model, x, y, opts.loss);
    return noGrad(() => clipTo(add(x, mul(sign(g), direction)), lo, hi));
  });
}

/** PGD in the L∞ ball of radius ε around x; see the file comment. */
export function pgd(model: Model, x: Tensor, y: Tensor, options: PgdOptions): Tensor {
  const { opts, lo, hi } = checkAttack('adversarial.pgd', model, x, y, options, PGD_SPEC);
  const eps = opts.epsilon;
  const steps = opts.steps ?? 10;
  const alpha = opts.stepSize ?? (2.5 * eps) / steps;
  const direction = opts.targeted ? -alpha : alpha;
  const lossFn = attackLoss(model, y, opts.loss);
  const project = (z: Tensor): Tensor => clipTo(minimum(maximum(z, sub(x, eps)), add(x, eps)), lo, hi);
  let adv = opts.randomStart === false || eps === 0
    ? x
    : noGrad(() => project(add(x, randomUniform(x.shape, { min: -eps, max: eps, seed: opts.seed, dtype: x.dtype }))));
  const dLoss = lossGradient(model, y, lossFn);
  for (let s = 0; s < steps; s++) {
    const prev = adv;
    adv = tidy(() => {
      const g = dLoss(prev);
      return noGrad(() => project(add(prev, mul(sign(g), direction))));
    });
    if (prev !== x) prev.dispose();
  }
  return adv;
}
