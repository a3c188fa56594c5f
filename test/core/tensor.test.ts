// Tensors: creation and dtypes, reading values back, disposal and memory accounting, tidy()
// (sync, async, nested, concurrent, throwing), seeded randomness with its statistics, and the
// FinalizationRegistry that frees buffers nobody disposed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const buffers = (): number => hb.memory().buffers;

describe('creation and dtypes', () => {
  it('tensor() from nested arrays infers shape and float32', () => {
    const t = hb.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.rank).toBe(2);
    expect(t.size).toBe(6);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(hb.tensor([[[1], [2]]]).shape).toEqual([1, 2, 1]);
    expect(hb.tensor([]).shape).toEqual([0]);
    expect(hb.tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('tensor() from TypedArrays takes their dtype and copies the data', () => {
    const f64 = new Float64Array([1.5, 2.5]);
    const t = hb.tensor(f64);
    expect(t.dtype).toBe('float64');
    f64[0] = 99;
    expect(t.toArray()).toEqual([1.5, 2.5]);
    expect(hb.tensor(new Float32Array([1])).dtype).toBe('float32');
    expect(hb.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(hb.tensor(new Uint8Array([0, 3])).dtype).toBe('bool');
    expect(hb.tensor(new Uint8Array([0, 3])).toArray()).toEqual([false, true]);
    // A flat TypedArray with a shape.
    expect(hb.tensor(new Int32Array([1, 2, 3, 4, 5, 6]), [3, 2]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    // Nested arrays of TypedArrays.
    expect(hb.tensor([new Float32Array([1, 2]), new Float32Array([3, 4])]).shape).toEqual([2, 2]);
  });

  it('booleans give bool; a shape argument reshapes flat values; a dtype argument converts', () => {
    const b = hb.tensor([true, false, true]);
    expect(b.dtype).toBe('bool');
    expect(b.toArray()).toEqual([true, false, true]);
    expect(hb.tensor(true).shape).toEqual([]);
    expect(hb.tensor([1, 2, 3, 4], [2, 2]).toArray()).toEqual([[1, 2], [3, 4]]);
    // int32 truncates toward zero (as a C cast does); bool maps non-zero to true.
    expect(hb.tensor([1.7, -1.7, 2.5], undefined, 'int32').toArray()).toEqual([1, -1, 2]);
    expect(hb.tensor([0, 2, -0.5], undefined, 'bool').toArray()).toEqual([false, true, true]);
    expect(hb.tensor([0.1], undefined, 'float64').dataSync()[0]).toBe(0.1);
    // float32 rounds: 0.1 is not representable and becomes Math.fround(0.1).
    expect(hb.tensor([0.1]).dataSync()[0]).toBe(Math.fround(0.1));
    // A tensor from a tensor is a copy, optionally re-typed or re-shaped.
    const src = hb.tensor([1, 2, 3, 4]);
    const copy = hb.tensor(src, [2, 2], 'int32');
    expect(copy.dtype).toBe('int32');
    expect(copy.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('scalar, zeros, ones, full, eye', () => {
    expect(hb.scalar(3.5).shape).toEqual([]);
    expect(hb.scalar(3.5).toArray()).toBe(3.5);
    expect(hb.scalar(2, 'int32').dtype).toBe('int32');
    expect(hb.zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(hb.zeros([3], 'int32').dtype).toBe('int32');
    expect(hb.ones([2], 'float64').toArray()).toEqual([1, 1]);
    expect(hb.full([2, 1], 7).toArray()).toEqual([[7], [7]]);
    expect(hb.full([2], true).dtype).toBe('bool');
    expect(hb.full([2], 3, 'int32').dtype).toBe('int32');
    expect(hb.zeros([0, 4]).size).toBe(0);
    expect(hb.eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(hb.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it('arange with 1, 2 and 3 arguments, float and negative steps', () => {
    expect(hb.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(hb.arange(5).dtype).toBe('int32');
    expect(hb.arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(hb.arange(1, 10, 3).toArray()).toEqual([1, 4, 7]);
    expect(hb.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(hb.arange(3, 3).size).toBe(0);
    const f = hb.arange(0, 1, 0.25);
    expect(f.dtype).toBe('float32');
    expect(f.toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    // ⌈(0.3 − 0)/0.1⌉ = ⌈2.9999999999999996⌉ = 3 elements: 0, 0.1, 0.2 (as NumPy).
    expect(hb.arange(0, 0.3, 0.1).size).toBe(3);
    expect(hb.arange(0, 3, 1, 'float64').dtype).toBe('float64');
  });

  it('linspace includes both ends', () => {
    expect(hb.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(hb.linspace(-1, 1, 3).toArray()).toEqual([-1, 0, 1]);
    expect(hb.linspace(3, 7, 1).toArray()).toEqual([3]);
    expect(hb.linspace(0, 1, 0).size).toBe(0);
  });

  it('zerosLike, onesLike and fullLike keep shape and dtype', () => {
    const t = hb.tensor([[1, 2]], undefined, 'int32');
    for (const [made, value] of [[hb.zerosLike(t), 0], [hb.onesLike(t), 1], [hb.fullLike(t, 9), 9]] as const) {
      expect(made.shape).toEqual([1, 2]);
      expect(made.dtype).toBe('int32');
      expect(made.toArray()).toEqual([[value, value]]);
    }
  });
});

describe('reading values', () => {
  it('toArray, dataSync, data() and item', async () => {
    const t = hb.tensor([[1, 2], [3, 4]]);
    expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
    const flat = t.dataSync();
    expect(flat).toBeInstanceOf(Float32Array);
    expect(Array.from(flat)).toEqual([1, 2, 3, 4]);
    // dataSync returns a copy: writing to it does not change the tensor.
    flat[0] = 100;
    expect(t.dataSync()[0]).toBe(1);
    const viaPromise = await t.data();
    expect(Array.from(viaPromise)).toEqual([1, 2, 3, 4]);
    expect(hb.scalar(5).item()).toBe(5);
    expect(hb.tensor([[7]]).item()).toBe(7);
    expect(hb.tensor([true]).item()).toBe(1);
    expect(hb.tensor([1, 2], undefined, 'int32').dataSync()).toBeInstanceOf(Int32Array);
    expect(hb.tensor([true]).dataSync()).toBeInstanceOf(Uint8Array);
    expect(hb.ones([2], 'float64').dataSync()).toBeInstanceOf(Float64Array);
    expect(String(hb.tensor([1, 2]))).toContain('[2]');
  });

  it('methods read like the functions', () => {
    const a = hb.tensor([[1, -2], [3, -4]]);
    expect(a.add(1).relu().sum().item()).toBe(2 + 0 + 4 + 0);
    expect(a.matmul(hb.eye(2)).toArray()).toEqual(a.toArray());
    expect(a.reshape([4]).abs().max().item()).toBe(4);
    expect(a.transpose().toArray()).toEqual([[1, 3], [-2, -4]]);
  });
});

describe('dispose, isDisposed and hb.memory()', () => {
  it('creating a tensor adds one buffer of size × bytes-per-element; dispose frees it', () => {
    const before = hb.memory();
    expect(before.backend).toBe(hb.getBackend());
    const t = hb.zeros([10], 'float64');
    expect(hb.memory().buffers).toBe(before.buffers + 1);
    expect(hb.memory().bytes).toBe(before.bytes + 80);
    const u = hb.zeros([3, 4], 'bool');
    expect(hb.memory().bytes).toBe(before.bytes + 80 + 12);
    t.dispose();
    u.dispose();
    expect(hb.memory()).toEqual(before);
  });

  it('a disposed tensor reports isDisposed and throws ValueError when used; dispose twice is harmless', () => {
    const t = hb.ones([2]);
    expect(t.isDisposed).toBe(false);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    t.dispose();
    expect(() => t.dataSync()).toThrow(hb.ValueError);
    expect(() => hb.add(t, 1)).toThrow(hb.ValueError);
    expect(() => t.sum()).toThrow(/disposed/);
    expect(String(t)).toContain('disposed');
  });

  it('a reshape view shares the buffer and keeps it alive until both are disposed', () => {
    const before = buffers();
    const a = hb.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const v = hb.reshape(a, [3, 2]);
    expect(buffers()).toBe(before + 1); // no copy
    a.dispose();
    expect(a.isDisposed).toBe(true);
    expect(v.isDisposed).toBe(false);
    expect(v.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(buffers()).toBe(before + 1);
    v.dispose();
    expect(buffers()).toBe(before);
  });

  it('hb.dispose releases lists of tensors', () => {
    const before = buffers();
    const ts = [hb.ones([2]), hb.ones([3])];
    const single = hb.ones([1]);
    hb.dispose(ts, single, null, undefined);
    expect(buffers()).toBe(before);
    expect(ts.every((t) => t.isDisposed)).toBe(true);
  });
});

describe('tidy', () => {
  it('frees intermediates and keeps the result (sync)', () => {
    const before = buffers();
    let inner: hb.Tensor[] = [];
    const y = hb.tidy(() => {
      const a = hb.ones([4]);
      const b = hb.mul(a, 2);
      inner = [a, b];
      return hb.add(b, 1);
    });
    expect(inner.every((t) => t.isDisposed)).toBe(true);
    expect(y.isDisposed).toBe(false);
    expect(y.toArray()).toEqual([3, 3, 3, 3]);
    expect(buffers()).toBe(before + 1);
    y.dispose();
    expect(buffers()).toBe(before);
  });

  it('keeps tensors returned in arrays and objects, and tensors created before it', () => {
    const outside = hb.ones([2]);
    const result = hb.tidy(() => {
      const t = hb.add(outside, 1);
      return { list: [t, hb.neg(t)], n: 3, nested: { m: hb.square(t) } };
    });
    expect(outside.isDisposed).toBe(false);
    expect(result.list.map((t) => t.isDisposed)).toEqual([false, false]);
    expect(result.nested.m.toArray()).toEqual([4, 4]);
  });

  it('nests: an inner result belongs to the outer scope, which frees it unless returned', () => {
    let innerResult: hb.Tensor | null = null;
    let innerTemp: hb.Tensor | null = null;
    const out = hb.tidy(() => {
      innerResult = hb.tidy(() => {
        innerTemp = hb.ones([2]);
        return hb.add(innerTemp, 1);
      });
      expect(innerTemp!.isDisposed).toBe(true);
      expect(innerResult.isDisposed).toBe(false);
      return hb.mul(innerResult, 3);
    });
    expect(innerResult!.isDisposed).toBe(true);
    expect(out.toArray()).toEqual([6, 6]);
  });

  it('keep() exempts a tensor from every enclosing tidy', () => {
    let kept: hb.Tensor | null = null;
    hb.tidy(() => {
      hb.tidy(() => {
        kept = hb.keep(hb.ones([3]));
        hb.ones([3]);
      });
      return undefined;
    });
    expect(kept!.isDisposed).toBe(false);
    expect(kept!.sum().item()).toBe(3);
  });

  it('frees its tensors when the function throws', () => {
    const before = buffers();
    let temp: hb.Tensor | null = null;
    expect(() => hb.tidy(() => {
      temp = hb.ones([5]);
      hb.matmul(hb.ones([2, 3]), hb.ones([4, 5]));
    })).toThrow(hb.ShapeError);
    expect(temp!.isDisposed).toBe(true);
    // The matmul failed in its shape check, before allocating anything.
    expect(buffers()).toBe(before);
  });

  it('works with async functions: intermediates freed after the promise settles, result kept', async () => {
    let temp: hb.Tensor | null = null;
    const pending = hb.tidy(async () => {
      temp = hb.ones([3]);
      await delay(5);
      const t = hb.add(temp, 1);
      await delay(5);
      // Still alive across the awaits: the scope has not closed yet.
      expect(temp.isDisposed).toBe(false);
      return hb.mul(t, 2);
    });
    expect(temp!.isDisposed).toBe(false);
    const y = await pending;
    expect(temp!.isDisposed).toBe(true);
    expect(y.isDisposed).toBe(false);
    expect(y.toArray()).toEqual([4, 4, 4]);
  });

  it('two concurrent async tidies do not dispose each other\'s tensors', async () => {
    const made: { a: hb.Tensor[]; b: hb.Tensor[] } = { a: [], b: [] };
    const slow = hb.tidy(async () => {
      const x = hb.ones([2]);
      made.a.push(x);
      await delay(30); // the fast tidy starts and finishes in here
      expect(x.isDisposed).toBe(false);
      const y = hb.add(x, 10);
      made.a.push(y);
      await delay(5);
      return hb.mul(y, 2);
    });
    const fast = hb.tidy(async () => {
      await delay(5);
      const u = hb.full([2], 5);
      made.b.push(u);
      await delay(5);
      return hb.neg(u);
    });
    const fastResult = await fast;
    // The fast scope closed: its own temporaries are gone, the slow scope's are untouched.
    expect(made.b.every((t) => t.isDisposed)).toBe(true);
    expect(made.a.every((t) => !t.isDisposed)).toBe(true);
    expect(fastResult.toArray()).toEqual([-5, -5]);
    const slowResult = await slow;
    expect(made.a.every((t) => t.isDisposed)).toBe(true);
    expect(slowResult.toArray()).toEqual([22, 22]);
    expect(fastResult.isDisposed).toBe(false);
  });

  it('frees its tensors when the async function rejects', async () => {
    let temp: hb.Tensor | null = null;
    await expect(hb.tidy(async () => {
      temp = hb.ones([2]);
      await delay(1);
      throw new hb.ValueError('test: deliberate failure');
    })).rejects.toThrow('deliberate');
    expect(temp!.isDisposed).toBe(true);
  });
});

describe('seeded randomness', () => {
  it('setSeed(n) makes the global generator repeat exactly', () => {
    hb.setSeed(123);
    const a = hb.randomNormal([50]).dataSync();
    const u = hb.randomUniform([5]).dataSync();
    hb.setSeed(123);
    expect(hb.randomNormal([50]).dataSync()).toEqual(a);
    expect(hb.randomUniform([5]).dataSync()).toEqual(u);
    hb.setSeed(124);
    expect(hb.randomNormal([50]).dataSync()).not.toEqual(a);
  });

  it('a per-call seed is independent of the global state and does not advance it', () => {
    const s1 = hb.randomNormal([20], { seed: 7 }).dataSync();
    hb.setSeed(1);
    hb.randomNormal([13]);
    const s2 = hb.randomNormal([20], { seed: 7 }).dataSync();
    expect(s2).toEqual(s1);
    expect(hb.randomNormal([20], { seed: 8 }).dataSync()).not.toEqual(s1);
    // The seeded call in between leaves the global sequence where it was.
    hb.setSeed(5);
    const g1 = hb.randomNormal([4]).dataSync();
    hb.setSeed(5);
    hb.randomUniform([9], { seed: 99 });
    expect(hb.randomNormal([4]).dataSync()).toEqual(g1);
  });

  it('randomNormal on 10,000 samples has the requested mean and std', () => {
    // Standard errors: mean σ/√n = 3/100 = 0.03; std ≈ σ/√(2n) ≈ 0.021. Allow five of them.
    const x = Array.from(hb.randomNormal([10_000], { mean: 2, std: 3, seed: 11, dtype: 'float64' }).dataSync());
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
    expect(Math.abs(mean - 2)).toBeLessThan(0.15);
    expect(Math.abs(std - 3)).toBeLessThan(0.1);
    // About 68.3 % within one std (binomial s.e. √(0.683·0.317/10⁴) ≈ 0.0047).
    const within = x.filter((v) => Math.abs(v - 2) < 3).length / x.length;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.025);
  });

  it('randomUniform stays in [min, max) with mean (min + max)/2', () => {
    // s.e. of the mean: (max − min)/√12/√n = 4/3.464/100 ≈ 0.0115.
    const x = Array.from(hb.randomUniform([10_000], { min: -1, max: 3, seed: 4 }).dataSync());
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThan(3);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.06);
    // Each quarter of the range holds about 2500 samples (s.e. √(10⁴·0.25·0.75) ≈ 43).
    for (let q = 0; q < 4; q++) {
      const n = x.filter((v) => v >= -1 + q && v < q).length;
      expect(Math.abs(n - 2500)).toBeLessThan(220);
    }
  });

  it('truncatedNormal stays within two std of the mean, with the truncated std 0.8796·σ', () => {
    // Var of N(0,1) cut at ±2: 1 − 2·2·φ(2)/(Φ(2) − Φ(−2)) = 1 − 4·0.053991/0.954500 = 0.773741 → std 0.87963.
    const x = Array.from(hb.truncatedNormal([10_000], { mean: 1, std: 2, seed: 5, dtype: 'float64' }).dataSync());
    expect(x.every((v) => Math.abs(v - 1) <= 4)).toBe(true);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
    expect(Math.abs(mean - 1)).toBeLessThan(0.1);
    expect(Math.abs(std - 2 * 0.87963)).toBeLessThan(0.07);
  });

  it('randomInt draws integers in [min, max)', () => {
    const x = hb.randomInt([1000], 3, 7, { seed: 2 });
    expect(x.dtype).toBe('int32');
    const v = Array.from(x.dataSync());
    expect(new Set(v)).toEqual(new Set([3, 4, 5, 6]));
  });
});

describe('buffers of tensors nobody disposed are freed by garbage collection', () => {
  // vitest's workers do not run with --expose-gc, so a child Node process (tsx as its loader)
  // creates tensors in a loop without disposing them, forces collection, and reports
  // hb.memory() after each round. FinalizationRegistry callbacks run after gc(), between tasks.
  it('memory stays flat over many rounds of undisposed tensors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-gc-'));
    try {
      const script = join(dir, 'leak.mts');
      writeFileSync(script, [
        `import * as hb from ${JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href)};`,
        'const gc = (globalThis as { gc?: () => void }).gc;',
        "if (!gc) throw new Error('run with --expose-gc');",
        'const settle = async () => { for (let k = 0; k < 3; k++) { gc(); await new Promise((r) => setTimeout(r, 0)); } };',
        'await settle();',
        'const before = hb.memory().buffers;',
        'const peaks: number[] = [];',
        'const after: number[] = [];',
        'for (let round = 0; round < 5; round++) {',
        '  for (let i = 0; i < 2000; i++) hb.relu(hb.add(hb.ones([64]), i));',
        '  peaks.push(hb.memory().buffers);',
        '  await settle();',
        '  after.push(hb.memory().buffers);',
        '}',
        'console.log(JSON.stringify({ before, peaks, after }));',
      ].join('\n'));
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      const { before, peaks, after } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { before: number; peaks: number[]; after: number[] };
      // Each round makes 2000 × (ones, scalar, add, comparison, relu, …) ≥ 6000 buffers; after
      // collection the count is back near where it started, round after round.
      expect(Math.max(...peaks)).toBeGreaterThan(before);
      for (const a of after) expect(a - before).toBeLessThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
