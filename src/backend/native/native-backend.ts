// The native backend: buffers are ordinary typed arrays (V8 owns and counts their memory, and
// the garbage collector frees them like any other), and kernels run in the oneDNN addon on
// pointers into them, so nothing is copied on the way in or out. Kernels the addon does not
// take (other dtypes, movement, casts) run the reference loops on the same arrays in place.
//
// Freed arrays are kept for reuse by size, up to twice the peak of live bytes (at least 256 MiB,
// at most 2 GiB), as a caching allocator does: a fresh large ArrayBuffer is fresh pages from the
// OS, and faulting them in cost more than the kernels of a LeNet step (and an LSTM step's
// intermediates alone are ~200 MiB).
// A reused array owes the zeros alloc() promises; it gets them on its first read or use as an
// input, and not at all when a kernel writes it first (every kernel writes all of its outputs).
//
// Every change of a buffer's contents (alloc, write, a kernel's output, the owed zeros, direct
// access through get()) gives it a new stamp from one process-wide counter, so a stamp names
// one version of one buffer's contents. Kernels pass the stamp of their weights to the addon,
// which keeps weights it has reordered into oneDNN's blocked layout and skips the reorder
// while the stamp is unchanged (weights of a model in inference, or used twice in a step).
import { allocArray, bytesPerElement, debugOnce, type DType, type TypedArray, ValueError } from '../../base/index.js';
import type { Backend, DataId, TensorInfo } from '../backend.js';
import type { Buf } from '../cpu/buffer.js';
import { conv, convBackpropFilter, convBackpropInput } from '../cpu/conv.js';
import { binary, broadcastTo, cast, unary, where } from '../cpu/elementwise.js';
import { fusedConv, fusedMatmul, softmax } from '../cpu/fused.js';
import { matmul } from '../cpu/matmul.js';
import { concat, gather, pad, scatterAdd, slice, transpose } from '../cpu/movement.js';
import { batchNormTraining, batchNormTrainingGrad, reluBackprop } from '../cpu/normalization.js';
import { avgPoolBackprop, maxPoolBackprop, pool } from '../cpu/pool.js';
import { gruSequence, gruSequenceGrad, lstmSequence, lstmSequenceGrad } from '../cpu/recurrent.js';
import { cumsum, reduce } from '../cpu/reduce.js';
import type { KernelAttrs, KernelName } from '../kernels.js';
import type { NativeAddon } from './addon.js';
import { NATIVE_KERNELS, type NativeBuf, type NativeContext, type NativeKernel } from './kernels.js';

/** The dtype a buffer was allocated as. */
function dtypeOf(b: TypedArray): DType {
  return b instanceof Float32Array ? 'float32' : b instanceof Int32Array ? 'int32' : b instanceof Float64Array ? 'float64' : 'bool';
}

type ReferenceKernel<K extends KernelName> = (inputs: Buf[], outputs: Buf[], attrs: KernelAttrs[K]) => void;

/** The reference loops, run in place on native buffers for what the addon does not take. */
const REFERENCE: { [K in KernelName]: ReferenceKernel<K> } = {
  unary, binary, where, cast, broadcastTo, reduce, matmul, transpose, slice, pad, concat,
  gather, scatterAdd, conv, convBackpropInput, convBackpropFilter, pool, avgPoolBackprop, cumsum,
  lstmSequence, lstmSequenceGrad, gruSequence, gruSequenceGrad, fusedMatmul, fusedConv, softmax,
  batchNormTraining, batchNormTrainingGrad, reluBackprop, maxPoolBackprop,
};

/** Argument slots shared with the addon (the longest use is a rank-8 broadcast of three operands). */
const ARG_SLOTS = 256;
/** Bounds on the bytes of freed arrays kept for reuse, and the smallest array worth keeping. */
const POOL_MIN_CAP = 256 * 1024 * 1024;
/**
 * The cap is this many times the peak of live bytes: arrays freed in the middle of a step wait
 * in the pool beside the live ones, and a size freed is not always a size asked for next, so a
 * cap of one peak dropped 176 of a CRNN step's 398 MiB each step (fresh arrays and their
 * collection cost ~55 ms of a 235 ms step); at two peaks every array of a step is reused.
 */
const POOL_PEAK_FACTOR = 2;
const POOL_MAX_CAP = 2048 * 1024 * 1024;
const POOL_MIN_BYTES = 4096;

const missing = (id: DataId): ValueError => new ValueError(`native backend: buffer ${id} does not exist (freed or never allocated)`);

