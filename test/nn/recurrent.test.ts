// Recurrent layers against plain-JS references of each recurrence (independent of hb: loops
// over number arrays with Keras's formulas), the Bidirectional and TimeDistributed wrappers
// against their definitions, backpropagation through time (vanishing gradients with small
// recurrent weights, clipNorm taming exploding ones), and small learning tasks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { addv, lstmStep, type Mat, part, sigmoid, vecMat } from '../util/reference.js';

const L = hb.layers;

/** Row vector v [a] times matrix m [a, b]. */

/** Run `step` over each sample's sequence; returns the last h per sample or all of them. */
function runRef(x: number[][][], units: number, states: number, step: (xt: number[], s: number[][]) => number[][], seq: boolean, backwards = false): number[][] | number[][][] {
  return x.map((sample) => {
    let s = Array.from({ length: states }, () => new Array<number>(units).fill(0));
    const order = backwards ? [...sample].reverse() : sample;
    const outs: number[][] = [];
    for (const xt of order) {
      s = step(xt, s);
      outs.push(s[0]);
    }
    return seq ? outs : s[0];
  }) as number[][] | number[][][];
}

function simpleRef(x: number[][][], k: Mat, r: Mat, b: number[], seq: boolean, backwards = false) {
  return runRef(x, b.length, 1, (xt, [h]) => [addv(addv(vecMat(xt, k), vecMat(h, r)), b).map(Math.tanh)], seq, backwards);
}

function lstmRef(x: number[][][], k: Mat, r: Mat, b: number[], seq: boolean) {
  const u = b.length / 4;
  return runRef(x, u, 2, (xt, [h, c]) => {
    return lstmStep(xt, h, c, k, r, b);
  }, seq);
}

/** Keras GRU, reset_after = true: bias [2, 3u] (input, recurrent). */
function gruRefAfter(x: number[][][], k: Mat, r: Mat, b: Mat, seq: boolean) {
  const u = b[0].length / 3;
  return runRef(x, u, 1, (xt, [h]) => {
    const mx = addv(vecMat(xt, k), b[0]);
    const mh = addv(vecMat(h, r), b[1]);
    const z = addv(part(mx, 0, u), part(mh, 0, u)).map(sigmoid);
    const rr = addv(part(mx, 1, u), part(mh, 1, u)).map(sigmoid);
    const hh = part(mx, 2, u).map((v, j) => Math.tanh(v + rr[j] * part(mh, 2, u)[j]));
    return [h.map((hj, j) => z[j] * hj + (1 - z[j]) * hh[j])];
  }, seq);
}

/** Keras GRU, reset_after = false: bias [3u]; h̃ = tanh(x·K_h + (r⊙h)·R_h + b_h). */
function gruRefBefore(x: number[][][], k: Mat, r: Mat, b: number[], seq: boolean) {
  const u = b.length / 3;
  const cols = (m: Mat, p: number): Mat => m.map((row) => part(row, p, u));
  return runRef(x, u, 1, (xt, [h]) => {
    const mx = addv(vecMat(xt, k), b);
    const z = addv(part(mx, 0, u), vecMat(h, cols(r, 0))).map(sigmoid);
    const rr = addv(part(mx, 1, u), vecMat(h, cols(r, 1))).map(sigmoid);
    const rh = h.map((hj, j) => rr[j] * hj);
    const hh = addv(part(mx, 2, u), vecMat(rh, cols(r, 2))).map(Math.tanh);
    return [h.map((hj, j) => z[j] * hj + (1 - z[j]) * hh[j])];
  }, seq);
}

const seeded = (seed: number) => hb.initializers.randomNormal({ stddev: 0.7, seed });
const X = () => hb.randomNormal([2, 4, 3], { seed: 11, dtype: 'float64' });
const arr = (t: hb.Tensor) => t.toArray() as never;

function expectClose(actual: unknown, expected: unknown, tol = 1e-12): void {
  const a = (actual as number[]).flat(3) as number[];
  const e = (expected as number[]).flat(3) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(Math.abs(v - e[i])).toBeLessThan(tol));
}

