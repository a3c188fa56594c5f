// Models: hb.input / hb.sequential / hb.model, training, callbacks, summary, save and load.
import { checkOptions, is } from '../base/index.js';
import { type ModelArgs, Model } from './model.js';

export { Model, rebuildGraph, type ModelArgs, type SymbolicList } from './model.js';
export { Sequential, sequential, type SequentialArgs } from './sequential.js';
export { InputLayer, input, type InputOptions } from './input-layer.js';
export { CompiledModel, type CompileArgs, type OptimizerSpec, type LossSpec, type MetricSpec, type MetricFn, type CustomObjects } from './compile.js';
export type { FitOptions, EvaluateOptions, PredictOptions, BatchOptions, Logs, ModelData, StepBatch, StepLogs } from './training.js';
export { defaultTrainStep, defaultTestStep } from './training.js';
export { loadModel, MODEL_FORMAT, FORMAT_VERSION, HEBB_VERSION, type SaveOptions, type LoadOptions, type LoadWeightsReport } from './save.js';
export type { SummaryOptions } from './summary.js';
export { Callback, CallbackList, History, type CallbackHooks, type FitParams } from './callbacks.js';
export * as callbacks from './callbacks-namespace.js';

/** A functional model from symbolic inputs to outputs: `hb.model({ inputs, outputs, name })`. */
export function model(args: ModelArgs): Model {
  checkOptions('model', args, { inputs: is.any, outputs: is.any, name: is.string, trainable: is.bool });
  return new Model(args);
}
