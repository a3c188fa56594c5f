// hebb's native backend against PyTorch CPU (Debian's python3-torch, as a child process doing
// the same work), onnxruntime-node (inference on the same models, exported through hebb's ONNX
// exporter) and oneDNN's own sgemm called from C, interleaved in one run; hebb wasm rides
// along for reference. Part of `npm run bench` (after the TF.js table) and runnable alone:
//   tsx bench/native/compare.ts [--quick] [--rounds N] [--cases mlp-train,lenet-train,...] [--engines hebb-native,ort,...] [--cpu]
// Each round gives every engine one sample of every case, starting engines in rotating order,
// so the machine's slow and fast phases hit all alike; the table shows medians and ratios.
// --cpu rates each sample by the CPU time its process spent instead of wall time: on a loaded
// machine that is what stays put at one thread (at two it shows efficiency, not speed-up).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type * as OrtModule from 'onnxruntime-node';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import * as hb from '../../src/index.js';
import { normalArray, oneHotArray, uniformArray } from '../data.js';

const here = fileURLToPath(new URL('.', import.meta.url));

interface Case {
  id: string;
  title: string;
  /** Samples (training or inference) or FLOPs per step. */
  work: number;
  unit: 'samples/s' | 'GFLOP/s';
  batch: number;
}

const CASES: Case[] = [
  { id: 'mlp-train', title: 'MLP 784-500-500-10 train, SGD, batch 100', work: 100, unit: 'samples/s', batch: 100 },
  { id: 'lenet-train', title: 'LeNet-5 train, Adam, batch 64', work: 64, unit: 'samples/s', batch: 64 },
  { id: 'lstm-train', title: 'LSTM-128 over 28 rows train, Adam, batch 64', work: 64, unit: 'samples/s', batch: 64 },
  { id: 'mlp-infer', title: 'MLP 784-500-500-10 inference, batch 100', work: 100, unit: 'samples/s', batch: 100 },
  { id: 'lenet-infer', title: 'LeNet-5 inference, batch 64', work: 64, unit: 'samples/s', batch: 64 },
  { id: 'gemm-512', title: 'GEMM 512x512x512', work: 2 * 512 ** 3, unit: 'GFLOP/s', batch: 0 },
  { id: 'gemm-1024', title: 'GEMM 1024x1024x1024', work: 2 * 1024 ** 3, unit: 'GFLOP/s', batch: 0 },
];

/** Wall and CPU seconds per step. */
interface Timing {
  wall: number;
  cpu: number;
}

/** One engine's way of doing `steps` steps of a case. */
type Runner = (c: Case, steps: number) => Promise<Timing>;

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Time `steps` calls of a step in this process. */
async function timeSteps(steps: number, step: () => unknown): Promise<Timing> {
  const start = performance.now();
  const cpu = cpuSeconds();
  for (let i = 0; i < steps; i++) {
    const r = step();
    if (r instanceof Promise) await r;
  }
  return { wall: (performance.now() - start) / 1000 / steps, cpu: (cpuSeconds() - cpu) / steps };
}

interface Engine {
  id: string;
  cases: (c: Case) => boolean;
  run: Runner;
  close?: () => void;
}

// ---- hebb (Keras-style model API, as a user trains) ----

