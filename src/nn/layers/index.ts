/**
 * Layer factories (`hb.layers.dense({ units: 10, activation: 'relu' })`) and the layer classes: core, convolution,
 * pooling, normalisation, dropout and noise, recurrent, merging, reshaping, capsules and graph convolution.
 * @module
 */
// `hb.layers`: one factory per layer (`hb.layers.dense({ units: 10 })`), plus the classes
// themselves for subclassing and `instanceof`. Importing this module registers every class for
// deserializeLayer.
import type { LayerArgs } from '../layer.js';
import {
  Activation, type ActivationArgs, ELU, type ELUArgs, LeakyReLU, type LeakyReLUArgs, PReLU, type PReLUArgs, ReLU, type ReLUArgs, Softmax, type SoftmaxArgs,
  ThresholdedReLU, type ThresholdedReLUArgs,
} from './activation.js';
import { Capsule, type CapsuleArgs, CapsuleLength, type CapsuleLengthArgs, CapsuleMask, PrimaryCaps, type PrimaryCapsArgs } from './capsule.js';
import {
  Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose, type ConvArgs, type ConvTransposeArgs,
  DepthwiseConv2D, type DepthwiseConv2DArgs, SeparableConv2D, type SeparableConv2DArgs,
} from './conv.js';
import { Dense, type DenseArgs } from './dense.js';
import {
  Dropout, type DropoutArgs, GaussianDropout, type GaussianDropoutArgs, GaussianNoise, type GaussianNoiseArgs,
  SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, type SpatialDropoutArgs,
} from './dropout.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { GraphConv, type GraphConvArgs } from './graph.js';
import { Masking, type MaskingArgs } from './masking.js';
import { Add, Average, Concatenate, type ConcatenateArgs, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import {
  BatchNormalization, type BatchNormalizationArgs, LayerNormalization, type LayerNormalizationArgs, LocalResponseNormalization,
  type LocalResponseNormalizationArgs,
} from './normalization.js';
import {
  AveragePooling1D, AveragePooling2D, AveragePooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
  GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, type GlobalPoolingArgs, MaxPooling1D, MaxPooling2D, MaxPooling3D, type PoolingArgs,
  SumPooling1D, SumPooling2D, SumPooling3D,
} from './pooling.js';
import { GRUCell, type GRUCellArgs, LSTMCell, type LSTMCellArgs, SimpleRNNCell, type SimpleRNNCellArgs } from './recurrent-cells.js';
import { GRU, type GRUArgs, LSTM, type LSTMArgs, RNN, type RNNArgs, SimpleRNN, type SimpleRNNArgs } from './recurrent.js';
import { Flatten, Permute, type PermuteArgs, RepeatVector, type RepeatVectorArgs, Reshape, type ReshapeArgs } from './reshaping.js';
import {
  Cropping1D, Cropping2D, Cropping3D, type CroppingArgs, UpSampling1D, UpSampling2D, UpSampling3D, type UpSamplingArgs,
  ZeroPadding1D, ZeroPadding2D, ZeroPadding3D, type ZeroPaddingArgs,
} from './spatial.js';
import { Bidirectional, type BidirectionalArgs, TimeDistributed, type TimeDistributedArgs } from './wrappers.js';

export * from './activation.js';
export * from './conv.js';
export * from './dense.js';
export * from './dropout.js';
export * from './embedding.js';
export * from './merge.js';
export * from './normalization.js';
export * from './pooling.js';
export * from './recurrent.js';
export * from './masking.js';
export * from './reshaping.js';
export * from './spatial.js';
export * from './wrappers.js';

// core
/** A fully connected layer: `activation(x·W + b)` over the last axis, with `units` outputs. */
export const dense = (args: DenseArgs): Dense => new Dense(args);
/** Applies an activation by name (`'relu'`, `'sigmoid'`, `'softmax'` …) elementwise. */
export const activation = (args: ActivationArgs): Activation => new Activation(args);
/**
 * Dropout: in training, zeroes each input with probability `rate` and scales the rest by 1/(1 − rate); the identity at
 * inference.
 */
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
/** Flattens each sample to one axis: `[N, …] → [N, product(…)]`. */
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
/** Reshapes each sample to `targetShape` (one entry may be −1, inferred); the batch axis is kept. */
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
/** Permutes the sample axes: `dims` is 1-based, as Keras (`[2, 1]` swaps the two axes after the batch). */
export const permute = (args: PermuteArgs): Permute => new Permute(args);
/** Repeats a `[N, F]` input `n` times: `[N, n, F]`. */
export const repeatVector = (args: RepeatVectorArgs): RepeatVector => new RepeatVector(args);
/** A lookup table from integer ids in [0, inputDim) to vectors of `outputDim`; `maskZero` makes id 0 padding. */
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);

