// Callbacks: the Keras rules of earlyStopping and reduceLROnPlateau driven by scripted epoch
// logs, then each callback inside a real fit (files written by csvLogger and modelCheckpoint
// are read back).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const dense = hb.layers.dense;
const dir = mkdtempSync(join(tmpdir(), 'hebb-callbacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A compiled one-weight model y = w·x (w starts at 0). */
function tiny(lr = 0.1): hb.Sequential {
  const m = hb.sequential([dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros', name: 'w' })]);
  m.compile({ optimizer: hb.optimizers.sgd({ learningRate: lr }), loss: 'mse' });
  return m;
}

/** Run a callback's epoch hooks over scripted values of `key`; returns the epochs it ran before stopping. */
function drive(cb: hb.Callback & hb.CallbackHooks, model: hb.Model, key: string, values: number[]): number {
  cb.setModel(model);
  model.stopTraining = false;
  void cb.onTrainBegin?.({});
  let e = 0;
  for (; e < values.length && !model.stopTraining; e++) void cb.onEpochEnd?.(e, { [key]: values[e] });
  void cb.onTrainEnd?.({});
  return e;
}

describe('earlyStopping rules', () => {
  it('stops after `patience` epochs without improvement', () => {
    const m = tiny();
    // best at epoch 1 (0.5); epochs 2, 3 do not improve; patience 2 → stop after epoch 3
    expect(drive(hb.callbacks.earlyStopping({ monitor: 'loss', patience: 2 }), m, 'loss', [1, 0.5, 0.6, 0.7, 0.1, 0.1])).toBe(4);
  });

  it('minDelta: smaller changes are not improvements', () => {
    expect(drive(hb.callbacks.earlyStopping({ monitor: 'loss', patience: 1, minDelta: 0.1 }), tiny(), 'loss', [1, 0.95, 0.5])).toBe(2);
  });

  it("mode 'auto' maximises accuracy-like quantities", () => {
    const cb = hb.callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 1 });
    expect(cb.mode).toBe('max');
    expect(drive(cb, tiny(), 'val_accuracy', [0.5, 0.6, 0.7, 0.65, 0.9])).toBe(4);
  });

  it('baseline: until it is beaten, improvements do not reset the patience counter', () => {
    // e0 wait 1, e1 improves but 0.9 > baseline so wait stays 2, e2 no improvement → stop after 3 epochs
    const values = [1, 0.9, 0.95, 0.97, 0.99];
    expect(drive(hb.callbacks.earlyStopping({ monitor: 'loss', patience: 2, baseline: 0.1 }), tiny(), 'loss', values)).toBe(3);
    // without a baseline e1 resets the counter: e2 wait 1, e3 wait 2 → stop after 4
    expect(drive(hb.callbacks.earlyStopping({ monitor: 'loss', patience: 2 }), tiny(), 'loss', values)).toBe(4);
  });
});

describe('reduceLROnPlateau rules', () => {
  it('multiplies the rate by factor after patience, respects cooldown and minLr', () => {
    const m = tiny(1);
    const cb = hb.callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, cooldown: 2, minLr: 0.2 });
    const seen: number[] = [];
    cb.setModel(m);
    cb.onTrainBegin();
    for (const [e, v] of [1, 1, 1, 1, 1, 1, 1].entries()) {
      cb.onEpochEnd(e, { loss: v });
      seen.push(m.optimizer!.learningRate);
    }
    // As Keras, the cooldown counter is decremented before it is checked:
    // e0 best; e1 wait 1 → 0.5, cooldown 2; e2 cooldown 1 (skip); e3 cooldown 0, wait 1 → 0.25;
    // e4 skip; e5 → max(0.125, minLr 0.2) = 0.2; e6 skip
    expect(seen).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2]);
    expect(() => hb.callbacks.reduceLROnPlateau({ factor: 1 })).toThrow(hb.ValueError);
  });
});