function hebbModel(net: string): hb.Sequential {
  const L = hb.layers;
  if (net === 'mlp') {
    return hb.sequential([L.dense({ units: 500, inputShape: [784], activation: 'relu' }), L.dense({ units: 500, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' })]);
  }
  if (net === 'lstm') return hb.sequential([L.lstm({ units: 128, inputShape: [28, 28] }), L.dense({ units: 10, activation: 'softmax' })]);
  return hb.sequential([
    L.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }), L.flatten({}),
    L.dense({ units: 120, activation: 'relu' }), L.dense({ units: 84, activation: 'relu' }), L.dense({ units: 10, activation: 'softmax' }),
  ]);
}

/** A case's model (compiled), inputs and one-hot targets, built on the current backend. */
function hebbCase(c: Case): { model: hb.Sequential; x: hb.Tensor; y: hb.Tensor } {
  const net = c.id.split('-')[0];
  const model = hebbModel(net);
  model.compile({ optimizer: net === 'mlp' ? hb.optimizers.sgd({ learningRate: 0.1 }) : hb.optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy' });
  const shape = net === 'mlp' ? [c.batch, 784] : net === 'lstm' ? [c.batch, 28, 28] : [c.batch, 28, 28, 1];
  const size = shape.reduce((p, d) => p * d, 1);
  const x = hb.tensor(net === 'mlp' ? normalArray(size, 51) : uniformArray(size, 51), shape);
  const y = hb.tensor(oneHotArray(c.batch, 10, 52), [c.batch, 10]);
  return { model, x, y };
}

function hebbEngine(backend: string, threads: number): Engine {
  const built = new Map<string, () => void>();
  const prepare = (c: Case): (() => void) => {
    const [net, kind] = c.id.split('-');
    if (net === 'gemm') {
      const n = Number(kind);
      const a = hb.tensor(normalArray(n * n, 1), [n, n]);
      const b = hb.tensor(normalArray(n * n, 2), [n, n]);
      return () => hb.tidy(() => { hb.matmul(a, b); });
    }
    const { model, x, y } = hebbCase(c);
    if (kind === 'infer') return () => hb.tidy(() => { (model.apply(x) as hb.Tensor).dataSync(); });
    return () => { model.trainOnBatch(x, y); };
  };
  return {
    id: `hebb-${backend}-${threads}t`,
    cases: () => true,
    run: async (c, steps) => {
      hb.setBackend(backend);
      hb.setThreads(threads);
      let step = built.get(c.id);
      if (!step) {
        step = prepare(c);
        step(); // first call: primitive creation, allocation
        built.set(c.id, step);
      }
      return timeSteps(steps, step);
    },
  };
}

// ---- PyTorch, as a child process ----

function torchPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

class TorchWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor(python: string) {
    this.child = spawn(python, [join(here, 'torch_worker.py')], { stdio: 'pipe' });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
  }

  ask(cmd: object): Promise<Record<string, number | string>> {
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line) as Record<string, number | string>));
      this.child.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

function torchEngine(worker: TorchWorker, threads: number): Engine {
  const warmed = new Set<string>();
  return {
    id: `torch-${threads}t`,
    cases: () => true,
    run: async (c, steps) => {
      if (!warmed.has(c.id)) {
        await worker.ask({ op: 'run', case: c.id, batch: c.batch, threads, steps: 1 });
        warmed.add(c.id);
      }
      const r = await worker.ask({ op: 'run', case: c.id, batch: c.batch, threads, steps });
      return { wall: Number(r.seconds) / steps, cpu: Number(r.cpu) / steps };
    },
  };
}

// ---- onnxruntime-node, on hebb's own models exported to ONNX ----

type Ort = typeof OrtModule;

async function loadOrt(): Promise<Ort | null> {
  try {
    return await import('onnxruntime-node');
  } catch {
    return null;
  }
}

/**
 * onnxruntime-node's CPU provider running the inference cases: the model hebb builds for the
 * case (same layers, same batch, same inputs) exported by hb.io.exportOnnxBytes, with all graph
 * optimisations on, sequential execution and `threads` intra-op threads.
 */
function ortEngine(ort: Ort, threads: number): Engine {
  const sessions = new Map<string, { session: InferenceSession; feeds: Record<string, OrtTensor> }>();
  return {
    id: `ort-${threads}t`,
    cases: (c) => c.id.endsWith('-infer'),
    run: async (c, steps) => {
      let s = sessions.get(c.id);
      if (!s) {
        const { model, x } = hebbCase(c);
        const bytes = hb.io.exportOnnxBytes(model);
        const session = await ort.InferenceSession.create(bytes, {
          executionProviders: ['cpu'], graphOptimizationLevel: 'all', executionMode: 'sequential', intraOpNumThreads: threads, interOpNumThreads: 1,
        });
        const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', Float32Array.from(x.dataSync() as Float32Array), x.shape) };
        s = { session, feeds };
        sessions.set(c.id, s);
        await session.run(feeds); // first run: kernel selection, allocation
      }
      const { session, feeds } = s;
      return timeSteps(steps, () => session.run(feeds));
    },
    close: () => {
      for (const s of sessions.values()) void s.session.release();
    },
  };
}

// ---- oneDNN's sgemm from C ----

function sgemmBinary(): string | null {
  const out = join(mkdtempSync(join(tmpdir(), 'hebb-sgemm-')), 'sgemm');
  const r = spawnSync(process.env.CXX ?? 'g++', ['-O2', '-fopenmp', join(here, 'sgemm.cc'), '-ldnnl', '-o', out], { encoding: 'utf8' });
  return r.status === 0 && existsSync(out) ? out : null;
}

function sgemmEngine(binary: string, threads: number): Engine {
  return {
    id: `onednn-sgemm-C-${threads}t`,
    cases: (c) => c.id.startsWith('gemm-'),
    run: async (c) => {
      const n = Number(c.id.split('-')[1]);
      const secs = (mode: string): number => {
        const r = spawnSync(binary, [String(n), String(threads), '3', mode], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`sgemm failed: ${r.stderr}`);
        return c.work / (Number(r.stdout.trim()) * 1e9);
      };
      return { wall: secs('wall'), cpu: secs('cpu') };
    },
  };
}

// ---- the run ----

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export interface CompareOptions {
  rounds?: number;
  cases?: string[];
  /** Only the engines whose id starts with one of these (e.g. hebb-native, ort); all by default. */
  engines?: string[];
  /** Seconds each sample lasts at least. */
  sampleSeconds?: number;
  /** Rate samples by CPU time rather than wall time. */
  cpu?: boolean;
  log?: (line: string) => void;
}

export interface CompareResult {
  engines: string[];
  rows: { caseId: string; title: string; unit: string; rates: Record<string, number | null> }[];
  notes: string[];
}

export async function compareNative(o: CompareOptions = {}): Promise<CompareResult | null> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const notes: string[] = [];
  const status = hb.backends().find((b) => b.name === 'native');
  if (!status?.available) {
    log(`native comparison skipped: ${status?.reason ?? 'no native backend'}`);
    return null;
  }
  const engines: Engine[] = [hebbEngine('native', 1), hebbEngine('native', 2), hebbEngine('wasm', 2)];
  const python = torchPython();
  let worker: TorchWorker | null = null;
  if (python) {
    worker = new TorchWorker(python);
    const info = await worker.ask({ op: 'info' });
    notes.push(`PyTorch ${String(info.torch)} (${python}), CPU, same work in a child process`);
    engines.push(torchEngine(worker, 1), torchEngine(worker, 2));
  } else {
    notes.push('PyTorch rows left out: no python3 with torch (apt-get install python3-torch)');
  }
  const ort = await loadOrt();
  if (ort) {
    notes.push('onnxruntime-node: the same hebb models exported by hb.io.exportOnnxBytes, CPU provider, all graph optimisations, sequential');
    engines.push(ortEngine(ort, 1), ortEngine(ort, 2));
  } else {
    notes.push('onnxruntime-node rows left out: not installed (ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node)');
  }
  const sgemm = sgemmBinary();
  if (sgemm) engines.push(sgemmEngine(sgemm, 1), sgemmEngine(sgemm, 2));
  else notes.push('oneDNN sgemm rows left out: could not compile bench/native/sgemm.cc');

  const cases = CASES.filter((c) => !o.cases || o.cases.some((id) => c.id === id || c.id.startsWith(`${id}-`)));
  const rounds = o.rounds ?? 7;
  const sampleSeconds = o.sampleSeconds ?? 0.25;
  const samples = new Map<string, number[]>();
  const steps = new Map<string, number>();
  try {
    for (const c of cases) {
      log(`native comparison: ${c.title}`);
      const mine = engines.filter((e) => e.cases(c) && (!o.engines || o.engines.some((id) => e.id.startsWith(id))));
      // Calibrate: steps per sample so that a sample lasts about sampleSeconds. The first calls
      // are not typical (a native inference packs its weights on the second call, say), so the
      // step time is taken from a run of at least a fifth of a sample after a warm-up step.
      for (const e of mine) {
        await e.run(c, 1);
        let n = 1;
        let wall = (await e.run(c, n)).wall;
        while (wall * n < sampleSeconds / 5 && n < 1e6) {
          n *= 4;
          wall = (await e.run(c, n)).wall;
        }
        steps.set(`${e.id} ${c.id}`, Math.max(1, Math.round(sampleSeconds / Math.max(wall, 1e-6))));
        if (process.env.HEBB_BENCH_DEBUG) log(`  ${e.id}: ${steps.get(`${e.id} ${c.id}`)} steps per sample`);
      }
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < mine.length; k++) {
          const e = mine[(r + k) % mine.length];
          const key = `${e.id} ${c.id}`;
          const t = await e.run(c, steps.get(key)!);
          samples.set(key, [...(samples.get(key) ?? []), o.cpu ? t.cpu : t.wall]);
        }
      }
    }
  } finally {
    worker?.close();
    for (const e of engines) e.close?.();
  }
  const rows = cases.map((c) => {
    const rates: Record<string, number | null> = {};
    for (const e of engines) {
      const s = samples.get(`${e.id} ${c.id}`);
      rates[e.id] = s ? (c.unit === 'GFLOP/s' ? c.work / median(s) / 1e9 : c.work / median(s)) : null;
    }
    return { caseId: c.id, title: c.title, unit: c.unit, rates };
  });
  if (o.cpu) notes.push('rates by CPU time of each process (not wall time): at 2 threads they show efficiency, not speed-up');
  return { engines: engines.map((e) => e.id), rows, notes };
}

