// Which backends exist and which one runs kernels now. Backends register a factory with a
// priority; the highest-priority one that initialises becomes the default.
import { debugOnce, ValueError } from '../base/index.js';
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/cpu-backend.js';
import { createNativeBackend } from './native/index.js';
import { createWasmBackend, initWasm } from './wasm/index.js';

interface Entry {
  factory: () => Backend;
  priority: number;
  instance?: Backend;
  /** Asynchronous set-up the factory may need first (e.g. compiling wasm in a browser). */
  init?: () => Promise<void>;
  /** Why the factory or init last failed (for hb.backends()). */
  failure?: string;
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
}

const entries = new Map<string, Entry>();
let current: Backend | null = null;
/** Whether setBackend chose `current` (then ready() leaves it alone). */
let chosen = false;

/**
 * Registers a backend factory under `name`; the highest `priority` that initialises becomes the default. `init` runs
 * before first use (async, for wasm).
 */
export function registerBackend(name: string, factory: () => Backend, priority = 0, init?: () => Promise<void>): void {
  entries.set(name, { factory, priority, init });
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

/** Makes `name` the current backend for new tensors ('cpu', 'wasm', 'native', …). */
export function setBackend(name: string): void {
  current = findBackend(name);
  chosen = true;
}

/**
 * Finish every backend's asynchronous initialisation. Where a backend cannot start
 * synchronously (wasm on a browser's main thread) the default is cpu until this resolves; then,
 * unless setBackend picked one, the highest-priority backend becomes the default.
 */
export async function ready(): Promise<void> {
  for (const [name, entry] of entries) {
    try {
      await entry.init?.();
    } catch (e) {
      entry.failure = e instanceof Error ? e.message : String(e);
      debugOnce(`backend '${name}' is unavailable: ${String(e)}`);
    }
  }
  if (!chosen) current = null;
}

export function getBackendInstance(): Backend {
  if (current === null) {
    const byPriority = [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority);
    for (const [name] of byPriority) {
      try {
        current = findBackend(name);
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
