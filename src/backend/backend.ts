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

export interface Backend {
  readonly name: string;
  /** A new zero-filled buffer of `size` elements. */
  alloc(dtype: DType, size: number): DataId;
  /** Overwrite the whole buffer with `values` (same length and storage type). */
  write(id: DataId, values: TypedArray): void;
  /** A copy of the buffer's contents. */
  read(id: DataId): TypedArray;
  /** Release the buffer; the handle is invalid afterwards. */
  free(id: DataId): void;
  /** Whether `run` can execute `kernel` for these dtypes; if not, dispatch falls back to cpu. */
  supports(kernel: KernelName, dtypes: readonly DType[]): boolean;
  /** Fill `outputs` from `inputs`. Outputs are freshly allocated by the caller. */
  run<K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void;
  /** Live buffers and bytes, for leak tests and `hb.memory()`. */
  memory(): { buffers: number; bytes: number };
}