describe('recurrences match plain-JS references (float64)', () => {
  const init = { kernelInitializer: seeded(1), recurrentInitializer: seeded(2), biasInitializer: seeded(3), dtype: 'float64' as const };

  for (const seq of [false, true]) {
    it(`simpleRNN (returnSequences ${seq}), and goBackwards`, () => {
      const x = X();
      const layer = L.simpleRNN({ ...init, units: 5, returnSequences: seq });
      const y = layer.apply(x);
      const [k, r, b] = layer.getWeights().map(arr);
      expect(y.shape).toEqual(seq ? [2, 4, 5] : [2, 5]);
      expectClose(y.toArray(), simpleRef(x.toArray() as never, k, r, b, seq));
      const back = L.simpleRNN({ ...init, units: 5, returnSequences: seq, goBackwards: true });
      back.apply(x);
      back.setWeights(layer.getWeights());
      expectClose(back.apply(x).toArray(), simpleRef(x.toArray() as never, k, r, b, seq, true));
    });

    it(`lstm (returnSequences ${seq})`, () => {
      const x = X();
      const layer = L.lstm({ ...init, units: 3, returnSequences: seq });
      const y = layer.apply(x);
      const [k, r, b] = layer.getWeights().map(arr);
      expect(y.shape).toEqual(seq ? [2, 4, 3] : [2, 3]);
      expectClose(y.toArray(), lstmRef(x.toArray() as never, k, r, b, seq));
    });

    it(`gru resetAfter true and false (returnSequences ${seq})`, () => {
      const x = X();
      const after = L.gru({ ...init, units: 3, returnSequences: seq });
      const ya = after.apply(x);
      const [k, r, b] = after.getWeights().map(arr);
      expect((b as Mat).length).toBe(2);
      expectClose(ya.toArray(), gruRefAfter(x.toArray() as never, k, r, b, seq));
      const before = L.gru({ ...init, units: 3, returnSequences: seq, resetAfter: false });
      const yb = before.apply(x);
      const [k2, r2, b2] = before.getWeights().map(arr);
      expectClose(yb.toArray(), gruRefBefore(x.toArray() as never, k2, r2, b2, seq));
    });
  }

  it('weight shapes and defaults follow Keras (LSTM unitForgetBias, GRU bias [2, 3u])', () => {
    const x = hb.zeros([1, 2, 4]);
    const rnn = L.simpleRNN({ units: 3 });
    rnn.apply(x);
    expect(rnn.weights.map((w) => w.shape)).toEqual([[4, 3], [3, 3], [3]]);
    const lstm = L.lstm({ units: 2 });
    lstm.apply(x);
    expect(lstm.weights.map((w) => w.shape)).toEqual([[4, 8], [2, 8], [8]]);
    expect(Array.from(lstm.weights[2].value.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const noForget = L.lstm({ units: 2, unitForgetBias: false });
    noForget.apply(x);
    expect(Array.from(noForget.weights[2].value.dataSync())).toEqual(new Array(8).fill(0));
    // orthogonal recurrent kernel: RᵀR = I
    const r = lstm.weights[1].value; // [2, 8]: rows orthonormal
    expectClose(hb.matmul(r, r, false, true).toArray(), [[1, 0], [0, 1]], 1e-5);
    const gru = L.gru({ units: 2 });
    gru.apply(x);
    expect(gru.weights.map((w) => w.shape)).toEqual([[4, 6], [2, 6], [2, 6]]);
  });

  it('rejects inputs that are not [N, T, F] and bad arguments', () => {
    expect(() => L.lstm({ units: 2 }).apply(hb.zeros([2, 3]))).toThrow(/rank 3/);
    expect(() => L.gru({ units: 0 })).toThrow(/units/);
    expect(() => L.bidirectional({ layer: L.dense({ units: 2 }) })).toThrow(/recurrent layer/);
    expect(() => L.bidirectional({ layer: L.lstm({ units: 2 }), mergeMode: 'max' as never })).toThrow(/mergeMode/);
  });
});

describe('wrappers', () => {
  it('bidirectional = merge(forward(x), reverse_t(backward(x))) with Keras semantics', () => {
    const x = X();
    for (const seq of [false, true]) {
      const inner = L.simpleRNN({ units: 2, returnSequences: seq, dtype: 'float64', biasInitializer: seeded(5) });
      const bi = L.bidirectional({ layer: inner, dtype: 'float64' });
      const y = bi.apply(x);
      expect(bi.weights.length).toBe(6);
      const [kf, rf, bf, kb, rb, bb] = bi.getWeights().map(arr);
      const xs = x.toArray() as never;
      const fwd = simpleRef(xs, kf, rf, bf, seq) as number[][][];
      let bwd = simpleRef(xs, kb, rb, bb, seq, true) as number[][][];
      if (seq) bwd = bwd.map((s) => [...s].reverse()); // back into time order
      const expected = seq
        ? fwd.map((s, n) => s.map((h, t) => [...h, ...bwd[n][t]]))
        : (fwd as unknown as number[][]).map((h, n) => [...h, ...(bwd as unknown as number[][])[n]]);
      expectClose(y.toArray(), expected);
    }
  });

  it('bidirectional merge modes sum, mul, ave', () => {
    const x = X();
    const base = L.bidirectional({ layer: L.gru({ units: 2, dtype: 'float64' }), dtype: 'float64' });
    base.apply(x);
    const f = base.forwardLayer.apply(x);
    const b = base.backwardLayer.apply(x);
    const expected = { sum: hb.add(f, b), mul: hb.mul(f, b), ave: hb.mul(hb.add(f, b), 0.5) };
    for (const mode of ['sum', 'mul', 'ave'] as const) {
      const bi = L.bidirectional({ layer: L.gru({ units: 2, dtype: 'float64' }), mergeMode: mode, dtype: 'float64' });
      bi.apply(x);
      bi.setWeights(base.getWeights());
      expectClose(bi.apply(x).toArray(), expected[mode].toArray());
    }
  });

  it('timeDistributed(dense) equals dense on every step', () => {
    const x = X();
    const dense = L.dense({ units: 4, dtype: 'float64' });
    const td = L.timeDistributed({ layer: dense, dtype: 'float64' });
    const y = td.apply(x);
    expect(y.shape).toEqual([2, 4, 4]);
    const [k, b] = dense.getWeights().map(arr);
    const xs = x.toArray() as number[][][];
    expectClose(y.toArray(), xs.map((s) => s.map((v) => addv(vecMat(v, k), b))));
  });

  it('stacked and bidirectional LSTMs build in a functional model and predict', () => {
    const inp = hb.input({ shape: [null, 3] });
    const h1 = L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }) }).apply(inp);
    expect(h1.shape).toEqual([null, null, 8]);
    const h2 = L.lstm({ units: 2 }).apply(h1);
    const out = L.dense({ units: 1 }).apply(h2);
    const m = hb.model({ inputs: inp, outputs: out });
    const x = hb.randomNormal([2, 5, 3], { seed: 1 });
    const y = m.predict(x) as hb.Tensor;
    expect(y.shape).toEqual([2, 1]);
    expect(m.countParams()).toBe(2 * 4 * (3 * 4 + 4 * 4 + 4) + 4 * (8 * 2 + 2 * 2 + 2) + 3);
  });
});

