export { Tensor, Storage, installMethods, type GradNode, type GradFn, type NestedArray } from './tensor.js';
export type { TensorMethods } from './methods.js';
export { runKernel, backendRuns, makeTensor, viewTensor, type OutputSpec } from './engine.js';
export { tidy, keep, trackTensor } from './scope.js';
export { record, isRecording, noGrad, withGradLevel, gradDepth, withRecording, swapCut } from './tape.js';
export * from './create.js';
export { collect, collectorStats, collectorMode, nextTick, setCollectBudget } from './collector.js';
