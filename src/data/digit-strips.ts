// Digit strips: rows of 16–19 handwritten MNIST digits laid out like a bank-card number, for
// sequence recognition without segmentation (a CRNN with CTC reads the whole strip).
//
// Each strip is 32×448, one channel, white ink on black in [0, 1] like MNIST. Digits are drawn
// from the given MNIST split, uniformly at random; digit k (0-based) is pasted at
//   x_0 = U{0..4},  x_{k+1} = x_k + U{16..20} (+ U{6..12} after every 4th digit, k = 3, 7, 11, …)
//   y_k = U{0..4}   (32 − 28: the digit always fits vertically)
// and overlapping pixels combine by maximum. The widest strip (19 digits, every draw at its
// maximum) ends at 4 + 18·20 + 4·12 + 28 = 440 ≤ 448. Everything random comes from one seeded
// generator, so (split, seed, n, minDigits, maxDigits) gives the same strips every time.
//
// Optionally (`augment`, off by default; for training strips) each digit is first distorted by
// its own random affine map about its centre before it is pasted: rotation, scale, horizontal
// shear and a sub-pixel shift, and optionally an elastic displacement field (Simard et al. 2003),
// resampled bilinearly within its 28×28 box. The distortions come
// from a second generator, so the layout and the labels of a seed are the same with or without.
import { ValueError } from '../base/index.js';
import { checkOptions, is, type OptionSpec } from '../base/options.js';
import { makeTensor, type Tensor } from '../tensor/index.js';
import { elasticField, resampleAffine } from './augment.js';
import { MNIST_SOURCE_SPEC, type MnistSource, mnistSplit } from './mnist-source.js';

export const STRIP_HEIGHT = 32;
export const STRIP_WIDTH = 448;

/** Options of {@link digitStrips}: how many strips, from which split, the seed and the digits per strip. */
export interface DigitStripsOptions extends MnistSource {
  /** Number of strips. */
  n: number;
  /** Seed of the layout and digit choice (default 0). */
  seed?: number;
  /** Fewest digits per strip (default 16, at least 1). */
  minDigits?: number;
  /** Most digits per strip (default 19, at most 19 so that the strip fits in 448 px). */
  maxDigits?: number;
  /**
   * Distort every digit by a random affine map before pasting it (for training strips): `true`
   * for the defaults of {@link DigitAugmentOptions}, or the ranges. Default false (MNIST digits as they are).
   */
  augment?: boolean | DigitAugmentOptions;
}

/**
 * Ranges of the per-digit distortion of {@link digitStrips}; each digit draws its own values
 * uniformly from them. The map is q = c + R(θ)·H(k)·s·(p − c) + (dx, dy) about the digit's centre c,
 * with H(k) = [[1, k], [0, 1]] (x' = x + k·y: a slant) and R(θ) a rotation.
 */
export interface DigitAugmentOptions {
  /** Largest rotation θ in degrees, either way (default 10). */
  rotation?: number;
  /** Scale factor range [min, max] (default [0.9, 1.1]). */
  scale?: readonly [number, number];
  /** Largest shear factor k, either way (default 0.3, a slant of about 17°). */
  shear?: number;
  /** Largest shift in pixels along each axis, either way (default 1). */
  shift?: number;
  /** Fraction of the digits distorted (default 1); the others are pasted as they are. */
  probability?: number;
  /**
   * Strength α of an elastic distortion added to the affine map of each distorted digit (Simard et
   * al. 2003: a random displacement field smoothed by a Gaussian of `elasticSigma` px, times α; the
   * paper's MNIST setting is α = 34, σ = 4). Default 0: none.
   */
  elastic?: number;
  /** Smoothing σ of the elastic displacement field, in pixels (default 4). */
  elasticSigma?: number;
}

/** One digit's distortion (see {@link DigitAugmentOptions}). */
export interface DigitAffine {
  degrees: number;
  scale: number;
  shear: number;
  dx: number;
  dy: number;
  /** An elastic displacement per pixel (28×28 each), added after the affine map; absent: none. */
  field?: { dx: ArrayLike<number>; dy: ArrayLike<number> };
}

const AUGMENT_SPEC: OptionSpec<DigitAugmentOptions> = {
  rotation: is.range(0, 180),
  scale: (v) => (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && v[0] > 0 && v[0] <= v[1] ? null : '[min, max] with 0 < min <= max'),
  shear: is.range(0, 2),
  shift: is.range(0, 14),
  probability: is.range(0, 1),
  elastic: is.range(0, 100),
  elasticSigma: is.range(0.5, 14),
};

/** Strips of 16–19 handwritten digits `[n, 32, 448, 1]` and their labels, for sequence recognition with CTC. */
export interface DigitStrips {
  /** [n, 32, 448, 1] float32 in [0, 1]. */
  images: Tensor;
  /** The digits of each strip, left to right. */
  labels: number[][];
}

const SPEC: OptionSpec<DigitStripsOptions> = {
  n: is.nonNegInt,
  seed: is.int,
  minDigits: is.posInt,
  maxDigits: is.posInt,
  augment: is.anyOf(is.bool, is.object),
  ...MNIST_SOURCE_SPEC,
};

