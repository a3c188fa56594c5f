// The Tensor: an immutable n-d array of one dtype whose data lives in a backend buffer.
// Tensors never need manual disposal: a buffer is freed when the last tensor using it is
// garbage-collected (FinalizationRegistry). dispose() and tidy() release it early.
import type { Backend, DataId, TensorInfo } from '../backend/index.js';
import { bytesPerElement, type DType, fmtShape, sizeOf, type TypedArray, ValueError } from '../base/index.js';
import { noteAlloc, noteFree, registerFinalizer, settleFinalizers, unregisterFinalizer } from './collector.js';
import type { TensorMethods } from './methods.js';

/** Where a buffer lives. Mutable so that a buffer can move between backends in place. */
export interface Handle {
  backend: Backend;
  id: DataId;
}

/** Free a buffer and its bookkeeping; the finalizer's closure must not capture the Storage. */
function freeHandle(h: Handle, bytes: number): void {
  noteFree(bytes);
  h.backend.free(h.id);
}

/**
 * One backend buffer, shared by every tensor that views it (reshape shares, it never copies).
 * `refs` counts tensors that are alive and not disposed; the buffer is freed when it reaches
 * zero through dispose(), or when the Storage itself is collected.
 */
export class Storage {
  readonly handle: Handle;
  refs = 0;
  freed = false;

  /** Whether the garbage collector's finalizer is registered (see register()). */
  private registered = false;

  constructor(backend: Backend, id: DataId, readonly dtype: DType, readonly size: number) {
    this.handle = { backend, id };
    noteAlloc(size * bytesPerElement(dtype));
  }

  /**
   * Let the garbage collector free the buffer once this Storage is unreachable. Deferred for
   * tensors made inside tidy(): the scope holds them until it ends and then disposes all but
   * its results and kept tensors, which register then (src/tensor/scope.ts); registering every
   * intermediate, only to unregister it at the scope's end, cost about a tenth of a small op.
   */
  register(): void {
    if (this.registered || this.freed) return;
    this.registered = true;
    const handle = this.handle;
    const bytes = this.size * bytesPerElement(this.dtype);
    registerFinalizer(this, () => freeHandle(handle, bytes), this);
  }

  release(): void {
    if (--this.refs > 0 || this.freed) return;
    this.freed = true;
    if (this.registered) unregisterFinalizer(this);
    freeHandle(this.handle, this.size * bytesPerElement(this.dtype));
  }
}

/** dy (shaped like the op's output) → the cotangent for one input (shaped like that input). */
export type GradFn = (dy: Tensor) => Tensor;

/**
 * A recorded operation: its inputs and, per input, how to send the output's cotangent back to
 * it (null where no gradient flows, e.g. integer indices). Backward calls only the rules it
 * needs, so the gradient of a data input is never computed.
 */
export interface GradNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly grads: readonly (GradFn | null)[];
}

let nextTensorId = 0;

/**
 * An n-dimensional array of `shape` and `dtype` on a backend. Immutable; ops return new tensors, and most ops are also
 * methods (`a.add(b)`). Memory is released when it is garbage-collected, or early with `dispose()` / {@link tidy}.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  readonly id: number;
  /** @internal The buffer this tensor reads. */
  readonly storage: Storage;
  /** @internal The op that produced this tensor while gradients were being recorded. */
  node: GradNode | null = null;
  /** @internal Exempt from disposal by an enclosing tidy(). */
  kept = false;
  private disposed = false;

  /** @internal Tensors are made by ops and creation functions, not by `new`. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType) {
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.id = nextTensorId++;
    storage.refs++;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.disposed || this.storage.freed;
  }

  /** @internal The handle a kernel reads, with this tensor's shape. */
  info(): TensorInfo {
    this.assertAlive('read');
    return { id: this.storage.handle.id, shape: this.shape, dtype: this.dtype };
  }

  /** @internal */
  assertAlive(op: string): void {
    if (this.isDisposed) throw new ValueError(`${op}: tensor ${fmtShape(this.shape)} ${this.dtype} has been disposed`);
  }

  /**
   * A copy of the values, synchronously. On webgpu this throws for values computed on the GPU
   * and not yet read back (WebGPU reads back only asynchronously): `await t.data()` there.
   */
  dataSync(): TypedArray {
    this.assertAlive('dataSync');
    return this.storage.handle.backend.read(this.storage.handle.id);
  }

  /** @internal Whether dataSync() works now (false on webgpu for values still only on the GPU). */
  get readableSync(): boolean {
    const { backend, id } = this.storage.handle;
    return !this.isDisposed && (backend.readableSync?.(id) ?? true);
  }

  /** A copy of the values. */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    const { backend, id } = this.storage.handle;
    const values = backend.readAsync ? await backend.readAsync(id) : backend.read(id);
    // Where finalizers of collected tensors can only run as a task, give them one here, so
    // that a loop which awaits data() frees what it dropped (src/tensor/collector.ts).
    await settleFinalizers();
    return values;
  }

  /** The values as nested JavaScript arrays (a number for a scalar; bool as true/false). */
  toArray(): NestedArray {
    const flat = this.dataSync();
    const values: (number | boolean)[] = this.dtype === 'bool' ? Array.from(flat, (v) => v !== 0) : Array.from(flat);
    if (this.rank === 0) return values[0];
    const build = (axis: number, offset: number): NestedArray => {
      const n = this.shape[axis];
      if (axis === this.rank - 1) return values.slice(offset, offset + n);
      const step = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: n }, (_, i) => build(axis + 1, offset + i * step));
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ValueError(`item: tensor has ${this.size} elements (shape ${fmtShape(this.shape)}); item() needs exactly one`);
    return this.dataSync()[0];
  }

  /** Release the buffer now (it is shared with reshaped views, and freed when the last goes). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.node = null;
    this.storage.release();
  }

  /**
   * What JSON.stringify writes for a tensor: a short description. Without it, an error message
   * that stringifies a misplaced tensor walks into its backend and the whole wasm memory.
   */
  toJSON(): string {
    return `Tensor(${fmtShape(this.shape)}, ${this.dtype})`;
  }

  toString(): string {
    const body = this.isDisposed ? '<disposed>' : JSON.stringify(this.toArray());
    return `Tensor(${fmtShape(this.shape)}, ${this.dtype}) ${body}`;
  }
}

/** Nested arrays of numbers or booleans, as `tensor()` takes and `toArray()` returns. */
export type NestedArray = number | boolean | NestedArray[];

// Methods (`a.add(b)`) are implemented in src/ops and installed once at load time; the
// interface below is the contract, so a method without an implementation is a type error there.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Tensor extends TensorMethods {}

export function installMethods(methods: TensorMethods): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
  }
}
