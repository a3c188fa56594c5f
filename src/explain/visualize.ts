// Seeing what a network has learned: feature maps, activation maximisation (gradient ascent on
// the input to excite one filter or unit; Erhan et al. 2009), DeepDream (gradient ascent on the
// input to amplify whatever whole layers already see, at several scales), and tiling images into
// one grid for display.
import { valueAndGrad } from '../autograd/index.js';
import { checkOptions, is, ValueError } from '../base/index.js';
import type { Model } from '../model/index.js';
import type { Layer } from '../nn/index.js';
import { abs, add, clip, concat, div, image, mean, mul, pad, slice, square, sub } from '../ops/index.js';
import { full, noGrad, randomUniform, Tensor, tidy, zeros } from '../tensor/index.js';
import { checkImages, checkModel, extractor, forward, layerOutput } from './common.js';

/** The outputs of the named layers for inputs x, in the order given (a sub-model sharing the weights). */
export function featureMaps(model: Model, x: Tensor, layerNames: readonly (string | number)[]): Tensor[] {
  const op = 'explain.featureMaps';
  checkModel(op, model);
  if (!Array.isArray(layerNames) || layerNames.length === 0) throw new ValueError(`${op}: layerNames must be a non-empty list of layer names or indices`);
  const xs = checkImages(op, x, model);
  const features = extractor(op, model, layerNames);
  return noGrad(() => {
    const out = features.apply(xs, { training: false });
    return Array.isArray(out) ? out : [out];
  });
}

/** Penalties that keep a synthesised input natural: L2 and total variation. */
export interface Regularization {
  /** Weight of the L2 penalty mean(x²): keeps the image from drifting to extreme values. */
  l2?: number;
  /** Weight of the total variation penalty mean(|∂x/∂h|) + mean(|∂x/∂w|): favours smooth images. */
  totalVariation?: number;
}

/** Options of {@link activationMaximization}: which layer and filter (or unit), steps, step size, regularisation, range, seed. */
export interface ActivationMaximizationOptions {
  /** The layer (name or index in model.layers). */
  layer: string | number;
  /** Channel of a convolutional layer's output [N, H, W, C] to excite (its mean over positions). */
  filter?: number;
  /** Unit of a dense layer's output [N, U] (the same as filter: the last axis). */
  unit?: number;
  /** Gradient-ascent steps (default 100). */
  steps?: number;
  /** Step size on the RMS-normalised gradient (default 0.05, in units of the input range). */
  learningRate?: number;
  regularization?: Regularization;
  /** Where the start image and the result live (default [0, 1], MNIST's range). */
  clipMin?: number;
  clipMax?: number;
  /** Seed of the start image, a faint uniform noise around the middle of the range. */
  seed?: number;
}

const AM_SPEC = {
  layer: is.anyOf(is.string, is.nonNegInt),
  filter: is.nonNegInt,
  unit: is.nonNegInt,
  steps: is.posInt,
  learningRate: is.positive,
  regularization: is.object,
  clipMin: is.finite,
  clipMax: is.finite,
  seed: is.int,
};
const REG_SPEC = { l2: is.nonNegative, totalVariation: is.nonNegative };

/**
 * An input that excites one filter (or unit) of one layer: start from faint noise and follow
 * the gradient of mean activation − penalties, clipping to [clipMin, clipMax] after each step.
 * Returns one image shaped like a sample of the model's input ([H, W, C] for images).
 */
export function activationMaximization(model: Model, options: ActivationMaximizationOptions): Tensor {
  const op = 'explain.activationMaximization';
  const opts = checkOptions(op, options, AM_SPEC);
  checkModel(op, model);
  if (opts.layer === undefined) throw new ValueError(`${op}: layer is required`);
  const reg = checkOptions(`${op} regularization`, opts.regularization, REG_SPEC);
  if (opts.filter !== undefined && opts.unit !== undefined) throw new ValueError(`${op}: give filter or unit, not both`);
  const index = opts.filter ?? opts.unit;
  if (index === undefined) throw new ValueError(`${op}: give the filter (conv layers) or unit (dense layers) to maximise`);
  const { layer, output } = layerOutput(op, model, opts.layer);
  const channels = output.shape[output.shape.length - 1];
  if (channels !== null && index >= channels) throw new ValueError(`${op}: layer '${layer.name}' has ${channels} channels; ${opts.filter !== undefined ? 'filter' : 'unit'} ${index} is out of range`);
  const lo = opts.clipMin ?? 0;
  const hi = opts.clipMax ?? 1;
  if (!(hi > lo)) throw new ValueError(`${op}: clipMax (${hi}) must be greater than clipMin (${lo})`);
  const sampleShape = model.inputs[0].shape.slice(1);
  if (sampleShape.some((d) => d === null)) throw new ValueError(`${op}: the model's input shape [${sampleShape.join(', ')}] must be fully known`);
  const shape = [1, ...(sampleShape as number[])];
  const features = extractor(op, model, [layer]);
  const middle = (lo + hi) / 2;
  const spread = (hi - lo) * 0.05;
  let x = randomUniform(shape, { min: middle - spread, max: middle + spread, seed: opts.seed });
  const objective = (input: Tensor): Tensor => {
    const a = forward(features, input);
    const unit = slice(a, [...a.shape.slice(0, -1).map(() => 0), index], [...a.shape.slice(0, -1), 1]);
    let loss = mean(unit);
    if (reg.l2) loss = sub(loss, mul(mean(square(sub(input, middle))), reg.l2));
    if (reg.totalVariation) loss = sub(loss, mul(totalVariation(input), reg.totalVariation));
    return loss;
  };
  ascend(objective, () => x, (next) => (x = next), opts.steps ?? 100, (opts.learningRate ?? 0.05) * (hi - lo), lo, hi);
  return x.reshape(sampleShape as number[]);
}

