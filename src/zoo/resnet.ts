// ResNet (He et al. 2015): a = g(z + a_skip), residual blocks in four stages at /4, /8, /16, /32.
//
// resnet50/101/152 are Keras applications' ResNet v1: bottleneck blocks 1×1 (f) → 3×3 (f) → 1×1
// (4f), each conv with a bias and followed by batch normalisation, the stride on the first 1×1,
// and a 1×1 projection shortcut (4f, with bias and BN) on each stage's first block. Stem: pad 3,
// conv 64@7×7 /2, BN, ReLU, pad 1, max pool 3 /2. Head: global average pooling, dense softmax.
// Parameters at [224, 224, 3], 1000 classes, as Keras counts them (BN's moving mean and variance
// included, not trainable):
//   resnet50  [3, 4, 6, 3]    25,636,712 (trainable 25,583,592)
//   resnet101 [3, 4, 23, 3]   44,707,176 (trainable 44,601,832)
//   resnet152 [3, 8, 36, 3]   60,419,944 (trainable 60,268,520)
//
// resnet18/34 have no Keras application; they follow torchvision: basic blocks 3×3 (f) → 3×3 (f),
// convolutions without bias (BN follows each), stride on the first 3×3, a 1×1 projection + BN
// shortcut where the stage's width or stride changes. Trainable parameters equal torchvision's;
// the total adds BN's moving mean and variance (2 per BN channel), which PyTorch keeps as buffers:
//   resnet18  [2, 2, 2, 2]   trainable 11,689,512 (= torchvision) + 2·4,800 = 11,699,112
//   resnet34  [3, 4, 6, 3]   trainable 21,797,672 (= torchvision) + 2·8,512 = 21,814,696
// No count depends on the input size (any from 32×32 up); only the classifier depends on `classes`.
import { type Graph, type ImageNetOptions, type Node, nn, zooModel } from './graph.js';

/** Conv (+ bias or not), BN, optional ReLU: the unit every ResNet block is made of. */
function convBn(g: Graph, x: Node, name: string, filters: number, kernelSize: number, strides: number, useBias: boolean, relu: boolean): Node {
  x = g.apply(nn.conv2d({ name: `${name}_conv`, filters, kernelSize, strides, padding: 'same', useBias }), x);
  // Keras ResNet's BN epsilon.
  x = g.apply(nn.batchNormalization({ name: `${name}_bn`, epsilon: 1.001e-5 }), x);
  return relu ? g.apply(nn.activation({ name: `${name}_relu`, activation: 'relu' }), x) : x;
}

/** Bottleneck block (Keras block1): names conv{stage}_block{b}_{0..3}_conv/bn. */
function bottleneck(g: Graph, x: Node, name: string, filters: number, strides: number, project: boolean): Node {
  const shortcut = project ? convBn(g, x, `${name}_0`, 4 * filters, 1, strides, true, false) : x;
  let y = convBn(g, x, `${name}_1`, filters, 1, strides, true, true);
  y = convBn(g, y, `${name}_2`, filters, 3, 1, true, true);
  y = convBn(g, y, `${name}_3`, 4 * filters, 1, 1, true, false);
  y = g.apply(nn.add({ name: `${name}_add` }), [shortcut, y]);
  return g.apply(nn.activation({ name: `${name}_out`, activation: 'relu' }), y);
}

/** Basic block (torchvision BasicBlock), same naming. */
function basic(g: Graph, x: Node, name: string, filters: number, strides: number, project: boolean): Node {
  const shortcut = project ? convBn(g, x, `${name}_0`, filters, 1, strides, false, false) : x;
  let y = convBn(g, x, `${name}_1`, filters, 3, strides, false, true);
  y = convBn(g, y, `${name}_2`, filters, 3, 1, false, false);
  y = g.apply(nn.add({ name: `${name}_add` }), [shortcut, y]);
  return g.apply(nn.activation({ name: `${name}_out`, activation: 'relu' }), y);
}

function resnet(name: string, blocks: readonly number[], kind: 'basic' | 'bottleneck') {
  const block = kind === 'basic' ? basic : bottleneck;
  const useBias = kind === 'bottleneck';
  return zooModel<ImageNetOptions>(name, (g, x, { classes, includeTop }) => {
    x = g.apply(nn.zeroPadding2d({ name: 'conv1_pad', padding: 3 }), x);
    x = g.apply(nn.conv2d({ name: 'conv1_conv', filters: 64, kernelSize: 7, strides: 2, useBias }), x);
    x = g.apply(nn.batchNormalization({ name: 'conv1_bn', epsilon: 1.001e-5 }), x);
    x = g.apply(nn.activation({ name: 'conv1_relu', activation: 'relu' }), x);
    x = g.apply(nn.zeroPadding2d({ name: 'pool1_pad', padding: 1 }), x);
    x = g.apply(nn.maxPooling2d({ name: 'pool1_pool', poolSize: 3, strides: 2 }), x);
    let channels = 64;
    blocks.forEach((count, s) => {
      const filters = 64 * 2 ** s;
      const out = kind === 'basic' ? filters : 4 * filters;
      for (let b = 0; b < count; b++) {
        // The first stage keeps the resolution (the max pool already halved it).
        const strides = b === 0 && s > 0 ? 2 : 1;
        x = block(g, x, `conv${s + 2}_block${b + 1}`, filters, strides, b === 0 && (strides !== 1 || channels !== out));
        channels = out;
      }
    });
    if (!includeTop) return x;
    x = g.apply(nn.globalAveragePooling2d({ name: 'avg_pool' }), x);
    return g.apply(nn.dense({ name: 'predictions', units: classes, activation: 'softmax' }), x);
  });
}

/** ResNet-18 (basic blocks): 11,689,512 trainable parameters (torchvision), 11,699,112 in all. */
export const resnet18 = resnet('resnet18', [2, 2, 2, 2], 'basic');
/** ResNet-34 (basic blocks): 21,797,672 trainable parameters (torchvision), 21,814,696 in all. */
export const resnet34 = resnet('resnet34', [3, 4, 6, 3], 'basic');
/** ResNet-50 (bottlenecks, Keras v1): 25,636,712 parameters. */
export const resnet50 = resnet('resnet50', [3, 4, 6, 3], 'bottleneck');
/** ResNet-101 (Keras v1): 44,707,176 parameters. */
export const resnet101 = resnet('resnet101', [3, 4, 23, 3], 'bottleneck');
/** ResNet-152 (Keras v1): 60,419,944 parameters. */
export const resnet152 = resnet('resnet152', [3, 8, 36, 3], 'bottleneck');
