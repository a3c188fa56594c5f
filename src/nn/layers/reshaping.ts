// Layers that only move elements around; the batch axis is always kept.
//   Flatten       [N, d1, …, dk] → [N, d1·…·dk]
//   Reshape       [N, …] → [N, ...targetShape]   (one entry may be −1)
//   Permute       [N, …] → axes reordered by 1-based `dims` (the batch axis stays first)
//   RepeatVector  [N, F] → [N, n, F]
import { type Check, ShapeError } from '../../base/index.js';
import { broadcastTo, expandDims, reshape, transpose } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { ConfigurableLayer, type InputSpec, type LayerArgs, type LayerInput } from '../layer.js';
import { field, is, type OwnOptions, required } from '../options.js';
import { registerLayer } from '../registry.js';
import type { CallArgs, Shape } from '../types.js';
import { fmt, single, singleShape, who } from './common.js';

const product = (dims: readonly (number | null)[]): number | null => (dims.some((d) => d === null) ? null : dims.reduce<number>((p, d) => p * (d as number), 1));

/** A sample shape of positive sizes with at most one −1 (Reshape's targetShape). */
const targetShapeCheck: Check = (v) =>
  is.intArray(v) === null && (v as number[]).every((d) => d >= 1 || d === -1) && (v as number[]).filter((d) => d === -1).length <= 1
    ? null
    : 'a list of positive sizes with at most one -1';

/** A permutation of 1 … k (Permute's dims: 1-based, the batch axis excluded). */
const permutationCheck: Check = (v) => {
  const sorted = is.intArray(v) === null ? [...(v as number[])].sort((a, b) => a - b) : [];
  return sorted.length > 0 && sorted.every((d, i) => d === i + 1) ? null : 'a permutation of 1..k (1-based, the batch axis excluded)';
};

/** Flattens each sample: `[N, d1, d2, …] → [N, d1·d2·…]`. */
export class Flatten extends ConfigurableLayer {
  static override readonly className = 'Flatten';
  static override readonly options = {};
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (x.rank === 0) throw new ShapeError(`${who(this)}: needs an input with a batch axis, got a scalar`);
    return reshape(x, [x.shape[0], x.size / Math.max(x.shape[0], 1)]);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    return [shape[0], product(shape.slice(1))];
  }
}
registerLayer(Flatten);

/** Options of the {@link Reshape} layer (`hb.layers.reshape`): the `targetShape` without the batch axis. */
export interface ReshapeArgs extends LayerArgs {
  /** The shape of one sample; one entry may be −1 (inferred). */
  targetShape: number[];
}

/** Reshapes each sample to `targetShape` (one −1 is inferred). */
export class Reshape extends ConfigurableLayer<ReshapeArgs> {
  static override readonly className = 'Reshape';
  static override readonly options: OwnOptions<ReshapeArgs> = {
    targetShape: required(field(targetShapeCheck)),
  };
  declare readonly targetShape: number[];
  /** The sample shape for `sampleSize` elements per sample (null when unknown). */
  private resolveTarget(sampleSize: number | null, inputShape: readonly (number | null)[]): Shape {
    const known = this.targetShape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    if (sampleSize === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    const free = this.targetShape.includes(-1);
    if ((free && sampleSize % known !== 0) || (!free && sampleSize !== known)) {
      throw new ShapeError(`${who(this)}: cannot reshape input ${fmt(inputShape)} (${sampleSize} values per sample) into target shape ${fmt(this.targetShape)}`);
    }
    return this.targetShape.map((d) => (d === -1 ? sampleSize / known : d));
  }
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    const target = this.resolveTarget(x.size / Math.max(x.shape[0], 1), x.shape) as number[];
    return reshape(x, [x.shape[0], ...target]);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    return [shape[0], ...this.resolveTarget(product(shape.slice(1)), shape)];
  }
}
registerLayer(Reshape);

/** Options of the {@link Permute} layer (`hb.layers.permute`): `dims`, a 1-based permutation of the sample axes. */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1 … rank−1 (1-based, the batch axis excluded), e.g. [2, 1] swaps the two axes of [N, T, F]. */
  dims: number[];
}

/** Permutes the axes of each sample (the batch axis stays first). */
export class Permute extends ConfigurableLayer<PermuteArgs> {
  static override readonly className = 'Permute';
  static override readonly options: OwnOptions<PermuteArgs> = {
    dims: required(field(permutationCheck)),
  };
  declare readonly dims: number[];
  constructor(args: PermuteArgs) {
    super(args);
    this.inputSpec = { ndim: this.dims.length + 1 };
  }
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    return transpose(single(this, inputs), [0, ...this.dims]);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    if (shape.length !== this.dims.length + 1) throw new ShapeError(`${who(this)}: dims ${fmt(this.dims)} need an input of rank ${this.dims.length + 1}, got ${fmt(shape)}`);
    return [shape[0], ...this.dims.map((a) => shape[a])];
  }
}
registerLayer(Permute);

/** Options of the {@link RepeatVector} layer (`hb.layers.repeatVector`): the repeat count `n`. */
export interface RepeatVectorArgs extends LayerArgs {
  n: number;
}

/** `[N, F]` → `[N, n, F]`: the input repeated n times (to feed a vector to a recurrent decoder). */
export class RepeatVector extends ConfigurableLayer<RepeatVectorArgs> {
  static override readonly className = 'RepeatVector';
  static override readonly options: OwnOptions<RepeatVectorArgs> = { n: required(field(is.posInt)) };
  declare readonly n: number;
  override inputSpec: InputSpec | null = { ndim: 2 };
  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    return broadcastTo(expandDims(x, 1), [x.shape[0], this.n, x.shape[1]]);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    return [shape[0], this.n, shape[1]];
  }
}
registerLayer(RepeatVector);
