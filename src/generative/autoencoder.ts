// Auto-encoders: an encoder to a code and a decoder back, trained to reproduce the input
// (fit(x, x) with binary cross-entropy for pixels in [0, 1]). Each builder returns the
// auto-encoder and its two halves, which share their layers with it:
//   dense:          x → flatten → hidden[0] → … → hidden[last] = code → … → hidden[0] → 784 sigmoid → x̂
//   convolutional:  [28,28,1] → conv 3×3/2 (16) → conv 3×3/2 (8) = code [7,7,8]
//                   → convᵀ 3×3/2 (8) → convᵀ 3×3/2 (16) → conv 3×3 (1) sigmoid → x̂
// A denoising auto-encoder (Vincent et al. 2008) corrupts the input while training only, and
// must still reproduce the clean x: masking noise (each input set to 0 with probability `rate`,
// no rescaling, unlike dropout) or additive Gaussian noise.
import { checkOptions, is, ValueError } from '../base/index.js';
import { input, Model } from '../model/index.js';
import {
  type ActivationName, type CallArgs, type Config, Layer, type LayerArgs, type LayerInput, layers, registerLayer, type Shape, type SymbolicTensor,
} from '../nn/index.js';
import { cast, greaterEqual, mul } from '../ops/index.js';
import { randomUniform, Tensor } from '../tensor/index.js';

/** Options of the {@link MaskingNoise} layer: the masking `rate` and a seed. */
export interface MaskingNoiseArgs extends LayerArgs {
  /** Probability that an input is set to 0 while training. */
  rate: number;
  seed?: number | null;
}

/** Sets each input to 0 with probability `rate` while training (masking noise); identity otherwise. */
export class MaskingNoise extends Layer {
  static override readonly className = 'MaskingNoise';
  readonly rate: number;
  readonly seed: number | null;
  private calls = 0;

  constructor(args: MaskingNoiseArgs) {
    super(args);
    const { rate, seed } = args;
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) throw new ValueError(`MaskingNoise '${this.name}': rate must be a number in [0, 1), got ${String(rate)}`);
    if (!(seed === undefined || seed === null || Number.isInteger(seed))) throw new ValueError(`MaskingNoise '${this.name}': seed must be an integer or null, got ${String(seed)}`);
    this.rate = rate;
    this.seed = seed ?? null;
  }

  override call(inputs: LayerInput, args: CallArgs): Tensor {
    const x = inputs instanceof Tensor ? inputs : inputs[0];
    if (!args.training || this.rate === 0) return x;
    // A seeded layer draws a new, reproducible mask at every call.
    const seed = this.seed === null ? undefined : this.seed + this.calls++;
    const keep = cast(greaterEqual(randomUniform(x.shape, { seed }), this.rate), x.dtype);
    return mul(x, keep);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }

  static fromConfig(config: Config): MaskingNoise {
    return new MaskingNoise(config as unknown as MaskingNoiseArgs);
  }
}
registerLayer(MaskingNoise);

/** How a denoising auto-encoder corrupts its input while training: masking noise or additive Gaussian noise. */
export type Corruption = { kind: 'masking'; rate: number } | { kind: 'gaussian'; stddev: number };

/**
 * Options of {@link denseAutoencoder} and {@link convAutoencoder}: input shape, hidden sizes, activation, and the
 * denoising `noise`.
 */
export interface AutoencoderOptions {
  /** Input shape (default [28, 28, 1]). */
  inputShape?: number[];
  /** Dense: hidden sizes down to the code (default [256, 64]). */
  hidden?: number[];
  /** Activation of the hidden layers (default 'relu'; 'sigmoid' for the classic stacked ones). */
  activation?: ActivationName;
  /** Denoising: corrupt the input while training. */
  noise?: Corruption;
  name?: string;
}

/** An auto-encoder and its two halves, which share its weights. */
export interface Autoencoder {
  autoencoder: Model;
  encoder: Model;
  decoder: Model;
}

const SPEC = {
  inputShape: is.intArray, hidden: is.intArray, activation: is.string,
  noise: (v: unknown) => {
    const n = v as Corruption;
    if (typeof v !== 'object' || v === null) return 'an object { kind, rate } or { kind, stddev }';
    if (n.kind === 'masking') return typeof n.rate === 'number' && n.rate >= 0 && n.rate < 1 ? null : "{ kind: 'masking', rate } with rate in [0, 1)";
    if (n.kind === 'gaussian') return typeof n.stddev === 'number' && n.stddev >= 0 ? null : "{ kind: 'gaussian', stddev } with stddev ≥ 0";
    return "{ kind: 'masking', rate } or { kind: 'gaussian', stddev }";
  },
  name: is.string,
};

