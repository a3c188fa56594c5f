// Pooling layers (no weights), channels-last.
//   MaxPooling1D/2D/3D, AveragePooling1D/2D/3D, SumPooling1D/2D/3D: windows of poolSize sliding
//     by strides (default poolSize); 'same' padding never lets padded positions into a max or an
//     average, and adds nothing to a sum.
//   GlobalAveragePooling1D/2D/3D, GlobalMaxPooling1D/2D/3D: [N, ...spatial, C] → [N, C]
//     (or [N, 1, …, 1, C] with keepDims), NIN's replacement for the dense head.
import {
  avgPool1d, avgPool2d, avgPool3d, max, maxPool1d, maxPool2d, maxPool3d, mean, type PoolOptions, sumPool1d, sumPool2d, sumPool3d,
} from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { ConfigurableLayer, type LayerArgs, type LayerInput } from '../layer.js';
import { is, type OwnOptions, opt } from '../options.js';
import type { CallArgs, Config, Shape } from '../types.js';
import { boolArg, spatialOutput, oneOf, requireSpatial, type PaddingMode, single, singleShape, tupleArg, rankVariants } from './common.js';


/** Options of the pooling layers: `poolSize`, `strides` (default poolSize) and `padding`. */
export interface PoolingArgs extends LayerArgs {
  /** Window size, one number or one per spatial axis (default 2). */
  poolSize?: number | number[];
  /** Step between windows (default: poolSize). */
  strides?: number | number[] | null;
  padding?: PaddingMode;
}

type PoolOp = (x: Tensor, opts: PoolOptions) => Tensor;

/** Windowed pooling over `dims` spatial axes with the pool op of that rank (ops[dims − 1]). */
export abstract class Pooling extends ConfigurableLayer {
  static override readonly options: OwnOptions<PoolingArgs> = { poolSize: opt.sizes, strides: is.nullable(opt.sizes), padding: is.oneOf('valid', 'same') };
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  private readonly op: PoolOp;
  constructor(args: PoolingArgs, private readonly dims: number, ops: readonly [PoolOp, PoolOp, PoolOp]) {
    super(args);
    this.op = ops[dims - 1];
    this.poolSize = tupleArg(this, 'poolSize', args.poolSize ?? 2, dims);
    this.strides = args.strides === undefined || args.strides === null ? [...this.poolSize] : tupleArg(this, 'strides', args.strides, dims);
    this.padding = oneOf(this, 'padding', args.padding ?? 'valid', ['valid', 'same'] as const);
    this.inputSpec = { ndim: dims + 2 };
  }
  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape); // a window that does not fit fails here, naming the layer
    this.built = true;
  }
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    return this.op(single(this, inputs), { poolSize: this.poolSize, strides: this.strides, padding: this.padding });
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    requireSpatial(this, s, this.dims);
    const spatial = spatialOutput(this, s, { window: this.poolSize, strides: this.strides, padding: this.padding });
    return [s[0], ...spatial, s[this.dims + 1]];
  }
  override getConfig(): Config {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

/** Max pooling layer classes of rank 1, 2 and 3 (`hb.layers.maxPooling2d` …). */
export const [MaxPooling1D, MaxPooling2D, MaxPooling3D] = rankVariants('MaxPooling', Pooling, '', [maxPool1d, maxPool2d, maxPool3d] as const);
/** The instance type of MaxPooling1D: a {@link Pooling} layer over `[N, L, C]` (`hb.layers.maxPooling1d`). */
export type MaxPooling1D = Pooling;
/** The instance type of MaxPooling2D: a {@link Pooling} layer over `[N, H, W, C]` (`hb.layers.maxPooling2d`). */
export type MaxPooling2D = Pooling;
/** The instance type of MaxPooling3D: a {@link Pooling} layer over `[N, D, H, W, C]` (`hb.layers.maxPooling3d`). */
export type MaxPooling3D = Pooling;
/** Average pooling layer classes of rank 1, 2 and 3 (`hb.layers.averagePooling2d` …). */
export const [AveragePooling1D, AveragePooling2D, AveragePooling3D] = rankVariants('AveragePooling', Pooling, '', [avgPool1d, avgPool2d, avgPool3d] as const);
/** The instance type of AveragePooling1D: a {@link Pooling} layer over `[N, L, C]` (`hb.layers.averagePooling1d`). */
export type AveragePooling1D = Pooling;
/** The instance type of AveragePooling2D: a {@link Pooling} layer over `[N, H, W, C]` (`hb.layers.averagePooling2d`). */
export type AveragePooling2D = Pooling;
/** The instance type of AveragePooling3D: a {@link Pooling} layer over `[N, D, H, W, C]` (`hb.layers.averagePooling3d`). */
export type AveragePooling3D = Pooling;
/** Sum pooling layer classes of rank 1, 2 and 3 (`hb.layers.sumPooling2d` …). */
export const [SumPooling1D, SumPooling2D, SumPooling3D] = rankVariants('SumPooling', Pooling, '', [sumPool1d, sumPool2d, sumPool3d] as const);
/** The instance type of SumPooling1D: a {@link Pooling} layer over `[N, L, C]` (`hb.layers.sumPooling1d`). */
export type SumPooling1D = Pooling;
/** The instance type of SumPooling2D: a {@link Pooling} layer over `[N, H, W, C]` (`hb.layers.sumPooling2d`). */
export type SumPooling2D = Pooling;
/** The instance type of SumPooling3D: a {@link Pooling} layer over `[N, D, H, W, C]` (`hb.layers.sumPooling3d`). */
export type SumPooling3D = Pooling;

/** Options of the global pooling layers: `keepDims` keeps the reduced axes as size 1. */
export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the spatial axes as size 1 (default false). */
  keepDims?: boolean;
}

