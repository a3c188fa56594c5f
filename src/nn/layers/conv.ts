// Convolution layers, channels-last. Each is a thin wrapper over the conv op of the same name.
//   Conv1D/2D/3D          x [N, ...spatial, C] ⋆ kernel [...k, C/groups, filters] + bias [filters]
//   Conv1D/2D/3DTranspose x [N, ...spatial, C] → [N, ...spatial', filters], kernel [...k, filters, C]
//   DepthwiseConv2D       kernel [kh, kw, C, depthMultiplier] → C·depthMultiplier channels
//   SeparableConv2D       depthwise [kh, kw, C, m], then pointwise [1, 1, C·m, filters]
// Output size per axis ('valid'): ⌊(n − ((k − 1)·d + 1)) / s⌋ + 1; ('same', 'causal'): ⌈n / s⌉.
// Parameter count of a convolution: ∏k · C/groups · filters + filters.
import { ShapeError } from '../../base/index.js';
import { isFusedActivation } from '../../ops/fused.js';
import { transposedOutputShape } from '../../ops/geometry.js';
import {
  conv1d, conv1dTranspose, conv2d, conv2dTranspose, conv3d, conv3dTranspose, depthwiseConv2d, fusedConv, separableConv2d,
  type ConvOptions, type Padding,
} from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { type InputSpec, notBuiltError, type LayerInput, type WeightSpec } from '../layer.js';
import { field, is, type OwnOptions, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { type BiasArgs, BiasedLayer, biasOptions, type KernelArgs } from './biased.js';
import {
  activityRegularizerField, argError, knownDim, oneOf, type PaddingMode, rankOf, rankVariants, requireSpatial, shapeOf, single, singleShape,
  sizesField, spatialOutput, tupleArg, weightSpec, who,
} from './common.js';

/** Arguments every convolution layer shares. */
export interface BaseConvArgs extends BiasArgs {
  kernelSize: number | number[];
  strides?: number | number[];
  dilationRate?: number | number[];
  activityRegularizer?: RegularizerIdentifier | null;
}

/** The options every convolution takes; each is kept, the sizes as one per spatial axis. */
const baseConvOptions: OwnOptions<BaseConvArgs> = {
  kernelSize: required(sizesField()),
  strides: sizesField(1),
  dilationRate: sizesField(1),
  ...biasOptions,
  activityRegularizer: activityRegularizerField,
};

/** 'valid' or 'same' (default 'valid'). */
const paddingField = field(is.oneOf('valid', 'same'), 'valid');

/**
 * Kernel size, strides, dilation, padding, activation and bias handling for every convolution; the spatial rank is the
 * class's (`static rank`, see rankVariants).
 */
export abstract class ConvBase<A extends BaseConvArgs = BaseConvArgs> extends BiasedLayer<A> {
  declare readonly kernelSize: number[];
  declare readonly strides: number[];
  declare readonly dilationRate: number[];
  declare readonly padding: PaddingMode | 'causal';
  override inputSpec: InputSpec | null = { ndim: this.rank + 2 };

  /** The number of spatial axes. */
  get rank(): number {
    return rankOf(this);
  }

  protected checkShape(shape: readonly (number | null)[]): void {
    requireSpatial(this, shape, this.rank);
  }

  /** The padding as the op takes it: 'causal' pads (k − 1)·d zeros before the sequence only. */
  protected opPadding(): Padding {
    if (this.padding === 'causal') return [[(this.kernelSize[0] - 1) * this.dilationRate[0], 0]];
    return this.padding;
  }

  /** Output spatial sizes for input `shape` (ops/geometry.ts's rule; a ShapeError naming the layer when the window does not fit). */
  protected outputSpatial(shape: Shape): (number | null)[] {
    return spatialOutput(this, shape, { window: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding });
  }

  /** The kernels for `channels` input channels (names and shapes), and the output channel count. */
  protected abstract kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number };
  /** Creates the kernel weights from their specs. */
  protected abstract createKernels(specs: readonly WeightSpec[]): void;
  /** The output channel count for `channels` input channels (null: unknown). */
  protected abstract outputChannels(channels: number | null): number | null;

  /** The kernels, then bias [outChannels]; checks the rank, the window fit and the channels. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const shape = singleShape(this, inputShape);
    this.checkShape(shape);
    this.outputSpatial(shape); // a window that does not fit fails here, naming the layer
    const { kernels, outChannels } = this.kernelShapes(knownDim(this, shape, -1, 'channel count'));
    return [...kernels, ...this.biasSpecs(outChannels)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(this, inputShape);
    const specs = this.weightShapes(shape);
    this.createKernels(specs);
    this.buildBias(specs);
    this.inputSpec = { ndim: this.rank + 2, axes: { [-1]: shape[shape.length - 1] as number } };
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    this.checkShape(shape);
    return [shape[0], ...this.outputSpatial(shape), this.outputChannels(shape[shape.length - 1])];
  }
}

/** Conv and ConvTranspose: `filters` output channels from one kernel (glorotUniform). */
export abstract class FilterConv<A extends BaseConvArgs & KernelArgs & { filters: number } = BaseConvArgs & KernelArgs & { filters: number }> extends ConvBase<A> {
  declare readonly filters: number;
  kernel: Variable | null = null;

  protected createKernels(specs: readonly WeightSpec[]): void {
    this.kernel = this.addKeptWeight('kernel', shapeOf(specs, 'kernel'));
  }

  protected outputChannels(): number {
    return this.filters;
  }
}

/** The options of a convolution with `filters` output channels from one kernel (glorotUniform). */
const filterOptions = { filters: required(field(is.posInt)), ...weightOptions('kernel', 'glorotUniform') };

/** Options of the convolution layers `conv1d`, `conv2d`, `conv3d`: the shared ones plus `filters`, `padding` and `groups`. */
export interface ConvArgs extends BaseConvArgs, KernelArgs {
  /** Number of output channels (kernels). */
  filters: number;
  /** 'valid' (default), 'same', or for Conv1D also 'causal' (output t sees inputs ≤ t only). */
  padding?: 'valid' | 'same' | 'causal';
  /** Split the channels into this many independent groups (AlexNet's grouped convolution). */
  groups?: number;
}

const CONV_OPS = [conv1d, conv1d, conv2d, conv3d] as const;

/**
 * A convolution layer of any rank; {@link Conv1D}, {@link Conv2D} and {@link Conv3D} are its 1-, 2- and 3-D classes.
 */
export abstract class Conv extends FilterConv<ConvArgs> {
  static override readonly options: OwnOptions<ConvArgs> = {
    ...baseConvOptions,
    ...filterOptions,
    // 'causal' is for Conv1D only.
    padding: field(is.oneOf('valid', 'same', 'causal'), 'valid', (v, layer, _args, key) => (rankOf(layer) === 1 ? v : oneOf(layer, key, v, ['valid', 'same']))),
    groups: field(is.posInt, 1, (v, layer, args) => {
      if ((args.filters as number) % (v as number) !== 0) throw argError(layer, `filters (${args.filters as number}) must be divisible by groups (${v as number})`);
      return v;
    }),
  };
  declare readonly groups: number;

  /** kernel [...k, C/groups, filters]. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    if (channels % this.groups !== 0) throw new ShapeError(`${who(this)}: input channels ${channels} are not divisible by groups ${this.groups}`);
    return { kernels: [weightSpec('kernel', [...this.kernelSize, channels / this.groups, this.filters])], outChannels: this.filters };
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.kernel) throw notBuiltError(this);
    const opts: ConvOptions = { strides: this.strides, padding: this.opPadding(), dilation: this.dilationRate, groups: this.groups };
    // One fused kernel in inference where the backend has it (src/ops/fused.ts).
    if (isFusedActivation(this.activation)) return fusedConv(x, this.kernel.value, this.rank, opts, this.bias?.value ?? null, this.activation);
    return this.finish(CONV_OPS[this.rank](x, this.kernel.value, opts));
  }
}

/**
 * The convolution layer classes over `[N, L, C]`, `[N, H, W, C]` and `[N, D, H, W, C]` (`hb.layers.conv1d/2d/3d` build
 * them).
 */
export const [Conv1D, Conv2D, Conv3D] = rankVariants('Conv', Conv);
export type Conv1D = Conv;
export type Conv2D = Conv;
export type Conv3D = Conv;

/** Options of the transposed convolution layers `conv1dTranspose`, `conv2dTranspose`, `conv3dTranspose`. */
export interface ConvTransposeArgs extends BaseConvArgs, KernelArgs {
  filters: number;
  padding?: 'valid' | 'same';
  /** Extra rows/columns on the far side of the output (each < its stride), to pick among the output sizes a stride allows. */
  outputPadding?: number | number[] | null;
}

const TRANSPOSE_OPS = [conv1dTranspose, conv1dTranspose, conv2dTranspose, conv3dTranspose] as const;

/** The transposed ("fractionally strided") convolution, used to up-sample (DCGAN's generator). */
export abstract class ConvTranspose extends FilterConv<ConvTransposeArgs> {
  static override readonly options: OwnOptions<ConvTransposeArgs> = {
    ...baseConvOptions,
    ...filterOptions,
    padding: paddingField,
    outputPadding: field(is.nullable(is.anyOf(is.nonNegInt, is.intArray)), null, (op, layer, _args, key) => {
      if (op === null) return null;
      const pads = tupleArg(layer, key, op, rankOf(layer), 0);
      const strides = (layer as ConvTranspose).strides;
      if (pads.some((p, i) => p >= strides[i])) throw argError(layer, `outputPadding ${JSON.stringify(pads)} must be smaller than strides ${JSON.stringify(strides)}`);
      return pads;
    }),
  };
  declare readonly outputPadding: number[] | null;

  /** Kernel [...k, out, in]: the layout of the convolution this one is the transpose of. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    return { kernels: [weightSpec('kernel', [...this.kernelSize, this.filters, channels])], outChannels: this.filters };
  }

  protected override outputSpatial(shape: Shape): (number | null)[] {
    const g = { window: this.kernelSize, strides: this.strides, dilation: this.dilationRate, padding: this.padding as PaddingMode, outputPadding: this.outputPadding };
    return transposedOutputShape(who(this), shape.slice(1, -1), g, shape);
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.kernel) throw notBuiltError(this);
    const outputShape = this.outputSpatial([...x.shape]) as number[];
    const y = TRANSPOSE_OPS[this.rank](x, this.kernel.value, { strides: this.strides, padding: this.padding as PaddingMode, dilation: this.dilationRate, outputShape });
    return this.finish(y);
  }
}

/** The transposed convolution layer classes of rank 1, 2 and 3 (`hb.layers.conv2dTranspose` …). */
export const [Conv1DTranspose, Conv2DTranspose, Conv3DTranspose] = rankVariants('Conv', ConvTranspose, 'Transpose');
export type Conv1DTranspose = ConvTranspose;
export type Conv2DTranspose = ConvTranspose;
export type Conv3DTranspose = ConvTranspose;

/** Options of the {@link DepthwiseConv2D} layer (`hb.layers.depthwiseConv2d`). */
export interface DepthwiseConv2DArgs extends BaseConvArgs {
  padding?: 'valid' | 'same';
  /** Filters per input channel (default 1); the output has C·depthMultiplier channels. */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
}

/** Each input channel convolved with its own filters (MobileNet's cheap spatial convolution). */
export class DepthwiseConv2D extends ConvBase<DepthwiseConv2DArgs> {
  static override readonly className = 'DepthwiseConv2D';
  static readonly rank = 2;
  static override readonly options: OwnOptions<DepthwiseConv2DArgs> = {
    ...baseConvOptions,
    padding: paddingField,
    depthMultiplier: field(is.posInt, 1),
    ...weightOptions('depthwise', 'glorotUniform'),
  };
  declare readonly depthMultiplier: number;
  depthwiseKernel: Variable | null = null;
  private channels: number | null = null;

  /** depthwise_kernel [kh, kw, C, m]; C·m output channels. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    return { kernels: [weightSpec('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier])], outChannels: channels * this.depthMultiplier };
  }

  protected createKernels(specs: readonly WeightSpec[]): void {
    const shape = shapeOf(specs, 'depthwise_kernel');
    this.channels = shape[2];
    this.depthwiseKernel = this.addKeptWeight('depthwise_kernel', shape, 'depthwise');
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.depthwiseKernel) throw notBuiltError(this);
    return this.finish(depthwiseConv2d(x, this.depthwiseKernel.value, { strides: this.strides, padding: this.padding as PaddingMode, dilation: this.dilationRate }));
  }

  protected outputChannels(channels: number | null): number | null {
    const c = channels ?? this.channels;
    return c === null ? null : c * this.depthMultiplier;
  }
}
registerLayer(DepthwiseConv2D);

/** Options of the {@link SeparableConv2D} layer (`hb.layers.separableConv2d`). */
export interface SeparableConv2DArgs extends BaseConvArgs {
  filters: number;
  padding?: 'valid' | 'same';
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
}

/** Depthwise convolution followed by a 1×1 convolution mixing the channels (Xception, MobileNet). */
export class SeparableConv2D extends ConvBase<SeparableConv2DArgs> {
  static override readonly className = 'SeparableConv2D';
  static readonly rank = 2;
  static override readonly options: OwnOptions<SeparableConv2DArgs> = {
    ...baseConvOptions,
    filters: required(field(is.posInt)),
    padding: paddingField,
    depthMultiplier: field(is.posInt, 1),
    ...weightOptions('depthwise', 'glorotUniform'),
    ...weightOptions('pointwise', 'glorotUniform'),
  };
  declare readonly filters: number;
  declare readonly depthMultiplier: number;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;

  /** depthwise_kernel [kh, kw, C, m] then pointwise_kernel [1, 1, C·m, filters]. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    const m = this.depthMultiplier;
    return {
      kernels: [weightSpec('depthwise_kernel', [...this.kernelSize, channels, m]), weightSpec('pointwise_kernel', [1, 1, channels * m, this.filters])],
      outChannels: this.filters,
    };
  }

  protected createKernels(specs: readonly WeightSpec[]): void {
    this.depthwiseKernel = this.addKeptWeight('depthwise_kernel', shapeOf(specs, 'depthwise_kernel'), 'depthwise');
    this.pointwiseKernel = this.addKeptWeight('pointwise_kernel', shapeOf(specs, 'pointwise_kernel'), 'pointwise');
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.depthwiseKernel || !this.pointwiseKernel) throw notBuiltError(this);
    const opts = { strides: this.strides, padding: this.padding as PaddingMode, dilation: this.dilationRate };
    return this.finish(separableConv2d(x, this.depthwiseKernel.value, this.pointwiseKernel.value, opts));
  }

  protected outputChannels(): number {
    return this.filters;
  }
}
registerLayer(SeparableConv2D);
