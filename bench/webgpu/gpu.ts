// hebb's WebGPU backend against TensorFlow.js's WebGPU backend on the same Dawn instance (one
// device each): matmul GFLOP/s, and MLP / LeNet-5 training samples per second. Both sides run
// the same manual training step (forward, softmax cross-entropy, gradients of the weights,
// plain SGD), a fixed number of steps after warm-up, timed to an awaited readback of the loss.
//
//   npx tsx bench/webgpu/gpu.ts --quick                     # small sizes (software Vulkan here)
//   npx tsx bench/webgpu/gpu.ts --out /tmp/gpu.json         # 1024/2048/4096, batches 64/256/1024
//   options: --sizes 1024,2048 --batches 64,256 --steps 20 --warmup 3 --reps 10 --engines hebb,tfjs
//            --cases matmul,mlp,lenet --out PATH (JSON; the markdown table goes to stdout)
//
// Bundle for a machine without the repository (only `webgpu` stays external):
//   npx esbuild bench/webgpu/gpu.ts --bundle --platform=node --format=esm --external:webgpu --outfile=/tmp/gpu.mjs
// Without a GPU, point Vulkan at a software driver: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
/// <reference types="@webgpu/types" />
import * as fs from 'node:fs';
import type { Tensor as TfTensor, Variable as TfVariable } from '@tensorflow/tfjs-core';
import * as hb from '../../src/index.js';

