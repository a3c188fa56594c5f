// Turning rows into what people read: the machine description, the per-case summary with
// ratios, and aligned text tables.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { CaseSummary, Row } from './types.js';

export interface MachineInfo {
  cpu: string;
  nproc: number;
  platform: string;
  node: string;
  gitCommit: string | null;
  /** Whether the working tree had uncommitted changes (numbers then describe more than the commit). */
  gitDirty: boolean | null;
  date: string;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null; // not a checkout, or git missing
  }
}

export function machineInfo(): MachineInfo {
  const status = git(['status', '--porcelain']);
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    nproc: os.availableParallelism(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirty: status === null ? null : status.length > 0,
    date: new Date().toISOString(),
  };
}

/**
 * Rows that count for a library's "best": every TF.js row (its hand-written variants too, so the
 * yardstick is the strongest TF.js we can field) but only hebb's core-ops rows (its model-API
 * rows measure the layer machinery on top).
 */
function scored(rows: readonly Row[], pick: (r: Row) => boolean): Row[] {
  return rows.filter((r) => r.rate !== null && (r.library === 'tfjs' || r.variant === null) && pick(r));
}

function best(rows: readonly Row[]): Row | null {
  return rows.reduce<Row | null>((b, r) => (b === null || r.rate! > b.rate! ? r : b), null);
}

const ratio = (a: Row | null, b: Row | null): number | null => (a && b ? a.rate! / b.rate! : null);

/** The TF.js rows a case is measured against: its best overall and its best on wasm. */
export function tfjsYardsticks(caseRows: readonly Row[]): { best: Row | null; wasm: Row | null } {
  return {
    best: best(scored(caseRows, (r) => r.library === 'tfjs')),
    wasm: best(scored(caseRows, (r) => r.library === 'tfjs' && r.backend === 'wasm')),
  };
}

const label = (r: Row) => (r.variant === null ? r.engine : `${r.engine} (${r.variant})`);

export function summarize(caseRows: readonly Row[]): CaseSummary {
  const first = caseRows[0];
  const hebbBest = best(scored(caseRows, (r) => r.library === 'hebb'));
  const tf = tfjsYardsticks(caseRows);
  const hebbWasm = scored(caseRows, (r) => r.library === 'hebb' && r.backend === 'wasm');
  const hebbWasm1 = hebbWasm.find((r) => r.threads === 1) ?? null;
  const pick = (r: Row | null) => (r ? { engine: label(r), rate: r.rate! } : null);
  return {
    caseId: first.caseId,
    title: first.title,
    unit: first.unit,
    hebbBest: pick(hebbBest),
    tfjsBest: pick(tf.best),
    bestRatio: ratio(hebbBest, tf.best),
    wasmRatio: ratio(hebbWasm1, tf.wasm),
    wasmBestRatio: ratio(best(hebbWasm), tf.wasm),
  };
}

/** Three significant figures, thousands separated: 0.123, 12.3, 1,234. */
export function fmtNumber(x: number): string {
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : x >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtSeconds(s: number): string {
  if (s < 1e-3) return `${fmtNumber(s * 1e6)} µs`;
  if (s < 1) return `${fmtNumber(s * 1e3)} ms`;
  return `${fmtNumber(s)} s`;
}

/** "3.2×", "12×", "0.45×". */
export function fmtRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '';
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

function fmtRate(r: Row): string {
  if (r.rate === null) return '';
  return `${fmtNumber(r.rate)} ${r.unit}`;
}

type Align = 'l' | 'r';

/** Aligned text columns; a plain string in `body` is a heading line spanning the table. */
function table(header: string[], align: Align[], body: (string[] | string)[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (typeof row === 'string' ? 0 : row[i].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [line(header), rule, ...body.map((row) => (typeof row === 'string' ? row : line(row)))].join('\n');
}

function engineLabel(r: Row): string {
  const lib = r.library === 'hebb' ? 'hebb' : 'TF.js';
  return r.variant === null ? lib : `${lib} (${r.variant})`;
}

/** Every row: case headings, then one line per engine with its backend and thread count. */
export function formatRows(rows: readonly Row[], summaries: readonly CaseSummary[]): string {
  const body: (string[] | string)[] = [];
  for (const s of summaries) {
    const caseRows = rows.filter((r) => r.caseId === s.caseId);
    const tf = tfjsYardsticks(caseRows);
    const tfjsBest = tf.best?.rate ?? null;
    const tfjsWasm = tf.wasm?.rate ?? null;
    body.push(s.title);
    for (const r of caseRows) {
      const mine = r.library === 'hebb' && r.rate !== null;
      const notes = [r.note, r.checkRelErr !== null && r.checkRelErr > CHECK_TOLERANCE ? `result differs from reference by ${r.checkRelErr.toExponential(1)}` : null, r.error && `failed: ${r.error}`];
      body.push([
        `  ${engineLabel(r)}`,
        r.backend,
        `${r.threads}`,
        r.medianSeconds === null ? '' : fmtSeconds(r.medianSeconds),
        fmtRate(r),
        r.samples > 0 ? `${r.samples}×${r.innerRuns}` : '',
        mine && tfjsBest !== null ? fmtRatio(r.rate! / tfjsBest) : '',
        mine && tfjsWasm !== null && r.backend !== 'cpu' ? fmtRatio(r.rate! / tfjsWasm) : '',
        notes.filter(Boolean).join('; '),
      ]);
    }
  }
  return table(
    ['case / engine', 'backend', 'threads', 'median', 'rate', 'samples', 'vs TF.js best', 'vs TF.js wasm', 'note'],
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    body,
  );
}

/** One line per case: each library's best engine and the two ratios. */
export function formatSummary(summaries: readonly CaseSummary[]): string {
  const cell = (b: CaseSummary['hebbBest']) => (b === null ? '–' : `${fmtNumber(b.rate)}  ${b.engine}`);
  return table(
    ['case', 'unit', 'hebb best', 'TF.js best', 'best/best', 'wasm 1T/wasm', 'wasm best/wasm'],
    ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
    summaries.map((s) => [s.title, s.unit, cell(s.hebbBest), cell(s.tfjsBest), fmtRatio(s.bestRatio), fmtRatio(s.wasmRatio), fmtRatio(s.wasmBestRatio)]),
  );
}

/** Relative difference of first results above which a row is flagged as computing something else. */
export const CHECK_TOLERANCE = 1e-3;

export function formatMachine(m: MachineInfo): string {
  const commit = m.gitCommit === null ? 'no git' : `${m.gitCommit.slice(0, 12)}${m.gitDirty ? ' (dirty)' : ''}`;
  return `${m.cpu} · ${m.nproc} CPUs · ${m.platform} · Node ${m.node} · ${commit} · ${m.date}`;
}
