// The worker pool. Kernel calls stay synchronous: the calling thread publishes a task in a
// control block in shared memory, wakes the workers (Atomics.notify), takes work items itself
// like any worker, and waits (Atomics.wait, or spins where the main thread may not wait) until
// every item is done. Items are claimed one at a time from a shared counter, so a slow or
// still-starting worker never holds the others up, and with no workers at all the caller
// simply runs every item.
//
// Workers are node:worker_threads in Node (obtained through process.getBuiltinModule, so this
// file loads in browsers too) and Web Workers in cross-origin-isolated pages.
import { nodeBuiltin } from '../../base/index.js';
import type { KernelExports } from './loader.js';

// Control block: 16 int32 slots in the shared memory.
const GEN = 0; // task generation: bumped to publish a task
const NEXT = 1; // next unclaimed item; CLOSED between tasks
const DONE = 2; // finished items of the current task
const NITEMS = 3;
const KIND = 4;
const ARGS = 5; // argument block address
const ERROR = 6; // set when an item threw on a worker
const ACTIVE = 7; // workers inside a task's claim loop
const SLEEPERS = 8; // workers blocked in Atomics.wait (only then is a notify needed)
const LIMIT = 9; // workers with an index ≥ LIMIT sit tasks out (parked by a smaller setThreads)
const WORKER_ITEMS = 10; // items run by workers so far (for tests and diagnostics)
const STARTED = 64; // STARTED + i is 1 once worker i has instantiated the module
/** The most threads a pool runs. */
export const MAX_THREADS = 64;
export const CONTROL_BYTES = (STARTED + MAX_THREADS) * 4;

/** NEXT while no task is open: any claim yields an index past every task's end. */
const CLOSED = 0x40000000;
/** Polls of the control block before blocking; a few tens of microseconds. */
const SPIN = 4000;

/**
 * The worker's program. A claim is valid only while it is below NITEMS, read after the claim:
 * the publisher writes the task before opening NEXT, and before reusing the block it closes
 * NEXT and waits for ACTIVE to drain, so no worker can pair an old claim with a new task.
 */
const WORKER_MAIN = `
function main(data) {
  const { module, memory, control, index } = data;
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const c = new Int32Array(memory.buffer, control, ${STARTED + MAX_THREADS});
  let seen = Atomics.load(c, ${GEN});
  Atomics.store(c, ${STARTED} + index, 1);
  for (;;) {
    let g = Atomics.load(c, ${GEN});
    // A parked worker (index ≥ LIMIT) sleeps at once instead of spinning.
    const spin = index < Atomics.load(c, ${LIMIT}) ? ${SPIN} : 0;
    for (let s = 0; g === seen && s < spin; s++) g = Atomics.load(c, ${GEN});
    if (g === seen) {
      Atomics.add(c, ${SLEEPERS}, 1);
      Atomics.wait(c, ${GEN}, seen);
      Atomics.sub(c, ${SLEEPERS}, 1);
      continue;
    }
    seen = g;
    if (index >= Atomics.load(c, ${LIMIT})) continue;
    Atomics.add(c, ${ACTIVE}, 1);
    for (;;) {
      const i = Atomics.add(c, ${NEXT}, 1);
      const n = Atomics.load(c, ${NITEMS});
      if (i >= n) break;
      try {
        ex.runTask(Atomics.load(c, ${KIND}), Atomics.load(c, ${ARGS}), i, index);
      } catch (e) {
        Atomics.store(c, ${ERROR}, 1);
      }
      Atomics.add(c, ${WORKER_ITEMS}, 1);
      if (Atomics.add(c, ${DONE}, 1) + 1 === n) Atomics.notify(c, ${DONE});
    }
    if (Atomics.sub(c, ${ACTIVE}, 1) === 1) Atomics.notify(c, ${ACTIVE});
  }
}
`;

const NODE_WORKER = `${WORKER_MAIN}\nmain(require('node:worker_threads').workerData);\n`;
const WEB_WORKER = `${WORKER_MAIN}\nself.onmessage = (e) => main(e.data);\n`;

interface WorkerHandle {
  terminate(): void;
}

interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  index: number;
}

// The little of node:worker_threads and node:os used here, typed locally so that the library
// type-checks without Node's types (it also builds for browsers).
interface NodeWorker extends WorkerHandle {
  unref(): void;
  on(event: 'error', listener: (error: unknown) => void): void;
}
interface NodeWorkerThreads {
  Worker: new (code: string, options: { eval: true; workerData: WorkerData }) => NodeWorker;
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus(): unknown[];
}

let webWorkerUrl: string | null = null;

