export * from './types.js';
export { Variable, type VariableOptions } from './variable.js';
export { SymbolicTensor, isSymbolic, type LayerNode } from './symbolic.js';
export { Layer, uniqueName, isShapeList, type LayerArgs, type InputSpec, type AddWeightOptions, type LayerClass, type LayerInput, type LayerOutput } from './layer.js';
export { registerLayer, deserializeLayer, layerClassNames } from './registry.js';
export { getActivation, normalizeActivation, activationNames, type ActivationName, type ActivationFn } from './activations.js';
/**
 * Layer factories (`hb.layers.dense({ units: 10, activation: 'relu' })`) and the layer classes: core, convolution,
 * pooling, normalisation, dropout and noise, recurrent, merging, reshaping, capsules and graph convolution.
 */
export * as layers from './layers/index.js';
/**
 * Weight initializers (`hb.initializers.glorotUniform({ seed: 1 })`, `heNormal`, `orthogonal` …), usable wherever a
 * layer takes `kernelInitializer` or `biasInitializer`.
 */
export * as initializers from './initializers.js';
/**
 * Weight penalties added to the loss (`hb.regularizers.l2(0.01)`, `l1`, `l1l2`), for a layer's `kernelRegularizer`,
 * `biasRegularizer` or `activityRegularizer`.
 */
export * as regularizers from './regularizers.js';
/**
 * Weight constraints applied after every optimizer step (`hb.constraints.maxNorm({ maxValue: 3 })`, `unitNorm`,
 * `nonNeg`, `minMaxNorm`, `clipValue`).
 */
export * as constraints from './constraints.js';
/**
 * Loss functions `(yTrue, yPred) => Tensor`: cross-entropies, mean squared and absolute errors, Huber, hinge, focal,
 * CTC, contrastive, triplet and margin losses.
 */
export * as losses from './losses.js';
/**
 * Metrics for `compile({ metrics })`: accuracies, top-k accuracy, errors, and the stateful metric objects that average
 * them over an epoch.
 */
export * as metrics from './metrics.js';
export { getInitializer, serializeInitializer, type InitializerIdentifier } from './initializers.js';
export { getRegularizer, serializeRegularizer, type RegularizerIdentifier } from './regularizers.js';
export { getConstraint, serializeConstraint, type ConstraintIdentifier } from './constraints.js';
export { getLoss, lossName, type LossFn, type LossName, type LossOptions, type Reduction } from './losses.js';
export { createMetric, resolveAccuracy, MeanMetric, type Metric, type MetricName, type AccuracyName } from './metrics.js';
// sequences (issue 10): CTC decoding and sequence masks
export { ctcDecode, type CtcDecodeOptions, type CtcDecodeResult } from './ctc-decode.js';
export { getMask, setMask, type MaskArg } from './mask.js';
