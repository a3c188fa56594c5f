// The fast backend: kernels compiled from AssemblyScript to WebAssembly SIMD128, over one
// WebAssembly.Memory that every buffer lives in (a handle maps to a byte offset), run on a
// worker pool that shares that memory. float32, int32 and bool run natively; float64 kernels
// report unsupported and fall back to the reference backend (their buffers still live here).
import type { DType, TypedArray } from '../../base/index.js';
import { bytesPerElement, ValueError } from '../../base/index.js';
import type { Backend, DataId, TensorInfo } from '../backend.js';
import { kernelRecord, tableSupports } from '../backend.js';
import type { KernelAttrs, KernelName } from '../kernels.js';
import { Allocator } from './allocator.js';
import { WASM_KERNELS } from './kernels/index.js';
import { instantiate, type KernelExports, type Variant } from './loader.js';
import { ARGS_HEADER, F64_LOG2, MAX_PAGES, type Task, WORD_LOG2 } from './tasks.js';
import { CONTROL_BYTES, ThreadPool } from './thread-pool.js';

interface Block {
  at: number;
  bytes: number;
  dtype: DType;
  size: number;
  /** Still owes the zeros alloc() promises: filled on first read, or dropped when a kernel writes every element. */
  unzeroed: boolean;
}

/** Room for one task's arguments (int32 slots). */
const ARGS_BYTES = 64 * 1024;
/** Pages a memory starts with (2 MiB). */
const INITIAL_PAGES = 32;
/** Scratch each thread always has: gemm's packing buffers plus index arrays. */
const BASE_SCRATCH = 512 * 1024;

