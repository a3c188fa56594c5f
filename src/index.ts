// hebb's public API: `import * as hb from 'hebb'` (the contract is docs/api.md). Re-exports, plus
// two small helpers over them (dispose, memory) that belong to no single layer of the stack.
import { getBackendInstance, instantiatedBackends } from './backend/index.js';
import * as ioFormats from './io/index.js';
import { exportOnnx, exportOnnxBytes, importOnnx, importOnnxBytes } from './model/onnx/index.js';
import { collectorStats, type Tensor } from './tensor/index.js';

export { HebbError, ShapeError, DTypeError, ValueError, FormatError, MemoryError } from './base/index.js';
export type { DType, TypedArray } from './base/index.js';
export { setSeed, setDebug, flags } from './base/index.js';
export { setBackend, getBackend, listBackends, registerBackend } from './backend/index.js';
export type { Backend, KernelName, KernelAttrs } from './backend/index.js';

export {
  Tensor, tensor, scalar, zeros, ones, full, zerosLike, onesLike, fullLike, eye, arange, linspace,
  randomNormal, randomUniform, truncatedNormal, randomInt, tidy, keep,
} from './tensor/index.js';
// [memory] collecting unreachable tensors' backend memory (issue 9)
export { nextTick, collect as collectGarbage } from './tensor/index.js';
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
  sum, mean, max, min, argmax, argmin, variance, std, logSumExp, any, all, cumsum,
  // activations
  relu, relu6, sigmoid, tanh, softmax, logSoftmax, leakyRelu, elu, selu, gelu, softplus, swish, softsign, hardSigmoid,
  // neural-network functions
  conv1d, conv2d, conv3d, conv1dTranspose, conv2dTranspose, conv3dTranspose, depthwiseConv2d, separableConv2d,
  maxPool1d, maxPool2d, maxPool3d, avgPool1d, avgPool2d, avgPool3d, l2Pool1d, l2Pool2d, l2Pool3d, sumPool1d, sumPool2d, sumPool3d,
  localResponseNormalization, l2Normalize, dropout,
} from './ops/index.js';
export type { ConvOptions, ConvTransposeOptions, PoolOptions, Padding, DropoutOptions, Axis, LocalResponseNormalizationOptions, CumsumOptions } from './ops/index.js';

export { grad, valueAndGrad, variableGrads, vjp, customGrad, checkGrad, noGrad, stopGradient } from './autograd/index.js';
export type { CheckGradOptions, CheckGradResult, CustomGradResult } from './autograd/index.js';

/** Release several tensors now (arrays and nested arrays of tensors are accepted). */
export function dispose(...ts: (Tensor | readonly Tensor[] | null | undefined)[]): void {
  for (const t of ts.flat()) t?.dispose();
}

/** What hb.memory() reports. */
export interface MemoryInfo {
  /** The current backend's name, and its live buffers and bytes (tensor buffers and any it keeps itself). */
  backend: string;
  buffers: number;
  bytes: number;
  /** Live tensor buffers and their bytes, over all backends (views of one buffer count once). */
  tensors: number;
  tensorBytes: number;
  /** Live buffers and bytes of every backend created so far. */
  backends: Record<string, { buffers: number; bytes: number }>;
  /** Garbage collections hebb forced because tensors allocated much (src/tensor/collector.ts). */
  collections: number;
}

/** Live tensors and bytes, per backend. */
export function memory(): MemoryInfo {
  const b = getBackendInstance();
  const stats = collectorStats();
  const backends: Record<string, { buffers: number; bytes: number }> = {};
  for (const other of instantiatedBackends()) backends[other.name] = other.memory();
  return { ...b.memory(), backend: b.name, tensors: stats.buffers, tensorBytes: stats.bytes, backends, collections: stats.collections };
}

// the wasm backend: initialisation and threads
export { ready } from './backend/index.js';
// setThreads governs the wasm pool and the native backend's oneDNN threads alike.
export { setThreads, getThreads } from './backend/native/index.js';
export { backends } from './backend/index.js';
export type { BackendStatus } from './backend/index.js';
// layers, losses, metrics, initializers, regularizers, constraints
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
// sequences: CTC decoding; sequence masks riding on tensors
export { ctcDecode, getMask, setMask } from './nn/index.js';
export type { CtcDecodeOptions, CtcDecodeResult, MaskArg } from './nn/index.js';
// optimizers and learning-rate schedules
/**
 * Optimizers (`hb.optimizers.adam({ learningRate: 1e-3 })`, `sgd`, `rmsprop`, `adagrad`, `adadelta`, `adamax`, `adamw`),
 * their classes, `get` by name, and the learning-rate schedules.
 */
