// Image augmentation on batches [N, H, W, C]: rotation, shift and zoom about the image centre,
// one affine map per image, resampled once with bilinear interpolation (samples that fall
// outside the image read 0). Random parameters come from one seeded generator, so a seed
// reproduces a batch exactly. Augmentation is input preparation: nothing here is differentiated.
import { checkOptions, DTypeError, fmtShape, is, type Rng, rngFor, ShapeError, ValueError } from '../base/index.js';
import { makeTensor, Tensor } from '../tensor/index.js';

/**
 * One image's transform, applied in this order: zoom by `zoom` (> 1 enlarges the content),
 * rotate by `degrees` (counter-clockwise as displayed, rows pointing down), then shift by `dx`
 * columns (right) and `dy` rows (down).
 */
export interface AffineParams {
  degrees?: number;
  dx?: number;
  dy?: number;
  zoom?: number;
}

/** `images` [N, H, W, C] (or one image [H, W, C]) transformed by `params`: one for all, or one per image. */
export function transformImages(images: Tensor, params: AffineParams | readonly AffineParams[]): Tensor {
  const op = 'transformImages';
  const n = checkImages(op, images)[0];
  const spec = { degrees: is.finite, dx: is.finite, dy: is.finite, zoom: is.positive };
  if (Array.isArray(params)) params.forEach((p, i) => checkOptions(`${op} (image ${i})`, p as AffineParams, spec));
  else checkOptions(op, params as AffineParams, spec);
  if (Array.isArray(params) && params.length !== n) throw new ValueError(`${op}: got ${params.length} parameter sets for ${n} images`);
  const list = params as readonly AffineParams[] | AffineParams;
  return warp(op, images, (i) => (Array.isArray(list) ? list[i] : (list as AffineParams)));
}

/** Options of `randomRotation`: the largest angle in degrees, either way, and a seed. */
export interface RandomRotationOptions { maxDegrees?: number; seed?: number }
/** Options of `randomShift`: the largest shift in pixels (or as a `fraction` of the side), and a seed. */
export interface RandomShiftOptions { maxPixels?: number; fraction?: number; seed?: number }
/** Options of `randomZoom`: the zoom factor `range` [min, max], and a seed. */
export interface RandomZoomOptions { range?: readonly [number, number]; seed?: number }
/** Options of `augment`: rotation, shift and zoom ranges applied together, one random affine warp per image. */
export interface AugmentOptions {
  /** Largest rotation in degrees, either way (0 or absent: none). */
  rotation?: number;
  /** Largest shift in pixels, along each axis (0 or absent: none). */
  shift?: number;
  /** Zoom factor range [min, max] (absent: none). */
  zoom?: readonly [number, number];
  seed?: number;
}

/** Each image rotated by an angle drawn uniformly from [−maxDegrees, maxDegrees] (default 15°). */
export function randomRotation(images: Tensor, options: RandomRotationOptions = {}): Tensor {
  const { maxDegrees = 15, seed } = checkOptions('randomRotation', options, { maxDegrees: is.nonNegative, seed: is.int });
  return augmentWith('randomRotation', images, { rotation: maxDegrees, seed });
}

/**
 * Each image shifted by up to `maxPixels` along each axis, or by up to `fraction` of its height
 * (rows) and width (columns); shifts are drawn uniformly and need not be whole pixels.
 */
export function randomShift(images: Tensor, options: RandomShiftOptions = {}): Tensor {
  const op = 'randomShift';
  const { maxPixels, fraction, seed } = checkOptions(op, options, { maxPixels: is.nonNegative, fraction: is.range(0, 1), seed: is.int });
  if (maxPixels !== undefined && fraction !== undefined) throw new ValueError(`${op}: give maxPixels or fraction, not both (got ${maxPixels} and ${fraction})`);
  if (fraction !== undefined && !(fraction >= 0 && fraction <= 1)) throw new ValueError(`${op}: fraction must be in [0, 1], got ${fraction}`);
  const [, h, w] = checkImages(op, images);
  const rows = fraction !== undefined ? fraction * h : maxPixels ?? 2;
  const cols = fraction !== undefined ? fraction * w : maxPixels ?? 2;
  return augmentWith(op, images, { shift: [rows, cols], seed });
}

/** Each image zoomed by a factor drawn uniformly from `range` (default [0.9, 1.1]; > 1 enlarges). */
export function randomZoom(images: Tensor, options: RandomZoomOptions = {}): Tensor {
  const { range = [0.9, 1.1], seed } = checkOptions('randomZoom', options, { range: is.array, seed: is.int });
  return augmentWith('randomZoom', images, { zoom: range, seed });
}