const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** How workers are made here, or null where this platform has none we can use. */
function workerFactory(): ((data: WorkerData) => WorkerHandle) | null {
  if (isNode) {
    const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
    if (!wt) return null;
    return (data) => {
      const w = new wt.Worker(NODE_WORKER, { eval: true, workerData: data });
      w.unref(); // an idle pool must not keep the process alive
      // A worker that fails to start simply never claims work; the caller runs its share.
      w.on('error', () => {});
      return w;
    };
  }
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: typeof Worker };
  if (g.crossOriginIsolated !== true || typeof g.Worker !== 'function') return null;
  return (data) => {
    webWorkerUrl ??= URL.createObjectURL(new Blob([WEB_WORKER], { type: 'text/javascript' }));
    const w = new Worker(webWorkerUrl);
    w.onerror = () => {};
    w.postMessage(data);
    return w;
  };
}

/** Whether this platform can run a pool (shared memory and workers). */
export function canUseWorkers(): boolean {
  return workerFactory() !== null;
}

/** The number of logical cores, as the default thread count. */
export function coreCount(): number {
  if (isNode) {
    const os = nodeBuiltin<NodeOs>('node:os');
    if (os) return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly workers: (WorkerHandle | null)[] = [];
  private readonly spawn: ((data: WorkerData) => WorkerHandle) | null;
  /** Node's threads and Web Workers may block in Atomics.wait; a browser's main thread may not. */
  private readonly canWait = isNode || (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== undefined;
  private size = 1;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly controlAt: number,
    private readonly exports: KernelExports,
  ) {
    this.control = new Int32Array(memory.buffer, controlAt, CONTROL_BYTES / 4);
    this.control.fill(0);
    this.control[NEXT] = CLOSED;
    // A page that is not cross-origin isolated has no SharedArrayBuffer at all: one thread, no error.
    this.spawn = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer ? workerFactory() : null;
  }

  /** Threads that run tasks, the caller's included. */
  get threads(): number {
    return this.size;
  }

  /** Workers running now, and the items they have run so far. */
  stats(): { workers: number; workerItems: number } {
    let workers = 0;
    for (let i = 1; i < this.size; i++) workers += Atomics.load(this.control, STARTED + i);
    return { workers, workerItems: Atomics.load(this.control, WORKER_ITEMS) };
  }

  /**
   * Use n threads (the caller plus n − 1 workers); 1 where workers are unavailable. Workers past
   * n are parked, not stopped: a new worker takes tens of milliseconds to start (the tasks before
   * then run without it), so growing again reuses them at once.
   */
  resize(n: number): void {
    const size = this.spawn ? Math.min(MAX_THREADS, Math.max(1, Math.floor(n))) : 1;
    Atomics.store(this.control, LIMIT, size);
    for (let i = this.workers.length; i < size; i++) {
      this.workers.push(i === 0 || !this.spawn ? null : this.spawn({ module: this.module, memory: this.memory, control: this.controlAt, index: i }));
    }
    this.size = size;
  }

  /** Run items 0 … n−1 of task `kind` (arguments at `block`) on all threads; returns when all are done. */
  run(kind: number, block: number, n: number): void {
    const c = this.control;
    c[KIND] = kind;
    c[ARGS] = block;
    c[NITEMS] = n;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, ERROR, 0);
    Atomics.store(c, NEXT, 0); // open
    Atomics.add(c, GEN, 1);
    if (Atomics.load(c, SLEEPERS) > 0) Atomics.notify(c, GEN);
    let failure: unknown = null;
    for (;;) {
      const i = Atomics.add(c, NEXT, 1);
      if (i >= n) break;
      try {
        this.exports.runTask(kind, block, i, 0);
      } catch (e) {
        failure ??= e;
      }
      Atomics.add(c, DONE, 1);
    }
    this.waitUntil(DONE, (v) => v >= n);
    Atomics.store(c, NEXT, CLOSED);
    this.waitUntil(ACTIVE, (v) => v === 0);
    if (failure !== null) throw failure;
    if (Atomics.load(c, ERROR) !== 0) throw new Error('wasm backend: a kernel failed on a worker thread');
  }

  private waitUntil(slot: number, ok: (v: number) => boolean): void {
    const c = this.control;
    let spins = 0;
    for (let v = Atomics.load(c, slot); !ok(v); v = Atomics.load(c, slot)) {
      if (this.canWait && ++spins > SPIN) Atomics.wait(c, slot, v, 20);
    }
  }

  dispose(): void {
    this.resize(1);
    for (let i = 1; i < this.workers.length; i++) {
      this.workers[i]?.terminate();
      Atomics.store(this.control, STARTED + i, 0);
    }
    this.workers.length = Math.min(this.workers.length, 1);
  }
}
