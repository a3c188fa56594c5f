// Losses: hand-computed values, reductions, stability at extreme logits (±1e4) and
// probabilities (0, 1), float64 gradient checks, and lookup by name.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const Ls = hb.losses;
const t = (v: number[] | number[][], dtype: hb.DType = 'float32') => hb.tensor(v, undefined, dtype);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const near = (actual: hb.Tensor, expected: number, digits = 5): void => expect(actual.item()).toBeCloseTo(expected, digits);
const values = (x: hb.Tensor): number[] => Array.from(x.dataSync());

describe('regression losses by hand', () => {
  const yTrue = t([[1, 2], [3, 4]]);
  const yPred = t([[1, 3], [5, 4]]);

  it('meanSquaredError with each reduction', () => {
    // per sample: (0 + 1)/2 = 0.5 and (4 + 0)/2 = 2.
    near(Ls.meanSquaredError(yTrue, yPred), 1.25);
    near(Ls.meanSquaredError(yTrue, yPred, { reduction: 'sum' }), 2.5);
    expect(values(Ls.meanSquaredError(yTrue, yPred, { reduction: 'none' }))).toEqual([0.5, 2]);
    // sample weights [1, 3]: (0.5 + 6) / 2.
    near(Ls.meanSquaredError(yTrue, yPred, { sampleWeight: t([1, 3]) }), 3.25);
  });

  it('meanAbsoluteError', () => {
    expect(values(Ls.meanAbsoluteError(yTrue, yPred, { reduction: 'none' }))).toEqual([0.5, 1]);
  });

  it('one value per element for rank-1 inputs, and [N] vs [N, 1] reconciled', () => {
    expect(values(Ls.meanSquaredError(t([1, 2, 3]), t([1, 4, 0]), { reduction: 'none' }))).toEqual([0, 4, 9]);
    near(Ls.meanSquaredError(t([1, 2]), t([[2], [2]])), 0.5);
  });

  it('huber: ½e² inside δ, δ(|e| − ½δ) outside', () => {
    // errors 0.5 and −2 with δ = 1: 0.125 and 1.5.
    expect(values(Ls.huber(t([[0], [0]]), t([[0.5], [-2]]), { reduction: 'none' }))).toEqual([0.125, 1.5]);
    near(Ls.huber(t([[0, 0]]), t([[0.5, 3]]), { delta: 2 }), (0.125 + 2 * (3 - 1)) / 2);
  });

  it('logCosh, meanSquaredLogarithmicError, cosineSimilarity', () => {
    near(Ls.logCosh(t([[0, 1]]), t([[0.5, -1]])), (Math.log(Math.cosh(0.5)) + Math.log(Math.cosh(2))) / 2);
    near(Ls.logCosh(t([[0]]), t([[1000]])), 1000 - Math.LN2, 2);
    near(Ls.meanSquaredLogarithmicError(t([[1, 3]]), t([[2, 0]])), ((Math.log(3) - Math.log(2)) ** 2 + Math.log(4) ** 2) / 2);
    near(Ls.cosineSimilarity(t([[1, 0]]), t([[1, 1]])), -Math.SQRT1_2);
    near(Ls.cosineSimilarity(t([[2, 0]]), t([[-3, 0]])), 1);
  });
});

