// A size-classed allocator over the backend's one WebAssembly.Memory. Buffers are byte offsets
// into it. Sizes round up to one of eight classes per power of two (at most 12.5 % slack);
// freed blocks go to their class's free list and are reused first, so a training loop that
// allocates the same shapes every step reaches a steady state and the memory stops growing.
// New blocks are cut from the top ("break"); the memory grows in whole 64 KiB pages as needed.

import { MemoryError } from '../../base/index.js';

const PAGE = 65536;
/** Every block starts on a 64-byte boundary (one cache line, and any SIMD alignment). */
const ALIGN = 64;

/** The class size a request of `bytes` is served from. */
export function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  // Eight classes per power of two: round up to a multiple of 2^(e-3), e = ⌊log2 bytes⌋.
  const e = 31 - Math.clz32(bytes - 1);
  const step = Math.max(ALIGN, 2 ** (e - 3));
  return Math.ceil(bytes / step) * step;
}

export class Allocator {
  private free = new Map<number, number[]>();
  /** First byte not yet handed out from the top. */
  private brk: number;
  /** Highest break ever reached: memory above it has never been written and is still zero. */
  private pristine: number;
  /** Bytes of memory now (reading memory.buffer.byteLength is not free). */
  private size: number;
  /** Never grow beyond this many bytes (the memory's own maximum by default; tests lower it). */
  limit = Infinity;

  /**
   * @param memory the memory to manage, from `start` (bytes below belong to the module)
   * @param onGrow called after the memory grew, so views over it can be renewed
   * @param zero fills bytes with zeros (in wasm: TypedArray.fill on shared memory is slow)
   */
  constructor(
    private readonly memory: WebAssembly.Memory, start: number,
    private readonly onGrow: () => void, private readonly zero: (at: number, bytes: number) => void,
  ) {
    this.brk = Math.ceil(start / ALIGN) * ALIGN;
    this.pristine = this.brk;
    this.size = memory.buffer.byteLength;
  }

  /** Bytes of memory the module has now. */
  get capacity(): number {
    return this.size;
  }

  /** A block of at least `bytes` bytes; zero-filled when `zero` is set. */
  alloc(bytes: number, zero: boolean): number {
    if (!(bytes <= 2 ** 32)) throw new MemoryError(`wasm backend: out of memory (${bytes} bytes asked for; a WebAssembly memory holds at most 4 GiB)`);
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    if (list !== undefined && list.length > 0) {
      const at = list.pop()!;
      if (zero) this.zero(at, bytes);
      return at;
    }
    const at = this.brk;
    const end = at + size;
    if (end > this.capacity) this.grow(end);
    this.brk = end;
    if (zero && at < this.pristine) this.zero(at, Math.min(bytes, this.pristine - at));
    this.pristine = Math.max(this.pristine, end);
    return at;
  }

  /** Return a block from alloc(bytes) for reuse. */
  release(at: number, bytes: number): void {
    const size = sizeClass(bytes);
    if (at + size === this.brk) {
      this.brk = at; // the topmost block: give it back to the break directly
      return;
    }
    let list = this.free.get(size);
    if (list === undefined) this.free.set(size, (list = []));
    list.push(at);
  }

  private grow(end: number): void {
    const pages = Math.ceil((end - this.capacity) / PAGE);
    if (end > this.limit) throw new MemoryError(`wasm backend: out of memory (needed ${end} bytes, the limit is ${this.limit})`);
    try {
      // Grow by at least 1 MiB at a time; most kernels allocate several buffers in a row.
      this.memory.grow(Math.max(pages, Math.min(16, Math.floor((this.limit - this.capacity) / PAGE))));
    } catch {
      try {
        this.memory.grow(pages);
      } catch {
        throw new MemoryError(`wasm backend: out of memory (needed ${end} bytes, the memory cannot grow beyond ${this.capacity})`);
      }
    }
    this.size = this.memory.buffer.byteLength;
    this.onGrow();
  }
}
