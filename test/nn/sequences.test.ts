// The recurrent toolbox (issue 10): returnState, initial states, masking (masking layer and
// embedding maskZero) through stacks, bidirectional and timeDistributed, stateful layers,
// dropout masks, cells alone and in a generic rnn layer with a custom cell, option checks and
// float64 gradient checks. References are plain-JS loops over number arrays with Keras's
// formulas (independent of hb), or the definition of the feature (a masked sequence gives what
// the unpadded sequence gives).
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { lstmStep, type Mat } from '../util/reference.js';

const L = hb.layers;

/** LSTM over one sample's steps from (h0, c0): every h, and the final (h, c). */
function lstmRef(steps: number[][], h0: number[], c0: number[], k: Mat, r: Mat, b: number[]) {
  let h = h0;
  let c = c0;
  const hs: number[][] = [];
  for (const xt of steps) {
    [h, c] = lstmStep(xt, h, c, k, r, b);
    hs.push(h);
  }
  return { hs, h, c };
}

const seeded = (seed: number) => hb.initializers.randomNormal({ stddev: 0.6, seed });
const arr = <T>(t: hb.Tensor): T => t.toArray() as T;
const closeTo = (a: unknown, b: unknown, tol = 1e-9): void => {
  const fa = (a as unknown[]).flat(3) as number[];
  const fb = (b as unknown[]).flat(3) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]), `entry ${i}: ${v} vs ${fb[i]}`).toBeLessThan(tol));
};

function lstm64(extra: Partial<hb.layers.LSTMArgs> = {}) {
  return L.lstm({ units: 3, dtype: 'float64', kernelInitializer: seeded(1), recurrentInitializer: seeded(2), biasInitializer: seeded(3), unitForgetBias: false, ...extra });
}

function weightsOf(layer: hb.Layer): [Mat, Mat, number[]] {
  const [k, r, b] = layer.getWeights();
  return [arr<Mat>(k), arr<Mat>(r), arr<number[]>(b)];
}

const X = (n = 2, t = 5, f = 4, seed = 7) => hb.randomNormal([n, t, f], { seed, dtype: 'float64' });

describe('returnState and initial states', () => {
  it('lstm returns [sequence, h, c] from given initial states, as the reference', () => {
    const layer = lstm64({ returnSequences: true, returnState: true });
    const x = X();
    const h0 = hb.randomNormal([2, 3], { seed: 21, dtype: 'float64' });
    const c0 = hb.randomNormal([2, 3], { seed: 22, dtype: 'float64' });
    const [y, h, c] = layer.apply([x, h0, c0]) as hb.Tensor[];
    const [k, r, b] = weightsOf(layer);
    const xs = arr<number[][][]>(x);
    const refs = xs.map((s, i) => lstmRef(s, arr<Mat>(h0)[i], arr<Mat>(c0)[i], k, r, b));
    closeTo(arr(y), refs.map((q) => q.hs));
    closeTo(arr(h), refs.map((q) => q.h));
    closeTo(arr(c), refs.map((q) => q.c));
  });

  it('the functional API gives symbolic outputs for every state, and wrong state shapes are ShapeErrors', () => {
    const inp = hb.input({ shape: [5, 4] });
    const h0 = hb.input({ shape: [3] });
    const c0 = hb.input({ shape: [3] });
    const outs = L.lstm({ units: 3, returnState: true }).applyMulti([inp, h0, c0]);
    expect(outs.map((o) => o.shape)).toEqual([[null, 3], [null, 3], [null, 3]]);
    const m = hb.model({ inputs: [inp, h0, c0], outputs: outs });
    const res = m.predict([hb.zeros([2, 5, 4]), hb.zeros([2, 3]), hb.zeros([2, 3])]) as hb.Tensor[];
    expect(res.map((t) => t.shape)).toEqual([[2, 3], [2, 3], [2, 3]]);
    const layer = L.gru({ units: 3 });
    expect(() => layer.apply([hb.zeros([2, 5, 4]), hb.zeros([2, 4])])).toThrow(hb.ShapeError);
    expect(() => L.lstm({ units: 3 }).apply([hb.zeros([2, 5, 4]), hb.zeros([2, 3])])).toThrow(/initial state/);
  });
});

