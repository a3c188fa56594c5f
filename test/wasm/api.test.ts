// The wasm backend through the public API: it is the default in Node, setBackend('cpu') returns
// to the reference, threads are configurable, unsupported dtypes fall back to cpu (noted once
// in debug mode), gradients of a small conv net agree with float64 on cpu, and a training loop
// of 2,000 steps holds flat memory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as hb from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('selection and threads', () => {
  afterEach(() => {
    hb.setBackend('wasm');
    hb.setThreads(availableParallelism());
  });

  it('wasm is the default backend in Node (after native, where its addon is built); setBackend switches to the reference and back', async () => {
    expect(hb.getBackend()).toBe(hb.backends().some((b) => b.name === 'native' && b.available) ? 'native' : 'wasm');
    expect(hb.listBackends()).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    const x = hb.tensor([[1, 2], [3, 4]]);
    hb.setBackend('cpu');
    expect(hb.getBackend()).toBe('cpu');
    expect(hb.matmul(x, x).toArray()).toEqual([[7, 10], [15, 22]]);
    await hb.ready(); // a choice made with setBackend survives ready()
    expect(hb.getBackend()).toBe('cpu');
    hb.setBackend('wasm');
    expect(hb.matmul(x, x).toArray()).toEqual([[7, 10], [15, 22]]);
  });

  it('threads default to the number of cores and can be set', () => {
    expect(hb.getThreads()).toBe(availableParallelism());
    hb.setThreads(1);
    expect(hb.getThreads()).toBe(1);
    hb.setThreads(2);
    expect(hb.getThreads()).toBe(2);
    expect(() => hb.setThreads(0)).toThrow(hb.ValueError);
    expect(() => hb.setThreads(1.5)).toThrow(hb.ValueError);
  });

  it('results with 1 and 2 threads agree', () => {
    hb.setSeed(3);
    const a = hb.randomNormal([67, 300]);
    const b = hb.randomNormal([300, 129]);
    const w = hb.randomNormal([3, 3, 8, 16]);
    const x = hb.randomNormal([4, 15, 15, 8]);
    // LeNet's first layer at batch 32: the direct kernels, the filter gradient in several splits.
    const w1 = hb.randomNormal([5, 5, 1, 6]);
    const x1 = hb.randomNormal([32, 28, 28, 1]);
    const lenetGrad = hb.grad((v) => hb.sum(hb.square(hb.conv2d(x1, v, { padding: 'same' }))));
    const run = (): Float32Array[] => [
      hb.matmul(a, b), hb.matmul(b, a, true, true), hb.conv2d(x, w, { padding: 'same', strides: 2 }),
      hb.sum(hb.exp(hb.div(a, 10)), 1), hb.softmax(b), hb.conv2d(x1, w1, { padding: 'same' }), lenetGrad(w1),
    ].map((t) => t.dataSync() as Float32Array);
    hb.setThreads(1);
    const one = run();
    hb.setThreads(2);
    const two = run();
    // Work is split among threads without changing any sum's order: identical bits.
    one.forEach((r, i) => expect(two[i]).toEqual(r));
  });

  it('float64 and int32 matmul fall back to cpu, said once with setDebug(true)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    hb.setDebug(true);
    try {
      const d = hb.tensor([[1, 2], [3, 4]], undefined, 'float64');
      expect(hb.matmul(d, d).toArray()).toEqual([[7, 10], [15, 22]]);
      expect(hb.matmul(d, d).dtype).toBe('float64');
      const i = hb.tensor([[1, 2], [3, 4]], undefined, 'int32');
      expect(hb.matmul(i, i).toArray()).toEqual([[7, 10], [15, 22]]);
      const notes = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("'matmul'") && m.includes("'wasm'"));
      expect(notes).toHaveLength(1);
    } finally {
      hb.setDebug(false);
      warn.mockRestore();
    }
  });

  it('gather out of range throws ValueError on wasm', () => {
    expect(() => hb.gather(hb.tensor([1, 2, 3]), hb.tensor([0, 3], undefined, 'int32'))).toThrow(hb.ValueError);
  });
});