/** Random rotation, shift and zoom together, as a single resampling per image. */
export function augment(images: Tensor, options: AugmentOptions = {}): Tensor {
  const { rotation, shift, zoom, seed } = checkOptions('augment', options, { rotation: is.nonNegative, shift: is.nonNegative, zoom: is.array, seed: is.int });
  return augmentWith('augment', images, { rotation, shift: shift === undefined ? undefined : [shift, shift], zoom, seed });
}

interface Ranges {
  rotation?: number;
  shift?: readonly [number, number];
  zoom?: readonly [number, number];
  seed?: number;
}

function augmentWith(op: string, images: Tensor, { rotation, shift, zoom, seed }: Ranges): Tensor {
  checkImages(op, images);
  const nonNegative = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new ValueError(`${op}: ${name} must be a finite number >= 0, got ${v}`);
  };
  nonNegative('maxDegrees', rotation);
  shift?.forEach((s) => nonNegative('the largest shift', s));
  if (zoom !== undefined) {
    const [lo, hi] = Array.isArray(zoom) ? zoom : [NaN, NaN];
    if (!(lo > 0 && hi >= lo && Number.isFinite(hi))) throw new ValueError(`${op}: zoom range must be [min, max] with 0 < min <= max, got ${JSON.stringify(zoom)}`);
  }
  if (seed !== undefined && !Number.isFinite(seed)) throw new ValueError(`${op}: seed must be a finite number, got ${seed}`);
  const rng: Rng = rngFor(seed);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();
  // Draws in a fixed order per image, so a seed gives the same batch every time.
  return warp(op, images, () => ({
    degrees: rotation ? between(-rotation, rotation) : 0,
    dy: shift ? between(-shift[0], shift[0]) : 0,
    dx: shift ? between(-shift[1], shift[1]) : 0,
    zoom: zoom ? between(zoom[0], zoom[1]) : 1,
  }));
}

/** [N, H, W, C] of a float image batch (a single image [H, W, C] counts as N = 1). */
function checkImages(op: string, images: Tensor): [number, number, number, number] {
  if (!(images instanceof Tensor)) throw new ValueError(`${op}: images must be a Tensor, got ${images === null ? 'null' : typeof images}`);
  images.assertAlive(op);
  if (images.rank !== 4 && images.rank !== 3) throw new ShapeError(`${op}: images must be [N, H, W, C] or [H, W, C], got ${fmtShape(images.shape)}`);
  if (images.dtype !== 'float32' && images.dtype !== 'float64') throw new DTypeError(`${op}: images must be float32 or float64, got ${images.dtype}`);
  const [n, h, w, c] = images.rank === 4 ? images.shape : [1, ...images.shape];
  return [n, h, w, c];
}

/**
 * Resample every image: output pixel q (column x, row y, about the centre c) reads the input at
 * p = c + R(−θ)(q − c − t) / zoom — the inverse of "zoom, rotate by θ, shift by t" — by bilinear
 * interpolation over the four neighbouring pixels.
 */
function warp(op: string, images: Tensor, paramsOf: (i: number) => AffineParams): Tensor {
  const [n, h, w, c] = checkImages(op, images);
  const src = images.dataSync();
  const out = images.dtype === 'float64' ? new Float64Array(src.length) : new Float32Array(src.length);
  const plane = h * w * c;
  for (let i = 0; i < n; i++) {
    const { degrees = 0, dx = 0, dy = 0, zoom = 1 } = paramsOf(i) ?? {};
    if (![degrees, dx, dy, zoom].every(Number.isFinite) || zoom <= 0) {
      throw new ValueError(`${op}: image ${i}: need finite degrees, dx, dy and zoom > 0, got ${JSON.stringify({ degrees, dx, dy, zoom })}`);
    }
    const base = i * plane;
    if (degrees === 0 && dx === 0 && dy === 0 && zoom === 1) {
      out.set(src.subarray(base, base + plane), base);
      continue;
    }
    const theta = (degrees * Math.PI) / 180;
    const cos = Math.cos(theta) / zoom;
    const sin = Math.sin(theta) / zoom;
    resampleAffine({ src, srcBase: base, out, outBase: base, height: h, width: w, channels: c }, [cos, -sin, sin, cos], [dx, dy]);
  }
  return makeTensor(out, images.shape, images.dtype);
}

