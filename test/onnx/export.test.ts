// ONNX export, proven in onnxruntime-node: every exportable layer (one small model each) and the
// zoo models at small input sizes give hebb's outputs to 1e-4 (the reference is hebb's own
// forward pass, an independent implementation from ONNX Runtime's kernels).
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { decodeModel } from '../../src/io/onnx/index.js';
import { maxAbsDiff, runOrt } from './helpers.js';

const L = hb.layers;
const TOL = 1e-4;

async function agree(m: hb.Model, xs: hb.Tensor[], opset?: number): Promise<number> {
  const bytes = hb.io.exportOnnxBytes(m, opset === undefined ? undefined : { opset });
  const feeds: Record<string, hb.Tensor> = {};
  m.inputNames.forEach((n, i) => (feeds[n] = xs[i]));
  const got = await runOrt(bytes, feeds);
  const want = m.predict(xs.length === 1 ? xs[0] : xs);
  const wants = Array.isArray(want) ? want : [want];
  expect(got.length).toBe(wants.length);
  let worst = 0;
  wants.forEach((w, i) => (worst = Math.max(worst, maxAbsDiff(w, got[i]))));
  return worst;
}

const seq = (layers: hb.Layer[]) => hb.sequential(layers);
const img = (h = 9, w = 9, c = 3, n = 2) => hb.randomNormal([n, h, w, c]);

