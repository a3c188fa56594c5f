// docs/api.md "Layers and models", run as written: the sequential example (dense 500 relu, dropout,
// dense 10 softmax) compiled with 'adam' and with sgd + momentum, fit with every documented
// option, evaluate / predict / summary / countParams / weights / save / loadModel, then every
// callback, loss name and optimizer that the API contract lists. Data: 10 Gaussian blobs in 784-D (a few
// hundred samples, learnable in a couple of epochs). Expected values come from the math (hand
// computations, or plain-JS arithmetic on predicted probabilities), never from the code under test.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as hb from '../../src/index.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'hebb-api-'));

/** n samples of 10 classes: a uniform [0, 1] centre per class plus N(0, 0.3²) noise, clipped to [0, 1] (MNIST-like). */
function blobs(n: number, seed: number): { x: hb.Tensor; y: hb.Tensor; labels: number[] } {
  const centers = hb.randomUniform([10, 784], { min: 0, max: 1, seed: 7 });
  const labels = Array.from({ length: n }, (_, i) => i % 10);
  const noise = hb.randomNormal([n, 784], { std: 0.3, seed });
  const x = hb.clip(hb.add(hb.gather(centers, hb.tensor(labels, [n], 'int32')), noise), 0, 1);
  return { x, y: hb.oneHot(hb.tensor(labels, [n], 'int32'), 10), labels };
}

