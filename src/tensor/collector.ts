// Making backend memory visible to the garbage collector.
//
// A tensor's values live outside the JavaScript heap (in the wasm backend's WebAssembly.Memory,
// or a native addon's buffers); the JS objects that own them (Tensor, Storage) are a few dozen
// bytes each. So a user loop such as `for (…) y = hb.add(x, 1)` allocates megabytes per step
// that V8 cannot see: its heap barely grows, no collection runs, and the FinalizationRegistry
// that frees buffers of unreachable tensors never fires until the wasm memory is exhausted
// (4 GiB after ~4,100 steps of a 512×512 add).
//
// The remedy here: count the bytes that tensors allocate on every backend, and when the count
// since the last collection passes a budget (max(MIN_BUDGET, live bytes after that collection),
// the usual "collect when the heap doubles" policy), run a collection ourselves:
//   1. a full garbage collection: `gc()`, obtained in Node without a command-line flag by
//      `v8.setFlagsFromString('--expose-gc')` and taking `gc` from a fresh vm context;
//   2. the finalizers of the tensors it found dead, run synchronously with
//      `FinalizationRegistry.prototype.cleanupSome` (a V8 feature behind
//      `--harmony-weak-refs-with-cleanup-some`, again installed in a fresh context, whose
//      FinalizationRegistry constructor is the one Storage registers with).
// With both, even a synchronous loop that drops its results runs in flat memory. Where
// cleanupSome is missing, finalizers run as a macrotask after the collection: `await t.data()`
// and `await hb.nextTick()` then yield one macrotask so they can. Where `gc` is missing too
// (browsers), the engine's own collector decides, and an allocation that fails still collects
// what it can and then throws hb.MemoryError rather than a RangeError.
//
// WeakRefs are not used: a WeakRef's target made in the current job is kept alive until the
// job ends, so in a synchronous loop nothing would ever be seen as dead.

type Gc = () => void;
interface CleanupSome {
  cleanupSome?: () => void;
}

interface Platform {
  gc: Gc | null;
  Registry: typeof FinalizationRegistry;
}

function nodeModule<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

function detectPlatform(): Platform {
  const fallback: Platform = { gc: null, Registry: FinalizationRegistry };
  const v8 = nodeModule<{ setFlagsFromString(flags: string): void }>('node:v8');
  const vm = nodeModule<{ runInNewContext(code: string): unknown }>('node:vm');
  if (v8 === undefined || vm === undefined) return fallback;
  try {
    v8.setFlagsFromString('--expose-gc');
    v8.setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
    // One fresh context provides both: the flags take effect in contexts created after them.
    const [gc, Registry] = vm.runInNewContext('[typeof gc === "function" ? gc : null, FinalizationRegistry]') as [Gc | null, typeof FinalizationRegistry];
    return { gc, Registry: typeof Registry === 'function' ? Registry : FinalizationRegistry };
  } catch {
    return fallback;
  }
}

const platform = detectPlatform();

/** How the collector works here, for hb.memory() and the docs' measurements. */
export function collectorMode(): 'sync' | 'gc-then-task' | 'engine' {
  if (platform.gc === null) return 'engine';
  return typeof (registry as CleanupSome).cleanupSome === 'function' ? 'sync' : 'gc-then-task';
}

const registry = new platform.Registry<() => void>((free) => free());

/** Register `owner` so that `free()` runs once it has been garbage-collected (free must not reference owner). */
export function registerFinalizer(owner: object, free: () => void, token: object): void {
  registry.register(owner, free, token);
}

export function unregisterFinalizer(token: object): void {
  registry.unregister(token);
}

// ---- the allocation budget ----

/** Collect at least this rarely: a full collection costs milliseconds. */
const MIN_BUDGET = 256 * 2 ** 20;
let budget = MIN_BUDGET;
let minBudget = MIN_BUDGET;
let allocatedSince = 0;
let liveBytes = 0;
let liveBuffers = 0;
let collections = 0;
/** A collection ran but its finalizers can only run in a later macrotask. */
let finalizersPending = false;

/** Bookkeeping for every tensor buffer, on every backend. */
export function noteAlloc(bytes: number): void {
  liveBytes += bytes;
  liveBuffers++;
  allocatedSince += bytes;
  if (allocatedSince > budget && platform.gc !== null) collect();
}

export function noteFree(bytes: number): void {
  liveBytes -= bytes;
  liveBuffers--;
  // Only growth counts: a loop that disposes what it makes (tidy, dispose) never needs a forced
  // collection, which costs tens of milliseconds with a large JavaScript heap.
  allocatedSince = Math.max(0, allocatedSince - bytes);
}

/**
 * Collect garbage now and free the buffers of unreachable tensors. Returns false where the
 * platform offers no way to force it.
 */
export function collect(): boolean {
  if (platform.gc === null) return false;
  platform.gc();
  collections++;
  const cleanup = (registry as CleanupSome).cleanupSome;
  if (typeof cleanup === 'function') cleanup.call(registry);
  else finalizersPending = true;
  allocatedSince = 0;
  budget = Math.max(minBudget, liveBytes);
  return true;
}

/** Live tensor buffers and bytes across all backends, and how many collections were forced. */
export function collectorStats(): { buffers: number; bytes: number; collections: number; mode: ReturnType<typeof collectorMode> } {
  return { buffers: liveBuffers, bytes: liveBytes, collections, mode: collectorMode() };
}

/** For tests and the soak script: collect after this many bytes (default 256 MiB). */
export function setCollectBudget(bytes: number): void {
  minBudget = bytes;
  budget = bytes;
}

/** A promise that resolves in a new macrotask (so pending finalizers can run first). */
export function nextTick(): Promise<void> {
  finalizersPending = false;
  return new Promise((resolve) => {
    const immediate = (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate;
    if (immediate) immediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Yield a macrotask only if a collection is waiting for its finalizers to run. */
export async function settleFinalizers(): Promise<void> {
  if (finalizersPending) await nextTick();
}