describe('saving', () => {
  it('a model with bidirectional, stacked and time-distributed layers survives save / loadModel', async () => {
    const m = hb.sequential([
      L.bidirectional({ layer: L.gru({ units: 3, returnSequences: true }), mergeMode: 'sum', inputShape: [4, 2] }),
      L.simpleRNN({ units: 3, returnSequences: true, goBackwards: true }),
      L.timeDistributed({ layer: L.dense({ units: 2 }) }),
      L.lstm({ units: 2 }),
    ]);
    const x = hb.randomNormal([3, 4, 2], { seed: 5 });
    const y = m.predict(x) as hb.Tensor;
    const dir = join(mkdtempSync(join(tmpdir(), 'hebb-rnn-')), 'model');
    await m.save(dir);
    const loaded = await hb.loadModel(dir);
    expect(loaded.countParams()).toBe(m.countParams());
    expect(Array.from((loaded.predict(x) as hb.Tensor).dataSync())).toEqual(Array.from(y.dataSync()));
  });
});

describe('backpropagation through time', () => {
  /** ‖∂ Σh_T / ∂x_1‖ for a tanh RNN with recurrent weights orthogonal·gain, over T steps. */
  function firstStepGradNorm(T: number, gain: number, activation: 'tanh' | 'linear'): number {
    const layer = L.simpleRNN({
      units: 4, activation, dtype: 'float64', useBias: false,
      kernelInitializer: hb.initializers.glorotUniform({ seed: 1 }),
      recurrentInitializer: hb.initializers.orthogonal({ gain, seed: 2 }),
    });
    const x = hb.randomNormal([1, T, 3], { seed: 3, dtype: 'float64', std: 0.1 });
    const g = hb.grad((xx: hb.Tensor) => hb.sum(layer.apply(xx)))(x);
    const first = hb.slice(g, [0, 0, 0], [1, 1, 3]);
    return Math.sqrt(hb.sum(hb.square(first)).item());
  }

  it('vanishing gradients: with small recurrent weights ‖∂h_T/∂x_1‖ decays geometrically in T', () => {
    const norms = [2, 5, 10, 20].map((T) => firstStepGradNorm(T, 0.5, 'tanh'));
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeLessThan(norms[i - 1]);
    // each step multiplies by at most ‖R‖·max tanh' = 0.5
    expect(norms[3] / norms[0]).toBeLessThan(0.5 ** 17);
  });

  it('exploding gradients with large recurrent weights; clipNorm bounds the update', () => {
    const norms = [2, 10, 20].map((T) => firstStepGradNorm(T, 1.5, 'linear'));
    expect(norms[2]).toBeGreaterThan(1e3 * norms[0]);

    const layer = L.simpleRNN({ units: 4, activation: 'linear', recurrentInitializer: hb.initializers.orthogonal({ gain: 1.5, seed: 2 }) });
    const x = hb.randomNormal([2, 20, 3], { seed: 4 });
    layer.apply(x);
    const vars = layer.trainableWeights;
    const { grads } = hb.variableGrads(() => hb.sum(hb.square(layer.apply(x))), vars.map((v) => v.value));
    const gradNorms = grads.map((g) => Math.sqrt(hb.sum(hb.square(g)).item()));
    expect(Math.max(...gradNorms)).toBeGreaterThan(1e3);
    const before = vars.map((v) => v.value.clone());
    const opt = hb.optimizers.sgd({ learningRate: 0.1, clipNorm: 1 });
    opt.applyGradients(vars.map((variable, i) => ({ variable, grad: grads[i] })));
    vars.forEach((v, i) => {
      const step = Math.sqrt(hb.sum(hb.square(hb.sub(v.value, before[i]))).item());
      expect(step).toBeLessThanOrEqual(0.1 * (1 + 1e-5));
      expect(step).toBeGreaterThan(0.09); // clipped to exactly lr · clipNorm
    });
  });
});

