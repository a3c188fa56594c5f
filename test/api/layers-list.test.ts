// The contract's list of layer factories under hb.layers: each exists, and builds a working layer in a
// tiny model: the symbolic output shape and the parameter count match a hand computation, predict
// gives that shape, a training step runs (and moves the trainable weights), and the layer's
// output is checked against plain-JS arithmetic where that is short. Merge layers take several
// inputs, so they go in a tiny functional model instead of a Sequential one. The recurrent
// layers and wrappers take sequences [N, T, F].
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

type Case = {
  /** The factory call, with the per-sample input shape as `inputShape`. */
  make: (inputShape: number[]) => hb.Layer;
  input: number[];
  output: number[];
  params: number;
  /** Non-trainable parameters among `params` (batch-norm moving statistics). */
  frozen?: number;
  /** Input values: default N(0, 1); embedding ids are integers. */
  data?: (shape: number[]) => hb.Tensor;
};

const ids = (shape: number[]): hb.Tensor => hb.randomInt(shape, 0, 10, { seed: 1 });

// Output shapes and parameter counts by hand (Keras conventions, channels last, 'valid' padding
// and pool strides equal to the pool size unless given).
const CASES: Record<string, Case> = {
  dense: { make: (s) => hb.layers.dense({ units: 3, inputShape: s }), input: [5], output: [3], params: 5 * 3 + 3 },
  activation: { make: (s) => hb.layers.activation({ activation: 'relu', inputShape: s }), input: [4], output: [4], params: 0 },
  dropout: { make: (s) => hb.layers.dropout({ rate: 0.5, inputShape: s }), input: [4], output: [4], params: 0 },
  flatten: { make: (s) => hb.layers.flatten({ inputShape: s }), input: [2, 3, 2], output: [12], params: 0 },
  reshape: { make: (s) => hb.layers.reshape({ targetShape: [3, -1], inputShape: s }), input: [12], output: [3, 4], params: 0 },
  permute: { make: (s) => hb.layers.permute({ dims: [2, 1], inputShape: s }), input: [2, 3], output: [3, 2], params: 0 },
  batchNormalization: { make: (s) => hb.layers.batchNormalization({ inputShape: s }), input: [4], output: [4], params: 4 * 4, frozen: 2 * 4 },
  layerNormalization: { make: (s) => hb.layers.layerNormalization({ inputShape: s }), input: [4], output: [4], params: 2 * 4 },
  embedding: { make: (s) => hb.layers.embedding({ inputDim: 10, outputDim: 3, inputShape: s }), input: [5], output: [5, 3], params: 10 * 3, data: ids },
  conv1d: { make: (s) => hb.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: s }), input: [8, 3], output: [6, 2], params: 3 * 3 * 2 + 2 },
  conv2d: { make: (s) => hb.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: s }), input: [6, 6, 1], output: [4, 4, 2], params: 3 * 3 * 1 * 2 + 2 },
  conv3d: { make: (s) => hb.layers.conv3d({ filters: 2, kernelSize: 2, inputShape: s }), input: [4, 4, 4, 1], output: [3, 3, 3, 2], params: 2 * 2 * 2 * 1 * 2 + 2 },
  // (in − 1)·stride + kernel = 2·2 + 3 = 7
  conv2dTranspose: { make: (s) => hb.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, inputShape: s }), input: [3, 3, 1], output: [7, 7, 2], params: 3 * 3 * 2 * 1 + 2 },
  depthwiseConv2d: { make: (s) => hb.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: s }), input: [5, 5, 3], output: [3, 3, 6], params: 3 * 3 * 3 * 2 + 6 },
  separableConv2d: { make: (s) => hb.layers.separableConv2d({ filters: 4, kernelSize: 3, inputShape: s }), input: [5, 5, 3], output: [3, 3, 4], params: 3 * 3 * 3 + 3 * 4 + 4 },
  maxPooling1d: { make: (s) => hb.layers.maxPooling1d({ poolSize: 2, inputShape: s }), input: [8, 2], output: [4, 2], params: 0 },
  maxPooling2d: { make: (s) => hb.layers.maxPooling2d({ poolSize: 2, inputShape: s }), input: [4, 4, 1], output: [2, 2, 1], params: 0 },
  maxPooling3d: { make: (s) => hb.layers.maxPooling3d({ poolSize: 2, inputShape: s }), input: [4, 4, 4, 1], output: [2, 2, 2, 1], params: 0 },
  averagePooling1d: { make: (s) => hb.layers.averagePooling1d({ poolSize: 2, inputShape: s }), input: [8, 2], output: [4, 2], params: 0 },
  averagePooling2d: { make: (s) => hb.layers.averagePooling2d({ poolSize: 2, inputShape: s }), input: [4, 4, 1], output: [2, 2, 1], params: 0 },
  averagePooling3d: { make: (s) => hb.layers.averagePooling3d({ poolSize: 2, inputShape: s }), input: [4, 4, 4, 1], output: [2, 2, 2, 1], params: 0 },
  globalAveragePooling2d: { make: (s) => hb.layers.globalAveragePooling2d({ inputShape: s }), input: [3, 3, 2], output: [2], params: 0 },
  globalMaxPooling2d: { make: (s) => hb.layers.globalMaxPooling2d({ inputShape: s }), input: [3, 3, 2], output: [2], params: 0 },
  zeroPadding2d: { make: (s) => hb.layers.zeroPadding2d({ padding: 1, inputShape: s }), input: [2, 3, 1], output: [4, 5, 1], params: 0 },
  upSampling2d: { make: (s) => hb.layers.upSampling2d({ size: 2, inputShape: s }), input: [2, 3, 1], output: [4, 6, 1], params: 0 },
  // recurrent, on [T, F] = [4, 2]: gates·(F·u + u·u + u); GRU (resetAfter) has two biases
  simpleRNN: { make: (s) => hb.layers.simpleRNN({ units: 3, inputShape: s }), input: [4, 2], output: [3], params: 2 * 3 + 3 * 3 + 3 },
  lstm: { make: (s) => hb.layers.lstm({ units: 3, returnSequences: true, inputShape: s }), input: [4, 2], output: [4, 3], params: 4 * (2 * 3 + 3 * 3 + 3) },
  gru: { make: (s) => hb.layers.gru({ units: 3, inputShape: s }), input: [4, 2], output: [3], params: 3 * (2 * 3 + 3 * 3) + 2 * 3 * 3 },
  bidirectional: { make: (s) => hb.layers.bidirectional({ layer: hb.layers.lstm({ units: 2 }), inputShape: s }), input: [4, 2], output: [4], params: 2 * 4 * (2 * 2 + 2 * 2 + 2) },
  timeDistributed: { make: (s) => hb.layers.timeDistributed({ layer: hb.layers.dense({ units: 3 }), inputShape: s }), input: [4, 2], output: [4, 3], params: 2 * 3 + 3 },
};