export * as optimizers from './optim/index.js';
export { schedules } from './optim/index.js';
export type { Optimizer, OptimizerOptions, LearningRateSchedule, OptimizerVariable, GradientPair } from './optim/index.js';
// models, training, callbacks, saving and loading
export {
  Model, Sequential, InputLayer, model, sequential, input, loadModel, callbacks, Callback, History,
} from './model/index.js';
export type {
  ModelArgs, SequentialArgs, InputOptions, CompileArgs, LossSpec, MetricSpec, MetricFn, CustomObjects, FitOptions, EvaluateOptions,
  PredictOptions, BatchOptions, Logs, ModelData, SaveOptions, LoadOptions, SummaryOptions, CallbackHooks, FitParams,
} from './model/index.js';
// files (safetensors, the file system) and ONNX: hb.io is the io folder's file formats plus ONNX export/import, which live in
// src/model/onnx/ because they build layers and models (io may not import them).
/**
 * Files: safetensors reading and writing, the file-system abstraction, and ONNX export and import
 * (`hb.io.exportOnnx(model, 'model.onnx')`, `hb.io.importOnnx(path)`).
 */
export const io = { ...ioFormats, exportOnnx, exportOnnxBytes, importOnnx, importOnnxBytes };
// The io folder's types stay reachable as hb.io.FileSystem etc. (a type-only namespace merges with the value).
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace io {
  export type FileSystem = ioFormats.FileSystem;
  export type StoredTensor = ioFormats.StoredTensor;
  export type SafetensorsContent = ioFormats.SafetensorsContent;
  export type TensorSource = ioFormats.TensorSource;
}
export type { ExportOnnxOptions, ImportOnnxOptions } from './model/onnx/index.js';
// datasets and input pipelines
export { datasets, data } from './data/index.js';
// classic architectures
/** Classic architectures, each a function `({ inputShape?, classes? }) => Model`: `hb.zoo.lenet5()`, `hb.zoo.resnet18()` … */
export * as zoo from './zoo/index.js';
export type { ZooOptions, MlpOptions } from './zoo/index.js';
// generative: custom training steps in fit (trainStep/testStep), GANs, auto-encoders, RBMs
export { defaultTrainStep, defaultTestStep } from './model/index.js';
export type { StepBatch, StepLogs, OptimizerSpec } from './model/index.js';
/**
 * Generative models trained by `fit` through a custom `trainStep`: GANs (original, DCGAN, conditional, WGAN, WGAN-GP),
 * in-painting, auto-encoders and the VAE, and the Fréchet distance.
 */
export * as generative from './generative/index.js';
/**
 * Restricted Boltzmann machines (contrastive divergence, CD-k and PCD) and greedy layer-wise pre-training of a model's
 * dense layers.
 */
export * as unsupervised from './unsupervised/index.js';
// applications: feature extraction, explain, adversarial, image, detection
export { image } from './ops/index.js';
export type { ResizeOptions, ResizeMethod } from './ops/image.js';
/**
 * What a trained network sees and what its decisions depend on: saliency maps (vanilla, SmoothGrad, integrated
 * gradients), feature maps, activation maximisation, DeepDream, and image tiling.
 */
export * as explain from './explain/index.js';
/** Adversarial examples (FGSM, PGD) and adversarial training. */
export * as adversarial from './adversarial/index.js';
export { loadDetector, Detector } from './zoo/index.js';
export type { Detection, DetectOptions } from './zoo/index.js';
// browsers: training in a Web Worker with progress events, models over HTTP (docs/browser.md)
/**
 * Browser conveniences: training in a Web Worker with progress events, loading models over HTTP, and the page's
 * environment.
 */
export * as browser from './browser/index.js';
export type { TrainInWorkerOptions, TrainResult, WorkerTraining, WorkerSource, TrainProgress, BrowserEnvironment } from './browser/index.js';
