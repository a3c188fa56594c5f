// The one harness every layer goes through (Keras's layer test, PyTorch's gradcheck), driven by
// the table below. For each row:
//   1. shapes: computeOutputShape (batch unknown and concrete) and a symbolic apply agree with
//      the shape of the real output;
//   2. config: getConfig → JSON → deserializeLayer → getConfig is the same config;
//   3. weights: getWeights → a new layer from the config → setWeights gives identical outputs;
//   4. gradients: hb.checkGrad in float64 of the output w.r.t. the inputs and every trainable
//      weight (training: false);
//   5. training: one plain SGD step on a squared loss to a random target lowers the loss, for
//      every layer with trainable weights; the parameter count equals the hand formula `params`.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import type { Layer, LayerArgs } from '../../src/index.js';
import { OnnxElementwise } from '../../src/model/onnx/layers.js';

type Args = LayerArgs;

interface Case {
  name: string;
  make: (base: Args) => Layer;
  /** Input shapes, batch axis included (a list of shapes for merge layers). */
  input: number[] | number[][];
  /** Trainable + non-trainable parameters, from the layer's formula. */
  params: number;
  /** Integer inputs in [0, ids) instead of normal samples; their gradient is not checked. */
  ids?: number;
  /** Why the input gradient is skipped, when it is. */
  skipInputGrad?: string;
  /** Looser tolerance for checkGrad, with the reason. */
  tol?: number;
}

const L = hb.layers;

const activationCases: Case[] = (
  ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'elu', 'selu', 'gelu', 'softplus', 'softsign', 'swish', 'leakyRelu', 'hardSigmoid'] as const
).map((a) => ({ name: `activation ${a}`, make: (b: Args) => L.activation({ ...b, activation: a }), input: [2, 5], params: 0 }));

