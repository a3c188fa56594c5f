// GoogLeNet (Szegedy et al. 2014) as torchvision builds it (without the two auxiliary
// classifiers, which only help training): Inception modules run 1×1, 1×1→3×3, 1×1→3×3 and
// pool→1×1 branches side by side and concatenate them; the 1×1 reductions keep it cheap. Every
// conv is torchvision's BasicConv2d: no bias, BN (ε 1e-3), ReLU. Like torchvision, the "5×5"
// branch uses a 3×3 kernel (a slip in the original port that its pretrained weights kept).
//
// Module widths (1×1, 3×3 reduce, 3×3, "5×5" reduce, "5×5", pool proj):
//   3a (64, 96, 128, 16, 32, 32)     3b (128, 128, 192, 32, 96, 64)    max pool /2
//   4a (192, 96, 208, 16, 48, 64)    4b (160, 112, 224, 24, 64, 64)    4c (128, 128, 256, 24, 64, 64)
//   4d (112, 144, 288, 32, 64, 64)   4e (256, 160, 320, 32, 128, 128)  max pool /2
//   5a (256, 160, 320, 32, 128, 128) 5b (384, 192, 384, 48, 128, 128)  average pool, dropout 0.2, dense
// Parameters at 1000 classes: trainable 6,624,904 (= torchvision googlenet, aux_logits off); the
// total adds BN's moving mean and variance, 2·7,280 = 14,560, which PyTorch keeps as buffers:
// 6,639,464, for any input from 32×32 up (pools pad 'same', as torchvision's ceil mode does).
import { type Graph, type ImageNetOptions, type Node, nn, zooModel } from './graph.js';

function basicConv(g: Graph, x: Node, name: string, filters: number, kernelSize: number, strides = 1): Node {
  x = g.apply(nn.conv2d({ name, filters, kernelSize, strides, padding: 'same', useBias: false }), x);
  x = g.apply(nn.batchNormalization({ name: `${name}_bn`, epsilon: 1e-3 }), x);
  return g.apply(nn.activation({ name: `${name}_relu`, activation: 'relu' }), x);
}

type Widths = [number, number, number, number, number, number];

function inception(g: Graph, x: Node, name: string, [c1, r3, c3, r5, c5, pool]: Widths): Node {
  const b1 = basicConv(g, x, `${name}_1x1`, c1, 1);
  const b2 = basicConv(g, basicConv(g, x, `${name}_3x3_reduce`, r3, 1), `${name}_3x3`, c3, 3);
  const b3 = basicConv(g, basicConv(g, x, `${name}_5x5_reduce`, r5, 1), `${name}_5x5`, c5, 3);
  const pooled = g.apply(nn.maxPooling2d({ name: `${name}_pool`, poolSize: 3, strides: 1, padding: 'same' }), x);
  const b4 = basicConv(g, pooled, `${name}_pool_proj`, pool, 1);
  return g.apply(nn.concatenate({ name: `${name}_concat` }), [b1, b2, b3, b4]);
}

/** GoogLeNet: 6,624,904 trainable parameters (torchvision), 6,639,464 in all, at 1000 classes. */
export const googlenet = zooModel<ImageNetOptions>('googlenet', (g, x, { classes, includeTop }) => {
  const pool = (name: string, poolSize = 3) => nn.maxPooling2d({ name, poolSize, strides: 2, padding: 'same' });
  x = basicConv(g, x, 'conv1', 64, 7, 2);
  x = g.apply(pool('pool1'), x);
  x = basicConv(g, x, 'conv2', 64, 1);
  x = basicConv(g, x, 'conv3', 192, 3);
  x = g.apply(pool('pool2'), x);
  x = inception(g, x, 'inception3a', [64, 96, 128, 16, 32, 32]);
  x = inception(g, x, 'inception3b', [128, 128, 192, 32, 96, 64]);
  x = g.apply(pool('pool3'), x);
  x = inception(g, x, 'inception4a', [192, 96, 208, 16, 48, 64]);
  x = inception(g, x, 'inception4b', [160, 112, 224, 24, 64, 64]);
  x = inception(g, x, 'inception4c', [128, 128, 256, 24, 64, 64]);
  x = inception(g, x, 'inception4d', [112, 144, 288, 32, 64, 64]);
  x = inception(g, x, 'inception4e', [256, 160, 320, 32, 128, 128]);
  x = g.apply(pool('pool4', 2), x);
  x = inception(g, x, 'inception5a', [256, 160, 320, 32, 128, 128]);
  x = inception(g, x, 'inception5b', [384, 192, 384, 48, 128, 128]);
  if (!includeTop) return x;
  x = g.apply(nn.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = g.apply(nn.dropout({ name: 'dropout', rate: 0.2 }), x);
  return g.apply(nn.dense({ name: 'predictions', units: classes, activation: 'softmax' }), x);
});
