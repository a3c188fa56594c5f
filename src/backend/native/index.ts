// The native backend's entry points: the factory the registry calls (it throws, with the
// reason, where the addon is missing), and the thread controls behind hb.setThreads /
// hb.getThreads, which govern the wasm pool and oneDNN's OpenMP threads alike so that each
// backend runs on one pool of the same size and none nests inside another.
import { ValueError } from '../../base/index.js';
import { getThreads as wasmGetThreads, setThreads as wasmSetThreads } from '../wasm/index.js';
import { loadAddon } from './addon.js';
import { NativeBackend } from './native-backend.js';

let backend: NativeBackend | null = null;
let wantedThreads: number | null = null;

export function createNativeBackend(): NativeBackend {
  if (backend) return backend;
  const created = new NativeBackend(loadAddon());
  if (wantedThreads !== null) created.setThreads(wantedThreads);
  backend = created;
  return backend;
}

/** Threads kernels run on (the calling thread included), for the wasm and native backends. */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setThreads: expected a positive integer, got ${n}`);
  wantedThreads = n;
  wasmSetThreads(n);
  backend?.setThreads(n);
}

/** The number of threads the wasm pool and the native backend use. */
export function getThreads(): number {
  return backend ? backend.threads : wasmGetThreads();
}

export { NativeBackend } from './native-backend.js';
export type { NativeAddon } from './addon.js';