/** A memory that may grow to 4 GiB, or less where the platform cannot reserve that much. */
function createMemory(shared: boolean): WebAssembly.Memory {
  let failure: unknown = null;
  for (const maximum of [MAX_PAGES, MAX_PAGES / 2, MAX_PAGES / 4]) {
    try {
      return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared });
    } catch (e) {
      failure = e;
    }
  }
  throw failure;
}

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly exports: KernelExports;
  private readonly memoryObject: WebAssembly.Memory;
  private readonly allocator: Allocator;
  private readonly pool: ThreadPool;
  private readonly blocks = new Map<DataId, Block>();
  private nextId = 1;
  private liveBytes = 0;
  /** The argument block, as a byte address. */
  private readonly args: number;
  private scratchAt = 0;
  private scratchStride = 0;
  private scratchThreads = 0;
  /** For tests: cut even tiny kernels into many work items and run them on the pool. */
  fineGrained = false;
  u8!: Uint8Array;
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;

  constructor(module: WebAssembly.Module, readonly variant: Variant, threads: number) {
    const shared = variant.endsWith('Threads');
    this.memoryObject = createMemory(shared);
    this.exports = instantiate(module, this.memoryObject);
    this.refreshViews();
    this.allocator = new Allocator(this.memoryObject, this.exports.heapBase(), () => this.refreshViews(), (at, bytes) => this.exports.zero(at, bytes));
    const control = this.allocator.alloc(CONTROL_BYTES, true);
    this.args = this.allocator.alloc(ARGS_BYTES, true);
    this.pool = new ThreadPool(module, this.memoryObject, control, this.exports);
    this.pool.resize(shared ? threads : 1);
    this.ensureScratch(BASE_SCRATCH);
  }

  private refreshViews(): void {
    const buffer = this.memoryObject.buffer;
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  // ---- buffers ----

  alloc(dtype: DType, size: number): DataId {
    const bytes = size * bytesPerElement(dtype);
    const at = bytes > 0 ? this.allocator.alloc(bytes, false) : 0;
    const id = this.nextId++;
    this.blocks.set(id, { at, bytes, dtype, size, unzeroed: bytes > 0 });
    this.liveBytes += bytes;
    return id;
  }

  write(id: DataId, values: TypedArray): void {
    const b = this.block(id);
    if (b.size > 0) this.view(b).set(values);
    b.unzeroed = false;
  }

  read(id: DataId): TypedArray {
    const b = this.block(id);
    this.settle(b);
    return this.view(b).slice();
  }

  /** Give a block the zeros it was promised, if it still owes them. */
  private settle(b: Block): void {
    if (!b.unzeroed) return;
    this.exports.zero(b.at, b.bytes);
    b.unzeroed = false;
  }

  free(id: DataId): void {
    const b = this.blocks.get(id);
    if (!b) return;
    this.blocks.delete(id);
    this.liveBytes -= b.bytes;
    if (b.bytes > 0) this.allocator.release(b.at, b.bytes);
  }

  memory(): { buffers: number; bytes: number } {
    return { buffers: this.blocks.size, bytes: this.liveBytes };
  }

  /** Cap the WebAssembly memory at `bytes` (Infinity: its own maximum); for tests of running out. */
  setMemoryLimit(bytes: number): void {
    this.allocator.limit = bytes;
  }

  /** Bytes of WebAssembly memory reserved so far (it grows, it never shrinks). */
  heapBytes(): number {
    return this.allocator.capacity;
  }

  private block(id: DataId): Block {
    const b = this.blocks.get(id);
    if (!b) throw new ValueError(`wasm backend: buffer ${id} does not exist (freed or never allocated)`);
    return b;
  }

  /** A live view of a buffer's elements (valid until the next allocation may grow memory). */
  private view(b: Block): TypedArray {
    switch (b.dtype) {
      case 'float32': return this.f32.subarray(b.at >>> WORD_LOG2, (b.at >>> WORD_LOG2) + b.size);
      case 'int32': return this.i32.subarray(b.at >>> WORD_LOG2, (b.at >>> WORD_LOG2) + b.size);
      case 'bool': return this.u8.subarray(b.at, b.at + b.size);
      case 'float64': return this.f64.subarray(b.at >>> F64_LOG2, (b.at >>> F64_LOG2) + b.size);
      default: return b.dtype satisfies never;
    }
  }

  // ---- kernels ----

  supports<K extends KernelName>(kernel: K, dtypes: readonly DType[], attrs?: KernelAttrs[K]): boolean {
    return tableSupports(WASM_KERNELS, kernel, dtypes, attrs);
  }

  run<K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void {
    const record = kernelRecord(WASM_KERNELS, kernel);
    if (!record) throw new ValueError(`wasm backend: no kernel '${kernel}' (supports() says so; dispatch runs it on cpu)`);
    for (const t of inputs) this.settle(this.block(t.id));
    // Zero-filling every output would cost a memory pass per op (~1 ms of a LeNet step): only
    // outputs of kernels that do not write every element get their zeros.
    for (const t of outputs) {
      const b = this.block(t.id);
      if (record.writesAll) b.unzeroed = false;
      else this.settle(b);
    }
    record.run(this, inputs, outputs, attrs);
  }

  /** Byte address of a tensor's buffer. */
  addr(t: TensorInfo): number {
    return this.block(t.id).at;
  }

  get threads(): number {
    return this.pool.threads;
  }

  /** Workers running now (they start asynchronously) and the work items they have run. */
  poolStats(): { workers: number; workerItems: number } {
    return this.pool.stats();
  }

  setThreads(n: number): void {
    this.pool.resize(n);
  }

  /** Make every thread's scratch area at least `bytes` long. */
  ensureScratch(bytes: number): void {
    const threads = this.pool.threads;
    if (bytes <= this.scratchStride && threads <= this.scratchThreads) return;
    const stride = Math.ceil(Math.max(bytes, this.scratchStride) / 64) * 64;
    if (this.scratchStride > 0) this.allocator.release(this.scratchAt, this.scratchStride * this.scratchThreads);
    this.scratchAt = this.allocator.alloc(stride * threads, false);
    this.scratchStride = stride;
    this.scratchThreads = threads;
  }

  /** A temporary buffer for a kernel's intermediate results; give it back with releaseTemp. */
  allocTemp(bytes: number): number {
    return this.allocator.alloc(bytes, false);
  }

  releaseTemp(at: number, bytes: number): void {
    this.allocator.release(at, bytes);
  }

  /**
   * Run items 0 … items−1 of `task` with arguments `values` (int32 slots; addresses may exceed
   * 2^31 and wrap, the kernels read them unsigned). `parallel`: worth waking the pool for.
   */
  task(task: Task, values: readonly number[], items: number, parallel: boolean): void {
    if (items <= 0) return;
    if ((values.length << WORD_LOG2) + ARGS_HEADER > ARGS_BYTES) throw new ValueError(`wasm backend: too many kernel arguments (${values.length})`);
    const base = this.args >>> WORD_LOG2;
    this.i32[base] = this.scratchAt;
    this.i32[base + 1] = this.scratchStride;
    this.i32.set(values, base + (ARGS_HEADER >>> WORD_LOG2));
    if (parallel && items > 1 && this.pool.threads > 1) this.pool.run(task, this.args, items);
    else this.exports.runTasks(task, this.args, 0, items, 0);
  }

  dispose(): void {
    this.pool.dispose();
  }
}
