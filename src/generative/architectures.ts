// Generators and discriminators for 28×28×1 digits. A generator maps z [N, latentDim] (and, when
// conditional, a one-hot class [N, classes]) to images [N, 28, 28, 1] in [0, 1] (a sigmoid
// output, matching MNIST's pixel range); a discriminator maps images (and the class) to one
// unbounded number [N, 1]: a logit for the original GAN, a critic value for WGAN.
//   MLP (Goodfellow et al. 2014):   z → 256 → 512 → 784            |  784 → 512 → 256 → 1
//                                   (optional batch norm in G, dropout in D)
//   DCGAN (Radford et al. 2016):    z (→ mappingLayers × dense 256) → 7·7·64 → [7,7,64] (→ extraConvs × convᵀ 3×3/1) → convᵀ 4×4/2
//                                   → [14,14,32] → convᵀ 4×4/2 → [28,28,1]
//                                   with batch norm and LeakyReLU(0.2) between them;
//                                   discriminator conv 4×4/2 (32) → conv 4×4/2 (64) → dense 1,
//                                   LeakyReLU(0.2) (each optionally followed by dropout),
//                                   batch norm on the second conv (none in a
//                                   WGAN-GP critic: the penalty is per sample), optionally the
//                                   batch's standard deviation as one more map before the dense
//                                   layer (minibatch-stddev.ts).
//   Conditional DCGAN: the generator's z is joined by the one-hot class; the discriminator gets
//   the class both as a learnt 28×28 plane beside the image and beside its conv features.
//   InfoGAN's categorical code (codeClasses K): the DCGAN generator reads c = one-hot(argmax of z's
//   first K entries) off z and joins it to z, as a conditional generator joins its class; the
//   DCGAN discriminator gains Q, a second output of K logits (dense 128, LeakyReLU, dense K) on
//   its convolutional features.
// Layer names are prefixed g_ / d_ so that the two networks' weights never share a name.
import { checkOptions, is, ValueError } from '../base/index.js';
import { input, Model } from '../model/index.js';
import { layers, type SymbolicTensor } from '../nn/index.js';
import { LatentCode } from './latent-code.js';
import { MinibatchStdDev } from './minibatch-stddev.js';

/** Options of the ready-made generators and discriminators: latent size, classes (conditional), batch norm and width. */
export interface NetworkOptions {
  /** Length of z (default 100). Generators only. */
  latentDim?: number;
  /** Number of classes for a conditional network (default 0: unconditional). */
  classes?: number;
  /**
   * DCGAN discriminators: batch norm after the second conv (default true; false for WGAN-GP critics). MLP
   * generators: batch norm after each hidden layer (default false).
   */
  batchNorm?: boolean;
  /** Width multiplier of the hidden layers (default 1). */
  width?: number;
  /**
   * Discriminators: append the batch's mean standard deviation as one more feature map (DCGAN: after the second
   * conv; MLP: after the second hidden layer) ({@link MinibatchStdDev}; Karras et al. 2018), against mode dropping
   * (default false).
   */
  minibatchStdDev?: boolean;
  /** Discriminators: dropout rate after each convolution's (MLP: hidden layer's) LeakyReLU (default 0: none). */
  dropout?: number;
  /**
   * DCGAN generators: stride-1 3×3 transposed convolutions (with batch norm and LeakyReLU) at 7×7 before the
   * upsampling (default 0).
   */
  extraConvs?: number;
  /**
   * DCGAN generators: dense layers (256·width units, batch norm, LeakyReLU) that map z before the projection to
   * 7×7 maps, as StyleGAN's mapping network (Karras et al. 2019) (default 0).
   */
  mappingLayers?: number;
  /**
   * InfoGAN's categorical code (Chen et al. 2016) with K categories (default 0: none). DCGAN generators read it off
   * z, c = one-hot(argmax(z[:, :K])) ({@link LatentCode}), and take it beside z as a conditional generator takes its
   * class; DCGAN discriminators gain a second output, Q's logits [N, K] over the code (dense 128, LeakyReLU, dense
   * K on the convolutional features), for the GAN's mutual-information term.
   */
  codeClasses?: number;
  name?: string;
}

const SPEC = {
  latentDim: is.posInt, classes: is.nonNegInt, batchNorm: is.bool, width: is.positive, minibatchStdDev: is.bool,
  dropout: is.range(0, 1, true), extraConvs: is.nonNegInt, mappingLayers: is.nonNegInt, name: is.string,
  // 0 (no code) or a code of at least two categories.
  codeClasses: (v: unknown) => (v === 0 || (Number.isInteger(v) && (v as number) >= 2) ? null : '0 or an integer ≥ 2'),
};

const sym = (x: unknown): SymbolicTensor => x as SymbolicTensor;
const lrelu = (name: string) => layers.leakyReLU({ negativeSlope: 0.2, name });

