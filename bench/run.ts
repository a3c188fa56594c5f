// The benchmark's core: build the cases, find the engines, time every case on every engine
// interleaved, and collect rows, per-case summaries and the machine description. The CLI
// (bench/index.ts) and `hebb bench` call runBench(); printing and writing are separate.
import { writeFileSync } from 'node:fs';
import * as hb from '../src/index.js';
import { convCases, convLayers } from './cases/conv.js';
import { lstmCases } from './cases/lstm.js';
import { MATMUL_FORMS, matmulCases, type MatmulForm } from './cases/matmul.js';
import { lenetCases, mlpCases, type ModelBatches } from './cases/models.js';
import { hebbEngines, rememberHebbSettings, tfjsEngines } from './engines.js';
import { CHECK_TOLERANCE, formatMachine, formatRows, formatSummary, machineInfo, type MachineInfo, summarize } from './report.js';
import { tf } from './tfjs.js';
import { median, timeInterleaved, type TimingOptions } from './timing.js';
import { type BenchCase, type CaseSummary, type Engine, type Row, SkipCase, type Workload } from './types.js';

export type { MatmulForm } from './cases/matmul.js';
export type { ModelBatches } from './cases/models.js';
export type { TimingOptions } from './timing.js';
export type { BenchCase, CaseSummary, Engine, Row } from './types.js';
export type { MachineInfo } from './report.js';

export interface BenchOptions {
  /** Smaller sizes and shorter time boxes: the whole run in under a minute. */
  quick?: boolean;
  /** Case groups ('matmul', 'conv', 'mlp', 'lenet') or case-id prefixes ('matmul-nt', 'mlp-train'); default all. */
  cases?: readonly string[];
  /** Engine ids or prefixes ('hebb', 'hebb-wasm-2t', 'tfjs-cpu'); default all. */
  engines?: readonly string[];
  matmulSizes?: readonly number[];
  matmulForms?: readonly MatmulForm[];
  /** Batch sizes of the conv cases: LeNet's layers and the 3×3×64 layer (see ConvLayer.slowDwBatch). */
  convBatches?: { lenet?: number; big?: { batch: number; slowDwBatch: number | null } };
  modelBatches?: Partial<ModelBatches>;
  timing?: Partial<TimingOptions>;
  /** Progress lines; default: stderr. */
  log?: (line: string) => void;
}

export interface BenchResult {
  machine: MachineInfo;
  mode: 'quick' | 'full';
  versions: { tfjs: string; hebbBackends: string[] };
  timing: TimingOptions;
  engines: { id: string; library: string; backend: string; threads: number }[];
  rows: Row[];
  summary: CaseSummary[];
  /** Engines that could not take part, cross-engine check failures and the like. */
  warnings: string[];
}

interface Preset {
  matmulSizes: number[];
  convBatches: { lenet: number; big: { batch: number; slowDwBatch: number | null } };
  modelBatches: ModelBatches;
  timing: TimingOptions;
}

const FULL: Preset = {
  matmulSizes: [128, 256, 512, 1024],
  // TF.js's cpu filter-gradient kernel needs ~30 s per 56×56×64 image: one image for those rows.
  convBatches: { lenet: 64, big: { batch: 8, slowDwBatch: 1 } },
  modelBatches: { mlpTrain: 100, mlpInfer: 100, lenetTrain: 64, lenetInfer: 64 },
  timing: { budgetMs: 2000, minSamples: 5, maxSamples: 25, minSampleMs: 50 },
};

// Quick mode keeps the shapes that matter but shrinks the batches whose slowest engines
// (TF.js cpu's filter gradient, hebb's reference backend) would take seconds per call.
const QUICK: Preset = {
  matmulSizes: [128, 256],
  convBatches: { lenet: 16, big: { batch: 1, slowDwBatch: null } },
  modelBatches: { mlpTrain: 100, mlpInfer: 100, lenetTrain: 16, lenetInfer: 64 },
  timing: { budgetMs: 150, minSamples: 3, maxSamples: 5, minSampleMs: 15 },
};

