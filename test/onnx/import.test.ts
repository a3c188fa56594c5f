// ONNX import: files written by PyTorch (scripts/fixtures/onnx-torch.py, Debian's python3-torch)
// reproduce PyTorch's outputs and its first training step; hebb → ONNX → hebb round trips give
// the same outputs and train the same; unsupported graphs and bad input give FormatError.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { encodeModel, makeTensor } from '../../src/io/onnx/index.js';
import { maxAbsDiff } from './helpers.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'onnx');
const L = hb.layers;

interface Reference {
  inputShape: number[]; input: number[]; outputShape: number[]; output: number[]; target: number[];
  learningRate: number; lossBefore: number; lossAfter: number;
}

/** PyTorch's NCHW images become hebb's NHWC (the imported model is channels-last). */
const toHebb = (t: hb.Tensor): hb.Tensor => (t.rank === 4 ? hb.transpose(t, [0, 2, 3, 1]) : t);

describe('importOnnx: PyTorch fixtures', () => {
  // [fixture, tolerance on the loss after one SGD step]. PyTorch's LSTM has two biases (b_ih and
  // b_hh) that each take the gradient step; hebb's LSTM has their sum, which moves half as far, so
  // after one step the LSTM's loss differs by ~2e-4 (the forward pass and first loss match to 1e-7).
  const CASES: [string, number][] = [['lenet5', 1e-4], ['resnet-block', 1e-4], ['mobilenet-block', 1e-4], ['lstm-classifier', 5e-4], ['gru', 1e-4]];
  for (const [name, stepTol] of CASES) {
    it(`${name}: same outputs as PyTorch, and one training step`, async () => {
      const ref = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Reference;
      const m = await hb.io.importOnnx(join(FIXTURES, `${name}.onnx`));
      const x = toHebb(hb.tensor(ref.input, ref.inputShape));
      const want = toHebb(hb.tensor(ref.output, ref.outputShape));
      const got = m.predict(x) as hb.Tensor;
      expect(got.shape).toEqual(want.shape);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
      // Dynamic batch: one sample alone gives its row of the batch.
      const one = m.predict(hb.slice(x, [0], [1])) as hb.Tensor;
      expect(maxAbsDiff(one, hb.slice(want, [0], [1]))).toBeLessThan(1e-4);
      m.compile({ optimizer: hb.optimizers.sgd({ learningRate: ref.learningRate }), loss: 'meanSquaredError' });
      const y = toHebb(hb.tensor(ref.target, ref.outputShape));
      const before = m.trainOnBatch(x, y).loss;
      const after = m.trainOnBatch(x, y).loss;
      expect(Math.abs(before - ref.lossBefore)).toBeLessThan(1e-4);
      expect(Math.abs(after - ref.lossAfter)).toBeLessThan(stepTol);
      expect(after).toBeLessThan(before);
    });
  }

  it('maps PyTorch layers to hebb layers (depthwise conv, batch norm, LSTM, GRU)', async () => {
    const names = async (f: string) => (await hb.io.importOnnx(join(FIXTURES, f))).layers.map((l) => l.className);
    expect(await names('mobilenet-block.onnx')).toEqual(expect.arrayContaining(['DepthwiseConv2D', 'BatchNormalization', 'GlobalAveragePooling2D', 'Dense']));
    expect(await names('lstm-classifier.onnx')).toEqual(['InputLayer', 'LSTM', 'Dense', 'Softmax']);
    expect(await names('gru.onnx')).toEqual(['InputLayer', 'GRU', 'Dense']);
  });
});

