// Generative adversarial networks as one Model whose trainStep plays the two-player game
// (Goodfellow et al. 2014), so `fit` trains them with its progress bar, callbacks, history,
// checkpoints and resume. The graph is z → generator → discriminator, so the GAN saves, loads
// and summarises like any model; its two parts are `gan.generator` and `gan.discriminator`, and
// it is compiled with one optimizer for each:
//   gan.compile({ optimizer: { generator: adam(…), discriminator: adam(…) } })
//
// Objectives (D outputs one unbounded number per image: a logit, or a critic value):
//   'gan'      D maximises log D(x) + log(1 − D(G(z))), D = sigmoid(logit):
//                L_D = softplus(−l(x)) + softplus(l(G(z)))                (= binary cross-entropy)
//              G minimises the non-saturating −log D(G(z)) = softplus(−l(G(z))) (default), or the
//              min-max log(1 − D(G(z))) = −softplus(l(G(z))), which saturates when D wins early.
//              With one-sided label smoothing s the real images' target is 1 − s:
//                L_D = (1 − s)·softplus(−l(x)) + s·softplus(l(x)) + softplus(l(G(z))).
//   'wgan'     critic C, no sigmoid or log: L_C = mean C(G(z)) − mean C(x), L_G = −mean C(G(z));
//              after each critic update every critic weight is clipped to [−c, c] (Arjovsky et
//              al. 2017), which keeps C (roughly) Lipschitz.
//   'wgan-gp'  the same losses, with λ · mean((‖∇x̂ C(x̂)‖₂ − 1)²) added to L_C at random points
//              x̂ = εx + (1 − ε)G(z) between real and fake images instead of clipping (Gulrajani et
//              al. 2017). The penalty's gradient with respect to the critic's weights is a
//              gradient of a gradient.
// k discriminator (critic) steps are taken per generator step: every batch updates D, and every
// k-th batch (counted by the discriminator optimizer's iterations, which are saved) also G.
// With emaDecay β > 0 the GAN also keeps an exponential moving average of every generator weight
// (Karras et al. 2018, Brock et al. 2019), updated after each generator step t:
//   w̄ ← d·w̄ + (1 − d)·w,   d = min(β, (1 + t) / (10 + t))
// (the warm-up of TensorFlow's ExponentialMovingAverage with num_updates, so that the first
// weights do not linger), over all the generator's weights, batch-norm moving statistics
// included. The averages are weights of the GAN itself (saved, loaded and resumed with it);
// `withAveragedGenerator` lends the generator with them swapped in, for sampling and saving.
// A conditional GAN (Mirza & Osindero 2014) gives the class to both networks: the generator's
// second input and the discriminator's second input are a one-hot class [N, classes], and the
// data are [images, oneHotClasses].
import { grad, variableGrads } from '../autograd/index.js';
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import { input, Model, type StepBatch, type StepLogs } from '../model/index.js';
import { type Config, losses, registerLayer, type SymbolicTensor, type Variable } from '../nn/index.js';
import { add, clip, mean, mul, neg, sigmoid, softplus, sqrt, square, sub, sum } from '../ops/index.js';
import type { Optimizer } from '../optim/index.js';
import { keep, noGrad, randomNormal, randomUniform, type Tensor, tidy } from '../tensor/index.js';
import { LatentCode, latentCode } from './latent-code.js';
import { partFromConfig, partsConfig } from './parts.js';

/**
 * The GAN's training objective: the original (Goodfellow et al. 2014), the Wasserstein GAN with weight clipping
 * (Arjovsky et al. 2017), or with a gradient penalty (Gulrajani et al. 2017).
 */
export type GanObjective = 'gan' | 'wgan' | 'wgan-gp';
/** The original GAN's generator loss: −log D(G(z)) (non-saturating, default) or log(1 − D(G(z))) (minimax). */
export type GeneratorLoss = 'nonSaturating' | 'minimax';