const sym = (x: unknown): SymbolicTensor => x as SymbolicTensor;

function corrupt(x: SymbolicTensor, noise: Corruption | undefined, name: string): SymbolicTensor {
  if (!noise) return x;
  return noise.kind === 'masking'
    ? sym(new MaskingNoise({ rate: noise.rate, name: `${name}_masking` }).apply(x))
    : sym(layers.gaussianNoise({ stddev: noise.stddev, name: `${name}_gaussian` }).apply(x));
}

/** Join an encoder and a decoder into the auto-encoder x → decoder(encoder(x)). */
function join(encoder: Model, decoder: Model, inputShape: number[], noise: Corruption | undefined, name: string): Model {
  const x = input({ shape: inputShape, name: `${name}_input` });
  const code = sym(encoder.apply(corrupt(x, noise, name)));
  return new Model({ inputs: x, outputs: sym(decoder.apply(code)), name });
}

/** A dense (stacked, when `hidden` has several sizes) auto-encoder with a sigmoid output. */
export function denseAutoencoder(options: AutoencoderOptions = {}): Autoencoder {
  const o = checkOptions('denseAutoencoder', options, SPEC);
  const inputShape = o.inputShape ?? [28, 28, 1];
  const hidden = o.hidden ?? [256, 64];
  if (hidden.length === 0 || hidden.some((h) => h <= 0)) throw new ValueError(`denseAutoencoder: hidden must list positive sizes, got [${hidden.join(', ')}]`);
  const activation = o.activation ?? 'relu';
  const name = o.name ?? 'autoencoder';
  const inputSize = inputShape.reduce((a, b) => a * b, 1);
  const ex = input({ shape: inputShape, name: `${name}_encoder_input` });
  let h = sym(layers.flatten({ name: `${name}_flatten` }).apply(ex));
  hidden.forEach((units, i) => (h = sym(layers.dense({ units, activation, name: `${name}_enc${i + 1}` }).apply(h))));
  const encoder = new Model({ inputs: ex, outputs: h, name: `${name}_encoder` });
  const dx = input({ shape: [hidden[hidden.length - 1]], name: `${name}_decoder_input` });
  let d = dx;
  hidden.slice(0, -1).reverse().forEach((units, i) => (d = sym(layers.dense({ units, activation, name: `${name}_dec${i + 1}` }).apply(d))));
  d = sym(layers.dense({ units: inputSize, activation: 'sigmoid', name: `${name}_pixels` }).apply(d));
  d = sym(layers.reshape({ targetShape: inputShape, name: `${name}_image` }).apply(d));
  const decoder = new Model({ inputs: dx, outputs: d, name: `${name}_decoder` });
  return { autoencoder: join(encoder, decoder, inputShape, o.noise, name), encoder, decoder };
}

/** A convolutional auto-encoder for [28, 28, 1] digits: code [7, 7, 8]. */
export function convAutoencoder(options: Omit<AutoencoderOptions, 'hidden' | 'inputShape'> = {}): Autoencoder {
  const o = checkOptions('convAutoencoder', options as AutoencoderOptions, SPEC);
  if (o.hidden !== undefined || o.inputShape !== undefined) throw new ValueError('convAutoencoder: takes 28×28×1 digits; hidden and inputShape are for denseAutoencoder');
  const activation = o.activation ?? 'relu';
  const name = o.name ?? 'conv_autoencoder';
  const ex = input({ shape: [28, 28, 1], name: `${name}_encoder_input` });
  let h = sym(layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation, name: `${name}_enc1` }).apply(ex));
  h = sym(layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation, name: `${name}_enc2` }).apply(h));
  const encoder = new Model({ inputs: ex, outputs: h, name: `${name}_encoder` });
  const dx = input({ shape: [7, 7, 8], name: `${name}_decoder_input` });
  let d = sym(layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation, name: `${name}_dec1` }).apply(dx));
  d = sym(layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation, name: `${name}_dec2` }).apply(d));
  d = sym(layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid', name: `${name}_pixels` }).apply(d));
  const decoder = new Model({ inputs: dx, outputs: d, name: `${name}_decoder` });
  return { autoencoder: join(encoder, decoder, [28, 28, 1], o.noise, name), encoder, decoder };
}