function best(rates: Record<string, number | null>, prefix: string): { id: string; rate: number } | null {
  let top: { id: string; rate: number } | null = null;
  for (const [id, r] of Object.entries(rates)) if (id.startsWith(prefix) && r !== null && (top === null || r > top.rate)) top = { id, rate: r };
  return top;
}

export function formatCompare(r: CompareResult): string {
  const fmt = (v: number | null): string => (v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  const head = ['case', 'unit', ...r.engines, 'native/torch', 'native/ort', 'native/sgemm'];
  const lines = [head.join(' | ')];
  for (const row of r.rows) {
    const native = best(row.rates, 'hebb-native');
    const torch = best(row.rates, 'torch');
    const ort = best(row.rates, 'ort');
    const sgemm = best(row.rates, 'onednn-sgemm');
    const ratio = (a: typeof native, b: typeof native): string => (a && b ? `${(a.rate / b.rate).toFixed(2)}x` : '–');
    lines.push([row.title, row.unit, ...r.engines.map((e) => fmt(row.rates[e])), ratio(native, torch), ratio(native, ort), ratio(native, sgemm)].join(' | '));
  }
  return [
    'hebb native (oneDNN) vs PyTorch CPU, onnxruntime-node and oneDNN sgemm from C: medians of interleaved samples, each library at 1 and 2 threads;',
    'ratios take each side at its best thread count. On a shared machine the absolute numbers move with the load; the ratios are what hold.',
    '',
    ...lines,
    '',
    ...r.notes,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, cases: { type: 'string' }, engines: { type: 'string' }, cpu: { type: 'boolean', default: false } } });
  const result = await compareNative({
    rounds: values.rounds ? Number(values.rounds) : values.quick ? 3 : 7,
    sampleSeconds: values.quick ? 0.1 : 0.25,
    cases: values.cases?.split(','),
    engines: values.engines?.split(','),
    cpu: values.cpu,
  });
  if (result) console.log(formatCompare(result));
}