describe('masking', () => {
  // Sample 0 has 5 real steps, sample 1 only 3 (then 2 padding steps of zeros).
  const lengths = [5, 3];
  const padded = (): hb.Tensor => {
    const x = arr<number[][][]>(X());
    x[1][3] = [0, 0, 0, 0];
    x[1][4] = [0, 0, 0, 0];
    return hb.tensor(x, undefined, 'float64');
  };

  it('masking → lstm: masked steps keep the state and output zeros; the last output is the last real step', () => {
    const mask = L.masking({ maskValue: 0, dtype: 'float64' });
    const layer = lstm64({ returnSequences: true, returnState: true });
    const x = padded();
    const [y, h, c] = layer.apply(mask.apply(x)) as unknown as hb.Tensor[];
    const [k, r, b] = weightsOf(layer);
    const xs = arr<number[][][]>(x);
    const zero = [0, 0, 0];
    xs.forEach((s, i) => {
      const q = lstmRef(s.slice(0, lengths[i]), zero, zero, k, r, b);
      const want = [...q.hs, ...Array.from({ length: 5 - lengths[i] }, () => zero)];
      closeTo(arr<number[][][]>(y)[i], want);
      closeTo(arr<Mat>(h)[i], q.h);
      closeTo(arr<Mat>(c)[i], q.c);
    });
  });

  it('goBackwards with a mask starts from the last real step (padding is skipped)', () => {
    const layer = lstm64({ goBackwards: true });
    const x = padded();
    const y = layer.apply(L.masking({ dtype: 'float64' }).apply(x)) as hb.Tensor;
    const [k, r, b] = weightsOf(layer);
    arr<number[][][]>(x).forEach((s, i) => closeTo(arr<Mat>(y)[i], lstmRef(s.slice(0, lengths[i]).reverse(), [0, 0, 0], [0, 0, 0], k, r, b).h));
  });

  it('embedding({ maskZero }) → stacked gru: a padded sequence gives what the unpadded one gives', () => {
    const emb = L.embedding({ inputDim: 6, outputDim: 3, maskZero: true, dtype: 'float64', embeddingsInitializer: seeded(4) });
    const g1 = L.gru({ units: 4, returnSequences: true, dtype: 'float64', kernelInitializer: seeded(5) });
    const g2 = L.gru({ units: 2, dtype: 'float64', kernelInitializer: seeded(6) });
    const run = (ids: number[][]) => g2.apply(g1.apply(emb.apply(hb.tensor(ids, undefined, 'int32')))) as hb.Tensor;
    const full = arr<Mat>(run([[3, 1, 4, 0, 0]]))[0];
    const short = arr<Mat>(run([[3, 1, 4]]))[0];
    closeTo(full, short, 1e-12);
    expect(emb.getConfig().maskZero).toBe(true);
  });

  it('bidirectional with a mask equals each direction on the unpadded sequence, zeros at padding; all merge modes', () => {
    const x = padded();
    const xs = arr<number[][][]>(x);
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave', 'none'] as const) {
      const bi = L.bidirectional({ layer: lstm64({ returnSequences: true }), mergeMode });
      const out = bi.apply(L.masking({ dtype: 'float64' }).apply(x));
      const [kf, rf, bf] = weightsOf(bi.forwardLayer);
      const [kb, rb, bb] = weightsOf(bi.backwardLayer);
      const z = [0, 0, 0];
      const fwd = xs.map((s, i) => [...lstmRef(s.slice(0, lengths[i]), z, z, kf, rf, bf).hs, ...Array.from({ length: 5 - lengths[i] }, () => z)]);
      const bwd = xs.map((s, i) => [...lstmRef(s.slice(0, lengths[i]).reverse(), z, z, kb, rb, bb).hs.reverse(), ...Array.from({ length: 5 - lengths[i] }, () => z)]);
      const comb = (f: (a: number, b: number) => number) => fwd.map((s, i) => s.map((v, t) => v.map((a, j) => f(a, bwd[i][t][j]))));
      if (mergeMode === 'none') {
        const [yf, yb] = out as unknown as hb.Tensor[];
        closeTo(arr(yf), fwd);
        closeTo(arr(yb), bwd);
      } else if (mergeMode === 'concat') closeTo(arr(out as hb.Tensor), fwd.map((s, i) => s.map((v, t) => [...v, ...bwd[i][t]])));
      else if (mergeMode === 'sum') closeTo(arr(out as hb.Tensor), comb((a, b) => a + b));
      else if (mergeMode === 'mul') closeTo(arr(out as hb.Tensor), comb((a, b) => a * b));
      else closeTo(arr(out as hb.Tensor), comb((a, b) => (a + b) / 2));
    }
  });

  it('the mask flows through timeDistributed(dense) and dropout into the next recurrent layer, in a saved and loaded model', async () => {
    const inp = hb.input({ shape: [5, 4], dtype: 'float64' });
    let z = L.masking({ dtype: 'float64' }).apply(inp);
    z = L.timeDistributed({ layer: L.dense({ units: 3, dtype: 'float64' }) }).apply(z);
    z = L.dropout({ rate: 0.5, dtype: 'float64' }).apply(z);
    const out = L.bidirectional({ layer: L.simpleRNN({ units: 2, dtype: 'float64' }) }).apply(z);
    const m = hb.model({ inputs: inp, outputs: out });
    const x = padded();
    const short = hb.slice(x, [1, 0, 0], [1, 3, 4]);
    const yPad = arr<Mat>(m.predict(x) as hb.Tensor)[1];
    // Without the mask the two trailing zero steps would move the state (dense has a bias: relu(b) ≠ 0 is not needed; tanh(R·h) moves h).
    const inp2 = hb.input({ shape: [3, 4], dtype: 'float64' });
    let z2 = m.layers[1].apply(inp2);
    z2 = m.layers[2].apply(z2);
    z2 = m.layers[3].apply(z2);
    const m2 = hb.model({ inputs: inp2, outputs: m.layers[4].apply(z2) });
    closeTo(yPad, arr<Mat>(m2.predict(short) as hb.Tensor)[0], 1e-12);
    const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'hb-mask-'));
    await m.save(dir);
    const back = await hb.loadModel(dir);
    closeTo(arr(back.predict(x) as hb.Tensor), arr(m.predict(x) as hb.Tensor), 1e-12);
  });
});