/** mean |x[h+1] − x[h]| + mean |x[w+1] − x[w]| over an image batch [N, H, W, C]. */
function totalVariation(x: Tensor): Tensor {
  if (x.rank !== 4) return mean(mul(x, 0));
  const [n, h, w, c] = x.shape;
  const dh = h > 1 ? mean(abs(sub(slice(x, [0, 1, 0, 0], [n, h - 1, w, c]), slice(x, [0, 0, 0, 0], [n, h - 1, w, c])))) : mean(mul(x, 0));
  const dw = w > 1 ? mean(abs(sub(slice(x, [0, 0, 1, 0], [n, h, w - 1, c]), slice(x, [0, 0, 0, 0], [n, h, w - 1, c])))) : mean(mul(x, 0));
  return add(dh, dw);
}

/** `steps` of x ← clip(x + lr · g / rms(g)) with g = ∇objective(x). */
function ascend(objective: (x: Tensor) => Tensor, get: () => Tensor, set: (x: Tensor) => void, steps: number, lr: number, lo: number, hi: number): void {
  const vg = valueAndGrad(objective);
  for (let s = 0; s < steps; s++) {
    const prev = get();
    set(tidy(() => {
      const [, g] = vg(prev);
      return noGrad(() => {
        const rms = Math.sqrt(mean(square(g)).item()) + 1e-12;
        return clip(add(prev, mul(g, lr / rms)), lo, hi);
      });
    }));
    if (s > 0) prev.dispose();
  }
}

/** Options of {@link deepDream}: the layers amplified, octaves, steps and step size. */
export interface DeepDreamOptions {
  /** Layers whose activations are amplified: names (weight 1 each) or { name: weight }. */
  layers: readonly (string | number)[] | Readonly<Record<string, number>>;
  /** Scales, coarsest first, each octaveScale× finer (default 3). */
  octaves?: number;
  /** Ratio between successive octaves (default 1.4, as in the original DeepDream). */
  octaveScale?: number;
  /** Gradient-ascent steps per octave (default 20). */
  steps?: number;
  /** Step size on the RMS-normalised gradient, in units of the value range (default 0.01). */
  learningRate?: number;
  clipMin?: number;
  clipMax?: number;
}

const DD_SPEC = {
  layers: is.object,
  octaves: is.posInt,
  octaveScale: (v: unknown) => (typeof v === 'number' && v > 1 && Number.isFinite(v) ? null : 'a number > 1'),
  steps: is.posInt,
  learningRate: is.positive,
  clipMin: is.finite,
  clipMax: is.finite,
};

/**
 * DeepDream: gradient ascent on the image to increase Σ_l w_l · mean(a_l²) over the chosen
 * layers. The octaves work coarse to fine, and since models often take one fixed input size,
 * each octave optimises a detail image δ at its own resolution that is upsampled (bilinear,
 * differentiable) and added to the image: x = clip(x₀ + resize(δ, [H, W])). Coarse octaves shape
 * large structures, fine ones add texture, as in the original. `image` is [H, W, C] or
 * [1, H, W, C]; the result has its rank.
 */