/** The inverse of the forward linear map R(θ)·H(k)·s, row-major [a, b, d, e] (as resampleAffine takes it). */
export function digitAffineInverse({ degrees, scale, shear }: Pick<DigitAffine, 'degrees' | 'scale' | 'shear'>): [number, number, number, number] {
  const t = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  // F = s·R·H = s·[[cos, cos·k − sin], [sin, sin·k + cos]]; det F = s² (R and H have det 1).
  const [f00, f01, f10, f11] = [scale * cos, scale * (cos * shear - sin), scale * sin, scale * (sin * shear + cos)];
  const det = scale * scale;
  return [f11 / det, -f01 / det, -f10 / det, f00 / det];
}

/** Distort one 28×28 digit `src[from … from + 784)` into `out` (784 values) by `a`. */
export function distortDigit(src: ArrayLike<number>, from: number, a: DigitAffine, out: Float32Array): void {
  resampleAffine({ src, srcBase: from, out, outBase: 0, height: 28, width: 28, channels: 1, displacement: a.field }, digitAffineInverse(a), [a.dx, a.dy]);
}

/** The augmentation ranges of `augment` (undefined: none), checked. */
function augmentRanges(augment: boolean | DigitAugmentOptions | undefined): Required<DigitAugmentOptions> | undefined {
  if (augment === undefined || augment === false) return undefined;
  const o = augment === true ? {} : checkOptions('digitStrips augment', augment, AUGMENT_SPEC);
  return { rotation: o.rotation ?? 10, scale: o.scale ?? [0.9, 1.1], shear: o.shear ?? 0.3, shift: o.shift ?? 1, probability: o.probability ?? 1, elastic: o.elastic ?? 0, elasticSigma: o.elasticSigma ?? 4 };
}

/** Mulberry32: a small, fast, seedable 32-bit generator (uniform in [0, 1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One strip's layout: which source digits go where. */
export interface StripLayout {
  /** Indices into the MNIST split. */
  sources: number[];
  xs: number[];
  ys: number[];
}

/** The layout of each strip (exported for tests of the geometry). */
export function stripLayouts(n: number, pool: number, seed: number, minDigits: number, maxDigits: number): StripLayout[] {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  return Array.from({ length: n }, () => {
    const count = int(minDigits, maxDigits);
    const sources: number[] = [];
    const xs: number[] = [];
    const ys: number[] = [];
    let x = int(0, 4);
    for (let k = 0; k < count; k++) {
      sources.push(int(0, pool - 1));
      xs.push(x);
      ys.push(int(0, 4));
      x += int(16, 20);
      if (k % 4 === 3) x += int(6, 12);
    }
    return { sources, xs, ys };
  });
}

/** Strips of MNIST digits like card numbers; see the file comment for the exact geometry. */
export async function digitStrips(options: DigitStripsOptions): Promise<DigitStrips> {
  const o = checkOptions('digitStrips', options, SPEC);
  if (o.n === undefined) throw new ValueError('digitStrips: n (the number of strips) is required');
  const minDigits = o.minDigits ?? 16;
  const maxDigits = o.maxDigits ?? 19;
  if (minDigits > maxDigits) throw new ValueError(`digitStrips: minDigits (${minDigits}) must be <= maxDigits (${maxDigits})`);
  if (maxDigits > 19) throw new ValueError(`digitStrips: maxDigits must be <= 19 to fit a ${STRIP_WIDTH}-pixel strip, got ${maxDigits}`);
  const set = await mnistSplit(o);
  const pool = set.labels.size;
  const src = set.images.dataSync();
  const digitLabels = set.labels.dataSync();
  const layouts = stripLayouts(o.n, pool, o.seed ?? 0, minDigits, maxDigits);
  const ranges = augmentRanges(o.augment);
  // A second stream for the distortions (golden-ratio offset of the seed), so the layout stream is untouched.
  const rand = mulberry32(((o.seed ?? 0) + 0x9e3779b9) >>> 0);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rand();
  const digit = new Float32Array(784);
  const size = STRIP_HEIGHT * STRIP_WIDTH;
  const out = new Float32Array(o.n * size);
  const labels = layouts.map((l, i) => {
    const base = i * size;
    l.sources.forEach((s, k) => {
      let pixels: ArrayLike<number> = src;
      let from = s * 784;
      // Draws in a fixed order per digit (whether to distort it, then its map), so a seed gives
      // the same strips every time.
      if (ranges && rand() < ranges.probability) {
        const { rotation, scale, shear, shift, elastic, elasticSigma } = ranges;
        const affine = { degrees: between(-rotation, rotation), scale: between(scale[0], scale[1]), shear: between(-shear, shear), dx: between(-shift, shift), dy: between(-shift, shift) };
        distortDigit(src, from, elastic > 0 ? { ...affine, field: elasticField(rand, 28, 28, elastic, elasticSigma) } : affine, digit);
        pixels = digit;
        from = 0;
      }
      for (let r = 0; r < 28; r++) {
        const row = base + (l.ys[k] + r) * STRIP_WIDTH + l.xs[k];
        for (let c = 0; c < 28; c++) {
          const v = Number(pixels[from + r * 28 + c]);
          if (v > out[row + c]) out[row + c] = v;
        }
      }
    });
    return l.sources.map((s) => Number(digitLabels[s]));
  });
  set.images.dispose();
  set.labels.dispose();
  return { images: makeTensor(out, [o.n, STRIP_HEIGHT, STRIP_WIDTH, 1], 'float32'), labels };
}