describe('stateful layers and truncated BPTT', () => {
  it('two calls on halves equal one call on the whole; resetStates starts over', () => {
    const x = X(2, 6, 4);
    const whole = lstm64({ returnSequences: true });
    const yWhole = arr<number[][][]>(whole.apply(x) as hb.Tensor);
    const st = lstm64({ returnSequences: true, stateful: true });
    st.build([2, 6, 4]);
    st.setWeights(whole.getWeights());
    const a = arr<number[][][]>(st.apply(hb.slice(x, [0, 0, 0], [2, 3, 4])) as hb.Tensor);
    const b = arr<number[][][]>(st.apply(hb.slice(x, [0, 3, 0], [2, 3, 4])) as hb.Tensor);
    closeTo(a.map((s, i) => [...s, ...b[i]]), yWhole);
    st.resetStates();
    closeTo(arr(st.apply(hb.slice(x, [0, 0, 0], [2, 3, 4])) as hb.Tensor), a);
    expect(() => st.apply(hb.zeros([3, 3, 4], 'float64'))).toThrow(/batch size 2/);
    expect(() => lstm64().resetStates()).toThrow(/stateful/);
    st.resetStates([hb.ones([2, 3], 'float64'), hb.zeros([2, 3], 'float64')]);
    expect(arr<Mat>(st.states![0])).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  it('fit over consecutive windows with a stateful model carries state and lowers the loss', () => {
    hb.setSeed(3);
    const m = hb.sequential({ layers: [L.lstm({ units: 8, stateful: true, returnSequences: true, batchInputShape: [4, 5, 1] }), L.timeDistributed({ layer: L.dense({ units: 1 }) })] });
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.03 }), loss: 'mse' });
    // Predict the previous window's last value... a delayed copy: y_t = x_{t−3}, which needs memory across window boundaries.
    const T = 40;
    const series = Array.from({ length: 4 }, (_, i) => Array.from({ length: T }, (_, t) => Math.sin(0.7 * t + i)));
    const windows = (k: number) => {
      const xs = series.map((s) => s.slice(k * 5, k * 5 + 5).map((v) => [v]));
      const ys = series.map((s) => Array.from({ length: 5 }, (_, j) => [k * 5 + j >= 3 ? s[k * 5 + j - 3] : 0]));
      return [hb.tensor(xs), hb.tensor(ys)] as const;
    };
    const lstm = m.layers[0] as hb.layers.LSTM;
    const epochLoss = () => {
      lstm.resetStates();
      let total = 0;
      for (let k = 0; k < T / 5; k++) {
        const [x, y] = windows(k);
        total += m.trainOnBatch(x, y).loss;
      }
      return total;
    };
    const first = epochLoss();
    let last = first;
    for (let e = 0; e < 12; e++) last = epochLoss();
    expect(last).toBeLessThan(first * 0.5);
  });
});

