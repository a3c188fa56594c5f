// Interleaved, time-boxed timing of one case on several engines. Each engine is warmed up,
// then the engines take turns (the starting engine rotates each round) so that slow and fast
// phases of a shared, noisy machine hit all of them alike; the median of each engine's
// samples is reported. A sample repeats run() enough times to last at least minSampleMs, so
// timer resolution and per-call jitter don't dominate small cases.
import type { Engine, Workload } from './types.js';

export interface TimingOptions {
  /** Time box per engine per case, in ms (warm-up not counted). */
  budgetMs: number;
  /** Samples each engine gets at least, unless a single run() exceeds the budget (then 1). */
  minSamples: number;
  maxSamples: number;
  /** A sample lasts at least this long (run() repeated). */
  minSampleMs: number;
}

export interface Timed {
  samplesSeconds: number[];
  innerRuns: number;
  check: number;
}

/** A first call longer than this many budgets is taken as the engine's only sample. */
const SLOW_CALL_BUDGETS = 5;

function isPromise(v: unknown): v is Promise<number> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Seconds for `inner` calls of run(); awaits only when run() is asynchronous. */
async function timeRuns(w: Workload, inner: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < inner; i++) {
    const r = w.run();
    if (isPromise(r)) await r;
  }
  return (performance.now() - start) / 1000;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Slot {
  engine: Engine;
  workload: Workload;
  inner: number;
  target: number;
  samples: number[];
  check: number;
  error: string | null;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Warm up every (engine, workload) pair, then time them in rotating turns until each has its
 * target number of samples. Returns one Timed (or the error that stopped it) per input pair, in
 * order; one engine failing does not stop the others.
 */
export async function timeInterleaved(pairs: readonly { engine: Engine; workload: Workload }[], opts: TimingOptions): Promise<(Timed | { error: string })[]> {
  const slots: Slot[] = [];
  for (const { engine, workload } of pairs) {
    const slot: Slot = { engine, workload, inner: 1, target: 0, samples: [], check: Number.NaN, error: null };
    slots.push(slot);
    try {
      await engine.activate();
      // The first call pays for compilation and allocation; it also gives the check value.
      const start = performance.now();
      let first = workload.run();
      if (isPromise(first)) first = await first;
      const firstMs = performance.now() - start;
      slot.check = first;
      if (firstMs > SLOW_CALL_BUDGETS * opts.budgetMs) {
        // Many seconds per call (TF.js's cpu filter gradient): one-time costs are lost in the
        // noise, so the first call is the one sample rather than paying for another.
        slot.samples.push(firstMs / 1000);
        slot.target = 1;
        continue;
      }
      // A second, warm call calibrates the sample size.
      const warmMs = (await timeRuns(workload, 1)) * 1000;
      slot.inner = Math.max(1, Math.ceil(opts.minSampleMs / Math.max(warmMs, 1e-3)));
      const sampleMs = warmMs * slot.inner;
      slot.target = sampleMs > opts.budgetMs ? 1 : Math.min(opts.maxSamples, Math.max(opts.minSamples, Math.floor(opts.budgetMs / sampleMs)));
    } catch (e) {
      slot.error = message(e);
    }
  }
  const pending = (s: Slot) => s.error === null && s.samples.length < s.target;
  for (let round = 0; slots.some(pending); round++) {
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[(round + k) % slots.length];
      if (!pending(slot)) continue;
      try {
        await slot.engine.activate();
        slot.samples.push((await timeRuns(slot.workload, slot.inner)) / slot.inner);
      } catch (e) {
        slot.error = message(e);
      }
    }
  }
  return slots.map((s) => (s.error !== null ? { error: s.error } : { samplesSeconds: s.samples, innerRuns: s.inner, check: s.check }));
}
