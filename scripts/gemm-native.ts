// The native backend's GEMM against oneDNN's own sgemm called from C, interleaved in one run:
// the addon's matmul called directly (kernel level, no tensor layer), hb.matmul through the
// public API, and bench/native/sgemm.cc (compiled here) in a child process; square sizes
// 256, 512, 1024 and odd ones. Prints median GFLOP/s per engine and the ratios to sgemm.
//   npx tsx scripts/gemm-native.ts [rounds] [threads] [sizes, e.g. 256,512,1024,513,999] [--cpu]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBackendInstance } from '../src/backend/index.js';
import type { NativeBackend } from '../src/backend/native/native-backend.js';
import * as hb from '../src/index.js';

const rounds = Number(process.argv[2] ?? 5);
const threads = Number(process.argv[3] ?? 1);
const sizes = (process.argv[4]?.startsWith('--') ? undefined : process.argv[4]) ?? '256,512,1024,513,999';
const sizeList = sizes.split(',').map(Number);
const bin = join(mkdtempSync(join(tmpdir(), 'hebb-gemm-')), 'sgemm');
const cc = spawnSync(process.env.CXX ?? 'g++', ['-O2', '-fopenmp', new URL('../bench/native/sgemm.cc', import.meta.url).pathname, '-ldnnl', '-o', bin], { encoding: 'utf8' });
if (cc.status !== 0) throw new Error(`cannot compile sgemm.cc: ${cc.stderr}`);
hb.setBackend('native');
hb.setThreads(threads);
const backend = getBackendInstance() as unknown as NativeBackend;
const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[xs.length >> 1];

/** With --cpu: the process's CPU seconds (steadier than wall time on a loaded machine at 1 thread). */
const byCpu = process.argv.includes('--cpu');
const now = (): number => (byCpu ? (process.cpuUsage().user + process.cpuUsage().system) / 1e6 : performance.now() / 1000);

/** Seconds per call of f, over calls lasting ~50 ms (as sgemm.cc times itself). */
function time(f: () => void): number {
  f();
  let t0 = now();
  f();
  const once = now() - t0;
  const inner = Math.max(1, Math.floor(0.05 / Math.max(once, 1e-6)));
  t0 = now();
  for (let i = 0; i < inner; i++) f();
  return (now() - t0) / inner;
}

console.log(`threads ${threads}, ${rounds} rounds; GFLOP/s medians by ${byCpu ? 'CPU' : 'wall'} time (machine shared: load ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
console.log('size | addon matmul | hb.matmul | oneDNN sgemm (C) | addon/sgemm | hb/sgemm');
for (const n of sizeList) {
  const flop = 2 * n * n * n;
  hb.setSeed(1);
  const a = hb.randomNormal([n, n]);
  const b = hb.randomNormal([n, n]);
  const A = a.dataSync() as Float32Array;
  const B = b.dataSync() as Float32Array;
  const Y = new Float32Array(n * n);
  const direct = (): void => {
    backend.args.set([n, n, n, 1, 1, 1, 0, 0]);
    backend.addon.matmul(A, B, Y);
  };
  const api = (): void => hb.tidy(() => { hb.matmul(a, b); });
  const rates: Record<string, number[]> = { direct: [], api: [], sgemm: [] };
  for (let r = 0; r < rounds; r++) {
    rates.direct.push(flop / time(direct) / 1e9);
    rates.api.push(flop / time(api) / 1e9);
    const out = spawnSync(bin, [String(n), String(threads), '3', byCpu ? 'cpu' : 'wall'], { encoding: 'utf8' });
    rates.sgemm.push(Number(out.stdout.trim()));
  }
  const [d, p, s] = [median(rates.direct), median(rates.api), median(rates.sgemm)];
  console.log(`${n} | ${d.toFixed(1)} | ${p.toFixed(1)} | ${s.toFixed(1)} | ${(d / s).toFixed(2)} | ${(p / s).toFixed(2)}`);
  hb.dispose([a, b]);
}
process.exit(0);