describe('dropout and recurrentDropout', () => {
  it('input dropout uses one mask per sequence (same features dropped at every step), scaled by 1/(1 − rate)', () => {
    // Linear SimpleRNN with K = I, R = 0, b = 0: h_t = x_t ⊙ m.
    const layer = L.simpleRNN({ units: 4, activation: 'linear', dropout: 0.5, returnSequences: true, dtype: 'float64', kernelInitializer: 'identity', recurrentInitializer: 'zeros' });
    const x = hb.add(hb.ones([3, 6, 4], 'float64'), 1); // all 2s
    const y = arr<number[][][]>(layer.apply(x, { training: true }) as hb.Tensor);
    for (const s of y) {
      for (const step of s) {
        expect(step).toEqual(s[0]);
        for (const v of step) expect([0, 4]).toContain(v);
      }
    }
    expect(y.flat(2).filter((v) => v === 0).length).toBeGreaterThan(0);
    expect(arr<number[][][]>(layer.apply(x) as hb.Tensor).flat(2).every((v) => v === 2)).toBe(true);
  });

  it('recurrent dropout applies one mask to h_{t−1} at every step', () => {
    // K = 0, R = I, linear: h_t = (h_{t−1} ⊙ m), so h_t = h0 ⊙ m^t with m ∈ {0, 2}.
    const layer = L.simpleRNN({ units: 5, activation: 'linear', recurrentDropout: 0.5, returnSequences: true, useBias: false, dtype: 'float64', kernelInitializer: 'zeros', recurrentInitializer: 'identity' });
    const h0 = hb.ones([2, 5], 'float64');
    const y = arr<number[][][]>(layer.apply([hb.zeros([2, 3, 1], 'float64'), h0], { training: true }) as hb.Tensor);
    for (const s of y) {
      s[0].forEach((m, j) => {
        expect([0, 2]).toContain(m);
        expect(s[1][j]).toBe(m * m);
        expect(s[2][j]).toBe(m * m * m);
      });
    }
  });
});

