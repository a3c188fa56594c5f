// The shape of the backend's kernel table: per kernel, which dtypes and attributes it takes and
// how it records its work on the GPU.
/// <reference types="@webgpu/types" />
import type { DType, TypedArray } from '../../../base/index.js';
import type { TensorInfo } from '../../backend.js';
import type { KernelAttrs, KernelName } from '../../kernels.js';
import type { GpuContext } from '../program.js';

/** A kernel operand: its shape and dtype with its GPU buffer. */
export interface GpuTensor extends TensorInfo {
  readonly buffer: GPUBuffer;
  /** Elements (the product of the shape). */
  readonly size: number;
}

export interface WebGpuKernel<K extends KernelName> {
  /** Whether the kernel runs for these dtypes (inputs then outputs) and attributes. */
  supports(dtypes: readonly DType[], attrs?: KernelAttrs[K]): boolean;
  /**
   * Record the work into ctx's encoder; it must write every element of every output.
   * `cpuValues` gives an operand's values where they are also on the CPU (null otherwise),
   * e.g. to check indices before a gather.
   */
  encode(ctx: GpuContext, inputs: readonly GpuTensor[], outputs: readonly GpuTensor[], attrs: KernelAttrs[K], cpuValues: (t: TensorInfo) => TypedArray | null): void;
}

/** The sizes of a window op over 5-D channels-last data: input [n, d, h, w, c], output [n, od, oh, ow, …]. */
export interface WindowDims {
  n: number;
  d: number;
  h: number;
  w: number;
  c: number;
  od: number;
  oh: number;
  ow: number;
}

export type WebGpuKernelTable = { readonly [K in KernelName]?: WebGpuKernel<K> };

/** float32, int32 and bool: every dtype WGSL can hold. */
export function gpuDtypes(dtypes: readonly DType[]): boolean {
  return dtypes.every((d) => d !== 'float64');
}
