// Shared by the native tests: the backend if the addon is built here, else the reason it is
// not (the tests then skip, saying why), and a kernel comparison against the cpu reference.
import type { KernelAttrs, KernelName } from '../../src/backend/index.js';
import { createNativeBackend, type NativeBackend } from '../../src/backend/native/index.js';
import type { DType, TypedArray } from '../../src/base/index.js';
import { cpu, expectClose, type Input, type OutputSpec, runOn } from '../wasm/helpers.js';

function load(): NativeBackend | string {
  try {
    return createNativeBackend();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const loaded = load();
/** The native backend, or null when the addon is not built here. */
export const native: NativeBackend | null = typeof loaded === 'string' ? null : loaded;
/** A suite title suffix: empty, or why the suite skips. */
export const skipNote = typeof loaded === 'string' ? ` (skipped: ${loaded})` : '';

/**
 * Run `kernel` on native and cpu and compare each output; `bound`: errors are measured
 * against the same computation on |inputs| (sums of products). Returns whether the addon ran
 * it (rather than the reference loop in place).
 */
export function compareNative<K extends KernelName>(
  kernel: K, inputs: readonly Input[], outputs: readonly OutputSpec[], attrs: KernelAttrs[K],
  opts: { rtol?: number; bound?: boolean; what?: string } = {},
): boolean {
  if (!native) throw new Error('native backend not loaded');
  const before = native.counts.native;
  const got = runOn(native, kernel, inputs, outputs, attrs);
  const ran = native.counts.native > before;
  const want = runOn(cpu, kernel, inputs, outputs, attrs);
  let scale: TypedArray | undefined;
  if (opts.bound) {
    const abs = inputs.map((t) => ({ ...t, data: t.dtype === 'float32' ? t.data.map(Math.abs) : t.data }));
    scale = runOn(cpu, kernel, abs, outputs, attrs)[0];
  }
  outputs.forEach((o, i) => {
    expectClose(got[i], want[i], o.dtype as DType, { rtol: opts.rtol, scale: i === 0 ? scale : undefined }, `${opts.what ?? kernel} output ${i}`);
  });
  return ran;
}
