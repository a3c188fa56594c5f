// `hebb bench`: runs the benchmark program (bench/index.ts, hebb against TensorFlow.js) as a
// child process with the same options. The benchmark is a sibling program, not part of the
// library, and is absent from an installed package; running it keeps the CLI from importing
// another program's modules (docs/architecture.md: programs use the library's index only).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError } from '../errors.js';

export interface BenchCliOptions {
  quick?: boolean;
  cases?: string[];
  engines?: string[];
  json?: string;
}

export const BENCH_ENTRY = fileURLToPath(new URL('../../bench/index.ts', import.meta.url));

export async function bench(options: BenchCliOptions): Promise<void> {
  if (!existsSync(BENCH_ENTRY)) {
    throw new CliError('bench: the benchmark is not part of this installation (bench/index.ts is missing); run it from a clone of the hebb repository');
  }
  const args = [
    ...(options.quick ? ['--quick'] : []),
    ...(options.cases ? ['--cases', options.cases.join(',')] : []),
    ...(options.engines ? ['--engines', options.engines.join(',')] : []),
    ...(options.json !== undefined ? ['--json', options.json] : []),
  ];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), BENCH_ENTRY, ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new CliError(`bench: the benchmark exited with code ${code}`);
}