/** Options of {@link gan}: the generator and discriminator, the objective and its parameters. */
export interface GanOptions {
  /** z [N, latentDim] (and, conditional, a one-hot class [N, classes]) → images. */
  generator: Model;
  /** images (and the one-hot class) → [N, 1]: a logit ('gan') or a critic value ('wgan', 'wgan-gp'). */
  discriminator: Model;
  /** Default 'gan'. */
  objective?: GanObjective;
  /** k: discriminator steps per generator step (default 1 for 'gan', 5 for the Wasserstein ones). */
  discriminatorSteps?: number;
  /** 'gan' only: 'nonSaturating' (−log D(G(z)), default) or 'minimax' (log(1 − D(G(z)))). */
  generatorLoss?: GeneratorLoss;
  /** 'wgan': critic weights are clipped to [−clipValue, clipValue] (default 0.01). */
  clipValue?: number;
  /** 'wgan-gp': λ, the weight of the gradient penalty (default 10). */
  gradientPenaltyWeight?: number;
  /**
   * 'gan' only: one-sided label smoothing s: the discriminator's target for real images is 1 − s instead of 1
   * (Salimans et al. 2016); fakes keep the target 0 (default 0).
   */
  labelSmoothing?: number;
  /**
   * β of an exponential moving average of the generator's weights, used by `sample` and `withAveragedGenerator`
   * (default 0: none). Typical: 0.999.
   */
  emaDecay?: number;
  /**
   * Whether the average's decay warms up as d = min(emaDecay, (1 + t) / (10 + t)) (default true:
   * the average follows the fast-changing early weights closely), or is emaDecay from the first
   * step (false: as PyTorch's AveragedModel and Keras's use_ema; over short training the warm-up
   * keeps the decay below emaDecay throughout, about the last tenth of the steps averaged).
   */
  emaWarmup?: boolean;
  /**
   * InfoGAN (Chen et al. 2016): λ, the weight of the mutual-information term (default 1). It applies when the
   * discriminator has a second output, Q's logits [N, K] over a categorical code that the generator reads off z
   * with a {@link LatentCode} layer of K classes: both networks then also minimise λ · cross-entropy(Q(G(z)), c(z)).
   */
  infoWeight?: number;
  name?: string;
}

const GAN_SPEC = {
  generator: (v: unknown) => (v instanceof Model ? null : 'a Model'),
  discriminator: (v: unknown) => (v instanceof Model ? null : 'a Model'),
  objective: is.oneOf('gan', 'wgan', 'wgan-gp'),
  discriminatorSteps: is.posInt,
  generatorLoss: is.oneOf('nonSaturating', 'minimax'),
  clipValue: is.positive,
  gradientPenaltyWeight: is.nonNegative,
  labelSmoothing: is.range(0, 1, true),
  emaDecay: is.range(0, 1, true),
  emaWarmup: is.bool,
  infoWeight: is.nonNegative,
  name: is.string,
};

/**
 * The gradient penalty of WGAN-GP: mean over the batch of (‖∇x̂ C(x̂)‖₂ − 1)², where
 * x̂ = ε·real + (1 − ε)·fake and ε (broadcast over the image axes, e.g. [N, 1, 1, 1]) is uniform in
 * [0, 1]. Differentiable with respect to whatever `critic` closes over (grad of grad).
 */
export function gradientPenalty(critic: (x: Tensor) => Tensor, real: Tensor, fake: Tensor, epsilon: Tensor): Tensor {
  if (real.rank < 2 || real.shape.some((d, i) => d !== fake.shape[i]) || real.rank !== fake.rank) {
    throw new ShapeError(`gradientPenalty: real [${real.shape.join(',')}] and fake [${fake.shape.join(',')}] must have the same shape [N, …]`);
  }
  const xHat = add(mul(epsilon, real), mul(sub(1, epsilon), fake));
  // Each sample's critic value depends on its own x̂ only, so ∂(Σ C)/∂x̂ holds each ∇x̂ C(x̂ₙ).
  const g = grad((x: Tensor) => sum(critic(x)))(xHat);
  const axes = g.shape.slice(1).map((_, i) => i + 1);
  // The 1e-12 keeps the norm's derivative finite where a gradient is exactly zero.
  const norms = sqrt(add(sum(square(g), axes), 1e-12));
  return mean(square(sub(norms, 1)));
}

/**
 * A GAN as one model whose `trainStep` alternates k discriminator steps with one generator step; `compile` with `{
 * generator, discriminator }` optimizers, then `fit(images, null)` (or `fit(images, labels)` when conditional).
 */
export class GAN extends Model {
  static override readonly className: string = 'GAN';

