// Strict layer options: every hb.layers factory rejects an unknown key with a ValueError naming
// the layer class, the key and (for a near miss) the closest valid key; required options,
// types and ranges are checked; Keras snake_case keys get a camelCase hint. The table below
// must name every factory: a new layer without a row fails the coverage test.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import type { Layer } from '../../src/index.js';

const L = hb.layers;
type Factory = (args?: Record<string, unknown>) => Layer;

/** Smallest valid options per factory (its required options), and the class it makes. */
const ROWS: Record<string, { args: Record<string, unknown>; className: string }> = {
  dense: { args: { units: 2 }, className: 'Dense' },
  activation: { args: { activation: 'relu' }, className: 'Activation' },
  dropout: { args: { rate: 0.1 }, className: 'Dropout' },
  flatten: { args: {}, className: 'Flatten' },
  reshape: { args: { targetShape: [2] }, className: 'Reshape' },
  permute: { args: { dims: [2, 1] }, className: 'Permute' },
  repeatVector: { args: { n: 2 }, className: 'RepeatVector' },
  embedding: { args: { inputDim: 4, outputDim: 2 }, className: 'Embedding' },
  reLU: { args: {}, className: 'ReLU' },
  leakyReLU: { args: {}, className: 'LeakyReLU' },
  elu: { args: {}, className: 'ELU' },
  prelu: { args: {}, className: 'PReLU' },
  softmax: { args: {}, className: 'Softmax' },
  batchNormalization: { args: {}, className: 'BatchNormalization' },
  layerNormalization: { args: {}, className: 'LayerNormalization' },
  localResponseNormalization: { args: {}, className: 'LocalResponseNormalization' },
  spatialDropout1d: { args: { rate: 0.1 }, className: 'SpatialDropout1D' },
  spatialDropout2d: { args: { rate: 0.1 }, className: 'SpatialDropout2D' },
  spatialDropout3d: { args: { rate: 0.1 }, className: 'SpatialDropout3D' },
  gaussianNoise: { args: { stddev: 0.1 }, className: 'GaussianNoise' },
  gaussianDropout: { args: { rate: 0.1 }, className: 'GaussianDropout' },
  conv1d: { args: { filters: 1, kernelSize: 1 }, className: 'Conv1D' },
  conv2d: { args: { filters: 1, kernelSize: 1 }, className: 'Conv2D' },
  conv3d: { args: { filters: 1, kernelSize: 1 }, className: 'Conv3D' },
  conv1dTranspose: { args: { filters: 1, kernelSize: 1 }, className: 'Conv1DTranspose' },
  conv2dTranspose: { args: { filters: 1, kernelSize: 1 }, className: 'Conv2DTranspose' },
  conv3dTranspose: { args: { filters: 1, kernelSize: 1 }, className: 'Conv3DTranspose' },
  depthwiseConv2d: { args: { kernelSize: 1 }, className: 'DepthwiseConv2D' },
  separableConv2d: { args: { filters: 1, kernelSize: 1 }, className: 'SeparableConv2D' },
  ...Object.fromEntries(
    (['maxPooling', 'averagePooling', 'sumPooling', 'globalAveragePooling', 'globalMaxPooling', 'zeroPadding', 'cropping', 'upSampling'] as const).flatMap((base) =>
      [1, 2, 3].map((d) => [`${base}${d}d`, { args: {}, className: `${base[0].toUpperCase()}${base.slice(1)}${d}D` }]),
    ),
  ),
  add: { args: {}, className: 'Add' },
  subtract: { args: {}, className: 'Subtract' },
  multiply: { args: {}, className: 'Multiply' },
  average: { args: {}, className: 'Average' },
  maximum: { args: {}, className: 'Maximum' },
  minimum: { args: {}, className: 'Minimum' },
  concatenate: { args: {}, className: 'Concatenate' },
  bidirectional: { args: { layer: { className: 'LSTM', config: { units: 2 } } }, className: 'Bidirectional' },
  timeDistributed: { args: { layer: { className: 'Dense', config: { units: 2 } } }, className: 'TimeDistributed' },
  primaryCaps: { args: { numCapsules: 2, capsuleDim: 2, kernelSize: 3 }, className: 'PrimaryCaps' },
  capsule: { args: { numCapsules: 2, capsuleDim: 2 }, className: 'Capsule' },
  capsuleLength: { args: {}, className: 'CapsuleLength' },
  capsuleMask: { args: {}, className: 'CapsuleMask' },
  graphConv: { args: { units: 2 }, className: 'GraphConv' },
  thresholdedReLU: { args: {}, className: 'ThresholdedReLU' },
  masking: { args: {}, className: 'Masking' },
  simpleRNN: { args: { units: 2 }, className: 'SimpleRNN' },
  lstm: { args: { units: 2 }, className: 'LSTM' },
  gru: { args: { units: 2 }, className: 'GRU' },
  simpleRNNCell: { args: { units: 2 }, className: 'SimpleRNNCell' },
  lstmCell: { args: { units: 2 }, className: 'LSTMCell' },
  gruCell: { args: { units: 2 }, className: 'GRUCell' },
  rnn: { args: { cell: { className: 'LSTMCell', config: { units: 2 } } }, className: 'RNN' },
};

