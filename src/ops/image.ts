/**
 * Image operations: differentiable resizing (nearest, bilinear, bicubic) and the PSNR and SSIM quality measures.
 * @module
 */
// Image resizing as two matrix products. Nearest, bilinear and bicubic interpolation are all
// linear in the pixels and separable, so resizing [N, H, W, C] to [N, h, w, C] is
//   y[n, :, :, c] = A_h · x[n, :, :, c] · A_wᵀ,   A_h: [h, H], A_w: [w, W]
// with fixed interpolation matrices. Built from transpose and matmul, the op gets its gradient
// (x̄ = A_hᵀ · ȳ · A_w) and every backend for free, and stays differentiable to any order.
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import { type Tensor, tensor } from '../tensor/index.js';
import { conv2d } from './conv.js';
import { add, div, log, mul, square, sub } from './elementwise.js';
import { matmul } from './matmul.js';
import { mean } from './reduce.js';
import { transpose } from './shape.js';
import { toTensor, type TensorLike } from './util.js';

/** The interpolation of {@link resize}. */
export type ResizeMethod = 'nearest' | 'bilinear' | 'bicubic';

/** Options of {@link resize}: the method, the bicubic kernel's a, and edge handling. */
export interface ResizeOptions {
  /** Interpolation (default 'bilinear', as tf.image.resize and Keras's Resizing layer). */
  method?: ResizeMethod;
  /**
   * The bicubic kernel's a. Default −0.5: Keys' cubic convolution, the kernel of PIL, TensorFlow
   * and JAX. −0.75 is PyTorch's and OpenCV's INTER_CUBIC (with `edge: 'replicate'` this matches
   * torch.nn.functional.interpolate(mode='bicubic', align_corners=False) exactly).
   */
  cubicA?: number;
  /**
   * Taps that fall outside the image: 'replicate' reads the border pixel (PyTorch, OpenCV, the
   * default); 'renormalize' drops them and rescales the remaining weights to sum to 1 (PIL,
   * TensorFlow, JAX). They differ only within two pixels of the border, for bicubic.
   */
  edge?: 'replicate' | 'renormalize';
  /**
   * When shrinking, widen the kernel by the scale factor so every input pixel contributes
   * (PIL, and antialias=True in PyTorch/TensorFlow). Default false. No effect on nearest.
   */
  antialias?: boolean;
}

const RESIZE_SPEC = {
  method: is.oneOf('nearest', 'bilinear', 'bicubic'),
  cubicA: is.range(-1, 0),
  edge: is.oneOf('replicate', 'renormalize'),
  antialias: is.bool,
};

/** Keys' cubic convolution kernel with parameter a (|t| < 2), and the triangle (|t| < 1). */
function cubic(t: number, a: number): number {
  const x = Math.abs(t);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}
const triangle = (t: number): number => Math.max(0, 1 - Math.abs(t));

/**
 * The [outSize, inSize] matrix of one axis. Half-pixel centres (align_corners=false): output
 * pixel o samples the input at s = (o + ½)·inSize/outSize − ½ (in pixel-index coordinates), and
 * gets Σᵢ K((s − i)/f)·x[i] with f = scale when antialiasing a shrink, else 1.
 */
export function interpolationMatrix(inSize: number, outSize: number, method: ResizeMethod, options: Required<Omit<ResizeOptions, 'method'>>): Float64Array {
  const m = new Float64Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const row = o * inSize;
    if (method === 'nearest') {
      // The input pixel whose cell contains the output pixel's centre (PIL, PyTorch 'nearest-exact').
      m[row + Math.min(inSize - 1, Math.floor((o + 0.5) * scale))] = 1;
      continue;
    }
    const kernel = method === 'bicubic' ? (t: number) => cubic(t, options.cubicA) : triangle;
    const radius = method === 'bicubic' ? 2 : 1;
    const f = options.antialias && scale > 1 ? scale : 1;
    const s = (o + 0.5) * scale - 0.5;
    const lo = Math.floor(s - radius * f) + 1;
    const hi = Math.ceil(s + radius * f) - 1;
    let total = 0;
    let inside = 0;
    for (let i = lo; i <= hi; i++) {
      const w = kernel((s - i) / f) / f;
      total += w;
      if (i < 0 || i >= inSize) {
        if (options.edge === 'renormalize') continue;
        m[row + Math.min(inSize - 1, Math.max(0, i))] += w;
      } else m[row + i] += w;
      inside += w;
    }
    // Renormalise so the weights sum to 1: always for dropped taps, and for antialiased
    // kernels, whose sampled weights sum to 1 only approximately.
    const norm = options.edge === 'renormalize' ? inside : total;
    if (norm !== 0 && (options.edge === 'renormalize' || f !== 1)) for (let i = 0; i < inSize; i++) m[row + i] /= norm;
  }
  return m;
}

/**
 * Resize images `x` [N, H, W, C] (or one image [H, W, C]) to [N, h, w, C]. Differentiable in x.
 * Bicubic uses a = −0.5 (Keys; PIL, TensorFlow, JAX) unless `cubicA` says otherwise (−0.75 for
 * PyTorch and OpenCV). Coordinates use half-pixel centres (align_corners = false). Bicubic can
 * overshoot the input's range, as in every library; clip afterwards if that matters.
 */
