// LSTM-128 and GRU-128 training against PyTorch CPU in one interleaved run (issue 10's target):
// x [64, 28, 28] read as 28 steps of 28 features, the recurrent layer, a dense 10 on the last
// state, softmax cross-entropy from logits, one SGD step (lr 0.05). hebb trains through its layer
// API (hb.layers.lstm / gru + trainOnBatch, the fused kernels on wasm and native), on each backend
// of --backends that is available here, PyTorch through nn.LSTM /
// nn.GRU in a child process (bench/recurrent_torch.py). Each round gives every engine one sample
// of every case in rotating order, so the machine's slow and fast phases hit all alike.
// Rates come from wall time and from CPU time (process CPU, all threads), since the shared
// machine's load inflates wall time: CPU samples/s = samples / CPU seconds.
//
//   tsx bench/recurrent.ts [--rounds 7] [--seconds 0.5] [--cases lstm,gru] [--backends wasm,native] [--base DIR] [--relaxed]
// --base DIR adds hebb rows from another checkout (for example the commit before a change,
// extracted with `git archive`), loaded side by side in this process. --relaxed turns on V8's
// relaxed SIMD before hebb loads (Node 20 has it behind --experimental-wasm-relaxed-simd; Node 22
// and browsers have it on), so the wasm kernels use fused multiply-adds.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import type * as HbModule from '../src/index.js';
import { oneHotArray, uniformArray } from './data.js';

type Hb = typeof HbModule;
const here = fileURLToPath(new URL('.', import.meta.url));
const BATCH = 64;

interface Sample {
  wall: number;
  cpu: number;
}

interface Engine {
  id: string;
  /** `steps` steps of case `kind`: wall and CPU seconds in all. */
  run: (kind: string, steps: number) => Promise<Sample>;
}

function hebbEngine(hb: Hb, label: string, backend: string, threads: number): Engine {
  const steps = new Map<string, () => void>();
  const prepare = (kind: string): (() => void) => {
    const layer = kind === 'lstm' ? hb.layers.lstm({ units: 128, inputShape: [28, 28] }) : hb.layers.gru({ units: 128, inputShape: [28, 28] });
    const model = hb.sequential({ layers: [layer, hb.layers.dense({ units: 10 })] });
    model.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.05 }), loss: (y: HbModule.Tensor, p: HbModule.Tensor) => hb.losses.categoricalCrossentropy(y, p, { fromLogits: true }) });
    const x = hb.tensor(uniformArray(BATCH * 28 * 28, 71), [BATCH, 28, 28]);
    const y = hb.tensor(oneHotArray(BATCH, 10, 72), [BATCH, 10]);
    return () => void model.trainOnBatch(x, y);
  };
  return {
    id: `${label}-${backend}-${threads}t`,
    run: async (kind, n) => {
      hb.setBackend(backend);
      hb.setThreads(threads);
      let step = steps.get(kind);
      if (!step) {
        step = prepare(kind);
        step();
        steps.set(kind, step);
        await new Promise((r) => setTimeout(r, 50)); // workers start asynchronously
      }
      const w = performance.now();
      const c = process.cpuUsage();
      for (let i = 0; i < n; i++) step();
      const d = process.cpuUsage(c);
      return { wall: (performance.now() - w) / 1000, cpu: (d.user + d.system) / 1e6 };
    },
  };
}

class TorchWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  constructor(python: string) {
    this.child = spawn(python, [join(here, 'recurrent_torch.py')], { stdio: 'pipe' });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
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
  const warm = new Set<string>();
  return {
    id: `torch-${threads}t`,
    run: async (kind, steps) => {
      if (!warm.has(kind)) {
        await worker.ask({ op: 'run', case: kind, batch: BATCH, threads, steps: 2 });
        warm.add(kind);
      }
      const r = await worker.ask({ op: 'run', case: kind, batch: BATCH, threads, steps });
      return { wall: Number(r.seconds), cpu: Number(r.cpu) };
    },
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '7' }, seconds: { type: 'string', default: '0.5' }, cases: { type: 'string', default: 'lstm,gru' }, backends: { type: 'string', default: 'wasm,native' }, base: { type: 'string' }, relaxed: { type: 'boolean', default: false } },
  });
  if (values.relaxed) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  const hbHere = (await import('../src/index.js')) as Hb;
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const kinds = values.cases.split(',');
  const backends = values.backends.split(',').filter((b) => hbHere.listBackends().includes(b) && hbHere.backends().some((s) => s.name === b && s.available));
  const engines: Engine[] = backends.flatMap((b) => [hebbEngine(hbHere, 'hebb', b, 1), hebbEngine(hbHere, 'hebb', b, 2)]);
  if (values.base) {
    const base = (await import(join(values.base, 'src/index.js'))) as Hb;
    engines.push(...backends.flatMap((b) => [hebbEngine(base, 'base', b, 1), hebbEngine(base, 'base', b, 2)]));
  }
  const python = ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
  // One process per thread count: an OpenMP pool that once ran two threads keeps its second
  // thread spinning for a while after each step, which would count as CPU time of the 1-thread rows.
  const workers = python ? [new TorchWorker(python), new TorchWorker(python)] : [];
  const worker = workers[0] ?? null;
  if (worker) {
    engines.push(torchEngine(workers[0], 1), torchEngine(workers[1], 2));
    process.stderr.write(`PyTorch ${String((await worker.ask({ op: 'info' })).torch)} (${python})\n`);
  } else process.stderr.write('PyTorch rows left out: no python3 with torch\n');
  const samples = new Map<string, Sample[]>();
  const stepsOf = new Map<string, number>();
  try {
    for (const kind of kinds) {
      for (const e of engines) {
        const once = await e.run(kind, 1);
        stepsOf.set(`${e.id} ${kind}`, Math.max(1, Math.round(seconds / Math.max(once.wall, 1e-6))));
      }
      for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < engines.length; k++) {
          const e = engines[(r + k) % engines.length];
          const key = `${e.id} ${kind}`;
          const n = stepsOf.get(key) ?? 1;
          const s = await e.run(kind, n);
          samples.set(key, [...(samples.get(key) ?? []), { wall: s.wall / n, cpu: s.cpu / n }]);
        }
      }
      process.stderr.write(`${kind}: done\n`);
    }
  } finally {
    for (const w of workers) w.close();
  }
  const lines = [`${'case'.padEnd(6)}${'engine'.padEnd(16)}${'wall samples/s'.padStart(16)}${'CPU samples/s'.padStart(15)}${'CPU ms/step'.padStart(13)}`];
  for (const kind of kinds) {
    const rate = (id: string, which: 'wall' | 'cpu'): number => BATCH / median((samples.get(`${id} ${kind}`) ?? []).map((s) => s[which]));
    for (const e of engines) {
      lines.push(`${kind.padEnd(6)}${e.id.padEnd(16)}${rate(e.id, 'wall').toFixed(0).padStart(16)}${rate(e.id, 'cpu').toFixed(0).padStart(15)}${(BATCH / rate(e.id, 'cpu') * 1000).toFixed(1).padStart(13)}`);
    }
    const top = (prefix: string, which: 'wall' | 'cpu'): number => Math.max(...engines.filter((e) => e.id.startsWith(prefix)).map((e) => rate(e.id, which)));
    if (worker) {
      for (const prefix of [...backends.map((b) => `hebb-${b}`), ...(values.base ? backends.map((b) => `base-${b}`) : [])]) {
        lines.push(`${kind}: ${prefix} best / torch best = ${(top(prefix, 'wall') / top('torch', 'wall')).toFixed(2)}× (wall), ${(top(prefix, 'cpu') / top('torch', 'cpu')).toFixed(2)}× (CPU)`);
      }
    }
  }
  console.log(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