describe('callbacks in fit', () => {
  // Training data y = x; validation data y = −0.1·x. Starting from w = 0, every epoch moves w
  // towards 1 and away from −0.1, so val_loss is best after the first epoch and then grows.
  const x = hb.tensor([[1], [2], [-1], [0.5]]);
  const y = x;
  const vx = hb.tensor([[1], [-2]]);
  const vy = hb.mul(vx, -0.1);

  it('earlyStopping stops and restores the best weights', async () => {
    const m = tiny(0.05);
    const perEpoch: number[] = [];
    const h = await m.fit(x, y, {
      epochs: 20, batchSize: 4, validationData: [vx, vy],
      callbacks: [
        { onEpochEnd: () => void perEpoch.push(m.weights[0].value.dataSync()[0]) },
        hb.callbacks.earlyStopping({ patience: 2, restoreBestWeights: true }),
      ],
    });
    expect(h.epoch).toEqual([0, 1, 2]);
    for (let e = 1; e < 3; e++) expect(h.history.val_loss[e]).toBeGreaterThan(h.history.val_loss[e - 1]);
    expect(m.weights[0].value.dataSync()[0]).toBe(perEpoch[0]);
    expect(perEpoch[2]).not.toBe(perEpoch[0]);
  });

  it('learningRateScheduler sets the rate per epoch and logs it', async () => {
    const m = tiny();
    const h = await m.fit(x, y, { epochs: 3, batchSize: 4, callbacks: [hb.callbacks.learningRateScheduler((epoch) => 0.1 / (epoch + 1))] });
    expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.1 / 3]);
  });

  it('csvLogger writes a header and one row per epoch, and appends', async () => {
    const path = join(dir, 'log.csv');
    writeFileSync(path, 'stale');
    const m = tiny();
    await m.fit(x, y, { epochs: 2, batchSize: 2, validationData: [vx, vy], callbacks: [hb.callbacks.csvLogger(path)] });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,val_loss');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['epoch', '0', '1']);
    expect(Number(lines[1].split(',')[1])).toBeGreaterThan(0);
    await m.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 2, callbacks: [hb.callbacks.csvLogger(path, { append: true, separator: ',' })] });
    const again = readFileSync(path, 'utf8').trim().split('\n');
    expect(again.map((l) => l.split(',')[0])).toEqual(['epoch', '0', '1', '2', '3']);
  });

  it('terminateOnNaN stops at the first non-finite loss', async () => {
    const m = tiny(1e30);
    const h = await m.fit(hb.tensor([[1e20]]), hb.tensor([[1]]), { epochs: 10, batchSize: 1, callbacks: [hb.callbacks.terminateOnNaN()] });
    expect(h.epoch.length).toBeLessThan(10);
    expect(Number.isFinite(h.history.loss.at(-1)!)).toBe(false);
  });

  it('modelCheckpoint fills the {epoch} template and saves only improvements with saveBestOnly', async () => {
    const m = tiny(0.05);
    const template = join(dir, 'ckpt-{epoch:02d}');
    await m.fit(x, y, { epochs: 3, batchSize: 4, validationData: [vx, vy], callbacks: [hb.callbacks.modelCheckpoint(template, { saveBestOnly: true })] });
    expect(existsSync(join(dir, 'ckpt-01', 'model.json'))).toBe(true);
    expect(existsSync(join(dir, 'ckpt-02'))).toBe(false); // val_loss got worse
    const loaded = await hb.loadModel(join(dir, 'ckpt-01'));
    expect(loaded.epochsTrained).toBe(1);
    const wpath = join(dir, 'w-{epoch}-{loss:.3f}.safetensors');
    const logs: hb.Logs[] = [];
    await m.fit(x, y, { epochs: 1, batchSize: 4, callbacks: [{ onEpochEnd: (_e, l) => void logs.push({ ...l }) }, hb.callbacks.modelCheckpoint(wpath, { saveWeightsOnly: true, monitor: 'loss' })] });
    const file = join(dir, `w-1-${logs[0].loss.toFixed(3)}.safetensors`);
    expect(existsSync(file)).toBe(true);
    const other = tiny();
    await other.loadWeights(file);
    expect(other.getWeights()[0].toArray()).toEqual(m.getWeights()[0].toArray());
  });

  it('formatPath handles {epoch}, padding, fixed decimals, and names unknown keys', () => {
    expect(hb.callbacks.formatPath('m-{epoch}-{epoch:03d}-{val_loss:.2f}', 4, { val_loss: 0.12345 })).toBe('m-5-005-0.12');
    expect(() => hb.callbacks.formatPath('{nope}', 0, {})).toThrow(/\{nope\}/);
  });

  it('progressBar prints one line per epoch with loss, samples/s and (when verbose) validation values', async () => {
    const out: string[] = [];
    const stream = { isTTY: false, write: (s: string) => (out.push(s), true) };
    const m = tiny();
    await m.fit(x, y, { epochs: 2, batchSize: 2, validationData: [vx, vy], callbacks: [hb.callbacks.progressBar({ stream })] });
    expect(out.length).toBe(2);
    expect(out[0]).toMatch(/^Epoch 1\/2 - [\d.]+s - \d+ samples\/s - loss: [\d.e-]+ - val_loss: [\d.e-]+\n$/);
  });
});
