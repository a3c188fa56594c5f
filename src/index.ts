// hebb's public API: `import * as hb from 'hebb'`. Re-exports only; see shared/API.md.
import { getBackendInstance } from './backend/index.js';
import type { Tensor } from './tensor/index.js';

export { HebbError, ShapeError, DTypeError, ValueError, FormatError } from './base/index.js';
export type { DType, TypedArray } from './base/index.js';
export { setSeed, setDebug, flags } from './base/index.js';
export { setBackend, getBackend, listBackends, registerBackend } from './backend/index.js';
export type { Backend, KernelName, KernelAttrs } from './backend/index.js';

export {
  Tensor, tensor, scalar, zeros, ones, full, zerosLike, onesLike, fullLike, eye, arange, linspace,
  randomNormal, randomUniform, truncatedNormal, randomInt, tidy, keep,
} from './tensor/index.js';
export type { TensorLike, NestedArray, RandomNormalOptions, RandomUniformOptions } from './tensor/index.js';

export {
  // elementwise
  add, sub, mul, div, pow, mod, neg, abs, sign, exp, log, sqrt, rsqrt, square, reciprocal, log1p, expm1,
  erf, sin, cos, floor, ceil, round, clip, maximum, minimum, where, cast,
  equal, notEqual, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, logicalNot, isNaN, isFinite,
  // linear algebra
  matmul, dot, outer,
  // movement
  reshape, transpose, concat, stack, unstack, split, slice, gather, scatterAdd, pad, flatten, expandDims,
  squeeze, tile, broadcastTo, reverse, oneHot, clone,
  // reductions
  sum, mean, max, min, argmax, argmin, variance, std, logSumExp, any, all,
  // activations
  relu, relu6, sigmoid, tanh, softmax, logSoftmax, leakyRelu, elu, selu, gelu, softplus, swish, softsign, hardSigmoid,
  // neural-network functions
  conv1d, conv2d, conv3d, conv1dTranspose, conv2dTranspose, conv3dTranspose, depthwiseConv2d, separableConv2d,
  maxPool1d, maxPool2d, maxPool3d, avgPool1d, avgPool2d, avgPool3d, l2Pool1d, l2Pool2d, l2Pool3d, sumPool1d, sumPool2d, sumPool3d,
  localResponseNormalization, dropout,
} from './ops/index.js';
export type { ConvOptions, ConvTransposeOptions, PoolOptions, Padding, DropoutOptions, Axis, LocalResponseNormalizationOptions } from './ops/index.js';

export { grad, valueAndGrad, variableGrads, vjp, customGrad, checkGrad, noGrad, stopGradient } from './autograd/index.js';
export type { CheckGradOptions, CheckGradResult, CustomGradResult } from './autograd/index.js';

/** Release several tensors now (arrays and nested arrays of tensors are accepted). */
export function dispose(...ts: (Tensor | readonly Tensor[] | null | undefined)[]): void {
  for (const t of ts.flat()) t?.dispose();
}

/** Live buffers and bytes on the current backend. */
export function memory(): { buffers: number; bytes: number; backend: string } {
  const b = getBackendInstance();
  return { ...b.memory(), backend: b.name };
}

// Areas below are filled in by their owners; add exports under your marker only.
// [wasm] exports
export { ready } from './backend/index.js';
export { setThreads, getThreads } from './backend/wasm/index.js';
// [nn] exports
export {
  Layer, Variable, SymbolicTensor, isSymbolic, registerLayer, deserializeLayer, layerClassNames, getActivation,
  layers, initializers, regularizers, constraints, losses, metrics,
  getInitializer, getRegularizer, getConstraint, getLoss, createMetric, resolveAccuracy,
} from './nn/index.js';
export type {
  Shape, Config, ConfigValue, Serialized, Initializer, Regularizer, Constraint, CallArgs, LayerArgs, InputSpec, LayerNode,
  VariableOptions, ActivationName, InitializerIdentifier, RegularizerIdentifier, ConstraintIdentifier,
  LossFn, LossName, LossOptions, Reduction, Metric, MetricName, AccuracyName,
} from './nn/index.js';
// [sequences] exports (issue 10): CTC decoding; sequence masks riding on tensors
export { ctcDecode, getMask, setMask } from './nn/index.js';
export type { CtcDecodeOptions, CtcDecodeResult, MaskArg } from './nn/index.js';
// [optim] exports
export * as optimizers from './optim/index.js';
export { schedules } from './optim/index.js';
export type { Optimizer, OptimizerOptions, LearningRateSchedule, OptimizerVariable, GradientPair } from './optim/index.js';
// [model] exports
export {
  Model, Sequential, InputLayer, model, sequential, input, loadModel, callbacks, Callback, History,
} from './model/index.js';
export type {
  ModelArgs, SequentialArgs, InputOptions, CompileArgs, LossSpec, MetricSpec, MetricFn, CustomObjects, FitOptions, EvaluateOptions,
  PredictOptions, BatchOptions, Logs, ModelData, SaveOptions, LoadOptions, SummaryOptions, CallbackHooks, FitParams,
} from './model/index.js';
// [io] exports
export * as io from './io/index.js';
// [data] exports
export { datasets, data } from './data/index.js';
// [zoo] exports
export * as zoo from './zoo/index.js';
export type { ZooOptions, MlpOptions } from './zoo/index.js';
