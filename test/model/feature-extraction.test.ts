// Feature extraction as in Keras: model.getLayer, layer.input / layer.output (symbolic),
// model.inputs / model.outputs, and hb.model({ inputs: m.inputs, outputs: [...] }) sharing the
// weights of m. Expected values come from running the layers one by one by hand.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const close = (a: hb.Tensor, b: hb.Tensor): void => {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 5);
};

describe('feature extraction', () => {
  it('sequential: a sub-model to an inner layer gives that layer’s activations and shares weights', () => {
    const m = hb.zoo.lenet5();
    const c1 = m.getLayer('c1');
    expect(c1.input).toBe(m.inputs[0]);
    expect((c1.output as hb.SymbolicTensor).shape).toEqual([null, 28, 28, 6]);
    expect(m.getLayer(0)).toBe(c1);
    const features = hb.model({ inputs: m.inputs, outputs: [c1.output as hb.SymbolicTensor, m.getLayer('c3').output as hb.SymbolicTensor] });
    const x = hb.randomUniform([2, 28, 28, 1], { seed: 3 });
    const [a1, a3] = features.predict(x) as hb.Tensor[];
    // By hand: apply the layers one after another.
    const h1 = c1.apply(x);
    const h3 = m.getLayer('c3').apply(m.getLayer('s2').apply(h1));
    close(a1, h1);
    close(a3, h3);
    // The extractor holds the very same Variables: changing m changes it.
    expect(features.weights[0]).toBe(c1.weights[0]);
    c1.setWeights(c1.getWeights().map((w) => hb.zerosLike(w)));
    expect(Math.max(...Array.from((features.predict(x) as hb.Tensor[])[0].dataSync()))).toBe(0);
    // model.outputs is the last layer's output.
    expect(m.outputs[0]).toBe(m.getLayer('output').output);
    expect(m.output).toBe(m.outputs[0]);
    expect(m.input).toBe(m.inputs[0]);
  });

  it('sequential without an input shape: the symbolic graph exists once built, and the error says how', () => {
    const m = hb.sequential([hb.layers.dense({ units: 3, name: 'h' }), hb.layers.dense({ units: 1, name: 'o' })]);
    expect(() => m.getLayer('h').output).toThrow(/never been called.*input shape/);
    expect(m.inputs).toEqual([]);
    m.build([null, 4]);
    const f = hb.model({ inputs: m.inputs, outputs: m.getLayer('h').output });
    const x = hb.randomNormal([5, 4], { seed: 1 });
    close(f.predict(x) as hb.Tensor, m.getLayer('h').apply(x));
  });

  it('functional: intermediate outputs of branches, and layer.input of a merge is a list', () => {
    const inp = hb.input({ shape: [3], name: 'x' });
    const a = hb.layers.dense({ units: 2, name: 'a' }).apply(inp);
    const b = hb.layers.dense({ units: 2, name: 'b' }).apply(inp);
    const s = hb.layers.add({ name: 'sum' }).apply([a, b]);
    const m = hb.model({ inputs: inp, outputs: hb.layers.dense({ units: 1, name: 'out' }).apply(s) });
    expect(m.getLayer('sum').input).toEqual([a, b]);
    expect(m.getLayer('a').output).toBe(a);
    const f = hb.model({ inputs: m.inputs, outputs: [m.getLayer('a').output as hb.SymbolicTensor, m.getLayer('sum').output as hb.SymbolicTensor] });
    const x = hb.randomNormal([4, 3], { seed: 2 });
    const [fa, fs] = f.predict(x) as hb.Tensor[];
    const ha = m.getLayer('a').apply(x);
    close(fa, ha);
    close(fs, hb.add(ha, m.getLayer('b').apply(x)));
  });

  it('a shared layer has one input and output per call (getOutputAt), and bad indices are clear errors', () => {
    const shared = hb.layers.dense({ units: 2, name: 'shared' });
    const x1 = hb.input({ shape: [3] });
    const x2 = hb.input({ shape: [3] });
    const y1 = shared.apply(x1);
    const y2 = shared.apply(x2);
    expect(shared.output).toBe(y1);
    expect(shared.getOutputAt(1)).toBe(y2);
    expect(shared.getInputAt(1)).toBe(x2);
    expect(() => shared.getOutputAt(2)).toThrow(/no call 2; the layer has been called 2 time/);
    expect(() => (x1.node!.layer).input).toThrow(/input layer has no input/);
    expect(() => hb.layers.dense({ units: 1 }).output).toThrow(hb.ValueError);
  });
});
