// The backends a test should run on: every registered one that initialises here.
import * as hb from '../../src/index.js';

export function availableBackends(): string[] {
  const names: string[] = [];
  const previous = hb.getBackend();
  for (const name of hb.listBackends()) {
    try {
      hb.setBackend(name);
      // A backend that starts asynchronously (webgpu before ready()) is only asked for here.
      if (hb.getBackend() === name) names.push(name);
    } catch {
      // not available on this platform
    }
  }
  hb.setBackend(previous);
  return names;
}

/** Run `fn` with `name` as the current backend, restoring the previous one afterwards. */
export function withBackend<T>(name: string, fn: () => T): T {
  const previous = hb.getBackend();
  hb.setBackend(name);
  try {
    return fn();
  } finally {
    hb.setBackend(previous);
  }
}
