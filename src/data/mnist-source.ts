// The MNIST digits the synthetic generators (digit-scenes.ts, digit-strips.ts) draw from: their
// shared options (a split, and where the files come from) and the loading of that split.
import { is } from '../base/index.js';
import { type ImageSet, mnist, type MnistOptions } from './datasets.js';

/** Which MNIST digits a generator (digitScenes, digitStrips) draws from: a split, read as {@link mnist} reads it. */
export interface MnistSource {
  /** Which MNIST split the digits come from (default 'train'). */
  split?: 'train' | 'test';
  /** Where MNIST comes from (as mnist's dir / load). */
  dir?: MnistOptions['dir'];
  load?: MnistOptions['load'];
}

/** The checks of {@link MnistSource}'s options, for a generator's option spec. */
export const MNIST_SOURCE_SPEC = { split: is.oneOf('train', 'test'), dir: is.string, load: is.fn };

/** The images and labels of the split `source` names (no tensor is made for the other one). */
export async function mnistSplit(source: MnistSource): Promise<ImageSet> {
  const train = (source.split ?? 'train') === 'train';
  const data = await mnist({ dir: source.dir, load: source.load, ...(train ? { testLimit: 0 } : { trainLimit: 0 }) });
  return train ? data.train : data.test;
}
