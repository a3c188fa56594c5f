// CapsNet (Sabour, Frosst & Hinton 2017) for MNIST, without the reconstruction decoder: the
// class scores are the DigitCaps lengths, trained with hb.losses.marginLoss.
//
// Shapes and parameters at the defaults (conv: f·f·C_in·C_out + C_out; capsules: I·J·D·inDim, no bias):
//   input                                   [28, 28, 1]
//   conv1 256@9×9 relu                      [20, 20, 256]    9·9·1·256   + 256 =    20,992
//   primaryCaps 32×8-D 9×9 stride 2         [1152, 8]        9·9·256·256 + 256 = 5,308,672   (6·6·32 = 1,152 capsules)
//   digitCaps 10×16-D, 3 routings           [10, 16]         1152·10·16·8      = 1,474,560
//   lengths ‖v_j‖                           [10]                                         0
//   total                                                                         6,804,224
// The routing logits b_ij are reset for every input and are not parameters.
//
// With { decoder: true } the model is the paper's training network: inputs [image, one-hot label],
// outputs [lengths, reconstruction]. The label masks all capsules but the true one
// (CapsuleMask), and three dense layers rebuild the image from the 16·10 masked values:
//   dense 512 relu                          160·512  + 512  =    82,432
//   dense 1024 relu                         512·1024 + 1024 =   525,312
//   dense 784 sigmoid → reshape [28, 28, 1]  1024·784 + 784  =   803,600
//   total with the decoder                  6,804,224 + 1,411,344 = 8,215,568 (the paper's 8.2 M)
// The paper's loss is margin + 0.0005 · Σ (squared pixel errors); with 'meanSquaredError' (a mean
// over the 784 pixels) that is lossWeights [1, 0.0005 · 784 = 0.392]:
//   m.compile({ optimizer: 'adam', loss: [hb.losses.marginLoss, 'meanSquaredError'], lossWeights: [1, 0.392] })
//   m.fit([images, oneHotLabels], [oneHotLabels, images], …)
// At prediction the label input still selects the capsule to rebuild (pass the predicted class to
// see what the network saw); the lengths do not depend on it.
import { input, type Model, model } from '../model/index.js';
import { layers as nn, type Shape } from '../nn/index.js';
import { checkZooArgs, type ZooOptions } from './common.js';

/** Options of {@link capsnet}: routing iterations and the sizes of its convolution and capsule layers. */
export interface CapsNetOptions extends ZooOptions {
  /** Routing iterations in DigitCaps (default 3). */
  routings?: number;
  /** conv1 filters and kernel size (default 256, 9). */
  convFilters?: number;
  convKernelSize?: number;
  /** Primary capsule channels, their length, kernel size and stride (default 32, 8, 9, 2). */
  primaryChannels?: number;
  primaryDim?: number;
  primaryKernelSize?: number;
  primaryStrides?: number;
  /** Length of each class capsule (default 16). */
  digitDim?: number;
  /** Add the reconstruction decoder and the label input (default false; see the header). */
  decoder?: boolean;
}

/** CapsNet for `inputShape` images (default [28, 28, 1]) and `classes` capsules (default 10); outputs the capsule lengths [N, classes] (and, with the decoder, the reconstruction). */
export function capsnet(options: CapsNetOptions = {}): Model {
  const {
    inputShape = [28, 28, 1], classes = 10, routings = 3, convFilters = 256, convKernelSize = 9,
    primaryChannels = 32, primaryDim = 8, primaryKernelSize = 9, primaryStrides = 2, digitDim = 16, decoder = false,
  } = options;
  checkZooArgs('capsnet', inputShape, classes, 3);
  const x = input({ shape: [...inputShape] as Shape, name: 'image' });
  const conv1 = nn.conv2d({ name: 'conv1', filters: convFilters, kernelSize: convKernelSize, activation: 'relu' }).apply(x);
  const primary = nn.primaryCaps({ name: 'primarycaps', numCapsules: primaryChannels, capsuleDim: primaryDim, kernelSize: primaryKernelSize, strides: primaryStrides }).apply(conv1);
  const digits = nn.capsule({ name: 'digitcaps', numCapsules: classes, capsuleDim: digitDim, routings }).apply(primary);
  const lengths = nn.capsuleLength({ name: 'lengths' }).apply(digits);
  if (!decoder) return model({ inputs: x, outputs: lengths, name: 'capsnet' });
  const label = input({ shape: [classes], name: 'label' });
  const masked = nn.capsuleMask({ name: 'mask' }).apply([digits, label]);
  const h1 = nn.dense({ name: 'decoder1', units: 512, activation: 'relu' }).apply(masked);
  const h2 = nn.dense({ name: 'decoder2', units: 1024, activation: 'relu' }).apply(h1);
  const pixels = nn.dense({ name: 'decoder3', units: inputShape.reduce((a, b) => a * b, 1), activation: 'sigmoid' }).apply(h2);
  const reconstruction = nn.reshape({ name: 'reconstruction', targetShape: [...inputShape] }).apply(pixels);
  return model({ inputs: [x, label], outputs: [lengths, reconstruction], name: 'capsnet' });
}
