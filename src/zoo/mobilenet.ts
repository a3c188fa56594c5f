// MobileNets, as Keras applications builds them: depthwise 3×3 + pointwise 1×1 convolutions
// (cheap: k²·C + C·C' weights instead of k²·C·C'), no conv biases, BN and ReLU6 after each.
// `alpha` scales every width (Keras rounds MobileNetV2's widths to multiples of 8).
//
// MobileNetV1 (Howard et al. 2017), alpha 1, [224, 224, 3], 1000 classes: conv 32@3×3 /2, then 13
// depthwise-separable blocks to 1024 channels, global average pooling, dropout, dense (Keras uses a
// 1×1 conv on the pooled vector: the same 1,025,000 weights). Total 4,253,864 (trainable 4,231,976).
//
// MobileNetV2 (Sandler et al. 2018), alpha 1: conv 32@3×3 /2, 17 inverted residual blocks
// (expand 1×1 by t, depthwise 3×3, project 1×1 linear; a skip when shape allows), conv 1280@1×1,
// global average pooling, dense. Total 3,538,984 (trainable 3,504,872).
// Stride-2 depthwise convs pad explicitly as Keras does ((0,1) for even sizes), so shapes match.
import { ValueError } from '../base/index.js';
import { type Graph, type ImageNetOptions, type Node, nn, zooModel } from './graph.js';

/** Options of {@link mobilenetV1} and {@link mobilenetV2}: the width multiplier `alpha` and dropout. */
export interface MobileNetOptions extends ImageNetOptions {
  /** Width multiplier (default 1): every layer's channels scale by it. */
  alpha?: number;
  /** Dropout rate before the classifier (MobileNetV1 only; default 1e-3 as in Keras). */
  dropout?: number;
}

const relu6 = (name: string) => nn.reLU({ name, maxValue: 6 });
const bn = (name: string) => nn.batchNormalization({ name, epsilon: 1e-3, momentum: 0.999 });

function checkAlpha(name: string) {
  return (o: MobileNetOptions) => {
    if (o.alpha !== undefined && !(typeof o.alpha === 'number' && o.alpha > 0)) throw new ValueError(`zoo.${name}: alpha must be a positive number, got ${o.alpha}`);
  };
}

/** Keras's pad before a stride-2 3×3 conv: one row/column more at the far side of an even size. */
function correctPad(node: Node): [[number, number], [number, number]] {
  const [h, w] = [node.shape[1], node.shape[2]];
  const adjust = (n: number | null) => (n !== null && n % 2 === 1 ? 1 : 0);
  return [[adjust(h), 1], [adjust(w), 1]];
}

function v1Block(g: Graph, x: Node, id: number, filters: number, strides: number): Node {
  if (strides === 2) x = g.apply(nn.zeroPadding2d({ name: `conv_pad_${id}`, padding: [[0, 1], [0, 1]] }), x);
  x = g.apply(nn.depthwiseConv2d({ name: `conv_dw_${id}`, kernelSize: 3, strides, padding: strides === 1 ? 'same' : 'valid', useBias: false }), x);
  x = g.apply(bn(`conv_dw_${id}_bn`), x);
  x = g.apply(relu6(`conv_dw_${id}_relu`), x);
  x = g.apply(nn.conv2d({ name: `conv_pw_${id}`, filters, kernelSize: 1, useBias: false }), x);
  x = g.apply(bn(`conv_pw_${id}_bn`), x);
  return g.apply(relu6(`conv_pw_${id}_relu`), x);
}