// [name, model factory, input factory, opset?]
const CASES: [string, () => hb.Model, () => hb.Tensor[], number?][] = [
  ['dense + relu', () => seq([L.dense({ units: 4, inputShape: [5], activation: 'relu' })]), () => [hb.randomNormal([3, 5])]],
  ['dense on [N, T, F]', () => seq([L.dense({ units: 4, inputShape: [6, 5], useBias: false })]), () => [hb.randomNormal([2, 6, 5])]],
  ['conv2d same, stride 2', () => seq([L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', inputShape: [9, 9, 3], activation: 'elu' })]), () => [img()]],
  ['conv2d grouped, dilated', () => seq([L.conv2d({ filters: 6, kernelSize: 3, groups: 3, dilationRate: 2, inputShape: [9, 9, 3] })]), () => [img()]],
  ['conv1d causal', () => seq([L.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', inputShape: [7, 3] })]), () => [hb.randomNormal([2, 7, 3])]],
  ['conv3d same', () => seq([L.conv3d({ filters: 2, kernelSize: 2, padding: 'same', inputShape: [4, 5, 6, 2] })]), () => [hb.randomNormal([2, 4, 5, 6, 2])]],
  ['conv2dTranspose same', () => seq([L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', inputShape: [5, 5, 3] })]), () => [img(5, 5)]],
  ['conv2dTranspose valid', () => seq([L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, inputShape: [5, 5, 3] })]), () => [img(5, 5)]],
  ['conv1dTranspose', () => seq([L.conv1dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', inputShape: [6, 3] })]), () => [hb.randomNormal([2, 6, 3])]],
  ['conv3dTranspose', () => seq([L.conv3dTranspose({ filters: 2, kernelSize: 2, strides: 2, inputShape: [3, 3, 3, 2] })]), () => [hb.randomNormal([2, 3, 3, 3, 2])]],
  ['depthwiseConv2d', () => seq([L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [9, 9, 3] })]), () => [img()]],
  ['separableConv2d', () => seq([L.separableConv2d({ filters: 5, kernelSize: 3, inputShape: [9, 9, 3], activation: 'relu6' })]), () => [img()]],
  ['pooling 2d', () => seq([L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [9, 9, 3] }), L.averagePooling2d({ poolSize: 2, padding: 'same' }), L.sumPooling2d({ poolSize: 2 }), L.globalAveragePooling2d()]), () => [img()]],
  ['pooling 1d/3d', () => seq([L.maxPooling1d({ poolSize: 2, inputShape: [8, 3] }), L.averagePooling1d({ poolSize: 2, padding: 'same' }), L.globalMaxPooling1d()]), () => [hb.randomNormal([2, 8, 3])]],
  ['pooling 3d', () => seq([L.averagePooling3d({ poolSize: 2, inputShape: [4, 4, 4, 2] }), L.maxPooling3d({ poolSize: 2 }), L.globalAveragePooling3d({ keepDims: true })]), () => [hb.randomNormal([2, 4, 4, 4, 2])]],
  ['flatten → dense (folded)', () => seq([L.conv2d({ filters: 4, kernelSize: 3, inputShape: [9, 9, 3] }), L.flatten(), L.dense({ units: 3, activation: 'softmax' })]), () => [img()]],
  ['batch/layer norm, relu6, dropout', () => seq([L.conv2d({ filters: 4, kernelSize: 3, inputShape: [9, 9, 3] }), L.batchNormalization({ epsilon: 0.01 }), L.reLU({ maxValue: 6 }), L.layerNormalization(), L.dropout({ rate: 0.5 }), L.spatialDropout2d({ rate: 0.3 }), L.gaussianNoise({ stddev: 1 })]), () => [img()]],
  ['layer norm, opset 13 (decomposed)', () => seq([L.layerNormalization({ inputShape: [4, 6] }), L.gaussianDropout({ rate: 0.2 })]), () => [hb.randomNormal([2, 4, 6])], 13],
  ['batch norm on [N, F]', () => seq([L.dense({ units: 6, inputShape: [5] }), L.batchNormalization({ center: false })]), () => [hb.randomNormal([3, 5])]],
  ['local response normalisation', () => seq([L.localResponseNormalization({ depthRadius: 2, alpha: 0.1, beta: 0.75, bias: 2, inputShape: [4, 4, 7] })]), () => [hb.randomNormal([2, 4, 4, 7])]],
  ['activation layers', () => seq([L.leakyReLU({ inputShape: [4, 4, 3] }), L.elu({ alpha: 0.5 }), L.prelu(), L.softmax({ axis: 1 })]), () => [img(4, 4)]],
  ['every named activation', () => seq(['relu', 'selu', 'gelu', 'softplus', 'softsign', 'swish', 'leakyRelu', 'hardSigmoid', 'sigmoid', 'tanh', 'logSoftmax', 'linear'].map((a, i) => L.activation({ activation: a as hb.ActivationName, ...(i === 0 ? { inputShape: [7] } : {}) }))), () => [hb.randomNormal([3, 7])]],
  ['gelu at opset 13 (erf form)', () => seq([L.activation({ activation: 'gelu', inputShape: [7] })]), () => [hb.randomNormal([3, 7])], 13],
  ['reshape, permute, repeatVector', () => seq([L.reshape({ targetShape: [3, 4], inputShape: [12] }), L.permute({ dims: [2, 1] }), L.flatten(), L.repeatVector({ n: 3 })]), () => [hb.randomNormal([2, 12])]],
  ['embedding (int32 ids)', () => {
    const ids = hb.input({ shape: [5], dtype: 'int32' });
    return hb.model({ inputs: ids, outputs: L.embedding({ inputDim: 10, outputDim: 4 }).apply(ids) });
  }, () => [hb.tensor([[1, 2, 3, 9, 0], [4, 4, 5, 6, 7]], undefined, 'int32')]],
  ['zero padding, cropping, up-sampling', () => seq([L.upSampling2d({ size: 2, inputShape: [5, 5, 3] }), L.zeroPadding2d({ padding: 1 }), L.cropping2d({ cropping: [[1, 2], [0, 1]] })]), () => [img(5, 5)]],
  ['up-sampling bilinear after conv', () => seq([L.conv2d({ filters: 2, kernelSize: 1, inputShape: [5, 5, 3] }), L.upSampling2d({ size: 2, interpolation: 'bilinear' })]), () => [img(5, 5)]],
  ['1d/3d padding and up-sampling', () => seq([L.zeroPadding1d({ padding: [1, 2], inputShape: [5, 3] }), L.upSampling1d({ size: 2 }), L.cropping1d({ cropping: [1, 1] })]), () => [hb.randomNormal([2, 5, 3])]],
  ['lstm → gru', () => seq([L.lstm({ units: 4, inputShape: [5, 3], returnSequences: true }), L.gru({ units: 3 })]), () => [hb.randomNormal([2, 5, 3])]],
  ['gru (resetAfter false, goBackwards) → simpleRNN', () => seq([L.gru({ units: 4, inputShape: [5, 3], resetAfter: false, goBackwards: true, returnSequences: true }), L.simpleRNN({ units: 3, activation: 'relu' })]), () => [hb.randomNormal([2, 5, 3])]],
  ['bidirectional concat and sum', () => seq([L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }), inputShape: [5, 3] }), L.bidirectional({ layer: L.gru({ units: 2 }), mergeMode: 'sum' })]), () => [hb.randomNormal([2, 5, 3])]],
  ['timeDistributed dense', () => seq([L.timeDistributed({ layer: L.dense({ units: 3 }), inputShape: [4, 5] })]), () => [hb.randomNormal([2, 4, 5])]],
];

describe('exportOnnx: layer by layer in onnxruntime-node', () => {
  for (const [name, makeModel, makeInputs, opset] of CASES) {
    it(name, async () => {
      hb.setSeed(7);
      const m = makeModel();
      expect(await agree(m, makeInputs(), opset)).toBeLessThan(TOL);
    });
  }

  it('merge layers in a functional graph (add, subtract, multiply, average, maximum, minimum, concatenate)', async () => {
    hb.setSeed(3);
    const a = hb.input({ shape: [6, 6, 2], name: 'a' });
    const b = hb.input({ shape: [6, 6, 2], name: 'b' });
    const ca = L.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(a);
    const merged = [L.add(), L.subtract(), L.multiply(), L.average(), L.maximum(), L.minimum()].map((l) => l.apply([ca, b]));
    const out = L.concatenate({ axis: -1 }).apply(merged);
    const pooled = L.globalMaxPooling2d().apply(out);
    const m = hb.model({ inputs: [a, b], outputs: [pooled, L.add().apply([ca, b, a])] });
    expect(await agree(m, [img(6, 6, 2), img(6, 6, 2)])).toBeLessThan(TOL);
  });

  it('a nested model and a shared layer', async () => {
    hb.setSeed(4);
    const inner = hb.sequential([L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [6, 6, 3], activation: 'relu' })]);
    const x = hb.input({ shape: [6, 6, 3] });
    const y = inner.apply(inner.apply(x));
    const m = hb.model({ inputs: x, outputs: L.flatten().apply(y) });
    expect(await agree(m, [img(6, 6)])).toBeLessThan(TOL);
  });

  it('capsule layers: primary capsules, routing by agreement (3 iterations), lengths and masks', async () => {
    hb.setSeed(8);
    const init = { className: 'RandomNormal', config: { stddev: 0.3 } };
    const x = hb.input({ shape: [6, 6, 4] });
    const primary = L.primaryCaps({ numCapsules: 2, capsuleDim: 4, kernelSize: 3, kernelInitializer: init }).apply(x);
    const digits = L.capsule({ numCapsules: 3, capsuleDim: 5, routings: 3, kernelInitializer: init }).apply(primary);
    const label = hb.input({ shape: [3] });
    const m = hb.model({
      inputs: [x, label],
      outputs: [L.capsuleLength().apply(digits), L.capsuleMask().apply(digits), L.capsuleMask().apply([digits, label])],
    });
    const lengths = m.predict([hb.randomNormal([2, 6, 6, 4]), hb.oneHot(hb.tensor([0, 2], [2], 'int32'), 3)]) as hb.Tensor[];
    // Non-degenerate capsules (lengths strictly between 0 and 1), so the comparison means something.
    expect(Math.min(...lengths[0].dataSync())).toBeGreaterThan(0.05);
    expect(await agree(m, [hb.randomNormal([2, 6, 6, 4]), hb.oneHot(hb.tensor([0, 2], [2], 'int32'), 3)])).toBeLessThan(TOL);
  });

  it('graph convolution (gcn zoo model, two inputs)', async () => {
    hb.setSeed(5);
    const g = hb.zoo.gcn({ features: 6, classes: 3 });
    expect(await agree(g, [hb.randomNormal([5, 6]), hb.randomUniform([5, 5])])).toBeLessThan(TOL);
  });
});

