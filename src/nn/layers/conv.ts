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
import { notBuiltError, type LayerInput, type WeightSpec } from '../layer.js';
import { is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { serializeOrNull } from '../serialization.js';
import type { CallArgs, Config, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { type BiasArgs, BiasedLayer, biasOptions, type KernelArgs } from './biased.js';
import {
  addParamWeight, argError, shapeOf, weightSpec, spatialOutput, intArg, knownDim, oneOf, type PaddingMode,
  requireSpatial, single, singleShape, tupleArg, weightConfig, weightParams, who, type WeightParams,
  rankVariants,
} from './common.js';

/** Arguments every convolution layer shares. */
export interface BaseConvArgs extends BiasArgs {
  kernelSize: number | number[];
  strides?: number | number[];
  dilationRate?: number | number[];
  activityRegularizer?: RegularizerIdentifier | null;
}

/** The options every convolution takes. */
const baseConvOptions: OwnOptions<BaseConvArgs> = {
  kernelSize: required(opt.sizes),
  strides: opt.sizes,
  dilationRate: opt.sizes,
  ...biasOptions,
  activityRegularizer: opt.regularizer,
};

/** Kernel size, strides, dilation, padding, activation and bias handling for every convolution. */
export abstract class ConvBase extends BiasedLayer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: PaddingMode | 'causal';

  constructor(args: BaseConvArgs & { padding?: string }, readonly rank: number, paddings: readonly string[]) {
    super(args);
    this.kernelSize = tupleArg(this, 'kernelSize', args.kernelSize, rank);
    this.strides = tupleArg(this, 'strides', args.strides ?? 1, rank);
    this.dilationRate = tupleArg(this, 'dilationRate', args.dilationRate ?? 1, rank);
    this.padding = oneOf(this, 'padding', args.padding ?? 'valid', paddings) as PaddingMode | 'causal';
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${who(this)} activityRegularizer`);
    this.inputSpec = { ndim: rank + 2 };
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

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      activityRegularizer: serializeOrNull(this.activityRegularizer),
    };
  }
}

/** Conv and ConvTranspose: `filters` output channels from one kernel (glorotUniform). */
export abstract class FilterConv extends ConvBase {
  readonly filters: number;
  readonly kernelParams: WeightParams;
  kernel: Variable | null = null;

  constructor(args: BaseConvArgs & KernelArgs & { filters: number; padding?: string }, rank: number, paddings: readonly string[]) {
    super(args, rank, paddings);
    this.filters = intArg(this, 'filters', args.filters);
    this.kernelParams = weightParams(this, 'kernel', args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint);
  }

  protected createKernels(specs: readonly WeightSpec[]): void {
    this.kernel = addParamWeight(this, 'kernel', shapeOf(specs, 'kernel'), this.kernelParams);
  }

  protected outputChannels(): number {
    return this.filters;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), filters: this.filters, ...weightConfig('kernel', this.kernelParams) };
  }
}

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
export abstract class Conv extends FilterConv {
  static override readonly options: OwnOptions<ConvArgs> = {
    ...baseConvOptions,
    filters: required(is.posInt),
    padding: is.oneOf('valid', 'same', 'causal'),
    groups: is.posInt,
    ...weightOptions('kernel'),
  };
  readonly groups: number;

  constructor(args: ConvArgs, rank: number) {
    super(args, rank, rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same']);
    this.groups = intArg(this, 'groups', args.groups ?? 1);
    if (this.filters % this.groups !== 0) throw argError(this, `filters (${this.filters}) must be divisible by groups (${this.groups})`);
  }

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

  override getConfig(): Config {
    return { ...super.getConfig(), groups: this.groups };
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
export abstract class ConvTranspose extends FilterConv {
  static override readonly options: OwnOptions<ConvTransposeArgs> = {
    ...baseConvOptions,
    filters: required(is.posInt),
    padding: is.oneOf('valid', 'same'),
    outputPadding: is.nullable(is.anyOf(is.nonNegInt, is.intArray)),
    ...weightOptions('kernel'),
  };
  readonly outputPadding: number[] | null;

  constructor(args: ConvTransposeArgs, rank: number) {
    super(args, rank, ['valid', 'same']);
    const op = args.outputPadding;
    this.outputPadding = op === undefined || op === null ? null : tupleArg(this, 'outputPadding', op, rank, 0);
    this.outputPadding?.forEach((p, i) => {
      if (p >= this.strides[i]) throw argError(this, `outputPadding ${JSON.stringify(this.outputPadding)} must be smaller than strides ${JSON.stringify(this.strides)}`);
    });
  }

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

  override getConfig(): Config {
    return { ...super.getConfig(), outputPadding: this.outputPadding };
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
export class DepthwiseConv2D extends ConvBase {
  static override readonly className = 'DepthwiseConv2D';
  static override readonly options: OwnOptions<DepthwiseConv2DArgs> = { ...baseConvOptions, padding: is.oneOf('valid', 'same'), depthMultiplier: is.posInt, ...weightOptions('depthwise') };
  readonly depthMultiplier: number;
  readonly depthwiseParams: WeightParams;
  depthwiseKernel: Variable | null = null;
  private channels: number | null = null;

  constructor(args: DepthwiseConv2DArgs) {
    super(args, 2, ['valid', 'same']);
    this.depthMultiplier = intArg(this, 'depthMultiplier', args.depthMultiplier ?? 1);
    this.depthwiseParams = weightParams(this, 'depthwise', args.depthwiseInitializer, 'glorotUniform', args.depthwiseRegularizer, args.depthwiseConstraint);
  }

  /** depthwise_kernel [kh, kw, C, m]; C·m output channels. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    return { kernels: [weightSpec('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier])], outChannels: channels * this.depthMultiplier };
  }

  protected createKernels(specs: readonly WeightSpec[]): void {
    const shape = shapeOf(specs, 'depthwise_kernel');
    this.channels = shape[2];
    this.depthwiseKernel = addParamWeight(this, 'depthwise_kernel', shape, this.depthwiseParams);
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

  override getConfig(): Config {
    return { ...super.getConfig(), depthMultiplier: this.depthMultiplier, ...weightConfig('depthwise', this.depthwiseParams) };
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
export class SeparableConv2D extends ConvBase {
  static override readonly className = 'SeparableConv2D';
  static override readonly options: OwnOptions<SeparableConv2DArgs> = {
    ...baseConvOptions,
    filters: required(is.posInt),
    padding: is.oneOf('valid', 'same'),
    depthMultiplier: is.posInt,
    ...weightOptions('depthwise'),
    ...weightOptions('pointwise'),
  };
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseParams: WeightParams;
  readonly pointwiseParams: WeightParams;
  depthwiseKernel: Variable | null = null;
  pointwiseKernel: Variable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, 2, ['valid', 'same']);
    this.filters = intArg(this, 'filters', args.filters);
    this.depthMultiplier = intArg(this, 'depthMultiplier', args.depthMultiplier ?? 1);
    this.depthwiseParams = weightParams(this, 'depthwise', args.depthwiseInitializer, 'glorotUniform', args.depthwiseRegularizer, args.depthwiseConstraint);
    this.pointwiseParams = weightParams(this, 'pointwise', args.pointwiseInitializer, 'glorotUniform', args.pointwiseRegularizer, args.pointwiseConstraint);
  }

  /** depthwise_kernel [kh, kw, C, m] then pointwise_kernel [1, 1, C·m, filters]. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    const m = this.depthMultiplier;
    return {
      kernels: [weightSpec('depthwise_kernel', [...this.kernelSize, channels, m]), weightSpec('pointwise_kernel', [1, 1, channels * m, this.filters])],
      outChannels: this.filters,
    };
  }

  protected createKernels(specs: readonly WeightSpec[]): void {
    this.depthwiseKernel = addParamWeight(this, 'depthwise_kernel', shapeOf(specs, 'depthwise_kernel'), this.depthwiseParams);
    this.pointwiseKernel = addParamWeight(this, 'pointwise_kernel', shapeOf(specs, 'pointwise_kernel'), this.pointwiseParams);
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

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      ...weightConfig('depthwise', this.depthwiseParams),
      ...weightConfig('pointwise', this.pointwiseParams),
    };
  }

}
registerLayer(SeparableConv2D);