/** The API contract's example model, verbatim. */
function exampleModel(): hb.Sequential {
  const model = hb.sequential([
    hb.layers.dense({ units: 500, inputShape: [784], activation: 'relu' }),
    hb.layers.dropout({ rate: 0.5 }),
    hb.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  return model;
}

const EXAMPLE_PARAMS = 784 * 500 + 500 + (500 * 10 + 10); // 397,510

const rows = (t: hb.Tensor): number[][] => t.toArray() as number[][];
const isNumberArray = (v: unknown, length: number): boolean =>
  Array.isArray(v) && v.length === length && v.every((e) => typeof e === 'number' && Number.isFinite(e));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the sequential example', () => {
  const train = blobs(300, 1);
  const val = blobs(60, 2);

  it("compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] }) and fit with validationSplit", async () => {
    hb.setSeed(11);
    const model = exampleModel();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const seen: number[] = [];
    const history = await model.fit(train.x, train.y, {
      epochs: 3, batchSize: 32, validationSplit: 0.2, shuffle: true, verbose: 0,
      callbacks: [{ onEpochEnd: (epoch: number) => void seen.push(epoch) }],
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(history).toBe(model.history);
    for (const key of ['loss', 'val_loss', 'accuracy', 'val_accuracy']) {
      expect(isNumberArray(history.history[key], 3), key).toBe(true);
    }
    const { loss, accuracy, val_accuracy: valAccuracy } = history.history;
    expect(loss[2]).toBeLessThan(loss[0]);
    expect(accuracy[2]).toBeGreaterThan(0.9);
    expect(valAccuracy[2]).toBeGreaterThan(0.9);
    for (const a of [...accuracy, ...valAccuracy]) expect(a >= 0 && a <= 1).toBe(true);
  });

  it('compile with hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }) and fit with validationData', async () => {
    hb.setSeed(13);
    const model = exampleModel();
    const sgd = hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 });
    model.compile({ optimizer: sgd, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    expect(model.optimizer).toBe(sgd);
    const history = await model.fit(train.x, train.y, { epochs: 3, batchSize: 32, validationData: [val.x, val.y], verbose: 0 });
    for (const key of ['loss', 'val_loss', 'accuracy', 'val_accuracy']) expect(isNumberArray(history.history[key], 3), key).toBe(true);
    // lr 0.1 with momentum 0.9 is an effective step of 1: it learns fast and then oscillates, so
    // ask for the best epoch, not the last.
    expect(Math.min(...history.history.loss.slice(1))).toBeLessThan(history.history.loss[0]);
    expect(Math.max(...history.history.val_accuracy)).toBeGreaterThanOrEqual(0.9);
    // val_* is the validation set evaluated with the epoch's final weights (dropout off).
    const res = await model.evaluate(val.x, val.y, { batchSize: 16 });
    expect(res.loss).toBeCloseTo(history.history.val_loss[2], 5);
    expect(res.accuracy).toBeCloseTo(history.history.val_accuracy[2], 10);
  });

  it('validationData wins over validationSplit (Keras): all samples train, the given set validates', async () => {
    const model = exampleModel();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    let samples = -1;
    const probe = new (class extends hb.Callback {
      onTrainBegin(): void {
        samples = this.params!.samples;
      }
    })();
    const history = await model.fit(train.x, train.y, { epochs: 1, batchSize: 50, validationSplit: 0.5, validationData: [val.x, val.y], verbose: 0, callbacks: [probe] });
    expect(samples).toBe(300);
    expect((await model.evaluate(val.x, val.y)).loss).toBeCloseTo(history.history.val_loss[0], 5);
  });

  it('shuffle: false: from equal weights and seed, two fits give identical histories', async () => {
    const a = exampleModel();
    const b = exampleModel();
    b.setWeights(a.getWeights());
    const run = async (m: hb.Sequential): Promise<number[]> => {
      m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
      hb.setSeed(3); // dropout masks come from the global generator
      return (await m.fit(train.x, train.y, { epochs: 2, batchSize: 64, shuffle: false, verbose: 0 })).history.loss;
    };
    expect(await run(a)).toEqual(await run(b));
  });

  it('verbose: 2 prints one line per epoch with the logs; verbose: 0 prints nothing', async () => {
    const model = exampleModel();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    await model.fit(train.x, train.y, { epochs: 2, batchSize: 100, validationSplit: 0.2, verbose: 2 });
    const epochLines = written.join('').split('\n').filter((l) => /Epoch \d\/2/.test(l));
    expect(epochLines.length).toBe(2);
    expect(epochLines[1]).toMatch(/loss: \d/);
    expect(epochLines[1]).toMatch(/val_accuracy: \d/);
    written.length = 0;
    await model.fit(train.x, train.y, { epochs: 1, batchSize: 100, verbose: 0 });
    expect(written.join('')).toBe('');
    spy.mockRestore();
  });

  describe('after training', () => {
    const model = exampleModel();
    beforeAll(async () => {
      hb.setSeed(21);
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      await model.fit(train.x, train.y, { epochs: 2, batchSize: 32, verbose: 0 });
    });

    it('evaluate(x, y, { batchSize }) → { loss: number, accuracy: number }, equal to −mean log p[label] and the argmax hit rate', async () => {
      const res = await model.evaluate(val.x, val.y, { batchSize: 7 });
      expect(Object.keys(res).sort()).toEqual(['accuracy', 'loss']);
      expect(typeof res.loss).toBe('number');
      expect(typeof res.accuracy).toBe('number');
      // Independent: the loss and accuracy recomputed in plain JS from the predicted probabilities.
      const p = rows(model.predict(val.x) as hb.Tensor);
      const eps = 1e-7;
      const ce = p.reduce((s, row, i) => s - Math.log(Math.min(Math.max(row[val.labels[i]], eps), 1 - eps)), 0) / p.length;
      const hits = p.filter((row, i) => row.indexOf(Math.max(...row)) === val.labels[i]).length;
      expect(res.loss).toBeCloseTo(ce, 4);
      expect(res.accuracy).toBeCloseTo(hits / p.length, 10);
      // The batch size changes nothing but the batching.
      expect((await model.evaluate(val.x, val.y, { batchSize: 60 })).loss).toBeCloseTo(res.loss, 5);
    });

    it('predict(x, { batchSize }) → a Tensor [N, 10] whose rows sum to 1, the same for any batch size', () => {
      const p = model.predict(val.x, { batchSize: 7 });
      // typed as the API contract writes it: a Sequential model's predict gives a Tensor (checked by tsc)
      expectTypeOf(p).toEqualTypeOf<hb.Tensor>();
      expect(p).toBeInstanceOf(hb.Tensor);
      const t = p;
      expect(t.shape).toEqual([60, 10]);
      expect(t.dtype).toBe('float32');
      for (const row of rows(t)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const whole = (model.predict(val.x, { batchSize: 60 }) as hb.Tensor).dataSync();
      const batched = t.dataSync();
      for (let i = 0; i < whole.length; i++) expect(batched[i]).toBeCloseTo(whole[i], 6);
      // inference: dropout is off, so predicting twice gives the same numbers
      expect(Array.from((model.predict(val.x, { batchSize: 60 }) as hb.Tensor).dataSync())).toEqual(Array.from(whole));
    });

    it('summary() returns the table and prints it; summary({ print: false }) only returns it', () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const quiet = model.summary({ print: false });
      expect(log).not.toHaveBeenCalled();
      expect(typeof quiet).toBe('string');
      expect(quiet).toContain('Total params: 397,510');
      expect(quiet).toContain('Trainable params: 397,510');
      expect(quiet).toContain('(None, 500)');
      expect(quiet).toContain('(None, 10)');
      expect(quiet).toContain('Dropout');
      const loud = model.summary();
      expect(loud).toBe(quiet);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log).toHaveBeenCalledWith(quiet);
    });

    it('countParams() = 784·500 + 500 + 500·10 + 10; layers; getWeights() shapes', () => {
      expect(model.countParams()).toBe(EXAMPLE_PARAMS);
      expect(model.countParams({ trainableOnly: true })).toBe(EXAMPLE_PARAMS);
      expect(model.layers.map((l) => l.className)).toEqual(['Dense', 'Dropout', 'Dense']);
      expect(model.getWeights().map((w) => w.shape)).toEqual([[784, 500], [500], [500, 10], [10]]);
    });

    it('setWeights(ts) copies a model: the copy predicts identically', () => {
      const copy = exampleModel();
      copy.setWeights(model.getWeights());
      expect(Array.from((copy.predict(val.x) as hb.Tensor).dataSync())).toEqual(Array.from((model.predict(val.x) as hb.Tensor).dataSync()));
      // getWeights returns values, not live variables: changing the copy leaves the original alone
      copy.setWeights(copy.getWeights().map((w) => hb.zerosLike(w)));
      expect(model.getWeights()[0].dataSync().some((v) => v !== 0)).toBe(true);
      expect(copy.getWeights()[0].dataSync().every((v) => v === 0)).toBe(true);
    });

    it('save(dir) writes model.json + weights.safetensors; hb.loadModel(dir) predicts identically and stays compiled', async () => {
      const dir = join(tempDir(), 'mlp');
      await model.save(dir);
      expect(existsSync(join(dir, 'model.json'))).toBe(true);
      expect(existsSync(join(dir, 'weights.safetensors'))).toBe(true);
      expect(existsSync(join(dir, 'optimizer.safetensors'))).toBe(true);
      expect(() => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'))).not.toThrow();
      const m = await hb.loadModel(dir);
      expect(m).toBeInstanceOf(hb.Model);
      expect(m.countParams()).toBe(EXAMPLE_PARAMS);
      expect(Array.from((m.predict(val.x) as hb.Tensor).dataSync())).toEqual(Array.from((model.predict(val.x) as hb.Tensor).dataSync()));
      const [a, b] = [await model.evaluate(val.x, val.y), await m.evaluate(val.x, val.y)];
      expect(b.loss).toBeCloseTo(a.loss, 6);
      expect(b.accuracy).toBe(a.accuracy);
    });
  });

  it('countParams({ trainableOnly: true }) after freezing the first layer; fit leaves the frozen weights alone', async () => {
    const model = exampleModel();
    const [first, , last] = model.layers;
    first.trainable = false;
    expect(model.countParams()).toBe(EXAMPLE_PARAMS);
    expect(model.countParams({ trainableOnly: true })).toBe(500 * 10 + 10);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const frozenBefore = first.getWeights().map((w) => Array.from(w.dataSync()));
    const lastBefore = last.getWeights().map((w) => Array.from(w.dataSync()));
    await model.fit(train.x, train.y, { epochs: 1, batchSize: 100, verbose: 0 });
    expect(first.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(frozenBefore);
    expect(last.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(lastBefore);
    expect(model.summary({ print: false })).toContain('Non-trainable params: 392,500');
    // model.getWeights() lists weights by layer in creation order (Keras 3), frozen or not.
    expect(model.getWeights().map((w) => w.shape)).toEqual([[784, 500], [500], [500, 10], [10]]);
    model.setWeights(model.getWeights()); // the round trip stays consistent
    expect(first.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(frozenBefore);
  });
});

describe('hb.callbacks: every name of the API contract exists and runs in a short fit', () => {
  const NAMES = ['earlyStopping', 'modelCheckpoint', 'reduceLROnPlateau', 'learningRateScheduler', 'csvLogger', 'progressBar', 'terminateOnNaN'] as const;
  // A small problem for the callbacks: 3 blobs in 4-D.
  const n = 60;
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const x = hb.add(hb.gather(hb.tensor([[2, 0, 0, 1], [0, 2, 0, 1], [0, 0, 2, 1]]), hb.tensor(labels, [n], 'int32')), hb.randomNormal([n, 4], { std: 0.2, seed: 5 }));
  const y = hb.oneHot(hb.tensor(labels, [n], 'int32'), 3);
  const small = (): hb.Sequential => {
    const m = hb.sequential([hb.layers.dense({ units: 8, inputShape: [4], activation: 'relu' }), hb.layers.dense({ units: 3, activation: 'softmax' })]);
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  };

  it('each is a factory under hb.callbacks', () => {
    for (const name of NAMES) expect(typeof hb.callbacks[name], name).toBe('function');
  });

  it('all seven together in one fit', async () => {
    const dir = tempDir();
    const csv = join(dir, 'log.csv');
    const written: string[] = [];
    const stream = {
      isTTY: false,
      write(s: string): boolean {
        written.push(s);
        return true;
      },
    };
    const m = small();
    const history = await m.fit(x, y, {
      epochs: 3, batchSize: 20, validationSplit: 0.25, verbose: 0,
      callbacks: [
        hb.callbacks.earlyStopping({ monitor: 'val_loss', patience: 10 }),
        hb.callbacks.modelCheckpoint(join(dir, 'ckpt-{epoch}')),
        hb.callbacks.reduceLROnPlateau({ monitor: 'val_loss', patience: 10 }),
        hb.callbacks.learningRateScheduler((epoch) => 0.1 / (epoch + 1)),
        hb.callbacks.csvLogger(csv),
        hb.callbacks.progressBar({ stream }),
        hb.callbacks.terminateOnNaN(),
      ],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(m.optimizer!.learningRate).toBeCloseTo(0.1 / 3, 10);
    expect(readdirSync(dir).filter((f) => f.startsWith('ckpt-')).sort()).toEqual(['ckpt-1', 'ckpt-2', 'ckpt-3']);
    expect(existsSync(join(dir, 'ckpt-3', 'model.json'))).toBe(true);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines.length).toBe(4);
    expect(lines[0].split(',')).toContain('val_loss');
    expect(written.join('').split('\n').filter((l) => l.startsWith('Epoch ')).length).toBe(3);
    // the checkpoint of the last epoch is the trained model
    const last = await hb.loadModel(join(dir, 'ckpt-3'));
    expect(Array.from((last.predict(x) as hb.Tensor).dataSync())).toEqual(Array.from((m.predict(x) as hb.Tensor).dataSync()));
  });

  it('earlyStopping stops when the monitored loss cannot improve (learning rate 0)', async () => {
    const m = small();
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0 }), loss: 'categoricalCrossentropy' });
    const h = await m.fit(x, y, { epochs: 20, batchSize: 20, shuffle: false, verbose: 0, callbacks: [hb.callbacks.earlyStopping({ monitor: 'loss', patience: 2 })] });
    // epoch 0 sets the best; epochs 1 and 2 do not improve → stop after 3 epochs
    expect(h.epoch).toEqual([0, 1, 2]);
  });

  it('reduceLROnPlateau multiplies the rate by factor on a plateau', async () => {
    const m = small();
    // minDelta 1e9: no epoch after the first counts as an improvement, so with patience 1 the
    // rate halves at the end of epochs 1 and 2; each epoch logs the rate it trained with.
    const h = await m.fit(x, y, { epochs: 3, batchSize: 20, verbose: 0, callbacks: [hb.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 1e9 })] });
    expect(h.history.learning_rate).toEqual([0.1, 0.1, 0.05]);
    expect(m.optimizer!.learningRate).toBeCloseTo(0.025, 10);
  });

  it('terminateOnNaN ends training at the first non-finite loss', async () => {
    const m = hb.sequential([hb.layers.dense({ units: 1, inputShape: [1] })]);
    m.layers[0].setWeights([hb.tensor([[1]]), hb.tensor([0])]);
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // (1e30 − 0)² overflows float32 → loss Infinity on the first batch
    const h = await m.fit(hb.tensor([[1e30], [1e30]]), hb.tensor([[0], [0]]), { epochs: 5, batchSize: 1, verbose: 0, callbacks: [hb.callbacks.terminateOnNaN()] });
    expect(h.epoch).toEqual([0]);
    expect(Number.isFinite(h.history.loss[0])).toBe(false);
  });
});