describe('exportOnnx: graph shape', () => {
  it('keeps channels-last at the edges, a dynamic batch, and one Transpose for LeNet-5', async () => {
    hb.setSeed(1);
    const m = hb.zoo.lenet5();
    const bytes = hb.io.exportOnnxBytes(m);
    const proto = decodeModel(bytes);
    const graph = proto.graph!;
    const dims = graph.input![0].type!.tensorType!.shape!.dim!;
    expect(dims[0].dimParam).toBe('batch');
    expect(dims.slice(1).map((d) => Number(d.dimValue))).toEqual([28, 28, 1]);
    // Conv → pool → conv → pool → flatten → dense: the input is transposed once; the flatten is folded into the dense weights.
    expect(graph.node!.filter((n) => n.opType === 'Transpose').length).toBe(1);
    for (const n of [1, 3]) {
      const x = hb.randomUniform([n, 28, 28, 1]);
      const [y] = await runOrt(bytes, { [m.inputNames[0]]: x });
      expect(y.shape).toEqual([n, 10]);
      expect(maxAbsDiff(m.predict(x) as hb.Tensor, y)).toBeLessThan(TOL);
    }
    expect(Number(proto.opsetImport![0].version)).toBe(21);
  });

  it('onnxruntime-web (the WebAssembly build a page loads) runs the same file', async () => {
    hb.setSeed(6);
    const m = hb.zoo.lenet5();
    const x = hb.randomUniform([3, 28, 28, 1]);
    ortWeb.env.wasm.numThreads = 1;
    const session = await ortWeb.InferenceSession.create(hb.io.exportOnnxBytes(m));
    const out = await session.run({ [session.inputNames[0]]: new ortWeb.Tensor('float32', x.dataSync() as Float32Array, [3, 28, 28, 1]) });
    const y = hb.tensor(out[session.outputNames[0]].data as Float32Array, [3, 10]);
    expect(maxAbsDiff(y, m.predict(x) as hb.Tensor)).toBeLessThan(TOL);
  });

  it('writes the requested opset and checks options', () => {
    const m = seq([L.dense({ units: 2, inputShape: [3] })]);
    expect(Number(decodeModel(hb.io.exportOnnxBytes(m, { opset: 13 })).opsetImport![0].version)).toBe(13);
    expect(() => hb.io.exportOnnxBytes(m, { opset: 12 })).toThrow(/opset.*13 to 21/);
    expect(() => hb.io.exportOnnxBytes(m, { opst: 13 } as never)).toThrow(/did you mean 'opset'/);
    expect(() => hb.io.exportOnnxBytes({} as never)).toThrow(hb.ValueError);
    expect(() => hb.io.exportOnnxBytes(hb.sequential([L.dense({ units: 2 })]))).toThrow(/not built/);
  });

  it('a layer ONNX cannot express throws ValueError naming it', () => {
    hb.setSeed(2);
    const m = seq([L.dense({ units: 3, inputShape: [3] }), L.reLU({ threshold: 0.5, name: 'thresholded' })]);
    expect(() => hb.io.exportOnnxBytes(m)).toThrow(hb.ValueError);
    expect(() => hb.io.exportOnnxBytes(m)).toThrow(/thresholded/);
  });
});

// The zoo at small input sizes, one model per family that builds in seconds. The others (AlexNet,
// NiN, the VGGs and ResNets, CapsNet: 6–58 M parameters, minutes to initialise and export on a
// shared machine) run in scripts/onnx-zoo-check.ts, which covers every zoo model.
const ZOO: [string, number[]][] = [
  ['lenet5', [28, 28, 1]], ['mlp', [28, 28, 1]], ['squeezenet', [35, 35, 3]],
  ['mobilenetV1', [32, 32, 3]], ['mobilenetV2', [32, 32, 3]], ['densenet121', [32, 32, 3]], ['googlenet', [32, 32, 3]], ['shufflenetV2', [32, 32, 3]],
];

describe('exportOnnx: zoo models in onnxruntime-node', () => {
  for (const [name, shape] of ZOO) {
    it(name, async () => {
      hb.setSeed(11);
      const make = (hb.zoo as unknown as Record<string, (o: object) => hb.Model>)[name];
      const m = make({ inputShape: shape, classes: 10 });
      expect(await agree(m, [hb.randomUniform([2, ...shape])])).toBeLessThan(TOL);
    }, 60_000);
  }
});
