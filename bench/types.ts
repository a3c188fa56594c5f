// The shapes shared by the benchmark's parts: engines (a library on one backend with a thread
// count), cases (one piece of work written once per library) and result rows.

export type Library = 'hebb' | 'tfjs';

export interface Engine {
  /** Stable id used in filters and results.json, e.g. 'hebb-wasm-2t', 'tfjs-cpu'. */
  id: string;
  library: Library;
  backend: string;
  threads: number;
  /** Make this engine current: select its backend (and thread count) before it is timed. */
  activate(): Promise<void>;
}

export type Unit = 'GFLOP/s' | 'samples/s';

/** One engine's prepared instance of a case. */
export interface Workload {
  /**
   * Do the case's work once and read a result back (so lazy or threaded backends have finished).
   * Returns a number from the result; the first call's value is compared across engines.
   */
  run(): number | Promise<number>;
  dispose(): void;
  /** Said in the table when the engine does the work in a non-obvious way (a fallback). */
  note?: string;
  /** Work per run() when this engine runs a smaller instance than the case's (see conv.ts). */
  work?: number;
}

/** Thrown by Variant.build to leave an engine out of a case, with the reason shown in its row. */
export class SkipCase extends Error {}

/** One way of writing a case for one library: core ops, or hebb's model API. */
export interface Variant {
  library: Library;
  /** Shown beside the engine when a library has more than one variant ('model API'). */
  name?: string;
  /** The engines of `library` this variant runs on (default: all). */
  engines?: (engine: Engine) => boolean;
  build(engine: Engine): Workload | Promise<Workload>;
}

export type CaseGroup = 'matmul' | 'conv' | 'mlp' | 'lenet' | 'lstm';

export interface BenchCase {
  /** e.g. 'matmul-nt-512', 'conv-lenet1-dx', 'mlp-train'. */
  id: string;
  group: CaseGroup;
  title: string;
  unit: Unit;
  /** FLOPs (for GFLOP/s) or samples (for samples/s) done by one run(). */
  work: number;
  /** Small enough for hebb's reference cpu backend, which is written to be read, not to be fast. */
  small: boolean;
  variants: Variant[];
}

export interface Row {
  caseId: string;
  group: CaseGroup;
  title: string;
  engine: string;
  library: Library;
  variant: string | null;
  backend: string;
  threads: number;
  unit: Unit;
  /** FLOPs or samples per run() on this engine (the case's, unless the engine ran a smaller instance). */
  work: number;
  /** Median seconds per run(); null if the engine failed or was skipped. */
  medianSeconds: number | null;
  /** Work per second at the median: GFLOP/s or samples/s. */
  rate: number | null;
  /** Timed samples the median is taken over, and run() calls per sample. */
  samples: number;
  innerRuns: number;
  /** Value returned by the first run(), for the cross-engine sanity check. */
  check: number | null;
  /** Relative difference of `check` from the reference row's (TF.js cpu where it ran). */
  checkRelErr: number | null;
  note: string | null;
  error: string | null;
}

export interface CaseSummary {
  caseId: string;
  title: string;
  unit: Unit;
  hebbBest: { engine: string; rate: number } | null;
  tfjsBest: { engine: string; rate: number } | null;
  /** hebb's best core-ops row over TF.js's best row of any variant (> 1: hebb is faster). */
  bestRatio: number | null;
  /** hebb wasm on one thread over TF.js wasm's best row (single-threaded in Node): same thread count. */
  wasmRatio: number | null;
  /** hebb wasm at its best thread count over TF.js wasm's best row. */
  wasmBestRatio: number | null;
}
