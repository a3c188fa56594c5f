// The variational auto-encoder (Kingma & Welling 2014). The encoder gives a Gaussian
// q(z|x) = N(μ(x), diag σ²(x)) as [μ, log σ²]; z is drawn by the reparameterisation
// z = μ + σ ⊙ ε, ε ~ N(0, I), so the sample is a differentiable function of μ and σ; the decoder
// gives Bernoulli pixel probabilities p(x|z). Training minimises the negative evidence lower bound
//   L(x) = −E_q[log p(x|z)] + β · KL(q(z|x) ‖ N(0, I))
//        = Σ_pixels BCE(x, x̂)  +  β · ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1)
// (one z per example, averaged over the batch). The model's graph x → encoder → μ → decoder is
// the deterministic reconstruction; sampling new digits is decoder(z), z ~ N(0, I).
import { variableGrads } from '../autograd/index.js';
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import { input, Model, type StepBatch, type StepLogs } from '../model/index.js';
import { type Config, layers, registerLayer, type SymbolicTensor } from '../nn/index.js';
import { add, clip, exp, log, mean, mul, neg, square, sub, sum } from '../ops/index.js';
import { noGrad, randomNormal, type Tensor, tidy } from '../tensor/index.js';
import { partFromConfig, partsConfig } from './parts.js';

/** KL(N(μ, diag exp(logVar)) ‖ N(0, I)) per example [N]: ½ Σ_j (μ² + σ² − log σ² − 1). */
export function klStandardNormal(mu: Tensor, logVar: Tensor): Tensor {
  if (mu.rank !== 2 || logVar.rank !== 2 || mu.shape[0] !== logVar.shape[0] || mu.shape[1] !== logVar.shape[1]) {
    throw new ShapeError(`klStandardNormal: mu and logVar must both be [N, latentDim], got [${mu.shape.join(',')}] and [${logVar.shape.join(',')}]`);
  }
  return mul(sum(sub(add(square(mu), exp(logVar)), add(logVar, 1)), 1), 0.5);
}

/** z = μ + exp(½ log σ²) ⊙ ε with ε ~ N(0, I) (or the given ε): differentiable in μ and log σ². */
export function reparameterize(mu: Tensor, logVar: Tensor, epsilon?: Tensor): Tensor {
  const eps = epsilon ?? randomNormal([...mu.shape], { dtype: mu.dtype === 'float64' ? 'float64' : 'float32' });
  return add(mu, mul(exp(mul(logVar, 0.5)), eps));
}

/** Options of {@link vae}: latent size, hidden units, β and a name. */
export interface VaeOptions {
  /** Length of z (default 2, so that the latent space can be drawn as a grid). */
  latentDim?: number;
  /** Hidden units of the encoder and decoder (default 256). */
  hidden?: number;
  /** Weight of the KL term (default 1: the ELBO; β > 1 is the β-VAE). */
  beta?: number;
  name?: string;
}

/** A VAE built from your own encoder (x → [μ, log σ²]) and decoder (z → x). */
export interface VaeParts {
  /** x [N, 28, 28, 1] → [μ, log σ²], each [N, latentDim]. */
  encoder: Model;
  /** z [N, latentDim] → pixel probabilities [N, 28, 28, 1]. */
  decoder: Model;
  beta?: number;
  name?: string;
}

/**
 * A variational auto-encoder (Kingma & Welling 2014) trained by `fit(x, null)` on the negative ELBO: Bernoulli
 * reconstruction loss plus β·KL(q(z|x) ‖ N(0, I)); `encoder` and `decoder` are usable on their own.
 */
export class VAE extends Model {
  static override readonly className: string = 'VAE';
  readonly encoder: Model;
  readonly decoder: Model;
  readonly beta: number;
  readonly latentDim: number;

  constructor(parts: VaeParts) {
    const o = checkOptions('VAE', parts, {
      encoder: (v) => (v instanceof Model ? null : 'a Model'), decoder: (v) => (v instanceof Model ? null : 'a Model'), beta: is.nonNegative, name: is.string,
    });
    const { encoder, decoder } = o;
    if (encoder.outputs.length !== 2) throw new ValueError(`VAE: the encoder must output [mu, logVar], got ${encoder.outputs.length} output(s)`);
    const latent = encoder.outputs[0].shape[1];
    if (latent === null || decoder.inputs.length !== 1 || decoder.inputs[0].shape[1] !== latent) {
      throw new ShapeError(`VAE: the decoder must take z [N, ${latent}], got [${decoder.inputs.map((i) => i.shape.join(',')).join('; ')}]`);
    }
    const x = input({ shape: encoder.inputs[0].shape.slice(1) as number[], name: 'x' });
    const [mu] = encoder.apply(x) as unknown as SymbolicTensor[];
    super({ inputs: x, outputs: decoder.apply(mu) as SymbolicTensor, name: o.name ?? 'vae' });
    this.encoder = encoder;
    this.decoder = decoder;
    this.beta = o.beta ?? 1;
    this.latentDim = latent;
  }

