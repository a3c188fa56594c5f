// Which build of the kernels this platform can run, and compiling it. Four builds exist (see
// scripts/build-wasm.mjs): plain SIMD128 or relaxed SIMD (fused multiply-add), each with
// private memory or with shared memory for the worker pool. Relaxed SIMD is used only where
// WebAssembly.validate accepts a module that uses f32x4.relaxed_madd (Node 20 needs
// --experimental-wasm-relaxed-simd; Node 22+ and current browsers have it).
import { wasmBinaries } from './generated/wasm-binaries.js';

export type Variant = keyof typeof wasmBinaries;

/** A module with one function `() -> v128` whose body is `body` (then `end`). */
function probe(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b]; // no locals, body, end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, code.length + 2, 0x01, code.length, ...code, // code section
  ]);
}

const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0
const F32X4_RELAXED_MADD = [0xfd, 0x85, 0x02]; // opcode 0x105, LEB128-encoded

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

export interface Features {
  simd: boolean;
  relaxedSimd: boolean;
  /** Shared memory and Atomics exist (threads additionally need workers; see thread-pool.ts). */
  sharedMemory: boolean;
}

export function detectFeatures(): Features {
  const simd = validates(probe(V128_ZERO));
  const relaxedSimd = simd && validates(probe([...V128_ZERO, ...V128_ZERO, ...V128_ZERO, ...F32X4_RELAXED_MADD]));
  let sharedMemory = false;
  try {
    sharedMemory = typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' &&
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    sharedMemory = false;
  }
  return { simd, relaxedSimd, sharedMemory };
}

export function chooseVariant(features: Features, threads: boolean): Variant {
  if (features.relaxedSimd) return threads ? 'relaxedThreads' : 'relaxed';
  return threads ? 'simdThreads' : 'simd';
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compile synchronously (Node, workers; browsers refuse large modules on the main thread). */
export function compileSync(variant: Variant): WebAssembly.Module {
  return new WebAssembly.Module(decodeBase64(wasmBinaries[variant]));
}

export function compileAsync(variant: Variant): Promise<WebAssembly.Module> {
  return WebAssembly.compile(decodeBase64(wasmBinaries[variant]));
}

/** What the kernels module exports (see assembly/index.ts). */
export interface KernelExports {
  heapBase(): number;
  runTask(kind: number, block: number, item: number, thread: number): void;
  runTasks(kind: number, block: number, first: number, last: number, thread: number): void;
  checkIndices(indices: number, n: number, size: number): number;
  zero(at: number, bytes: number): void;
  gemmScratchBytes: WebAssembly.Global;
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