describe('importOnnx: hebb → ONNX → hebb', () => {
  const CASES: [string, () => hb.Model, number[]][] = [
    ['lenet5', () => hb.zoo.lenet5(), [2, 28, 28, 1]],
    ['conv, batch norm, pooling, padding, up-sampling', () => hb.sequential([
      L.zeroPadding2d({ padding: 1, inputShape: [8, 8, 3] }), L.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu' }), L.batchNormalization(),
      L.depthwiseConv2d({ kernelSize: 3, padding: 'same' }), L.upSampling2d({ size: 2 }), L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      L.maxPooling2d({ poolSize: 2 }), L.globalAveragePooling2d(), L.dense({ units: 3, activation: 'softmax' }),
    ]), [2, 8, 8, 3]],
    ['recurrent stack', () => hb.sequential([
      L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }), inputShape: [5, 3] }), L.gru({ units: 3, returnSequences: true, resetAfter: false }),
      L.simpleRNN({ units: 2 }), L.layerNormalization(), L.dense({ units: 2 }),
    ]), [2, 5, 3]],
  ];
  for (const [name, make, shape] of CASES) {
    it(`${name}: same outputs, same training`, () => {
      hb.setSeed(21);
      const a = make();
      const b = hb.io.importOnnxBytes(hb.io.exportOnnxBytes(a));
      expect(b.countParams()).toBe(a.countParams());
      const x = hb.randomUniform(shape);
      const ya = a.predict(x) as hb.Tensor;
      expect(maxAbsDiff(b.predict(x) as hb.Tensor, ya)).toBeLessThan(1e-5);
      const y = hb.randomUniform(ya.shape);
      for (const m of [a, b]) m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
      for (let step = 0; step < 3; step++) {
        const la = a.trainOnBatch(x, y).loss;
        const lb = b.trainOnBatch(x, y).loss;
        expect(Math.abs(la - lb)).toBeLessThan(1e-5);
      }
      expect(maxAbsDiff(b.predict(x) as hb.Tensor, a.predict(x) as hb.Tensor)).toBeLessThan(1e-5);
    });
  }

  it('a file round trip, and the imported model saves and loads as a hebb model', async () => {
    hb.setSeed(5);
    const dir = mkdtempSync(join(tmpdir(), 'hebb-onnx-'));
    try {
      const a = hb.sequential([L.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }), L.flatten(), L.dense({ units: 2 })]);
      await hb.io.exportOnnx(a, join(dir, 'm.onnx'), { opset: 17 });
      const b = await hb.io.importOnnx(join(dir, 'm.onnx'), { name: 'imported' });
      expect(b.name).toBe('imported');
      await b.save(join(dir, 'saved'));
      const c = await hb.loadModel(join(dir, 'saved'));
      const x = hb.randomUniform([3, 6, 6, 1]);
      expect(maxAbsDiff(c.predict(x) as hb.Tensor, a.predict(x) as hb.Tensor)).toBeLessThan(1e-5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A small ONNX model from nodes (input x [batch, 4], float). */
function onnxBytes(nodes: { opType: string; input: string[]; output: string[]; name?: string; domain?: string }[], initializers = [makeTensor('w', [4, 2], new Float32Array(8))]): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g', node: nodes, initializer: initializers,
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: 4 }] } } } }],
      output: [{ name: nodes[nodes.length - 1].output[0], type: { tensorType: { elemType: 1 } } }],
    },
  });
}

describe('importOnnx: errors', () => {
  it('names every unsupported op and its nodes in one FormatError', () => {
    const bytes = onnxBytes([
      { opType: 'MatMul', input: ['x', 'w'], output: ['a'], name: 'mm' },
      { opType: 'Einsum', input: ['a'], output: ['b'], name: 'e1' },
      { opType: 'TopK', input: ['b'], output: ['c'], name: 'top' },
      { opType: 'Einsum', input: ['c'], output: ['d'], name: 'e2' },
      { opType: 'Custom', input: ['d'], output: ['e'], name: 'mine', domain: 'com.example' },
    ]);
    let message = '';
    try {
      hb.io.importOnnxBytes(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(hb.FormatError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/Einsum \(nodes 'e1', 'e2'\)/);
    expect(message).toMatch(/TopK \(node 'top'\)/);
    expect(message).toMatch(/com\.example\.Custom \(node 'mine'\)/);
    expect(message).not.toMatch(/MatMul \(/);
  });

  it('malformed files and graphs give FormatError naming the problem', async () => {
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /empty/],
      [new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), /not a valid ONNX protobuf/],
      [encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }] }), /no graph/],
      [onnxBytes([{ opType: 'MatMul', input: ['x', 'nowhere'], output: ['a'], name: 'mm' }]), /'nowhere' is not produced/],
      [onnxBytes([{ opType: 'MatMul', input: ['x', 'w'], output: ['a'] }], [{ name: 'w', dims: [4, 2], dataType: 1, rawData: new Uint8Array(5) }]), /raw_data has 5 bytes/],
      [onnxBytes([{ opType: 'MatMul', input: ['x', 'w'], output: ['a'] }], [makeTensor('w', [3, 2], new Float32Array(6))]), /4 features, the weight expects 3/],
      [onnxBytes([{ opType: 'Conv', input: ['x', 'w'], output: ['a'], name: 'c' }]), /node 'c' \(Conv\)/],
    ];
    for (const [bytes, pattern] of cases) {
      expect(() => hb.io.importOnnxBytes(bytes)).toThrow(hb.FormatError);
      expect(() => hb.io.importOnnxBytes(bytes)).toThrow(pattern);
    }
    await expect(hb.io.importOnnx(join(tmpdir(), 'no-such-file.onnx'))).rejects.toThrow(/missing file/);
    expect(() => hb.io.importOnnxBytes(onnxBytes([{ opType: 'MatMul', input: ['x', 'w'], output: ['a'] }]), { nmae: 'x' } as never)).toThrow(/did you mean 'name'/);
  });

  it('a file written to disk round trips through the file functions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hebb-onnx-'));
    try {
      writeFileSync(join(dir, 'mm.onnx'), onnxBytes([{ opType: 'MatMul', input: ['x', 'w'], output: ['a'] }], [makeTensor('w', [4, 2], [1, 0, 0, 1, 1, 0, 0, 1])]));
      const m = await hb.io.importOnnx(join(dir, 'mm.onnx'));
      expect((m.predict(hb.tensor([[1, 2, 3, 4]])) as hb.Tensor).toArray()).toEqual([[4, 6]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
