// The WebGPU backend: buffers live on the GPU between kernels and come back only when read.
//
// Residence. A buffer holds a CPU copy, a GPU copy, or both:
// - write() keeps the values on the CPU; they are uploaded on first use by a GPU kernel (and the
//   CPU copy is kept, since it cannot go stale: a buffer is written once, by write() or by the
//   one kernel that fills it). So data the program wrote can always be read synchronously.
// - A kernel's outputs live only on the GPU. WebGPU reads back only asynchronously (mapAsync),
//   so read() (what dataSync uses) throws for them; readAsync() (what `await t.data()` uses)
//   copies them back and keeps the CPU copy, after which dataSync works too.
// - float64 has no WGSL type: float64 buffers stay on the CPU and their kernels run on cpu (the
//   dispatcher's fallback, since supports() refuses them).
// - Cheap kernels (movement, casts) whose inputs are all on the CPU run on the CPU copies, and so
//   do kernels of up to `handoffSize` input elements: slicing a batch out of a dataset stays on
//   the CPU until the batch meets a weight, and small bookkeeping (label checks, counters)
//   stays readable synchronously. TF.js's WebGPU backend does the same.
//
// Commands are recorded into one encoder and submitted before any read, or every MAX_PASSES;
// uploads are copies from staging buffers recorded in the same encoder, so they stay in order.
// Freed GPU buffers are pooled by size for reuse.
//
// Elementwise kernels in a row over one shape are fused (fusion.ts): they gather in a pending
// group that runs as one program when one of its results is needed.
/// <reference types="@webgpu/types" />
import { allocArray, bytesPerElement, type DType, type TypedArray, ValueError } from '../../base/index.js';
import type { Backend, DataId, TensorInfo } from '../backend.js';
import type { Buf } from '../cpu/buffer.js';
import { CPU_KERNELS, type CpuKernel } from '../cpu/cpu-backend.js';
import type { KernelAttrs, KernelName } from '../kernels.js';
import type { GpuDeviceInfo } from './device.js';
import { FUSIBLE, type FusibleKernel, FusionGroup } from './fusion.js';
import { WEBGPU_KERNELS, type WebGpuKernel } from './kernels/index.js';
import { dispatch, type GpuContext, groupsFor, pipeline } from './program.js';

interface Entry {
  dtype: DType;
  size: number;
  /** The values on the CPU (always for float64), or null. */
  cpu: TypedArray | null;
  /** The values on the GPU, or null. */
  gpu: GPUBuffer | null;
  /** Allocated and never written: reads as zeros. */
  zero: boolean;
  /** A result of the pending fused group (fusion.ts): computed when the group runs. */
  fused?: boolean;
}

/** Kernels that only move or convert values: run on the CPU when their inputs are there. */
const CHEAP = new Set<KernelName>(['cast', 'slice', 'gather', 'concat', 'transpose', 'pad', 'broadcastTo']);
/** Passes recorded before the encoder is submitted anyway. */
const MAX_PASSES = 64;
/** Smallest GPU allocation and the granularity of sizes (bytes). */
const ALIGN = 16;
/** Pooled bytes of freed buffers kept for reuse, at most. */
const POOL_CAP = 1024 * 1024 * 1024;

/** Bytes of the GPU buffer for `size` elements (4 bytes each: f32, i32, and bool as u32). */
export function gpuBytes(size: number): number {
  return Math.max(ALIGN, Math.ceil((size * 4) / ALIGN) * ALIGN);
}