/** hb.layers functions that are not layer factories. */
const HELPERS = new Set(['squash', 'routeByAgreement', 'normalizeAdjacency']);
const factories = Object.entries(L).filter(([k, v]) => typeof v === 'function' && /^[a-z]/.test(k) && !HELPERS.has(k)) as [string, Factory][];

describe('strict layer options', () => {
  it('the table has a row for every layer factory', () => {
    expect(factories.map(([k]) => k).filter((k) => !(k in ROWS))).toEqual([]);
  });

  it.each(factories)('%s: the minimal options build the layer it names', (name, make) => {
    expect(make(ROWS[name].args).className).toBe(ROWS[name].className);
  });

  it.each(factories)('%s: an unknown key is a ValueError naming the layer and the key', (name, make) => {
    const { args, className } = ROWS[name];
    expect(() => make({ ...args, notAnOption: 1 })).toThrow(hb.ValueError);
    expect(() => make({ ...args, notAnOption: 1 })).toThrow(new RegExp(`^${className}: unknown option 'notAnOption'`));
  });

  it.each(factories)('%s: a misspelt base option gets a did-you-mean', (name, make) => {
    expect(() => make({ ...ROWS[name].args, trainible: false })).toThrow(/unknown option 'trainible' \(did you mean 'trainable'\?\)/);
  });

  it('suggests the closest key, and camelCase for Keras snake_case', () => {
    expect(() => L.dense({ units: 2, activaton: 'relu' } as never)).toThrow("Dense: unknown option 'activaton' (did you mean 'activation'?)");
    expect(() => L.conv2d({ filters: 2, kernel_size: 3 } as never)).toThrow("Conv2D: unknown option 'kernel_size' (did you mean 'kernelSize'?)");
    expect(() => L.dense({ units: 2, use_bias: false } as never)).toThrow(/did you mean 'useBias'/);
    expect(() => L.embedding({ inputDim: 3, outputDim: 2, mask_zero: true } as never)).toThrow(hb.ValueError);
  });

  it('reports a missing required option as a ValueError, also with no options at all', () => {
    expect(() => (L.dense as unknown as () => Layer)()).toThrow(hb.ValueError);
    expect(() => (L.dense as unknown as () => Layer)()).toThrow("Dense: option 'units' is required (a positive integer); got no options");
    expect(() => L.conv2d({ filters: 2 } as never)).toThrow(/Conv2D: option 'kernelSize' is required/);
    expect(() => L.dropout({} as never)).toThrow(/Dropout: option 'rate' is required/);
  });

  it('checks types and ranges', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => L.dense({ units: -3 }), /Dense: option 'units' must be a positive integer, got -3/],
      [() => L.dense({ units: 2.5 }), /must be a positive integer/],
      [() => L.dense({ units: '4' as never }), /must be a positive integer, got "4"/],
      [() => L.dropout({ rate: 1 }), /Dropout: option 'rate' must be a number in \[0, 1\), got 1/],
      [() => L.dropout({ rate: Number.NaN }), /Dropout: option 'rate'/],
      [() => L.conv2d({ filters: 2, kernelSize: '3' as never }), /Conv2D: option 'kernelSize' must be a positive integer or a list of them/],
      [() => L.maxPooling2d({ poolSize: [2, 0] }), /MaxPooling2D: option 'poolSize'/],
      [() => L.dense({ units: 2, useBias: 'yes' as never }), /option 'useBias' must be a boolean/],
      [() => L.dense({ units: 2, dtype: 'float16' as never }), /option 'dtype' must be one of/],
      [() => L.dense({ units: 2, inputShape: 4 as never }), /option 'inputShape' must be a shape/],
      [() => L.batchNormalization({ momentum: 1.5 }), /option 'momentum' must be a number in \[0, 1\]/],
      [() => L.gaussianNoise({ stddev: -1 }), /option 'stddev' must be a non-negative number/],
      [() => L.dense(4 as never), /Dense: options must be an object/],
    ];
    for (const [f, message] of bad) {
      expect(f).toThrow(hb.ValueError);
      expect(f).toThrow(message);
    }
  });

  it('a saved config with an unknown key fails to load with a FormatError naming the key', () => {
    expect(() => hb.deserializeLayer({ className: 'Dense', config: { units: 2, activaton: 'relu' } })).toThrow(hb.FormatError);
    expect(() => hb.deserializeLayer({ className: 'Dense', config: { units: 2, activaton: 'relu' } })).toThrow(/activaton/);
  });
});

