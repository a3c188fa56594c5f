// Building models: hb.input, Sequential, the functional graph (branches, several inputs and
// outputs, shared layers, nested models), config round trips, freezing. Expected outputs are
// computed by hand from weights set in the test.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const dense = hb.layers.dense;

/** Set a Dense layer's kernel [in, out] and bias [out]. */
function setDense(layer: hb.Layer, kernel: number[][], bias: number[]): void {
  layer.setWeights([hb.tensor(kernel), hb.tensor(bias)]);
}

const rows = (t: hb.Tensor | hb.Tensor[]): number[][] => (t as hb.Tensor).toArray() as number[][];

describe('hb.input', () => {
  it('makes a symbolic tensor with a null batch axis, fed by an InputLayer', () => {
    const x = hb.input({ shape: [3], name: 'features' });
    expect(x.shape).toEqual([null, 3]);
    expect(x.dtype).toBe('float32');
    expect(x.node?.layer).toBeInstanceOf(hb.InputLayer);
    expect(x.node?.layer.name).toBe('features');
    expect(hb.input({ shape: [2, 2], batchSize: 8, dtype: 'int32' }).shape).toEqual([8, 2, 2]);
    expect(() => hb.input({ shape: [-1] })).toThrow(hb.ValueError);
    expect(() => hb.input({} as hb.InputOptions)).toThrow(/shape is required/);
  });
});

describe('Sequential', () => {
  it('builds from the first layer inputShape and computes x·W + b layer by layer', () => {
    const m = hb.sequential([dense({ units: 2, inputShape: [2], name: 's1' }), dense({ units: 1, name: 's2' })], { name: 'seq' });
    expect(m.name).toBe('seq');
    expect(m.layers.map((l) => l.name)).toEqual(['s1', 's2']);
    expect(m.outputs[0].shape).toEqual([null, 1]);
    setDense(m.getLayer('s1'), [[1, 2], [3, 4]], [0.5, -0.5]);
    setDense(m.getLayer(1), [[1], [-1]], [0.25]);
    // x = [1, 1]: h = [1+3+0.5, 2+4−0.5] = [4.5, 5.5]; y = 4.5 − 5.5 + 0.25 = −0.75
    // x = [0, 0]: h = [0.5, −0.5];                      y = 0.5 + 0.5 + 0.25 = 1.25
    expect(rows(m.predict(hb.tensor([[1, 1], [0, 0]])))).toEqual([[-0.75], [1.25]]);
  });

  it('add() grows the model; without an input shape it builds on the first data', () => {
    const m = hb.sequential();
    m.add(dense({ units: 3 }));
    m.add(dense({ units: 2 }));
    expect(m.inputs).toEqual([]);
    const y = m.predict(hb.ones([5, 4])) as hb.Tensor;
    expect(y.shape).toEqual([5, 2]);
    expect(m.inputs[0].shape).toEqual([null, 4]);
    expect(m.countParams()).toBe(4 * 3 + 3 + 3 * 2 + 2);
  });

  it('accepts hb.input() as its first item, and rejects duplicate names', () => {
    const m = hb.sequential([hb.input({ shape: [5] }), dense({ units: 1, name: 'only' })]);
    expect(m.outputs[0].shape).toEqual([null, 1]);
    expect(() => m.add(dense({ units: 1, name: 'only' }))).toThrow(/already in the model/);
    expect(m.layers.length).toBe(1);
  });

  it('getLayer by name or index, with a helpful error', () => {
    const m = hb.sequential([dense({ units: 1, inputShape: [1], name: 'g1' })]);
    expect(m.getLayer('g1')).toBe(m.getLayer(0));
    expect(() => m.getLayer('nope')).toThrow(/no layer named 'nope'; layers: g1/);
  });
});

