// Layers that change spatial size without weights, on channels-last data [N, ...spatial, C]:
// ZeroPadding1D/2D/3D (add zeros around), Cropping1D/2D/3D (cut the border off) and
// UpSampling1D/2D/3D (repeat each position `size` times; 2-D also bilinear).
import { ShapeError } from '../../base/index.js';
import { broadcastTo, matmul, pad, reshape, slice, transpose } from '../../ops/index.js';
import { type Tensor, tensor } from '../../tensor/index.js';
import { ConfigurableLayer, type InputSpec, type LayerArgs, type LayerInput } from '../layer.js';
import { field, is, type OwnOptions, opt } from '../options.js';
import type { CallArgs, Shape } from '../types.js';
import { argError, fmt, type Named, oneOf, rankOf, rankVariants, requireSpatial, single, singleShape, sizesField, who } from './common.js';

type Pair = [number, number];

/**
 * Per-axis [before, after] from Keras's forms: p (all sides), one p per axis (symmetric), or one
 * [before, after] pair per axis; for one axis, [before, after] directly.
 */
function pairsArg(layer: Named, name: string, v: unknown, dims: number): Pair[] {
  const nonNeg = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (nonNeg(v)) return new Array(dims).fill(0).map((): Pair => [v, v]);
  if (Array.isArray(v)) {
    if (dims === 1 && v.length === 2 && v.every(nonNeg)) return [[v[0], v[1]]];
    if (v.length === dims && v.every(nonNeg)) return v.map((p): Pair => [p, p]);
    if (v.length === dims && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(nonNeg))) return v.map((p: number[]): Pair => [p[0], p[1]]);
  }
  throw argError(layer, `${name} must be a non-negative integer, ${dims} of them, or ${dims} [before, after] pairs, got ${JSON.stringify(v)}`);
}

/** A kept padding or cropping option, stored as one [before, after] pair per spatial axis. */
const pairsField = (fallback: number) => field(opt.pads, fallback, (v, layer, _args, key) => pairsArg(layer, key, v, rankOf(layer)));

/** A weightless layer on [N, ...spatial, C] that sets each spatial size on its own (padding, cropping, up-sampling). */
abstract class SpatialResize<A extends LayerArgs> extends ConfigurableLayer<A> {
  override inputSpec: InputSpec | null = { ndim: this.dims + 2 };

  /** The number of spatial axes (the class's rank). */
  protected get dims(): number {
    return rankOf(this);
  }

  /** The output size of spatial axis `axis` (0-based) of size d (null: unknown) in input `shape`. */
  protected abstract resize(d: number, axis: number, shape: readonly (number | null)[]): number;

  /** `shape` with every known spatial size resized. */
  protected resized(shape: readonly (number | null)[]): (number | null)[] {
    return shape.map((d, i) => (i === 0 || i > this.dims || d === null ? d : this.resize(d, i - 1, shape)));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    requireSpatial(this, s, this.dims);
    return this.resized(s);
  }
}

/** Options of the zero-padding layers: `padding`, one number, one per axis, or [before, after] pairs. */
export interface ZeroPaddingArgs extends LayerArgs {
  /** p, one p per spatial axis, or [[before, after], …] per spatial axis (default 1). */
  padding?: number | number[] | [number, number][];
}

/**
 * Pads the spatial axes with zeros; {@link ZeroPadding1D}, {@link ZeroPadding2D} and {@link ZeroPadding3D} are its
 * ranks.
 */
export abstract class ZeroPadding extends SpatialResize<ZeroPaddingArgs> {
  static override readonly options: OwnOptions<ZeroPaddingArgs> = { padding: pairsField(1) };
  declare readonly padding: Pair[];
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    return pad(single(this, inputs), [[0, 0], ...this.padding, [0, 0]]);
  }
  protected resize(d: number, axis: number): number {
    return d + this.padding[axis][0] + this.padding[axis][1];
  }
}

/** Zero-padding layer classes of rank 1, 2 and 3 (`hb.layers.zeroPadding2d` …). */
export const [ZeroPadding1D, ZeroPadding2D, ZeroPadding3D] = rankVariants('ZeroPadding', ZeroPadding);
export type ZeroPadding1D = ZeroPadding;
export type ZeroPadding2D = ZeroPadding;
export type ZeroPadding3D = ZeroPadding;

/** Options of the cropping layers: `cropping`, one number, one per axis, or [before, after] pairs. */
export interface CroppingArgs extends LayerArgs {
  /** c, one c per spatial axis, or [[before, after], …] per spatial axis (default 0). */
  cropping?: number | number[] | [number, number][];
}

