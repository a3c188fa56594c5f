// Convolution layers, channels-last. Each is a thin wrapper over the conv op of the same name.
//   Conv1D/2D/3D          x [N, ...spatial, C] ⋆ kernel [...k, C/groups, filters] + bias [filters]
//   Conv1D/2D/3DTranspose x [N, ...spatial, C] → [N, ...spatial', filters], kernel [...k, filters, C]
//   DepthwiseConv2D       kernel [kh, kw, C, depthMultiplier] → C·depthMultiplier channels
//   SeparableConv2D       depthwise [kh, kw, C, m], then pointwise [1, 1, C·m, filters]
// Output size per axis ('valid'): ⌊(n − ((k − 1)·d + 1)) / s⌋ + 1; ('same', 'causal'): ⌈n / s⌉.
// Parameter count of a convolution: ∏k · C/groups · filters + filters.
import { ShapeError } from '../../base/index.js';
import { transposedOutputShape } from '../../ops/geometry.js';
import {
  add, conv1d, conv1dTranspose, conv2d, conv2dTranspose, conv3d, conv3dTranspose, depthwiseConv2d, separableConv2d,
  type ConvOptions, type Padding,
} from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { type ActivationName, getActivation, normalizeActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, notBuiltError, type LayerArgs, type LayerInput, type WeightSpec } from '../layer.js';
import { is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { serializeOrNull } from '../serialization.js';
import type { CallArgs, Config, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import {
  addParamWeight, argError, shapeOf, weightSpec, boolArg, spatialOutput, fmt, intArg, knownDim, oneOf, type PaddingMode,
  single, singleShape, tupleArg, weightConfig, weightParams, who, type WeightParams,
  rankVariants,
} from './common.js';

const LAYOUTS = ['', '[N, L, C]', '[N, H, W, C]', '[N, D, H, W, C]'];

/** Arguments every convolution layer shares. */
export interface BaseConvArgs extends LayerArgs {
  kernelSize: number | number[];
  strides?: number | number[];
  dilationRate?: number | number[];
  activation?: ActivationName | null;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
}

/** The options every convolution takes. */
const baseConvOptions: OwnOptions<BaseConvArgs> = {
  kernelSize: required(opt.sizes),
  strides: opt.sizes,
  dilationRate: opt.sizes,
  activation: opt.activation,
  useBias: is.bool,
  ...weightOptions('bias'),
  activityRegularizer: opt.regularizer,
};

/** Kernel size, strides, dilation, padding, activation and bias handling for every convolution. */
export abstract class ConvBase extends ConfigurableLayer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: PaddingMode | 'causal';
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly biasParams: WeightParams;
  bias: Variable | null = null;

  constructor(args: BaseConvArgs & { padding?: string }, readonly rank: number, paddings: readonly string[]) {
    super(args);
    this.kernelSize = tupleArg(this, 'kernelSize', args.kernelSize, rank);
    this.strides = tupleArg(this, 'strides', args.strides ?? 1, rank);
    this.dilationRate = tupleArg(this, 'dilationRate', args.dilationRate ?? 1, rank);
    this.padding = oneOf(this, 'padding', args.padding ?? 'valid', paddings) as PaddingMode | 'causal';
    this.activation = normalizeActivation(args.activation, who(this));
    this.useBias = boolArg(this, 'useBias', args.useBias, true);
    this.biasParams = weightParams(this, 'bias', args.biasInitializer, 'zeros', args.biasRegularizer, args.biasConstraint);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${who(this)} activityRegularizer`);
    this.inputSpec = { ndim: rank + 2 };
  }

  protected checkShape(shape: readonly (number | null)[]): void {
    if (shape.length !== this.rank + 2) throw new ShapeError(`${who(this)}: expected input ${LAYOUTS[this.rank]} (rank ${this.rank + 2}), got ${fmt(shape)}`);
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

  protected finish(y: Tensor): Tensor {
    const withBias = this.bias ? add(y, this.bias.value) : y;
    return getActivation(this.activation)(withBias);
  }

  /** The kernels for `channels` input channels (names and shapes), and the output channel count. */
  protected abstract kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number };
  /** Creates the kernel weights from their specs. */
  protected abstract createKernels(specs: readonly WeightSpec[]): void;

  /** The kernels, then bias [outChannels]; checks the rank, the window fit and the channels. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const shape = singleShape(this, inputShape);
    this.checkShape(shape);
    this.outputSpatial(shape); // a window that does not fit fails here, naming the layer
    const { kernels, outChannels } = this.kernelShapes(knownDim(this, shape, -1, 'channel count'));
    return [...kernels, ...(this.useBias ? [weightSpec('bias', [outChannels])] : [])];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(this, inputShape);
    const specs = this.weightShapes(shape);
    this.createKernels(specs);
    if (this.useBias) this.bias = addParamWeight(this, 'bias', shapeOf(specs, 'bias'), this.biasParams);
    this.inputSpec = { ndim: this.rank + 2, axes: { [-1]: shape[shape.length - 1] as number } };
    this.built = true;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      activation: this.activation,
      useBias: this.useBias,
      ...weightConfig('bias', this.biasParams),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
    };
  }
}

/** Options of the convolution layers `conv1d`, `conv2d`, `conv3d`: the shared ones plus `filters` and `groups`. */
export interface ConvArgs extends BaseConvArgs {
  /** Number of output channels (kernels). */
  filters: number;
  /** 'valid' (default), 'same', or for Conv1D also 'causal' (output t sees inputs ≤ t only). */
  padding?: 'valid' | 'same' | 'causal';
  /** Split the channels into this many independent groups (AlexNet's grouped convolution). */
  groups?: number;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

const CONV_OPS = [conv1d, conv1d, conv2d, conv3d] as const;

/**
 * A convolution layer of any rank; {@link Conv1D}, {@link Conv2D} and {@link Conv3D} are its 1-, 2- and 3-D classes.
 */
export abstract class Conv extends ConvBase {
  static override readonly options: OwnOptions<ConvArgs> = {
    ...baseConvOptions,
    filters: required(is.posInt),
    padding: is.oneOf('valid', 'same', 'causal'),
    groups: is.posInt,
    ...weightOptions('kernel'),
  };
  readonly filters: number;
  readonly groups: number;
  readonly kernelParams: WeightParams;
  kernel: Variable | null = null;

  constructor(args: ConvArgs, rank: number) {
    super(args, rank, rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same']);
    this.filters = intArg(this, 'filters', args.filters);
    this.groups = intArg(this, 'groups', args.groups ?? 1);
    if (this.filters % this.groups !== 0) throw argError(this, `filters (${this.filters}) must be divisible by groups (${this.groups})`);
    this.kernelParams = weightParams(this, 'kernel', args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint);
  }

  /** kernel [...k, C/groups, filters]. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    if (channels % this.groups !== 0) throw new ShapeError(`${who(this)}: input channels ${channels} are not divisible by groups ${this.groups}`);
    return { kernels: [weightSpec('kernel', [...this.kernelSize, channels / this.groups, this.filters])], outChannels: this.filters };
  }

  protected createKernels(specs: readonly WeightSpec[]): void {
    this.kernel = addParamWeight(this, 'kernel', shapeOf(specs, 'kernel'), this.kernelParams);
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.kernel) throw notBuiltError(this);
    const opts: ConvOptions = { strides: this.strides, padding: this.opPadding(), dilation: this.dilationRate, groups: this.groups };
    return this.finish(CONV_OPS[this.rank](x, this.kernel.value, opts));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    this.checkShape(shape);
    const spatial = this.outputSpatial(shape);
    return [shape[0], ...spatial, this.filters];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), filters: this.filters, groups: this.groups, ...weightConfig('kernel', this.kernelParams) };
  }
}

/**
 * The convolution layer classes over `[N, L, C]`, `[N, H, W, C]` and `[N, D, H, W, C]` (`hb.layers.conv1d/2d/3d` build
 * them).
 */
export const [Conv1D, Conv2D, Conv3D] = rankVariants('Conv', Conv);
/** The instance type of Conv1D: a {@link Conv} layer over `[N, L, C]` (`hb.layers.conv1d`). */
export type Conv1D = Conv;
/** The instance type of Conv2D: a {@link Conv} layer over `[N, H, W, C]` (`hb.layers.conv2d`). */
export type Conv2D = Conv;
/** The instance type of Conv3D: a {@link Conv} layer over `[N, D, H, W, C]` (`hb.layers.conv3d`). */
export type Conv3D = Conv;

/** Options of the transposed convolution layers `conv1dTranspose`, `conv2dTranspose`, `conv3dTranspose`. */
export interface ConvTransposeArgs extends BaseConvArgs {
  filters: number;
  padding?: 'valid' | 'same';
  /** Extra rows/columns on the far side of the output (each < its stride), to pick among the output sizes a stride allows. */
  outputPadding?: number | number[] | null;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

const TRANSPOSE_OPS = [conv1dTranspose, conv1dTranspose, conv2dTranspose, conv3dTranspose] as const;

/** The transposed ("fractionally strided") convolution, used to up-sample (DCGAN's generator). */
export abstract class ConvTranspose extends ConvBase {
  static override readonly options: OwnOptions<ConvTransposeArgs> = {
    ...baseConvOptions,
    filters: required(is.posInt),
    padding: is.oneOf('valid', 'same'),
    outputPadding: is.nullable(is.anyOf(is.nonNegInt, is.intArray)),
    ...weightOptions('kernel'),
  };
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelParams: WeightParams;
  kernel: Variable | null = null;

  constructor(args: ConvTransposeArgs, rank: number) {
    super(args, rank, ['valid', 'same']);
    this.filters = intArg(this, 'filters', args.filters);
    const op = args.outputPadding;
    this.outputPadding = op === undefined || op === null ? null : tupleArg(this, 'outputPadding', op, rank, 0);
    this.outputPadding?.forEach((p, i) => {
      if (p >= this.strides[i]) throw argError(this, `outputPadding ${JSON.stringify(this.outputPadding)} must be smaller than strides ${JSON.stringify(this.strides)}`);
    });
    this.kernelParams = weightParams(this, 'kernel', args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint);
  }

  /** Kernel [...k, out, in]: the layout of the convolution this one is the transpose of. */
  protected kernelShapes(channels: number): { kernels: WeightSpec[]; outChannels: number } {
    return { kernels: [weightSpec('kernel', [...this.kernelSize, this.filters, channels])], outChannels: this.filters };
  }

  protected createKernels(specs: readonly WeightSpec[]): void {
    this.kernel = addParamWeight(this, 'kernel', shapeOf(specs, 'kernel'), this.kernelParams);
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

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    this.checkShape(shape);
    return [shape[0], ...this.outputSpatial(shape), this.filters];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), filters: this.filters, outputPadding: this.outputPadding, ...weightConfig('kernel', this.kernelParams) };
  }
}

/** The transposed convolution layer classes of rank 1, 2 and 3 (`hb.layers.conv2dTranspose` …). */
export const [Conv1DTranspose, Conv2DTranspose, Conv3DTranspose] = rankVariants('Conv', ConvTranspose, 'Transpose');
/** The instance type of Conv1DTranspose: a {@link ConvTranspose} layer over `[N, L, C]` (`hb.layers.conv1dTranspose`). */
export type Conv1DTranspose = ConvTranspose;
/** The instance type of Conv2DTranspose: a {@link ConvTranspose} layer over `[N, H, W, C]` (`hb.layers.conv2dTranspose`). */
export type Conv2DTranspose = ConvTranspose;
/** The instance type of Conv3DTranspose: a {@link ConvTranspose} layer over `[N, D, H, W, C]` (`hb.layers.conv3dTranspose`). */
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

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    this.checkShape(shape);
    const spatial = this.outputSpatial(shape);
    const c = shape[3] ?? this.channels;
    return [shape[0], ...spatial, c === null ? null : c * this.depthMultiplier];
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

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    this.checkShape(shape);
    const spatial = this.outputSpatial(shape);
    return [shape[0], ...spatial, this.filters];
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