interface Options {
  quick: boolean;
  sizes: number[];
  batches: number[];
  steps: number;
  warmup: number;
  reps: number;
  engines: string[];
  cases: string[];
  out: string | null;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name: string, fallback: number[]): number[] => get(name)?.split(',').map(Number) ?? fallback;
  const known = new Set(['--quick', '--sizes', '--batches', '--steps', '--warmup', '--reps', '--engines', '--cases', '--out']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a}; known: ${[...known].join(' ')}`);
  return {
    quick,
    sizes: list('sizes', quick ? [64, 128] : [1024, 2048, 4096]),
    batches: list('batches', quick ? [8, 32] : [64, 256, 1024]),
    steps: Number(get('steps') ?? (quick ? 2 : 20)),
    warmup: Number(get('warmup') ?? (quick ? 1 : 3)),
    reps: Number(get('reps') ?? (quick ? 2 : 10)),
    engines: get('engines')?.split(',') ?? ['hebb', 'tfjs'],
    cases: get('cases')?.split(',') ?? ['matmul', 'mlp', 'lenet'],
    out: get('out') ?? null,
  };
}

interface Row {
  case: string;
  engine: string;
  value: number;
  unit: string;
  ms: number;
}

/** A seeded stream of normal-ish floats (both engines get the same data). */
function randomData(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      acc += s / 4294967296;
    }
    out[i] = (acc - 2) * 1.7 * scale;
  }
  return out;
}

function oneHotData(batch: number, classes: number, seed: number): Float32Array {
  const y = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) y[i * classes + ((i * 7 + seed) % classes)] = 1;
  return y;
}

/** Layer shapes [in, out] of the MLP, and LeNet-5's weights. */
const MLP = [[784, 512], [512, 256], [256, 10]];
const LENET: { name: string; shape: number[] }[] = [
  { name: 'c1', shape: [5, 5, 1, 6] }, { name: 'b1', shape: [6] }, { name: 'c2', shape: [5, 5, 6, 16] }, { name: 'b2', shape: [16] },
  { name: 'f1', shape: [400, 120] }, { name: 'fb1', shape: [120] }, { name: 'f2', shape: [120, 84] }, { name: 'fb2', shape: [84] },
  { name: 'f3', shape: [84, 10] }, { name: 'fb3', shape: [10] },
];
const mlpShapes = (): number[][] => MLP.flatMap(([i, o]) => [[i, o], [o]]);
const initial = (shapes: number[][]): Float32Array[] =>
  shapes.map((s, k) => (s.length === 1 ? new Float32Array(s[0]) : randomData(s.reduce((a, b) => a * b, 1), 11 + k, Math.sqrt(2 / s.slice(0, -1).reduce((a, b) => a * b, 1)) / 1.7)));
const LR = 0.01;

/** One engine's implementation of the cases. */
interface Engine {
  name: string;
  matmul(n: number, reps: number): Promise<number>;
  train(model: 'mlp' | 'lenet', batch: number, steps: number, warmup: number): Promise<number>;
}

async function hebbEngine(): Promise<Engine> {
  hb.setBackend('webgpu');
  await hb.ready();
  const t = (d: Float32Array, shape: number[]): hb.Tensor => hb.tensor(d, shape);
  const dense = (x: hb.Tensor, w: hb.Tensor, b: hb.Tensor, relu: boolean): hb.Tensor => {
    const y = hb.add(hb.matmul(x, w), b);
    return relu ? hb.relu(y) : y;
  };
  const logits = (model: 'mlp' | 'lenet', x: hb.Tensor, p: hb.Tensor[]): hb.Tensor => {
    if (model === 'mlp') return dense(dense(dense(x, p[0], p[1], true), p[2], p[3], true), p[4], p[5], false);
    let h = hb.maxPool2d(hb.relu(hb.add(hb.conv2d(x, p[0], { padding: 'same' }), p[1])), { poolSize: 2 });
    h = hb.maxPool2d(hb.relu(hb.add(hb.conv2d(h, p[2]), p[3])), { poolSize: 2 });
    h = hb.reshape(h, [x.shape[0], 400]);
    return dense(dense(dense(h, p[4], p[5], true), p[6], p[7], true), p[8], p[9], false);
  };
  return {
    name: 'hebb-webgpu',
    async matmul(n, reps) {
      const a = t(randomData(n * n, 1), [n, n]);
      const b = t(randomData(n * n, 2), [n, n]);
      await hb.matmul(a, b).data(); // compile + upload
      const start = performance.now();
      let c: hb.Tensor | null = null;
      for (let r = 0; r < reps; r++) {
        c?.dispose();
        c = hb.matmul(a, b);
      }
      await c!.data();
      return performance.now() - start;
    },
    async train(model, batch, steps, warmup) {
      const shapes = model === 'mlp' ? mlpShapes() : LENET.map((l) => l.shape);
      let params = initial(shapes).map((d, i) => t(d, shapes[i]));
      const x = model === 'mlp' ? t(randomData(batch * 784, 3), [batch, 784]) : t(randomData(batch * 784, 3), [batch, 28, 28, 1]);
      const y = t(oneHotData(batch, 10, 5), [batch, 10]);
      const lossOf = (...p: hb.Tensor[]): hb.Tensor => hb.neg(hb.mean(hb.sum(hb.mul(y, hb.logSoftmax(logits(model, x, p))), -1)));
      const step = hb.valueAndGrad(lossOf, params.map((_, i) => i));
      let start = 0;
      let loss: hb.Tensor | null = null;
      for (let s = 0; s < warmup + steps; s++) {
        if (s === warmup) {
          if (loss) await loss.data();
          start = performance.now();
        }
        const out = hb.tidy(() => {
          const [l, grads] = step(...params);
          return [l, ...params.map((p, i) => hb.sub(p, hb.mul(grads[i], LR)))];
        });
        for (const p of params) p.dispose();
        loss?.dispose();
        loss = out[0];
        params = out.slice(1);
      }
      const value = (await loss!.data())[0];
      if (!Number.isFinite(value)) throw new Error(`hebb ${model}: loss is ${value}`);
      return performance.now() - start;
    },
  };
}

async function tfjsEngine(): Promise<Engine> {
  // TF.js is CommonJS and requires Node built-ins ('util'); bundled into an ES module, its
  // require calls go through esbuild's shim, which uses a global `require` when there is one.
  const { createRequire } = await import('node:module');
  (globalThis as { require?: unknown }).require ??= createRequire(import.meta.url);
  const tf = await import('@tensorflow/tfjs-core');
  await registerTfjsGradients();
  await import('@tensorflow/tfjs-backend-webgpu');
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js: the webgpu backend did not initialise');
  await tf.ready();
  type T = TfTensor;
  type V = TfVariable;
  const dense = (x: T, w: T, b: T, relu: boolean): T => {
    const y = tf.add(tf.matMul(x, w), b);
    return relu ? tf.relu(y) : y;
  };
  const logits = (model: 'mlp' | 'lenet', x: T, p: T[]): T => {
    if (model === 'mlp') return dense(dense(dense(x, p[0], p[1], true), p[2], p[3], true), p[4], p[5], false);
    let h: T = tf.maxPool(tf.relu(tf.add(tf.conv2d(x as never, p[0] as never, 1, 'same'), p[1])) as never, 2, 2, 'valid');
    h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h as never, p[2] as never, 1, 'valid'), p[3])) as never, 2, 2, 'valid');
    h = tf.reshape(h, [x.shape[0], 400]);
    return dense(dense(dense(h, p[4], p[5], true), p[6], p[7], true), p[8], p[9], false);
  };
  return {
    name: 'tfjs-webgpu',
    async matmul(n, reps) {
      const a = tf.tensor(randomData(n * n, 1), [n, n]);
      const b = tf.tensor(randomData(n * n, 2), [n, n]);
      await tf.matMul(a, b).data();
      const start = performance.now();
      let c: T | null = null;
      for (let r = 0; r < reps; r++) {
        c?.dispose();
        c = tf.matMul(a, b);
      }
      await c!.data();
      const ms = performance.now() - start;
      tf.dispose([a, b, c!]);
      return ms;
    },
    async train(model, batch, steps, warmup) {
      const shapes = model === 'mlp' ? mlpShapes() : LENET.map((l) => l.shape);
      const params: V[] = initial(shapes).map((d, i) => tf.variable(tf.tensor(d, shapes[i])));
      const x = model === 'mlp' ? tf.tensor(randomData(batch * 784, 3), [batch, 784]) : tf.tensor(randomData(batch * 784, 3), [batch, 28, 28, 1]);
      const y = tf.tensor(oneHotData(batch, 10, 5), [batch, 10]);
      let start = 0;
      let loss: T | null = null;
      for (let s = 0; s < warmup + steps; s++) {
        if (s === warmup) {
          if (loss) await loss.data();
          start = performance.now();
        }
        loss?.dispose();
        loss = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits(model, x, params))), -1))) as never, params);
          params.forEach((p) => p.assign(tf.sub(p, tf.mul(grads[p.name], LR))));
          return value;
        });
      }
      const value = (await loss!.data())[0];
      if (!Number.isFinite(value)) throw new Error(`TF.js ${model}: loss is ${value}`);
      tf.dispose([...params, x, y, loss!]);
      return performance.now() - start;
    },
  };
}

/**
 * TF.js's gradient functions, which tfjs-core leaves to its umbrella package: only its ES-module
 * build has them, with extensionless imports. A bundler (esbuild) resolves those and inlines
 * them; run from source, Node cannot, and tsx's require (the dev dependency this runs under)
 * transpiles them instead. The registries live on globalThis, so either copy registers with the
 * engine our tensors use.
 */
async function registerTfjsGradients(): Promise<void> {
  try {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  } catch {
    const { createRequire } = await import('node:module');
    const tsx = 'tsx/cjs/api';
    const api = createRequire(import.meta.url)(tsx) as { require(id: string, from: string): unknown };
    api.require('@tensorflow/tfjs-core/dist/register_all_gradients.js', import.meta.url);
  }
}

/** Dawn for Node, shared by both engines (each takes its own device from it). */
async function provideGpu(): Promise<string> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return 'navigator.gpu';
  const name = 'webgpu';
  const { create, globals } = (await import(/* @vite-ignore */ name)) as { create(o: string[]): GPU; globals: object };
  for (const [k, v] of Object.entries(globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  // Kept on globalThis for the life of the process (a collected Dawn instance crashes).
  Object.defineProperty(globalThis, 'navigator', { value: { ...(nav ?? {}), gpu: create([]) }, configurable: true, writable: true });
  const adapter = await (globalThis as unknown as { navigator: { gpu: GPU } }).navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter (set VK_ICD_FILENAMES to a Vulkan driver, e.g. /usr/lib/chromium/vk_swiftshader_icd.json)');
  const i = (adapter as GPUAdapter & { info: GPUAdapterInfo }).info;
  return [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(' / ');
}

export async function main(argv: string[]): Promise<void> {
  const o = parseArgs(argv);
  const adapter = await provideGpu();
  console.error(`adapter: ${adapter}`);
  const engines: Engine[] = [];
  if (o.engines.includes('hebb')) engines.push(await hebbEngine());
  if (o.engines.includes('tfjs')) {
    try {
      engines.push(await tfjsEngine());
    } catch (e) {
      console.error(`TF.js webgpu unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const rows: Row[] = [];
  const record = (c: string, engine: string, value: number, unit: string, ms: number): void => {
    rows.push({ case: c, engine, value, unit, ms });
    console.error(`${c.padEnd(18)} ${engine.padEnd(12)} ${value.toPrecision(4).padStart(10)} ${unit} (${ms.toFixed(0)} ms)`);
  };
  for (const e of engines) {
    if (o.cases.includes('matmul')) {
      for (const n of o.sizes) {
        const reps = Math.max(1, Math.round(o.reps * Math.min(1, (1024 / n) ** 2) * (n <= 1024 ? 3 : 1)));
        const ms = await e.matmul(n, reps);
        record(`matmul ${n}`, e.name, (2 * n ** 3 * reps) / (ms / 1000) / 1e9, 'GFLOP/s', ms);
      }
    }
    for (const model of ['mlp', 'lenet'] as const) {
      if (!o.cases.includes(model)) continue;
      for (const batch of o.batches) {
        const ms = await e.train(model, batch, o.steps, o.warmup);
        record(`${model} train b${batch}`, e.name, (batch * o.steps) / (ms / 1000), 'samples/s', ms);
      }
    }
  }
  const cases = [...new Set(rows.map((r) => r.case))];
  const names = engines.map((e) => e.name);
  const lines = [
    `adapter: ${adapter}`, '',
    `| case | unit | ${names.join(' | ')} |${names.length === 2 ? ' hebb / TF.js |' : ''}`,
    `|---|---|${names.map(() => '---:').join('|')}|${names.length === 2 ? '---:|' : ''}`,
  ];
  for (const c of cases) {
    const vals = names.map((n) => rows.find((r) => r.case === c && r.engine === n));
    const ratio = names.length === 2 && vals[0] && vals[1] ? ` ${(vals[0].value / vals[1].value).toFixed(2)} |` : names.length === 2 ? ' |' : '';
    lines.push(`| ${c} | ${vals.find((v) => v)?.unit ?? ''} | ${vals.map((v) => (v ? v.value.toPrecision(4) : '—')).join(' | ')} |${ratio}`);
  }
  console.log(lines.join('\n'));
  if (o.out) {
    fs.writeFileSync(o.out, JSON.stringify({ adapter, options: o, rows, date: new Date().toISOString() }, null, 2));
    console.error(`wrote ${o.out}`);
  }
}

await main(process.argv.slice(2));
