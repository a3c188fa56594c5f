// Running kernels on tensors: pick the backend, move inputs to it, fall back to the reference
// backend for kernels a fast backend lacks, wrap outputs as tensors and hand them to the
// enclosing tidy() scope.
import { type Backend, cpuBackend, getBackendInstance, type KernelAttrs, type KernelName, type TensorInfo } from '../backend/index.js';
import { bytesPerElement, type DType, debugOnce, fmtShape, MemoryError, sizeOf } from '../base/index.js';
import { collect, collectorStats } from './collector.js';
import { trackTensor } from './scope.js';
import { Storage, Tensor } from './tensor.js';

export interface OutputSpec {
  shape: readonly number[];
  dtype: DType;
}

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Whether `e` is a backend saying it has no room (typed, or an engine RangeError from a huge TypedArray). */
function isOutOfMemory(e: unknown): boolean {
  return e instanceof MemoryError || e instanceof RangeError;
}

function memoryError(op: string, backend: Backend, what: string, cause: unknown): MemoryError {
  const live = collectorStats();
  const err = new MemoryError(
    `${op}: out of memory on backend '${backend.name}' allocating ${what}; ${MiB(live.bytes)} is live in ${live.buffers} tensor buffers ` +
      `(${String(cause instanceof Error ? cause.message : cause)}). Tensors that are still referenced cannot be freed: ` +
      `wrap each step of a loop in hb.tidy(() => …), or dispose() tensors you no longer need.`,
  );
  return err;
}

/** A first attempt failed with `e`: rethrow what is not out-of-memory, else collect (MemoryError when nothing could be freed). */
function collectOrThrow(e: unknown, op: string, backend: Backend, what: string): void {
  if (!isOutOfMemory(e)) throw e;
  if (!collect()) throw memoryError(op, backend, what, e);
}

/** The attempt after a collection failed too: out of memory is a MemoryError, anything else is rethrown. */
function retryFailed(e: unknown, op: string, backend: Backend, what: string): never {
  if (!isOutOfMemory(e)) throw e;
  throw memoryError(op, backend, what, e);
}

/**
 * `backend.alloc`, and when the backend has no room: collect unreachable tensors and try once
 * more, then throw MemoryError (never a RangeError); the backend is unchanged and usable.
 */
function allocBuffer(backend: Backend, dtype: DType, size: number, op: string, shape: readonly number[]): number {
  try {
    return backend.alloc(dtype, size);
  } catch (e) {
    const what = `${fmtShape(shape)} ${dtype} (${MiB(size * bytesPerElement(dtype))})`;
    collectOrThrow(e, op, backend, what);
    try {
      return backend.alloc(dtype, size);
    } catch (again) {
      return retryFailed(again, op, backend, what);
    }
  }
}

/** A new tensor over a fresh buffer filled with `values` on the current backend. */
export function makeTensor(values: ArrayLike<number> | null, shape: readonly number[], dtype: DType, op = 'alloc'): Tensor {
  const backend = getBackendInstance();
  const size = sizeOf(shape);
  const id = allocBuffer(backend, dtype, size, op, shape);
  const storage = new Storage(backend, id, dtype, size);
  if (values !== null && size > 0) {
    backend.write(id, values as never);
  }
  return trackTensor(new Tensor(storage, shape, dtype));
}

/** A tensor of another shape over the same buffer (reshape never copies). */
export function viewTensor(x: Tensor, shape: readonly number[]): Tensor {
  x.assertAlive('reshape');
  return trackTensor(new Tensor(x.storage, shape, x.dtype));
}

/** Make sure `t`'s buffer lives on `backend`, moving it (for every view of it) if not. */
function moveTo(t: Tensor, backend: Backend): void {
  const h = t.storage.handle;
  if (h.backend === backend) return;
  const values = h.backend.read(h.id);
  const id = allocBuffer(backend, t.dtype, t.storage.size, 'setBackend', t.shape);
  if (values.length > 0) backend.write(id, values);
  h.backend.free(h.id);
  h.backend = backend;
  h.id = id;
}

/**
 * Whether the current backend runs `kernel` itself for these dtypes (inputs then outputs) and
 * attributes: ops with a fused kernel and an op-by-op equivalent use it to choose.
 */
export function backendRuns<K extends KernelName>(kernel: K, dtypes: readonly DType[], attrs: KernelAttrs[K]): boolean {
  return getBackendInstance().supports(kernel, dtypes, attrs);
}

/** Run `kernel` on `inputs` into fresh outputs of the given shapes and dtypes. */
export function runKernel<K extends KernelName>(kernel: K, inputs: readonly Tensor[], attrs: KernelAttrs[K], outputs: readonly OutputSpec[]): Tensor[] {
  const backend = getBackendInstance();
  for (const t of inputs) {
    t.assertAlive(kernel);
    moveTo(t, backend);
  }
  const results = outputs.map((o) => makeTensor(null, o.shape, o.dtype, kernel));
  const dtypes = inputs.map((t) => t.dtype).concat(outputs.map((o) => o.dtype));
  try {
    dispatch(backend, kernel, inputs, results, attrs, dtypes);
  } catch (e) {
    // A kernel's scratch memory can run out too; kernels only write their outputs, so after a
    // collection running it again is safe.
    collectOrThrow(e, kernel, backend, 'kernel scratch memory');
    try {
      dispatch(backend, kernel, inputs, results, attrs, dtypes);
    } catch (again) {
      retryFailed(again, kernel, backend, 'kernel scratch memory');
    }
  }
  return results;
}

const infos = (ts: readonly Tensor[]): TensorInfo[] => ts.map((t) => t.info());

/** One run of `kernel`: on `backend` when it supports these dtypes and attributes, else on cpu. */
function dispatch<K extends KernelName>(backend: Backend, kernel: K, inputs: readonly Tensor[], results: readonly Tensor[], attrs: KernelAttrs[K], dtypes: readonly DType[]): void {
  if (backend.supports(kernel, dtypes, attrs)) backend.run(kernel, infos(inputs), infos(results), attrs);
  else runOnCpu(backend, kernel, inputs, results, attrs);
}

/** The fallback path: copy inputs to the reference backend, run there, copy the outputs back. */
function runOnCpu<K extends KernelName>(backend: Backend, kernel: K, inputs: readonly Tensor[], results: readonly Tensor[], attrs: KernelAttrs[K]): void {
  debugOnce(`kernel '${kernel}' is not available on backend '${backend.name}' for these dtypes; running it on 'cpu'`);
  const cpu = cpuBackend();
  const copy = (t: Tensor, withData: boolean): TensorInfo => {
    const id = cpu.alloc(t.dtype, t.size);
    if (withData && t.size > 0) cpu.write(id, backend.read(t.storage.handle.id));
    return { id, shape: t.shape, dtype: t.dtype };
  };
  const ins = inputs.map((t) => copy(t, true));
  const outs = results.map((t) => copy(t, false));
  try {
    cpu.run(kernel, ins, outs, attrs);
    results.forEach((t, i) => {
      if (t.size > 0) backend.write(t.storage.handle.id, cpu.read(outs[i].id));
    });
  } finally {
    for (const info of [...ins, ...outs]) cpu.free(info.id);
  }
}