describe('the relaxed-SIMD build', () => {
  // Node 20 offers relaxed SIMD only behind a flag, so a child process runs with it: the loader
  // must pick the relaxed build there, and its fused multiply-adds must still match the
  // reference (within float32 rounding of Σ|a||b|) on matmul, conv and the SIMD exp.
  it('is chosen where WebAssembly.validate accepts relaxed_madd, and matches the reference', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-wasm-relaxed-'));
    try {
      const script = join(dir, 'relaxed.mts');
      const src = (p: string): string => JSON.stringify(pathToFileURL(join(root, p)).href);
      writeFileSync(script, [
        `import { createWasmBackend } from ${src('src/backend/wasm/index.ts')};`,
        `import { CpuBackend } from ${src('src/backend/cpu/cpu-backend.ts')};`,
        'const wasm = createWasmBackend();',
        'const cpu = new CpuBackend();',
        'let seed = 1;',
        'const rand = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);',
        'const run = (b: any, kernel: string, ins: [number[], Float32Array][], out: number[], attrs: object) => {',
        '  const ids = ins.map(([shape, data]) => { const id = b.alloc("float32", data.length); b.write(id, data); return { id, shape, dtype: "float32" }; });',
        '  const o = { id: b.alloc("float32", out.reduce((a, c) => a * c, 1)), shape: out, dtype: "float32" };',
        '  b.run(kernel, ids, [o], attrs);',
        '  return b.read(o.id) as Float32Array;',
        '};',
        'const worst = (kernel: string, ins: [number[], Float32Array][], out: number[], attrs: object) => {',
        '  const got = run(wasm, kernel, ins, out, attrs), want = run(cpu, kernel, ins, out, attrs);',
        '  const bound = run(cpu, kernel, ins.map(([s, d]) => [s, d.map(Math.abs)]), out, attrs);',
        '  let w = 0;',
        '  for (let i = 0; i < got.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) / (kernel === "unary" ? Math.abs(want[i]) : bound[i]));',
        '  return w;',
        '};',
        'const conv = { strides: [1, 2, 1], dilations: [1, 1, 2], pads: [[0, 0], [1, 1], [2, 1]], groups: 1 };',
        'console.log(JSON.stringify({',
        '  variant: wasm.variant,',
        '  matmul: worst("matmul", [[[1, 67, 129], rand(67 * 129)], [[1, 45, 129], rand(45 * 129)]], [1, 67, 45], { transposeA: false, transposeB: true }),',
        '  conv: worst("conv", [[[2, 1, 9, 8, 5], rand(720)], [[1, 3, 3, 5, 7], rand(315)]], [2, 1, 5, 6, 7], conv),',
        '  exp: worst("unary", [[[1000], rand(1000).map((v) => v * 80)]], [1000], { op: "exp" }),',
        '}));',
        'process.exit(0);',
      ].join('\n'));
      const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { variant: string; matmul: number; conv: number; exp: number };
      expect(r.variant).toMatch(/^relaxed/);
      expect(r.matmul).toBeLessThan(1e-5);
      expect(r.conv).toBeLessThan(1e-5);
      expect(r.exp).toBeLessThan(1e-6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gradients through the wasm backend', () => {
  it('a small conv net: float32 on wasm matches float64 on cpu', () => {
    hb.setSeed(11);
    const params = {
      w1: hb.mul(hb.randomNormal([3, 3, 3, 6]), 0.3),
      w2: hb.mul(hb.randomNormal([3, 3, 6, 8]), 0.2),
      wd: hb.mul(hb.randomNormal([2, 1, 8, 1]), 0.5), // depthwise
      w3: hb.mul(hb.randomNormal([32, 5]), 0.2),
      b3: hb.mul(hb.randomNormal([5]), 0.1),
    };
    const x = hb.randomNormal([3, 9, 9, 3]);
    const labels = hb.tensor([0, 3, 4], undefined, 'int32');
    // conv → relu → max pool → strided conv → tanh → depthwise conv → avg pool → dense → softmax cross-entropy.
    const loss = (w1: hb.Tensor, w2: hb.Tensor, wd: hb.Tensor, w3: hb.Tensor, b3: hb.Tensor, xs: hb.Tensor): hb.Tensor => {
      let h = hb.relu(hb.conv2d(xs, w1, { padding: 'same' }));
      h = hb.maxPool2d(h, { poolSize: 2, strides: 1 });
      h = hb.tanh(hb.conv2d(h, w2, { strides: 2, padding: [[1, 0], [0, 1]] }));
      h = hb.sigmoid(hb.depthwiseConv2d(h, wd, { padding: 'same' }));
      h = hb.avgPool2d(h, { poolSize: 2, strides: 2, padding: 'same' });
      const logits = hb.add(hb.matmul(hb.reshape(h, [3, -1]), w3), b3);
      const picked = hb.gather(hb.reshape(hb.logSoftmax(logits), [-1]), hb.add(labels, hb.tensor([0, 5, 10], undefined, 'int32')));
      return hb.neg(hb.mean(picked));
    };
    const names = Object.keys(params) as (keyof typeof params)[];
    const argnums = names.map((_, i) => i);
    const f32 = hb.grad(loss, argnums)(...names.map((k) => params[k]), x) as hb.Tensor[];
    hb.setBackend('cpu');
    try {
      const to64 = (t: hb.Tensor): hb.Tensor => hb.cast(t, 'float64');
      const f64 = hb.grad(loss, argnums)(...names.map((k) => to64(params[k])), to64(x)) as hb.Tensor[];
      names.forEach((name, i) => {
        const got = f32[i].dataSync();
        const want = f64[i].dataSync();
        const scale = Math.max(...Array.from(want, Math.abs));
        // float32 rounding through ~15 ops against float64: errors of a few 1e-6 of the largest entry.
        for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k]), `${name}[${k}]`).toBeLessThan(2e-5 * scale);
      });
    } finally {
      hb.setBackend('wasm');
    }
  });
});