export class WebGpuBackend implements Backend, GpuContext {
  readonly name = 'webgpu';
  readonly pipelines = new Map<string, GPUComputePipeline>();
  /** Inputs of at most this many elements, all on the CPU, run their kernel on the CPU (0: never, except CHEAP ones; -1: never at all). */
  handoffSize = 1024;
  /** Fuse elementwise kernels in a row into one program (fusion.ts); false: one dispatch per kernel. */
  fuse = true;
  /**
   * Kernels run on the GPU and on the CPU copies, for tests and benchmarks; of the GPU ones,
   * `fused` elementwise kernels ran inside the `programs` fused programs dispatched.
   */
  readonly counts = { gpu: 0, cpu: 0, uploads: 0, readbacks: 0, fused: 0, programs: 0 };
  kernelCounts(): Record<string, number> {
    return { ...this.counts };
  }
  private readonly entries = new Map<DataId, Entry>();
  private readonly pool = new Map<number, GPUBuffer[]>();
  private pooledBytes = 0;
  private liveBytes = 0;
  private liveGpuBytes = 0;
  private nextId = 1;
  private current: GPUCommandEncoder | null = null;
  /** The pending fused group, and the buffers it reads that were freed meanwhile (pooled once it has run). */
  private group: FusionGroup | null = null;
  private deferred: GPUBuffer[] = [];
  /** Upload staging buffers recorded in the open encoder. */
  private staging: GPUBuffer[] = [];
  private passes = 0;
  private lost: string | null = null;

  constructor(readonly gpu: GpuDeviceInfo) {
    void gpu.device.lost.then((info) => {
      this.lost = `${info.reason}: ${info.message}`;
    });
  }

  get device(): GPUDevice {
    return this.gpu.device;
  }

  encoder(): GPUCommandEncoder {
    if (this.lost !== null) throw new Error(`webgpu backend: the GPU device was lost (${this.lost})`);
    this.current ??= this.device.createCommandEncoder();
    this.passes++;
    return this.current;
  }

  /** Submit what has been recorded. */
  flush(): void {
    if (this.current === null) return;
    this.device.queue.submit([this.current.finish()]);
    this.current = null;
    this.passes = 0;
    // Submitted work keeps what it uses alive; the staging buffers are not needed again.
    for (const b of this.staging) b.destroy();
    this.staging = [];
  }

  alloc(dtype: DType, size: number): DataId {
    const id = this.nextId++;
    this.entries.set(id, { dtype, size, cpu: dtype === 'float64' ? new Float64Array(size) : null, gpu: null, zero: dtype !== 'float64' });
    this.liveBytes += size * bytesPerElement(dtype);
    return id;
  }

  write(id: DataId, values: TypedArray): void {
    const e = this.entry(id);
    const cpu = allocArray(e.dtype, e.size);
    cpu.set(values);
    this.dropGpu(e);
    e.cpu = cpu;
    e.zero = false;
    e.fused = false;
  }

  read(id: DataId): TypedArray {
    const e = this.entry(id);
    if (e.cpu) return e.cpu.slice();
    if (e.zero) return allocArray(e.dtype, e.size);
    throw new ValueError(
      `webgpu backend: these values (${e.size} ${e.dtype}) were computed on the GPU and cannot be read synchronously (WebGPU reads back only asynchronously): ` +
        'use `await t.data()` (afterwards dataSync() works too), or run this code on a CPU backend',
    );
  }