export class NativeBackend implements Backend, NativeContext {
  readonly name = 'native';
  readonly args = new Int32Array(ARG_SLOTS);
  private readonly buffers = new Map<DataId, TypedArray>();
  /** Buffers that still owe their zeros (reused arrays not yet written). */
  private readonly unzeroed = new Set<DataId>();
  /** The version of each buffer's contents (see the header); 0 is never a stamp. */
  private readonly stamps = new Map<DataId, number>();
  private lastStamp = 0;
  /** Freed arrays by dtype and length. */
  private readonly pool = new Map<string, TypedArray[]>();
  private pooledBytes = 0;
  private nextId = 1;
  private liveBytes = 0;
  private peakBytes = 0;
  /** Kernels the addon has run and kernels the reference ran in place, for tests and benchmarks. */
  readonly counts = { native: 0, reference: 0 };

  constructor(readonly addon: NativeAddon) {
    addon.init(this.args);
  }

  alloc(dtype: DType, size: number): DataId {
    const id = this.nextId++;
    const reused = this.pool.get(`${dtype}:${size}`)?.pop();
    if (reused) {
      this.pooledBytes -= reused.byteLength;
      this.unzeroed.add(id);
    }
    this.buffers.set(id, reused ?? allocArray(dtype, size));
    this.stamps.set(id, ++this.lastStamp);
    this.liveBytes += size * bytesPerElement(dtype);
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
    return id;
  }

  write(id: DataId, values: TypedArray): void {
    this.get(id).set(values);
    this.unzeroed.delete(id);
    this.stamps.set(id, ++this.lastStamp);
  }

  read(id: DataId): TypedArray {
    return this.settled(id).slice();
  }

  free(id: DataId): void {
    const b = this.buffers.get(id);
    if (!b) return;
    this.buffers.delete(id);
    this.unzeroed.delete(id);
    this.stamps.delete(id);
    this.liveBytes -= b.byteLength;
    const cap = Math.min(POOL_MAX_CAP, Math.max(POOL_MIN_CAP, POOL_PEAK_FACTOR * this.peakBytes));
    if (b.byteLength >= POOL_MIN_BYTES && this.pooledBytes + b.byteLength <= cap) {
      const key = `${dtypeOf(b)}:${b.length}`;
      const list = this.pool.get(key);
      if (list) list.push(b);
      else this.pool.set(key, [b]);
      this.pooledBytes += b.byteLength;
    }
  }

  /** Drop the arrays kept for reuse (the garbage collector then frees them). */
  trimPool(): void {
    this.pool.clear();
    this.pooledBytes = 0;
    this.peakBytes = this.liveBytes;
  }

  /** Bytes of freed arrays kept for reuse. */
  poolBytes(): number {
    return this.pooledBytes;
  }

  /** A buffer with the zeros it was promised. */
  private settled(id: DataId): TypedArray {
    const b = this.buffers.get(id);
    if (!b) throw missing(id);
    if (this.unzeroed.delete(id)) {
      b.fill(0);
      this.stamps.set(id, ++this.lastStamp);
    }
    return b;
  }

  /** Every kernel and dtype runs here: natively, or by the reference loop on the same buffers. */
  supports(): boolean {
    return true;
  }

  run<K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: KernelAttrs[K]): void {
    const ins: NativeBuf[] = inputs.map((t) => ({ data: this.settled(t.id), shape: t.shape, dtype: t.dtype, stamp: this.stamps.get(t.id) ?? 0 }));
    // Every kernel (the addon's and the reference's) writes every element of its outputs.
    const outs = outputs.map((t) => {
      this.unzeroed.delete(t.id);
      this.stamps.set(t.id, ++this.lastStamp);
      return this.buf(t);
    });
    const native = NATIVE_KERNELS[kernel] as NativeKernel<K> | undefined;
    if (native) {
      try {
        if (native(this, ins, outs, attrs)) {
          this.counts.native++;
          return;
        }
      } catch (e) {
        // oneDNN had no implementation for this geometry (it throws before writing anything).
        debugOnce(`native backend: ${kernel} failed (${e instanceof Error ? e.message : String(e)}); running the reference loop`);
      }
    }
    this.counts.reference++;
    (REFERENCE[kernel] as ReferenceKernel<K>)(ins, outs, attrs);
  }

  memory(): { buffers: number; bytes: number } {
    return { buffers: this.buffers.size, bytes: this.liveBytes };
  }

  /** Native memory the addon holds besides the buffers (scratchpad, reordered weights), as reported to V8. */
  nativeBytes(): number {
    return this.addon.cachedBytes();
  }

  get threads(): number {
    return this.addon.getThreads();
  }

  setThreads(n: number): void {
    this.addon.setThreads(n);
  }

  /** Direct access to a buffer (tests and the benchmark's overhead measurement); the caller may write it, so it gets a new stamp. */
  get(id: DataId): TypedArray {
    const b = this.buffers.get(id);
    if (!b) throw missing(id);
    this.stamps.set(id, ++this.lastStamp);
    return b;
  }

  private buf(t: TensorInfo): Buf {
    const b = this.buffers.get(t.id);
    if (!b) throw missing(t.id);
    return { data: b, shape: t.shape, dtype: t.dtype };
  }
}