describe('loss names in compile give the hand-computed value through evaluate', () => {
  /** The identity model, so evaluate(yPred, yTrue) reports loss(yTrue, yPred). */
  async function lossOf(name: string, yTrue: hb.Tensor, yPred: number[][], batchSize?: number): Promise<number> {
    const k = yPred[0].length;
    const m = hb.sequential([hb.layers.activation({ activation: 'linear', inputShape: [k] })]);
    m.compile({ optimizer: 'sgd', loss: name });
    return (await m.evaluate(hb.tensor(yPred), yTrue, { batchSize })).loss;
  }
  const ln = Math.log;

  const cases: [string, hb.Tensor, number[][], number][] = [
    // per sample: mean over the row; then the mean over samples
    ['meanSquaredError', hb.tensor([[1, 2], [3, 4]]), [[1, 3], [5, 4]], ((0 + 1) / 2 + (4 + 0) / 2) / 2],
    ['meanAbsoluteError', hb.tensor([[1, 2], [3, 4]]), [[1, 3], [5, 4]], ((0 + 1) / 2 + (2 + 0) / 2) / 2],
    ['binaryCrossentropy', hb.tensor([[1, 0], [0, 1]]), [[0.9, 0.2], [0.3, 0.6]], (-(ln(0.9) + ln(0.8)) / 2 - (ln(0.7) + ln(0.6)) / 2) / 2],
    ['categoricalCrossentropy', hb.tensor([[0, 1, 0], [0, 0, 1]]), [[0.2, 0.7, 0.1], [0.1, 0.3, 0.6]], -(ln(0.7) + ln(0.6)) / 2],
    ['sparseCategoricalCrossentropy', hb.tensor([1, 2], [2], 'int32'), [[0.2, 0.7, 0.1], [0.1, 0.3, 0.6]], -(ln(0.7) + ln(0.6)) / 2],
    // δ = 1: ½e² for |e| ≤ 1, |e| − ½ beyond. Errors (0.5, 2) and (0, 2).
    ['huber', hb.tensor([[0, 0], [1, 1]]), [[0.5, 2], [1, -1]], ((0.125 + 1.5) / 2 + (0 + 1.5) / 2) / 2],
    // Σ y log(y/p)
    ['kullbackLeiblerDivergence', hb.tensor([[0.5, 0.5], [0.25, 0.75]]), [[0.25, 0.75], [0.5, 0.5]],
      (0.5 * ln(0.5 / 0.25) + 0.5 * ln(0.5 / 0.75) + 0.25 * ln(0.25 / 0.5) + 0.75 * ln(0.75 / 0.5)) / 2],
    // labels {0, 1} → {−1, 1}; mean max(1 − y·ŷ, 0): (0.7 + 1.4 + 0)/3 and (0 + 1.5 + 0.5)/3
    ['hinge', hb.tensor([[1, 0, 1], [0, 0, 1]]), [[0.3, 0.4, 2], [-2, 0.5, 0.5]], ((0.7 + 1.4 + 0) / 3 + (0 + 1.5 + 0.5) / 3) / 2],
  ];

  for (const [name, yTrue, yPred, expected] of cases) {
    it(`'${name}' = ${expected.toFixed(6)}`, async () => {
      expect(await lossOf(name, yTrue, yPred)).toBeCloseTo(expected, 5);
      expect(await lossOf(name, yTrue, yPred, 1)).toBeCloseTo(expected, 5); // mean of per-batch means, weighted by size
    });
  }

  it('hinge with labels already in {−1, 1}', async () => {
    expect(await lossOf('hinge', hb.tensor([[-1, 1]]), [[0.5, 0.5]])).toBeCloseTo((1.5 + 0.5) / 2, 6);
  });

  it('hb.losses.triplet and hb.losses.contrastive exist and give the hand values', () => {
    expect(typeof hb.losses.triplet).toBe('function');
    expect(typeof hb.losses.contrastive).toBe('function');
    // ‖a − p‖² = 1, ‖a − n‖² = 4 → max(1 − 4 + 0.2, 0) = 0;  second: ‖a − p‖² = 4, ‖a − n‖² = 1 → 3.2
    const a = hb.tensor([[0, 0], [0, 0]]);
    const p = hb.tensor([[1, 0], [2, 0]]);
    const n = hb.tensor([[0, 2], [0, 1]]);
    expect(hb.losses.triplet(a, p, n).item()).toBeCloseTo((0 + 3.2) / 2, 6);
    expect(hb.losses.triplet(a, p, n, { margin: 1 }).item()).toBeCloseTo((0 + 4) / 2, 6);
    // similar pair at distance 0.5 → 0.25; dissimilar pairs at 0.25 (margin 1) → 0.5625 and at 2 → 0
    expect(hb.losses.contrastive(hb.tensor([1, 0, 0]), hb.tensor([0.5, 0.25, 2])).item()).toBeCloseTo((0.25 + 0.5625 + 0) / 3, 6);
  });

  it('hb.losses.ctc gives the hand values, and works by name in compile', async () => {
    expect(typeof hb.losses.ctc).toBe('function');
    // T = 1, label [1]: −log softmax([0, ln 3])[1] = ln(4/3)
    const label = hb.tensor([[1]], [1, 1], 'int32');
    expect(hb.losses.ctc(label, hb.tensor([[[0, Math.log(3)]]])).item()).toBeCloseTo(Math.log(4 / 3), 6);
    // T = 2, uniform over {blank, 1}: paths (1,1), (0,1), (1,0) of 4 → ln(4/3); label [1, 1] needs 3 steps
    expect(hb.losses.ctc(label, hb.zeros([1, 2, 2])).item()).toBeCloseTo(Math.log(4 / 3), 6);
    // uniform over 3 classes, T = 3, label [1, 1]: only 1, blank, 1 → 3 ln 3
    expect(hb.losses.ctc(hb.tensor([[1, 1]], [1, 2], 'int32'), hb.zeros([1, 3, 3])).item()).toBeCloseTo(3 * Math.log(3), 6);
    const m = hb.sequential([hb.layers.simpleRNN({ units: 3, returnSequences: true, inputShape: [3, 2] })]);
    m.compile({ optimizer: 'sgd', loss: 'ctc' });
    const res = await m.evaluate(hb.randomNormal([2, 3, 2], { seed: 1 }), hb.tensor([[1, 2], [2, 0]], [2, 2], 'int32'), { batchSize: 2 });
    expect(Number.isFinite(res.loss)).toBe(true);
  });
});