// activations with parameters
/** ReLU with options: `min(max(x, 0), maxValue)`, with slope `negativeSlope` below `threshold`. */
export const reLU = (args?: ReLUArgs): ReLU => new ReLU(args);
/** Leaky ReLU: `x` for x > 0, `alpha·x` otherwise. */
export const leakyReLU = (args?: LeakyReLUArgs): LeakyReLU => new LeakyReLU(args);
/** ELU: `x` for x > 0, `alpha·(eˣ − 1)` otherwise. */
export const elu = (args?: ELUArgs): ELU => new ELU(args);
/** Parametric ReLU: a leaky ReLU whose slope `alpha` is learned (per channel, or shared over `sharedAxes`). */
export const prelu = (args?: PReLUArgs): PReLU => new PReLU(args);
/** Softmax over `axis` (default the last). */
export const softmax = (args?: SoftmaxArgs): Softmax => new Softmax(args);
/** Thresholded ReLU: `x` where x > theta, 0 elsewhere. */
export const thresholdedReLU = (args?: ThresholdedReLUArgs): ThresholdedReLU => new ThresholdedReLU(args);

// normalisation and noise
/**
 * Batch normalisation (Ioffe & Szegedy 2015): normalises with the batch's statistics in training and with moving
 * averages at inference, then scales by gamma and shifts by beta.
 */
export const batchNormalization = (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args);
/**
 * Layer normalisation (Ba et al. 2016): normalises each sample over `axis` (default the last), then scales and shifts.
 */
export const layerNormalization = (args?: LayerNormalizationArgs): LayerNormalization => new LayerNormalization(args);
/** Local response normalisation across channels, as in AlexNet. */
export const localResponseNormalization = (args?: LocalResponseNormalizationArgs): LocalResponseNormalization => new LocalResponseNormalization(args);
/** Dropout of whole channels of `[N, steps, C]` inputs (one mask per sample and channel). */
export const spatialDropout1d = (args: SpatialDropoutArgs): SpatialDropout1D => new SpatialDropout1D(args);
/** Dropout of whole feature maps of `[N, H, W, C]` inputs (one mask per sample and channel). */
export const spatialDropout2d = (args: SpatialDropoutArgs): SpatialDropout2D => new SpatialDropout2D(args);
/** Dropout of whole channels of `[N, D, H, W, C]` inputs (one mask per sample and channel). */
export const spatialDropout3d = (args: SpatialDropoutArgs): SpatialDropout3D => new SpatialDropout3D(args);
/**
 * Adds zero-mean Gaussian noise of standard deviation `stddev` in training (a regulariser); the identity at inference.
 */
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
/** Multiplies by Gaussian noise of mean 1 and variance rate/(1 − rate) in training; the identity at inference. */
export const gaussianDropout = (args: GaussianDropoutArgs): GaussianDropout => new GaussianDropout(args);

// convolutions
/**
 * 1-D convolution over `[N, steps, C]`: `filters` kernels of size `kernelSize`, with strides, padding, dilation and
 * groups.
 */
export const conv1d = (args: ConvArgs): Conv1D => new Conv1D(args);
/**
 * 2-D convolution over channels-last images `[N, H, W, C]`: `filters` kernels of `kernelSize`, with strides, padding,
 * dilation and groups.
 */
export const conv2d = (args: ConvArgs): Conv2D => new Conv2D(args);
/** 3-D convolution over `[N, D, H, W, C]` volumes. */
export const conv3d = (args: ConvArgs): Conv3D => new Conv3D(args);
/** Transposed 1-D convolution (the gradient of conv1d with respect to its input): upsamples by `strides`. */
export const conv1dTranspose = (args: ConvTransposeArgs): Conv1DTranspose => new Conv1DTranspose(args);
/** Transposed 2-D convolution ("deconvolution"), the adjoint of conv2d: upsamples `[N, H, W, C]` by `strides`. */
export const conv2dTranspose = (args: ConvTransposeArgs): Conv2DTranspose => new Conv2DTranspose(args);
/** Transposed 3-D convolution, the adjoint of conv3d. */
export const conv3dTranspose = (args: ConvTransposeArgs): Conv3DTranspose => new Conv3DTranspose(args);
/** Depthwise 2-D convolution: each input channel convolved with its own `depthMultiplier` kernels. */
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
/**
 * Depthwise-separable 2-D convolution: a depthwise convolution followed by a 1×1 pointwise one to `filters` channels.
 */