type Reduce = (x: Tensor, axes: number[], keepDims: boolean) => Tensor;

/** A reduction over all `dims` spatial axes. */
export abstract class GlobalPooling extends ConfigurableLayer {
  static override readonly options: OwnOptions<GlobalPoolingArgs> = { keepDims: is.bool };
  readonly keepDims: boolean;
  constructor(args: GlobalPoolingArgs, private readonly dims: number, private readonly reduce: Reduce) {
    super(args);
    this.keepDims = boolArg(this, 'keepDims', args.keepDims, false);
    this.inputSpec = { ndim: dims + 2 };
  }
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    return this.reduce(single(this, inputs), Array.from({ length: this.dims }, (_, i) => i + 1), this.keepDims);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(this, inputShape);
    const dims = this.dims;
    requireSpatial(this, s, dims);
    return this.keepDims ? [s[0], ...new Array<number>(dims).fill(1), s[dims + 1]] : [s[0], s[dims + 1]];
  }
  override getConfig(): Config {
    return { ...super.getConfig(), keepDims: this.keepDims };
  }
}

const meanOver: Reduce = (x, axes, keepDims) => mean(x, axes, keepDims);
const maxOver: Reduce = (x, axes, keepDims) => max(x, axes, keepDims);

/** Global average pooling layer classes of rank 1, 2 and 3: the mean over all spatial axes. */
export const [GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D] = rankVariants('GlobalAveragePooling', GlobalPooling, '', meanOver);
/** The instance type of GlobalAveragePooling1D: a {@link GlobalPooling} layer over `[N, L, C]` (`hb.layers.globalAveragePooling1d`). */
export type GlobalAveragePooling1D = GlobalPooling;
/** The instance type of GlobalAveragePooling2D: a {@link GlobalPooling} layer over `[N, H, W, C]` (`hb.layers.globalAveragePooling2d`). */
export type GlobalAveragePooling2D = GlobalPooling;
/** The instance type of GlobalAveragePooling3D: a {@link GlobalPooling} layer over `[N, D, H, W, C]` (`hb.layers.globalAveragePooling3d`). */
export type GlobalAveragePooling3D = GlobalPooling;
/** Global max pooling layer classes of rank 1, 2 and 3: the maximum over all spatial axes. */
export const [GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D] = rankVariants('GlobalMaxPooling', GlobalPooling, '', maxOver);
/** The instance type of GlobalMaxPooling1D: a {@link GlobalPooling} layer over `[N, L, C]` (`hb.layers.globalMaxPooling1d`). */
export type GlobalMaxPooling1D = GlobalPooling;
/** The instance type of GlobalMaxPooling2D: a {@link GlobalPooling} layer over `[N, H, W, C]` (`hb.layers.globalMaxPooling2d`). */
export type GlobalMaxPooling2D = GlobalPooling;
/** The instance type of GlobalMaxPooling3D: a {@link GlobalPooling} layer over `[N, D, H, W, C]` (`hb.layers.globalMaxPooling3d`). */
export type GlobalMaxPooling3D = GlobalPooling;