  readonly generator: Model;
  readonly discriminator: Model;
  readonly objective: GanObjective;
  readonly discriminatorSteps: number;
  readonly generatorLoss: GeneratorLoss;
  readonly clipValue: number;
  readonly gradientPenaltyWeight: number;
  readonly labelSmoothing: number;
  readonly emaDecay: number;
  readonly emaWarmup: boolean;
  /** The moving averages of the generator's weights, in `generator.weights` order (empty when emaDecay is 0). */
  readonly averagedWeights: readonly Variable[];
  /** Length of z. */
  readonly latentDim: number;
  /** Number of classes of a conditional GAN, else 0. */
  readonly classes: number;
  /** K, the categories of InfoGAN's code (the discriminator's second output), else 0. */
  readonly codeClasses: number;
  /** λ of InfoGAN's mutual-information term. */
  readonly infoWeight: number;

  constructor(options: GanOptions) {
    const o = checkOptions('gan', options, GAN_SPEC);
    const { generator: g, discriminator: d } = o;
    if (!(g instanceof Model) || !(d instanceof Model)) throw new ValueError('gan: generator and discriminator (Models) are required');
    const conditional = g.inputs.length === 2;
    if (g.inputs.length !== 1 && !conditional) throw new ValueError(`gan: the generator must take z (and a one-hot class), got ${g.inputs.length} inputs`);
    if (d.inputs.length !== g.inputs.length) {
      throw new ValueError(`gan: the discriminator takes ${d.inputs.length} input(s) and the generator ${g.inputs.length}; a conditional GAN gives the class to both`);
    }
    const zShape = g.inputs[0].shape;
    if (zShape.length !== 2 || zShape[1] === null) throw new ShapeError(`gan: the generator's z input must be [N, latentDim], got [${zShape.join(',')}]`);
    const gOut = g.outputs[0].shape;
    const dIn = d.inputs[0].shape;
    if (g.outputs.length !== 1 || gOut.length !== dIn.length || gOut.some((s, i) => i > 0 && s !== dIn[i])) {
      throw new ShapeError(`gan: the generator makes [${gOut.join(',')}] but the discriminator takes [${dIn.join(',')}]`);
    }
    const dOut = d.outputs[0].shape;
    if (d.outputs.length > 2 || dOut.length !== 2 || dOut[1] !== 1) throw new ShapeError(`gan: the discriminator must output [N, 1] (and InfoGAN's code logits [N, K]), got [${d.outputs.map((t) => t.shape.join(',')).join('], [')}]`);
    const qOut = d.outputs[1]?.shape;
    const codeClasses = qOut ? (qOut[1] ?? 0) : 0;
    if (qOut && (qOut.length !== 2 || codeClasses < 2)) throw new ShapeError(`gan: the discriminator's second output must be code logits [N, K ≥ 2], got [${qOut.join(',')}]`);
    if (qOut && !g.layers.some((l) => l instanceof LatentCode && l.classes === codeClasses)) {
      throw new ValueError(`gan: the discriminator predicts a code of ${codeClasses} categories, but the generator has no LatentCode layer of ${codeClasses} classes to read it off z`);
    }
    const classes = conditional ? (g.inputs[1].shape[1] ?? 0) : 0;
    if (conditional && (d.inputs[1].shape[1] !== classes || classes < 1)) {
      throw new ShapeError(`gan: the class inputs must be one-hot [N, classes] of the same size: generator [${g.inputs[1].shape.join(',')}], discriminator [${d.inputs[1].shape.join(',')}]`);
    }
    // The graph z (, class) → G → D: what predict() computes and what save() stores.
    const z = input({ shape: [zShape[1]], name: 'z' });
    const c = conditional ? input({ shape: [classes], name: 'class' }) : null;
    const fake = (c ? g.apply([z, c]) : g.apply(z)) as SymbolicTensor;
    const dOuts = (c ? d.apply([fake, c]) : d.apply(fake)) as SymbolicTensor | SymbolicTensor[];
    const score = Array.isArray(dOuts) ? dOuts[0] : dOuts;
    super({ inputs: c ? [z, c] : z, outputs: score, name: o.name ?? 'gan' });
    this.generator = g;
    this.discriminator = d;
    this.objective = o.objective ?? 'gan';
    this.discriminatorSteps = o.discriminatorSteps ?? (this.objective === 'gan' ? 1 : 5);
    this.generatorLoss = o.generatorLoss ?? 'nonSaturating';
    if (this.generatorLoss !== 'nonSaturating' && this.objective !== 'gan') throw new ValueError(`gan: generatorLoss '${this.generatorLoss}' applies to objective 'gan' only`);
    this.clipValue = o.clipValue ?? 0.01;
    this.gradientPenaltyWeight = o.gradientPenaltyWeight ?? 10;
    this.labelSmoothing = o.labelSmoothing ?? 0;
    if (this.labelSmoothing > 0 && this.objective !== 'gan') throw new ValueError(`gan: labelSmoothing applies to objective 'gan' only (a critic has no targets)`);
    this.latentDim = zShape[1];
    this.classes = classes;
    this.emaDecay = o.emaDecay ?? 0;
    this.emaWarmup = o.emaWarmup ?? true;
    this.codeClasses = codeClasses;
    this.infoWeight = o.infoWeight ?? 1;
    // The averages start at the generator's weights; 'zeros' draws nothing from the global generator.
    this.averagedWeights = this.emaDecay === 0 ? [] : g.weights.map((v) => {
      const a = this.addWeight(`ema/${v.name}`, v.shape, 'zeros', { trainable: false, dtype: v.dtype });
      noGrad(() => a.assign(v.value.clone()));
      return a;
    });
  }

