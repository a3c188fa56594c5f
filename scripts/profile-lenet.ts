// Where a LeNet-5 training step spends its time on the wasm backend: every kernel call is timed
// (the backend's run() wrapped, so the figure is the kernel plus its TypeScript dispatch) and
// grouped by kernel, attributes and shapes; the rest of the step's wall time is JavaScript above
// the backend (autograd, op validation, tensor bookkeeping). Two versions of the step:
//   model  hb.zoo.lenet5(), compile adam + categorical cross-entropy, trainOnBatch
//   core   hb.variableGrads of the same network written with core ops, Adam by hand
// Batch 64 of random data. Each version is warmed up, then `steps` steps are timed and the
// per-step means printed (the machine is shared and noisy: use several steps).
//   npx tsx scripts/profile-lenet.ts [steps] [threads] [--only=model|core|infer] [--backend=wasm|native|cpu]
import { getBackendInstance, type KernelName, type TensorInfo } from '../src/backend/index.js';
import * as hb from '../src/index.js';

const steps = Number(process.argv[2] ?? 20);
const threads = Number(process.argv[3] ?? 1);
const BATCH = 64;

await hb.ready();
hb.setBackend(process.argv.find((a) => a.startsWith('--backend='))?.slice(10) ?? 'wasm');
hb.setThreads(threads);
await new Promise((r) => setTimeout(r, 200));
hb.setSeed(1);

interface Entry { calls: number; ms: number; times: number[] }
const table = new Map<string, Entry>();
let recording = false;

const backend = getBackendInstance();
const run = backend.run.bind(backend);
backend.run = <K extends KernelName>(kernel: K, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], attrs: Parameters<typeof run<K>>[3]): void => {
  if (!recording) {
    run(kernel, inputs, outputs, attrs);
    return;
  }
  const t0 = performance.now();
  run(kernel, inputs, outputs, attrs);
  const ms = performance.now() - t0;
  const key = `${kernel.padEnd(18)} ${describe(attrs)} ${inputs.map((t) => `${t.dtype === 'float32' ? '' : `${t.dtype}:`}[${t.shape.join(',')}]`).join(' ')} → [${outputs[0]?.shape.join(',') ?? ''}]`;
  const e = table.get(key) ?? { calls: 0, ms: 0, times: [] };
  e.calls++;
  e.ms += ms;
  e.times.push(ms);
  table.set(key, e);
};

/** The attributes that tell calls of one kernel apart. */
function describe(attrs: unknown): string {
  const a = attrs as Record<string, unknown>;
  if ('op' in a && typeof a.op === 'string') return a.op;
  if ('pads' in a && 'groups' in a) return `pads=${JSON.stringify(a.pads)}`;
  if ('transposeA' in a) return `${a.transposeA ? 'T' : 'N'}${a.transposeB ? 'T' : 'N'}`;
  if ('perm' in a) return `perm=${JSON.stringify(a.perm)}`;
  if ('axis' in a) return `axis=${String(a.axis)}`;
  return '';
}

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

function profile(name: string, step: () => void): void {
  for (let i = 0; i < 3; i++) step();
  table.clear();
  recording = true;
  const t0 = performance.now();
  const stepTimes: number[] = [];
  for (let i = 0; i < steps; i++) {
    const s0 = performance.now();
    step();
    stepTimes.push(performance.now() - s0);
  }
  stepTimes.sort((p, q) => p - q);
  const mean = (performance.now() - t0) / steps;
  const wall = stepTimes[Math.floor(steps / 2)];
  recording = false;
  // The machine is shared: each call's median time (× calls per step) resists the outliers.
  for (const e of table.values()) {
    const sorted = [...e.times].sort((p, q) => p - q);
    e.ms = sorted[Math.floor(sorted.length / 2)] * e.calls;
  }
  const rows = [...table.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = rows.reduce((acc, [, e]) => acc + e.ms, 0) / steps;
  const calls = rows.reduce((acc, [, e]) => acc + e.calls, 0) / steps;
  console.log(`\n== ${name}: median ${wall.toFixed(2)} ms/step (${(BATCH / wall * 1000).toFixed(0)} samples/s; mean ${mean.toFixed(2)} ms), threads ${hb.getThreads()}`);
  console.log(`   kernels ${kernelMs.toFixed(2)} ms (sum of per-call medians) in ${calls} calls; the rest of the median step (JS above the backend) ${(wall - kernelMs).toFixed(2)} ms`);
  console.log(`${'ms/step'.padStart(8)} ${'%'.padStart(5)} ${'calls'.padStart(5)}  kernel, attributes, inputs → output`);
  for (const [key, e] of rows) {
    const ms = e.ms / steps;
    if (ms < 0.01) continue;
    console.log(`${ms.toFixed(3).padStart(8)} ${(100 * ms / wall).toFixed(1).padStart(5)} ${String(e.calls / steps).padStart(5)}  ${key}`);
  }
  // By kernel name.
  const byKernel = new Map<string, Entry>();
  for (const [key, e] of rows) {
    const k = key.split(' ')[0];
    const s = byKernel.get(k) ?? { calls: 0, ms: 0, times: [] };
    s.calls += e.calls;
    s.ms += e.ms;
    byKernel.set(k, s);
  }
  console.log('   by kernel: ' + [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([k, e]) => `${k} ${(e.ms / steps).toFixed(2)} ms/${e.calls / steps}`).join(', '));
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (!only || only === 'model') profile('model.trainOnBatch (lenet5, adam, batch 64)', modelStep);
if (!only || only === 'core') profile('variableGrads + Adam by hand (batch 64)', coreStep);
if (!only || only === 'infer') profile('inference (model, batch 64)', inferStep);
process.exit(0);
