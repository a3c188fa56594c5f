// The wasm backend's entry points: the factory the registry calls, the async initialiser
// behind hb.ready(), and the thread-count controls behind hb.setThreads / hb.getThreads.
import { ValueError } from '../../base/index.js';
import { chooseVariant, compileAsync, compileSync, detectFeatures, type Variant } from './loader.js';
import { canUseWorkers, coreCount } from './thread-pool.js';
import { WasmBackend } from './wasm-backend.js';

let backend: WasmBackend | null = null;
let compiled: { variant: Variant; module: WebAssembly.Module } | null = null;
let wantedThreads: number | null = null;

function plan(): { variant: Variant; threads: boolean } {
  const features = detectFeatures();
  if (!features.simd) throw new Error('wasm backend: this platform has no WebAssembly SIMD');
  const threads = features.sharedMemory && canUseWorkers();
  return { variant: chooseVariant(features, threads), threads };
}

/**
 * The backend, compiling its module synchronously if ready() has not done so. That works in
 * Node and in workers; a browser's main thread may refuse it, and then this throws, so the
 * registry keeps using cpu until ready() has run.
 */
export function createWasmBackend(): WasmBackend {
  if (backend) return backend;
  const { variant, threads } = plan();
  let module = compiled?.variant === variant ? compiled.module : null;
  if (!module) {
    try {
      module = compileSync(variant);
    } catch (e) {
      throw new Error(`wasm backend: cannot compile synchronously here (${String(e)}); await hb.ready() first`);
    }
    compiled = { variant, module };
  }
  backend = new WasmBackend(module, variant, threads ? wantedThreads ?? coreCount() : 1);
  return backend;
}

/** Compile the module asynchronously (what browsers require), then create the backend. */
export async function initWasm(): Promise<void> {
  if (backend) return;
  const { variant } = plan();
  if (compiled?.variant !== variant) compiled = { variant, module: await compileAsync(variant) };
  createWasmBackend();
}

/**
 * Threads the wasm backend runs kernels on (the calling thread included). Defaults to the
 * number of cores; 1 where shared memory or workers are unavailable (e.g. a browser page that
 * is not cross-origin isolated).
 */
export function setThreads(n: number): void {
  // More threads than cores only adds contention (and a typo such as 1000 would start 999 workers).
  const cores = coreCount();
  if (!Number.isInteger(n) || n < 1 || n > cores) {
    throw new ValueError(`setThreads: expected an integer from 1 to ${cores} (the cores this machine has), got ${String(n)}`);
  }
  wantedThreads = n;
  backend?.setThreads(n);
}

export function getThreads(): number {
  if (backend) return backend.threads;
  try {
    return plan().threads ? wantedThreads ?? coreCount() : 1;
  } catch {
    return 1;
  }
}

export { WasmBackend } from './wasm-backend.js';
