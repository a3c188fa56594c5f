// hb.zoo.crnn: the digit-string reader's shapes and options, a CTC training step that lowers
// the loss, and the CLI's edit distance (character accuracy = 1 − edits / length).
import { describe, expect, it } from 'vitest';
import { editDistance } from '../../cli/commands/digit-strips.js';
import * as hb from '../../src/index.js';

describe('zoo.crnn', () => {
  it('maps strips [N, 32, 448, 1] to logits [N, 56, 11] through a bidirectional LSTM stack', () => {
    const m = hb.zoo.crnn();
    expect(m.inputs[0].shape).toEqual([null, 32, 448, 1]);
    expect(m.outputs[0].shape).toEqual([null, 56, 11]);
    expect(m.layers.filter((l) => l.className === 'Bidirectional').length).toBe(2);
    const small = hb.zoo.crnn({ inputShape: [16, 64, 1], units: 8, layers: 1, filters: [4, 4, 4] });
    expect(small.outputs[0].shape).toEqual([null, 8, 11]);
    expect(() => hb.zoo.crnn({ inputShape: [30, 448, 1] })).toThrow(/multiples of 8/);
    expect(() => hb.zoo.crnn({ unit: 3 } as never)).toThrow(/did you mean 'units'/);
  });

  it('a few CTC steps on a tiny strip lower the loss (blank = 10)', () => {
    hb.setSeed(2);
    const m = hb.zoo.crnn({ inputShape: [16, 64, 1], units: 8, layers: 1, filters: [4, 8, 8] });
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: (y: hb.Tensor, p: hb.Tensor) => hb.losses.ctc(y, p, { blank: 10 }) });
    const x = hb.randomUniform([2, 16, 64, 1], { seed: 3 });
    const y = hb.tensor([[1, 2, 3], [4, 5, -1]], [2, 3], 'int32');
    const first = m.trainOnBatch(x, y).loss;
    let last = first;
    for (let i = 0; i < 8; i++) last = m.trainOnBatch(x, y).loss;
    expect(last).toBeLessThan(first);
  });

  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(editDistance([1, 2, 3], [1, 3])).toBe(1);
    expect(editDistance([], [4, 4])).toBe(2);
    expect(editDistance([1, 2, 3, 4], [2, 1, 3, 5])).toBe(3);
  });
});