describe('cross-entropies by hand', () => {
  it('binaryCrossentropy from probabilities and from logits', () => {
    near(Ls.binaryCrossentropy(t([[1], [0]]), t([[0.9], [0.2]])), (-Math.log(0.9) - Math.log(0.8)) / 2);
    near(Ls.binaryCrossentropy(t([[1, 0]]), t([[0.9, 0.2]])), (-Math.log(0.9) - Math.log(0.8)) / 2);
    near(Ls.binaryCrossentropy(t([1, 0]), t([2, -1]), { fromLogits: true }), (-Math.log(sigmoid(2)) - Math.log(1 - sigmoid(-1))) / 2);
  });

  it('binaryCrossentropy with label smoothing: y → y(1 − s) + s/2', () => {
    // s = 0.2: target 1 → 0.9.
    near(Ls.binaryCrossentropy(t([1]), t([0.7]), { labelSmoothing: 0.2 }), -(0.9 * Math.log(0.7) + 0.1 * Math.log(0.3)));
  });

  it('categoricalCrossentropy from probabilities (renormalised) and logits', () => {
    near(Ls.categoricalCrossentropy(t([[0, 1, 0]]), t([[0.2, 0.7, 0.1]])), -Math.log(0.7));
    near(Ls.categoricalCrossentropy(t([[0, 1, 0]]), t([[0.4, 1.4, 0.2]])), -Math.log(0.7));
    const lse = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);
    near(Ls.categoricalCrossentropy(t([[0, 0, 1]]), t([[1, 2, 3]]), { fromLogits: true }), -(3 - lse));
  });

  it('categoricalCrossentropy with label smoothing: y → y(1 − s) + s/K', () => {
    const p = [0.2, 0.3, 0.5];
    const s = 0.3;
    const y = [0, 0, 1].map((v) => v * (1 - s) + s / 3);
    near(Ls.categoricalCrossentropy(t([[0, 0, 1]]), t([p]), { labelSmoothing: s }), -y.reduce((a, v, i) => a + v * Math.log(p[i]), 0));
  });

  it('sparseCategoricalCrossentropy equals the categorical one on one-hot targets', () => {
    const logits = t([[1, 2, 3], [0.5, -1, 2]]);
    const dense = Ls.categoricalCrossentropy(t([[0, 0, 1], [1, 0, 0]]), logits, { fromLogits: true, reduction: 'none' });
    expect(values(Ls.sparseCategoricalCrossentropy(hb.tensor([2, 0], [2], 'int32'), logits, { fromLogits: true, reduction: 'none' }))).toEqual(values(dense));
    expect(values(Ls.sparseCategoricalCrossentropy(t([[2], [0]]), logits, { fromLogits: true, reduction: 'none' }))).toEqual(values(dense));
    near(Ls.sparseCategoricalCrossentropy(hb.tensor([1], [1], 'int32'), t([[0.2, 0.7, 0.1]])), -Math.log(0.7));
    expect(() => Ls.sparseCategoricalCrossentropy(hb.tensor([3], [1], 'int32'), logits.slice([0], [1]))).toThrow(/label 3 is not a class index in \[0, 3\)/);
  });

  it('kullbackLeiblerDivergence', () => {
    near(Ls.kullbackLeiblerDivergence(t([[0.5, 0.5]]), t([[0.25, 0.75]])), 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3));
    near(Ls.kullbackLeiblerDivergence(t([[0.3, 0.7]]), t([[0.3, 0.7]])), 0);
  });

  it('hinge and squaredHinge convert {0, 1} labels to {−1, 1}', () => {
    // margins: 1 − 0.3 = 0.7 and 1 + 0.4 = 1.4.
    near(Ls.hinge(t([[1, 0]]), t([[0.3, 0.4]])), 1.05);
    near(Ls.hinge(t([[1, -1]]), t([[0.3, 0.4]])), 1.05);
    near(Ls.squaredHinge(t([[1, 0]]), t([[0.3, 0.4]])), (0.49 + 1.96) / 2);
    near(Ls.hinge(t([[1]]), t([[2]])), 0);
  });

  it('focal: −α_t (1 − p_t)^γ log p_t', () => {
    // y = 1, p = 0.9: α_t = 0.25, p_t = 0.9; y = 0, p = 0.2: α_t = 0.75, p_t = 0.8.
    const expected = (-0.25 * 0.1 ** 2 * Math.log(0.9) - 0.75 * 0.2 ** 2 * Math.log(0.8)) / 2;
    near(Ls.focal(t([1, 0]), t([0.9, 0.2])), expected, 6);
    const logits = [Math.log(9), Math.log(0.25)]; // sigmoid → 0.9, 0.2
    near(Ls.focal(t([1, 0]), t(logits), { fromLogits: true }), expected, 6);
    // γ = 0, α = ½ is half the binary cross-entropy.
    near(Ls.focal(t([1, 0]), t([0.9, 0.2]), { gamma: 0, alpha: 0.5 }), 0.5 * Ls.binaryCrossentropy(t([1, 0]), t([0.9, 0.2])).item(), 6);
  });
});