function matches(tokens: readonly string[] | undefined, ...names: string[]): boolean {
  if (tokens === undefined || tokens.length === 0) return true;
  return tokens.some((t) => names.some((n) => n === t || n.startsWith(`${t}-`)));
}

function buildCases(preset: Preset, o: BenchOptions): BenchCase[] {
  const conv = { ...preset.convBatches, ...o.convBatches };
  const batches = { ...preset.modelBatches, ...o.modelBatches };
  const all = [
    ...matmulCases(o.matmulSizes ?? preset.matmulSizes, o.matmulForms ?? MATMUL_FORMS),
    ...convCases(convLayers(conv.lenet, conv.big)),
    ...mlpCases(batches),
    ...lenetCases(batches),
    ...lstmCases(64),
  ];
  return all.filter((c) => matches(o.cases, c.group, c.id));
}

function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Run every selected case on every selected engine; see BenchOptions. */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const preset = options.quick ? QUICK : FULL;
  const timing: TimingOptions = { ...preset.timing, ...options.timing };
  const log = options.log ?? stderrLog;
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    log(`warning: ${w}`);
  };

  const wanted = (e: Engine) => matches(options.engines, e.id);
  let hebb = (await hebbEngines()).filter(wanted);
  if (options.quick && options.engines === undefined && hebb.some((e) => e.backend !== 'cpu')) {
    // The reference backend's slow rows would cost most of quick mode's minute.
    hebb = hebb.filter((e) => e.backend !== 'cpu');
    log('quick mode: hebb cpu (the reference backend) left out; name it in --engines to include it');
  }
  // TF.js is only initialised (wasm compiled) when one of its engines is wanted.
  const tfjsWanted = matches(options.engines, 'tfjs-cpu', 'tfjs-wasm');
  const tfjs = tfjsWanted ? (await tfjsEngines()).filter(wanted) : [];
  const engines = [...hebb, ...tfjs];
  if (!hb.listBackends().includes('wasm')) warn("hebb's wasm backend is not registered yet: hebb runs on its reference cpu backend only");
  if (engines.length === 0) throw new Error(`runBench: no engine matches ${JSON.stringify(options.engines)}`);
  log(`engines: ${engines.map((e) => e.id).join(', ')}`);

  const cases = buildCases(preset, options);
  const rows: Row[] = [];
  const summary: CaseSummary[] = [];
  const restore = rememberHebbSettings();
  try {
    for (const [i, c] of cases.entries()) {
      log(`[${i + 1}/${cases.length}] ${c.title}`);
      const caseRows = await runCase(c, engines, timing, log);
      if (caseRows.length === 0) continue; // e.g. only hebb cpu selected and the case is too big for it
      checkAgreement(caseRows, c.work, warn);
      rows.push(...caseRows);
      summary.push(summarize(caseRows));
    }
  } finally {
    restore();
  }
  return {
    machine: machineInfo(),
    mode: options.quick ? 'quick' : 'full',
    versions: { tfjs: tf.version_core, hebbBackends: hb.listBackends() },
    timing,
    engines: engines.map(({ id, library, backend, threads }) => ({ id, library, backend, threads })),
    rows,
    summary,
    warnings,
  };
}

