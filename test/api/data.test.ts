// docs/api.md "Data, zoo, backends", the data and backend lines run as written:
//   const { train, test } = await hb.datasets.mnist()
//   hb.oneHot(labels, depth)
//   hb.setBackend('cpu' | 'wasm' | …); hb.getBackend()
// The MNIST checks use facts published about the data set itself (its sizes, the per-class
// counts, the first labels, the pixel mean 0.1307 and standard deviation 0.3081 used everywhere
// for normalisation), not anything computed by the code under test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

// Per-class counts of the standard MNIST training and test sets.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

describe('hb.datasets.mnist(), the full set', () => {
  let train: hb.datasets.ImageSet;
  let test: hb.datasets.ImageSet;
  let loadMs = 0;
  beforeAll(async () => {
    const started = performance.now();
    ({ train, test } = await hb.datasets.mnist());
    loadMs = performance.now() - started;
  });

  it('images [N, 28, 28, 1] float32 and labels [N] int32, N = 60,000 / 10,000', () => {
    expect(train.images.shape).toEqual([60000, 28, 28, 1]);
    expect(train.images.dtype).toBe('float32');
    expect(train.labels.shape).toEqual([60000]);
    expect(train.labels.dtype).toBe('int32');
    expect(test.images.shape).toEqual([10000, 28, 28, 1]);
    expect(test.images.dtype).toBe('float32');
    expect(test.labels.shape).toEqual([10000]);
    expect(test.labels.dtype).toBe('int32');
    // generous: it takes well under a second on an idle machine
    expect(loadMs).toBeLessThan(20_000);
  });

  it('pixels are bytes / 255 in [0, 1]: min 0, max 1, mean 0.1307 and std 0.3081 over the training set', () => {
    const px = train.images.dataSync();
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < px.length; i++) {
      const v = px[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSq += v * v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const mean = sum / px.length;
    expect(mean).toBeCloseTo(0.1307, 4);
    expect(Math.sqrt(sumSq / px.length - mean * mean)).toBeCloseTo(0.3081, 4);
    // every value is a whole number of 255ths
    for (let i = 0; i < px.length; i += 997) expect(Math.abs(px[i] * 255 - Math.round(px[i] * 255))).toBeLessThan(1e-4);
    const tp = test.images.dataSync();
    expect(Math.min(...tp.subarray(0, 784 * 100))).toBe(0);
    expect(Math.max(...tp.subarray(0, 784 * 100))).toBe(1);
  });

  it('labels: the published first labels and per-class counts', () => {
    const tl = train.labels.dataSync();
    const el = test.labels.dataSync();
    expect(Array.from(tl.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(el.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const count = (ls: ArrayLike<number>): number[] => {
      const c = new Array<number>(10).fill(0);
      for (let i = 0; i < ls.length; i++) c[ls[i]] += 1;
      return c;
    };
    expect(count(tl)).toEqual(TRAIN_COUNTS);
    expect(count(el)).toEqual(TEST_COUNTS);
  });

  it('hb.oneHot(labels, 10): [N, 10], a single 1 per row, at the label', () => {
    const y = hb.oneHot(train.labels, 10);
    expect(y.shape).toEqual([60000, 10]);
    expect(y.dtype).toBe('float32');
    const v = y.dataSync();
    const labels = train.labels.dataSync();
    let bad = 0; // rows that are not exactly one 1 at the label and 0 elsewhere
    for (let i = 0; i < 60000; i++) {
      for (let k = 0; k < 10; k++) if (v[i * 10 + k] !== (k === labels[i] ? 1 : 0)) bad += 1;
    }
    expect(bad).toBe(0);
  });

  it('a second call gives equal tensors (the parsed files are cached)', async () => {
    const again = await hb.datasets.mnist();
    expect(Array.from(again.test.labels.dataSync())).toEqual(Array.from(test.labels.dataSync()));
    expect(Array.from(again.test.images.dataSync().subarray(0, 784 * 5))).toEqual(Array.from(test.images.dataSync().subarray(0, 784 * 5)));
  });
});

describe('hb.oneHot on small cases', () => {
  it('depth columns, rows of 0/1; int32 or integral values; batched indices keep their shape', () => {
    expect(hb.oneHot(hb.tensor([0, 2, 1], [3], 'int32'), 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(hb.oneHot(hb.tensor([[1], [0]], [2, 1], 'int32'), 2).shape).toEqual([2, 1, 2]);
    expect(hb.oneHot([3], 4).toArray()).toEqual([[0, 0, 0, 1]]);
  });

  it('feeds categoricalCrossentropy: one-hot targets give the same loss as sparse labels', () => {
    const p = hb.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
    const labels = hb.tensor([0, 2], [2], 'int32');
    const expected = -(Math.log(0.7) + Math.log(0.8)) / 2;
    expect(hb.losses.categoricalCrossentropy(hb.oneHot(labels, 3), p).item()).toBeCloseTo(expected, 6);
    expect(hb.losses.sparseCategoricalCrossentropy(labels, p).item()).toBeCloseTo(expected, 6);
  });
});

describe('hb.setBackend / hb.getBackend', () => {
  it("setBackend('cpu') then getBackend() is 'cpu'; each listed backend round-trips (async ones after hb.ready()); the previous one is restored", async () => {
    const previous = hb.getBackend();
    const names = hb.listBackends();
    expect(names).toContain('cpu');
    const probe = (): number[] => Array.from(hb.matmul(hb.tensor([[1, 2], [3, 4]]), hb.tensor([[5], [6]])).dataSync());
    try {
      hb.setBackend('cpu');
      expect(hb.getBackend()).toBe('cpu');
      expect(probe()).toEqual([17, 39]);
      for (const name of names) {
        const before = hb.getBackend();
        hb.setBackend(name);
        if (hb.getBackend() !== name) {
          // A backend that starts asynchronously (webgpu in Node): the previous one runs kernels until ready().
          expect(hb.getBackend()).toBe(before);
          expect(probe()).toEqual([17, 39]);
          try {
            await hb.ready();
          } catch (e) {
            // No adapter on this machine: the error says which backend, and backends() says why.
            expect(String(e)).toMatch(name);
            expect(hb.backends().find((b) => b.name === name)).toMatchObject({ available: false });
            hb.setBackend(before);
            continue;
          }
        }
        expect(hb.getBackend()).toBe(name);
        expect(probe()).toEqual([17, 39]);
      }
    } finally {
      hb.setBackend(previous);
    }
    expect(hb.getBackend()).toBe(previous);
  }, 60_000);

  it('an unknown backend is a ValueError naming the registered ones, and changes nothing', () => {
    const previous = hb.getBackend();
    expect(() => hb.setBackend('no-such-backend')).toThrow(hb.ValueError);
    expect(() => hb.setBackend('no-such-backend')).toThrow(/no-such-backend.*cpu/);
    expect(hb.getBackend()).toBe(previous);
  });

  it("a model trained on one backend predicts the same on 'cpu'", async () => {
    const previous = hb.getBackend();
    const m = hb.sequential([hb.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = hb.randomNormal([8, 4], { seed: 1 });
    await m.fit(x, hb.oneHot(hb.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32'), 3), { epochs: 2, batchSize: 4, verbose: 0 });
    const here = Array.from((m.predict(x) as hb.Tensor).dataSync());
    try {
      hb.setBackend('cpu');
      const onCpu = Array.from((m.predict(x) as hb.Tensor).dataSync());
      onCpu.forEach((v, i) => expect(v).toBeCloseTo(here[i], 5));
    } finally {
      hb.setBackend(previous);
    }
  });
});

describe('interop (API.md: hb.io.exportOnnx / hb.io.importOnnx)', () => {
  // As written; onnxruntime and PyTorch checks are in test/onnx/.
  it('await hb.io.exportOnnx(model, file); const m = await hb.io.importOnnx(file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-api-onnx-'));
    try {
      const model = hb.sequential([hb.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);
      const file = join(dir, 'model.onnx');
      await hb.io.exportOnnx(model, file);
      const m = await hb.io.importOnnx(file);
      const x = hb.tensor([[1, 2, 3, 4], [0, -1, 0.5, 2]]);
      const a = Array.from((model.predict(x) as hb.Tensor).dataSync());
      Array.from((m.predict(x) as hb.Tensor).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(a[i], 6));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
