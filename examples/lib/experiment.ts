// The harness every lecture experiment runs in. An experiment computes its numbers, states its
// claim as checks, and returns them; the harness prints one row (deck claim vs hebb's result),
// writes the result as JSON for the runner when asked, and fails the process when a check fails,
// so `npx tsx examples/<name>.ts` is itself the assertion.
//
// Flags: --quick (a tiny subset, a few seconds: exercises the code paths, claims are reported but
// not enforced, since no claim is expected to hold on 100 digits), --seed N, --result FILE,
// --out DIR (where plots go; default examples/, or a temporary folder with --quick).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as hb from '../../src/index.js';

export const EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunOptions {
  /** Tiny subsets and few epochs: a smoke test of the code paths, not of the claim. */
  quick: boolean;
  seed: number;
  /** Folder for plots (exists when run() is called). */
  outDir: string;
  /** Progress lines go here (stderr), so the row stays the last thing on stdout. */
  log: (line: string) => void;
}

export interface Check {
  ok: boolean;
  /** What was asserted, with the numbers, e.g. "CE accuracy 0.86 ≥ MSE accuracy 0.21 + 0.30". */
  message: string;
}

export interface Outcome {
  /** hebb's numbers, one short line. */
  hebb: string;
  checks: Check[];
  /** How the setup differs from the deck's, if it does (size, epochs, learning rate …). */
  setup?: string;
  /** Files written (plots), relative to outDir. */
  files?: string[];
}

export interface Experiment {
  /** The file name without extension, e.g. 'perceptron-xor'. */
  name: string;
  title: string;
  /** The deck's claim and numbers, one short line. */
  deck: string;
  run(options: RunOptions): Promise<Outcome>;
}

/** What a run leaves for the runner (also the JSON written with --result). */
export interface ExperimentResult {
  name: string;
  title: string;
  deck: string;
  hebb: string;
  held: boolean;
  quick: boolean;
  failures: string[];
  checks: Check[];
  setup?: string;
  files: string[];
  outDir: string;
  seconds: number;
  backend: string;
  error?: string;
}

/** A check: `ok` with the message that says what was compared. */
export const check = (ok: boolean, message: string): Check => ({ ok, message });

/** A number with `digits` decimals, for rows and messages. */
export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

interface Args { quick: boolean; seed: number; result?: string; out?: string }

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--seed') args.seed = Number(value());
    else if (a === '--result') args.result = value();
    else if (a === '--out') args.out = value();
    else throw new Error(`unknown argument ${a} (expected --quick, --seed N, --result FILE, --out DIR)`);
  }
  if (!Number.isInteger(args.seed)) throw new Error(`--seed must be an integer, got ${args.seed}`);
  return args;
}

/** Run `exp` once with `args`; never throws (an error becomes a failed result). */
async function execute(exp: Experiment, args: Args): Promise<ExperimentResult> {
  const outDir = args.out ?? (args.quick ? mkdtempSync(join(tmpdir(), 'hebb-experiments-')) : EXAMPLES_DIR);
  mkdirSync(outDir, { recursive: true });
  hb.setSeed(args.seed);
  const start = performance.now();
  const base = { name: exp.name, title: exp.title, deck: exp.deck, quick: args.quick, outDir, backend: hb.getBackend() };
  try {
    const outcome = await exp.run({ quick: args.quick, seed: args.seed, outDir, log: (line) => process.stderr.write(`  [${exp.name}] ${line}\n`) });
    const failures = outcome.checks.filter((c) => !c.ok).map((c) => c.message);
    return {
      ...base, hebb: outcome.hebb, checks: outcome.checks, setup: outcome.setup, files: outcome.files ?? [],
      held: outcome.checks.length > 0 && failures.length === 0, failures, seconds: (performance.now() - start) / 1000,
    };
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return { ...base, hebb: 'error', checks: [], files: [], held: false, failures: [], error, seconds: (performance.now() - start) / 1000 };
  }
}

/** One row: experiment | deck | hebb | held | time. */
export function formatRow(r: ExperimentResult): string {
  const verdict = r.error ? 'ERROR' : r.quick ? `smoke (${r.held ? 'held' : 'not held'}, not asserted)` : r.held ? 'held' : 'NOT HELD';
  return `${r.title} | deck: ${r.deck} | hebb: ${r.hebb} | ${verdict} | ${r.seconds.toFixed(1)} s`;
}

/**
 * Run `exp` if its file is the program being executed (`npx tsx examples/<name>.ts`): print the
 * row and the checks, write --result, and exit 1 when the claim fails (in full mode) or on error.
 */
export async function main(exp: Experiment, moduleUrl: string): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || pathToFileURL(resolve(entry)).href !== moduleUrl) return;
  const args = parseArgs(process.argv.slice(2));
  const result = await execute(exp, args);
  for (const c of result.checks) process.stderr.write(`  [${exp.name}] ${c.ok ? 'ok  ' : 'FAIL'} ${c.message}\n`);
  if (result.error) process.stderr.write(`  [${exp.name}] ${result.error}\n`);
  if (args.result) writeFileSync(args.result, JSON.stringify(result, null, 2));
  console.log(formatRow(result));
  if (result.error || (!args.quick && !result.held)) {
    const why = result.error ?? `claim not reproduced: ${result.failures.join('; ')}`;
    process.stderr.write(`${exp.name}: ${why}\n`);
    process.exitCode = 1;
  }
}
