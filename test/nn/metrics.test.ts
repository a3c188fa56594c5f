// Metrics by hand: batch functions, the confusion matrix, epoch accumulators (precision over the
// epoch, not the mean of batch precisions), and how 'accuracy' is resolved.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const M = hb.metrics;
const t = (v: number[] | number[][]) => hb.tensor(v);
const ints = (v: number[]) => hb.tensor(v, [v.length], 'int32');

describe('accuracies', () => {
  it('binaryAccuracy thresholds at 0.5 (or the given threshold)', () => {
    const y = t([1, 0, 1, 0]);
    const p = t([0.9, 0.4, 0.3, 0.6]);
    expect(M.binaryAccuracy(y, p).item()).toBe(0.5);
    // threshold 0.35: predictions [1, 1, 0, 1] → only the first is right.
    expect(M.binaryAccuracy(y, p, 0.35).item()).toBe(0.25);
    expect(M.binaryAccuracy(t([[1], [0]]), t([[0.7], [0.1]])).item()).toBe(1);
  });

  it('categorical and sparse categorical accuracy compare argmaxes', () => {
    const p = t([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]);
    expect(M.categoricalAccuracy(t([[0, 1, 0], [0, 1, 0], [0, 0, 1]]), p).item()).toBeCloseTo(2 / 3, 6);
    expect(M.sparseCategoricalAccuracy(ints([1, 1, 2]), p).item()).toBeCloseTo(2 / 3, 6);
    expect(M.sparseCategoricalAccuracy(t([[1], [0], [2]]), p).item()).toBe(1);
  });

  it('top-k accuracy: is the true class among the k highest scores', () => {
    const p = t([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5]]);
    const labels = ints([2, 2, 0]);
    // ranks of the true class: 2nd, 3rd, 3rd.
    expect(M.sparseTopKCategoricalAccuracy(labels, p, 1).item()).toBe(0);
    expect(M.sparseTopKCategoricalAccuracy(labels, p, 2).item()).toBeCloseTo(1 / 3, 6);
    expect(M.sparseTopKCategoricalAccuracy(labels, p, 3).item()).toBe(1);
    expect(M.topKCategoricalAccuracy(t([[0, 0, 1], [0, 0, 1], [1, 0, 0]]), p, 2).item()).toBeCloseTo(1 / 3, 6);
  });

  it('mse and mae', () => {
    expect(M.mse(t([[1, 2], [3, 4]]), t([[1, 3], [5, 4]])).item()).toBe(1.25);
    expect(M.mae(t([[1, 2], [3, 4]]), t([[1, 3], [5, 4]])).item()).toBe(0.75);
  });
});

describe('precision, recall, F1', () => {
  // predictions at 0.5: [1, 0, 1, 0, 1, 1] against [1, 1, 0, 0, 1, 0]: tp 2, fp 2, fn 1.
  const y = t([1, 1, 0, 0, 1, 0]);
  const p = t([0.9, 0.2, 0.8, 0.1, 0.7, 0.6]);
  it('by hand', () => {
    expect(M.precision(y, p).item()).toBeCloseTo(0.5, 6);
    expect(M.recall(y, p).item()).toBeCloseTo(2 / 3, 6);
    expect(M.f1(y, p).item()).toBeCloseTo(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), 6);
    expect(M.precision(y, p, 0.85).item()).toBeCloseTo(1, 6);
    expect(M.precision(t([1, 0]), t([0.1, 0.2])).item()).toBe(0); // nothing predicted positive
  });
});

describe('confusionMatrix', () => {
  it('rows are true classes, columns predictions, int32', () => {
    const cm = M.confusionMatrix(ints([0, 1, 2, 2, 1]), ints([0, 2, 2, 1, 1]), 3);
    expect(cm.dtype).toBe('int32');
    expect(cm.toArray()).toEqual([[1, 0, 0], [0, 1, 1], [0, 1, 1]]);
  });

  it('accepts scores and takes their argmax', () => {
    expect(M.confusionMatrix(ints([1, 0]), t([[0.2, 0.8], [0.3, 0.7]]), 2).toArray()).toEqual([[0, 1], [0, 1]]);
    expect(() => M.confusionMatrix(ints([3]), ints([0]), 3)).toThrow(/class 3 is outside \[0, 3\)/);
  });
});