export function deepDream(model: Model, imageIn: Tensor, options: DeepDreamOptions): Tensor {
  const op = 'explain.deepDream';
  const opts = checkOptions(op, options, DD_SPEC);
  checkModel(op, model);
  if (opts.layers === undefined) throw new ValueError(`${op}: layers is required`);
  const entries: [string | number, number][] = Array.isArray(opts.layers)
    ? (opts.layers as (string | number)[]).map((l) => [l, 1])
    : Object.entries(opts.layers as Record<string, number>);
  if (entries.length === 0) throw new ValueError(`${op}: layers must name at least one layer`);
  if (!(imageIn instanceof Tensor)) throw new ValueError(`${op}: image must be a Tensor`);
  const batched = imageIn.rank === model.inputs[0].shape.length ? imageIn : imageIn.reshape([1, ...imageIn.shape]);
  const x0 = checkImages(op, batched, model);
  if (x0.rank !== 4 || x0.shape[0] !== 1) throw new ValueError(`${op}: image must be one image [H, W, C] or [1, H, W, C], got [${imageIn.shape.join(', ')}]`);
  const lo = opts.clipMin ?? 0;
  const hi = opts.clipMax ?? 1;
  const layers: Layer[] = entries.map(([l]) => layerOutput(op, model, l).layer);
  const weights = entries.map(([, w]) => w);
  const features = extractor(op, model, layers);
  const [, H, W, C] = x0.shape;
  const octaves = opts.octaves ?? 3;
  const scale = opts.octaveScale ?? 1.4;
  const steps = opts.steps ?? 20;
  const lr = (opts.learningRate ?? 0.01) * (hi - lo);
  let base = x0;
  for (let o = 0; o < octaves; o++) {
    const f = scale ** (octaves - 1 - o);
    const size: [number, number] = [Math.max(1, Math.round(H / f)), Math.max(1, Math.round(W / f))];
    const compose = (delta: Tensor): Tensor => clip(add(base, image.resize(delta, [H, W], { method: 'bilinear' })), lo, hi);
    const objective = (delta: Tensor): Tensor => {
      const outs = features.apply(compose(delta), { training: false });
      const list = Array.isArray(outs) ? outs : [outs];
      return list.map((a, i) => mul(mean(square(a)), weights[i])).reduce((s, t) => add(s, t));
    };
    let delta = zeros([1, ...size, C], x0.dtype);
    // δ is unbounded (clipping happens in compose), so ascend with an infinite box.
    ascend(objective, () => delta, (d) => (delta = d), steps, lr, -Infinity, Infinity);
    base = noGrad(() => compose(delta));
  }
  return imageIn.rank === 3 ? base.reshape([H, W, C]) : base;
}

/** Options of {@link tileImages}: columns, padding and its value, and per-tile or global normalisation. */
export interface TileOptions {
  /** Images per row (default ⌈√N⌉). */
  columns?: number;
  /** Pixels between tiles (default 1). */
  padding?: number;
  /** Value of the padding, after scaling (default 1: white lines). */
  padValue?: number;
  /** Scale each tile to [0, 1] by its own min and max ('each', default), all by the global ones ('all'), or not ('none'). */
  normalize?: 'each' | 'all' | 'none';
}

const TILE_SPEC = {
  columns: is.posInt,
  padding: is.nonNegInt,
  padValue: is.finite,
  normalize: is.oneOf('each', 'all', 'none'),
};

/**
 * Tile images [N, H, W] or [N, H, W, C] (feature maps, filters, saliency maps) into one grid
 * [rows·(H + p) − p, cols·(W + p) − p, C], values scaled to [0, 1] for display. Encode it as a
 * PNG with any encoder (the CLI uses pngjs); this function stays free of Node APIs.
 */
export function tileImages(images: Tensor, options: TileOptions = {}): Tensor {
  const op = 'explain.tileImages';
  const opts = checkOptions(op, options, TILE_SPEC);
  if (images.rank !== 3 && images.rank !== 4) throw new ValueError(`${op}: expected images [N, H, W] or [N, H, W, C], got [${images.shape.join(', ')}]`);
  return noGrad(() => {
    let x = images.rank === 3 ? images.reshape([...images.shape, 1]) : images;
    x = x.cast('float32');
    const [n, h, w, c] = x.shape;
    if (n === 0) throw new ValueError(`${op}: no images to tile`);
    const norm = opts.normalize ?? 'each';
    if (norm !== 'none') {
      const axes = norm === 'each' ? [1, 2, 3] : [0, 1, 2, 3];
      const lo = minOver(x, axes);
      const span = sub(maxOver(x, axes), lo);
      x = div(sub(x, lo), add(span, mul(span.equal(0).cast('float32'), 1)));
    }
    const cols = opts.columns ?? Math.ceil(Math.sqrt(n));
    const rows = Math.ceil(n / cols);
    const p = opts.padding ?? 1;
    const padValue = opts.padValue ?? 1;
    // Pad each tile on its bottom/right, fill the grid up with blank tiles, then reshape
    // [rows, cols, h+p, w+p, c] → [rows, h+p, cols, w+p, c] → crop the trailing padding.
    const padded = pad(x, [[0, 0], [0, p], [0, p], [0, 0]], padValue);
    const blanks = rows * cols - n;
    const all = blanks > 0 ? concat([padded, full([blanks, h + p, w + p, c], padValue)], 0) : padded;
    const grid = all.reshape([rows, cols, h + p, w + p, c]).transpose([0, 2, 1, 3, 4]).reshape([rows * (h + p), cols * (w + p), c]);
    return slice(grid, [0, 0, 0], [rows * (h + p) - p, cols * (w + p) - p, c]);
  });
}

const minOver = (x: Tensor, axes: number[]): Tensor => mul(maxOver(mul(x, -1), axes), -1);
function maxOver(x: Tensor, axes: number[]): Tensor {
  let m = x;
  for (const a of [...axes].reverse()) m = m.max(a, true);
  return m;
}
