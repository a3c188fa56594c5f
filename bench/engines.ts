// The engines a run compares: hebb on each registered backend (fast backends at 1 and 2
// threads) and TF.js on cpu and wasm.
import * as hb from '../src/index.js';
import { initTfjs, tf } from './tfjs.js';
import type { Engine } from './types.js';

/** Thread counts tried on backends that support hb.setThreads: this benchmark's 2-core target. */
export const THREAD_COUNTS = [1, 2] as const;

/**
 * Time for new pool workers to start the first time the thread count is raised: the pool starts
 * them asynchronously and runs work on those already running (later raises reuse parked ones).
 */
const THREAD_SETTLE_MS = 100;

let threadsNow: number | null = null;

async function useThreads(n: number): Promise<void> {
  if (threadsNow === n) return;
  const raising = threadsNow === null || n > threadsNow;
  hb.setThreads(n);
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
  await hb.ready();
  const previous = hb.getBackend();
  const engines: Engine[] = [];
  for (const backend of hb.listBackends()) {
    try {
      hb.setBackend(backend);
    } catch {
      continue; // registered but not available on this platform
    }
    if (backend === 'cpu') engines.push(hebbEngine('cpu', 1, false));
    else for (const t of THREAD_COUNTS) engines.push(hebbEngine(backend, t, true));
  }
  hb.setBackend(previous);
  return engines;
}

/** hebb's current backend and thread count, and a function that puts them back. */
export function rememberHebbSettings(): () => void {
  const backend = hb.getBackend();
  const threads = hb.getThreads();
  return () => {
    hb.setBackend(backend);
    hb.setThreads(threads);
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
