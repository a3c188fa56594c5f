// The CLI's small parts in-process: option parsers, the progress display in its plain form, the
// run-state file's validation, error formatting and the probability clean-up of predictions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, describeError, oneLine } from '../../cli/errors.js';
import { toProbabilities } from '../../cli/inspect.js';
import { decayFactor, integer, nonNegativeInt, positiveInt, positiveNumber, timestamp } from '../../cli/options.js';
import { formatDuration, TrainProgress } from '../../cli/progress.js';
import { readRunState, type RunState, writeRunState } from '../../cli/run-state.js';

const tmp = mkdtempSync(join(tmpdir(), 'hebb-parts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('option parsers', () => {
  it('accept what they promise and reject the rest with InvalidArgumentError', () => {
    expect(positiveInt('64')).toBe(64);
    expect(nonNegativeInt('0')).toBe(0);
    expect(integer('-3')).toBe(-3);
    expect(positiveNumber('1e-3')).toBe(0.001);
    expect(decayFactor('1')).toBe(1);
    for (const [parse, bad] of [[positiveInt, '0'], [positiveInt, '2.5'], [positiveInt, 'x'], [nonNegativeInt, '-1'], [integer, '1.5'],
      [positiveNumber, '0'], [positiveNumber, ''], [positiveNumber, 'NaN'], [decayFactor, '1.5'], [decayFactor, '0']] as const) {
      expect(() => parse(bad), `${parse.name}(${bad})`).toThrow(InvalidArgumentError);
    }
    expect(timestamp(new Date(2025, 0, 31, 14, 5, 9))).toBe('20250131-140509');
  });
});

/** A stream that records what is written, as a pipe would (not a TTY). */
function fakeStream(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY: false, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

describe('TrainProgress without a terminal', () => {
  it('prints a line each quarter epoch and one at its end, with speed, ETA and validation', () => {
    const { stream, text } = fakeStream();
    let now = 0;
    const p = new TrainProgress({ stream, now: () => now });
    p.epochStart(3, 10, 1000);
    for (let done = 100; done <= 1000; done += 100) {
      now += 100; // 100 samples per 100 ms: 1000 samples/s
      p.batchEnd(done, { loss: 0.5, accuracy: 0.9 });
    }
    p.epochEnd({ loss: 0.4, accuracy: 0.91, val_loss: 0.3, val_accuracy: 0.95 });
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('epoch  3/10   30% 300/1000  loss 0.5000  acc 0.9000  1000 samples/s  ETA 1s');
    expect(lines[2]).toMatch(/^epoch {2}3\/10 {3}80% 800\/1000/);
    expect(lines[3]).toBe('epoch  3/10  loss 0.4000  acc 0.9100  val_loss 0.3000  val_acc 0.9500  1s (1000 samples/s)');
  });

  it('formats durations compactly', () => {
    expect([formatDuration(4.4), formatDuration(187), formatDuration(3725), formatDuration(NaN)]).toEqual(['4s', '3m07s', '1h02m', '–']);
  });
});

describe('train-state.json', () => {
  const state: RunState = {
    format: 'hebb-train-state', version: 1,
    settings: { dataset: 'mnist', model: 'lenet5', epochs: 3, batchSize: 64, optimizer: 'adam', lr: null, lrDecay: 0.8, seed: 1, augment: false, validation: 5000, limit: null, dataDir: null },
    epochsDone: 2, history: { loss: [0.5, NaN] }, trainSeconds: 12.5, complete: false, interrupted: { epoch: 3, samples: 640 },
  };

  it('round-trips, NaN losses included', () => {
    const dir = join(tmp, 'ok');
    writeRunState(tmp, state);
    const back = readRunState(tmp);
    expect(back.settings).toEqual(state.settings);
    expect(back.history.loss[0]).toBe(0.5);
    expect(back.history.loss[1]).toBeNaN();
    expect(back.interrupted).toEqual({ epoch: 3, samples: 640 });
    expect(() => readRunState(dir)).toThrow(/no such run folder/);
  });

  it('names what is wrong in a damaged file', () => {
    const file = join(tmp, 'train-state.json');
    writeFileSync(file, '{"format": "hebb-train-state"');
    expect(() => readRunState(tmp)).toThrow(CliError);
    expect(() => readRunState(tmp)).toThrow(/corrupt/);
    writeFileSync(file, JSON.stringify({ ...state, settings: { ...state.settings, batchSize: -1 } }));
    expect(() => readRunState(tmp)).toThrow(/settings\.epochs or settings\.batchSize/);
    writeFileSync(file, JSON.stringify({ ...state, version: 7 }));
    expect(() => readRunState(tmp)).toThrow(/version 7 is not supported/);
  });
});

describe('errors and predictions', () => {
  it('describes file errors in words and folds messages into one line', () => {
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/x/y' });
    expect(describeError(enoent)).toBe('/x/y: no such file or directory');
    expect(oneLine('first\n  second\n')).toBe('first; second');
    expect(describeError('plain')).toBe('plain');
  });

  it('keeps softmax outputs and turns logits into probabilities', () => {
    const probs = Float32Array.from([0.2, 0.8, 0.5, 0.5]);
    expect(toProbabilities(probs, 2)).toBe(probs);
    const fromLogits = toProbabilities(Float32Array.from([0, Math.log(3)]), 2);
    expect(fromLogits[0]).toBeCloseTo(0.25, 6);
    expect(fromLogits[1]).toBeCloseTo(0.75, 6);
  });
});
