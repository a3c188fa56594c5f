// The WebGPU backend's kernel table. A kernel without an entry (or a dtype its entry refuses,
// float64 always) runs on cpu through the dispatcher's fallback.
import { broadcastToKernel, binaryKernel, castKernel, unaryKernel, whereKernel } from './elementwise.js';
import { concatKernel, gatherKernel, padKernel, scatterAddKernel, sliceKernel, transposeKernel } from './movement.js';
import { cumsumKernel, reduceKernel } from './reduce.js';
import { avgPoolBackpropKernel, convBackpropFilterKernel, convBackpropInputKernel, convKernel, matmulKernel, poolKernel } from './spatial.js';
import type { WebGpuKernelTable } from './types.js';

export const WEBGPU_KERNELS: WebGpuKernelTable = {
  unary: unaryKernel,
  binary: binaryKernel,
  where: whereKernel,
  cast: castKernel,
  broadcastTo: broadcastToKernel,
  reduce: reduceKernel,
  cumsum: cumsumKernel,
  transpose: transposeKernel,
  slice: sliceKernel,
  pad: padKernel,
  concat: concatKernel,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  matmul: matmulKernel,
  conv: convKernel,
  convBackpropInput: convBackpropInputKernel,
  convBackpropFilter: convBackpropFilterKernel,
  pool: poolKernel,
  avgPoolBackprop: avgPoolBackpropKernel,
};

export type { GpuTensor, WebGpuKernel, WebGpuKernelTable } from './types.js';
