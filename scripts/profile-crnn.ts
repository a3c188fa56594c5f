// Where a CRNN training step (hb.zoo.crnn, CTC, Adam, batch 32 or --batch=B) and reading (batch 64) spend their
// time, kernel by kernel (see kernel-profiler.ts):
//   npx tsx scripts/profile-crnn.ts [steps=6] [threads=1] [--backend=wasm|native|cpu] [--only=train|infer] [--crnn=JSON] [--batch=B]
import * as hb from '../src/index.js';
import { kernelProfiler } from './kernel-profiler.js';

const steps = Number(process.argv[2] ?? 6);
const threads = Number(process.argv[3] ?? 1);
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
await hb.ready();
await hb.setBackend(arg('backend') ?? 'wasm');
hb.setThreads(threads);
hb.setSeed(1);
const profile = kernelProfiler();

const { images, labels } = await hb.datasets.digitStrips({ n: 64, split: 'train', seed: 3 });
const padded = new Int32Array(64 * 19).fill(-1);
labels.forEach((l, i) => l.forEach((d, j) => (padded[i * 19 + j] = d)));
const B = Number(arg('batch') ?? 32);
const x = hb.slice(images, [0, 0, 0, 0], [B, 32, 448, 1]);
const y = hb.tensor(padded.subarray(0, B * 19), [B, 19], 'int32');
const model = hb.zoo.crnn(JSON.parse(arg('crnn') ?? '{}') as hb.zoo.CrnnOptions);
model.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3, clipNorm: 5 }), loss: (t: hb.Tensor, p: hb.Tensor) => hb.losses.ctc(t, p, { blank: 10 }) });

const only = arg('only');
if (!only || only === 'train') profile(`crnn trainOnBatch (${hb.getBackend()}, batch ${B})`, () => void model.trainOnBatch(x, y), steps, B);
if (!only || only === 'infer') profile(`crnn read (${hb.getBackend()}, batch 64)`, () => hb.tidy(() => void (hb.noGrad(() => model.apply(images, { training: false })) as hb.Tensor).dataSync()), steps, 64);
process.exit(0);
