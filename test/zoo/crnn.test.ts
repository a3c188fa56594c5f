// hb.zoo.crnn: the digit-string reader's shapes and options, a CTC training step that lowers
// the loss, the CLI's edit distance (character accuracy = 1 − edits / length), and the CLI's
// training path end to end on a few strips.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editDistance, StripMaker, trainDigitStrips } from '../../cli/commands/digit-strips.js';
import * as hb from '../../src/index.js';

describe('zoo.crnn', () => {
  it('maps strips [N, 32, 448, 1] to logits [N, 56, 11] through a bidirectional GRU stack', () => {
    const m = hb.zoo.crnn();
    expect(m.inputs[0].shape).toEqual([null, 32, 448, 1]);
    expect(m.outputs[0].shape).toEqual([null, 56, 11]);
    expect(m.layers.filter((l) => l.className === 'Bidirectional').length).toBe(2);
    expect(m.layers.filter((l) => l.className === 'BatchNormalization').length).toBe(2);
    expect(() => hb.zoo.crnn({ cell: 'rnn' } as never)).toThrow(/cell/);
    const small = hb.zoo.crnn({ inputShape: [16, 64, 1], units: 8, layers: 1, filters: [4, 4, 4] });
    expect(small.outputs[0].shape).toEqual([null, 8, 11]);
    expect(() => hb.zoo.crnn({ inputShape: [30, 448, 1] })).toThrow(/multiples of 8/);
    expect(() => hb.zoo.crnn({ unit: 3 } as never)).toThrow(/did you mean 'units'/);
  });

  it('has the parameter count of its layers, with a GRU or an LSTM stack', () => {
    // Shared part: conv1 3·3·1·16 + 16 bias = 160; conv2 3·3·16·32 = 4,608 and bn2 4·32 = 128
    // (γ, β, moving mean and variance); conv3 3·3·32·64 = 18,432 and bn3 4·64 = 256;
    // project 256·64 + 64 = 16,448; logits (2·64)·11 + 11 = 1,419. Sum 41,451.
    const shared = 160 + 4608 + 128 + 18432 + 256 + 16448 + 1419;
    // GRU (resetAfter, 3 gates of 64): kernel in·192, recurrent 64·192, two biases 2·192, per
    // direction: layer 1 (in 64) 24,960, layer 2 (in 128) 37,248; both directions doubled.
    const gru = (inputs: number) => 2 * (inputs * 192 + 64 * 192 + 2 * 192);
    expect(hb.zoo.crnn().countParams()).toBe(shared + gru(64) + gru(128));
    expect(hb.zoo.crnn().countParams()).toBe(165867);
    // LSTM (4 gates of 64, one bias): in·256 + 64·256 + 256 per direction.
    const lstm = (inputs: number) => 2 * (inputs * 256 + 64 * 256 + 256);
    expect(hb.zoo.crnn({ cell: 'lstm' }).countParams()).toBe(shared + lstm(64) + lstm(128));
    // filters [16, 32, 96] and a projection of 128: conv3 3·3·32·96 = 27,648, bn3 4·96 = 384,
    // project (4·96)·128 + 128 = 49,280; the first GRU layer's input is 128 wide.
    const wide = 160 + 4608 + 128 + 27648 + 384 + 49280 + 1419 + gru(128) + gru(128);
    expect(hb.zoo.crnn({ filters: [16, 32, 96], projectUnits: 128 }).countParams()).toBe(wide);
    // A fourth block (conv 3·3·64·64 = 36,864, bn4 4·64 = 256) keeps the 56 columns and their width.
    const deep = hb.zoo.crnn({ filters: [16, 32, 64, 64] });
    expect(deep.countParams()).toBe(165867 + 36864 + 256);
    expect(deep.outputs[0].shape).toEqual([null, 56, 11]);
    expect(deep.layers.filter((l) => l.className === 'MaxPooling2D').length).toBe(3);
    // Its last block's width sets the columns' features: 4·48 into the projection.
    expect(hb.zoo.crnn({ filters: [16, 32, 64, 48] }).getLayer('project').getWeights()[0].shape).toEqual([4 * 48, 64]);
    expect(() => hb.zoo.crnn({ filters: [16, 32] })).toThrow(/three or more/);
    expect(() => hb.zoo.crnn({ filters: [16, 32, 64, 0] })).toThrow(/filters/);
  });

  it('dropout on the projected columns acts in training only', () => {
    hb.setSeed(3);
    const opts = { inputShape: [16, 64, 1], units: 4, layers: 1, filters: [2, 2, 2], dropout: 0.5 } as const;
    const m = hb.zoo.crnn(opts);
    expect(m.getLayer('dropout').getConfig().rate).toBe(0.5);
    const x = hb.randomUniform([2, 16, 64, 1], { seed: 5 });
    const a = (m.apply(x, { training: false }) as hb.Tensor).dataSync();
    expect(Array.from((m.apply(x, { training: false }) as hb.Tensor).dataSync())).toEqual(Array.from(a));
    const t = (m.apply(x, { training: true }) as hb.Tensor).dataSync();
    expect(Math.max(...t.map((v, i) => Math.abs(v - a[i])))).toBeGreaterThan(1e-6);
    expect(hb.zoo.crnn({ ...opts, dropout: 0 }).layers.some((l) => l.className === 'Dropout')).toBe(false);
    expect(() => hb.zoo.crnn({ dropout: 1 })).toThrow(/dropout/);
    expect(() => hb.zoo.crnn({ projectUnits: 0 })).toThrow(/projectUnits/);
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

  it('hebb train digit-strips runs end to end on a few distorted strips and saves a model that loads', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hebb-crnn-'));
    const write = process.stdout.write.bind(process.stdout);
    const lines: string[] = [];
    process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await trainDigitStrips({ train: 4, validation: 2, test: 2, epochs: 1, batchSize: 4, seed: 1, report: false, backend: 'wasm', threads: 1, out });
    } finally {
      process.stdout.write = write;
    }
    expect(lines.join('')).toMatch(/digits distorted/);
    const m = await hb.loadModel(out);
    expect(m.outputs[0].shape).toEqual([null, 56, 11]);
    rmSync(out, { recursive: true, force: true });
  }, 180_000);

  it("the CLI's worker makes the same training strips as digitStrips on the main thread", async () => {
    const maker = new StripMaker();
    try {
      const made = await maker.make(5, 7, { probability: 0.5, elastic: 20 });
      const here = await hb.datasets.digitStrips({ n: 5, split: 'train', seed: 7, augment: { probability: 0.5, elastic: 20 } });
      expect(maker.onWorker).toBe(true);
      expect(made.labels).toEqual(here.labels);
      expect(Array.from(made.images)).toEqual(Array.from(here.images.dataSync()));
    } finally {
      maker.close();
    }
  });
});
