// Memory soak (not a unit test): train a small MLP for 10,000 optimizer steps without a single
// dispose() call and print the process RSS and hb.memory() at the start and at the end. The
// training loop releases its intermediates deterministically, so the live-buffer count must be
// the same at the end as after the first step, and RSS must not grow with the step count.
//   npx tsx scripts/memory-soak.ts [steps]
import * as hb from '../src/index.js';

const steps = Number(process.argv[2] ?? 10_000);
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
const report = (label: string): void => {
  const m = hb.memory();
  console.log(`${label.padEnd(22)} rss ${mb(process.memoryUsage().rss).padStart(9)}   heap ${mb(process.memoryUsage().heapUsed).padStart(9)}   hb.memory: ${m.buffers} buffers, ${m.bytes} bytes`);
};

hb.setSeed(7);
const x = hb.randomNormal([64, 16]);
const y = hb.oneHot(hb.randomInt([64], 0, 4), 4);
const model = hb.sequential([
  hb.layers.dense({ units: 32, inputShape: [16], activation: 'relu' }),
  hb.layers.dropout({ rate: 0.1 }),
  hb.layers.dense({ units: 4, activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

model.trainOnBatch(x, y); // first step creates the optimizer slots
report('after step 1');
const start = process.memoryUsage().rss;
const t0 = Date.now();
let logs: hb.Logs = {};
for (let i = 1; i < steps; i++) {
  logs = model.trainOnBatch(x, y);
  if (i % 2500 === 0) report(`after step ${i}`);
}
report(`after step ${steps}`);
console.log(`${steps} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s; final loss ${logs.loss.toFixed(4)}, accuracy ${logs.accuracy.toFixed(3)}`);
console.log(`RSS change over the run: ${mb(process.memoryUsage().rss - start)}`);