const cases: Case[] = [
  // core
  { name: 'dense', make: (b) => L.dense({ ...b, units: 3, activation: 'tanh' }), input: [2, 4], params: 4 * 3 + 3 },
  { name: 'dense on [N, T, F], no bias', make: (b) => L.dense({ ...b, units: 2, useBias: false }), input: [2, 3, 4], params: 4 * 2 },
  ...activationCases,
  { name: 'reLU (maxValue, slope, threshold)', make: (b) => L.reLU({ ...b, maxValue: 1.5, negativeSlope: 0.1, threshold: 0.2 }), input: [2, 6], params: 0 },
  { name: 'leakyReLU', make: (b) => L.leakyReLU({ ...b, negativeSlope: 0.2 }), input: [2, 5], params: 0 },
  { name: 'thresholdedReLU θ = 0.3', make: (b) => L.thresholdedReLU({ ...b, theta: 0.3 }), input: [2, 6], params: 0 },
  { name: 'elu', make: (b) => L.elu({ ...b, alpha: 0.7 }), input: [2, 5], params: 0 },
  { name: 'softmax axis 1', make: (b) => L.softmax({ ...b, axis: 1 }), input: [2, 3, 4], params: 0 },
  { name: 'prelu (shared over H, W)', make: (b) => L.prelu({ ...b, sharedAxes: [1, 2], alphaInitializer: hb.initializers.constant(0.25) }), input: [2, 3, 3, 2], params: 2 },
  { name: 'dropout', make: (b) => L.dropout({ ...b, rate: 0.5 }), input: [2, 5], params: 0 },
  { name: 'spatialDropout1d', make: (b) => L.spatialDropout1d({ ...b, rate: 0.3 }), input: [2, 4, 3], params: 0 },
  { name: 'spatialDropout2d', make: (b) => L.spatialDropout2d({ ...b, rate: 0.3 }), input: [2, 3, 3, 2], params: 0 },
  { name: 'spatialDropout3d', make: (b) => L.spatialDropout3d({ ...b, rate: 0.3 }), input: [1, 2, 2, 2, 2], params: 0 },
  { name: 'gaussianNoise', make: (b) => L.gaussianNoise({ ...b, stddev: 0.1 }), input: [2, 5], params: 0 },
  { name: 'gaussianDropout', make: (b) => L.gaussianDropout({ ...b, rate: 0.2 }), input: [2, 5], params: 0 },
  { name: 'flatten', make: (b) => L.flatten(b), input: [2, 3, 2, 2], params: 0 },
  { name: 'reshape with -1', make: (b) => L.reshape({ ...b, targetShape: [2, -1] }), input: [2, 3, 4], params: 0 },
  { name: 'permute', make: (b) => L.permute({ ...b, dims: [2, 1] }), input: [2, 3, 4], params: 0 },
  { name: 'repeatVector', make: (b) => L.repeatVector({ ...b, n: 3 }), input: [2, 4], params: 0 },
  { name: 'embedding', make: (b) => L.embedding({ ...b, inputDim: 6, outputDim: 3 }), input: [2, 4], params: 6 * 3, ids: 6, skipInputGrad: 'integer ids have no gradient' },

  // normalisation (γ, β trainable; moving mean and variance non-trainable)
  { name: 'batchNormalization', make: (b) => L.batchNormalization({ ...b, movingMeanInitializer: hb.initializers.constant(0.3), movingVarianceInitializer: hb.initializers.constant(1.7) }), input: [4, 3], params: 4 * 3 },
  { name: 'batchNormalization on images', make: (b) => L.batchNormalization({ ...b, momentum: 0.9, gammaInitializer: hb.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 3 }) }), input: [3, 2, 2, 2], params: 4 * 2 },
  { name: 'batchNormalization axis 1, no center', make: (b) => L.batchNormalization({ ...b, axis: 1, center: false }), input: [3, 2, 4], params: 3 * 2 },
  { name: 'layerNormalization', make: (b) => L.layerNormalization(b), input: [2, 5], params: 2 * 5 },
  { name: 'localResponseNormalization', make: (b) => L.localResponseNormalization({ ...b, depthRadius: 2, bias: 2, alpha: 0.5, beta: 0.75 }), input: [2, 3, 2, 5], params: 0 },
  { name: 'localResponseNormalization defaults', make: (b) => L.localResponseNormalization(b), input: [1, 2, 2, 3], params: 0 },
  { name: 'layerNormalization over [T, F]', make: (b) => L.layerNormalization({ ...b, axis: [1, 2], betaInitializer: hb.initializers.randomNormal({ seed: 2 }) }), input: [2, 3, 4], params: 2 * 12 },

  // convolutions: ∏k · C/groups · filters + filters
  { name: 'conv1d causal dilated', make: (b) => L.conv1d({ ...b, filters: 3, kernelSize: 2, padding: 'causal', dilationRate: 2 }), input: [2, 6, 2], params: 2 * 2 * 3 + 3 },
  { name: 'conv1d same stride 2', make: (b) => L.conv1d({ ...b, filters: 2, kernelSize: 3, padding: 'same', strides: 2, activation: 'sigmoid' }), input: [1, 7, 2], params: 3 * 2 * 2 + 2 },
  { name: 'conv2d same stride 2', make: (b) => L.conv2d({ ...b, filters: 4, kernelSize: 3, padding: 'same', strides: 2 }), input: [1, 5, 5, 2], params: 3 * 3 * 2 * 4 + 4 },
  { name: 'conv2d valid [2,3] kernel, relu', make: (b) => L.conv2d({ ...b, filters: 2, kernelSize: [2, 3], activation: 'relu', biasInitializer: hb.initializers.constant(0.1) }), input: [2, 4, 5, 1], params: 2 * 3 * 1 * 2 + 2 },
  { name: 'conv2d grouped', make: (b) => L.conv2d({ ...b, filters: 4, kernelSize: 2, groups: 2 }), input: [1, 4, 4, 4], params: 2 * 2 * 2 * 4 + 4 },
  { name: 'conv2d dilated', make: (b) => L.conv2d({ ...b, filters: 2, kernelSize: 2, dilationRate: 2, useBias: false }), input: [1, 5, 5, 2], params: 2 * 2 * 2 * 2 },
  { name: 'conv3d', make: (b) => L.conv3d({ ...b, filters: 2, kernelSize: 2 }), input: [1, 3, 3, 3, 2], params: 2 * 2 * 2 * 2 * 2 + 2 },
  { name: 'conv1dTranspose', make: (b) => L.conv1dTranspose({ ...b, filters: 2, kernelSize: 3, strides: 2 }), input: [1, 3, 2], params: 3 * 2 * 2 + 2 },
  { name: 'conv2dTranspose same stride 2', make: (b) => L.conv2dTranspose({ ...b, filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), input: [1, 3, 3, 3], params: 3 * 3 * 2 * 3 + 2 },
  { name: 'conv2dTranspose valid, kernel < stride', make: (b) => L.conv2dTranspose({ ...b, filters: 2, kernelSize: 2, strides: 3 }), input: [1, 2, 2, 2], params: 2 * 2 * 2 * 2 + 2 },
  { name: 'conv2dTranspose outputPadding', make: (b) => L.conv2dTranspose({ ...b, filters: 1, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 0 }), input: [1, 2, 3, 2], params: 3 * 3 * 1 * 2 + 1 },
  { name: 'conv3dTranspose', make: (b) => L.conv3dTranspose({ ...b, filters: 1, kernelSize: 2, strides: 2 }), input: [1, 2, 2, 2, 2], params: 2 * 2 * 2 * 1 * 2 + 1 },
  { name: 'depthwiseConv2d', make: (b) => L.depthwiseConv2d({ ...b, kernelSize: 3, depthMultiplier: 2, padding: 'same' }), input: [1, 4, 4, 2], params: 3 * 3 * 2 * 2 + 2 * 2 },
  { name: 'separableConv2d', make: (b) => L.separableConv2d({ ...b, filters: 3, kernelSize: 2, depthMultiplier: 2 }), input: [1, 4, 4, 2], params: 2 * 2 * 2 * 2 + 1 * 1 * 4 * 3 + 3 },

  // pooling
  { name: 'maxPooling1d', make: (b) => L.maxPooling1d(b), input: [2, 5, 2], params: 0 },
  { name: 'maxPooling2d', make: (b) => L.maxPooling2d(b), input: [1, 4, 5, 2], params: 0 },
  { name: 'maxPooling2d same, 3x3 stride 1', make: (b) => L.maxPooling2d({ ...b, poolSize: 3, strides: 1, padding: 'same' }), input: [1, 3, 3, 1], params: 0 },
  { name: 'maxPooling3d', make: (b) => L.maxPooling3d(b), input: [1, 2, 4, 4, 1], params: 0 },
  { name: 'averagePooling1d', make: (b) => L.averagePooling1d({ ...b, poolSize: 3, strides: 2 }), input: [2, 7, 2], params: 0 },
  { name: 'averagePooling2d same', make: (b) => L.averagePooling2d({ ...b, poolSize: 2, padding: 'same' }), input: [1, 3, 5, 2], params: 0 },
  { name: 'averagePooling3d', make: (b) => L.averagePooling3d(b), input: [1, 2, 2, 4, 1], params: 0 },
  { name: 'sumPooling1d same', make: (b) => L.sumPooling1d({ ...b, poolSize: 3, strides: 2, padding: 'same' }), input: [2, 6, 2], params: 0 },
  { name: 'sumPooling2d', make: (b) => L.sumPooling2d(b), input: [1, 4, 5, 2], params: 0 },
  { name: 'sumPooling2d same, 3x3 stride 1', make: (b) => L.sumPooling2d({ ...b, poolSize: 3, strides: 1, padding: 'same' }), input: [1, 3, 4, 1], params: 0 },
  { name: 'sumPooling3d', make: (b) => L.sumPooling3d(b), input: [1, 2, 2, 4, 1], params: 0 },
  { name: 'globalAveragePooling1d', make: (b) => L.globalAveragePooling1d(b), input: [2, 4, 3], params: 0 },
  { name: 'globalAveragePooling2d', make: (b) => L.globalAveragePooling2d(b), input: [2, 3, 3, 2], params: 0 },
  { name: 'globalAveragePooling3d keepDims', make: (b) => L.globalAveragePooling3d({ ...b, keepDims: true }), input: [1, 2, 2, 2, 3], params: 0 },
  { name: 'globalMaxPooling1d', make: (b) => L.globalMaxPooling1d(b), input: [2, 4, 3], params: 0 },
  { name: 'globalMaxPooling2d', make: (b) => L.globalMaxPooling2d(b), input: [2, 3, 3, 2], params: 0 },
  { name: 'globalMaxPooling3d', make: (b) => L.globalMaxPooling3d(b), input: [1, 2, 2, 2, 3], params: 0 },

  // spatial resizing
  { name: 'zeroPadding1d', make: (b) => L.zeroPadding1d({ ...b, padding: [1, 2] }), input: [2, 3, 2], params: 0 },
  { name: 'zeroPadding2d', make: (b) => L.zeroPadding2d({ ...b, padding: [[1, 0], [2, 1]] }), input: [1, 2, 3, 2], params: 0 },
  { name: 'zeroPadding3d', make: (b) => L.zeroPadding3d(b), input: [1, 1, 2, 2, 1], params: 0 },
  { name: 'cropping1d', make: (b) => L.cropping1d({ ...b, cropping: [1, 2] }), input: [2, 6, 2], params: 0 },
  { name: 'cropping2d', make: (b) => L.cropping2d({ ...b, cropping: [[1, 0], [1, 2]] }), input: [1, 4, 5, 2], params: 0 },
  { name: 'cropping3d', make: (b) => L.cropping3d({ ...b, cropping: 1 }), input: [1, 3, 4, 3, 1], params: 0 },
  { name: 'upSampling1d', make: (b) => L.upSampling1d({ ...b, size: 3 }), input: [2, 3, 2], params: 0 },
  { name: 'upSampling2d nearest', make: (b) => L.upSampling2d({ ...b, size: [2, 3] }), input: [1, 2, 3, 2], params: 0 },
  { name: 'upSampling2d bilinear', make: (b) => L.upSampling2d({ ...b, interpolation: 'bilinear' }), input: [1, 3, 2, 2], params: 0 },
  { name: 'upSampling3d', make: (b) => L.upSampling3d(b), input: [1, 2, 1, 2, 1], params: 0 },

  // merging
  { name: 'add (3 inputs)', make: (b) => L.add(b), input: [[2, 3], [2, 3], [2, 3]], params: 0 },
  { name: 'add (broadcast)', make: (b) => L.add(b), input: [[2, 2, 3], [2, 1, 3]], params: 0 },
  { name: 'subtract', make: (b) => L.subtract(b), input: [[2, 3], [2, 3]], params: 0 },
  { name: 'multiply', make: (b) => L.multiply(b), input: [[2, 3], [2, 3]], params: 0 },
  { name: 'average', make: (b) => L.average(b), input: [[2, 3], [2, 3], [2, 3]], params: 0 },
  { name: 'maximum', make: (b) => L.maximum(b), input: [[2, 3], [2, 3]], params: 0 },
  { name: 'minimum', make: (b) => L.minimum(b), input: [[2, 3], [2, 3]], params: 0 },
  { name: 'concatenate channels', make: (b) => L.concatenate(b), input: [[2, 2, 3], [2, 2, 1]], params: 0 },
  { name: 'concatenate axis 1', make: (b) => L.concatenate({ ...b, axis: 1 }), input: [[2, 1, 3], [2, 2, 3]], params: 0 },

  // recurrent (batch 2, time 3, features 2, units 3): G·u gates → F·G + u·G + G
  { name: 'simpleRNN', make: (b) => L.simpleRNN({ ...b, units: 3 }), input: [2, 3, 2], params: 2 * 3 + 3 * 3 + 3 },
  { name: 'simpleRNN returnSequences, goBackwards, relu', make: (b) => L.simpleRNN({ ...b, units: 3, returnSequences: true, goBackwards: true, activation: 'relu', biasInitializer: hb.initializers.constant(0.5) }), input: [2, 3, 2], params: 2 * 3 + 3 * 3 + 3 },
  { name: 'lstm', make: (b) => L.lstm({ ...b, units: 3 }), input: [2, 3, 2], params: 4 * (2 * 3 + 3 * 3 + 3) },
  { name: 'lstm returnSequences, no bias', make: (b) => L.lstm({ ...b, units: 3, returnSequences: true, useBias: false }), input: [2, 3, 2], params: 4 * (2 * 3 + 3 * 3) },
  { name: 'gru (resetAfter)', make: (b) => L.gru({ ...b, units: 3, biasInitializer: hb.initializers.randomNormal({ seed: 4 }) }), input: [2, 3, 2], params: 3 * (2 * 3 + 3 * 3) + 2 * 3 * 3 },
  { name: 'gru resetAfter false, returnSequences', make: (b) => L.gru({ ...b, units: 3, resetAfter: false, returnSequences: true, biasInitializer: hb.initializers.randomNormal({ seed: 4 }) }), input: [2, 3, 2], params: 3 * (2 * 3 + 3 * 3 + 3) },
  { name: 'bidirectional lstm (concat)', make: (b) => L.bidirectional({ ...b, layer: L.lstm({ ...b, units: 3 }) }), input: [2, 3, 2], params: 2 * 4 * (2 * 3 + 3 * 3 + 3) },
  { name: 'bidirectional simpleRNN returnSequences (sum)', make: (b) => L.bidirectional({ ...b, mergeMode: 'sum', layer: L.simpleRNN({ ...b, units: 3, returnSequences: true }) }), input: [2, 3, 2], params: 2 * (2 * 3 + 3 * 3 + 3) },
  { name: 'bidirectional gru (ave)', make: (b) => L.bidirectional({ ...b, mergeMode: 'ave', layer: L.gru({ ...b, units: 2 }) }), input: [2, 3, 2], params: 2 * (3 * (2 * 2 + 2 * 2) + 2 * 3 * 2) },
  { name: 'timeDistributed dense', make: (b) => L.timeDistributed({ ...b, layer: L.dense({ ...b, units: 3, activation: 'tanh' }) }), input: [2, 3, 2], params: 2 * 3 + 3 },
  { name: 'timeDistributed conv2d', make: (b) => L.timeDistributed({ ...b, layer: L.conv2d({ ...b, filters: 2, kernelSize: 2 }) }), input: [2, 3, 3, 3, 1], params: 2 * 2 * 1 * 2 + 2 },
  // the generic rnn around each built-in cell (covers the cell classes as its sublayer); masking
  { name: 'rnn(lstmCell)', make: (b) => L.rnn({ ...b, cell: L.lstmCell({ units: 3, dtype: b.dtype }) }), input: [2, 3, 2], params: 4 * (2 * 3 + 3 * 3 + 3) },
  { name: 'rnn(simpleRNNCell) returnSequences', make: (b) => L.rnn({ ...b, cell: L.simpleRNNCell({ units: 3, dtype: b.dtype }), returnSequences: true }), input: [2, 3, 2], params: 2 * 3 + 3 * 3 + 3 },
  { name: 'rnn(gruCell)', make: (b) => L.rnn({ ...b, cell: L.gruCell({ units: 3, dtype: b.dtype }) }), input: [2, 3, 2], params: 3 * (2 * 3 + 3 * 3) + 2 * 3 * 3 },
  { name: 'masking', make: (b) => L.masking({ ...b, maskValue: 0 }), input: [2, 3, 2], params: 0 },
  // registered layers that live outside hb.layers: the Siamese head, the denoising auto-encoder's noise, ONNX import's elementwise op
  { name: 'PairDistance (euclidean)', make: (b) => new hb.zoo.PairDistance(b), input: [[2, 4], [2, 4]], params: 0 },
  { name: 'PairDistance (absDiff)', make: (b) => new hb.zoo.PairDistance({ ...b, mode: 'absDiff' }), input: [[2, 4], [2, 4]], params: 0 },
  { name: 'L2Normalize', make: (b) => new hb.zoo.L2Normalize(b), input: [3, 5], params: 0 },
  { name: 'MinibatchStdDev', make: (b) => new hb.generative.MinibatchStdDev(b), input: [3, 2, 2, 2], params: 0 },
  { name: 'MinibatchStdDev on [N, F]', make: (b) => new hb.generative.MinibatchStdDev({ ...b, epsilon: 1e-6 }), input: [4, 3], params: 0 },
  { name: 'LatentCode', make: (b) => new hb.generative.LatentCode({ ...b, classes: 3 }), input: [4, 5], params: 0 },
  { name: 'MaskingNoise', make: (b) => new hb.generative.MaskingNoise({ ...b, rate: 0.3, seed: 1 }), input: [2, 5], params: 0 },
  { name: 'OnnxElementwise (add a constant)', make: (b) => new OnnxElementwise({ ...b, op: 'add', constantShape: [4] }), input: [2, 4], params: 4 },
  { name: 'OnnxElementwise (mul two inputs)', make: (b) => new OnnxElementwise({ ...b, op: 'mul' }), input: [[2, 4], [2, 4]], params: 0 },

  // capsules: primaryCaps is a conv (k·k·C·caps·dim + caps·dim); capsule W is [I, J, D, inDim], no bias
  { name: 'primaryCaps 3 caps × 2-D, stride 2', make: (b) => L.primaryCaps({ ...b, numCapsules: 3, capsuleDim: 2, kernelSize: 3, strides: 2 }), input: [2, 5, 5, 2], params: 3 * 3 * 2 * 6 + 6 },
  { name: 'capsule 3 routings', make: (b) => L.capsule({ ...b, numCapsules: 2, capsuleDim: 3, routings: 3 }), input: [2, 4, 2], params: 4 * 2 * 3 * 2 },
  { name: 'capsule 1 routing', make: (b) => L.capsule({ ...b, numCapsules: 3, capsuleDim: 2, routings: 1 }), input: [1, 3, 4], params: 3 * 3 * 2 * 4 },
  { name: 'capsuleLength', make: (b) => L.capsuleLength(b), input: [2, 3, 4], params: 0 },
  { name: 'capsuleMask by labels', make: (b) => L.capsuleMask(b), input: [[2, 3, 4], [2, 3]], params: 0 },
  { name: 'capsuleMask by the longest capsule', make: (b) => L.capsuleMask(b), input: [2, 3, 4], params: 0 },

  // graph convolution on [features, adjacency]: F·units + units
  { name: 'graphConv', make: (b) => L.graphConv({ ...b, units: 3, activation: 'tanh' }), input: [[5, 2], [5, 5]], params: 2 * 3 + 3 },
  { name: 'graphConv batched, no bias', make: (b) => L.graphConv({ ...b, units: 2, useBias: false }), input: [[2, 4, 3], [2, 4, 4]], params: 3 * 2 },
];