async function runCase(c: BenchCase, engines: readonly Engine[], timing: TimingOptions, log: (l: string) => void): Promise<Row[]> {
  interface Entry {
    engine: Engine;
    variant: string | null;
    workload: Workload | null;
    error: string | null;
    skipped: string | null;
  }
  const entries: Entry[] = [];
  for (const v of c.variants) {
    for (const engine of engines) {
      if (engine.library !== v.library || (v.engines && !v.engines(engine))) continue;
      // hebb's reference backend is written to be read, not to be fast: small cases only.
      if (engine.library === 'hebb' && engine.backend === 'cpu' && !c.small) continue;
      const entry: Entry = { engine, variant: v.name ?? null, workload: null, error: null, skipped: null };
      try {
        await engine.activate(); // tensors are made on the backend that will run them
        entry.workload = await v.build(engine);
      } catch (e) {
        if (e instanceof SkipCase) entry.skipped = e.message;
        else entry.error = e instanceof Error ? e.message : String(e);
      }
      entries.push(entry);
    }
  }
  const ready = entries.filter((e) => e.workload !== null);
  const timed = await timeInterleaved(ready.map((e) => ({ engine: e.engine, workload: e.workload! })), timing);
  const rows = entries.map((e): Row => {
    const k = ready.indexOf(e);
    const t = k >= 0 ? timed[k] : null;
    const ok = t !== null && !('error' in t);
    const work = e.workload?.work ?? c.work;
    const med = ok ? median(t.samplesSeconds) : null;
    const rate = med === null ? null : c.unit === 'GFLOP/s' ? work / med / 1e9 : work / med;
    const notes = [e.workload?.note, e.skipped !== null ? `skipped: ${e.skipped}` : null].filter(Boolean);
    return {
      caseId: c.id,
      group: c.group,
      title: c.title,
      engine: e.engine.id,
      library: e.engine.library,
      variant: e.variant,
      backend: e.engine.backend,
      threads: e.engine.threads,
      unit: c.unit,
      work,
      medianSeconds: med,
      rate,
      samples: ok ? t.samplesSeconds.length : 0,
      innerRuns: ok ? t.innerRuns : 0,
      check: ok && Number.isFinite(t.check) ? t.check : null,
      checkRelErr: null,
      note: notes.length > 0 ? notes.join('; ') : null,
      error: e.error ?? (t !== null && 'error' in t ? t.error : null),
    };
  });
  for (const e of entries) e.workload?.dispose();
  for (const r of rows) {
    const what = r.rate !== null ? `${r.rate.toFixed(2)} ${r.unit} (median of ${r.samples})` : r.error !== null ? `failed: ${r.error}` : (r.note ?? 'no result');
    log(`    ${r.engine}${r.variant ? ` [${r.variant}]` : ''}: ${what}`);
  }
  return rows;
}

/**
 * Every engine starts from the same numbers, so the first result must agree; a mismatch means
 * a row timed different work (or a kernel is wrong). The reference is TF.js cpu where it ran.
 */
function checkAgreement(rows: Row[], caseWork: number, warn: (w: string) => void): void {
  // Rows that ran a smaller instance (TF.js's slow filter gradient) compute other numbers.
  const withCheck = rows.filter((r) => r.check !== null && r.work === caseWork);
  const ref = withCheck.find((r) => r.engine === 'tfjs-cpu' && r.variant === null) ?? withCheck[0];
  if (ref === undefined) return;
  for (const r of withCheck) {
    r.checkRelErr = Math.abs(r.check! - ref.check!) / Math.max(Math.abs(ref.check!), 1e-6);
    if (r.checkRelErr > CHECK_TOLERANCE) warn(`${r.caseId}: ${r.engine}${r.variant ? ` (${r.variant})` : ''} got ${r.check} where ${ref.engine} got ${ref.check}`);
  }
}

/** The report as printed: machine line, every row, then the summary of ratios. */
export function formatReport(result: BenchResult): string {
  return [
    formatMachine(result.machine),
    '',
    formatRows(result.rows, result.summary),
    '',
    formatSummary(result.summary),
    '',
    "best/best: hebb's fastest core-ops row over TF.js's fastest row, any backend or hand-written variant (> 1× means hebb is faster).",
    "wasm 1T/wasm: hebb wasm on 1 thread over TF.js's fastest wasm row (single-threaded in Node). Medians of interleaved samples;",
    '"samples" is samples × calls per sample. Method and TF.js set-up: bench/README.md.',
    ...result.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

export function writeResults(result: BenchResult, file: string): void {
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