describe('learning', () => {
  /** n sequences of length T of uniform values in [−1, 1], shaped [n, T, 1]. */
  function sequences(n: number, T: number, seed: number): { x: hb.Tensor; rows: number[][] } {
    const x = hb.randomUniform([n, T, 1], { min: -1, max: 1, seed });
    const rows = (x.toArray() as number[][][]).map((s) => s.map((v) => v[0]));
    return { x, rows };
  }

  it('an LSTM learns last − first of a sequence of 5', async () => {
    const { x, rows } = sequences(128, 5, 1);
    const y = hb.tensor(rows.map((r) => [r[4] - r[0]]));
    const m = hb.sequential([L.lstm({ units: 8, inputShape: [5, 1] }), L.dense({ units: 1 })]);
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.03 }), loss: 'meanSquaredError' });
    const h = await m.fit(x, y, { epochs: 150, batchSize: 128, verbose: 0 });
    const loss = h.history.loss;
    // the target's variance is 2/3; a model that ignored the input would stay there
    expect(loss[loss.length - 1]).toBeLessThan(0.02);
  });

  it('a GRU and a simpleRNN learn the sum of a sequence of 4', async () => {
    const { x, rows } = sequences(128, 4, 2);
    const y = hb.tensor(rows.map((r) => [r.reduce((a, b) => a + b, 0)]));
    for (const rnn of [L.gru({ units: 6, inputShape: [4, 1] }), L.simpleRNN({ units: 6, inputShape: [4, 1] })]) {
      const m = hb.sequential([rnn, L.dense({ units: 1 })]);
      m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.03 }), loss: 'meanSquaredError' });
      const h = await m.fit(x, y, { epochs: 150, batchSize: 128, verbose: 0 });
      const loss = h.history.loss;
      expect(loss[loss.length - 1]).toBeLessThan(0.05 * loss[0]);
    }
  });
});