  /** w̄ ← d·w̄ + (1 − d)·w for every generator weight, d = min(emaDecay, (1 + t) / (10 + t)) (emaDecay without the warm-up); t = generator steps so far. */
  updateAverages(t: number): void {
    if (this.emaDecay === 0) return;
    const d = this.emaWarmup ? Math.min(this.emaDecay, (1 + t) / (10 + t)) : this.emaDecay;
    const ws = this.generator.weights;
    tidy(() => noGrad(() => {
      this.averagedWeights.forEach((a, i) => a.assign(add(mul(a.value, d), mul(ws[i].value, 1 - d))));
    }));
  }

  /**
   * Runs `use` with the generator's weights replaced by their moving averages (emaDecay > 0; otherwise with the
   * generator as it is), and puts the trained weights back afterwards, also when `use` throws or its promise
   * rejects. For sampling and for saving the averaged generator: `gan.withAveragedGenerator((g) => g.save(dir))`.
   */
  withAveragedGenerator<T>(use: (generator: Model) => T): T {
    if (this.emaDecay === 0) return use(this.generator);
    const ws = this.generator.weights;
    const trained = ws.map((v) => keep(v.value.clone()));
    ws.forEach((v, i) => v.assign(this.averagedWeights[i].value.clone()));
    const restore = () => ws.forEach((v, i) => v.assign(trained[i]));
    let result: T;
    try {
      result = use(this.generator);
    } catch (e) {
      restore();
      throw e;
    }
    if (result instanceof Promise) return result.finally(restore) as T;
    restore();
    return result;
  }

  /** z ~ N(0, 1), [n, latentDim], from the global generator (saved with the model, so resume is exact). */
  noise(n: number): Tensor {
    return randomNormal([n, this.latentDim]);
  }

  /** G(z) (conditional: G(z, classes)). */
  generate(z: Tensor, classes: Tensor | null = null, training = false): Tensor {
    this.checkClasses(classes, z.shape[0]);
    return this.generator.runGraph(classes ? [z, classes] : [z], { training }).outputs[0];
  }

  /** D(x) (conditional: D(x, classes)): logits or critic values [N, 1]. */
  score(images: Tensor, classes: Tensor | null = null, training = false): Tensor {
    return this.scoreAndCode(images, classes, training).score;
  }

  /** D(x) and, for InfoGAN, Q's code logits [N, K] (null otherwise), from one pass. */
  scoreAndCode(images: Tensor, classes: Tensor | null = null, training = false): { score: Tensor; code: Tensor | null } {
    const outs = this.discriminator.runGraph(classes ? [images, classes] : [images], { training }).outputs;
    return { score: outs[0], code: outs[1] ?? null };
  }

  /** InfoGAN's term λ · mean cross-entropy of Q's logits against the code read off z. */
  infoLoss(codeLogits: Tensor, z: Tensor): Tensor {
    return mul(losses.categoricalCrossentropy(latentCode(z, this.codeClasses), codeLogits, { fromLogits: true }), this.infoWeight);
  }

