// Graph convolution against plain-JS references: the renormalised adjacency
// D̃^{-1/2}(A + I)D̃^{-1/2} and Â X W + b, single and batched.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const close = (got: number[], want: number[], tol = 1e-10) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => expect(Math.abs(g - want[k])).toBeLessThan(tol));
};

function refNormalize(a: number[][]): number[][] {
  const t = a.map((row, i) => row.map((x, j) => x + (i === j ? 1 : 0)));
  const d = t.map((row) => row.reduce((p, q) => p + q, 0));
  return t.map((row, i) => row.map((x, j) => x / Math.sqrt(d[i] * d[j])));
}

const matmulJs = (a: number[][], b: number[][]) => a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));

describe('layers.normalizeAdjacency', () => {
  it('is D̃^{-1/2}(A + I)D̃^{-1/2}: a path 0–1–2 by hand', () => {
    const a = [[0, 1, 0], [1, 0, 1], [0, 1, 0]];
    const got = hb.layers.normalizeAdjacency(hb.tensor(a, undefined, 'float64'));
    // degrees with self-loops: 2, 3, 2
    const want = [[1 / 2, 1 / Math.sqrt(6), 0], [1 / Math.sqrt(6), 1 / 3, 1 / Math.sqrt(6)], [0, 1 / Math.sqrt(6), 1 / 2]];
    close(Array.from(got.dataSync()), want.flat());
    close(want.flat(), refNormalize(a).flat());
  });

  it('normalises each graph of a batch, and rejects a non-square adjacency', () => {
    const graphs = [[[0, 1], [1, 0]], [[0, 2], [2, 0]]];
    const got = hb.layers.normalizeAdjacency(hb.tensor(graphs, undefined, 'float64'));
    close(Array.from(got.dataSync()), graphs.flatMap((g) => refNormalize(g).flat()));
    expect(() => hb.layers.normalizeAdjacency(hb.zeros([2, 3]))).toThrow(hb.ShapeError);
  });
});

describe('layers.graphConv', () => {
  it('computes Â X W + b (single graph) and applies the activation', () => {
    const layer = hb.layers.graphConv({ units: 2, activation: 'relu', dtype: 'float64', biasInitializer: hb.initializers.constant(0.1) });
    const x = hb.randomNormal([4, 3], { seed: 2, dtype: 'float64' });
    const a = hb.layers.normalizeAdjacency(hb.tensor([[0, 1, 1, 0], [1, 0, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0]], undefined, 'float64'));
    const y = layer.apply([x, a]) as hb.Tensor;
    const [kernel, bias] = layer.getWeights();
    const b = bias.toArray() as number[];
    const want = matmulJs(a.toArray() as number[][], matmulJs(x.toArray() as number[][], kernel.toArray() as number[][])).map((row) => row.map((v, j) => Math.max(0, v + b[j])));
    close(Array.from(y.dataSync()), want.flat());
  });

  it('handles a batch of graphs [B, N, F] with [B, N, N], and names the layer on bad shapes', () => {
    const layer = hb.layers.graphConv({ units: 2, useBias: false, dtype: 'float64' });
    const x = hb.randomNormal([2, 3, 2], { seed: 4, dtype: 'float64' });
    const a = hb.randomUniform([2, 3, 3], { seed: 5, dtype: 'float64' });
    const y = layer.apply([x, a]) as hb.Tensor;
    const w = layer.getWeights()[0].toArray() as number[][];
    const xs = x.toArray() as number[][][];
    const as = a.toArray() as number[][][];
    close(Array.from(y.dataSync()), xs.flatMap((xb, k) => matmulJs(as[k], matmulJs(xb, w)).flat()));
    expect(() => layer.apply([x, hb.zeros([2, 4, 4], 'float64')])).toThrow(/GraphConv/);
    expect(() => hb.layers.graphConv({ units: 2 }).apply(x)).toThrow(/two inputs/);
  });
});