describe('hb.optimizers: every name of the API contract, by name in compile and as a factory, lowers the loss', () => {
  // Linear regression y = x·w* with a dense(1) model: 64 samples, 4 features.
  const x = hb.randomNormal([64, 4], { seed: 8 });
  const y = hb.matmul(x, hb.tensor([[1], [-2], [0.5], [3]]));
  const NAMES = ['sgd', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'adamw'] as const;
  const CLASSES: Record<(typeof NAMES)[number], string> = { sgd: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adadelta: 'Adadelta', adam: 'Adam', adamw: 'AdamW' };
  // Factory options large enough to see a clear drop in a few steps. Adadelta's first steps are
  // about √ε/rms(g) whatever the rate, so it gets Zeiler's rate 1 and a larger ε.
  const FACTORY: Record<(typeof NAMES)[number], { learningRate: number; epsilon?: number }> = {
    sgd: { learningRate: 0.05 }, adagrad: { learningRate: 0.3 }, rmsprop: { learningRate: 0.05 },
    adadelta: { learningRate: 1, epsilon: 1e-3 }, adam: { learningRate: 0.1 }, adamw: { learningRate: 0.1 },
  };

  async function lossBeforeAfter(optimizer: string | hb.Optimizer): Promise<[number, number, hb.Sequential]> {
    const m = hb.sequential([hb.layers.dense({ units: 1, inputShape: [4] })]);
    m.layers[0].setWeights([hb.zeros([4, 1]), hb.zeros([1])]);
    m.compile({ optimizer, loss: 'meanSquaredError' });
    const before = (await m.evaluate(x, y)).loss;
    await m.fit(x, y, { epochs: 4, batchSize: 16, verbose: 0 }); // 16 steps
    return [before, (await m.evaluate(x, y)).loss, m];
  }

  for (const name of NAMES) {
    it(`'${name}' by name (Keras defaults)`, async () => {
      const [before, after, m] = await lossBeforeAfter(name);
      expect(m.optimizer!.className).toBe(CLASSES[name]);
      expect(after).toBeLessThan(before);
    });

    it(`hb.optimizers.${name}(${JSON.stringify(FACTORY[name])})`, async () => {
      const opt = hb.optimizers[name](FACTORY[name]);
      expect(opt.className).toBe(CLASSES[name]);
      const [before, after, m] = await lossBeforeAfter(opt);
      expect(m.optimizer).toBe(opt);
      expect(after).toBeLessThan(0.5 * before);
    });
  }
});