  /** n samples, in inference mode, from the averaged generator when emaDecay > 0; a conditional GAN needs their one-hot classes [n, classes]. */
  sample(n: number, classes: Tensor | null = null): Tensor {
    return this.withAveragedGenerator(() => tidy(() => noGrad(() => this.generate(this.noise(n), classes, false))));
  }

  private checkClasses(classes: Tensor | null, n: number): void {
    if (this.classes > 0) {
      if (classes === null) throw new ValueError(`gan '${this.name}': a conditional GAN needs one-hot classes [N, ${this.classes}]`);
      if (classes.rank !== 2 || classes.shape[0] !== n || classes.shape[1] !== this.classes) {
        throw new ShapeError(`gan '${this.name}': classes must be one-hot [${n}, ${this.classes}], got [${classes.shape.join(',')}]`);
      }
    } else if (classes !== null) {
      throw new ValueError(`gan '${this.name}': classes given to an unconditional GAN`);
    }
  }

  /** The discriminator's loss, and the mean outputs on real and fake images (probabilities for 'gan'). */
  discriminatorLoss(real: Tensor, fake: Tensor, classes: Tensor | null, training = true, z: Tensor | null = null): { loss: Tensor; dReal: Tensor; dFake: Tensor; info: Tensor | null } {
    const sReal = this.score(real, classes, training);
    const { score: sFake, code } = this.scoreAndCode(fake, classes, training);
    // InfoGAN: Q (sharing D's body) learns to read the code of the fakes.
    const info = code && z ? this.infoLoss(code, z) : null;
    const plus = (l: Tensor) => (info ? add(l, info) : l);
    if (this.objective === 'gan') {
      // Binary cross-entropy with target t on real images: t·softplus(−l) + (1 − t)·softplus(l).
      const s = this.labelSmoothing;
      const realLoss = s > 0 ? add(mul(softplus(neg(sReal)), 1 - s), mul(softplus(sReal), s)) : softplus(neg(sReal));
      return { loss: plus(add(mean(realLoss), mean(softplus(sFake)))), dReal: mean(sigmoid(sReal)), dFake: mean(sigmoid(sFake)), info };
    }
    let loss = sub(mean(sFake), mean(sReal));
    if (this.objective === 'wgan-gp' && this.gradientPenaltyWeight > 0) {
      const eps = randomUniform([real.shape[0], ...real.shape.slice(1).map(() => 1)]);
      const gp = gradientPenalty((x) => this.score(x, classes, training), real, fake, eps);
      loss = add(loss, mul(gp, this.gradientPenaltyWeight));
    }
    return { loss: plus(loss), dReal: mean(sReal), dFake: mean(sFake), info };
  }

  /** The generator's loss from the discriminator's outputs on its samples. */
  generatorLossOf(sFake: Tensor): Tensor {
    switch (this.objective) {
      case 'gan':
        return this.generatorLoss === 'nonSaturating' ? mean(softplus(neg(sFake))) : neg(mean(softplus(sFake)));
      case 'wgan':
      case 'wgan-gp':
        return neg(mean(sFake));
      default:
        return this.objective satisfies never;
    }
  }

  private optimizerOf(part: 'generator' | 'discriminator'): Optimizer {
    const o = this.optimizers[part];
    if (o === undefined) {
      throw new ValueError(`gan '${this.name}': compile it with one optimizer per network: compile({ optimizer: { generator: …, discriminator: … } })`);
    }
    return o;
  }

  private batchData(batch: StepBatch): { real: Tensor; classes: Tensor | null } {
    const [real, classes = null] = batch.x;
    const want = this.classes > 0 ? 2 : 1;
    if (batch.x.length !== want) {
      throw new ValueError(`gan '${this.name}': fit it on ${want === 2 ? '[images, oneHotClasses]' : 'images'} (got ${batch.x.length} tensor(s))`);
    }
    const dIn = this.discriminator.inputs[0].shape;
    if (real.rank !== dIn.length || dIn.some((d, i) => i > 0 && d !== real.shape[i])) {
      throw new ShapeError(`gan '${this.name}': images must be [N, ${dIn.slice(1).join(', ')}], got [${real.shape.join(',')}]`);
    }
    this.checkClasses(classes, real.shape[0]);
    return { real, classes };
  }

