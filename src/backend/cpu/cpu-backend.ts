// The reference backend: buffers are plain typed arrays in a map, kernels are the readable
// loops in this folder. It implements every kernel for every dtype; it is the specification
// that faster backends are tested against.
import { allocArray, type DType, type TypedArray, ValueError } from '../../base/index.js';
import type { Backend, DataId, TensorInfo } from '../backend.js';
import type { KernelAttrs, KernelName } from '../kernels.js';
import type { Buf } from './buffer.js';
import { conv, convBackpropFilter, convBackpropInput } from './conv.js';
import { binary, broadcastTo, cast, unary, where } from './elementwise.js';
import { fusedConv, fusedMatmul, softmax } from './fused.js';
import { matmul } from './matmul.js';
import { concat, gather, pad, scatterAdd, slice, transpose } from './movement.js';
import { batchNormTraining, batchNormTrainingGrad, reluBackprop } from './normalization.js';
import { avgPoolBackprop, maxPoolBackprop, pool } from './pool.js';
import { gruSequence, gruSequenceGrad, lstmSequence, lstmSequenceGrad } from './recurrent.js';
import { cumsum, reduce } from './reduce.js';

export type CpuKernel<K extends KernelName> = (inputs: Buf[], outputs: Buf[], attrs: KernelAttrs[K]) => void;

/** Every kernel name must have an entry (cpu is what other backends fall back to): a missing one is a compile error. */
export const CPU_KERNELS: { readonly [K in KernelName]: CpuKernel<K> } = {
  unary, binary, where, cast, broadcastTo, reduce, cumsum, matmul, transpose, slice, pad, concat,
  gather, scatterAdd, conv, convBackpropInput, convBackpropFilter, pool, avgPoolBackprop,
  lstmSequence, lstmSequenceGrad, gruSequence, gruSequenceGrad, fusedMatmul, fusedConv, softmax,
  batchNormTraining, batchNormTrainingGrad, reluBackprop, maxPoolBackprop,
};

export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private buffers = new Map<DataId, TypedArray>();
  private nextId = 1;

  alloc(dtype: DType, size: number): DataId {
    const id = this.nextId++;
    this.buffers.set(id, allocArray(dtype, size));
    return id;
  }

  write(id: DataId, values: TypedArray): void {
    this.get(id).set(values);
  }

  read(id: DataId): TypedArray {
    return this.get(id).slice();
  }

  free(id: DataId): void {
    this.buffers.delete(id);
  }

  supports(): boolean {
    return true;
  }

  run<K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void {
    const buf = (t: TensorInfo): Buf => ({ data: this.get(t.id), shape: t.shape, dtype: t.dtype });
    (CPU_KERNELS[kernel] as CpuKernel<K>)(inputs.map(buf), outputs.map(buf), attrs);
  }

  memory(): { buffers: number; bytes: number } {
    let bytes = 0;
    for (const b of this.buffers.values()) bytes += b.byteLength;
    return { buffers: this.buffers.size, bytes };
  }

  /** Direct access to a buffer, for the dispatcher's fallback path. */
  get(id: DataId): TypedArray {
    const b = this.buffers.get(id);
    if (!b) throw new ValueError(`cpu backend: buffer ${id} does not exist (freed or never allocated)`);
    return b;
  }
}

