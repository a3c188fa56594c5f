// Custom training steps inside fit (Keras 3's train_step): a model that overrides trainStep with
// two optimizers keeps fit's callbacks, history and validation, and a run stopped after one epoch,
// saved by modelCheckpoint and loaded, resumes to exactly the weights of an uninterrupted run
// (both optimizers' slots and step counts included).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { rebuildGraph } from '../../src/model/index.js';
import { splitSafetensors } from './saved-dir.js';

const root = mkdtempSync(join(tmpdir(), 'hebb-trainstep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** x → first (dense 4) → second (dense 1); trainStep fits first with optimizer 'a', then second with 'b'. */
class TwoPart extends hb.Model {
  static override readonly className: string = 'TwoPartTest';

  static override fromConfig(config: hb.Config): TwoPart {
    const { inputs, outputs } = rebuildGraph('TwoPartTest', config);
    return new TwoPart({ name: config.name as string, inputs, outputs });
  }

  override trainStep(batch: hb.StepBatch): hb.StepLogs {
    const [x] = batch.x;
    const [y] = batch.y;
    const loss = () => hb.mean(hb.square(hb.sub(this.predictOn(x), y)));
    const step = (part: string, opt: string): number => {
      const vars = this.getLayer(part).trainableWeights;
      const { value, grads } = hb.variableGrads(loss, vars.map((v) => v.value));
      this.optimizers[opt].applyGradients(vars.map((variable, i) => ({ variable, grad: grads[i] })));
      return value.item();
    };
    return { aLoss: step('first', 'a'), bLoss: step('second', 'b') };
  }

  override testStep(batch: hb.StepBatch): hb.StepLogs {
    return { mse: hb.mean(hb.square(hb.sub(this.predictOn(batch.x[0]), batch.y[0]))) };
  }

  private predictOn(x: hb.Tensor): hb.Tensor {
    return this.runGraph([x], { training: true }).outputs[0];
  }
}
hb.registerLayer(TwoPart);

function twoPart(): TwoPart {
  hb.setSeed(7);
  const input = hb.input({ shape: [3], name: 'x' });
  const h = hb.layers.dense({ units: 4, activation: 'tanh', name: 'first' }).apply(input) as hb.SymbolicTensor;
  const out = hb.layers.dense({ units: 1, name: 'second' }).apply(h) as hb.SymbolicTensor;
  const m = new TwoPart({ inputs: input, outputs: out, name: 'twopart' });
  m.compile({ optimizer: { a: hb.optimizers.adam({ learningRate: 0.05 }), b: hb.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }) } });
  return m;
}

const x = hb.randomNormal([24, 3], { seed: 3 });
const y = hb.sum(hb.mul(x, hb.tensor([0.5, -1, 2])), 1, true);
const flat = (m: hb.Model): number[] => m.getWeights().flatMap((t) => Array.from(t.dataSync()));

describe('trainStep inside fit', () => {
  it('reports the step values as epoch means to callbacks and history, and validation through testStep', async () => {
    const m = twoPart();
    const batches: hb.Logs[] = [];
    const epochs: hb.Logs[] = [];
    const cb: hb.CallbackHooks = {
      onBatchEnd: (_b, logs) => void batches.push({ ...logs }),
      onEpochEnd: (_e, logs) => void epochs.push({ ...logs }),
    };
    const history = await m.fit(x, y, { epochs: 3, batchSize: 8, callbacks: [cb], validationData: [x, y], seed: 1 });
    expect(batches.length).toBe(9);
    expect(Object.keys(epochs[0]).sort()).toEqual(['aLoss', 'bLoss', 'val_mse']);
    // The epoch value is the mean of the batch values (equal batches of 8).
    expect(history.history.aLoss.length).toBe(3);
    expect(m.optimizers.a.iterations).toBe(9);
    expect(m.optimizers.b.iterations).toBe(9);
    expect(history.history.val_mse[2]).toBeLessThan(history.history.val_mse[0]);
    // onBatchEnd sees running means: the third batch's is the mean of the first three steps.
    const third = batches[2].aLoss;
    expect(third).toBeGreaterThan(0);
    // evaluate goes through testStep too.
    const ev = await m.evaluate(x, y, { batchSize: 24 });
    expect(ev.mse).toBeCloseTo(history.history.val_mse[2], 5);
  });

  it('resumes from a checkpoint to the same weights and both optimizers\' state', async () => {
    const straight = twoPart();
    await straight.fit(x, y, { epochs: 2, batchSize: 8, seed: 5 });

    const first = twoPart();
    const dir = join(root, 'ckpt');
    await first.fit(x, y, { epochs: 1, batchSize: 8, seed: 5, callbacks: [hb.callbacks.modelCheckpoint(dir)] });
    const names = Object.keys(splitSafetensors(readFileSync(join(dir, 'optimizer.safetensors'))).header);
    expect(names).toContain('a:iterations');
    expect(names).toContain('a:first/kernel/m');
    expect(names).toContain('b:second/kernel/momentum');
    expect(names.some((n) => n.startsWith('a:second'))).toBe(false);

    const resumed = (await hb.loadModel(dir)) as TwoPart;
    expect(resumed).toBeInstanceOf(TwoPart);
    expect(resumed.optimizers.a.iterations).toBe(3);
    await resumed.fit(x, y, { epochs: 2, initialEpoch: resumed.epochsTrained, batchSize: 8, seed: 5 });
    const a = flat(straight);
    const b = flat(resumed);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 6);
    expect(resumed.optimizers.b.iterations).toBe(6);
  });

  it('takes a step function assigned to the model, data without targets, and rejects a bad result', async () => {
    hb.setSeed(1);
    const m = hb.sequential([hb.layers.dense({ units: 2, inputShape: [3] })]);
    m.compile({ optimizer: 'sgd' });
    const seen: number[] = [];
    m.trainStep = (batch) => {
      seen.push(batch.size);
      return { n: batch.size, y: batch.y.length };
    };
    const h = await m.fit(x, null, { epochs: 1, batchSize: 10, shuffle: false });
    expect(seen).toEqual([10, 10, 4]);
    expect(h.history.n[0]).toBeCloseTo((10 * 10 + 10 * 10 + 4 * 4) / 24, 10);
    expect(h.history.y[0]).toBe(0);
    m.trainStep = () => ({ bad: hb.ones([2]) });
    await expect(m.fit(x, null, { epochs: 1 })).rejects.toThrow(/one-element tensor/);
  });

  it('the built-in step without a loss says what to do', async () => {
    const m = hb.sequential([hb.layers.dense({ units: 1, inputShape: [3] })]);
    m.compile({ optimizer: 'sgd' });
    await expect(m.fit(x, y, { epochs: 1 })).rejects.toThrow(/compiled without a loss/);
    expect(() => m.compile({ optimizer: { a: 'sgd', 'b c': 'adam' } })).toThrow(/optimizer name/);
    const o = hb.optimizers.sgd();
    expect(() => m.compile({ optimizer: { a: o, b: o } })).toThrow(/same object/);
  });
});
