// CPU and wall time of one CRNN training step (hb.zoo.crnn, CTC, Adam, batch 32) and of reading a
// strip (inference, batch 64) on one backend and thread count, with the losses of the steps (the
// same on every backend that computes the same thing):
//   npx tsx scripts/crnn-step-bench.ts wasm|native THREADS [STEPS=6]
import * as hb from '../src/index.js';

const [backend = 'wasm', threadsArg = '1', stepsArg = '6'] = process.argv.slice(2);
await hb.ready();
await hb.setBackend(backend);
hb.setThreads(Number(threadsArg));
hb.setSeed(1);
const steps = Number(stepsArg);
const { images, labels } = await hb.datasets.digitStrips({ n: 64, split: 'train', seed: 3 });
// Labels padded with −1 to 19 digits: [64, 19] int32, as the ctc loss takes them.
const padded = new Int32Array(64 * 19).fill(-1);
labels.forEach((l, i) => l.forEach((d, j) => (padded[i * 19 + j] = d)));
const x = hb.slice(images, [0, 0, 0, 0], [32, 32, 448, 1]);
const y = hb.tensor(padded.subarray(0, 32 * 19), [32, 19], 'int32');
const model = hb.zoo.crnn();
model.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3, clipNorm: 5 }), loss: (t: hb.Tensor, p: hb.Tensor) => hb.losses.ctc(t, p, { blank: 10 }) });

const losses: number[] = [];
for (let i = 0; i < 2; i++) losses.push(model.trainOnBatch(x, y).loss); // warm-up, not timed
let c0 = process.cpuUsage();
let t0 = performance.now();
for (let i = 0; i < steps; i++) losses.push(model.trainOnBatch(x, y).loss);
let cpu = process.cpuUsage(c0);
const stepCpu = (cpu.user + cpu.system) / 1000 / steps;
const stepWall = (performance.now() - t0) / steps;

const read = () => hb.tidy(() => void (hb.noGrad(() => model.apply(images, { training: false })) as hb.Tensor).dataSync());
read(); // warm-up
c0 = process.cpuUsage();
t0 = performance.now();
for (let i = 0; i < 3; i++) read();
cpu = process.cpuUsage(c0);
const strips = 3 * 64;
process.stdout.write(
  `${backend} ${threadsArg} thread(s): step ${stepCpu.toFixed(0)} ms CPU, ${stepWall.toFixed(0)} ms wall; ` +
    `read ${((cpu.user + cpu.system) / 1000 / strips).toFixed(2)} ms CPU, ${((performance.now() - t0) / strips).toFixed(2)} ms wall per strip; ` +
    `losses ${losses.map((l) => l.toFixed(3)).join(' ')}\n`,
);