  async readAsync(id: DataId): Promise<TypedArray> {
    const e = this.entry(id);
    if (e.cpu || e.zero || e.size === 0) return this.read(id);
    if (e.fused) this.materialize();
    const source = e.gpu!;
    const bytes = e.size * 4;
    const staging = this.device.createBuffer({ size: gpuBytes(e.size), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.encoder().copyBufferToBuffer(source, 0, staging, 0, gpuBytes(e.size));
    this.flush();
    this.counts.readbacks++;
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, gpuBytes(e.size));
      const raw = staging.getMappedRange(0, gpuBytes(e.size)).slice(0, bytes);
      const values = allocArray(e.dtype, e.size);
      values.set(e.dtype === 'bool' ? new Uint32Array(raw) : e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw));
      // Keep the copy unless the buffer was freed or rewritten meanwhile.
      if (this.entries.get(id) === e && e.gpu === source) e.cpu = values;
      return values.slice();
    } finally {
      staging.destroy();
    }
  }

  free(id: DataId): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.liveBytes -= e.size * bytesPerElement(e.dtype);
    this.dropGpu(e);
  }

  /** Live buffers and their bytes as tensors (what leak checks compare); GPU bytes held live and pooled. */
  memory(): { buffers: number; bytes: number; gpuBytes: number; pooledGpuBytes: number } {
    return { buffers: this.entries.size, bytes: this.liveBytes, gpuBytes: this.liveGpuBytes, pooledGpuBytes: this.pooledBytes };
  }

  /** Release the GPU buffers kept for reuse. */
  trim(): void {
    this.flush();
    for (const list of this.pool.values()) for (const b of list) b.destroy();
    this.pool.clear();
    this.pooledBytes = 0;
  }

  readableSync(id: DataId): boolean {
    return this.isOnCpu(id);
  }

  /** Whether `id`'s values are readable synchronously (on the CPU, or never written). */
  isOnCpu(id: DataId): boolean {
    const e = this.entry(id);
    return e.cpu !== null || e.zero;
  }

  supports<K extends KernelName>(kernel: K, dtypes: readonly DType[], attrs?: KernelAttrs[K]): boolean {
    if (dtypes.includes('float64')) return false;
    const record = WEBGPU_KERNELS[kernel] as WebGpuKernel<K> | undefined;
    return record?.supports(dtypes, attrs) ?? false;
  }

  run<K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void {
    if (this.runsOnCpu(kernel, inputs)) {
      this.counts.cpu++;
      this.runOnCpuCopies(kernel, inputs, outputs, attrs);
      return;
    }
    this.counts.gpu++;
    if (this.fuse && FUSIBLE.has(kernel) && outputs[0].shape.every((d) => d > 0)) {
      this.fuseKernel(kernel as FusibleKernel, inputs, outputs[0], attrs as KernelAttrs[FusibleKernel]);
      return;
    }
    const record = WEBGPU_KERNELS[kernel] as WebGpuKernel<K>;
    const ins = inputs.map((t) => ({ ...t, buffer: this.gpuBuffer(t.id), size: this.entry(t.id).size }));
    const outs = outputs.map((t) => {
      const e = this.entry(t.id);
      this.dropGpu(e);
      e.cpu = null;
      e.zero = false;
      e.gpu = this.take(gpuBytes(e.size));
      return { ...t, buffer: e.gpu, size: e.size };
    });
    record.encode(this, ins, outs, attrs, (t) => this.cpuValues(t.id));
    if (this.passes >= MAX_PASSES) this.flush();
  }

  /** Add an elementwise kernel to the pending group (running the group first if it cannot join). */
  private fuseKernel(kernel: FusibleKernel, inputs: readonly TensorInfo[], output: TensorInfo, attrs: KernelAttrs[FusibleKernel]): void {
    const ids = inputs.map((t) => t.id);
    if (this.group && !this.group.accepts(output.shape, ids, (id) => this.entries.get(id)?.fused === true)) this.materialize();
    this.group ??= new FusionGroup(output.shape, Math.min(this.device.limits.maxStorageBuffersPerShaderStage, 16));
    this.group.add(kernel, attrs, inputs, output, (id) => this.gpuBuffer(id));
    const e = this.entry(output.id);
    this.dropGpu(e);
    e.cpu = null;
    e.zero = false;
    e.fused = true;
    this.counts.fused++;
  }

  /** Run the pending fused group: one program writing the results whose tensors are still alive. */
  private materialize(): void {
    const g = this.group;
    if (g === null) return;
    this.group = null;
    const written: number[] = [];
    g.nodes.forEach((n, k) => {
      if (this.entries.get(n.id)?.fused) written.push(k);
    });
    if (written.length > 0) {
      const outs = written.map((k) => {
        const e = this.entries.get(g.nodes[k].id)!;
        e.fused = false;
        return (e.gpu = this.take(gpuBytes(e.size)));
      });
      const { key, source } = g.program(written);
      dispatch(this, pipeline(this, key, source), [...g.leaves.map((l) => l.buffer), ...outs], groupsFor(g.size));
      this.counts.programs++;
      if (this.passes >= MAX_PASSES) this.flush();
    }
    // Its operand buffers freed meanwhile are free to reuse now (later commands run after it).
    for (const b of this.deferred) this.release(b);
    this.deferred = [];
  }

  /** Whether to run `kernel` on the CPU copies (every input is on the CPU, and it is cheap or small). */
  private runsOnCpu(kernel: KernelName, inputs: readonly TensorInfo[]): boolean {
    if (this.handoffSize < 0 || inputs.length === 0) return false;
    let total = 0;
    for (const t of inputs) {
      if (!this.isOnCpu(t.id)) return false;
      total += this.entry(t.id).size;
    }
    return CHEAP.has(kernel) || total <= this.handoffSize;
  }

  private runOnCpuCopies<K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void {
    const toBuf = (t: TensorInfo, values: TypedArray): Buf => ({ data: values, shape: t.shape, dtype: t.dtype });
    const ins = inputs.map((t) => toBuf(t, this.cpuValues(t.id)!));
    const outs = outputs.map((t) => toBuf(t, allocArray(t.dtype, this.entry(t.id).size)));
    (CPU_KERNELS[kernel] as CpuKernel<K>)(ins, outs, attrs);
    outputs.forEach((t, i) => {
      const e = this.entry(t.id);
      this.dropGpu(e);
      e.cpu = outs[i].data;
      e.zero = false;
    });
  }

  /** The CPU copy of a buffer if there is one (zeros for a never-written one), else null. */
  private cpuValues(id: DataId): TypedArray | null {
    const e = this.entry(id);
    if (e.cpu) return e.cpu;
    if (e.zero) return (e.cpu = allocArray(e.dtype, e.size));
    return null;
  }

  /** The GPU buffer of `id`, uploading the CPU copy (or zeros) first if needed. */
  gpuBuffer(id: DataId): GPUBuffer {
    const e = this.entry(id);
    if (e.fused) this.materialize();
    if (e.gpu) return e.gpu;
    if (e.dtype === 'float64') throw new Error('webgpu backend: float64 has no GPU representation');
    const buffer = this.take(gpuBytes(e.size));
    if (e.cpu && e.size > 0) {
      // Through a staging buffer copied in the encoder, so the upload lands in order with the
      // commands recorded so far (a pooled buffer may still be read by them) without submitting
      // them first; staging buffers are destroyed once submitted.
      const staging = this.device.createBuffer({ size: buffer.size, usage: GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
      const range = staging.getMappedRange();
      if (e.dtype === 'float32') new Float32Array(range).set(e.cpu);
      else if (e.dtype === 'int32') new Int32Array(range).set(e.cpu);
      else new Uint32Array(range).set(e.cpu);
      staging.unmap();
      this.encoder().copyBufferToBuffer(staging, 0, buffer, 0, buffer.size);
      this.staging.push(staging);
      this.counts.uploads++;
    } else {
      this.encoder().clearBuffer(buffer);
    }
    e.gpu = buffer;
    return buffer;
  }

  private take(bytes: number): GPUBuffer {
    const reused = this.pool.get(bytes)?.pop();
    this.liveGpuBytes += bytes;
    if (reused) {
      this.pooledBytes -= bytes;
      return reused;
    }
    return this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  }

  private dropGpu(e: Entry): void {
    e.fused = false;
    if (!e.gpu) return;
    const buffer = e.gpu;
    e.gpu = null;
    // The pending group still reads it: keep it out of the pool until the group has run.
    if (this.group?.reads(buffer)) this.deferred.push(buffer);
    else this.release(buffer);
  }

  /** Back to the pool (or destroyed, past the pool's cap). */
  private release(buffer: GPUBuffer): void {
    const bytes = buffer.size;
    this.liveGpuBytes -= bytes;
    if (this.pooledBytes + bytes <= POOL_CAP) {
      const list = this.pool.get(bytes);
      if (list) list.push(buffer);
      else this.pool.set(bytes, [buffer]);
      this.pooledBytes += bytes;
    } else {
      this.flush();
      buffer.destroy();
    }
  }

  private entry(id: DataId): Entry {
    const e = this.entries.get(id);
    if (!e) throw new ValueError(`webgpu backend: buffer ${id} does not exist (freed or never allocated)`);
    return e;
  }
}
