// AlexNet in torchvision's single-tower form (Krizhevsky 2014, "One weird trick"): no grouped
// convolutions and no local response normalisation, which the 2012 paper used to fit two GPUs
// and which later work found unnecessary. Dropout 0.5 before each of the two 4096-unit layers.
//
// Shapes and parameters at [224, 224, 3], 1000 classes (conv k·k·C_in·C_out + C_out):
//   pad 2, conv1 64@11×11 /4   [55, 55, 64]      23,296
//   max pool 3 /2              [27, 27, 64]
//   conv2 192@5×5 'same'       [27, 27, 192]    307,392
//   max pool 3 /2              [13, 13, 192]
//   conv3 384@3×3 'same'       [13, 13, 384]    663,936
//   conv4 256@3×3 'same'       [13, 13, 256]    884,992
//   conv5 256@3×3 'same'       [13, 13, 256]    590,080
//   max pool 3 /2              [6, 6, 256] → 9216
//   fc6 4096                               37,752,832
//   fc7 4096                               16,781,312
//   fc8 1000                                4,097,000
//   total                                  61,100,840 (= torchvision alexnet)
// torchvision pools adaptively to 6×6 before fc6; here fc6 takes whatever the pools leave, so
// inputs from 63×63 up work, and only at 224×224 does the count equal torchvision's.
import { type ImageNetOptions, nn, zooModel } from './graph.js';

/** AlexNet: 61,100,840 parameters at [224, 224, 3] and 1000 classes; inputs at least 63×63. */
export const alexnet = zooModel<ImageNetOptions>('alexnet', (g, x, { classes, includeTop }) => {
  const conv = (name: string, filters: number, kernelSize: number, strides = 1) =>
    nn.conv2d({ name, filters, kernelSize, strides, padding: strides === 1 ? 'same' : 'valid', activation: 'relu' });
  const pool = (name: string) => nn.maxPooling2d({ name, poolSize: 3, strides: 2 });
  x = g.apply(nn.zeroPadding2d({ name: 'pad1', padding: 2 }), x);
  x = g.apply(conv('conv1', 64, 11, 4), x);
  x = g.apply(pool('pool1'), x);
  x = g.apply(conv('conv2', 192, 5), x);
  x = g.apply(pool('pool2'), x);
  x = g.apply(conv('conv3', 384, 3), x);
  x = g.apply(conv('conv4', 256, 3), x);
  x = g.apply(conv('conv5', 256, 3), x);
  x = g.apply(pool('pool5'), x);
  if (!includeTop) return x;
  x = g.apply(nn.flatten({ name: 'flatten' }), x);
  x = g.apply(nn.dropout({ name: 'drop6', rate: 0.5 }), x);
  x = g.apply(nn.dense({ name: 'fc6', units: 4096, activation: 'relu' }), x);
  x = g.apply(nn.dropout({ name: 'drop7', rate: 0.5 }), x);
  x = g.apply(nn.dense({ name: 'fc7', units: 4096, activation: 'relu' }), x);
  return g.apply(nn.dense({ name: 'fc8', units: classes, activation: 'softmax' }), x);
});