// Registered classes that are not layers in this sense: models and their input placeholder,
// which test/model covers (they have no constructor options to configure from a row).
const NOT_HARNESSED = new Set(['Functional', 'Model', 'Sequential', 'InputLayer', 'GAN', 'VAE']);

describe('layer harness coverage', () => {
  it('has a row for every registered layer class (a new layer must add one here)', () => {
    const covered = new Set<string>();
    const visit = (l: Layer): void => {
      covered.add(l.className);
      l.sublayers().forEach(visit);
    };
    for (const c of cases) visit(c.make({}));
    const missing = hb.layerClassNames().filter((n) => !covered.has(n) && !NOT_HARNESSED.has(n));
    expect(missing).toEqual([]);
  });
});

const isList = (s: number[] | number[][]): s is number[][] => Array.isArray(s[0]);

/** Inputs for a case: seeded normal samples (or integer ids), in `dtype`. */
function inputsFor(c: Case, dtype: 'float32' | 'float64', seed = 7): hb.Tensor[] {
  const shapes = isList(c.input) ? c.input : [c.input];
  return shapes.map((s, i) => (c.ids !== undefined ? hb.randomInt(s, 0, c.ids, { seed: seed + i }) : hb.randomNormal(s, { seed: seed + i, dtype })));
}

