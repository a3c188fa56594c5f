// Real MNIST for the experiments: the first `train` training and `test` test digits, as images
// [N, 28, 28, 1] for augmentation and as flat vectors [N, 784] for multi-layer perceptrons, with
// one-hot targets [N, 10] for categorical losses.
import * as hb from '../../src/index.js';

export interface MnistSplit {
  /** [N, 28, 28, 1], values in [0, 1]. */
  images: hb.Tensor;
  /** [N, 784]. */
  x: hb.Tensor;
  /** int32 [N]. */
  labels: hb.Tensor;
  /** float32 [N, 10]. */
  y: hb.Tensor;
  size: number;
}

export interface Mnist { train: MnistSplit; test: MnistSplit }

function split(images: hb.Tensor, labels: hb.Tensor): MnistSplit {
  const n = images.shape[0];
  return { images, x: hb.reshape(images, [n, 784]), labels, y: hb.cast(hb.oneHot(labels, 10), 'float32'), size: n };
}

/** The first `train` training digits and the first `test` test digits. */
export async function loadMnist(train: number, test: number): Promise<Mnist> {
  const data = await hb.datasets.mnist({ trainLimit: train, testLimit: test });
  return { train: split(data.train.images, data.train.labels), test: split(data.test.images, data.test.labels) };
}

/** Flatten images [N, 28, 28, 1] to [N, 784]. */
export const flat = (images: hb.Tensor): hb.Tensor => hb.reshape(images, [images.shape[0], 784]);

/** `count` samples of `split` from `start` on (a validation set carved from the training digits). */
export function sliceSplit(split: MnistSplit, start: number, count: number): MnistSplit {
  if (start + count > split.size) throw new Error(`sliceSplit: samples ${start}…${start + count - 1} requested from a split of ${split.size}`);
  const images = hb.slice(split.images, [start], [count]);
  return { images, x: flat(images), labels: hb.slice(split.labels, [start], [count]), y: hb.slice(split.y, [start], [count]), size: count };
}