describe('cells', () => {
  it('lstmCell alone is one Keras step; rnn({ cell: lstmCell }) equals lstm with the same weights', () => {
    const cell = L.lstmCell({ units: 3, dtype: 'float64', kernelInitializer: seeded(8), biasInitializer: seeded(9), unitForgetBias: false });
    const x = hb.randomNormal([2, 4], { seed: 1, dtype: 'float64' });
    const h = hb.randomNormal([2, 3], { seed: 2, dtype: 'float64' });
    const c = hb.randomNormal([2, 3], { seed: 3, dtype: 'float64' });
    const [out, h1, c1] = cell.apply([x, h, c]) as hb.Tensor[];
    const [k, r, b] = weightsOf(cell);
    arr<Mat>(x).forEach((xi, i) => {
      const [hr, cr] = lstmStep(xi, arr<Mat>(h)[i], arr<Mat>(c)[i], k, r, b);
      closeTo(arr<Mat>(out)[i], hr);
      closeTo(arr<Mat>(h1)[i], hr);
      closeTo(arr<Mat>(c1)[i], cr);
    });
    const layer = L.rnn({ cell: L.lstmCell({ units: 3, dtype: 'float64' }), returnSequences: true });
    const ref = lstm64({ returnSequences: true });
    const xs = X();
    const yRef = ref.apply(xs) as hb.Tensor;
    layer.apply(xs);
    layer.setWeights(ref.getWeights());
    closeTo(arr(layer.apply(xs) as hb.Tensor), arr(yRef));
    const copy = hb.deserializeLayer({ className: 'RNN', config: JSON.parse(JSON.stringify(layer.getConfig())) as hb.Config });
    expect(copy.getConfig()).toEqual(layer.getConfig());
  });

  it('gruCell and simpleRNNCell give [output, h] with output = h', () => {
    for (const cell of [L.gruCell({ units: 2 }), L.simpleRNNCell({ units: 2 })]) {
      const [o, h] = cell.apply([hb.ones([3, 5]), hb.zeros([3, 2])]) as hb.Tensor[];
      expect(o.shape).toEqual([3, 2]);
      expect(Array.from(o.dataSync())).toEqual(Array.from(h.dataSync()));
    }
    expect(() => L.gruCell({ units: 2 }).apply([hb.ones([3, 5])])).toThrow(/expects \[x, h\]/);
  });

  /** Keras's documentation example: a minimal RNN cell, y = h = tanh(x·W + h·U). */
  class MinimalCell extends hb.Layer {
    static override readonly className = 'MinimalCell';
    readonly stateSize = 3;
    w: hb.Variable | null = null;
    u: hb.Variable | null = null;
    override build(shape: hb.Shape | hb.Shape[]): void {
      const s = shape as hb.Shape;
      this.w = this.addWeight('w', [s[s.length - 1]!, 3], seeded(11));
      this.u = this.addWeight('u', [3, 3], seeded(12));
      this.built = true;
    }
    call(inputs: hb.Tensor | hb.Tensor[]): hb.Tensor[] {
      const [x, h] = inputs as hb.Tensor[];
      const y = hb.tanh(hb.add(hb.matmul(x, this.w!.value), hb.matmul(h, this.u!.value)));
      return [y, y];
    }
    static fromConfig(config: hb.Config): MinimalCell {
      return new MinimalCell(config as hb.LayerArgs);
    }
  }
  hb.registerLayer(MinimalCell);

  it('rnn runs a custom cell, with masks, and passes a float64 gradient check', () => {
    const layer = L.rnn({ cell: new MinimalCell({ dtype: 'float64' }), returnSequences: true, dtype: 'float64' });
    const x = X(2, 4, 2);
    const mask = hb.tensor([[true, true, true, true], [true, true, false, false]]);
    layer.apply(x);
    const y = arr<number[][][]>(layer.call(x, { mask }) as hb.Tensor);
    expect(y[1][2].map(Math.abs)).toEqual([0, 0, 0]);
    const vars = layer.trainableWeights;
    expect(vars.map((v) => v.name)).toEqual([`${layer.cell.name}/w`, `${layer.cell.name}/u`]);
    const orig = vars.map((v) => v.value.clone());
    const res = hb.checkGrad((xi, w, u) => {
      vars[0].assign(hb.clone(w));
      vars[1].assign(hb.clone(u));
      return hb.sum(hb.square(layer.call(xi, { mask }) as hb.Tensor));
    }, [x, ...orig]);
    expect(res.ok, JSON.stringify(res.worst)).toBe(true);
    expect(() => L.rnn({ cell: L.dense({ units: 2 }) })).toThrow(/stateSize/);
  });
});

