// Bidirectional gathers the activity penalties of its two inner layers (Keras: each direction's
// activity_regularizer adds a loss), computed here from each direction's own output.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

describe('Bidirectional and activity regularizers', () => {
  for (const returnState of [false, true]) {
    it(`adds λ·Σ|out| for every output of each direction${returnState ? ' (returnState: states too)' : ''}`, () => {
      const lam = 0.01;
      const bi = hb.layers.bidirectional({ layer: hb.layers.lstm({ units: 3, returnSequences: true, returnState, activityRegularizer: hb.regularizers.l1(lam) }) });
      const x = hb.randomNormal([2, 4, 5], { seed: 3 });
      bi.apply(x);
      // The same two layers run alone: their outputs give the expected penalties.
      const penalty = (l: hb.Layer): number[] => {
        const out = l.call(x, {});
        return (Array.isArray(out) ? out : [out]).map((o) => lam * hb.sum(hb.abs(o)).item());
      };
      const want = [...penalty(bi.forwardLayer), ...penalty(bi.backwardLayer)];
      const got = bi.losses.map((t) => t.item());
      expect(got.length).toBe(returnState ? 6 : 2);
      got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 6));
      expect(want.every((w) => w > 0)).toBe(true);
    });
  }

  it('the penalties reach the training loss of a model', async () => {
    const make = (reg: boolean) => {
      hb.setSeed(5);
      const m = hb.sequential({ layers: [hb.layers.bidirectional({ layer: hb.layers.gru({ units: 2, activityRegularizer: reg ? hb.regularizers.l2(1) : null }), inputShape: [3, 2] }), hb.layers.dense({ units: 1 })] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return m;
    };
    const x = hb.randomNormal([4, 3, 2], { seed: 6 });
    const y = hb.zeros([4, 1]);
    const plain = make(false).testOnBatch(x, y).loss;
    const withPenalty = make(true).testOnBatch(x, y).loss;
    expect(withPenalty).toBeGreaterThan(plain);
  });
});
