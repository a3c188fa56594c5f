// Finding and loading the compiled addon (native/build/Release/hebb_native.node, built by
// scripts/build-native.mjs at install). Node-only: the loader reaches `require` through
// process.getBuiltinModule, so a browser bundle never sees a Node builtin and simply reports
// the backend unavailable. Every way this can fail becomes one sentence that hb.backends()
// shows: not Node, hidden by HEBB_NATIVE=0, not built (and why the build said so), or built
// but unloadable (e.g. libdnnl.so removed since).

import type { TypedArray } from '../../base/index.js';

/** What the addon exports (native/src/addon.cc). Kernels read their integers from `init`'s slots. */
export interface NativeAddon {
  init(args: Int32Array): void;
  setThreads(n: number): void;
  getThreads(): number;
  describe(): string;
  lastImplementation(): string;
  clearCache(): void;
  cachedBytes(): number;
  cachedPrimitives(): number;
  /** Weight reorders run so far (tests of the reordered-weights cache). */
  weightReorders(): number;
  noop(...buffers: unknown[]): void;
  matmul(a: Float32Array, b: Float32Array, y: Float32Array): void;
  conv(x: Float32Array, w: Float32Array, y: Float32Array): void;
  convBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array): void;
  convBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  avgPool(x: Float32Array, y: Float32Array): void;
  avgPoolBackprop(dy: Float32Array, dx: Float32Array): void;
  maxPool(x: Float32Array, y: Float32Array, argmax?: Int32Array): void;
  maxPoolBackprop(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void;
  unary(x: Float32Array, y: Float32Array | Uint8Array): void;
  binary(a: Float32Array, b: Float32Array, y: Float32Array | Uint8Array): void;
  where(cond: Uint8Array, a: Float32Array, b: Float32Array, y: Float32Array): void;
  reduce(x: Float32Array, y: Float32Array | Int32Array): void;
  scatterAdd(updates: Float32Array, indices: Int32Array, y: Float32Array): void;
  broadcastTo(x: Float32Array, y: Float32Array): void;
  copyStrided(src: TypedArray, dst: TypedArray): void;
  // The fused recurrences (native/src/recurrent.cc): inputs, the mask (undefined when unmasked), outputs.
  lstmSequence(xk: Float32Array, h0: Float32Array, c0: Float32Array, r: Float32Array, mask: Float32Array | undefined, y: Float32Array, gates: Float32Array): void;
  lstmSequenceGrad(dy: Float32Array, y: Float32Array, gates: Float32Array, c0: Float32Array, r: Float32Array, mask: Float32Array | undefined, dz: Float32Array, dh0: Float32Array, dc0: Float32Array): void;
  gruSequence(xk: Float32Array, h0: Float32Array, r: Float32Array, rb: Float32Array, mask: Float32Array | undefined, y: Float32Array, gates: Float32Array): void;
  gruSequenceGrad(dy: Float32Array, y: Float32Array, gates: Float32Array, h0: Float32Array, r: Float32Array, mask: Float32Array | undefined, dxk: Float32Array, drec: Float32Array, dh0: Float32Array): void;
  // Fused forward passes (bias undefined when there is none) and softmax along rows.
  fusedMatmul(a: Float32Array, b: Float32Array, bias: Float32Array | undefined, y: Float32Array): void;
  fusedConv(x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array): void;
  softmax(x: Float32Array, y: Float32Array): void;
  // Batch normalisation in training mode (gamma, beta undefined when absent) and relu's adjoint.
  batchNormTraining(x: Float32Array, gamma: Float32Array | undefined, beta: Float32Array | undefined, y: Float32Array, mean: Float32Array, variance: Float32Array): void;
  batchNormTrainingGrad(x: Float32Array, dy: Float32Array, mean: Float32Array, variance: Float32Array, gamma: Float32Array | undefined, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array): void;
  reluBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
}

interface NodeProcess {
  env: Record<string, string | undefined>;
  versions: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

interface NodeModule {
  createRequire(from: string): (id: string) => unknown;
}

interface NodeFs {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: 'utf8'): string;
}

interface NodeUrl {
  fileURLToPath(url: URL): string;
}

/** Where the build puts the addon and its report, relative to this file in src/ or dist/ (computed only in Node). */
const ADDON = '../../../native/build/Release/hebb_native.node';
const STATUS = '../../../native/build/status.json';

function nodeProcess(): NodeProcess | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return typeof proc?.versions?.node === 'string' && typeof proc.getBuiltinModule === 'function' ? proc : null;
}

/** Why the install-time build left no addon, from its report (null when it said nothing). */
function buildReason(fs: NodeFs, url: NodeUrl): string | null {
  try {
    const status = JSON.parse(fs.readFileSync(url.fileURLToPath(new URL(STATUS, import.meta.url)), 'utf8')) as { built?: boolean; reason?: string };
    return status.built === false && typeof status.reason === 'string' ? status.reason : null;
  } catch {
    return null;
  }
}

/**
 * The addon, or an Error whose message says why there is none. `HEBB_NATIVE=0` hides it (as
 * on a machine without oneDNN); `HEBB_NATIVE_ADDON=path` loads another build.
 */
export function loadAddon(): NativeAddon {
  const proc = nodeProcess();
  if (!proc) throw new Error('native backend: needs Node (20.16 or later); this platform is not Node');
  if (proc.env.HEBB_NATIVE === '0') throw new Error('native backend: disabled by HEBB_NATIVE=0');
  const fs = proc.getBuiltinModule?.('node:fs') as NodeFs;
  const url = proc.getBuiltinModule?.('node:url') as NodeUrl;
  const { createRequire } = proc.getBuiltinModule?.('node:module') as NodeModule;
  const file = proc.env.HEBB_NATIVE_ADDON ?? url.fileURLToPath(new URL(ADDON, import.meta.url));
  if (!fs.existsSync(file)) {
    const why = buildReason(fs, url);
    throw new Error(`native backend: addon not built (${why ?? `no ${file}; run npm run build:native`}); apt-get install libdnnl-dev g++ make, then npm run build:native`);
  }
  // OpenMP threads that wait passively (sleep) between parallel regions rather than spin:
  // spinning team threads took the cores the main thread and other processes needed, and on a
  // loaded machine a LeNet step ran 3x slower for it. Regions only open for ≥ ~1 ms of work,
  // so a wake-up costs little. Read by libgomp when the addon loads it; a user's setting wins.
  proc.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(file) as NativeAddon;
    addon.describe();
  } catch (e) {
    throw new Error(`native backend: addon ${file} does not load (${e instanceof Error ? e.message : String(e)})`);
  }
  return addon;
}