describe('gradient checks in float64 (inputs, initial states and weights)', () => {
  const cases: [string, () => hb.Layer][] = [
    ['lstm, masked, returnState', () => lstm64({ returnSequences: true, returnState: true })],
    ['gru resetAfter, goBackwards', () => L.gru({ units: 3, dtype: 'float64', goBackwards: true, returnSequences: true, returnState: true, biasInitializer: seeded(5) })],
    ['gru resetAfter=false', () => L.gru({ units: 3, dtype: 'float64', resetAfter: false, returnState: true, biasInitializer: seeded(5) })],
    ['simpleRNN', () => L.simpleRNN({ units: 3, dtype: 'float64', returnSequences: true, returnState: true })],
  ];
  it.each(cases)('%s', (_name, make) => {
    const layer = make();
    const x = X(2, 4, 3);
    const mask = hb.tensor([[true, true, true, true], [true, false, true, false]]);
    const states = (layer as hb.layers.RNN).stateSizes.map((s, i) => hb.randomNormal([2, s], { seed: 30 + i, dtype: 'float64' }));
    layer.apply([x, ...states]);
    const vars = layer.trainableWeights;
    const orig = vars.map((v) => v.value.clone());
    const k = 1 + states.length;
    const res = hb.checkGrad((...args) => {
      vars.forEach((v, i) => v.assign(hb.clone(args[k + i])));
      const outs = layer.call(args.slice(0, k), { mask }) as hb.Tensor[];
      // A weighted sum, so that every output and state contributes differently.
      return outs.reduce((s: hb.Tensor, o, i) => hb.add(s, hb.mul(hb.sum(hb.mul(o, o)), i + 1)), hb.scalar(0, 'float64'));
    }, [x, ...states, ...orig]);
    expect(res.ok, JSON.stringify(res.worst)).toBe(true);
  });
});

describe('options are checked', () => {
  it('unknown keys, snake_case spellings and bad values are ValueErrors naming the option', () => {
    expect(() => L.lstm({ units: 3, return_sequences: true } as never)).toThrow(/did you mean 'returnSequences'/);
    expect(() => L.gru({ units: 3, resetAfterr: true } as never)).toThrow(/did you mean 'resetAfter'/);
    expect(() => L.lstm({ units: 3, dropout: 1 })).toThrow(/dropout/);
    expect(() => L.simpleRNN({ units: 0 })).toThrow(/units/);
    expect(() => L.lstm({ units: 2, stateful: 'yes' } as never)).toThrow(/stateful/);
    expect(() => L.masking({ mask_value: 1 } as never)).toThrow(/maskValue/);
    expect(() => L.bidirectional({ layer: L.lstm({ units: 2 }), mergeMode: 'max' as never })).toThrow(/mergeMode/);
    expect(() => L.lstmCell({ units: 2, returnSequences: true } as never)).toThrow(/unknown option 'returnSequences'/);
  });

  it('configs round-trip with every new option', () => {
    const layer = L.lstm({ units: 2, returnState: true, stateful: true, dropout: 0.2, recurrentDropout: 0.1, goBackwards: true, unitForgetBias: false });
    const copy = hb.deserializeLayer({ className: 'LSTM', config: JSON.parse(JSON.stringify(layer.getConfig())) as hb.Config });
    expect(copy.getConfig()).toEqual({ ...layer.getConfig(), name: copy.name });
    const bi = L.bidirectional({ layer: L.gru({ units: 2, returnSequences: true }), mergeMode: null });
    expect(bi.mergeMode).toBe('none');
    const m = L.masking({ maskValue: -1 });
    expect((hb.deserializeLayer({ className: 'Masking', config: m.getConfig() }) as hb.layers.Masking).maskValue).toBe(-1);
  });

  it('unitForgetBias puts ones in the forget block of the bias', () => {
    const on = L.lstm({ units: 2 });
    on.apply(hb.zeros([1, 2, 3]));
    expect(Array.from(on.bias!.value.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const off = L.lstm({ units: 2, unitForgetBias: false });
    off.apply(hb.zeros([1, 2, 3]));
    expect(Array.from(off.bias!.value.dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
