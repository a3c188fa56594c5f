// model.summary(): the table read line by line, with parameter counts worked out by hand.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const cells = (line: string): string[] => line.trim().split(/\s{2,}/);

describe('summary', () => {
  it('Sequential: one row per layer, output shapes, params, and totals', () => {
    const m = hb.sequential([
      hb.layers.dense({ units: 8, inputShape: [4], activation: 'relu', name: 'hidden' }), // 4·8 + 8 = 40
      hb.layers.batchNormalization({ name: 'bn' }), // γ, β (trainable) + moving mean, variance: 4·8 = 32
      hb.layers.dropout({ rate: 0.5, name: 'drop' }), // 0
      hb.layers.dense({ units: 3, activation: 'softmax', name: 'out' }), // 8·3 + 3 = 27
    ], { name: 'summ' });
    const printed: string[] = [];
    const text = m.summary({ printFn: (s) => printed.push(s) });
    expect(printed).toEqual([text]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "summ"');
    expect(lines[1]).toMatch(/^_+$/);
    expect(cells(lines[2])).toEqual(['Layer (type)', 'Output Shape', 'Param #']);
    expect(lines[3]).toMatch(/^=+$/);
    expect(lines.slice(4, 8).map(cells)).toEqual([
      ['hidden (Dense)', '(None, 8)', '40'],
      ['bn (BatchNormalization)', '(None, 8)', '32'],
      ['drop (Dropout)', '(None, 8)', '0'],
      ['out (Dense)', '(None, 3)', '27'],
    ]);
    expect(lines[8]).toMatch(/^=+$/);
    expect(lines.slice(9, 12)).toEqual(['Total params: 99', 'Trainable params: 83', 'Non-trainable params: 16']);
    expect(lines[12]).toMatch(/^_+$/);
    expect(lines.length).toBe(13);
    // columns line up: every row's second column starts where the header's does
    const col = lines[2].indexOf('Output Shape');
    for (const l of lines.slice(4, 8)) expect(l.indexOf('(None')).toBe(col);
    expect(lines[1].length).toBe(lines[3].length);
  });

  it('functional: InputLayers, a shared layer with both connections, and Connected to', () => {
    const a = hb.input({ shape: [3], name: 'a' });
    const b = hb.input({ shape: [3], name: 'b' });
    const enc = hb.layers.dense({ units: 4, name: 'enc' }); // 3·4 + 4 = 16, counted once
    const cat = hb.layers.concatenate({ name: 'cat' }).apply([enc.apply(a), enc.apply(b)]) as hb.SymbolicTensor;
    const m = hb.model({ inputs: [a, b], outputs: hb.layers.dense({ units: 1, name: 'head' }).apply(cat), name: 'siamese' }); // 8 + 1 = 9
    const lines = m.summary({ print: false }).split('\n');
    expect(cells(lines[2])).toEqual(['Layer (type)', 'Output Shape', 'Param #', 'Connected to']);
    expect(lines.slice(4, 11).map(cells)).toEqual([
      ['a (InputLayer)', '(None, 3)', '0', '-'],
      ['b (InputLayer)', '(None, 3)', '0', '-'],
      ['enc (Dense)', '(None, 4)', '16', 'a[0][0]'],
      ['b[0][0]'],
      ['cat (Concatenate)', '(None, 8)', '0', 'enc[0][0]'],
      ['enc[1][0]'],
      ['head (Dense)', '(None, 1)', '9', 'cat[0][0]'],
    ]);
    const col = lines[2].indexOf('Connected to');
    expect(lines[7].indexOf('b[0][0]')).toBe(col);
    expect(lines.slice(12, 15)).toEqual(['Total params: 25', 'Trainable params: 25', 'Non-trainable params: 0']);
  });

  it('large counts get thousands separators; frozen layers count as non-trainable', () => {
    const m = hb.sequential([hb.layers.dense({ units: 1000, inputShape: [784], name: 'big' })]); // 784·1000 + 1000
    m.layers[0].trainable = false;
    const text = m.summary({ print: false });
    expect(text).toContain('big (Dense)');
    expect(text).toContain('785,000');
    expect(text).toContain('Trainable params: 0\nNon-trainable params: 785,000');
  });

  it('a nested model is one row with its class and its parameter total', () => {
    const x = hb.input({ shape: [2] });
    const inner = hb.model({ inputs: x, outputs: hb.layers.dense({ units: 2 }).apply(x), name: 'inner_block' }); // 6
    const m = hb.sequential([inner, hb.layers.dense({ units: 1, name: 'top' })]); // 3
    const rows = m.summary({ print: false }).split('\n').slice(4, 6).map(cells);
    expect(rows).toEqual([['inner_block (Functional)', '(None, 2)', '6'], ['top (Dense)', '(None, 1)', '3']]);
  });
});