  /** The negative ELBO per batch and its two parts (means over the batch). */
  elbo(x: Tensor, training: boolean): { loss: Tensor; reconstruction: Tensor; kl: Tensor } {
    const [mu, logVar] = this.encoder.runGraph([x], { training }).outputs;
    const xHat = this.decoder.runGraph([reparameterize(mu, logVar)], { training }).outputs[0];
    // Bernoulli log-likelihood, summed over pixels; probabilities clipped away from 0 and 1.
    const p = clip(xHat, 1e-7, 1 - 1e-7);
    const bce = neg(add(mul(x, log(p)), mul(sub(1, x), log(sub(1, p)))));
    const reconstruction = mean(sum(bce, bce.shape.slice(1).map((_, i) => i + 1)));
    const kl = mean(klStandardNormal(mu, logVar));
    return { loss: add(reconstruction, mul(kl, this.beta)), reconstruction, kl };
  }

  override trainStep(batch: StepBatch): StepLogs {
    const opt = this.optimizer;
    if (opt === null) throw new ValueError(`VAE '${this.name}': compile({ optimizer }) first`);
    const x = batch.x[0];
    return tidy(() => {
      const vars = this.trainableWeights;
      let parts: { loss: Tensor; reconstruction: Tensor; kl: Tensor } | null = null;
      const { grads } = variableGrads(() => (parts = this.elbo(x, true)).loss, vars.map((v) => v.value));
      opt.applyGradients(vars.map((variable, i) => ({ variable, grad: grads[i] })));
      const p = parts as unknown as { loss: Tensor; reconstruction: Tensor; kl: Tensor };
      return { loss: p.loss.item(), reconstruction: p.reconstruction.item(), kl: p.kl.item() };
    });
  }

  override testStep(batch: StepBatch): StepLogs {
    return tidy(() => noGrad(() => {
      const p = this.elbo(batch.x[0], false);
      return { loss: p.loss.item(), reconstruction: p.reconstruction.item(), kl: p.kl.item() };
    }));
  }

  /** New digits: decoder(z), z ~ N(0, I). */
  sample(n: number): Tensor {
    return tidy(() => noGrad(() => this.decoder.runGraph([randomNormal([n, this.latentDim])], { training: false }).outputs[0]));
  }

  /** μ(x): where each image sits in the latent space. */
  encodeMean(x: Tensor): Tensor {
    return tidy(() => noGrad(() => this.encoder.runGraph([x], { training: false }).outputs[0]));
  }

  override getConfig(): Config {
    return {
      name: this.name,
      ...partsConfig({ encoder: this.encoder, decoder: this.decoder }),
      beta: this.beta,
    };
  }

  static override fromConfig(config: Config): VAE {
    const [encoder, decoder] = [partFromConfig(config, 'encoder', 'VAE'), partFromConfig(config, 'decoder', 'VAE')];
    return new VAE({ encoder, decoder, beta: config.beta as number, name: config.name as string });
  }
}
registerLayer(VAE);

/** A dense VAE for 28×28×1 digits: 784 → hidden → (μ, log σ²) and latent → hidden → 784 sigmoid. */
export function vae(options: VaeOptions = {}): VAE {
  const o = checkOptions('vae', options, { latentDim: is.posInt, hidden: is.posInt, beta: is.nonNegative, name: is.string });
  const latent = o.latentDim ?? 2;
  const hidden = o.hidden ?? 256;
  const x = input({ shape: [28, 28, 1], name: 'vae_x' });
  let h = layers.flatten({ name: 'vae_flatten' }).apply(x) as SymbolicTensor;
  h = layers.dense({ units: hidden, activation: 'relu', name: 'vae_enc' }).apply(h) as SymbolicTensor;
  const mu = layers.dense({ units: latent, name: 'vae_mu' }).apply(h) as SymbolicTensor;
  const logVar = layers.dense({ units: latent, name: 'vae_log_var' }).apply(h) as SymbolicTensor;
  const encoder = new Model({ inputs: x, outputs: [mu, logVar], name: 'vae_encoder' });
  const z = input({ shape: [latent], name: 'vae_z' });
  let d = layers.dense({ units: hidden, activation: 'relu', name: 'vae_dec' }).apply(z) as SymbolicTensor;
  d = layers.dense({ units: 784, activation: 'sigmoid', name: 'vae_pixels' }).apply(d) as SymbolicTensor;
  d = layers.reshape({ targetShape: [28, 28, 1], name: 'vae_image' }).apply(d) as SymbolicTensor;
  const decoder = new Model({ inputs: z, outputs: d, name: 'vae_decoder' });
  return new VAE({ encoder, decoder, beta: o.beta, name: o.name });
}
