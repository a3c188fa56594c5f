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
export const dense = (args: DenseArgs): Dense => new Dense(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const permute = (args: PermuteArgs): Permute => new Permute(args);
export const repeatVector = (args: RepeatVectorArgs): RepeatVector => new RepeatVector(args);
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);

// activations with parameters
export const reLU = (args?: ReLUArgs): ReLU => new ReLU(args);
export const leakyReLU = (args?: LeakyReLUArgs): LeakyReLU => new LeakyReLU(args);
export const elu = (args?: ELUArgs): ELU => new ELU(args);
export const prelu = (args?: PReLUArgs): PReLU => new PReLU(args);
export const softmax = (args?: SoftmaxArgs): Softmax => new Softmax(args);
export const thresholdedReLU = (args?: ThresholdedReLUArgs): ThresholdedReLU => new ThresholdedReLU(args);

// normalisation and noise
export const batchNormalization = (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args);
export const layerNormalization = (args?: LayerNormalizationArgs): LayerNormalization => new LayerNormalization(args);
export const localResponseNormalization = (args?: LocalResponseNormalizationArgs): LocalResponseNormalization => new LocalResponseNormalization(args);
export const spatialDropout1d = (args: SpatialDropoutArgs): SpatialDropout1D => new SpatialDropout1D(args);
export const spatialDropout2d = (args: SpatialDropoutArgs): SpatialDropout2D => new SpatialDropout2D(args);
export const spatialDropout3d = (args: SpatialDropoutArgs): SpatialDropout3D => new SpatialDropout3D(args);
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
export const gaussianDropout = (args: GaussianDropoutArgs): GaussianDropout => new GaussianDropout(args);

// convolutions
export const conv1d = (args: ConvArgs): Conv1D => new Conv1D(args);
export const conv2d = (args: ConvArgs): Conv2D => new Conv2D(args);
export const conv3d = (args: ConvArgs): Conv3D => new Conv3D(args);
export const conv1dTranspose = (args: ConvTransposeArgs): Conv1DTranspose => new Conv1DTranspose(args);
export const conv2dTranspose = (args: ConvTransposeArgs): Conv2DTranspose => new Conv2DTranspose(args);
export const conv3dTranspose = (args: ConvTransposeArgs): Conv3DTranspose => new Conv3DTranspose(args);
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
export const separableConv2d = (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args);

// pooling
export const maxPooling1d = (args?: PoolingArgs): MaxPooling1D => new MaxPooling1D(args);
export const maxPooling2d = (args?: PoolingArgs): MaxPooling2D => new MaxPooling2D(args);
export const maxPooling3d = (args?: PoolingArgs): MaxPooling3D => new MaxPooling3D(args);
export const averagePooling1d = (args?: PoolingArgs): AveragePooling1D => new AveragePooling1D(args);
export const averagePooling2d = (args?: PoolingArgs): AveragePooling2D => new AveragePooling2D(args);
export const averagePooling3d = (args?: PoolingArgs): AveragePooling3D => new AveragePooling3D(args);
export const sumPooling1d = (args?: PoolingArgs): SumPooling1D => new SumPooling1D(args);
export const sumPooling2d = (args?: PoolingArgs): SumPooling2D => new SumPooling2D(args);
export const sumPooling3d = (args?: PoolingArgs): SumPooling3D => new SumPooling3D(args);
export const globalAveragePooling1d = (args?: GlobalPoolingArgs): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
export const globalAveragePooling2d = (args?: GlobalPoolingArgs): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const globalAveragePooling3d = (args?: GlobalPoolingArgs): GlobalAveragePooling3D => new GlobalAveragePooling3D(args);
export const globalMaxPooling1d = (args?: GlobalPoolingArgs): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
export const globalMaxPooling2d = (args?: GlobalPoolingArgs): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const globalMaxPooling3d = (args?: GlobalPoolingArgs): GlobalMaxPooling3D => new GlobalMaxPooling3D(args);

// spatial resizing
export const zeroPadding1d = (args?: ZeroPaddingArgs): ZeroPadding1D => new ZeroPadding1D(args);
export const zeroPadding2d = (args?: ZeroPaddingArgs): ZeroPadding2D => new ZeroPadding2D(args);
export const zeroPadding3d = (args?: ZeroPaddingArgs): ZeroPadding3D => new ZeroPadding3D(args);
export const cropping1d = (args?: CroppingArgs): Cropping1D => new Cropping1D(args);
export const cropping2d = (args?: CroppingArgs): Cropping2D => new Cropping2D(args);
export const cropping3d = (args?: CroppingArgs): Cropping3D => new Cropping3D(args);
export const upSampling1d = (args?: UpSamplingArgs): UpSampling1D => new UpSampling1D(args);
export const upSampling2d = (args?: UpSamplingArgs): UpSampling2D => new UpSampling2D(args);
export const upSampling3d = (args?: UpSamplingArgs): UpSampling3D => new UpSampling3D(args);

// merging
export const add = (args?: LayerArgs): Add => new Add(args);
export const subtract = (args?: LayerArgs): Subtract => new Subtract(args);
export const multiply = (args?: LayerArgs): Multiply => new Multiply(args);
export const average = (args?: LayerArgs): Average => new Average(args);
export const maximum = (args?: LayerArgs): Maximum => new Maximum(args);
export const minimum = (args?: LayerArgs): Minimum => new Minimum(args);
export const concatenate = (args?: ConcatenateArgs): Concatenate => new Concatenate(args);

// recurrent
export const simpleRNN = (args: SimpleRNNArgs): SimpleRNN => new SimpleRNN(args);
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
export const gru = (args: GRUArgs): GRU => new GRU(args);
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
// sequences (issue 10): masks, cells and the generic cell runner
export const masking = (args?: MaskingArgs): Masking => new Masking(args);
export const rnn = (args: RNNArgs): RNN => new RNN(args);
export const simpleRNNCell = (args: SimpleRNNCellArgs): SimpleRNNCell => new SimpleRNNCell(args);
export const lstmCell = (args: LSTMCellArgs): LSTMCell => new LSTMCell(args);
export const gruCell = (args: GRUCellArgs): GRUCell => new GRUCell(args);

// capsules (Sabour et al. 2017) and graph convolution (Kipf & Welling 2017); the helpers
// squash, routeByAgreement and normalizeAdjacency are exported here too (hb.layers.squash, …)
export * from './capsule.js';
export * from './graph.js';
export const primaryCaps = (args: PrimaryCapsArgs): PrimaryCaps => new PrimaryCaps(args);
export const capsule = (args: CapsuleArgs): Capsule => new Capsule(args);
export const capsuleLength = (args?: CapsuleLengthArgs): CapsuleLength => new CapsuleLength(args);
export const capsuleMask = (args?: LayerArgs): CapsuleMask => new CapsuleMask(args);
export const graphConv = (args: GraphConvArgs): GraphConv => new GraphConv(args);
