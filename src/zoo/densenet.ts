// DenseNet-121 (Huang et al. 2016) as Keras applications builds it: every layer of a dense block
// sees the concatenation of all earlier ones and adds `growth` (32) channels through BN-ReLU-1×1
// conv (4·growth) then BN-ReLU-3×3 conv (growth); transitions between blocks halve the channels
// (BN-ReLU-1×1 conv) and the resolution (2×2 average pooling). Convs have no bias.
//   stem: pad 3, conv 64@7×7 /2, BN, ReLU, pad 1, max pool 3 /2
//   blocks of 6, 12, 24, 16 layers: 64 → 256 → 128 → 512 → 256 → 1024 → 512 → 1024 channels
//   BN, ReLU, global average pooling, dense softmax
// Parameters at [224, 224, 3], 1000 classes: 8,062,504 (= Keras DenseNet121; trainable 7,978,856),
// independent of the input size (≥ 32×32) but for the classifier.
import { type Graph, type ImageNetOptions, type Node, nn, zooModel } from './graph.js';

const GROWTH = 32;
const bn = (name: string) => nn.batchNormalization({ name, epsilon: 1.001e-5 });
const relu = (name: string) => nn.activation({ name, activation: 'relu' });

function convBlock(g: Graph, x: Node, name: string): Node {
  let y = g.apply(bn(`${name}_0_bn`), x);
  y = g.apply(relu(`${name}_0_relu`), y);
  y = g.apply(nn.conv2d({ name: `${name}_1_conv`, filters: 4 * GROWTH, kernelSize: 1, useBias: false }), y);
  y = g.apply(bn(`${name}_1_bn`), y);
  y = g.apply(relu(`${name}_1_relu`), y);
  y = g.apply(nn.conv2d({ name: `${name}_2_conv`, filters: GROWTH, kernelSize: 3, padding: 'same', useBias: false }), y);
  return g.apply(nn.concatenate({ name: `${name}_concat` }), [x, y]);
}

function transition(g: Graph, x: Node, name: string): Node {
  const channels = x.shape[x.shape.length - 1] as number;
  x = g.apply(bn(`${name}_bn`), x);
  x = g.apply(relu(`${name}_relu`), x);
  x = g.apply(nn.conv2d({ name: `${name}_conv`, filters: Math.trunc(channels * 0.5), kernelSize: 1, useBias: false }), x);
  return g.apply(nn.averagePooling2d({ name: `${name}_pool`, poolSize: 2, strides: 2 }), x);
}

/** DenseNet-121: 8,062,504 parameters at [224, 224, 3] and 1000 classes. */
export const densenet121 = zooModel<ImageNetOptions>('densenet121', (g, x, { classes, includeTop }) => {
  x = g.apply(nn.zeroPadding2d({ name: 'zero_padding2d', padding: 3 }), x);
  x = g.apply(nn.conv2d({ name: 'conv1_conv', filters: 64, kernelSize: 7, strides: 2, useBias: false }), x);
  x = g.apply(bn('conv1_bn'), x);
  x = g.apply(relu('conv1_relu'), x);
  x = g.apply(nn.zeroPadding2d({ name: 'zero_padding2d_1', padding: 1 }), x);
  x = g.apply(nn.maxPooling2d({ name: 'pool1', poolSize: 3, strides: 2 }), x);
  const blocks = [6, 12, 24, 16];
  blocks.forEach((layers, b) => {
    for (let i = 0; i < layers; i++) x = convBlock(g, x, `conv${b + 2}_block${i + 1}`);
    if (b < blocks.length - 1) x = transition(g, x, `pool${b + 2}`);
  });
  x = g.apply(bn('bn'), x);
  x = g.apply(relu('relu'), x);
  if (!includeTop) return x;
  x = g.apply(nn.globalAveragePooling2d({ name: 'avg_pool' }), x);
  return g.apply(nn.dense({ name: 'predictions', units: classes, activation: 'softmax' }), x);
});
