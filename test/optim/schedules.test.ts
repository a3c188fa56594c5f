// Learning-rate schedules at given steps, against the closed forms.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { deserializeSchedule, schedules } from '../../src/optim/index.js';

describe('schedules', () => {
  it('exponentialDecay: lr0 · r^(step / s), floored exponent when staircase', () => {
    const s = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(s.call(0)).toBe(0.1);
    expect(s.call(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 14); // 0.5^0.5
    expect(s.call(20)).toBeCloseTo(0.025, 14);
    const st = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(st.call(9)).toBe(0.1);
    expect(st.call(15)).toBeCloseTo(0.05, 14);
  });

  it('inverseTimeDecay: lr0 / (1 + r · step / s)', () => {
    const s = schedules.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 });
    expect(s.call(0)).toBe(1);
    expect(s.call(2)).toBeCloseTo(1 / 1.5, 14);
    expect(s.call(3)).toBeCloseTo(1 / 1.75, 14);
    expect(schedules.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5, staircase: true }).call(3)).toBeCloseTo(1 / 1.5, 14);
  });

  it('piecewiseConstantDecay: values[i] while b(i−1) < step ≤ b(i)', () => {
    const s = schedules.piecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
    expect([0, 100, 101, 200, 201, 10_000].map((t) => s.call(t))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [1], values: [1] })).toThrow(hb.ValueError);
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [2, 1], values: [1, 2, 3] })).toThrow(/increase/);
  });

  it('stepDecay: lr0 · γ^floor(step / stepSize)', () => {
    const s = schedules.stepDecay({ initialLearningRate: 0.8, stepSize: 3, gamma: 0.5 });
    expect([0, 2, 3, 5, 6, 9].map((t) => s.call(t))).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.1]);
  });

  it('cosineDecay: ½(1 + cos(π t/T)) between 1 and α, after a linear warm-up', () => {
    const s = schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
    expect(s.call(0)).toBe(1);
    expect(s.call(50)).toBeCloseTo(0.9 * 0.5 + 0.1, 14); // cos(π/2) = 0
    expect(s.call(100)).toBeCloseTo(0.1, 14);
    expect(s.call(1000)).toBeCloseTo(0.1, 14); // held at the floor
    const w = schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 0.2, warmupSteps: 4 });
    expect(w.call(0)).toBe(0);
    expect(w.call(1)).toBeCloseTo(0.05, 14);
    expect(w.call(3)).toBeCloseTo(0.15, 14);
    expect(w.call(4)).toBeCloseTo(0.2, 14); // warm-up done: cosine starts at the target
    expect(w.call(9)).toBeCloseTo(0.2 * 0.5 * (1 + Math.cos(Math.PI / 2)), 14);
    expect(w.call(14)).toBeCloseTo(0, 14);
  });

  it('serialise and deserialise', () => {
    const all = [
      schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
      schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
      schedules.piecewiseConstantDecay({ boundaries: [1, 2], values: [3, 2, 1] }),
      schedules.stepDecay({ initialLearningRate: 0.1, stepSize: 5 }),
      schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 1, warmupSteps: 3 }),
    ];
    for (const s of all) {
      const back = deserializeSchedule(JSON.parse(JSON.stringify(s.serialize())));
      expect(back.className).toBe(s.className);
      for (const t of [0, 1, 2, 7, 30]) expect(back.call(t)).toBe(s.call(t));
    }
    expect(() => deserializeSchedule({ className: 'Nope', config: {} })).toThrow(hb.FormatError);
    expect(() => deserializeSchedule({ className: 'StepDecay', config: { initialLearningRate: 'x', stepSize: 1 } })).toThrow(hb.FormatError);
  });
});
