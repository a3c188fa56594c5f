// SqueezeNet 1.1 (Iandola et al. 2016; the 1.1 revision from the authors' repository, as in
// torchvision's squeezenet1_1): fire modules squeeze to s channels with 1×1 convs, then expand
// with e 1×1 and e 3×3 convs side by side (concatenated, 2e channels). All convs have biases and
// ReLU; no dense layer: a 1×1 conv to `classes` maps, global average pooling, softmax.
//
// Parameters at 1000 classes (fire(s, e) on C inputs: C·s + s + s·e + e + 9·s·e + e):
//   conv1 64@3×3 /2                         1,792
//   fire2 (16, 64), fire3 (16, 64)   11,408 + 12,432
//   fire4 (32, 128), fire5 (32, 128) 45,344 + 49,440
//   fire6 (48, 192), fire7 (48, 192) 104,880 + 111,024
//   fire8 (64, 256), fire9 (64, 256) 188,992 + 197,184
//   conv10 classes@1×1                    513,000
//   total                               1,235,496 (= torchvision squeezenet1_1), any input ≥ 17×17
import { type Graph, type ImageNetOptions, type Node, nn, zooModel } from './graph.js';

function fire(g: Graph, x: Node, name: string, squeeze: number, expand: number): Node {
  const s = g.apply(nn.conv2d({ name: `${name}_squeeze`, filters: squeeze, kernelSize: 1, activation: 'relu' }), x);
  const e1 = g.apply(nn.conv2d({ name: `${name}_expand1x1`, filters: expand, kernelSize: 1, activation: 'relu' }), s);
  const e3 = g.apply(nn.conv2d({ name: `${name}_expand3x3`, filters: expand, kernelSize: 3, padding: 'same', activation: 'relu' }), s);
  return g.apply(nn.concatenate({ name: `${name}_concat` }), [e1, e3]);
}

/** SqueezeNet 1.1: 1,235,496 parameters at 1000 classes. */
export const squeezenet = zooModel<ImageNetOptions>('squeezenet', (g, x, { classes, includeTop }) => {
  const pool = (name: string) => nn.maxPooling2d({ name, poolSize: 3, strides: 2 });
  x = g.apply(nn.conv2d({ name: 'conv1', filters: 64, kernelSize: 3, strides: 2, activation: 'relu' }), x);
  x = g.apply(pool('pool1'), x);
  x = fire(g, x, 'fire2', 16, 64);
  x = fire(g, x, 'fire3', 16, 64);
  x = g.apply(pool('pool3'), x);
  x = fire(g, x, 'fire4', 32, 128);
  x = fire(g, x, 'fire5', 32, 128);
  x = g.apply(pool('pool5'), x);
  x = fire(g, x, 'fire6', 48, 192);
  x = fire(g, x, 'fire7', 48, 192);
  x = fire(g, x, 'fire8', 64, 256);
  x = fire(g, x, 'fire9', 64, 256);
  if (!includeTop) return x;
  x = g.apply(nn.dropout({ name: 'drop9', rate: 0.5 }), x);
  x = g.apply(nn.conv2d({ name: 'conv10', filters: classes, kernelSize: 1, activation: 'relu' }), x);
  x = g.apply(nn.globalAveragePooling2d({ name: 'avg_pool' }), x);
  return g.apply(nn.activation({ name: 'predictions', activation: 'softmax' }), x);
});
