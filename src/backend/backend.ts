// The backend interface: small and data-only. A backend owns buffers behind integer handles
// and runs kernels over them; it knows nothing about tensors, autograd or shapes rules.
import type { DType, TypedArray } from '../base/index.js';
import type { KernelAttrs, KernelName } from './kernels.js';

export type DataId = number;

/** A buffer handle with the shape and dtype the caller reads it as. */
export interface TensorInfo {
  readonly id: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * What a backend implements: buffers (alloc, write, read, free) and `run(kernel, inputs, outputs, attrs)` over integer
 * handles; see docs/adding-a-backend.md.
 */
export interface Backend {
  readonly name: string;
  /** A new zero-filled buffer of `size` elements. */
  alloc(dtype: DType, size: number): DataId;
  /** Overwrite the whole buffer with `values` (same length and storage type). */
  write(id: DataId, values: TypedArray): void;
  /**
   * A copy of the buffer's contents. A backend whose data can only come back asynchronously
   * (WebGPU) throws here for such buffers, saying to use readAsync (`await t.data()`).
   */
  read(id: DataId): TypedArray;
  /** A copy of the buffer's contents, asynchronously; absent: `read` serves. */
  readAsync?(id: DataId): Promise<TypedArray>;
  /** Whether `read` works now for this buffer; absent: always. */
  readableSync?(id: DataId): boolean;
  /** Release the buffer; the handle is invalid afterwards. */
  free(id: DataId): void;
  /**
   * Whether `run` can execute `kernel` for these dtypes (inputs then outputs) and attributes;
   * if not, dispatch falls back to cpu. A kernel the backend has no record for is unsupported.
   */
  supports<K extends KernelName>(kernel: K, dtypes: readonly DType[], attrs?: KernelAttrs[K]): boolean;
  /** Fill `outputs` from `inputs`. Outputs are freshly allocated by the caller. */
  run<K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void;
  /** Live buffers and bytes, for leak tests and `hb.memory()`. */
  memory(): { buffers: number; bytes: number };
  /** Where its kernels ran so far (webgpu: on the GPU, or on CPU copies of small inputs), for hb.backends(). */
  kernelCounts?(): Record<string, number>;
}

/**
 * How a fast backend runs one kernel: the unit a new kernel is added as (docs/adding-a-kernel.md).
 * `Ctx` is the backend itself (what `run` needs to reach memory and threads).
 */
export interface KernelRecord<K extends KernelName, Ctx> {
  /** Fill `outputs` from `inputs` (called only when `supports` said yes). */
  run(ctx: Ctx, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void;
  /**
   * Whether this backend runs the kernel for these dtypes (inputs then outputs, as the
   * dispatcher lists them) and, when given, attributes (e.g. which unary op); no: cpu runs it.
   */
  supports(dtypes: readonly DType[], attrs?: KernelAttrs[K]): boolean;
  /** Whether `run` writes every element of every output, so outputs need no zero-fill first. */
  writesAll: boolean;
}

/**
 * A fast backend's kernels: optional per kernel. A kernel without a record runs on cpu, so a
 * new kernel in src/backend/kernels.ts compiles and works before any fast backend implements it.
 */
export type KernelTable<Ctx> = { readonly [K in KernelName]?: KernelRecord<K, Ctx> };

/** The record `table` holds for `kernel`, if any. */
export function kernelRecord<K extends KernelName, Ctx>(table: KernelTable<Ctx>, kernel: K): KernelRecord<K, Ctx> | undefined {
  return table[kernel] as KernelRecord<K, Ctx> | undefined;
}

/** `supports` for a backend whose kernels are a KernelTable. */
export function tableSupports<K extends KernelName, Ctx>(table: KernelTable<Ctx>, kernel: K, dtypes: readonly DType[], attrs?: KernelAttrs[K]): boolean {
  return kernelRecord(table, kernel)?.supports(dtypes, attrs) ?? false;
}
