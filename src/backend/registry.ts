// Which backends exist and which one runs kernels now. Backends register a factory with a
// priority; the highest-priority one that initialises becomes the default.
import { debugOnce, ValueError } from '../base/index.js';
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/cpu-backend.js';
import { createNativeBackend } from './native/index.js';
import { createWasmBackend, initWasm } from './wasm/index.js';
import { createWebGpuBackend, initWebGpu, webGpuIsDefaultable, webGpuOnDemand } from './webgpu/index.js';

interface Entry {
  factory: () => Backend;
  priority: number;
  instance?: Backend;
  /** Asynchronous set-up the factory may need first (e.g. compiling wasm in a browser). */
  init?: () => Promise<void>;
  /** Why the factory or init last failed (for hb.backends()). */
  failure?: string;
  /** Whether init runs only for a backend asked for by setBackend (e.g. it loads an optional native package); absent: never. */
  onDemand?: () => boolean;
  /** Whether the default may be this backend (e.g. WebGPU only on a hardware adapter); absent: yes. */
  defaultable?: () => boolean;
  /** Whether ready() has run init since the backend was asked for (then a failing factory is final). */
  attempted?: boolean;
}

/** Optional hooks of a backend whose set-up is asynchronous and on request. */
export interface BackendOptions {
  onDemand?: () => boolean;
  defaultable?: () => boolean;
}

/** A backend's state as hb.backends() reports it. */
export interface BackendStatus {
  name: string;
  priority: number;
  /** Whether it initialised here. */
  available: boolean;
  /** Whether it runs kernels now. */
  active: boolean;
  /** Why it is unavailable. */
  reason?: string;
  /** Where its kernels ran so far, for backends that keep count (webgpu: `{ gpu, cpu, uploads, readbacks }`). */
  kernels?: Record<string, number>;
}

const entries = new Map<string, Entry>();
let current: Backend | null = null;
/** Whether setBackend chose `current` (then ready() leaves it alone). */
let chosen = false;
/** A backend setBackend asked for that becomes current when ready() has set it up. */
let pending: string | null = null;

/**
 * Registers a backend factory under `name`; the highest `priority` that initialises becomes the default. `init` runs
 * before first use (async, for wasm and webgpu).
 */
export function registerBackend(name: string, factory: () => Backend, priority = 0, init?: () => Promise<void>, options: BackendOptions = {}): void {
  entries.set(name, { factory, priority, init, ...options });
}

/** The registered backends' names. */
export function listBackends(): string[] {
  return [...entries.keys()];
}

/** Every backend instance created so far (for hb.memory()). */
export function instantiatedBackends(): Backend[] {
  return [...entries.values()].flatMap((e) => (e.instance ? [e.instance] : []));
}

/** The backend instance registered as `name`, created on first use. */
export function findBackend(name: string): Backend {
  const entry = entries.get(name);
  if (!entry) throw new ValueError(`setBackend: unknown backend '${name}'; registered: ${listBackends().join(', ')}`);
  try {
    entry.instance ??= entry.factory();
  } catch (e) {
    entry.failure = e instanceof Error ? e.message : String(e);
    throw e;
  }
  return entry.instance;
}

/**
 * Make `name` the backend that runs kernels. A backend that can only start asynchronously (WebGPU
 * finding a device; wasm on a browser's main thread) is set up by the next `await hb.ready()`
 * and becomes current then; until then the previous backend keeps running kernels.
 */
export function setBackend(name: string): void {
  const entry = entries.get(name);
  try {
    current = findBackend(name);
  } catch (e) {
    if (!entry?.init || entry.attempted) throw e;
    pending = name;
    chosen = true;
    debugOnce(`backend '${name}' starts asynchronously: it runs kernels once hb.ready() has resolved`);
    return;
  }
  chosen = true;
  pending = null;
}

/**
 * Finish every backend's asynchronous initialisation. Where a backend cannot start
 * synchronously (wasm on a browser's main thread) the default is cpu until this resolves; then,
 * unless setBackend picked one, the highest-priority backend becomes the default.
 */
export async function ready(): Promise<void> {
  for (const [name, entry] of entries) {
    const onDemand = entry.onDemand?.() ?? false;
    if (onDemand && name !== pending) continue;
    try {
      await entry.init?.();
    } catch (e) {
      entry.failure = e instanceof Error ? e.message : String(e);
      debugOnce(`backend '${name}' is unavailable: ${String(e)}`);
    }
    entry.attempted = true;
  }
  if (pending !== null) {
    const name = pending;
    pending = null;
    // Throws, with the reason, where the asked-for backend could not start (no adapter …).
    current = findBackend(name);
  }
  if (!chosen) current = null;
}

export function getBackendInstance(): Backend {
  if (current === null) {
    const byPriority = [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority);
    for (const [name, entry] of byPriority) {
      try {
        const instance = findBackend(name);
        if (entry.defaultable && !entry.defaultable()) continue;
        current = instance;
        break;
      } catch (e) {
        debugOnce(`backend '${name}' is unavailable: ${String(e)}`);
        continue;
      }
    }
  }
  if (current === null) throw new ValueError('getBackend: no backend could be initialised');
  return current;
}

/** The current backend's name. */
export function getBackend(): string {
  return getBackendInstance().name;
}

/**
 * Every registered backend, highest priority first: whether it initialises here, whether it is
 * the one running kernels, and if it is unavailable, why (e.g. the native addon not built).
 */
export function backends(): BackendStatus[] {
  const active = getBackendInstance();
  return [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([name, entry]) => {
    let instance: Backend | null = null;
    try {
      instance = findBackend(name);
    } catch {
      // entry.failure says why.
    }
    return {
      name, priority: entry.priority, available: instance !== null, active: instance === active,
      ...(instance === null ? { reason: entry.failure ?? 'failed to initialise' } : {}),
      ...(instance?.kernelCounts ? { kernels: instance.kernelCounts() } : {}),
    };
  });
}

/** The reference backend, which every other backend falls back to. */
export function cpuBackend(): Backend {
  return findBackend('cpu');
}

registerBackend('cpu', () => new CpuBackend(), 0);
registerBackend('wasm', createWasmBackend, 1, initWasm);
// Node with the oneDNN addon built (native/); elsewhere its factory throws and wasm is chosen.
registerBackend('native', createNativeBackend, 2);
// WebGPU: set up by hb.ready() (in Node only once asked for, by setBackend('webgpu')); the
// default only on a hardware adapter, never on a software one (SwiftShader, lavapipe).
registerBackend('webgpu', createWebGpuBackend, 3, initWebGpu, { onDemand: webGpuOnDemand, defaultable: webGpuIsDefaultable });
