// ShuffleNet V2 1.0× (Ma et al. 2018) as torchvision builds it (shufflenet_v2_x1_0). A unit
// splits its channels in two halves, passes one through unchanged and the other through
// 1×1 → depthwise 3×3 → 1×1 (BN after each, ReLU after the 1×1s), concatenates them and shuffles
// the channels so the halves mix in the next unit. A stride-2 unit skips the split and runs
// both halves on the whole input (the left one depthwise 3×3 /2 → 1×1), doubling the channels.
// Convs have no bias. Stages of 4, 8, 4 units at 116, 232, 464 channels; stem conv 24@3×3 /2 and
// max pool 3 /2; conv5 1024@1×1; global average pooling; dense.
//
// Channel split and shuffle are spelled with existing layers, without weights:
//   split   [H, W, C] → permute → [C, W, H] → crop the first (or last) C/2 rows → permute back
//   shuffle [H, W, C] → reshape [H, W, 2, C/2] → permute → [H, W, C/2, 2] → reshape [H, W, C]
// (channel j of half g goes to 2j + g, as torchvision's view/transpose/view does).
//
// Parameters at 1000 classes: trainable 2,278,604 (= torchvision shufflenet_v2_x1_0); the total
// adds BN's moving mean and variance, which PyTorch keeps as buffers (2 per BN channel), for any
// input from 32×32 up.
import { type Graph, type ImageNetOptions, type Node, nn, zooModel } from './graph.js';

const channelsOf = (x: Node): number => x.shape[x.shape.length - 1] as number;

function convBn(g: Graph, x: Node, name: string, filters: number, relu: boolean): Node {
  x = g.apply(nn.conv2d({ name, filters, kernelSize: 1, useBias: false }), x);
  x = g.apply(nn.batchNormalization({ name: `${name}_bn`, epsilon: 1e-5 }), x);
  return relu ? g.apply(nn.activation({ name: `${name}_relu`, activation: 'relu' }), x) : x;
}

function depthwiseBn(g: Graph, x: Node, name: string, strides: number): Node {
  x = g.apply(nn.depthwiseConv2d({ name, kernelSize: 3, strides, padding: 'same', useBias: false }), x);
  return g.apply(nn.batchNormalization({ name: `${name}_bn`, epsilon: 1e-5 }), x);
}

/** The two channel halves of x: [H, W, C] → [H, W, C/2] twice. */
export function split(g: Graph, x: Node, name: string): [Node, Node] {
  const half = channelsOf(x) / 2;
  const t = g.apply(nn.permute({ name: `${name}_split_t`, dims: [3, 2, 1] }), x);
  const first = g.apply(nn.cropping2d({ name: `${name}_split_a`, cropping: [[0, half], [0, 0]] }), t);
  const second = g.apply(nn.cropping2d({ name: `${name}_split_b`, cropping: [[half, 0], [0, 0]] }), t);
  return [g.apply(nn.permute({ name: `${name}_split_a_t`, dims: [3, 2, 1] }), first), g.apply(nn.permute({ name: `${name}_split_b_t`, dims: [3, 2, 1] }), second)];
}

export function shuffle(g: Graph, x: Node, name: string): Node {
  const [h, w, c] = x.shape.slice(1) as number[];
  x = g.apply(nn.reshape({ name: `${name}_groups`, targetShape: [h, w, 2, c / 2] }), x);
  x = g.apply(nn.permute({ name: `${name}_swap`, dims: [1, 2, 4, 3] }), x);
  return g.apply(nn.reshape({ name: `${name}_shuffle`, targetShape: [h, w, c] }), x);
}

function unit(g: Graph, x: Node, name: string, out: number, strides: number): Node {
  const branch = out / 2;
  let left: Node;
  let right: Node;
  if (strides === 1) {
    [left, right] = split(g, x, name);
  } else {
    left = depthwiseBn(g, x, `${name}_b1_dw`, strides);
    left = convBn(g, left, `${name}_b1_pw`, branch, true);
    right = x;
  }
  right = convBn(g, right, `${name}_b2_pw1`, branch, true);
  right = depthwiseBn(g, right, `${name}_b2_dw`, strides);
  right = convBn(g, right, `${name}_b2_pw2`, branch, true);
  return shuffle(g, g.apply(nn.concatenate({ name: `${name}_concat` }), [left, right]), name);
}

/** ShuffleNet V2 1.0×: 2,278,604 trainable parameters (torchvision) at 1000 classes. */
export const shufflenetV2 = zooModel<ImageNetOptions>('shufflenetV2', (g, x, { classes, includeTop }) => {
  x = g.apply(nn.conv2d({ name: 'conv1', filters: 24, kernelSize: 3, strides: 2, padding: 'same', useBias: false }), x);
  x = g.apply(nn.batchNormalization({ name: 'conv1_bn', epsilon: 1e-5 }), x);
  x = g.apply(nn.activation({ name: 'conv1_relu', activation: 'relu' }), x);
  x = g.apply(nn.maxPooling2d({ name: 'maxpool', poolSize: 3, strides: 2, padding: 'same' }), x);
  const stages: [number, number][] = [[4, 116], [8, 232], [4, 464]];
  stages.forEach(([repeats, out], s) => {
    for (let i = 0; i < repeats; i++) x = unit(g, x, `stage${s + 2}_${i + 1}`, out, i === 0 ? 2 : 1);
  });
  x = convBn(g, x, 'conv5', 1024, true);
  if (!includeTop) return x;
  x = g.apply(nn.globalAveragePooling2d({ name: 'avg_pool' }), x);
  return g.apply(nn.dense({ name: 'predictions', units: classes, activation: 'softmax' }), x);
});