  /** One discriminator step, and every k-th time one generator step. */
  override trainStep(batch: StepBatch): StepLogs {
    const { real, classes } = this.batchData(batch);
    const dOpt = this.optimizerOf('discriminator');
    const gOpt = this.optimizerOf('generator');
    const logs: Record<string, number> = {};
    const n = real.shape[0];
    tidy(() => {
      const z = this.noise(n);
      const fake = noGrad(() => this.generate(z, classes, true));
      const dVars = this.discriminator.trainableWeights;
      let parts: { loss: Tensor; dReal: Tensor; dFake: Tensor; info: Tensor | null } | null = null;
      const { grads } = variableGrads(() => (parts = this.discriminatorLoss(real, fake, classes, true, z)).loss, dVars.map((v) => v.value));
      dOpt.applyGradients(dVars.map((variable, i) => ({ variable, grad: grads[i] })));
      if (this.objective === 'wgan') clipWeights(dVars, this.clipValue);
      const p = parts as unknown as { loss: Tensor; dReal: Tensor; dFake: Tensor; info: Tensor | null };
      if (p.info) logs.infoLoss = p.info.item();
      logs.dLoss = p.loss.item();
      logs.dReal = p.dReal.item();
      logs.dFake = p.dFake.item();
    });
    if (dOpt.iterations % this.discriminatorSteps === 0) {
      tidy(() => {
        const gVars = this.generator.trainableWeights;
        // The discriminator judges in training mode here too (its batch statistics, as in DCGAN).
        const { value, grads } = variableGrads(() => {
          const z = this.noise(n);
          const { score, code } = this.scoreAndCode(this.generate(z, classes, true), classes, true);
          const loss = this.generatorLossOf(score);
          return code ? add(loss, this.infoLoss(code, z)) : loss;
        }, gVars.map((v) => v.value));
        gOpt.applyGradients(gVars.map((variable, i) => ({ variable, grad: grads[i] })));
        logs.gLoss = value.item();
      });
      this.updateAverages(gOpt.iterations);
    }
    return logs;
  }

  /** Both losses on a batch (inference mode), without updates. */
  override testStep(batch: StepBatch): StepLogs {
    const { real, classes } = this.batchData(batch);
    return tidy(() => {
      const fake = this.generate(this.noise(real.shape[0]), classes, false);
      // The penalty needs gradients, so only the recorded-free parts run under noGrad.
      const d = this.objective === 'wgan-gp' ? this.discriminatorLoss(real, fake, classes, false) : noGrad(() => this.discriminatorLoss(real, fake, classes, false));
      const g = noGrad(() => this.generatorLossOf(this.score(fake, classes, false)));
      return { dLoss: d.loss.item(), dReal: d.dReal.item(), dFake: d.dFake.item(), gLoss: g.item() };
    });
  }

  override getConfig(): Config {
    return {
      name: this.name,
      ...partsConfig({ generator: this.generator, discriminator: this.discriminator }),
      objective: this.objective,
      discriminatorSteps: this.discriminatorSteps,
      generatorLoss: this.generatorLoss,
      clipValue: this.clipValue,
      gradientPenaltyWeight: this.gradientPenaltyWeight,
      labelSmoothing: this.labelSmoothing,
      emaDecay: this.emaDecay,
      emaWarmup: this.emaWarmup,
      infoWeight: this.infoWeight,
    };
  }

  static override fromConfig(config: Config): GAN {
    const { generator: _g, discriminator: _d, ...rest } = config;
    const [generator, discriminator] = [partFromConfig(config, 'generator', 'GAN'), partFromConfig(config, 'discriminator', 'GAN')];
    return new GAN({ ...(rest as Omit<GanOptions, 'generator' | 'discriminator'>), generator, discriminator });
  }
}
registerLayer(GAN);

/** w ← clip(w, −c, c) for every variable (WGAN's crude Lipschitz constraint). */
function clipWeights(vars: readonly Variable[], c: number): void {
  noGrad(() => {
    for (const v of vars) v.assign(clip(v.value, -c, c));
  });
}

/** `hb.generative.gan({ generator, discriminator, objective, … })`. */
export function gan(options: GanOptions): GAN {
  return new GAN(options);
}