describe('epoch accumulators', () => {
  it('precision over the epoch is not the mean of batch precisions', () => {
    const metric = hb.createMetric('precision');
    // batch 1: tp 1, fp 0 (precision 1); batch 2: tp 1, fp 3 (precision 0.25).
    metric.update(t([1, 0]), t([0.9, 0.1]));
    metric.update(t([1, 0, 0, 0]), t([0.9, 0.8, 0.7, 0.6]));
    expect(metric.result()).toBeCloseTo(2 / 5, 6);
    metric.reset();
    expect(metric.result()).toBe(0);
  });

  it('recall and f1 accumulate counts too', () => {
    const r = hb.createMetric('recall');
    const f = hb.createMetric('f1');
    for (const [y, p] of [[[1, 1], [0.9, 0.1]], [[1, 0], [0.2, 0.9]]] as const) {
      r.update(t([...y]), t([...p]));
      f.update(t([...y]), t([...p]));
    }
    // tp 1, fp 1, fn 2.
    expect(r.result()).toBeCloseTo(1 / 3, 6);
    expect(f.result()).toBeCloseTo(2 / 5, 6);
  });

  it('accuracy over batches of different sizes weights by samples', () => {
    const acc = hb.createMetric('sparse_categorical_accuracy');
    acc.update(ints([0]), t([[0.9, 0.1]])); // 1/1
    acc.update(ints([0, 0, 0]), t([[0.1, 0.9], [0.2, 0.8], [0.6, 0.4]])); // 1/3
    expect(acc.result()).toBeCloseTo(2 / 4, 6);
    expect(acc.name).toBe('sparseCategoricalAccuracy');
  });

  it('sample weights, top-k options, mse and MeanMetric', () => {
    const acc = hb.createMetric('binaryAccuracy', { threshold: 0.3 });
    acc.update(t([1, 0]), t([0.4, 0.2]), t([3, 1]));
    acc.update(t([1]), t([0.1]), t([4]));
    expect(acc.result()).toBeCloseTo(4 / 8, 6);
    const top = hb.createMetric('sparseTopKCategoricalAccuracy', { k: 2, name: 'top2' });
    top.update(ints([2]), t([[0.1, 0.5, 0.4]]));
    expect(top.result()).toBe(1);
    expect(top.name).toBe('top2');
    const mse = hb.createMetric('mse');
    mse.update(t([[0, 0]]), t([[1, 1]]));
    mse.update(t([[0, 0]]), t([[3, 3]]));
    expect(mse.result()).toBe(5);
    const mean = new M.MeanMetric('loss');
    mean.update(2, 10);
    mean.update(hb.scalar(5), 30);
    expect(mean.result()).toBeCloseTo(4.25, 6);
  });

  it("'accuracy' needs resolving first; unknown names are errors", () => {
    expect(() => hb.createMetric('accuracy')).toThrow(/resolveAccuracy/);
    expect(() => hb.createMetric('nope')).toThrow(hb.ValueError);
  });
});

describe('resolveAccuracy (what metrics: [accuracy] means)', () => {
  it('follows the loss, then the output shape', () => {
    expect(hb.resolveAccuracy('binaryCrossentropy', [null, 1])).toBe('binaryAccuracy');
    expect(hb.resolveAccuracy('binary_crossentropy', [null, 5])).toBe('binaryAccuracy');
    expect(hb.resolveAccuracy('categoricalCrossentropy', [null, 10])).toBe('categoricalAccuracy');
    expect(hb.resolveAccuracy('sparseCategoricalCrossentropy', [null, 10])).toBe('sparseCategoricalAccuracy');
    expect(hb.resolveAccuracy(hb.losses.sparseCategoricalCrossentropy, [null, 10])).toBe('sparseCategoricalAccuracy');
    expect(hb.resolveAccuracy('mse', [null, 1])).toBe('binaryAccuracy');
    expect(hb.resolveAccuracy('mse', [null, 4])).toBe('categoricalAccuracy');
    expect(hb.resolveAccuracy('mse', [null, 4], [null])).toBe('sparseCategoricalAccuracy');
    expect(hb.resolveAccuracy(null, [null, 3], [null, 3])).toBe('categoricalAccuracy');
  });
});
