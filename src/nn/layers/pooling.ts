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
import { registerLayer } from '../registry.js';
import type { CallArgs, Config, Shape } from '../types.js';
import { boolArg, spatialOutput, fmt, oneOf, type PaddingMode, single, singleShape, tupleArg, who } from './common.js';
import { ShapeError } from '../../base/index.js';

const LAYOUTS = ['', '[N, L, C]', '[N, H, W, C]', '[N, D, H, W, C]'];

export interface PoolingArgs extends LayerArgs {
  /** Window size, one number or one per spatial axis (default 2). */
  poolSize?: number | number[];
  /** Step between windows (default: poolSize). */
  strides?: number | number[] | null;
  padding?: PaddingMode;
}

type PoolOp = (x: Tensor, opts: PoolOptions) => Tensor;

/** Windowed pooling over `dims` spatial axes with the pool op `op`. */
abstract class Pooling extends ConfigurableLayer {
  static override readonly options: OwnOptions<PoolingArgs> = { poolSize: opt.sizes, strides: is.nullable(opt.sizes), padding: is.oneOf('valid', 'same') };
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  constructor(args: PoolingArgs, private readonly dims: number, private readonly op: PoolOp) {
    super(args);
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
    if (s.length !== this.dims + 2) throw new ShapeError(`${who(this)}: expected input ${LAYOUTS[this.dims]} (rank ${this.dims + 2}), got ${fmt(s)}`);
    const spatial = spatialOutput(this, s, { window: this.poolSize, strides: this.strides, padding: this.padding });
    return [s[0], ...spatial, s[this.dims + 1]];
  }
  override getConfig(): Config {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

export class MaxPooling1D extends Pooling {
  static override readonly className = 'MaxPooling1D';
  constructor(args: PoolingArgs = {}) {
    super(args, 1, maxPool1d);
  }
}
export class MaxPooling2D extends Pooling {
  static override readonly className = 'MaxPooling2D';
  constructor(args: PoolingArgs = {}) {
    super(args, 2, maxPool2d);
  }
}
export class MaxPooling3D extends Pooling {
  static override readonly className = 'MaxPooling3D';
  constructor(args: PoolingArgs = {}) {
    super(args, 3, maxPool3d);
  }
}
export class AveragePooling1D extends Pooling {
  static override readonly className = 'AveragePooling1D';
  constructor(args: PoolingArgs = {}) {
    super(args, 1, avgPool1d);
  }
}
export class AveragePooling2D extends Pooling {
  static override readonly className = 'AveragePooling2D';
  constructor(args: PoolingArgs = {}) {
    super(args, 2, avgPool2d);
  }
}
export class AveragePooling3D extends Pooling {
  static override readonly className = 'AveragePooling3D';
  constructor(args: PoolingArgs = {}) {
    super(args, 3, avgPool3d);
  }
}
export class SumPooling1D extends Pooling {
  static override readonly className = 'SumPooling1D';
  constructor(args: PoolingArgs = {}) {
    super(args, 1, sumPool1d);
  }
}
export class SumPooling2D extends Pooling {
  static override readonly className = 'SumPooling2D';
  constructor(args: PoolingArgs = {}) {
    super(args, 2, sumPool2d);
  }
}
export class SumPooling3D extends Pooling {
  static override readonly className = 'SumPooling3D';
  constructor(args: PoolingArgs = {}) {
    super(args, 3, sumPool3d);
  }
}
for (const cls of [MaxPooling1D, MaxPooling2D, MaxPooling3D, AveragePooling1D, AveragePooling2D, AveragePooling3D, SumPooling1D, SumPooling2D, SumPooling3D]) registerLayer(cls);

export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the spatial axes as size 1 (default false). */
  keepDims?: boolean;
}

type Reduce = (x: Tensor, axes: number[], keepDims: boolean) => Tensor;

/** A reduction over all `dims` spatial axes. */
abstract class GlobalPooling extends ConfigurableLayer {
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
    if (s.length !== dims + 2) throw new ShapeError(`${who(this)}: expected input ${LAYOUTS[dims]} (rank ${dims + 2}), got ${fmt(s)}`);
    return this.keepDims ? [s[0], ...new Array<number>(dims).fill(1), s[dims + 1]] : [s[0], s[dims + 1]];
  }
  override getConfig(): Config {
    return { ...super.getConfig(), keepDims: this.keepDims };
  }
}

const meanOver: Reduce = (x, axes, keepDims) => mean(x, axes, keepDims);
const maxOver: Reduce = (x, axes, keepDims) => max(x, axes, keepDims);

export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, meanOver);
  }
}
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, meanOver);
  }
}
export class GlobalAveragePooling3D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling3D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 3, meanOver);
  }
}
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1, maxOver);
  }
}
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2, maxOver);
  }
}
export class GlobalMaxPooling3D extends GlobalPooling {
  static override readonly className = 'GlobalMaxPooling3D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 3, maxOver);
  }
}
for (const cls of [GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D]) registerLayer(cls);