export const separableConv2d = (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args);

// pooling
/** Max pooling over windows of `poolSize` steps of `[N, steps, C]`. */
export const maxPooling1d = (args?: PoolingArgs): MaxPooling1D => new MaxPooling1D(args);
/** Max pooling over `poolSize` windows of `[N, H, W, C]` (strides default to poolSize). */
export const maxPooling2d = (args?: PoolingArgs): MaxPooling2D => new MaxPooling2D(args);
/** Max pooling over `poolSize` windows of `[N, D, H, W, C]`. */
export const maxPooling3d = (args?: PoolingArgs): MaxPooling3D => new MaxPooling3D(args);
/** Average pooling over windows of `poolSize` steps of `[N, steps, C]`. */
export const averagePooling1d = (args?: PoolingArgs): AveragePooling1D => new AveragePooling1D(args);
/** Average pooling over `poolSize` windows of `[N, H, W, C]` (strides default to poolSize). */
export const averagePooling2d = (args?: PoolingArgs): AveragePooling2D => new AveragePooling2D(args);
/** Average pooling over `poolSize` windows of `[N, D, H, W, C]`. */
export const averagePooling3d = (args?: PoolingArgs): AveragePooling3D => new AveragePooling3D(args);
/** Sum pooling over windows of `poolSize` steps of `[N, steps, C]`. */
export const sumPooling1d = (args?: PoolingArgs): SumPooling1D => new SumPooling1D(args);
/** Sum pooling over `poolSize` windows of `[N, H, W, C]`. */
export const sumPooling2d = (args?: PoolingArgs): SumPooling2D => new SumPooling2D(args);
/** Sum pooling over `poolSize` windows of `[N, D, H, W, C]`. */
export const sumPooling3d = (args?: PoolingArgs): SumPooling3D => new SumPooling3D(args);
/** The mean over the steps of `[N, steps, C]`: `[N, C]` (`[N, 1, C]` with keepDims). */
export const globalAveragePooling1d = (args?: GlobalPoolingArgs): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
/** The mean over the spatial axes of `[N, H, W, C]`: `[N, C]` (`[N, 1, 1, C]` with keepDims). */
export const globalAveragePooling2d = (args?: GlobalPoolingArgs): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
/** The mean over the spatial axes of `[N, D, H, W, C]`: `[N, C]`. */
export const globalAveragePooling3d = (args?: GlobalPoolingArgs): GlobalAveragePooling3D => new GlobalAveragePooling3D(args);
/** The maximum over the steps of `[N, steps, C]`: `[N, C]`. */
export const globalMaxPooling1d = (args?: GlobalPoolingArgs): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
/** The maximum over the spatial axes of `[N, H, W, C]`: `[N, C]`. */
export const globalMaxPooling2d = (args?: GlobalPoolingArgs): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
/** The maximum over the spatial axes of `[N, D, H, W, C]`: `[N, C]`. */
export const globalMaxPooling3d = (args?: GlobalPoolingArgs): GlobalMaxPooling3D => new GlobalMaxPooling3D(args);

// spatial resizing
/** Pads the step axis of `[N, steps, C]` with zeros (`padding`: one number or [before, after]). */
export const zeroPadding1d = (args?: ZeroPaddingArgs): ZeroPadding1D => new ZeroPadding1D(args);
/** Pads the height and width of `[N, H, W, C]` with zeros. */
export const zeroPadding2d = (args?: ZeroPaddingArgs): ZeroPadding2D => new ZeroPadding2D(args);
/** Pads the three spatial axes of `[N, D, H, W, C]` with zeros. */
export const zeroPadding3d = (args?: ZeroPaddingArgs): ZeroPadding3D => new ZeroPadding3D(args);
/** Crops the step axis of `[N, steps, C]` (`cropping`: one number or [before, after]). */
export const cropping1d = (args?: CroppingArgs): Cropping1D => new Cropping1D(args);
/** Crops the height and width of `[N, H, W, C]`. */
export const cropping2d = (args?: CroppingArgs): Cropping2D => new Cropping2D(args);
/** Crops the three spatial axes of `[N, D, H, W, C]`. */
export const cropping3d = (args?: CroppingArgs): Cropping3D => new Cropping3D(args);
/** Repeats each step of `[N, steps, C]` `size` times. */
export const upSampling1d = (args?: UpSamplingArgs): UpSampling1D => new UpSampling1D(args);
/** Upsamples `[N, H, W, C]` by `size` (nearest neighbour, or `interpolation: 'bilinear'`). */
export const upSampling2d = (args?: UpSamplingArgs): UpSampling2D => new UpSampling2D(args);
/** Repeats each voxel of `[N, D, H, W, C]` `size` times per axis. */
export const upSampling3d = (args?: UpSamplingArgs): UpSampling3D => new UpSampling3D(args);