/** Inputs of a generator: z, and the one-hot class when conditional; `h` is their concatenation. */
function generatorInputs(latentDim: number, classes: number): { inputs: SymbolicTensor[]; h: SymbolicTensor } {
  const z = input({ shape: [latentDim], name: 'z' });
  if (classes === 0) return { inputs: [z], h: z };
  const c = input({ shape: [classes], name: 'class' });
  return { inputs: [z, c], h: sym(layers.concatenate({ name: 'g_join' }).apply([z, c])) };
}

function imageInputs(classes: number): { inputs: SymbolicTensor[]; image: SymbolicTensor; cls: SymbolicTensor | null } {
  const image = input({ shape: [28, 28, 1], name: 'image' });
  if (classes === 0) return { inputs: [image], image, cls: null };
  const cls = input({ shape: [classes], name: 'class' });
  return { inputs: [image, cls], image, cls };
}

/** The fully connected generator of the original GAN paper (LeakyReLU hidden units, sigmoid pixels). */
export function mlpGenerator(options: NetworkOptions = {}): Model {
  const o = checkOptions('mlpGenerator', options, SPEC);
  if (o.codeClasses) throw new ValueError(`mlpGenerator: codeClasses applies to the DCGAN networks only`);
  const w = o.width ?? 1;
  const { inputs, h } = generatorInputs(o.latentDim ?? 100, o.classes ?? 0);
  // With batch norm, the hidden layers have no biases (its β does that job).
  const bn = o.batchNorm ?? false;
  let x = sym(layers.dense({ units: Math.round(256 * w), useBias: !bn, name: 'g_dense1' }).apply(h));
  if (bn) x = sym(layers.batchNormalization({ name: 'g_bn1' }).apply(x));
  x = sym(lrelu('g_act1').apply(x));
  x = sym(layers.dense({ units: Math.round(512 * w), useBias: !bn, name: 'g_dense2' }).apply(x));
  if (bn) x = sym(layers.batchNormalization({ name: 'g_bn2' }).apply(x));
  x = sym(lrelu('g_act2').apply(x));
  x = sym(layers.dense({ units: 784, activation: 'sigmoid', name: 'g_pixels' }).apply(x));
  const out = sym(layers.reshape({ targetShape: [28, 28, 1], name: 'g_image' }).apply(x));
  return new Model({ inputs, outputs: out, name: o.name ?? 'generator' });
}

/** The fully connected discriminator: 784 (+ class) → 512 → 256 (+ the batch's standard deviation) → 1, LeakyReLU(0.2). */
export function mlpDiscriminator(options: NetworkOptions = {}): Model {
  const o = checkOptions('mlpDiscriminator', options, SPEC);
  if (o.codeClasses) throw new ValueError(`mlpDiscriminator: codeClasses applies to the DCGAN networks only`);
  const w = o.width ?? 1;
  const { inputs, image, cls } = imageInputs(o.classes ?? 0);
  let x = sym(layers.flatten({ name: 'd_flat' }).apply(image));
  if (cls) x = sym(layers.concatenate({ name: 'd_join' }).apply([x, cls]));
  const rate = o.dropout ?? 0;
  x = sym(layers.dense({ units: Math.round(512 * w), name: 'd_dense1' }).apply(x));
  x = sym(lrelu('d_act1').apply(x));
  if (rate > 0) x = sym(layers.dropout({ rate, name: 'd_drop1' }).apply(x));
  x = sym(layers.dense({ units: Math.round(256 * w), name: 'd_dense2' }).apply(x));
  x = sym(lrelu('d_act2').apply(x));
  if (rate > 0) x = sym(layers.dropout({ rate, name: 'd_drop2' }).apply(x));
  if (o.minibatchStdDev ?? false) x = sym(new MinibatchStdDev({ name: 'd_mbstd' }).apply(x));
  const out = sym(layers.dense({ units: 1, name: 'd_out' }).apply(x));
  return new Model({ inputs, outputs: out, name: o.name ?? 'discriminator' });
}

