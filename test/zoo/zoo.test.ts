// The zoo's MNIST networks: parameter counts checked against hand arithmetic (f·f·C_in·C_out +
// C_out per conv, n_in·n_out + n_out per dense), output shapes, and a forward pass.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const conv = (f: number, cIn: number, cOut: number) => f * f * cIn * cOut + cOut;
const dense = (nIn: number, nOut: number) => nIn * nOut + nOut;

describe('zoo.lenet5', () => {
  it('has 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 parameters', () => {
    const perLayer = [conv(5, 1, 6), conv(5, 6, 16), dense(5 * 5 * 16, 120), dense(120, 84), dense(84, 10)];
    expect(perLayer).toEqual([156, 2416, 48120, 10164, 850]);
    const model = hb.zoo.lenet5();
    expect(model.countParams()).toBe(61706);
    const withWeights = model.layers.map((l) => l.countParams()).filter((n) => n > 0);
    expect(withWeights).toEqual(perLayer);
  });

  it('follows the lectures\' shapes: 28×28×6, 14×14×6, 10×10×16, 5×5×16, 400, 120, 84, 10', () => {
    const model = hb.zoo.lenet5();
    let shape: (number | null)[] = [null, 28, 28, 1];
    const seen: (number | null)[][] = [];
    for (const l of model.layers) {
      shape = l.computeOutputShape(shape) as (number | null)[];
      seen.push(shape);
    }
    expect(seen).toEqual([[null, 28, 28, 6], [null, 14, 14, 6], [null, 10, 10, 16], [null, 5, 5, 16], [null, 400], [null, 120], [null, 84], [null, 10]]);
    expect(model.layers.map((l) => l.className)).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense', 'Dense']);
    expect(model.layers.map((l) => l.name)).toEqual(['c1', 's2', 'c3', 's4', 'flatten', 'c5', 'f6', 'output']);
  });

  it('summarises with the total and predicts a distribution per image', () => {
    const model = hb.zoo.lenet5();
    const text = model.summary({ print: false });
    expect(text).toMatch(/61,?706/);
    const p = model.predict(hb.randomUniform([2, 28, 28, 1], { seed: 3 })) as hb.Tensor;
    expect(p.shape).toEqual([2, 10]);
    const rows = p.toArray() as number[][];
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('takes other input shapes and class counts (parameters follow the arithmetic)', () => {
    // 32×32×3 'same' → 32 → pool 16 → valid 12 → pool 6: 6·6·16 = 576 inputs to the first dense layer.
    const m = hb.zoo.lenet5({ inputShape: [32, 32, 3], classes: 5 });
    expect(m.countParams()).toBe(conv(5, 3, 6) + conv(5, 6, 16) + dense(576, 120) + dense(120, 84) + dense(84, 5));
  });
});

describe('zoo.mlp', () => {
  it('is 784-500-500-10: 392,500 + 250,500 + 5,010 = 648,010 parameters, for images or vectors', () => {
    const perLayer = [dense(784, 500), dense(500, 500), dense(500, 10)];
    expect(perLayer).toEqual([392500, 250500, 5010]);
    const images = hb.zoo.mlp();
    expect(images.countParams()).toBe(648010);
    expect(images.layers.map((l) => l.className)).toEqual(['Flatten', 'Dense', 'Dense', 'Dense']);
    const vectors = hb.zoo.mlp({ inputShape: [784] });
    expect(vectors.countParams()).toBe(648010);
    expect(vectors.layers.map((l) => l.className)).toEqual(['Dense', 'Dense', 'Dense']);
    expect(hb.zoo.mlp({ hidden: [100] }).countParams()).toBe(dense(784, 100) + dense(100, 10));
    const p = vectors.predict(hb.zeros([3, 784])) as hb.Tensor;
    expect(p.shape).toEqual([3, 10]);
  });

  it('rejects options it cannot build with a ValueError naming the model', () => {
    expect(() => hb.zoo.mlp({ classes: 0 })).toThrow(/zoo\.mlp: classes/);
    expect(() => hb.zoo.lenet5({ inputShape: [784] })).toThrow(/zoo\.lenet5: inputShape must have 3 axes/);
    expect(() => hb.zoo.lenet5({ inputShape: [28, -1, 1] })).toThrow(hb.ValueError);
    expect(() => hb.zoo.mlp({ hidden: [500, 0] })).toThrow(/zoo\.mlp: hidden/);
  });
});