/** Call the layer on one tensor, or on a list (merge layers). */
function run(layer: Layer, xs: hb.Tensor[], training = false): hb.Tensor {
  const out = xs.length === 1 ? layer.apply(xs[0], { training }) : layer.apply(xs, { training });
  if (Array.isArray(out)) throw new Error(`${layer.name}: expected one output`);
  return out;
}

const withUnknownBatch = (s: number[]): (number | null)[] => [null, ...s.slice(1)];

describe.each(cases)('layer harness: $name', (c) => {
  it('infers the output shape (computeOutputShape and symbolic apply)', () => {
    const layer = c.make({});
    const xs = inputsFor(c, 'float32');
    const y = run(layer, xs);
    const shapes = xs.map((x) => [...x.shape]);
    const arg = (f: (s: number[]) => (number | null)[]) => (isList(c.input) ? shapes.map(f) : f(shapes[0]));
    expect(layer.computeOutputShape(arg((s) => s))).toEqual([...y.shape]);
    expect(layer.computeOutputShape(arg(withUnknownBatch))).toEqual(withUnknownBatch([...y.shape]));
    const symbolic = xs.map((x, i) => new hb.SymbolicTensor(withUnknownBatch([...x.shape]), x.dtype, `x${i}`));
    const out = symbolic.length === 1 ? layer.apply(symbolic[0]) : layer.apply(symbolic);
    expect(out).toBeInstanceOf(hb.SymbolicTensor);
    expect((out as hb.SymbolicTensor).shape).toEqual(withUnknownBatch([...y.shape]));
    expect(layer.countParams()).toBe(c.params);
  });

  it('survives getConfig → JSON → deserializeLayer', () => {
    const layer = c.make({});
    run(layer, inputsFor(c, 'float32'));
    const saved = JSON.parse(JSON.stringify({ className: layer.className, config: layer.getConfig() })) as hb.Serialized;
    const copy = hb.deserializeLayer(saved);
    expect(copy.constructor).toBe(layer.constructor);
    expect(copy.getConfig()).toEqual(layer.getConfig());
  });

  it('gives identical outputs after a weights round trip', () => {
    const layer = c.make({});
    const xs = inputsFor(c, 'float32');
    run(layer, xs, true); // a training call first, so batch norm's moving statistics move
    const y = run(layer, xs);
    const copy = hb.deserializeLayer({ className: layer.className, config: layer.getConfig() });
    run(copy, xs);
    copy.setWeights(layer.getWeights());
    expect(Array.from(run(copy, xs).dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it('passes a float64 gradient check w.r.t. inputs and trainable weights', () => {
    const layer = c.make({ dtype: 'float64' });
    const xs = inputsFor(c, 'float64');
    run(layer, xs);
    const vars = layer.trainableWeights;
    const original = vars.map((v) => v.value.clone());
    const nIn = c.skipInputGrad ? 0 : xs.length;
    const f = (...args: hb.Tensor[]): hb.Tensor => {
      // Clones (differentiable copies): assign() disposes the value it replaces, and checkGrad still owns its arguments.
      vars.forEach((v, i) => v.assign(hb.clone(args[nIn + i])));
      return run(layer, nIn === 0 ? xs : args.slice(0, nIn));
    };
    const result = hb.checkGrad(f, [...(nIn === 0 ? [] : xs), ...original], { tol: c.tol ?? 1e-6 });
    vars.forEach((v, i) => v.assign(original[i].clone()));
    expect(result.worst === null || result.ok, JSON.stringify(result.worst)).toBe(true);
    expect(result.maxRelError).toBeLessThan(c.tol ?? 1e-6);
  });

  it('lowers a squared loss with one SGD step (if it has trainable weights)', () => {
    const layer = c.make({});
    const xs = inputsFor(c, 'float32');
    const y0 = run(layer, xs, true);
    const vars = layer.trainableWeights;
    if (c.params > 0) expect(vars.length).toBeGreaterThan(0);
    if (vars.length === 0) return;
    const target = hb.randomNormal(y0.shape, { seed: 99 });
    const loss = (): hb.Tensor => hb.mean(hb.square(hb.sub(run(layer, xs, true), target)));
    const { value, grads } = hb.variableGrads(loss, vars.map((v) => v.value));
    const before = value.item();
    vars.forEach((v, i) => v.assign(hb.sub(v.value, hb.mul(grads[i], 0.01))));
    const after = loss().item();
    expect(after).toBeLessThan(before);
  });
});
