// Memory in user code (issue 9): loops written with no tidy() and no dispose() hold flat memory
// on every backend, because hebb counts the bytes tensors allocate and forces a collection
// (src/tensor/collector.ts); a loop that really keeps everything ends in hb.MemoryError, and the
// backend is usable afterwards. The 10,000-step soak with RSS figures is scripts/memory-soak.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBackend } from '../../src/backend/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as hb from '../../src/index.js';
import { collectorMode, setCollectBudget } from '../../src/tensor/index.js';
import { availableBackends } from '../util/backends.js';

const BUDGET = 4 * 2 ** 20;
const canCollect = collectorMode() !== 'engine';

beforeAll(() => setCollectBudget(BUDGET));
afterAll(() => setCollectBudget(256 * 2 ** 20));

describe.each(availableBackends())('user loops on %s', (backend) => {
  beforeAll(() => hb.setBackend(backend));

  it.runIf(canCollect)('a synchronous loop that drops its results runs in bounded memory', () => {
    const x = hb.ones([128, 128]); // 64 KiB per result: 1,000 steps allocate 64 MiB
    const before = hb.memory().collections;
    let y = x;
    for (let i = 0; i < 1000; i++) y = hb.add(x, 1);
    const m = hb.memory();
    expect(y.dataSync()[0]).toBe(2);
    expect(m.collections - before).toBeGreaterThan(5);
    // At most one budget of garbage plus what was live after the last collection.
    expect(m.tensorBytes).toBeLessThan(3 * BUDGET);
    expect(m.backends[backend].bytes).toBeLessThan(3 * BUDGET + 8 * 2 ** 20);
  });

  it.runIf(canCollect)('an async loop awaiting data() every 10 steps runs in bounded memory', async () => {
    const x = hb.ones([128, 128]);
    for (let i = 1; i <= 600; i++) {
      const y = hb.mul(hb.add(x, i), 0.5);
      if (i % 10 === 0) expect((await y.data())[0]).toBe((1 + i) / 2);
    }
    expect(hb.memory().tensorBytes).toBeLessThan(3 * BUDGET);
  });

  it('hb.zeros([1e6, 1e6]) is a MemoryError naming the op, and the backend still works', () => {
    expect(() => hb.zeros([1e6, 1e6])).toThrow(hb.MemoryError);
    expect(() => hb.randomNormal([1e6, 1e6])).toThrow(/randomNormal/);
    expect(hb.add(hb.ones([2]), 1).toArray()).toEqual([2, 2]);
  });

  it('hb.memory() reports live tensors and bytes for this backend', () => {
    const before = hb.memory();
    const t = hb.zeros([1000]);
    const after = hb.memory();
    expect(after.backend).toBe(backend);
    expect(after.tensors - before.tensors).toBe(1);
    expect(after.tensorBytes - before.tensorBytes).toBe(4000);
    expect(after.backends[backend].bytes - before.backends[backend].bytes).toBe(4000);
    t.dispose();
    expect(hb.memory().tensorBytes).toBe(before.tensorBytes);
  });
});

describe.runIf(availableBackends().includes('wasm'))('running out of wasm memory', () => {
  it('a loop that keeps every result ends in hb.MemoryError (live bytes, hb.tidy hint), then the backend works', () => {
    hb.setBackend('wasm');
    const wasm = findBackend('wasm') as WasmBackend;
    wasm.setMemoryLimit(wasm.heapBytes() + 48 * 2 ** 20);
    const held: hb.Tensor[] = [];
    const x = hb.ones([512, 512]); // 1 MiB each
    let error: unknown = null;
    try {
      for (let i = 0; i < 1000; i++) held.push(hb.add(x, 1));
    } catch (e) {
      error = e;
    }
    try {
      expect(error).toBeInstanceOf(hb.MemoryError);
      expect(error).toBeInstanceOf(hb.HebbError);
      const message = (error as Error).message;
      expect(message).toMatch(/MiB is live in \d+ tensor buffers/);
      expect(message).toMatch(/hb\.tidy/);
      expect(held.length).toBeGreaterThan(20);
      expect(held.length).toBeLessThan(60);
      // Usable afterwards: drop what was held and allocate the same amount again.
      held.length = 0;
      const again: hb.Tensor[] = [];
      for (let i = 0; i < 20; i++) again.push(hb.add(x, 2));
      expect(again[19].dataSync()[7]).toBe(3);
      hb.dispose(again);
    } finally {
      wasm.setMemoryLimit(Infinity);
    }
  });
});