// merging
/** Merges several same-shaped inputs by elementwise sum (`hb.layers.add().apply([a, b])`). */
export const add = (args?: LayerArgs): Add => new Add(args);
/** Merges two inputs as `a − b`. */
export const subtract = (args?: LayerArgs): Subtract => new Subtract(args);
/** Merges several inputs by elementwise product. */
export const multiply = (args?: LayerArgs): Multiply => new Multiply(args);
/** Merges several inputs by elementwise mean. */
export const average = (args?: LayerArgs): Average => new Average(args);
/** Merges several inputs by elementwise maximum. */
export const maximum = (args?: LayerArgs): Maximum => new Maximum(args);
/** Merges several inputs by elementwise minimum. */
export const minimum = (args?: LayerArgs): Minimum => new Minimum(args);
/** Concatenates several inputs along `axis` (default the last). */
export const concatenate = (args?: ConcatenateArgs): Concatenate => new Concatenate(args);

// recurrent
/** A fully connected recurrent layer (Elman): `h_t = activation(x_t·W + h_{t−1}·U + b)`, over `[N, T, F]` inputs. */
export const simpleRNN = (args: SimpleRNNArgs): SimpleRNN => new SimpleRNN(args);
/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997) over `[N, T, F]` inputs: input, forget and output gates and a
 * cell state.
 */
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
/**
 * Gated recurrent unit (Cho et al. 2014) over `[N, T, F]` inputs: update and reset gates (`resetAfter` as Keras and
 * cuDNN).
 */
export const gru = (args: GRUArgs): GRU => new GRU(args);
/** Runs a recurrent layer forwards and a copy backwards over the sequence and merges their outputs (`mergeMode`). */
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
/** Applies a layer to every time step of `[N, T, …]` independently, with shared weights. */
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
// sequences (issue 10): masks, cells and the generic cell runner
/** Marks time steps whose features all equal `maskValue` as padding (a mask for the recurrent layers downstream). */
export const masking = (args?: MaskingArgs): Masking => new Masking(args);
/**
 * The generic recurrent layer: runs a `cell` (simpleRNNCell, lstmCell, gruCell or your own layer with `stateSize`)
 * over the sequence.
 */
export const rnn = (args: RNNArgs): RNN => new RNN(args);
/** One step of simpleRNN, for {@link rnn}. */
export const simpleRNNCell = (args: SimpleRNNCellArgs): SimpleRNNCell => new SimpleRNNCell(args);
/** One step of lstm, for {@link rnn}. */
export const lstmCell = (args: LSTMCellArgs): LSTMCell => new LSTMCell(args);
/** One step of gru, for {@link rnn}. */
export const gruCell = (args: GRUCellArgs): GRUCell => new GRUCell(args);

// capsules (Sabour et al. 2017) and graph convolution (Kipf & Welling 2017); the helpers
// squash, routeByAgreement and normalizeAdjacency are exported here too (hb.layers.squash, …)
export * from './capsule.js';
export * from './graph.js';
/** Primary capsules (Sabour et al. 2017): a convolution whose outputs are grouped into capsule vectors and squashed. */
export const primaryCaps = (args: PrimaryCapsArgs): PrimaryCaps => new PrimaryCaps(args);
/** A capsule layer with dynamic routing by agreement (Sabour et al. 2017). */
export const capsule = (args: CapsuleArgs): Capsule => new Capsule(args);
/** The length of each capsule vector (the class probability of a capsule network). */
export const capsuleLength = (args?: CapsuleLengthArgs): CapsuleLength => new CapsuleLength(args);
/**
 * Masks all capsules but one (the true class in training, the longest at inference) and flattens them, for the
 * decoder.
 */
export const capsuleMask = (args?: LayerArgs): CapsuleMask => new CapsuleMask(args);
/** Graph convolution (Kipf & Welling 2017): `activation(Â·X·W)` for node features X and a normalised adjacency Â. */
export const graphConv = (args: GraphConvArgs): GraphConv => new GraphConv(args);
