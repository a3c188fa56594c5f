// Network in Network (Lin, Chen & Yan 2013): each "mlpconv" is a spatial convolution followed by
// two 1×1 convolutions (a small MLP slid over the image); no dense layers — the last mlpconv has
// `classes` maps and global average pooling turns each into a class score.
//
// The ImageNet model of the authors' Caffe prototxt (NIN-Imagenet), parameters at 1000 classes
// (conv k·k·C_in·C_out + C_out):
//   conv1 96@11×11 /4    34,944   cccp1, cccp2 96@1×1          2 ·     9,312
//   max pool 3 /2
//   conv2 256@5×5       614,656   cccp3, cccp4 256@1×1         2 ·    65,792
//   max pool 3 /2
//   conv3 384@3×3       885,120   cccp5, cccp6 384@1×1         2 ·   147,840
//   max pool 3 /2, dropout 0.5
//   conv4 1024@3×3    3,539,968   cccp7 1024@1×1 1,049,600, cccp8 classes@1×1 1,025,000
//   global average pooling, softmax
//   total 7,595,176, independent of the input size. Pools pad 'same' (Caffe rounds up), so
//   inputs from 11×11 up work.
import { type ImageNetOptions, nn, zooModel } from './graph.js';

/** NIN: 7,595,176 parameters at 1000 classes. */
export const nin = zooModel<ImageNetOptions>('nin', (g, x, { classes, includeTop }) => {
  const conv = (name: string, filters: number, kernelSize: number, strides = 1, activation: 'relu' | 'linear' = 'relu') =>
    nn.conv2d({ name, filters, kernelSize, strides, padding: strides === 1 ? 'same' : 'valid', activation });
  const pool = (name: string) => nn.maxPooling2d({ name, poolSize: 3, strides: 2, padding: 'same' });
  const blocks: [number, number, number][] = [[96, 11, 4], [256, 5, 1], [384, 3, 1]];
  blocks.forEach(([filters, k, s], i) => {
    x = g.apply(conv(`conv${i + 1}`, filters, k, s), x);
    x = g.apply(conv(`cccp${2 * i + 1}`, filters, 1), x);
    x = g.apply(conv(`cccp${2 * i + 2}`, filters, 1), x);
    x = g.apply(pool(`pool${i + 1}`), x);
  });
  if (!includeTop) return x;
  x = g.apply(nn.dropout({ name: 'drop', rate: 0.5 }), x);
  x = g.apply(conv('conv4', 1024, 3), x);
  x = g.apply(conv('cccp7', 1024, 1), x);
  // The class maps: linear here, softmax after pooling (Caffe's cccp8 has a ReLU before the pool).
  x = g.apply(conv('cccp8', classes, 1, 1, 'linear'), x);
  x = g.apply(nn.globalAveragePooling2d({ name: 'avg_pool' }), x);
  return g.apply(nn.activation({ name: 'predictions', activation: 'softmax' }), x);
});
