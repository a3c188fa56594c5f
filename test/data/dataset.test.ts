import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const { fromTensors, fromArrays } = hb.data;

/** x row i is [i, 10 i], y[i] = i: every element says which source row it came from. */
function numbered(n: number) {
  const x = hb.tensor(Float32Array.from({ length: 2 * n }, (_, j) => (j % 2 ? 10 : 1) * Math.floor(j / 2)), [n, 2]);
  const y = hb.tensor(Int32Array.from({ length: n }, (_, i) => i), [n]);
  return { x, y };
}

const ys = (ds: Iterable<{ readonly y: hb.Tensor }>): number[][] => [...ds].map(({ y }) => Array.from(y.dataSync()));

describe('Dataset basics', () => {
  it('yields rows of every tensor along axis 0', () => {
    const ds = fromTensors(numbered(3));
    expect(ds.size).toBe(3);
    const els = ds.toArray();
    expect(els.map(({ x, y }) => [x.shape, x.toArray(), y.dtype, y.toArray()])).toEqual([
      [[2], [0, 0], 'int32', 0],
      [[2], [1, 10], 'int32', 1],
      [[2], [2, 20], 'int32', 2],
    ]);
  });

  it('takes a single tensor or an array of tensors too', () => {
    const t = hb.tensor([[1, 2], [3, 4], [5, 6]]);
    expect(fromTensors(t).batch(2).toArray().map((b) => b.toArray())).toEqual([[[1, 2], [3, 4]], [[5, 6]]]);
    const pairs = fromTensors([t, hb.tensor([7, 8, 9])]).toArray();
    expect(pairs[2].map((p) => p.toArray())).toEqual([[5, 6], 9]);
  });

  it('fromArrays converts plain values (typed arrays keep their dtype)', () => {
    const ds = fromArrays({ x: [[1, 2], [3, 4]], y: Int32Array.of(7, 8) });
    const [a, b] = ds.toArray();
    expect([a.x.dtype, a.x.toArray(), b.y.dtype, b.y.toArray()]).toEqual(['float32', [1, 2], 'int32', 8]);
    expect(fromArrays([5, 6, 7]).toArray().map((t) => t.item())).toEqual([5, 6, 7]);
  });

  it('batches with and without the remainder', () => {
    const ds = fromTensors(numbered(7));
    const b = ds.batch(3);
    expect(b.size).toBe(3);
    expect(ys(b)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(b.toArray()[0].x.toArray()).toEqual([[0, 0], [1, 10], [2, 20]]);
    const d = ds.batch(3, { dropRemainder: true });
    expect([d.size, ys(d)]).toEqual([2, [[0, 1, 2], [3, 4, 5]]]);
    // a batch of batches: axis 0 and 1 are both batch axes
    const bb = ds.batch(2).take(3).batch(3);
    expect(bb.toArray()[0].x.shape).toEqual([3, 2, 2]);
  });

  it('take, skip and repeat count and order elements', () => {
    const ds = fromTensors(numbered(5));
    expect([ds.take(2).size, ys(ds.take(2))]).toEqual([2, [[0], [1]]]);
    expect([ds.skip(3).size, ys(ds.skip(3))]).toEqual([2, [[3], [4]]]);
    expect([ds.skip(9).size, ys(ds.skip(9))]).toEqual([0, []]);
    expect([ds.take(0).size, ys(ds.take(0))]).toEqual([0, []]);
    const r = ds.take(2).repeat(3);
    expect([r.size, ys(r).flat()]).toEqual([6, [0, 1, 0, 1, 0, 1]]);
    expect(ds.repeat().size).toBe(Infinity);
    expect(ys(ds.repeat().skip(4).take(3)).flat()).toEqual([4, 0, 1]);
    expect(ds.take(0).repeat().toArray()).toEqual([]); // empty forever ends at once
    expect(ds.batch(2).repeat(2).size).toBe(6);
  });

  it('map transforms elements and batches its results by stacking', () => {
    const ds = fromTensors(numbered(5)).map(({ x, y }) => ({ x: hb.mul(x, 2), y }));
    expect(ds.size).toBe(5);
    const [first] = ds.batch(2).toArray();
    expect(first.x.toArray()).toEqual([[0, 0], [2, 20]]);
    expect(first.y.toArray()).toEqual([0, 1]);
    const single = fromTensors(numbered(3).y).map((y) => hb.add(y, 100)).batch(2).toArray();
    expect(single.map((t) => t.toArray())).toEqual([[100, 101], [102]]);
  });

  it('iterates asynchronously with for await', async () => {
    const seen: number[][] = [];
    for await (const { x, y } of fromTensors(numbered(5)).batch(2)) {
      expect(x.shape[0]).toBe(y.shape[0]);
      seen.push(Array.from(y.dataSync()));
    }
    expect(seen).toEqual([[0, 1], [2, 3], [4]]);
  });
});

describe('Dataset.shuffle', () => {
  const sorted = (a: number[]) => [...a].sort((p, q) => p - q);

  it('is a permutation that keeps x and y rows together', () => {
    const ds = fromTensors(numbered(50)).shuffle({ seed: 3 }).batch(8);
    const order: number[] = [];
    for (const { x, y } of ds) {
      const yv = Array.from(y.dataSync());
      expect(x.toArray()).toEqual(yv.map((i) => [i, 10 * i]));
      order.push(...yv);
    }
    expect(sorted(order)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).not.toEqual(sorted(order));
  });

  it('is reproducible for a seed, differs between seeds, and reshuffles each pass', () => {
    const epochs = (seed: number, opts = {}) => {
      const ds = fromTensors(numbered(20)).shuffle({ seed, ...opts });
      return [ys(ds).flat(), ys(ds).flat()];
    };
    const [a1, a2] = epochs(7);
    const [b1, b2] = epochs(7);
    expect([b1, b2]).toEqual([a1, a2]);
    expect(a2).not.toEqual(a1);
    expect(epochs(8)[0]).not.toEqual(a1);
    const [c1, c2] = epochs(7, { reshuffleEachIteration: false });
    expect(c2).toEqual(c1);
    // repeat after shuffle: every pass is a new permutation
    const passes = ys(fromTensors(numbered(10)).shuffle({ seed: 1 }).repeat(2)).flat();
    expect(sorted(passes.slice(0, 10))).toEqual(sorted(passes.slice(10)));
    expect(passes.slice(0, 10)).not.toEqual(passes.slice(10));
  });

  it('without a seed follows hb.setSeed', () => {
    hb.setSeed(11);
    const a = ys(fromTensors(numbered(20)).shuffle()).flat();
    hb.setSeed(11);
    expect(ys(fromTensors(numbered(20)).shuffle()).flat()).toEqual(a);
  });

  it('puts every element first about equally often (a uniform shuffle)', () => {
    const ds = fromTensors(numbered(4)).shuffle({ seed: 5 });
    const firsts = [0, 0, 0, 0];
    for (let epoch = 0; epoch < 4000; epoch++) firsts[ys(ds.take(1))[0][0]]++;
    for (const c of firsts) expect(Math.abs(c - 1000)).toBeLessThan(120); // ~4 standard deviations
  });

  it('with a small buffer only moves elements a bounded distance ahead', () => {
    const order = ys(fromTensors(numbered(30)).shuffle({ seed: 2, bufferSize: 3 })).flat();
    expect(sorted(order)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    order.forEach((v, pos) => expect(v).toBeLessThanOrEqual(pos + 2));
  });
});

describe('Dataset errors', () => {
  it('rejects mismatched or non-tensor sources', () => {
    expect(() => fromTensors({ x: hb.zeros([3, 2]), y: hb.zeros([4]) })).toThrow(hb.ShapeError);
    expect(() => fromTensors({ x: hb.zeros([3, 2]), y: hb.zeros([4]) })).toThrow(/tensor y is \[4\] and the first has 3 rows/);
    expect(() => fromTensors(hb.scalar(1))).toThrow(/scalar/);
    expect(() => fromTensors({})).toThrow(hb.ValueError);
    expect(() => fromTensors({ x: [1, 2] as unknown as hb.Tensor })).toThrow(/tensor x is not a Tensor/);
    expect(() => fromArrays({ x: [[1, 2], [3]] })).toThrow(/fromArrays: cannot make a tensor of x/);
  });

  it('rejects bad counts and options', () => {
    const ds = fromTensors(numbered(3));
    expect(() => ds.batch(0)).toThrow(/Dataset.batch: batchSize must be a positive integer, got 0/);
    expect(() => ds.take(-1)).toThrow(hb.ValueError);
    expect(() => ds.skip(1.5)).toThrow(hb.ValueError);
    expect(() => ds.repeat(-2)).toThrow(hb.ValueError);
    expect(() => ds.shuffle({ bufferSize: 0 })).toThrow(hb.ValueError);
    expect(() => ds.repeat().shuffle()).toThrow(/infinite/);
    expect(() => ds.repeat().toArray()).toThrow(/infinite/);
    expect(() => ds.map(3 as never)).toThrow(hb.ValueError);
  });
});