describe('memory', () => {
  // vitest's workers do not expose gc(), so a child process trains an MLP for 2,000 steps with
  // variableGrads and a hand-written SGD update, never calling dispose (tidy releases each step's
  // intermediates; the replaced parameters are collected by the GC). Live bytes and the wasm
  // heap must stop growing after the first steps.
  it('2,000 training steps hold flat memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-wasm-mem-'));
    try {
      const script = join(dir, 'train.mts');
      writeFileSync(script, [
        `import * as hb from ${JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href)};`,
        `import { findBackend } from ${JSON.stringify(pathToFileURL(join(root, 'src/backend/index.ts')).href)};`,
        'const gc = (globalThis as { gc?: () => void }).gc!;',
        'const settle = async () => { for (let k = 0; k < 3; k++) { gc(); await new Promise((r) => setTimeout(r, 0)); } };',
        "if (hb.getBackend() !== 'wasm') throw new Error('expected wasm');",
        'const heap = () => (findBackend("wasm") as unknown as { heapBytes(): number }).heapBytes();',
        'hb.setSeed(5);',
        'const x = hb.randomNormal([64, 20]);',
        'const y = hb.oneHot(hb.randomInt([64], 0, 4), 4);',
        'let params = [hb.mul(hb.randomNormal([20, 32]), 0.2), hb.zeros([32]), hb.mul(hb.randomNormal([32, 4]), 0.2), hb.zeros([4])];',
        'const samples: { step: number; buffers: number; bytes: number; heap: number; loss: number }[] = [];',
        'for (let step = 1; step <= 2000; step++) {',
        '  let loss = 0;',
        '  params = hb.tidy(() => {',
        '    const [w1, b1, w2, b2] = params;',
        '    const { value, grads } = hb.variableGrads(() => {',
        '      const h = hb.relu(hb.add(hb.matmul(x, w1), b1));',
        '      const logits = hb.add(hb.matmul(h, w2), b2);',
        '      return hb.neg(hb.mean(hb.sum(hb.mul(y, hb.logSoftmax(logits)), 1)));',
        '    }, params);',
        '    if (step % 200 === 0) loss = value.item();',
        '    return params.map((p, i) => hb.sub(p, hb.mul(grads[i], 0.1)));',
        '  });',
        '  if (step % 200 === 0) {',
        '    await settle();',
        '    const m = hb.memory();',
        '    samples.push({ step, buffers: m.buffers, bytes: m.bytes, heap: heap(), loss });',
        '  }',
        '}',
        'console.log(JSON.stringify(samples));',
      ].join('\n'));
      // HEBB_NATIVE=0: wasm is the default here even where the native addon is built.
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HEBB_NATIVE: '0' } });
      expect(run.status, run.stderr).toBe(0);
      const samples = JSON.parse(run.stdout.trim().split('\n').pop()!) as { step: number; buffers: number; bytes: number; heap: number; loss: number }[];
      expect(samples).toHaveLength(10);
      // The replaced parameters are freed by the GC's finalizers, whose timing a loaded machine
      // can delay by a step or two: allow two unreclaimed parameter sets (2 × 3,216 bytes). A leak
      // would add a set per step, 200 per sample.
      const paramBytes = (20 * 32 + 32 + 32 * 4 + 4) * 4;
      const first = samples[0];
      for (const s of samples) {
        expect(s.bytes, `live bytes at step ${s.step}`).toBeLessThanOrEqual(first.bytes + 2 * paramBytes);
        expect(s.buffers, `live buffers at step ${s.step}`).toBeLessThanOrEqual(first.buffers + 2 * 4);
        expect(s.heap, `wasm heap at step ${s.step}`).toBeLessThanOrEqual(first.heap + 64 * 1024);
      }
      expect(samples[9].loss).toBeLessThan(samples[0].loss); // and it did learn
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
