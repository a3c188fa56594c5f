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
export const dense = factory(Dense);
export const activation = factory(Activation);
export const dropout = factory(Dropout);
export const flatten = factory(Flatten);
export const reshape = factory(Reshape);
export const permute = factory(Permute);
export const repeatVector = factory(RepeatVector);
export const embedding = factory(Embedding);

// activations with parameters
export const reLU = factory(ReLU);
export const leakyReLU = factory(LeakyReLU);
export const elu = factory(ELU);
export const prelu = factory(PReLU);
export const softmax = factory(Softmax);
export const thresholdedReLU = factory(ThresholdedReLU);

// normalisation and noise
export const batchNormalization = factory(BatchNormalization);
export const layerNormalization = factory(LayerNormalization);
export const localResponseNormalization = factory(LocalResponseNormalization);
export const spatialDropout1d = factory(SpatialDropout1D);
export const spatialDropout2d = factory(SpatialDropout2D);
export const spatialDropout3d = factory(SpatialDropout3D);
export const gaussianNoise = factory(GaussianNoise);
export const gaussianDropout = factory(GaussianDropout);

// convolutions
export const conv1d = factory(Conv1D);
export const conv2d = factory(Conv2D);
export const conv3d = factory(Conv3D);
export const conv1dTranspose = factory(Conv1DTranspose);
export const conv2dTranspose = factory(Conv2DTranspose);
export const conv3dTranspose = factory(Conv3DTranspose);
export const depthwiseConv2d = factory(DepthwiseConv2D);
export const separableConv2d = factory(SeparableConv2D);

// pooling
export const maxPooling1d = factory(MaxPooling1D);
export const maxPooling2d = factory(MaxPooling2D);
export const maxPooling3d = factory(MaxPooling3D);
export const averagePooling1d = factory(AveragePooling1D);
export const averagePooling2d = factory(AveragePooling2D);
export const averagePooling3d = factory(AveragePooling3D);
export const sumPooling1d = factory(SumPooling1D);
export const sumPooling2d = factory(SumPooling2D);
export const sumPooling3d = factory(SumPooling3D);
export const globalAveragePooling1d = factory(GlobalAveragePooling1D);
export const globalAveragePooling2d = factory(GlobalAveragePooling2D);
export const globalAveragePooling3d = factory(GlobalAveragePooling3D);
export const globalMaxPooling1d = factory(GlobalMaxPooling1D);
export const globalMaxPooling2d = factory(GlobalMaxPooling2D);
export const globalMaxPooling3d = factory(GlobalMaxPooling3D);

// spatial resizing
export const zeroPadding1d = factory(ZeroPadding1D);
export const zeroPadding2d = factory(ZeroPadding2D);
export const zeroPadding3d = factory(ZeroPadding3D);
export const cropping1d = factory(Cropping1D);
export const cropping2d = factory(Cropping2D);
export const cropping3d = factory(Cropping3D);
export const upSampling1d = factory(UpSampling1D);
export const upSampling2d = factory(UpSampling2D);
export const upSampling3d = factory(UpSampling3D);

// merging
export const add = factory(Add);
export const subtract = factory(Subtract);
export const multiply = factory(Multiply);
export const average = factory(Average);
export const maximum = factory(Maximum);
export const minimum = factory(Minimum);
export const concatenate = factory(Concatenate);

// recurrent
export const simpleRNN = factory(SimpleRNN);
export const lstm = factory(LSTM);
export const gru = factory(GRU);
export const bidirectional = factory(Bidirectional);
export const timeDistributed = factory(TimeDistributed);
// sequences (issue 10): masks, cells and the generic cell runner
export const masking = factory(Masking);
export const rnn = factory(RNN);
export const simpleRNNCell = factory(SimpleRNNCell);
export const lstmCell = factory(LSTMCell);
export const gruCell = factory(GRUCell);

// capsules (Sabour et al. 2017) and graph convolution (Kipf & Welling 2017); the helpers
// squash, routeByAgreement and normalizeAdjacency are exported here too (hb.layers.squash, …)
export * from './capsule.js';
export * from './graph.js';
export const primaryCaps = factory(PrimaryCaps);
export const capsule = factory(Capsule);
export const capsuleLength = factory(CapsuleLength);
export const capsuleMask = factory(CapsuleMask);
export const graphConv = factory(GraphConv);