/** Crops the spatial axes; {@link Cropping1D}, {@link Cropping2D} and {@link Cropping3D} are its ranks. */
export abstract class Cropping extends SpatialResize<CroppingArgs> {
  static override readonly options: OwnOptions<CroppingArgs> = { cropping: pairsField(0) };
  declare readonly cropping: Pair[];
  protected resize(d: number, axis: number, shape: readonly (number | null)[]): number {
    const [a, b] = this.cropping[axis];
    if (a + b >= d) throw new ShapeError(`${who(this)}: cropping ${JSON.stringify(this.cropping)} removes all of axis ${axis + 1} of input ${fmt(shape)}`);
    return d - a - b;
  }
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    const begin = x.shape.map((_, i) => (i === 0 || i > this.dims ? 0 : this.cropping[i - 1][0]));
    return slice(x, begin, this.resized(x.shape) as number[]);
  }
}

/** Cropping layer classes of rank 1, 2 and 3 (`hb.layers.cropping2d` …). */
export const [Cropping1D, Cropping2D, Cropping3D] = rankVariants('Cropping', Cropping);
export type Cropping1D = Cropping;
export type Cropping2D = Cropping;
export type Cropping3D = Cropping;

/** How {@link UpSampling2D} fills in: repeating values or bilinear interpolation. */
export type Interpolation = 'nearest' | 'bilinear';

/** Options of the up-sampling layers: `size` and `interpolation`. */
export interface UpSamplingArgs extends LayerArgs {
  /** Repeat factor, one number or one per spatial axis (default 2). */
  size?: number | number[];
  /** 'nearest' (default) repeats values; 'bilinear' (2-D only) interpolates with half-pixel centres, as tf.image.resize. */
  interpolation?: Interpolation;
}

/**
 * The [n·s, n] matrix of 1-D bilinear interpolation with half-pixel centres: output o samples
 * the input at max(0, (o + ½)/s − ½), mixing its two neighbours linearly.
 */
function bilinearMatrix(n: number, s: number, dtype: Tensor['dtype']): Tensor {
  const m = new Float64Array(n * s * n);
  for (let o = 0; o < n * s; o++) {
    const src = Math.max(0, (o + 0.5) / s - 0.5);
    const lo = Math.min(Math.floor(src), n - 1);
    const hi = Math.min(lo + 1, n - 1);
    const frac = src - lo;
    m[o * n + lo] += 1 - frac;
    m[o * n + hi] += frac;
  }
  return tensor(m, [n * s, n], dtype);
}

/**
 * Up-samples the spatial axes by `size`; {@link UpSampling1D}, {@link UpSampling2D} and {@link UpSampling3D} are its
 * ranks.
 */
export abstract class UpSampling extends SpatialResize<UpSamplingArgs> {
  static override readonly options: OwnOptions<UpSamplingArgs> = {
    size: sizesField(2),
    // 'bilinear' is for UpSampling2D only.
    interpolation: field(is.oneOf('nearest', 'bilinear'), 'nearest', (v, layer, _args, key) => oneOf(layer, key, v, rankOf(layer) === 2 ? ['nearest', 'bilinear'] : ['nearest'])),
  };
  declare readonly size: number[];
  declare readonly interpolation: Interpolation;
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    const dims = this.dims;
    const spatial = x.shape.slice(1, dims + 1);
    const [N, C] = [x.shape[0], x.shape[dims + 1]];
    if (this.interpolation === 'bilinear') {
      // y = R_h · x · R_wᵀ per image and channel: x [N, H, W, C] → [N, C, H, W] → [N, C, H·s, W·t].
      const [H, W] = spatial;
      const rows = bilinearMatrix(H, this.size[0], x.dtype);
      const cols = bilinearMatrix(W, this.size[1], x.dtype);
      const y = matmul(matmul(rows, transpose(x, [0, 3, 1, 2])), cols, false, true);
      return transpose(y, [0, 2, 3, 1]);
    }
    // Nearest: [N, d1, 1, d2, 1, …, C] broadcast to [N, d1, s1, d2, s2, …, C], then merged.
    const spread = [N, ...spatial.flatMap((d) => [d, 1]), C];
    const target = [N, ...spatial.flatMap((d, i) => [d, this.size[i]]), C];
    return reshape(broadcastTo(reshape(x, spread), target), [N, ...spatial.map((d, i) => d * this.size[i]), C]);
  }
  protected resize(d: number, axis: number): number {
    return d * this.size[axis];
  }
}

/** Up-sampling layer classes of rank 1, 2 and 3 (`hb.layers.upSampling2d` …). */
export const [UpSampling1D, UpSampling2D, UpSampling3D] = rankVariants('UpSampling', UpSampling);
export type UpSampling1D = UpSampling;
export type UpSampling2D = UpSampling;
export type UpSampling3D = UpSampling;
