// The library must load and compute in a browser: bundle src/index.ts for the browser platform
// (a static import of a Node builtin fails the bundle) and run the bundle in a bare VM context
// that has no `process`, `require` or file system, as a page would.
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'hb',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

describe('browser build', () => {
  it('bundles for the browser and computes without Node globals', async () => {
    const code = await bundle();
    const context = createContext({
      console,
      WebAssembly,
      TextDecoder,
      TextEncoder,
      FinalizationRegistry,
      WeakRef,
      queueMicrotask,
      setTimeout,
      clearTimeout,
      performance,
      atob,
      btoa,
    });
    // A page without COOP/COEP headers has no SharedArrayBuffer at all.
    runInContext('delete globalThis.SharedArrayBuffer', context);
    runInContext(code, context);
    const result = runInContext(
      `(() => {
        const x = hb.tensor([[1, 2], [3, 4]]);
        const y = hb.matmul(x, x);
        const g = hb.grad((w) => hb.sum(hb.square(w)))(x);
        return { y: y.toArray(), g: g.toArray(), backend: hb.getBackend(), threads: hb.getThreads(), hasProcess: typeof process !== 'undefined', hasShared: typeof SharedArrayBuffer !== 'undefined' };
      })()`,
      context,
    );
    expect(result.hasProcess).toBe(false);
    expect(JSON.parse(JSON.stringify(result.y))).toEqual([[7, 10], [15, 22]]);
    expect(JSON.parse(JSON.stringify(result.g))).toEqual([[2, 4], [6, 8]]);
    // Without SharedArrayBuffer wasm still runs, on one thread (it used to fail on the missing
    // global, and cpu ran everything).
    expect(result.hasShared).toBe(false);
    expect(result.backend).toBe('wasm');
    expect(result.threads).toBe(1);
  });

  it('file functions fail with a clear error instead of crashing at load', async () => {
    const code = await bundle();
    const context = createContext({ console, WebAssembly, TextDecoder, TextEncoder, FinalizationRegistry, WeakRef, queueMicrotask, setTimeout, clearTimeout, performance, atob, btoa });
    runInContext(code, context);
    const message = await runInContext(
      `hb.datasets.mnist().then(() => 'loaded', (e) => e.name + ': ' + e.message)`,
      context,
    );
    expect(message).toMatch(/^ValueError: .*Node/);
  });
});