/** DCGAN generator: dense → [7, 7, 64] → two stride-2 transposed convolutions, batch norm, LeakyReLU. */
export function dcganGenerator(options: NetworkOptions = {}): Model {
  const o = checkOptions('dcganGenerator', options, SPEC);
  const w = o.width ?? 1;
  const c1 = Math.round(64 * w);
  const c2 = Math.round(32 * w);
  const { inputs, h } = generatorInputs(o.latentDim ?? 100, o.classes ?? 0);
  // No biases before batch norm: its β does that job.
  let x = h;
  const codes = o.codeClasses ?? 0;
  if (codes > 0) {
    if (codes > (o.latentDim ?? 100)) throw new ValueError(`dcganGenerator: codeClasses must be at most latentDim (${o.latentDim ?? 100}), got ${codes}`);
    const code = sym(new LatentCode({ classes: codes, name: 'g_code' }).apply(inputs[0]));
    x = sym(layers.concatenate({ name: 'g_join_code' }).apply([x, code]));
  }
  for (let i = 1; i <= (o.mappingLayers ?? 0); i++) {
    x = sym(layers.dense({ units: Math.round(256 * w), useBias: false, name: `g_map${i}` }).apply(x));
    x = sym(layers.batchNormalization({ name: `g_bn_map${i}` }).apply(x));
    x = sym(lrelu(`g_act_map${i}`).apply(x));
  }
  x = sym(layers.dense({ units: 7 * 7 * c1, useBias: false, name: 'g_project' }).apply(x));
  x = sym(layers.batchNormalization({ name: 'g_bn0' }).apply(x));
  x = sym(lrelu('g_act0').apply(x));
  x = sym(layers.reshape({ targetShape: [7, 7, c1], name: 'g_reshape' }).apply(x));
  for (let i = 1; i <= (o.extraConvs ?? 0); i++) {
    x = sym(layers.conv2dTranspose({ filters: c1, kernelSize: 3, strides: 1, padding: 'same', useBias: false, name: `g_refine${i}` }).apply(x));
    x = sym(layers.batchNormalization({ name: `g_bn_refine${i}` }).apply(x));
    x = sym(lrelu(`g_act_refine${i}`).apply(x));
  }
  x = sym(layers.conv2dTranspose({ filters: c2, kernelSize: 4, strides: 2, padding: 'same', useBias: false, name: 'g_up1' }).apply(x));
  x = sym(layers.batchNormalization({ name: 'g_bn1' }).apply(x));
  x = sym(lrelu('g_act1').apply(x));
  const out = sym(layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid', name: 'g_up2' }).apply(x));
  return new Model({ inputs, outputs: out, name: o.name ?? 'generator' });
}

/** DCGAN discriminator: two stride-2 convolutions with LeakyReLU (batch norm on the second), then one unit. */
export function dcganDiscriminator(options: NetworkOptions = {}): Model {
  const o = checkOptions('dcganDiscriminator', options, SPEC);
  const w = o.width ?? 1;
  const { inputs, image, cls } = imageInputs(o.classes ?? 0);
  let pixels = image;
  if (cls) {
    // The class enters at the pixels, as a learnt 28×28 map stacked on the image as a second
    // channel, so every convolution can compare strokes with the class asked for. (Joining it
    // only after the convolutions left a GAN after 313 steps ignoring its class: issue 11's
    // first cgan run agreed with the requested class on 10.5 % of its samples.)
    const map = sym(layers.dense({ units: 28 * 28, name: 'd_class_map' }).apply(cls));
    const plane = sym(layers.reshape({ targetShape: [28, 28, 1], name: 'd_class_plane' }).apply(map));
    pixels = sym(layers.concatenate({ name: 'd_join_pixels' }).apply([image, plane]));
  }
  let x = sym(layers.conv2d({ filters: Math.round(32 * w), kernelSize: 4, strides: 2, padding: 'same', name: 'd_conv1' }).apply(pixels));
  x = sym(lrelu('d_act1').apply(x));
  const rate = o.dropout ?? 0;
  if (rate > 0) x = sym(layers.dropout({ rate, name: 'd_drop1' }).apply(x));
  x = sym(layers.conv2d({ filters: Math.round(64 * w), kernelSize: 4, strides: 2, padding: 'same', useBias: !(o.batchNorm ?? true), name: 'd_conv2' }).apply(x));
  if (o.batchNorm ?? true) x = sym(layers.batchNormalization({ name: 'd_bn2' }).apply(x));
  x = sym(lrelu('d_act2').apply(x));
  if (rate > 0) x = sym(layers.dropout({ rate, name: 'd_drop2' }).apply(x));
  if (o.minibatchStdDev ?? false) x = sym(new MinibatchStdDev({ name: 'd_mbstd' }).apply(x));
  x = sym(layers.flatten({ name: 'd_flat' }).apply(x));
  if (cls) {
    // The class joins the image features before the last layers, so D judges "is this a real c".
    x = sym(layers.concatenate({ name: 'd_join' }).apply([x, cls]));
    x = sym(layers.dense({ units: 128, name: 'd_dense' }).apply(x));
    x = sym(lrelu('d_act3').apply(x));
  }
  const out = sym(layers.dense({ units: 1, name: 'd_out' }).apply(x));
  const codes = o.codeClasses ?? 0;
  if (codes === 0) return new Model({ inputs, outputs: out, name: o.name ?? 'discriminator' });
  // InfoGAN's Q: shares the convolutions with D, its own small dense head.
  let q = sym(layers.dense({ units: 128, name: 'd_q_dense' }).apply(x));
  q = sym(lrelu('d_q_act').apply(q));
  q = sym(layers.dense({ units: codes, name: 'd_q_code' }).apply(q));
  return new Model({ inputs, outputs: [out, q], name: o.name ?? 'discriminator' });
}
