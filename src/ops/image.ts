// Image resizing as two matrix products. Nearest, bilinear and bicubic interpolation are all
// linear in the pixels and separable, so resizing [N, H, W, C] to [N, h, w, C] is
//   y[n, :, :, c] = A_h · x[n, :, :, c] · A_wᵀ,   A_h: [h, H], A_w: [w, W]
// with fixed interpolation matrices. Built from transpose and matmul, the op gets its gradient
// (x̄ = A_hᵀ · ȳ · A_w) and every backend for free, and stays differentiable to any order.
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import { type Tensor, tensor } from '../tensor/index.js';
import { matmul } from './matmul.js';
import { transpose } from './shape.js';
import { toTensor, type TensorLike } from './util.js';

export type ResizeMethod = 'nearest' | 'bilinear' | 'bicubic';

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