export function resize(x: TensorLike, size: readonly [number, number], options: ResizeOptions = {}): Tensor {
  const op = 'image.resize';
  const opts = checkOptions(op, options, RESIZE_SPEC);
  const t = toTensor(op, x);
  if (t.rank !== 3 && t.rank !== 4) throw new ShapeError(`${op}: expected images [N, H, W, C] or one image [H, W, C], got shape [${t.shape.join(', ')}]`);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new ValueError(`${op}: expected float32 or float64 images, got ${t.dtype}`);
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`${op}: size must be [height, width] with positive integers, got ${JSON.stringify(size)}`);
  }
  const images = t.rank === 3 ? t.reshape([1, ...t.shape]) : t;
  const [, inH, inW] = images.shape;
  if (inH === 0 || inW === 0) throw new ShapeError(`${op}: cannot resize an empty image of shape [${t.shape.join(', ')}]`);
  const method = opts.method ?? 'bilinear';
  const full = { cubicA: opts.cubicA ?? -0.5, edge: opts.edge ?? 'replicate', antialias: opts.antialias ?? false };
  const [h, w] = size;
  const ah = tensor(interpolationMatrix(inH, h, method, full), [h, inH], t.dtype);
  const awT = transpose(tensor(interpolationMatrix(inW, w, method, full), [w, inW], t.dtype), [1, 0]);
  // [N, H, W, C] → [N, C, H, W]; A_h · x · A_wᵀ over the last two axes; back to [N, h, w, C].
  const planes = transpose(images, [0, 3, 1, 2]);
  const out = transpose(matmul(matmul(ah, planes), awT), [0, 2, 3, 1]);
  return t.rank === 3 ? out.reshape([h, w, t.shape[2]]) : out;
}

/** Options of {@link psnr}: the largest pixel value. */
export interface PsnrOptions {
  /** The largest possible pixel value L (default 1). */
  maxVal?: number;
}

function checkPair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const x = toTensor(op, a);
  const y = toTensor(op, b);
  if (x.rank !== 4 || x.shape.some((d, i) => d !== y.shape[i]) || y.rank !== 4) {
    throw new ShapeError(`${op}: expected two image batches [N, H, W, C] of the same shape, got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`);
  }
  const dtype = x.dtype === 'float64' || y.dtype === 'float64' ? 'float64' : 'float32';
  return [x.cast(dtype), y.cast(dtype)];
}

/** Peak signal-to-noise ratio per image, [N]: 10·log₁₀(L² / mean((a − b)²)) in dB (∞ for equal images). */
export function psnr(a: TensorLike, b: TensorLike, options: PsnrOptions = {}): Tensor {
  const op = 'image.psnr';
  const opts = checkOptions(op, options, { maxVal: is.positive });
  const [x, y] = checkPair(op, a, b);
  const L = opts.maxVal ?? 1;
  const mse = mean(square(sub(x, y)), [1, 2, 3]);
  return mul(log(div(L * L, mse)), 10 / Math.LN10);
}

/** Options of {@link ssim}: dynamic range, Gaussian window and stabilisers (Wang et al. 2004). */
export interface SsimOptions {
  /** The dynamic range L (default 1). */
  maxVal?: number;
  /** Side of the Gaussian window (default 11) and its σ (default 1.5), as Wang et al. 2004 and tf.image.ssim. */
  filterSize?: number;
  filterSigma?: number;
  /** Stabilisers: C₁ = (k₁L)², C₂ = (k₂L)² (default 0.01, 0.03). */
  k1?: number;
  k2?: number;
}

/**
 * Structural similarity per image, [N] (Wang, Bovik, Sheikh & Simoncelli 2004, the definition
 * of tf.image.ssim): local means, variances and covariance under a Gaussian window ('valid'
 * positions only), SSIM = mean over positions and channels of
 *   (2μₐμ_b + C₁)(2σₐ_b + C₂) / ((μₐ² + μ_b² + C₁)(σₐ² + σ_b² + C₂)).
 * Differentiable (usable as a loss: 1 − ssim).
 */
export function ssim(a: TensorLike, b: TensorLike, options: SsimOptions = {}): Tensor {
  const op = 'image.ssim';
  const opts = checkOptions(op, options, { maxVal: is.positive, filterSize: is.posInt, filterSigma: is.positive, k1: is.positive, k2: is.positive });
  const [x, y] = checkPair(op, a, b);
  const size = opts.filterSize ?? 11;
  const sigma = opts.filterSigma ?? 1.5;
  const [n, h, w, c] = x.shape;
  if (h < size || w < size) throw new ShapeError(`${op}: images of ${h}×${w} are smaller than the ${size}×${size} window; pass a smaller filterSize`);
  const L = opts.maxVal ?? 1;
  const c1 = ((opts.k1 ?? 0.01) * L) ** 2;
  const c2 = ((opts.k2 ?? 0.03) * L) ** 2;
  // Normalised 2-D Gaussian g[i]·g[j], as a conv kernel [size, size, 1, 1].
  const g1 = Array.from({ length: size }, (_, i) => Math.exp(-((i - (size - 1) / 2) ** 2) / (2 * sigma * sigma)));
  const total = g1.reduce((s, v) => s + v, 0);
  const kernel = tensor(g1.flatMap((gi) => g1.map((gj) => (gi * gj) / (total * total))), [size, size, 1, 1], x.dtype);
  // Channels into the batch axis: [N, H, W, C] → [N·C, H, W, 1], so one filter serves all.
  const planes = (t: Tensor): Tensor => transpose(t, [0, 3, 1, 2]).reshape([n * c, h, w, 1]);
  const blur = (t: Tensor): Tensor => conv2d(t, kernel, { padding: 'valid' });
  const px = planes(x);
  const py = planes(y);
  const mx = blur(px);
  const my = blur(py);
  const vx = sub(blur(square(px)), square(mx));
  const vy = sub(blur(square(py)), square(my));
  const cov = sub(blur(mul(px, py)), mul(mx, my));
  const num = mul(add(mul(mul(mx, my), 2), c1), add(mul(cov, 2), c2));
  const den = mul(add(add(square(mx), square(my)), c1), add(add(vx, vy), c2));
  return mean(div(num, den).reshape([n, -1]), 1);
}