/** MobileNetV1: 4,253,864 parameters at alpha 1, [224, 224, 3] and 1000 classes; inputs ≥ 32×32. */
export const mobilenetV1 = zooModel<MobileNetOptions>('mobilenetV1', (g, x, o) => {
  const alpha = o.alpha ?? 1;
  const width = (c: number) => Math.trunc(c * alpha);
  x = g.apply(nn.zeroPadding2d({ name: 'conv1_pad', padding: [[0, 1], [0, 1]] }), x);
  x = g.apply(nn.conv2d({ name: 'conv1', filters: width(32), kernelSize: 3, strides: 2, useBias: false }), x);
  x = g.apply(bn('conv1_bn'), x);
  x = g.apply(relu6('conv1_relu'), x);
  const blocks: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  blocks.forEach(([filters, strides], i) => {
    x = v1Block(g, x, i + 1, width(filters), strides);
  });
  if (!o.includeTop) return x;
  x = g.apply(nn.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  x = g.apply(nn.dropout({ name: 'dropout', rate: o.dropout ?? 1e-3 }), x);
  return g.apply(nn.dense({ name: 'predictions', units: o.classes, activation: 'softmax' }), x);
}, checkAlpha('mobilenetV1'));

/** Round to the nearest multiple of `divisor`, never below it nor 10 % under `v` (Keras's _make_divisible). */
function makeDivisible(v: number, divisor = 8): number {
  let n = Math.max(divisor, Math.trunc(v + divisor / 2) - (Math.trunc(v + divisor / 2) % divisor));
  if (n < 0.9 * v) n += divisor;
  return n;
}

function invertedResidual(g: Graph, x: Node, id: number, expansion: number, strides: number, filters: number): Node {
  const inChannels = x.shape[x.shape.length - 1] as number;
  const prefix = id === 0 ? 'expanded_conv_' : `block_${id}_`;
  let y = x;
  if (id > 0) {
    y = g.apply(nn.conv2d({ name: `${prefix}expand`, filters: expansion * inChannels, kernelSize: 1, useBias: false }), y);
    y = g.apply(bn(`${prefix}expand_BN`), y);
    y = g.apply(relu6(`${prefix}expand_relu`), y);
  }
  if (strides === 2) y = g.apply(nn.zeroPadding2d({ name: `${prefix}pad`, padding: correctPad(y) }), y);
  y = g.apply(nn.depthwiseConv2d({ name: `${prefix}depthwise`, kernelSize: 3, strides, padding: strides === 1 ? 'same' : 'valid', useBias: false }), y);
  y = g.apply(bn(`${prefix}depthwise_BN`), y);
  y = g.apply(relu6(`${prefix}depthwise_relu`), y);
  // The projection is linear: ReLU on a narrow layer would destroy information (the paper's point).
  y = g.apply(nn.conv2d({ name: `${prefix}project`, filters, kernelSize: 1, useBias: false }), y);
  y = g.apply(bn(`${prefix}project_BN`), y);
  return inChannels === filters && strides === 1 ? g.apply(nn.add({ name: `${prefix}add` }), [x, y]) : y;
}

/** MobileNetV2: 3,538,984 parameters at alpha 1, [224, 224, 3] and 1000 classes; inputs ≥ 32×32. */
export const mobilenetV2 = zooModel<MobileNetOptions>('mobilenetV2', (g, x, o) => {
  const alpha = o.alpha ?? 1;
  const first = makeDivisible(32 * alpha);
  x = g.apply(nn.conv2d({ name: 'Conv1', filters: first, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), x);
  x = g.apply(bn('bn_Conv1'), x);
  x = g.apply(relu6('Conv1_relu'), x);
  // [expansion t, output channels c, repeats n, first stride s], the paper's Table 2.
  const table: [number, number, number, number][] = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  let id = 0;
  for (const [t, c, n, s] of table) {
    for (let i = 0; i < n; i++) x = invertedResidual(g, x, id++, t, i === 0 ? s : 1, makeDivisible(c * alpha));
  }
  const last = alpha > 1 ? makeDivisible(1280 * alpha) : 1280;
  x = g.apply(nn.conv2d({ name: 'Conv_1', filters: last, kernelSize: 1, useBias: false }), x);
  x = g.apply(bn('Conv_1_bn'), x);
  x = g.apply(relu6('out_relu'), x);
  if (!o.includeTop) return x;
  x = g.apply(nn.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  return g.apply(nn.dense({ name: 'predictions', units: o.classes, activation: 'softmax' }), x);
}, checkAlpha('mobilenetV2'));
