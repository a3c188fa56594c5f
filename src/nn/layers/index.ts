/**
 * Layer factories (`hb.layers.dense({ units: 10, activation: 'relu' })`) and the layer classes: core, convolution,
 * pooling, normalisation, dropout and noise, recurrent, merging, reshaping, capsules and graph convolution.
 * @module
 */
// `hb.layers`: one factory per layer (`hb.layers.dense({ units: 10 })`), plus the classes
// themselves for subclassing and `instanceof`. Importing this module registers every class for
// deserializeLayer.
import { Activation, ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU } from './activation.js';
import { Capsule, CapsuleLength, CapsuleMask, PrimaryCaps } from './capsule.js';
import { factory } from './common.js';
import {
  Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose,
  DepthwiseConv2D, SeparableConv2D,
} from './conv.js';
import { Dense } from './dense.js';
import { Dropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './dropout.js';
import { Embedding } from './embedding.js';
import { GraphConv } from './graph.js';
import { Masking } from './masking.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import { BatchNormalization, LayerNormalization, LocalResponseNormalization } from './normalization.js';
import {
  AveragePooling1D, AveragePooling2D, AveragePooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
  GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, MaxPooling1D, MaxPooling2D, MaxPooling3D,
  SumPooling1D, SumPooling2D, SumPooling3D,
} from './pooling.js';
import { GRUCell, LSTMCell, SimpleRNNCell } from './recurrent-cells.js';
import { GRU, LSTM, RNN, SimpleRNN } from './recurrent.js';
import { Flatten, Permute, RepeatVector, Reshape } from './reshaping.js';
import {
  Cropping1D, Cropping2D, Cropping3D, UpSampling1D, UpSampling2D, UpSampling3D,
  ZeroPadding1D, ZeroPadding2D, ZeroPadding3D,
} from './spatial.js';
import { Bidirectional, TimeDistributed } from './wrappers.js';

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
/** Creates a Dense layer: fully connected, `activation(x·W + b)` over the last axis, with `units` outputs. */
export const dense = factory(Dense);
/** Creates an Activation layer: applies an activation by name (`'relu'`, `'sigmoid'`, `'softmax'` …) elementwise. */
export const activation = factory(Activation);
/**
 * Creates a Dropout layer: in training, zeroes each input with probability `rate` and scales the rest by 1/(1 − rate);
 * the identity at inference.
 */
export const dropout = factory(Dropout);
/** Creates a Flatten layer: flattens each sample to one axis: `[N, …] → [N, product(…)]`. */
export const flatten = factory(Flatten);
/**
 * Creates a Reshape layer: reshapes each sample to `targetShape` (one entry may be −1, inferred); the batch axis is
 * kept.
 */
export const reshape = factory(Reshape);
/**
 * Creates a Permute layer: permutes the sample axes: `dims` is 1-based, as Keras (`[2, 1]` swaps the two axes after the
 * batch).
 */
export const permute = factory(Permute);
/** Creates a RepeatVector layer: repeats a `[N, F]` input `n` times: `[N, n, F]`. */
export const repeatVector = factory(RepeatVector);
/**
 * Creates an Embedding layer: a lookup table from integer ids in [0, inputDim) to vectors of `outputDim`; `maskZero`
 * makes id 0 padding.
 */
export const embedding = factory(Embedding);

// activations with parameters
/** Creates a ReLU layer: `min(max(x, 0), maxValue)`, with slope `negativeSlope` below `threshold`. */
export const reLU = factory(ReLU);
/** Creates a LeakyReLU layer: `x` for x > 0, `negativeSlope·x` otherwise (default slope 0.3, as Keras). */
export const leakyReLU = factory(LeakyReLU);
/** Creates an ELU layer: `x` for x > 0, `alpha·(eˣ − 1)` otherwise. */
export const elu = factory(ELU);
/**
 * Creates a PReLU layer: a parametric leaky ReLU whose slope `alpha` is learned (per channel, or shared over
 * `sharedAxes`).
 */
export const prelu = factory(PReLU);
/** Creates a Softmax layer: softmax over `axis` (default the last). */
export const softmax = factory(Softmax);
/** Creates a ThresholdedReLU layer: `x` where x > theta, 0 elsewhere. */
export const thresholdedReLU = factory(ThresholdedReLU);

// normalisation and noise
/**
 * Creates a BatchNormalization layer: batch normalisation (Ioffe & Szegedy 2015): normalises with the batch's
 * statistics in training and with moving averages at inference, then scales by gamma and shifts by beta.
 */
export const batchNormalization = factory(BatchNormalization);
/**
 * Creates a LayerNormalization layer: layer normalisation (Ba et al. 2016): normalises each sample over `axis` (default
 * the last), then scales and shifts.
 */
export const layerNormalization = factory(LayerNormalization);
/** Creates a LocalResponseNormalization layer: local response normalisation across channels, as in AlexNet. */
export const localResponseNormalization = factory(LocalResponseNormalization);
/**
 * Creates a SpatialDropout1D layer: dropout of whole channels of `[N, steps, C]` inputs (one mask per sample and
 * channel).
 */
export const spatialDropout1d = factory(SpatialDropout1D);
/**
 * Creates a SpatialDropout2D layer: dropout of whole feature maps of `[N, H, W, C]` inputs (one mask per sample and
 * channel).
 */
export const spatialDropout2d = factory(SpatialDropout2D);
/**
 * Creates a SpatialDropout3D layer: dropout of whole channels of `[N, D, H, W, C]` inputs (one mask per sample and
 * channel).
 */
export const spatialDropout3d = factory(SpatialDropout3D);
/**
 * Creates a GaussianNoise layer: adds zero-mean Gaussian noise of standard deviation `stddev` in training (a
 * regulariser); the identity at inference.
 */
export const gaussianNoise = factory(GaussianNoise);
/**
 * Creates a GaussianDropout layer: multiplies by Gaussian noise of mean 1 and variance rate/(1 − rate) in training; the
 * identity at inference.
 */
export const gaussianDropout = factory(GaussianDropout);

// convolutions
/**
 * Creates a Conv1D layer: 1-D convolution over `[N, steps, C]`: `filters` kernels of size `kernelSize`, with strides,
 * padding, dilation and groups.
 */
export const conv1d = factory(Conv1D);
/**
 * Creates a Conv2D layer: 2-D convolution over channels-last images `[N, H, W, C]`: `filters` kernels of `kernelSize`,
 * with strides, padding, dilation and groups.
 */
export const conv2d = factory(Conv2D);
/** Creates a Conv3D layer: 3-D convolution over `[N, D, H, W, C]` volumes. */
export const conv3d = factory(Conv3D);
/**
 * Creates a Conv1DTranspose layer: transposed 1-D convolution (the gradient of conv1d with respect to its input):
 * upsamples by `strides`.
 */
export const conv1dTranspose = factory(Conv1DTranspose);
/**
 * Creates a Conv2DTranspose layer: transposed 2-D convolution ("deconvolution"), the adjoint of conv2d: upsamples `[N,
 * H, W, C]` by `strides`.
 */
export const conv2dTranspose = factory(Conv2DTranspose);
/** Creates a Conv3DTranspose layer: transposed 3-D convolution, the adjoint of conv3d. */
export const conv3dTranspose = factory(Conv3DTranspose);
/**
 * Creates a DepthwiseConv2D layer: depthwise 2-D convolution: each input channel convolved with its own
 * `depthMultiplier` kernels.
 */
export const depthwiseConv2d = factory(DepthwiseConv2D);
/**
 * Creates a SeparableConv2D layer: depthwise-separable 2-D convolution: a depthwise convolution followed by a 1×1
 * pointwise one to `filters` channels.
 */
export const separableConv2d = factory(SeparableConv2D);

// pooling
/** Creates a MaxPooling1D layer: max pooling over windows of `poolSize` steps of `[N, steps, C]`. */
export const maxPooling1d = factory(MaxPooling1D);
/**
 * Creates a MaxPooling2D layer: max pooling over `poolSize` windows of `[N, H, W, C]` (strides default to poolSize).
 */
export const maxPooling2d = factory(MaxPooling2D);
/** Creates a MaxPooling3D layer: max pooling over `poolSize` windows of `[N, D, H, W, C]`. */
export const maxPooling3d = factory(MaxPooling3D);
/** Creates an AveragePooling1D layer: average pooling over windows of `poolSize` steps of `[N, steps, C]`. */
export const averagePooling1d = factory(AveragePooling1D);
/**
 * Creates an AveragePooling2D layer: average pooling over `poolSize` windows of `[N, H, W, C]` (strides default to
 * poolSize).
 */
export const averagePooling2d = factory(AveragePooling2D);
/** Creates an AveragePooling3D layer: average pooling over `poolSize` windows of `[N, D, H, W, C]`. */
export const averagePooling3d = factory(AveragePooling3D);
/** Creates a SumPooling1D layer: sum pooling over windows of `poolSize` steps of `[N, steps, C]`. */
export const sumPooling1d = factory(SumPooling1D);
/** Creates a SumPooling2D layer: sum pooling over `poolSize` windows of `[N, H, W, C]`. */
export const sumPooling2d = factory(SumPooling2D);
/** Creates a SumPooling3D layer: sum pooling over `poolSize` windows of `[N, D, H, W, C]`. */
export const sumPooling3d = factory(SumPooling3D);
/**
 * Creates a GlobalAveragePooling1D layer: the mean over the steps of `[N, steps, C]`: `[N, C]` (`[N, 1, C]` with
 * keepDims).
 */
export const globalAveragePooling1d = factory(GlobalAveragePooling1D);
/**
 * Creates a GlobalAveragePooling2D layer: the mean over the spatial axes of `[N, H, W, C]`: `[N, C]` (`[N, 1, 1, C]`
 * with keepDims).
 */
export const globalAveragePooling2d = factory(GlobalAveragePooling2D);
/** Creates a GlobalAveragePooling3D layer: the mean over the spatial axes of `[N, D, H, W, C]`: `[N, C]`. */
export const globalAveragePooling3d = factory(GlobalAveragePooling3D);
/** Creates a GlobalMaxPooling1D layer: the maximum over the steps of `[N, steps, C]`: `[N, C]`. */
export const globalMaxPooling1d = factory(GlobalMaxPooling1D);
/** Creates a GlobalMaxPooling2D layer: the maximum over the spatial axes of `[N, H, W, C]`: `[N, C]`. */
export const globalMaxPooling2d = factory(GlobalMaxPooling2D);
/** Creates a GlobalMaxPooling3D layer: the maximum over the spatial axes of `[N, D, H, W, C]`: `[N, C]`. */
export const globalMaxPooling3d = factory(GlobalMaxPooling3D);

// spatial resizing
/**
 * Creates a ZeroPadding1D layer: pads the step axis of `[N, steps, C]` with zeros (`padding`: one number or [before,
 * after]).
 */
export const zeroPadding1d = factory(ZeroPadding1D);
/** Creates a ZeroPadding2D layer: pads the height and width of `[N, H, W, C]` with zeros. */
export const zeroPadding2d = factory(ZeroPadding2D);
/** Creates a ZeroPadding3D layer: pads the three spatial axes of `[N, D, H, W, C]` with zeros. */
export const zeroPadding3d = factory(ZeroPadding3D);
/** Creates a Cropping1D layer: crops the step axis of `[N, steps, C]` (`cropping`: one number or [before, after]). */
export const cropping1d = factory(Cropping1D);
/** Creates a Cropping2D layer: crops the height and width of `[N, H, W, C]`. */
export const cropping2d = factory(Cropping2D);
/** Creates a Cropping3D layer: crops the three spatial axes of `[N, D, H, W, C]`. */
export const cropping3d = factory(Cropping3D);
/** Creates an UpSampling1D layer: repeats each step of `[N, steps, C]` `size` times. */
export const upSampling1d = factory(UpSampling1D);
/**
 * Creates an UpSampling2D layer: upsamples `[N, H, W, C]` by `size` (nearest neighbour, or `interpolation:
 * 'bilinear'`).
 */
export const upSampling2d = factory(UpSampling2D);
/** Creates an UpSampling3D layer: repeats each voxel of `[N, D, H, W, C]` `size` times per axis. */
export const upSampling3d = factory(UpSampling3D);

// merging
/** Creates an Add layer: merges several inputs (same or broadcastable shapes) by elementwise sum (`hb.layers.add().apply([a, b])`). */
export const add = factory(Add);
/** Creates a Subtract layer: merges two inputs as `a − b`. */
export const subtract = factory(Subtract);
/** Creates a Multiply layer: merges several inputs by elementwise product. */
export const multiply = factory(Multiply);
/** Creates an Average layer: merges several inputs by elementwise mean. */
export const average = factory(Average);
/** Creates a Maximum layer: merges several inputs by elementwise maximum. */
export const maximum = factory(Maximum);
/** Creates a Minimum layer: merges several inputs by elementwise minimum. */
export const minimum = factory(Minimum);
/** Creates a Concatenate layer: concatenates several inputs along `axis` (default the last). */
export const concatenate = factory(Concatenate);

// recurrent
/**
 * Creates a SimpleRNN layer: a fully connected recurrent layer (Elman): `h_t = activation(x_t·W + h_{t−1}·U + b)`, over
 * `[N, T, F]` inputs.
 */
export const simpleRNN = factory(SimpleRNN);
/**
 * Creates an LSTM layer: long short-term memory (Hochreiter & Schmidhuber 1997) over `[N, T, F]` inputs: input, forget
 * and output gates and a cell state.
 */
export const lstm = factory(LSTM);
/**
 * Creates a GRU layer: gated recurrent unit (Cho et al. 2014) over `[N, T, F]` inputs: update and reset gates
 * (`resetAfter` as Keras and cuDNN).
 */
export const gru = factory(GRU);
/**
 * Creates a Bidirectional layer: runs a recurrent layer forwards and a copy backwards over the sequence and merges
 * their outputs (`mergeMode`).
 */
export const bidirectional = factory(Bidirectional);
/**
 * Creates a TimeDistributed layer: applies a layer to every time step of `[N, T, …]` independently, with shared
 * weights.
 */
export const timeDistributed = factory(TimeDistributed);
// sequences (issue 10): masks, cells and the generic cell runner
/**
 * Creates a Masking layer: marks time steps whose features all equal `maskValue` as padding (a mask for the recurrent
 * layers downstream).
 */
export const masking = factory(Masking);
/**
 * Creates an RNN layer: the generic recurrent layer: runs a `cell` (simpleRNNCell, lstmCell, gruCell or your own layer
 * with `stateSize`) over the sequence.
 */
export const rnn = factory(RNN);
/** Creates a SimpleRNNCell layer: one step of simpleRNN, for {@link rnn}. */
export const simpleRNNCell = factory(SimpleRNNCell);
/** Creates an LSTMCell layer: one step of lstm, for {@link rnn}. */
export const lstmCell = factory(LSTMCell);
/** Creates a GRUCell layer: one step of gru, for {@link rnn}. */
export const gruCell = factory(GRUCell);

// capsules (Sabour et al. 2017) and graph convolution (Kipf & Welling 2017); the helpers
// squash, routeByAgreement and normalizeAdjacency are exported here too (hb.layers.squash, …)
export * from './capsule.js';
export * from './graph.js';
/**
 * Creates a PrimaryCaps layer: primary capsules (Sabour et al. 2017): a convolution whose outputs are grouped into
 * capsule vectors and squashed.
 */
export const primaryCaps = factory(PrimaryCaps);
/** Creates a Capsule layer: a capsule layer with dynamic routing by agreement (Sabour et al. 2017). */
export const capsule = factory(Capsule);
/** Creates a CapsuleLength layer: the length of each capsule vector (the class probability of a capsule network). */
export const capsuleLength = factory(CapsuleLength);
/**
 * Creates a CapsuleMask layer: masks all capsules but one (the true class in training, the longest at inference) and
 * flattens them, for the decoder.
 */
export const capsuleMask = factory(CapsuleMask);
/**
 * Creates a GraphConv layer: graph convolution (Kipf & Welling 2017): `activation(Â·X·W)` for node features X and a
 * normalised adjacency Â.
 */
export const graphConv = factory(GraphConv);
