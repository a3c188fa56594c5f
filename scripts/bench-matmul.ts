// Matmul throughput of the current backend through the public API: 1024×1024 (or the size
// given) in the NN, NT and TN layouts, with 1 and 2 threads, interleaved; prints the median and
// best GFLOP/s of several runs. The machine is shared and noisy: compare medians, not lone runs.
// "per CPU-s" divides the work by the process's CPU time instead of wall time: on a loaded
// machine, where the second thread may not get a core, it still shows whether threading wastes
// work (it should stay close to the one-thread figure).
//   npx tsx scripts/bench-matmul.ts [size] [runs]
import * as hb from '../src/index.js';

const n = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 7);
const flop = 2 * n * n * n;
hb.setSeed(1);
const a = hb.randomNormal([n, n]);
const b = hb.randomNormal([n, n]);
const layouts: [string, boolean, boolean][] = [['NN', false, false], ['NT', false, true], ['TN', true, false]];
const threadCounts = [1, 2];
const times = new Map<string, number[]>();
const cpuTimes = new Map<string, number>();

// Let the pool's workers start before timing (they come up asynchronously).
await new Promise((r) => setTimeout(r, 300));
for (let r = -1; r < runs; r++) {
  for (const threads of threadCounts) {
    hb.setThreads(threads);
    for (const [name, tA, tB] of layouts) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      hb.tidy(() => hb.matmul(a, b, tA, tB));
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (r < 0) continue; // warm-up
      const key = `${name} ${threads}`;
      times.set(key, [...(times.get(key) ?? []), ms]);
      cpuTimes.set(key, (cpuTimes.get(key) ?? 0) + (cpu.user + cpu.system) / 1000);
    }
  }
}
console.log(`${hb.getBackend()} backend, matmul ${n}×${n}×${n}, ${runs} runs each (GFLOP/s)`);
for (const [name] of layouts) {
  const cells = threadCounts.map((threads) => {
    const ts = [...times.get(`${name} ${threads}`)!].sort((x, y) => x - y);
    const median = flop / ts[Math.floor(ts.length / 2)] / 1e6;
    const best = flop / ts[0] / 1e6;
    const perCpu = (flop * ts.length) / cpuTimes.get(`${name} ${threads}`)! / 1e6;
    return `${threads} thread${threads > 1 ? 's' : ''}: median ${median.toFixed(1)}, best ${best.toFixed(1)}, per CPU-s ${perCpu.toFixed(1)}`;
  });
  console.log(`  ${name}   ${cells.join('   ')}`);
}
process.exit(0);
