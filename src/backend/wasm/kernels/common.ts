// What every wasm kernel driver shares: the record type, dtype codes, how to cut work into
// items, axis collapsing for broadcast and strided copies, and packing an argument block.
import { type DType, ValueError } from '../../../base/index.js';
import type { KernelRecord } from '../../backend.js';
import type { KernelName } from '../../kernels.js';
import { BYTE_LOG2, Elem, WORD_LOG2 } from '../tasks.js';
import type { WasmBackend } from '../wasm-backend.js';

/** One wasm kernel: its driver, the dtypes it runs natively, whether it writes every output element. */
export type WasmKernelRecord<K extends KernelName> = KernelRecord<K, WasmBackend>;
export type WasmKernel<K extends KernelName> = WasmKernelRecord<K>['run'];

// ---- dtypes ----

type NativeDType = 'float32' | 'int32' | 'bool';

/** Whether wasm stores `d` natively (float64 kernels all fall back to cpu). */
export function isNative(d: DType): d is NativeDType {
  return d !== 'float64';
}

const ELEM: Record<NativeDType, Elem> = { float32: Elem.F32, int32: Elem.I32, bool: Elem.U8 };

export function elem(d: DType): Elem {
  if (!isNative(d)) throw new ValueError(`wasm backend: dtype ${d} has no native kernels`);
  return ELEM[d];
}

/** log2 of the element size in bytes (bool 1 byte, float32/int32 4): kernels that only move data need nothing more. */
export function elemLog2(d: DType): number {
  return d === 'bool' ? BYTE_LOG2 : WORD_LOG2;
}

/** Every operand is native and has the output's dtype (pure data movement). */
export function allSameNative(dtypes: readonly DType[]): boolean {
  const out = dtypes[dtypes.length - 1];
  return dtypes.every((d) => isNative(d) && d === out);
}

/** Every operand is float32 (the float-only kernels: matmul, conv, pooling). */
export function allFloat32(dtypes: readonly DType[]): boolean {
  return dtypes.every((d) => d === 'float32');
}

/** The bits of `v` stored as an element of `dtype`, as an int32 (what fill writes). */
export function valueBits(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float32': return new Int32Array(new Float32Array([v]).buffer)[0];
    case 'int32': return new Int32Array([v])[0];
    default: return new Uint8Array([v])[0];
  }
}

// ---- how to cut work ----

/** Below this many "operations" a task runs on the calling thread alone. */
export const PARALLEL_WORK = 1 << 16;

/** Whether `work` is worth waking the pool for (always, when tests ask for fine-grained items). */
export function worth(b: WasmBackend, work: number): boolean {
  return b.fineGrained || work >= PARALLEL_WORK;
}

/** Items of `chunk` units each over `n` units, aiming at a few items per thread. */
export function chunking(b: WasmBackend, n: number, minChunk: number): { chunk: number; items: number } {
  const t = b.threads;
  const least = b.fineGrained ? 1 : minChunk;
  const chunk = t === 1 && !b.fineGrained ? Math.max(n, 1) : Math.max(least, Math.ceil(n / (4 * t)));
  return { chunk, items: Math.ceil(n / chunk) };
}

// ---- argument blocks ----

/** The slot names of a layout enum (tasks.ts), without `Tail`, which marks where variable-length arrays begin. */
type Slots<L> = Exclude<keyof L, 'Tail'>;

/**
 * An argument block in layout `layout` (an enum of tasks.ts): every named slot given by name,
 * then `tail` (shapes and strides) from slot `Tail` on. A slot left out fails to compile.
 */
export function packArgs<L extends Record<string, string | number>>(layout: L, values: { readonly [S in Slots<L>]: number }, tail: readonly number[] = []): number[] {
  const out: number[] = [];
  for (const name of Object.keys(values) as Slots<L>[]) out[layout[name] as number] = values[name];
  return tail.length > 0 ? out.concat(tail) : out;
}