describe('metric-learning losses', () => {
  it('triplet: max(‖a − p‖² − ‖a − n‖² + α, 0)', () => {
    const a = t([[0, 0], [0, 0]]);
    const p = t([[1, 0], [1, 0]]);
    const n = t([[0, 2], [0.5, 0]]);
    // sample 1: 1 − 4 + 0.2 < 0 → 0; sample 2: 1 − 0.25 + 0.2 = 0.95.
    const none = values(Ls.triplet(a, p, n, { reduction: 'none' }));
    expect(none[0]).toBe(0);
    expect(none[1]).toBeCloseTo(0.95, 6);
    near(Ls.triplet(a, p, n), 0.475);
    near(Ls.triplet(a, p, n, { margin: 1 }), (0 + 1.75) / 2);
  });

  it('contrastive: y·d² + (1 − y)·max(m − d, 0)²', () => {
    expect(values(Ls.contrastive(t([1, 0, 0]), t([0.5, 0.3, 1.5]), { reduction: 'none' })).map((v) => +v.toFixed(6))).toEqual([0.25, 0.49, 0]);
    near(Ls.contrastive(t([0]), t([0.5]), { margin: 2 }), 2.25);
  });
});

describe('stability', () => {
  const big = 1e4;
  it('logits of ±1e4 give finite, correct losses and finite gradients', () => {
    near(Ls.categoricalCrossentropy(t([[0, 1]]), t([[big, -big]]), { fromLogits: true }), 2 * big, 0);
    near(Ls.categoricalCrossentropy(t([[1, 0]]), t([[big, -big]]), { fromLogits: true }), 0);
    near(Ls.sparseCategoricalCrossentropy(hb.tensor([1], [1], 'int32'), t([[big, -big, 0]]), { fromLogits: true }), 2 * big, 0);
    near(Ls.binaryCrossentropy(t([1, 0]), t([-big, big]), { fromLogits: true }), big, 0);
    near(Ls.binaryCrossentropy(t([1, 0]), t([big, -big]), { fromLogits: true }), 0);
    expect(Number.isFinite(Ls.focal(t([1, 0]), t([-big, big]), { fromLogits: true }).item())).toBe(true);
    const fns: ((x: hb.Tensor) => hb.Tensor)[] = [
      (x) => Ls.categoricalCrossentropy(t([[0, 1, 0]]), x, { fromLogits: true }),
      (x) => Ls.sparseCategoricalCrossentropy(hb.tensor([0], [1], 'int32'), x, { fromLogits: true }),
      (x) => Ls.binaryCrossentropy(t([[1, 0, 1]]), x, { fromLogits: true }),
      (x) => Ls.focal(t([[1, 0, 1]]), x, { fromLogits: true }),
    ];
    for (const f of fns) {
      for (const logits of [[[big, -big, 0]], [[-big, big, big]]]) {
        const g = hb.grad(f)(t(logits));
        expect(values(g).every(Number.isFinite)).toBe(true);
        expect(Number.isFinite(f(t(logits)).item())).toBe(true);
      }
    }
  });

  it('probabilities of exactly 0 and 1 are clipped to ε = 1e-7, as Keras', () => {
    // In float64 (in float32, 1 − 1e-7 rounds to 1 − 1.19e-7, as in Keras).
    near(Ls.binaryCrossentropy(t([1, 0], 'float64'), t([0, 1], 'float64')), -Math.log(1e-7), 4);
    near(Ls.categoricalCrossentropy(t([[1, 0]], 'float64'), t([[0, 1]], 'float64')), -Math.log(1e-7), 6);
    expect(Number.isFinite(Ls.binaryCrossentropy(t([1, 0]), t([0, 1])).item())).toBe(true);
    const g = hb.grad((p) => Ls.binaryCrossentropy(t([1, 0]), p))(t([0, 1]));
    expect(values(g).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(Ls.kullbackLeiblerDivergence(t([[1, 0]]), t([[0, 1]])).item())).toBe(true);
  });
});

