// The engines a run compares: hebb on each registered backend (fast backends at 1 and 2
// threads when hb.setThreads exists) and TF.js on cpu and wasm.
import * as hb from '../src/index.js';
import { initTfjs, tf } from './tfjs.js';
import type { Engine } from './types.js';

/** hebb exports that arrive with the wasm backend; looked up at run time until it lands. */
interface FastBackendApi {
  setThreads?: (n: number) => void;
  getThreads?: () => number;
  /** Async initialisation (browsers must compile wasm asynchronously). */
  ready?: () => Promise<void>;
}
const fastApi = hb as unknown as FastBackendApi;

/** Thread counts tried on backends that support hb.setThreads: this benchmark's 2-core target. */
export const THREAD_COUNTS = [1, 2] as const;

/**
 * Time for new pool workers to start after raising the thread count. The pool starts workers
 * asynchronously and runs work on those already running, so timing straight after a raise
 * would partly measure fewer threads; lowering it is immediate.
 */
const THREAD_SETTLE_MS = 100;

let threadsNow: number | null = null;

async function useThreads(n: number): Promise<void> {
  if (threadsNow === n) return;
  const raising = threadsNow === null || n > threadsNow;
  fastApi.setThreads?.(n);
  threadsNow = n;
  if (raising && n > 1) await new Promise((resolve) => setTimeout(resolve, THREAD_SETTLE_MS));
}

function hebbEngine(backend: string, threads: number, setsThreads: boolean): Engine {
  return {
    id: setsThreads ? `hebb-${backend}-${threads}t` : `hebb-${backend}`,
    library: 'hebb',
    backend,
    threads,
    activate: async () => {
      hb.setBackend(backend);
      if (setsThreads) await useThreads(threads);
    },
  };
}

/** hebb's usable backends: the reference 'cpu' always, others if they initialise here. */
export async function hebbEngines(): Promise<Engine[]> {
  await fastApi.ready?.();
  const previous = hb.getBackend();
  const engines: Engine[] = [];
  for (const backend of hb.listBackends()) {
    try {
      hb.setBackend(backend);
    } catch {
      continue; // registered but not available on this platform
    }
    if (backend === 'cpu') engines.push(hebbEngine('cpu', 1, false));
    else if (typeof fastApi.setThreads === 'function') for (const t of THREAD_COUNTS) engines.push(hebbEngine(backend, t, true));
    else engines.push(hebbEngine(backend, fastApi.getThreads?.() ?? 1, false));
  }
  hb.setBackend(previous);
  return engines;
}

/** hebb's current backend and thread count, and a function that puts them back. */
export function rememberHebbSettings(): () => void {
  const backend = hb.getBackend();
  const threads = fastApi.getThreads?.();
  return () => {
    hb.setBackend(backend);
    if (threads !== undefined) fastApi.setThreads?.(threads);
    threadsNow = null;
  };
}

export async function tfjsEngines(): Promise<Engine[]> {
  const names = await initTfjs();
  return names.map((backend) => ({
    id: `tfjs-${backend}`,
    library: 'tfjs' as const,
    backend,
    threads: 1,
    activate: async () => {
      await tf.setBackend(backend);
    },
  }));
}
