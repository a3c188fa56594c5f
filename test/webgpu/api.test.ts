// The webgpu backend as a user meets it: asynchronous set-up, where values live and when they can
// be read synchronously, memory accounting through tidy/dispose, the fallback to cpu, and the
// rule that a software adapter is never the default.
import { describe, expect, it } from 'vitest';
import { webGpuIsDefaultable } from '../../src/backend/webgpu/index.js';
import * as hb from '../../src/index.js';
import { withBackend } from '../util/backends.js';
import { onWebGpu, skipNote, webgpu } from './helpers.js';

describe.skipIf(!webgpu)(`webgpu backend${skipNote}`, () => {
  it('is registered, starts through setBackend + ready(), and is never the default on a software adapter', async () => {
    expect(hb.listBackends()).toContain('webgpu');
    const status = hb.backends().find((b) => b.name === 'webgpu')!;
    expect(status.available).toBe(true);
    // It reports where its kernels ran (the other backends keep no count).
    expect(Object.keys(status.kernels!).sort()).toEqual(['cpu', 'fused', 'gpu', 'programs', 'readbacks', 'uploads']);
    expect(hb.backends().find((b) => b.name === 'cpu')!.kernels).toBeUndefined();
    expect(webgpu!.gpu.software).toBe(/swiftshader|llvmpipe|lavapipe/i.test(webgpu!.gpu.adapterName));
    if (webgpu!.gpu.software) expect(webGpuIsDefaultable()).toBe(false);
    hb.setBackend('webgpu');
    await hb.ready();
    expect(hb.getBackend()).toBe('webgpu');
    hb.setBackend('cpu');
  });

  it('keeps computed values on the GPU: dataSync throws until `await data()` has read them back', async () => {
    await onWebGpu(async () => {
      // Larger than the hand-off size, so the kernels run on the GPU.
      const n = 5000;
      const a = hb.tensor(Array.from({ length: n }, (_, i) => (i % 10) / 10), [n]);
      // Written from the CPU: readable synchronously.
      expect(a.dataSync()[3]).toBeCloseTo(0.3, 6);
      const b = hb.mul(hb.exp(a), 2);
      expect(() => b.dataSync()).toThrow(/computed on the GPU.*await t\.data\(\)/);
      const values = await b.data();
      for (let i = 0; i < 20; i++) expect(values[i]).toBeCloseTo(2 * Math.exp((i % 10) / 10), 5);
      expect(Array.from(b.dataSync())).toEqual(Array.from(values));
      expect(b.reshape([50, 100]).toArray()).toHaveLength(50);
      // Small work on CPU-resident values runs on the CPU copies and stays readable.
      expect(hb.add(hb.tensor([1, 2]), 1).dataSync()).toEqual(new Float32Array([2, 3]));
    });
  });

  it('runs float64 on cpu (no WGSL type), keeping those values on the CPU', async () => {
    await onWebGpu(async () => {
      const x = hb.tensor([0.1, 0.2, 0.3], [3], 'float64');
      const y = hb.sum(hb.mul(x, x));
      expect(y.dtype).toBe('float64');
      expect(y.item()).toBeCloseTo(0.14, 15);
      const r = hb.checkGrad((t: hb.Tensor) => hb.sum(hb.tanh(t)), [x]);
      expect(r.ok).toBe(true);
    });
  });

  it('releases GPU buffers through dispose and tidy, and reports them in hb.memory()', async () => {
    await onWebGpu(async () => {
      const before = hb.memory();
      expect(before.backend).toBe('webgpu');
      const kept = hb.tidy(() => {
        const a = hb.ones([128, 128]);
        const b = hb.add(hb.mul(a, 3), 1);
        return hb.sum(b);
      });
      expect(await kept.data()).toEqual(new Float32Array([128 * 128 * 4]));
      const mid = hb.memory();
      expect(mid.buffers).toBe(before.buffers + 1);
      const gpu = mid.backends.webgpu as unknown as { gpuBytes: number };
      expect(gpu.gpuBytes).toBeGreaterThan(0);
      kept.dispose();
      expect(hb.memory().buffers).toBe(before.buffers);
      expect(hb.memory().bytes).toBe(before.bytes);
    });
  });

  it('says under setDebug when a kernel falls back to cpu', () => {
    const warn: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => warn.push(m);
    hb.setDebug(true);
    try {
      withBackend('webgpu', () => hb.sum(hb.tensor([1.5, 2.5], [2], 'float64')).dataSync());
    } finally {
      hb.setDebug(false);
      console.warn = original;
    }
    expect(warn.some((m) => /not available on backend 'webgpu'.*running it on 'cpu'/.test(m))).toBe(true);
  });

  it('keeps cheap kernels on CPU-resident data on the CPU (a batch sliced from a dataset stays readable)', () => {
    withBackend('webgpu', () => {
      const data = hb.tensor(Array.from({ length: 6000 }, (_, i) => i % 7), [1000, 6], 'int32');
      const batch = hb.slice(data, [10, 0], [5, 6]);
      expect(batch.dataSync()[0]).toBe((10 * 6) % 7);
      const gpuBefore = webgpu!.counts.gpu;
      const big = hb.mul(hb.cast(data, 'float32'), 2);
      expect(webgpu!.counts.gpu).toBe(gpuBefore + 1);
      expect(() => big.dataSync()).toThrow(/await/);
    });
  });
});
