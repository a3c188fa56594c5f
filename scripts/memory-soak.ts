// Memory soak (not a unit test; its fast part is test/memory/user-loops.test.ts).
//   npx tsx scripts/memory-soak.ts [steps] [backends]     e.g. `10000 cpu,wasm,native`
// (default: cpu, wasm, and native when its addon is built). On native the line also shows the
// addon's own native memory (scratchpad, reordered weights) and the freed arrays kept for reuse.
// Part 1, user loops: per backend, 10,000 steps of `y = hb.add(x, 1)` on a 512×512 tensor, the
// way a new user writes them: no tidy(), no dispose(), one loop synchronous and one awaiting
// `y.data()` every 10 steps. hebb forces a collection when tensors have allocated enough
// (src/tensor/collector.ts), so RSS and live bytes must stay flat; before that, wasm stopped
// with an out-of-memory RangeError after ~4,100 steps and cpu held 6.3 GB.
// Part 2, training: a small MLP trained for the same number of steps with trainOnBatch; the
// training loop releases its intermediates itself, so live buffers stay the same.
import { getBackendInstance } from '../src/backend/index.js';
import type { NativeBackend } from '../src/backend/native/index.js';
import * as hb from '../src/index.js';

const steps = Number(process.argv[2] ?? 10_000);
const nativeBuilt = hb.backends().some((b) => b.name === 'native' && b.available);
const backends = (process.argv[3] ?? (nativeBuilt ? 'cpu,wasm,native' : 'cpu,wasm')).split(',');
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
const report = (label: string): void => {
  const m = hb.memory();
  const rss = process.memoryUsage().rss;
  const b = getBackendInstance();
  const extra = b.name === 'native' ? `; addon ${mb((b as NativeBackend).nativeBytes())}, reuse pool ${mb((b as NativeBackend).poolBytes())}` : '';
  console.log(
    `${label.padEnd(28)} rss ${mb(rss).padStart(9)}   heap ${mb(process.memoryUsage().heapUsed).padStart(8)}   ` +
      `live: ${m.tensors} tensors, ${mb(m.tensorBytes)}; ${m.backend}: ${m.buffers} buffers, ${mb(m.bytes)}${extra}; ${m.collections} forced collections`,
  );
};
const checkpoints = new Set([1, 1000, steps]);

async function userLoop(backend: string, awaitEvery: number): Promise<void> {
  hb.setBackend(backend);
  const x = hb.ones([512, 512]);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  let y = x;
  for (let i = 1; i <= steps; i++) {
    y = hb.add(x, 1);
    if (awaitEvery > 0 && i % awaitEvery === 0) await y.data();
    if (checkpoints.has(i)) report(`  ${backend} ${awaitEvery > 0 ? 'async' : 'sync'} step ${i}`);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`  ${steps} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; y[0] = ${y.dataSync()[0]}`);
}

function training(backend: string): void {
  hb.setBackend(backend);
  hb.setSeed(7);
  const x = hb.randomNormal([64, 16]);
  const y = hb.oneHot(hb.randomInt([64], 0, 4), 4);
  const model = hb.sequential([
    hb.layers.dense({ units: 32, inputShape: [16], activation: 'relu' }),
    hb.layers.dropout({ rate: 0.1 }),
    hb.layers.dense({ units: 4, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const t0 = Date.now();
  let logs: hb.Logs = {};
  for (let i = 1; i <= steps; i++) {
    logs = model.trainOnBatch(x, y);
    if (checkpoints.has(i)) report(`  ${backend} training step ${i}`);
  }
  console.log(`  ${steps} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s; final loss ${logs.loss.toFixed(4)}, accuracy ${logs.accuracy.toFixed(3)}`);
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; collector mode: ${(await import('../src/tensor/index.js')).collectorMode()}`);
  for (const backend of backends) {
    console.log(`backend ${backend}: user loop, 512×512 add, no tidy`);
    await userLoop(backend, 0);
    await userLoop(backend, 10);
    console.log(`backend ${backend}: trainOnBatch`);
    training(backend);
  }
}

void main();
