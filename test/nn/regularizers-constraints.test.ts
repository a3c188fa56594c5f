// Regularizer penalties and constraint projections against hand-computed values, and their
// serialisation.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const R = hb.regularizers;
const C = hb.constraints;
const w = hb.tensor([1, -2, 3]);

describe('regularizers', () => {
  it('l1 = λΣ|w|, l2 = λΣw², l1l2 = both', () => {
    expect(R.l1(0.1).apply(w).item()).toBeCloseTo(0.6, 6);
    expect(R.l2(0.1).apply(w).item()).toBeCloseTo(1.4, 6);
    expect(R.l1l2({ l1: 0.1, l2: 0.1 }).apply(w).item()).toBeCloseTo(2.0, 6);
    expect(R.l2({ l2: 0.5 }).apply(hb.tensor([[1, 1], [1, 1]])).item()).toBeCloseTo(2, 6);
  });

  it('Keras defaults by name: l1 and l2 are 0.01', () => {
    expect(hb.getRegularizer('l2')!.apply(w).item()).toBeCloseTo(0.14, 6);
    expect(hb.getRegularizer('l1')!.apply(w).item()).toBeCloseTo(0.06, 6);
    expect(hb.getRegularizer(null)).toBeNull();
  });

  it('the gradient of λΣw² is 2λw', () => {
    const g = hb.grad((x) => R.l2(0.25).apply(x))(w);
    expect(g.toArray()).toEqual([0.5, -1, 1.5]);
  });

  it('round-trip through { className, config }', () => {
    for (const r of [R.l1(0.3), R.l2(0.2), R.l1l2({ l1: 0.1, l2: 0.4 })]) {
      const copy = hb.getRegularizer(JSON.parse(JSON.stringify(R.serializeRegularizer(r))) as hb.Serialized)!;
      expect(copy.className).toBe(r.className);
      expect(copy.getConfig()).toEqual(r.getConfig());
    }
    expect(() => hb.getRegularizer({ className: 'L2', config: { l2: -1 } })).toThrow(hb.FormatError);
    expect(() => hb.getRegularizer('l3' as 'l2')).toThrow(hb.ValueError);
  });
});

describe('constraints', () => {
  // Columns (axis 0): [3, 4] has norm 5, [0.5, 0] has norm 0.5.
  const m = hb.tensor([[3, 0.5], [4, 0]]);
  const values = (t: hb.Tensor): number[] => Array.from(t.dataSync());
  const close = (a: number[], b: number[], tol = 1e-6): void => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));

  it('maxNorm scales columns longer than maxValue down to it and leaves the rest', () => {
    close(values(C.maxNorm({ maxValue: 2 }).apply(m)), [1.2, 0.5, 1.6, 0]);
  });

  it('maxNorm over conv kernel axes [0, 1, 2] bounds each filter', () => {
    const k = hb.full([2, 2, 1, 2], 1);
    const out = C.maxNorm({ maxValue: 1, axis: [0, 1, 2] }).apply(k);
    const norms = hb.sqrt(hb.sum(hb.square(out), [0, 1, 2])).dataSync();
    close(Array.from(norms), [1, 1]);
  });

  it('unitNorm makes every column unit length', () => {
    close(values(C.unitNorm().apply(m)), [0.6, 1, 0.8, 0]);
  });

  it('nonNeg zeroes negative weights', () => {
    expect(C.nonNeg().apply(w).toArray()).toEqual([1, 0, 3]);
  });

  it('minMaxNorm pulls norms into [min, max], partly with rate < 1', () => {
    // norm 5 → 2 (×0.4), norm 0.5 → 1 (×2).
    close(values(C.minMaxNorm({ minValue: 1, maxValue: 2 }).apply(m)), [1.2, 1, 1.6, 0]);
    // rate 0.5: desired = 0.5·clip + 0.5·norm → 3.5 (×0.7) and 0.75 (×1.5).
    close(values(C.minMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5 }).apply(m)), [2.1, 0.75, 2.8, 0]);
  });

  it('clipValue keeps weights in [−c, c] (a WGAN critic)', () => {
    expect(C.clipValue(0.01).apply(hb.tensor([-1, 0.005, 0.5])).toArray()).toEqual([-0.01, 0.005, 0.01].map(Math.fround));
    expect(C.clipValue({ minValue: 0, maxValue: 2 }).apply(w).toArray()).toEqual([1, 0, 2]);
    const critic = hb.layers.dense({ units: 1, kernelConstraint: C.clipValue(0.01), kernelInitializer: hb.initializers.randomNormal({ stddev: 1, seed: 1 }) });
    critic.apply(hb.ones([1, 8]));
    const kernel = critic.weights[0];
    kernel.assign(kernel.constraint!.apply(kernel.value));
    for (const v of kernel.value.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(Math.fround(0.01));
  });

  it('round-trip through { className, config }, lookup by name', () => {
    for (const c of [C.maxNorm({ maxValue: 3, axis: [0, 1] }), C.unitNorm({ axis: 1 }), C.nonNeg(), C.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.3 }), C.clipValue(0.05)]) {
      const copy = hb.getConstraint(JSON.parse(JSON.stringify(C.serializeConstraint(c))) as hb.Serialized)!;
      expect(copy.className).toBe(c.className);
      expect(copy.getConfig()).toEqual(c.getConfig());
    }
    expect(hb.getConstraint('nonNeg')!.className).toBe('NonNeg');
    expect(hb.getConstraint('max_norm')!.className).toBe('MaxNorm');
    expect(() => hb.getConstraint({ className: 'MaxNorm', config: { axis: 'x' } })).toThrow(hb.FormatError);
  });
});