describe('functional models', () => {
  it('branches and merges: concat(x·A, x·B)', () => {
    const x = hb.input({ shape: [2] });
    const a = dense({ units: 1, useBias: false, name: 'branch_a' });
    const b = dense({ units: 2, useBias: false, name: 'branch_b' });
    const out = hb.layers.concatenate().apply([a.apply(x), b.apply(x)]);
    const m = hb.model({ inputs: x, outputs: out });
    a.setWeights([hb.tensor([[1], [2]])]);
    b.setWeights([hb.tensor([[0, 1], [1, 0]])]);
    // x = [3, 4]: a = 3 + 8 = 11; b = [4, 3]
    expect(rows(m.predict(hb.tensor([[3, 4]])))).toEqual([[11, 4, 3]]);
    expect(m.outputs[0].shape).toEqual([null, 3]);
  });

  it('several inputs and outputs, by position or by name', () => {
    const p = hb.input({ shape: [1], name: 'p' });
    const q = hb.input({ shape: [1], name: 'q' });
    const sum = hb.layers.add({ name: 'sum' }).apply([p, q]);
    const prod = hb.layers.multiply({ name: 'prod' }).apply([p, q]);
    const m = hb.model({ inputs: [p, q], outputs: [sum, prod] });
    expect(m.inputNames).toEqual(['p', 'q']);
    expect(m.outputNames).toEqual(['sum', 'prod']);
    const [s, t] = m.predict([hb.tensor([[2], [3]]), hb.tensor([[5], [7]])]) as hb.Tensor[];
    expect(s.toArray()).toEqual([[7], [10]]);
    expect(t.toArray()).toEqual([[10], [21]]);
    const [s2] = m.predict({ q: hb.tensor([[1]]), p: hb.tensor([[1]]) }) as hb.Tensor[];
    expect(s2.toArray()).toEqual([[2]]);
    expect(() => m.predict({ p: hb.tensor([[1]]) })).toThrow(/missing input 'q'/);
  });

  it('a shared layer (Siamese) has one set of weights used by both calls', () => {
    const left = hb.input({ shape: [2], name: 'left' });
    const right = hb.input({ shape: [2], name: 'right' });
    const shared = dense({ units: 1, name: 'embed' });
    const diff = hb.layers.subtract().apply([shared.apply(left), shared.apply(right)]);
    const m = hb.model({ inputs: [left, right], outputs: diff });
    expect(m.layers.filter((l) => l === shared).length).toBe(1);
    expect(m.weights.length).toBe(2);
    expect(m.countParams()).toBe(3);
    setDense(shared, [[1], [10]], [5]);
    // (1·1 + 2·10 + 5) − (3·1 + 4·10 + 5) = 26 − 48 = −22: the bias cancels
    expect(rows(m.predict([hb.tensor([[1, 2]]), hb.tensor([[3, 4]])]))).toEqual([[-22]]);
  });

  it('models nest: a model used as a layer runs its graph and contributes its weights', () => {
    const ix = hb.input({ shape: [2] });
    const inner = hb.model({ inputs: ix, outputs: dense({ units: 2, name: 'inner_dense' }).apply(ix), name: 'inner' });
    setDense(inner.getLayer('inner_dense'), [[1, 0], [0, 2]], [1, 1]);
    const ox = hb.input({ shape: [2] });
    const outer = hb.model({ inputs: ox, outputs: dense({ units: 1, useBias: false, name: 'head' }).apply(inner.apply(ox) as hb.SymbolicTensor) });
    outer.getLayer('head').setWeights([hb.tensor([[1], [1]])]);
    expect(outer.weights.length).toBe(3);
    // x = [1, 1]: inner = [2, 3]; head = 5
    expect(rows(outer.predict(hb.tensor([[1, 1]])))).toEqual([[5]]);
    const seqOuter = hb.sequential([inner, dense({ units: 1, name: 'head2' })]);
    expect(seqOuter.outputs[0].shape).toEqual([null, 1]);
    expect(seqOuter.countParams()).toBe(6 + 3);
  });

  it('rejects graphs that do not connect, tensors not from hb.input, and duplicate layer names', () => {
    const a = hb.input({ shape: [1] });
    const b = hb.input({ shape: [1] });
    const y = hb.layers.add().apply([a, b]);
    expect(() => hb.model({ inputs: a, outputs: y })).toThrow(/graph disconnected/);
    const x = hb.input({ shape: [1] });
    const h = dense({ units: 1, name: 'twin' }).apply(x);
    const z = dense({ units: 1, name: 'twin' }).apply(h);
    expect(() => hb.model({ inputs: x, outputs: z })).toThrow(/two different layers are named 'twin'/);
    expect(() => hb.model({ inputs: h, outputs: z })).toThrow(/not the output of hb.input/);
  });

  it('checks input shapes with a ShapeError naming the model and input', () => {
    const x = hb.input({ shape: [3], name: 'in3' });
    const m = hb.model({ inputs: x, outputs: dense({ units: 1 }).apply(x), name: 'checker' });
    expect(() => m.predict(hb.ones([2, 4]))).toThrow(/Functional 'checker': input 'in3' expects shape \[null,3\], got \[2,4\]/);
  });

  it('getConfig → deserializeLayer rebuilds an equal graph (shared and nested layers included)', () => {
    const ix = hb.input({ shape: [2] });
    const inner = hb.model({ inputs: ix, outputs: dense({ units: 2, activation: 'tanh' }).apply(ix), name: 'enc' });
    const l = hb.input({ shape: [2] });
    const r = hb.input({ shape: [2] });
    const el = inner.apply(l) as hb.SymbolicTensor;
    const er = inner.apply(r) as hb.SymbolicTensor;
    const m = hb.model({ inputs: [l, r], outputs: [hb.layers.concatenate().apply([el, er]), dense({ units: 1 }).apply(el)], name: 'twin_net' });
    const json = JSON.parse(JSON.stringify({ className: m.className, config: m.getConfig() }));
    const back = hb.deserializeLayer(json) as hb.Model;
    expect(back.name).toBe('twin_net');
    expect(back.layers.map((x) => x.name)).toEqual(m.layers.map((x) => x.name));
    back.setWeights(m.getWeights());
    const xs = [hb.randomNormal([3, 2], { seed: 1 }), hb.randomNormal([3, 2], { seed: 2 })];
    const want = m.predict(xs) as hb.Tensor[];
    const got = back.predict(xs) as hb.Tensor[];
    want.forEach((w, i) => expect(got[i].toArray()).toEqual(w.toArray()));
  });

  it('freezing: trainable = false moves weights to nonTrainableWeights', () => {
    const m = hb.sequential([dense({ units: 3, inputShape: [2] }), dense({ units: 1 })]);
    expect(m.countParams({ trainableOnly: true })).toBe(13);
    m.layers[0].trainable = false;
    expect(m.countParams({ trainableOnly: true })).toBe(4);
    expect(m.countParams()).toBe(13);
    expect(m.nonTrainableWeights.length).toBe(2);
  });
});

describe('public surface', () => {
  it('exports the model, optimizer, schedule, callback and io entry points under hb', () => {
    for (const f of ['model', 'sequential', 'input', 'loadModel'] as const) expect(typeof hb[f]).toBe('function');
    for (const f of ['sgd', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'adamax', 'adamw', 'get'] as const) expect(typeof hb.optimizers[f]).toBe('function');
    for (const f of ['exponentialDecay', 'stepDecay', 'piecewiseConstantDecay', 'cosineDecay', 'inverseTimeDecay'] as const) {
      expect(typeof hb.schedules[f]).toBe('function');
      expect(hb.optimizers.schedules[f]).toBe(hb.schedules[f]);
    }
    for (const f of ['earlyStopping', 'modelCheckpoint', 'reduceLROnPlateau', 'learningRateScheduler', 'csvLogger', 'progressBar', 'terminateOnNaN'] as const) {
      expect(typeof hb.callbacks[f]).toBe('function');
    }
    for (const f of ['encodeSafetensors', 'decodeSafetensors', 'saveSafetensors', 'loadSafetensors', 'setFileSystem'] as const) expect(typeof hb.io[f]).toBe('function');
  });
});