describe('gradients (float64 checkGrad w.r.t. predictions)', () => {
  const f64 = (v: number[][]) => hb.tensor(v, undefined, 'float64');
  const probs = f64([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
  const targets = f64([[0, 1, 0], [1, 0, 0]]);
  const soft = f64([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]);
  const logits = f64([[0.3, -1.2, 2], [1.5, 0.2, -0.7]]);
  const regression = f64([[0.3, -1.2, 2.5], [1.5, 0.2, -0.7]]);
  const labels01 = f64([[1, 0, 1], [0, 0, 1]]);
  const cases: [string, (p: hb.Tensor) => hb.Tensor, hb.Tensor][] = [
    ['meanSquaredError', (p) => Ls.meanSquaredError(targets, p), regression],
    ['meanAbsoluteError', (p) => Ls.meanAbsoluteError(targets, p), regression],
    ['meanSquaredLogarithmicError', (p) => Ls.meanSquaredLogarithmicError(soft, p), probs],
    ['huber', (p) => Ls.huber(targets, p, { delta: 0.8 }), regression],
    ['logCosh', (p) => Ls.logCosh(targets, p), regression],
    ['cosineSimilarity', (p) => Ls.cosineSimilarity(soft, p), regression],
    ['binaryCrossentropy', (p) => Ls.binaryCrossentropy(labels01, p, { labelSmoothing: 0.1 }), probs],
    ['binaryCrossentropy logits', (p) => Ls.binaryCrossentropy(labels01, p, { fromLogits: true }), logits],
    ['categoricalCrossentropy', (p) => Ls.categoricalCrossentropy(soft, p), probs],
    ['categoricalCrossentropy logits', (p) => Ls.categoricalCrossentropy(targets, p, { fromLogits: true, labelSmoothing: 0.2 }), logits],
    ['sparseCategoricalCrossentropy', (p) => Ls.sparseCategoricalCrossentropy(hb.tensor([1, 0], [2], 'int32'), p), probs],
    ['sparseCategoricalCrossentropy logits', (p) => Ls.sparseCategoricalCrossentropy(hb.tensor([2, 1], [2], 'int32'), p, { fromLogits: true }), logits],
    ['kullbackLeiblerDivergence', (p) => Ls.kullbackLeiblerDivergence(soft, p), probs],
    ['hinge', (p) => Ls.hinge(labels01, p), regression],
    ['squaredHinge', (p) => Ls.squaredHinge(labels01, p, { reduction: 'sum' }), regression],
    ['focal', (p) => Ls.focal(labels01, p), probs],
    ['focal logits γ=1.5', (p) => Ls.focal(labels01, p, { fromLogits: true, gamma: 1.5 }), logits],
    ['triplet', (p) => Ls.triplet(p, soft, regression, { margin: 5 }), probs],
    ['contrastive', (p) => Ls.contrastive(f64([[1], [0]]), p, { margin: 1 }), f64([[0.4], [0.7]])],
  ];
  it.each(cases)('%s', (_, f, at) => {
    const result = hb.checkGrad(f, [at]);
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
  });
});

describe('lookup', () => {
  it('getLoss by camelCase, snake_case and Keras aliases; functions pass through', () => {
    expect(hb.getLoss('categoricalCrossentropy')).toBe(Ls.categoricalCrossentropy);
    expect(hb.getLoss('categorical_crossentropy')).toBe(Ls.categoricalCrossentropy);
    expect(hb.getLoss('mse')).toBe(Ls.meanSquaredError);
    expect(hb.getLoss('mean_absolute_error')).toBe(Ls.meanAbsoluteError);
    expect(hb.getLoss('kld')).toBe(Ls.kullbackLeiblerDivergence);
    expect(hb.getLoss('binary_focal_crossentropy')).toBe(Ls.focal);
    const custom = (a: hb.Tensor, b: hb.Tensor): hb.Tensor => hb.sum(hb.sub(a, b));
    expect(hb.getLoss(custom)).toBe(custom);
    expect(() => hb.getLoss('nope')).toThrow(/getLoss: unknown loss "nope"/);
    for (const name of ['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'huber', 'kullbackLeiblerDivergence', 'hinge']) {
      expect(typeof hb.getLoss(name)).toBe('function');
    }
  });

  it('mismatched shapes and bad options are errors', () => {
    expect(() => Ls.meanSquaredError(t([[1, 2]]), t([[1, 2, 3]]))).toThrow(/meanSquaredError: yTrue \[1,2\] and yPred \[1,3\] must have the same shape/);
    expect(() => Ls.meanSquaredError(t([1]), t([1]), { reduction: 'avg' as hb.Reduction })).toThrow(hb.ValueError);
    expect(() => Ls.huber(t([1]), t([1]), { delta: 0 })).toThrow(hb.ValueError);
    expect(() => Ls.binaryCrossentropy(t([1]), t([0.5]), { labelSmoothing: 2 })).toThrow(hb.ValueError);
  });
});
