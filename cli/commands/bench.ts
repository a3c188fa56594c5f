// `hebb bench`: the benchmark (bench/run.ts, hebb against TensorFlow.js) behind the CLI. The
// benchmark is a sibling program, not part of the library, and is absent from an installed
// package, so it is loaded by path at run time when present instead of imported statically;
// the interface below is the part of bench/run.ts this command relies on.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliError } from '../errors.js';

interface BenchModule {
  runBench(options: { quick?: boolean; cases?: readonly string[]; engines?: readonly string[] }): Promise<unknown>;
  formatReport(result: unknown): string;
  writeResults(result: unknown, file: string): void;
}

export interface BenchCliOptions {
  quick?: boolean;
  cases?: string[];
  engines?: string[];
  json?: string;
}

export const BENCH_ENTRY = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));

export async function bench(options: BenchCliOptions): Promise<void> {
  if (!existsSync(BENCH_ENTRY)) {
    throw new CliError('bench: the benchmark is not part of this installation (bench/run.ts is missing); run it from a clone of the hebb repository');
  }
  const mod = (await import(pathToFileURL(BENCH_ENTRY).href)) as Partial<BenchModule>;
  if (typeof mod.runBench !== 'function' || typeof mod.formatReport !== 'function') {
    throw new CliError(`bench: ${BENCH_ENTRY} does not export runBench() and formatReport()`);
  }
  const result = await mod.runBench({ quick: options.quick ?? false, cases: options.cases, engines: options.engines });
  process.stdout.write(`${mod.formatReport(result)}\n`);
  if (options.json !== undefined) {
    mod.writeResults?.(result, options.json);
    process.stderr.write(`results written to ${options.json}\n`);
  }
}
