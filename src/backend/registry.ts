// Which backends exist and which one runs kernels now. Backends register a factory with a
// priority; the highest-priority one that initialises becomes the default.
import { ValueError } from '../base/index.js';
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/cpu-backend.js';

interface Entry {
  factory: () => Backend;
  priority: number;
  instance?: Backend;
}

const entries = new Map<string, Entry>();
let current: Backend | null = null;

export function registerBackend(name: string, factory: () => Backend, priority = 0): void {
  entries.set(name, { factory, priority });
}

export function listBackends(): string[] {
  return [...entries.keys()];
}

/** The backend instance registered as `name`, created on first use. */
export function findBackend(name: string): Backend {
  const entry = entries.get(name);
  if (!entry) throw new ValueError(`setBackend: unknown backend '${name}'; registered: ${listBackends().join(', ')}`);
  entry.instance ??= entry.factory();
  return entry.instance;
}

export function setBackend(name: string): void {
  current = findBackend(name);
}

export function getBackendInstance(): Backend {
  if (current === null) {
    const byPriority = [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority);
    for (const [name] of byPriority) {
      try {
        current = findBackend(name);
        break;
      } catch {
        continue;
      }
    }
  }
  if (current === null) throw new ValueError('getBackend: no backend could be initialised');
  return current;
}

export function getBackend(): string {
  return getBackendInstance().name;
}

/** The reference backend, which every other backend falls back to. */
export function cpuBackend(): Backend {
  return findBackend('cpu');
}

registerBackend('cpu', () => new CpuBackend(), 0);