/** One image [height, width, channels] at `srcBase` in `src`, written at `outBase` in `out`. */
export interface ImagePlanes {
  src: ArrayLike<number>;
  srcBase: number;
  out: Float32Array | Float64Array;
  outBase: number;
  height: number;
  width: number;
  channels: number;
  /**
   * An extra displacement of the sampling point per output pixel (elastic distortion): output
   * pixel (x, y) reads the input at p + (dx[y·width + x], dy[y·width + x]). Absent: none.
   */
  displacement?: { dx: ArrayLike<number>; dy: ArrayLike<number> };
}

/**
 * Bilinear resampling of one image by an inverse affine map about its centre
 * c = ((width − 1)/2, (height − 1)/2): output pixel q = (x, y) (column, row) reads the input at
 *   p = c + A (q − c − t),   A = [[a, b], [d, e]] given row-major as `inverse` = [a, b, d, e],
 * t = `shift` = [dx, dy]; A is the inverse of the forward map's linear part (q = c + A⁻¹(p − c) + t).
 * Taps outside the image read 0. Every output pixel is written. With `img.displacement` the
 * sampling point of each output pixel moves by its own (dx, dy) after the affine map.
 */
export function resampleAffine(img: ImagePlanes, inverse: readonly [number, number, number, number], shift: readonly [number, number]): void {
  const { src, srcBase: base, out, outBase, height: h, width: w, channels: c, displacement } = img;
  const [a, b, d, e] = inverse;
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  for (let y = 0; y < h; y++) {
    const v = y - cy - shift[1];
    for (let x = 0; x < w; x++) {
      const u = x - cx - shift[0];
      let sx = cx + a * u + b * v;
      let sy = cy + d * u + e * v;
      if (displacement) {
        sx += displacement.dx[y * w + x];
        sy += displacement.dy[y * w + x];
      }
      const o = outBase + (y * w + x) * c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < -1 || x0 >= w || y0 < -1 || y0 >= h) {
        // All four taps outside: 0.
        for (let ch = 0; ch < c; ch++) out[o + ch] = 0;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      // Taps (y0, x0), (y0, x0+1), (y0+1, x0), (y0+1, x0+1); one outside the image weighs 0.
      const inX0 = x0 >= 0;
      const inX1 = x0 + 1 < w;
      const inY0 = y0 >= 0;
      const inY1 = y0 + 1 < h;
      const w00 = inY0 && inX0 ? (1 - fy) * (1 - fx) : 0;
      const w01 = inY0 && inX1 ? (1 - fy) * fx : 0;
      const w10 = inY1 && inX0 ? fy * (1 - fx) : 0;
      const w11 = inY1 && inX1 ? fy * fx : 0;
      const s00 = base + (y0 * w + x0) * c;
      const s10 = s00 + w * c;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        if (w00 !== 0) acc += w00 * src[s00 + ch];
        if (w01 !== 0) acc += w01 * src[s00 + c + ch];
        if (w10 !== 0) acc += w10 * src[s10 + ch];
        if (w11 !== 0) acc += w11 * src[s10 + c + ch];
        out[o + ch] = acc;
      }
    }
  }
}

/**
 * A random elastic displacement field (Simard, Steinkraus & Platt 2003) for an image of
 * `height` × `width`: every pixel draws a displacement uniform in (−1, 1) per axis, each field is
 * smoothed by a Gaussian of standard deviation `sigma` px (separable, truncated at 3σ, zero
 * outside the image) and scaled by `alpha`. σ = 4, α = 34 is the paper's setting for MNIST
 * (displacements of about 1.4 px standard deviation that vary smoothly across the digit).
 * `rand` gives uniforms in [0, 1).
 */
export function elasticField(rand: () => number, height: number, width: number, alpha: number, sigma: number): { dx: Float32Array; dy: Float32Array } {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  for (let k = -radius; k <= radius; k++) kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  const norm = kernel.reduce((acc, v) => acc + v, 0);
  // Zero borders of `radius` around the noise (and the row-smoothed noise), so the inner loops
  // need no bounds checks.
  const pw = width + 2 * radius;
  const ph = height + 2 * radius;
  const noise = new Float32Array(height * pw);
  const rows = new Float32Array(ph * width);
  const scale = alpha / (norm * norm);
  const field = (): Float32Array => {
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) noise[y * pw + radius + x] = 2 * rand() - 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let acc = 0;
        const at = y * pw + x;
        for (let k = 0; k < kernel.length; k++) acc += kernel[k] * noise[at + k];
        rows[(y + radius) * width + x] = acc;
      }
    }
    const out = new Float32Array(height * width);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = 0; k < kernel.length; k++) acc += kernel[k] * rows[(y + k) * width + x];
        out[y * width + x] = acc * scale;
      }
    }
    return out;
  };
  const dx = field();
  return { dx, dy: field() };
}
