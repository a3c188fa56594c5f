// The native backend as a user meets it: chosen first when its addon loads, absent without a
// word when it does not (a child process whose addon path leads nowhere, as on a machine
// without oneDNN, still installs, computes and trains, on wasm), the install-time build never
// failing, the thread count governed by hb.setThreads, and training on native following the
// same loss curve as on wasm.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KernelAttrs } from '../../src/backend/index.js';
import { sizeOf } from '../../src/base/index.js';
import * as hb from '../../src/index.js';
import { withBackend } from '../util/backends.js';
import { cpu, expectClose, random, Rng, runOn } from '../wasm/helpers.js';
import { native, skipNote } from './helpers.js';

const root = resolve(__dirname, '../..');

describe('without the addon', () => {
  it('a process whose addon is missing runs on wasm, says why in hb.backends(), and trains', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-native-'));
    try {
      const script = join(dir, 'run.mts');
      writeFileSync(script, [
        `import * as hb from ${JSON.stringify(join(root, 'src/index.ts'))};`,
        'hb.setSeed(3);',
        'const x = hb.randomUniform([64, 8, 8, 1], { seed: 1 });',
        'const y = hb.oneHot(hb.tensor(Array.from({ length: 64 }, (_, i) => i % 4), [64], "int32"), 4);',
        'const model = hb.sequential([hb.layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", inputShape: [8, 8, 1] }), hb.layers.maxPooling2d({ poolSize: 2 }), hb.layers.flatten(), hb.layers.dense({ units: 4, activation: "softmax" })]);',
        'model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });',
        'const history = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });',
        'console.log(JSON.stringify({ backend: hb.getBackend(), backends: hb.backends(), loss: history.history.loss }));',
      ].join('\n'));
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, HEBB_NATIVE_ADDON: join(dir, 'absent', 'hebb_native.node') },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { backend: string; backends: hb.BackendStatus[]; loss: number[] };
      expect(r.backend).toBe('wasm');
      const nativeStatus = r.backends.find((b) => b.name === 'native')!;
      expect(nativeStatus.available).toBe(false);
      expect(nativeStatus.reason).toMatch(/native backend: addon not built/);
      expect(nativeStatus.reason).toMatch(/apt-get install libdnnl-dev/);
      expect(r.backends.find((b) => b.name === 'wasm')).toMatchObject({ available: true, active: true });
      expect(r.loss).toHaveLength(3);
      expect(r.loss.every(Number.isFinite)).toBe(true);
      expect(r.loss[2]).toBeLessThan(r.loss[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('the install-time build exits 0 and records why when there is no compiler', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-native-'));
    try {
      const status = join(dir, 'status.json');
      const run = spawnSync(process.execPath, [join(root, 'scripts/build-native.mjs')], {
        cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CXX: join(dir, 'no-such-g++'), HEBB_NATIVE_STATUS: status },
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/native backend not built: no C\+\+ compiler/);
      const report = JSON.parse(readFileSync(status, 'utf8')) as { built: boolean; reason: string };
      expect(report.built).toBe(false);
      expect(report.reason).toMatch(/no C\+\+ compiler/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Train what `build` gives (seeded with `seed`) for 6 epochs with Adam on native and on wasm:
 * the loss falls on native, and every epoch's loss agrees with wasm's to 1e-3 relative.
 */
async function expectCurveFollowsWasm(seed: number, build: () => { x: hb.Tensor; y: hb.Tensor; model: hb.Model }): Promise<void> {
  const curve = async (backend: string): Promise<number[]> => {
    hb.setBackend(backend);
    try {
      hb.setSeed(seed);
      const { x, y, model } = build();
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 6, batchSize: 16, shuffle: false, verbose: 0 });
      return history.history.loss as number[];
    } finally {
      hb.setBackend('native');
    }
  };
  const onNative = await curve('native');
  const onWasm = await curve('wasm');
  expect(onNative[5]).toBeLessThan(onNative[0]);
  onNative.forEach((l, i) => expect(Math.abs(l - onWasm[i]) / onWasm[i], `epoch ${i}`).toBeLessThan(1e-3));
}

describe.skipIf(!native)(`with the addon${skipNote}`, () => {
  it('native is the default in Node, ahead of wasm and cpu (webgpu ranks higher but only runs once asked for), and hb.backends() lists all four', () => {
    const list = hb.backends();
    expect(list.map((b) => b.name)).toEqual(['webgpu', 'native', 'wasm', 'cpu']);
    expect(list[1]).toMatchObject({ name: 'native', available: true });
    expect(list.slice(1).every((b) => b.reason === undefined)).toBe(true);
    if (hb.getBackend() !== 'webgpu') expect(hb.getBackend()).toBe('native');
  });

  it('hb.setThreads governs oneDNN\'s threads (primitives are cached per thread count)', () => {
    const before = hb.getThreads();
    try {
      hb.setThreads(1);
      expect(native!.threads).toBe(1);
      expect(hb.getThreads()).toBe(1);
      hb.setThreads(2);
      expect(native!.threads).toBe(2);
    } finally {
      hb.setThreads(before);
    }
  });

  it('a reused buffer reads as zeros and counts as zeros in a kernel, and a written one keeps its values', () => {
    const b = native!;
    const n = 3000; // above the pool's smallest size
    const old = b.alloc('float32', n);
    b.write(old, new Float32Array(n).fill(7));
    b.free(old);
    const fresh = b.alloc('float32', n);
    expect(b.poolBytes()).toBeGreaterThanOrEqual(0);
    expect(Array.from(b.read(fresh)).every((v) => v === 0)).toBe(true);
    const again = b.alloc('float32', n);
    b.write(again, new Float32Array(n).fill(5));
    b.free(again);
    const input = b.alloc('float32', n);
    const output = b.alloc('float32', n);
    b.run('unary', [{ id: input, shape: [n], dtype: 'float32' }], [{ id: output, shape: [n], dtype: 'float32' }], { op: 'neg' });
    expect(Array.from(b.read(output)).every((v) => v === 0)).toBe(true);
    b.write(input, new Float32Array(n).fill(2));
    expect(Array.from(b.read(input)).every((v) => v === 2)).toBe(true);
    for (const id of [fresh, input, output]) b.free(id);
  });

  it('native memory of our own (scratchpad, reordered weights) is reported and freed with the cache', () => {
    withBackend('native', () => hb.tidy(() => hb.conv2d(hb.randomNormal([2, 12, 12, 8]), hb.randomNormal([3, 3, 8, 16])).dataSync()));
    expect(native!.addon.cachedPrimitives()).toBeGreaterThan(0);
    expect(native!.nativeBytes()).toBeGreaterThan(0);
    native!.addon.clearCache();
    expect(native!.addon.cachedPrimitives()).toBe(0);
  });

  it('weights reordered into oneDNN\'s layout are kept while their contents stay the same, and never used stale', () => {
    const b = native!;
    const rng = new Rng(11);
    const x = random(rng, [2, 1, 9, 9, 8]);
    const w1 = random(rng, [1, 3, 3, 8, 16]);
    const w2 = random(rng, [1, 3, 3, 8, 16]);
    const attrs: KernelAttrs['conv'] = { strides: [1, 1, 1], dilations: [1, 1, 1], pads: [[0, 0], [1, 1], [1, 1]], groups: 1 };
    const yShape = [2, 1, 9, 9, 16];
    const want = (w: typeof w1): Float32Array => runOn(cpu, 'conv', [x, w], [{ shape: yShape, dtype: 'float32' }], attrs)[0] as Float32Array;
    const xId = b.alloc('float32', x.data.length);
    b.write(xId, x.data);
    const yId = b.alloc('float32', sizeOf(yShape));
    const conv = (wId: number): Float32Array => {
      b.run('conv', [{ id: xId, shape: x.shape, dtype: 'float32' }, { id: wId, shape: w1.shape, dtype: 'float32' }], [{ id: yId, shape: yShape, dtype: 'float32' }], attrs);
      return b.read(yId) as Float32Array;
    };
    const abs = (t: typeof w1): typeof w1 => ({ ...t, data: t.data.map(Math.abs) });
    // Errors measured against Σ|x||w| per output (float32 sums in another order).
    const close = (got: Float32Array, w: typeof w1): void =>
      expectClose(got, want(w), 'float32', { rtol: 1e-5, scale: runOn(cpu, 'conv', [abs(x), abs(w)], [{ shape: yShape, dtype: 'float32' }], attrs)[0] }, 'conv');
    const wId = b.alloc('float32', w1.data.length);
    b.write(wId, w1.data);
    const r0 = b.addon.weightReorders();
    close(conv(wId), w1);
    const first = b.addon.weightReorders() - r0;
    expect(first).toBeGreaterThan(0); // oneDNN picks a blocked weight layout for 8 → 16 channels
    close(conv(wId), w1);
    expect(b.addon.weightReorders() - r0).toBe(first); // same contents: no reorder
    b.write(wId, w2.data); // new contents in the same array: reordered again
    close(conv(wId), w2);
    expect(b.addon.weightReorders() - r0).toBe(2 * first);
    // A freed array reused for another tensor and written by a kernel: same pointer, new stamp.
    b.free(wId);
    const srcId = b.alloc('float32', w1.data.length);
    b.write(srcId, w1.data);
    const negId = b.alloc('float32', w1.data.length);
    b.run('unary', [{ id: srcId, shape: w1.shape, dtype: 'float32' }], [{ id: negId, shape: w1.shape, dtype: 'float32' }], { op: 'neg' });
    close(conv(negId), { ...w1, data: w1.data.map((v) => -v) });
    for (const id of [xId, yId, srcId, negId]) b.free(id);
  });

  it('a matmul\'s right operand used again unchanged is packed once into oneDNN\'s layout, and never used stale', () => {
    const b = native!;
    const rng = new Rng(12);
    const x = random(rng, [1, 37, 300]);
    const w1 = random(rng, [1, 300, 130]);
    const w2 = random(rng, [1, 300, 130]);
    const attrs: KernelAttrs['matmul'] = { transposeA: false, transposeB: false };
    const yShape = [1, 37, 130];
    const abs = (t: typeof w1): typeof w1 => ({ ...t, data: t.data.map(Math.abs) });
    const close = (got: Float32Array, w: typeof w1): void => expectClose(got, runOn(cpu, 'matmul', [x, w], [{ shape: yShape, dtype: 'float32' }], attrs)[0], 'float32',
      { rtol: 1e-5, scale: runOn(cpu, 'matmul', [abs(x), abs(w)], [{ shape: yShape, dtype: 'float32' }], attrs)[0] }, 'matmul');
    const xId = b.alloc('float32', x.data.length);
    b.write(xId, x.data);
    const yId = b.alloc('float32', sizeOf(yShape));
    const matmul = (wId: number): Float32Array => {
      b.run('matmul', [{ id: xId, shape: x.shape, dtype: 'float32' }, { id: wId, shape: w1.shape, dtype: 'float32' }], [{ id: yId, shape: yShape, dtype: 'float32' }], attrs);
      return b.read(yId) as Float32Array;
    };
    const wId = b.alloc('float32', w1.data.length);
    b.write(wId, w1.data);
    const r0 = b.addon.weightReorders();
    close(matmul(wId), w1); // first sight: the user's layout, no reorder
    expect(b.addon.weightReorders()).toBe(r0);
    close(matmul(wId), w1); // the same version again: packed once
    const packs = b.addon.weightReorders() - r0;
    expect(packs).toBe(1);
    close(matmul(wId), w1);
    expect(b.addon.weightReorders() - r0).toBe(1);
    b.write(wId, w2.data);
    close(matmul(wId), w2);
    close(matmul(wId), w2);
    expect(b.addon.weightReorders() - r0).toBe(2);
    b.free(wId);
    const srcId = b.alloc('float32', w1.data.length);
    b.write(srcId, w1.data);
    const negId = b.alloc('float32', w1.data.length); // the freed array again, written by a kernel
    b.run('unary', [{ id: srcId, shape: w1.shape, dtype: 'float32' }], [{ id: negId, shape: w1.shape, dtype: 'float32' }], { op: 'neg' });
    const neg = { ...w1, data: w1.data.map((v) => -v) };
    close(matmul(negId), neg);
    close(matmul(negId), neg);
    for (const id of [xId, yId, srcId, negId]) b.free(id);
  });

  it('training LSTM and GRU layers (masked steps, goBackwards) on native follows the loss curve of wasm', async () => {
    // 48 sequences of 6 steps × 4 features; the last steps of every third sequence are padding (all zero, masked).
    const xs = Array.from({ length: 48 * 6 * 4 }, (_, i) => (Math.floor(i / 4) % 6 >= 4 && Math.floor(i / 24) % 3 === 0 ? 0 : Math.sin(0.37 * i + 1)));
    // Both run the fused kernels in float32 (different sigmoid/tanh approximations and summation orders).
    await expectCurveFollowsWasm(7, () => ({
      x: hb.tensor(xs, [48, 6, 4]),
      y: hb.oneHot(hb.tensor(Array.from({ length: 48 }, (_, i) => (i * 5) % 3), [48], 'int32'), 3),
      model: hb.sequential([
        hb.layers.masking({ maskValue: 0, inputShape: [6, 4] }),
        hb.layers.lstm({ units: 9, returnSequences: true, goBackwards: true }),
        hb.layers.gru({ units: 7 }),
        hb.layers.dense({ units: 3, activation: 'softmax' }),
      ]),
    }));
  });

  it('training LeNet-style on native follows the loss curve of wasm', async () => {
    // float32 on both, different summation orders: the curves agree to float32 rounding, grown over 36 steps.
    await expectCurveFollowsWasm(5, () => ({
      x: hb.randomUniform([96, 12, 12, 1], { seed: 2 }),
      y: hb.oneHot(hb.tensor(Array.from({ length: 96 }, (_, i) => (i * 7) % 5), [96], 'int32'), 5),
      model: hb.sequential([
        hb.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 1] }),
        hb.layers.maxPooling2d({ poolSize: 2 }),
        hb.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'tanh' }),
        hb.layers.averagePooling2d({ poolSize: 2 }),
        hb.layers.flatten(),
        hb.layers.dense({ units: 16, activation: 'sigmoid' }),
        hb.layers.dense({ units: 5, activation: 'softmax' }),
      ]),
    }));
  });
});