describe('strict options of initializers, regularizers, constraints, losses and metrics', () => {
  const y = hb.tensor([[0, 1], [1, 0]]);
  const p = hb.tensor([[0.2, 0.8], [0.6, 0.4]]);
  const cases: [string, () => unknown, RegExp][] = [
    ['randomNormal', () => hb.initializers.randomNormal({ std: 1 } as never), /RandomNormal: unknown option 'std' \(did you mean 'stddev'\?\)/],
    ['glorotUniform', () => hb.initializers.glorotUniform({ sed: 1 } as never), /GlorotUniform: unknown option 'sed' \(did you mean 'seed'\?\)/],
    ['randomUniform', () => hb.initializers.randomUniform({ minval: 'a' } as never), /option 'minval' must be a finite number/],
    ['l2', () => hb.regularizers.l2({ l: 0.1 } as never), /L2: unknown option 'l'/],
    ['l1l2', () => hb.regularizers.l1l2({ l1: -1 }), /L1L2: option 'l1' must be a non-negative number/],
    ['maxNorm', () => hb.constraints.maxNorm({ max_value: 2 } as never), /MaxNorm: unknown option 'max_value' \(did you mean 'maxValue'\?\)/],
    ['categoricalCrossentropy', () => hb.losses.categoricalCrossentropy(y, p, { from_logits: true } as never), /categoricalCrossentropy: unknown option 'from_logits' \(did you mean 'fromLogits'\?\)/],
    ['meanSquaredError', () => hb.losses.meanSquaredError(y, p, { reduction: 'avg' as never }), /option 'reduction' must be one of/],
    ['huber', () => hb.losses.huber(y, p, { delta: 'a' as never }), /huber: option 'delta' must be a positive number/],
    ['metric', () => hb.metrics.createMetric('precision', { treshold: 0.3 } as never), /unknown option 'treshold' \(did you mean 'threshold'\?\)/],
  ];
  it.each(cases)('%s', (_name, f, message) => {
    expect(f).toThrow(hb.ValueError);
    expect(f).toThrow(message);
  });

  it('addWeight takes an initializer by name, and rejects an unknown one with a ValueError', () => {
    const layer = L.dense({ units: 2 });
    const w = layer.addWeight('w', [2, 3], 'ones');
    expect(Array.from(w.value.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(() => layer.addWeight('v', [2], 'nope')).toThrow(hb.ValueError);
    expect(() => layer.addWeight('v', [2], 'zeros', { trainible: false } as never)).toThrow(/did you mean 'trainable'/);
  });
});
