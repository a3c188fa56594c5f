// Spies on the current backend shared by the op tests of fused and training kernels: which
// kernels a function runs, and the same function with some kernels refused (so the ops compose
// the maths those kernels replace).
import { vi } from 'vitest';
import type { KernelName } from '../../src/backend/index.js';
import { getBackendInstance } from '../../src/backend/registry.js';
import * as hb from '../../src/index.js';

/** The kernels a function runs on the current backend, in order (inside a tidy). */
export function kernelsOf(fn: () => unknown): string[] {
  const backend = getBackendInstance();
  const run = backend.run.bind(backend);
  const seen: string[] = [];
  const spy = vi.spyOn(backend, 'run').mockImplementation((kernel, ...rest) => {
    seen.push(kernel);
    run(kernel, ...rest);
  });
  try {
    hb.tidy(() => {
      fn();
    });
  } finally {
    spy.mockRestore();
  }
  return seen;
}

/** `fn` with the backend refusing `kernels` (backendRuns says no, so the ops compose them). */
export function refusing<T>(kernels: ReadonlySet<string>, fn: () => T): T {
  const backend = getBackendInstance();
  const supports = backend.supports.bind(backend);
  const spy = vi.spyOn(backend, 'supports').mockImplementation((kernel: KernelName, ...rest) => !kernels.has(kernel) && supports(kernel, ...rest));
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}