const MERGES = ['add', 'concatenate', 'multiply'] as const;

/** Every name the contract lists, with maxPooling1d/2d/3d and averagePooling1d/2d/3d spelled out. */
const API_LIST = [...Object.keys(CASES), ...MERGES];

const nested = (t: hb.Tensor): unknown => t.toArray();

describe('hb.layers: every factory of the API contract', () => {
  it('the list has the 33 names of the API contract', () => {
    expect(API_LIST.length).toBe(33);
    expect(new Set(API_LIST).size).toBe(33);
  });

  for (const name of [...Object.keys(CASES), ...MERGES]) {
    it(`hb.layers.${name} is a factory`, () => {
      expect(typeof (hb.layers as unknown as Record<string, unknown>)[name]).toBe('function');
    });
  }
});

describe('each builds a working layer in a tiny Sequential model', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: input [N, ${c.input}] → output [N, ${c.output}], ${c.params} parameters, predicts and trains`, async () => {
      const layer = c.make(c.input);
      expect(layer).toBeInstanceOf(hb.Layer);
      const m = hb.sequential([layer]);
      expect(m.outputs[0].shape).toEqual([null, ...c.output]);
      expect(m.countParams()).toBe(c.params);
      expect(m.countParams({ trainableOnly: true })).toBe(c.params - (c.frozen ?? 0));
      const x = (c.data ?? ((s: number[]) => hb.randomNormal(s, { seed: 2 })))([3, ...c.input]);
      const y = m.predict(x) as hb.Tensor;
      expect(y.shape).toEqual([3, ...c.output]);
      expect(y.dataSync().every(Number.isFinite)).toBe(true);
      // one training step on a regression target of the output's shape
      const before = m.getWeights().map((w) => Array.from(w.dataSync()));
      m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
      const logs = m.trainOnBatch(x, hb.randomNormal([3, ...c.output], { seed: 3 }));
      expect(Number.isFinite(logs.loss)).toBe(true);
      const after = m.getWeights().map((w) => Array.from(w.dataSync()));
      if (c.params - (c.frozen ?? 0) > 0) expect(after).not.toEqual(before);
      // and it fits, as part of a model, through the public entry point
      const h = await m.fit(x, hb.randomNormal([3, ...c.output], { seed: 4 }), { epochs: 1, batchSize: 2, verbose: 0 });
      expect(h.history.loss.length).toBe(1);
    });
  }
});

describe('values, checked by hand', () => {
  const run = (layer: hb.Layer, x: hb.Tensor): hb.Tensor => hb.sequential([layer]).predict(x) as hb.Tensor;

  it('activation relu, and dropout at inference (the identity)', () => {
    const x = hb.tensor([[-1, 0, 2, -3]]);
    expect(nested(run(hb.layers.activation({ activation: 'relu', inputShape: [4] }), x))).toEqual([[0, 0, 2, 0]]);
    expect(nested(run(hb.layers.dropout({ rate: 0.5, inputShape: [4] }), x))).toEqual([[-1, 0, 2, -3]]);
  });

  it('flatten and reshape keep row-major order; permute swaps the axes', () => {
    const x = hb.tensor([[[1, 2, 3], [4, 5, 6]]]);
    expect(nested(run(hb.layers.flatten({ inputShape: [2, 3] }), x))).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(nested(run(hb.layers.reshape({ targetShape: [3, 2], inputShape: [2, 3] }), x))).toEqual([[[1, 2], [3, 4], [5, 6]]]);
    expect(nested(run(hb.layers.permute({ dims: [2, 1], inputShape: [2, 3] }), x))).toEqual([[[1, 4], [2, 5], [3, 6]]]);
  });

  it('batchNormalization at inference uses the moving statistics (0 and 1 at first): x / √(1 + ε)', () => {
    const x = hb.tensor([[1, -2, 3, 4]]);
    const y = run(hb.layers.batchNormalization({ inputShape: [4], epsilon: 1e-3 }), x).dataSync();
    [1, -2, 3, 4].forEach((v, i) => expect(y[i]).toBeCloseTo(v / Math.sqrt(1.001), 5));
  });

  it('layerNormalization gives each sample mean 0 and variance v / (v + ε)', () => {
    const y = run(hb.layers.layerNormalization({ inputShape: [4], epsilon: 1e-3 }), hb.tensor([[1, 2, 3, 6]])).dataSync();
    // mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5
    [1, 2, 3, 6].forEach((v, i) => expect(y[i]).toBeCloseTo((v - 3) / Math.sqrt(3.5 + 1e-3), 5));
  });

  it('embedding looks up rows of its matrix', () => {
    const layer = hb.layers.embedding({ inputDim: 4, outputDim: 2, inputShape: [3] });
    const m = hb.sequential([layer]);
    layer.setWeights([hb.tensor([[0, 1], [10, 11], [20, 21], [30, 31]])]);
    expect(nested(m.predict(hb.tensor([[3, 0, 2]], [1, 3], 'int32')) as hb.Tensor)).toEqual([[[30, 31], [0, 1], [20, 21]]]);
  });

  it('max / average pooling 2×2 on a 4×4 image', () => {
    const x = hb.reshape(hb.arange(16), [1, 4, 4, 1]); // rows 0–3, 4–7, 8–11, 12–15
    expect(hb.reshape(run(hb.layers.maxPooling2d({ poolSize: 2, inputShape: [4, 4, 1] }), x), [4]).toArray()).toEqual([5, 7, 13, 15]);
    expect(hb.reshape(run(hb.layers.averagePooling2d({ poolSize: 2, inputShape: [4, 4, 1] }), x), [4]).toArray()).toEqual([2.5, 4.5, 10.5, 12.5]);
    const x1 = hb.tensor([[[1], [3], [2], [8]]]);
    expect(nested(run(hb.layers.maxPooling1d({ inputShape: [4, 1] }), x1))).toEqual([[[3], [8]]]);
    expect(nested(run(hb.layers.averagePooling1d({ inputShape: [4, 1] }), x1))).toEqual([[[2], [5]]]);
    const x3 = hb.reshape(hb.arange(8), [1, 2, 2, 2, 1]);
    expect(nested(run(hb.layers.maxPooling3d({ inputShape: [2, 2, 2, 1] }), x3))).toEqual([[[[[7]]]]]);
    expect(nested(run(hb.layers.averagePooling3d({ inputShape: [2, 2, 2, 1] }), x3))).toEqual([[[[[3.5]]]]]);
  });

  it('global average / max pooling reduce the spatial axes per channel', () => {
    const x = hb.tensor([[[[1, -1], [2, -2]], [[3, -3], [6, -6]]]]); // [1, 2, 2, 2]
    expect(nested(run(hb.layers.globalAveragePooling2d({ inputShape: [2, 2, 2] }), x))).toEqual([[3, -3]]);
    expect(nested(run(hb.layers.globalMaxPooling2d({ inputShape: [2, 2, 2] }), x))).toEqual([[6, -1]]);
  });

  it('zeroPadding2d puts a border of zeros; upSampling2d repeats each pixel', () => {
    const x = hb.tensor([[[[1], [2]]]]); // [1, 1, 2, 1]
    expect(hb.reshape(run(hb.layers.zeroPadding2d({ padding: 1, inputShape: [1, 2, 1] }), x), [3, 4]).toArray()).toEqual([
      [0, 0, 0, 0], [0, 1, 2, 0], [0, 0, 0, 0],
    ]);
    expect(hb.reshape(run(hb.layers.upSampling2d({ size: 2, inputShape: [1, 2, 1] }), x), [2, 4]).toArray()).toEqual([
      [1, 1, 2, 2], [1, 1, 2, 2],
    ]);
  });

  it('conv2d with a hand-set kernel sums the 3×3 window', () => {
    const layer = hb.layers.conv2d({ filters: 1, kernelSize: 3, inputShape: [3, 3, 1] });
    const m = hb.sequential([layer]);
    layer.setWeights([hb.ones([3, 3, 1, 1]), hb.tensor([0.5])]);
    expect(nested(m.predict(hb.reshape(hb.arange(9), [1, 3, 3, 1])) as hb.Tensor)).toEqual([[[[36.5]]]]);
  });
});

describe('merge layers (several inputs: a tiny functional model)', () => {
  const a = hb.input({ shape: [3] });
  const b = hb.input({ shape: [3] });
  const xa = hb.tensor([[1, 2, 3], [4, 5, 6]]);
  const xb = hb.tensor([[10, 20, 30], [-1, -1, -1]]);
  const expected: Record<(typeof MERGES)[number], { shape: number[]; value: number[][] }> = {
    add: { shape: [3], value: [[11, 22, 33], [3, 4, 5]] },
    concatenate: { shape: [6], value: [[1, 2, 3, 10, 20, 30], [4, 5, 6, -1, -1, -1]] },
    multiply: { shape: [3], value: [[10, 40, 90], [-4, -5, -6]] },
  };
  for (const name of MERGES) {
    it(`${name}: [N, 3] and [N, 3] → [N, ${expected[name].shape}], by hand; trains inside a model`, async () => {
      const merged = hb.layers[name]().apply([a, b]);
      expect(merged.shape).toEqual([null, ...expected[name].shape]);
      const m = hb.model({ inputs: [a, b], outputs: merged });
      expect(nested(m.predict([xa, xb]) as hb.Tensor)).toEqual(expected[name].value);
      const head = hb.layers.dense({ units: 1 });
      const trainable = hb.model({ inputs: [a, b], outputs: head.apply(hb.layers[name]().apply([a, b])) });
      trainable.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.001 }), loss: 'meanSquaredError' });
      const h = await trainable.fit([xa, xb], hb.tensor([[1], [0]]), { epochs: 2, batchSize: 2, verbose: 0 });
      expect(h.history.loss.every(Number.isFinite)).toBe(true);
    });
  }
});

describe('recurrent layers and wrappers, values by hand', () => {
  // One unit, linear activation, kernel 1, recurrent weight 0.5, no bias: h_t = x_t + 0.5·h_{t−1}.
  const linearRnn = (extra: Partial<hb.layers.SimpleRNNArgs> = {}): hb.layers.SimpleRNN =>
    hb.layers.simpleRNN({ units: 1, activation: 'linear', useBias: false, kernelInitializer: 'ones', recurrentInitializer: hb.initializers.constant(0.5), ...extra });
  const x = hb.tensor([[[1], [2], [4]]]); // [1, 3, 1]

  it('simpleRNN: h = 1, 2.5, 5.25; goBackwards: 4, 4, 3', () => {
    expect(nested(hb.sequential([linearRnn({ inputShape: [3, 1] })]).predict(x) as hb.Tensor)).toEqual([[5.25]]);
    expect(nested(hb.sequential([linearRnn({ inputShape: [3, 1], returnSequences: true })]).predict(x) as hb.Tensor)).toEqual([[[1], [2.5], [5.25]]]);
    expect(nested(hb.sequential([linearRnn({ inputShape: [3, 1], returnSequences: true, goBackwards: true })]).predict(x) as hb.Tensor)).toEqual([[[4], [4], [3]]]);
  });

  it('bidirectional concat puts the backward outputs back in time order: [[1, 3], [2.5, 4], [5.25, 4]]', () => {
    const m = hb.sequential([hb.layers.bidirectional({ layer: linearRnn({ returnSequences: true }), inputShape: [3, 1] })]);
    expect(nested(m.predict(x) as hb.Tensor)).toEqual([[[1, 3], [2.5, 4], [5.25, 4]]]);
    const last = hb.sequential([hb.layers.bidirectional({ layer: linearRnn(), mergeMode: 'sum', inputShape: [3, 1] })]);
    expect(nested(last.predict(x) as hb.Tensor)).toEqual([[5.25 + 3]]);
  });

  it('lstm with zero weights and unit forget bias: c stays 0, h = 0', () => {
    const m = hb.sequential([hb.layers.lstm({ units: 2, kernelInitializer: 'zeros', recurrentInitializer: 'zeros', inputShape: [3, 1] })]);
    expect(nested(m.predict(x) as hb.Tensor)).toEqual([[0, 0]]);
  });

  it('timeDistributed(dense) applies y = 2x + 1 to every step', () => {
    const dense = hb.layers.dense({ units: 1, kernelInitializer: hb.initializers.constant(2), biasInitializer: 'ones' });
    const m = hb.sequential([hb.layers.timeDistributed({ layer: dense, inputShape: [3, 1] })]);
    expect(nested(m.predict(x) as hb.Tensor)).toEqual([[[3], [5], [9]]]);
  });
});
