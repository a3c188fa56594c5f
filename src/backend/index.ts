export type { Backend, DataId, TensorInfo } from './backend.js';
export * from './kernels.js';
export * from './registry.js';
