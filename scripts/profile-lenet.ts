// Where a LeNet-5 training step spends its time on the wasm backend: every kernel call is timed
// (the backend's run() wrapped, so the figure is the kernel plus its TypeScript dispatch) and
// grouped by kernel, attributes and shapes; the rest of the step's wall time is JavaScript above
// the backend (autograd, op validation, tensor bookkeeping). Two versions of the step:
//   model  hb.zoo.lenet5(), compile adam + categorical cross-entropy, trainOnBatch
//   core   hb.variableGrads of the same network written with core ops, Adam by hand
// Batch 64 of random data. Each version is warmed up, then `steps` steps are timed and the
// per-step means printed (the machine is shared and noisy: use several steps).
//   npx tsx scripts/profile-lenet.ts [steps] [threads] [--only=model|core|infer] [--backend=wasm|native|cpu]
import * as hb from '../src/index.js';
import { kernelProfiler } from './kernel-profiler.js';

const steps = Number(process.argv[2] ?? 20);
const threads = Number(process.argv[3] ?? 1);
const BATCH = 64;

await hb.ready();
hb.setBackend(process.argv.find((a) => a.startsWith('--backend='))?.slice(10) ?? 'wasm');
hb.setThreads(threads);
await new Promise((r) => setTimeout(r, 200));
hb.setSeed(1);

const timeSteps = kernelProfiler();

const x = hb.randomUniform([BATCH, 28, 28, 1]);
const labels = hb.oneHot(hb.randomInt([BATCH], 0, 10), 10);

// ---- the model API ----
const model = hb.zoo.lenet5();
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
const modelStep = (): void => {
  model.trainOnBatch(x, labels);
};

// ---- core ops and variableGrads, Adam written out ----
const shapes = [[5, 5, 1, 6], [6], [5, 5, 6, 16], [16], [400, 120], [120], [120, 84], [84], [84, 10], [10]];
let params = shapes.map((s) => hb.mul(hb.randomNormal(s), 0.1));
let moments = params.map((p) => [hb.zerosLike(p), hb.zerosLike(p)]);
let t = 0;
function lenet(input: hb.Tensor, [c1, c1b, c2, c2b, d1, d1b, d2, d2b, d3, d3b]: hb.Tensor[]): hb.Tensor {
  let h = hb.maxPool2d(hb.relu(hb.add(hb.conv2d(input, c1, { padding: 'same' }), c1b)), { poolSize: 2 });
  h = hb.maxPool2d(hb.relu(hb.add(hb.conv2d(h, c2, { padding: 'valid' }), c2b)), { poolSize: 2 });
  h = hb.reshape(h, [BATCH, 400]);
  h = hb.relu(hb.add(hb.matmul(h, d1), d1b));
  h = hb.relu(hb.add(hb.matmul(h, d2), d2b));
  return hb.add(hb.matmul(h, d3), d3b);
}
const coreStep = (): void => {
  t++;
  const next = hb.tidy(() => {
    const { grads } = hb.variableGrads(() => {
      const logits = lenet(x, params);
      return hb.neg(hb.mean(hb.sum(hb.mul(labels, hb.logSoftmax(logits)), -1)));
    }, params);
    const lr = 1e-3 * Math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t);
    return params.map((p, i) => {
      const g = grads[i];
      const m = hb.add(hb.mul(moments[i][0], 0.9), hb.mul(g, 0.1));
      const v = hb.add(hb.mul(moments[i][1], 0.999), hb.mul(hb.square(g), 0.001));
      return [hb.sub(p, hb.mul(hb.div(m, hb.add(hb.sqrt(v), 1e-7)), lr)), m, v];
    });
  });
  hb.dispose(params, moments.flat());
  params = next.map((e) => e[0]);
  moments = next.map((e) => [e[1], e[2]]);
};

const inferStep = (): void => {
  hb.dispose(model.predict(x, { batchSize: BATCH }) as hb.Tensor);
};

const profile = (name: string, step: () => void): void => timeSteps(name, step, steps, BATCH);

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (!only || only === 'model') profile('model.trainOnBatch (lenet5, adam, batch 64)', modelStep);
if (!only || only === 'core') profile('variableGrads + Adam by hand (batch 64)', coreStep);
if (!only || only === 'infer') profile('inference (model, batch 64)', inferStep);
process.exit(0);
