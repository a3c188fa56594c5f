// Kernel-by-kernel timing of a step on the current backend, shared by the profile-* scripts:
// every kernel call is timed (the backend's run() wrapped, so a figure is the kernel plus its
// TypeScript dispatch) and grouped by kernel, attributes and shapes; the rest of the step's wall
// time is JavaScript above the backend (autograd, op validation, tensor bookkeeping). The machine
// is shared and noisy: each call's median time × its calls per step resists the outliers.
import { getBackendInstance, type KernelName, type TensorInfo } from '../src/backend/index.js';
import * as hb from '../src/index.js';

interface Entry { calls: number; ms: number; times: number[] }

/** Wrap the current backend's run() and return `profile(name, step, steps, samples)`, which prints the table. */
export function kernelProfiler(): (name: string, step: () => void, steps: number, samples: number) => void {
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

  return (name, step, steps, samples) => {
    for (let i = 0; i < 3; i++) step();
    table.clear();
    recording = true;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const stepTimes: number[] = [];
    for (let i = 0; i < steps; i++) {
      const s0 = performance.now();
      step();
      stepTimes.push(performance.now() - s0);
    }
    const cpu = process.cpuUsage(c0);
    stepTimes.sort((p, q) => p - q);
    const mean = (performance.now() - t0) / steps;
    const wall = stepTimes[Math.floor(steps / 2)];
    recording = false;
    for (const e of table.values()) {
      const sorted = [...e.times].sort((p, q) => p - q);
      e.ms = sorted[Math.floor(sorted.length / 2)] * e.calls;
    }
    const rows = [...table.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const kernelMs = rows.reduce((acc, [, e]) => acc + e.ms, 0) / steps;
    const calls = rows.reduce((acc, [, e]) => acc + e.calls, 0) / steps;
    console.log(`\n== ${name}: median ${wall.toFixed(2)} ms/step (${((samples / wall) * 1000).toFixed(0)} samples/s; mean ${mean.toFixed(2)} ms, CPU ${((cpu.user + cpu.system) / 1000 / steps).toFixed(2)} ms), threads ${hb.getThreads()}`);
    console.log(`   kernels ${kernelMs.toFixed(2)} ms (sum of per-call medians) in ${calls} calls; the rest of the median step (JS above the backend) ${(wall - kernelMs).toFixed(2)} ms`);
    console.log(`${'ms/step'.padStart(8)} ${'%'.padStart(5)} ${'calls'.padStart(5)}  kernel, attributes, inputs → output`);
    for (const [key, e] of rows) {
      const ms = e.ms / steps;
      if (ms < 0.01) continue;
      console.log(`${ms.toFixed(3).padStart(8)} ${((100 * ms) / wall).toFixed(1).padStart(5)} ${String(e.calls / steps).padStart(5)}  ${key}`);
    }
    const byKernel = new Map<string, Entry>();
    for (const [key, e] of rows) {
      const k = key.split(' ')[0];
      const s = byKernel.get(k) ?? { calls: 0, ms: 0, times: [] };
      s.calls += e.calls;
      s.ms += e.ms;
      byKernel.set(k, s);
    }
    console.log('   by kernel: ' + [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([k, e]) => `${k} ${(e.ms / steps).toFixed(2)} ms/${e.calls / steps}`).join(', '));
  };
}

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
