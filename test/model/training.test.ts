// Training: single steps against hand-computed gradients, then small problems that must be
// learned (XOR, a linearly separable set, a Siamese pair task, a two-output model), the
// symmetry argument for random initialisation, early stopping, weighting, freezing and memory.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const dense = hb.layers.dense;

/** y = w·x + b with one input and one unit, w and b set by hand. */
function linear(w: number, b: number, extra: Partial<Parameters<typeof dense>[0]> = {}): hb.Sequential {
  const m = hb.sequential([dense({ units: 1, inputShape: [1], ...extra })]);
  m.layers[0].setWeights([hb.tensor([[w]]), hb.tensor([b])]);
  return m;
}

const value = (v: hb.Variable): number[] => Array.from(v.value.dataSync());

describe('one step, by hand', () => {
  // x = [1, 2], y = [2, 4], w = 0.5, b = 0: predictions [0.5, 1], errors e = [−1.5, −3]
  // MSE = (2.25 + 9)/2 = 5.625;  ∂/∂w = mean(2·e·x) = (−3 − 12)/2 = −7.5;  ∂/∂b = mean(2·e) = −4.5
  const x = hb.tensor([[1], [2]]);
  const y = hb.tensor([[2], [4]]);

  it('trainOnBatch: loss before the step, then w ← w − lr·∂w (sgd lr 0.1)', () => {
    const m = linear(0.5, 0);
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError', metrics: ['mae'] });
    const logs = m.trainOnBatch(x, y);
    expect(logs.loss).toBeCloseTo(5.625, 5);
    expect(logs.mae).toBeCloseTo(2.25, 5); // (1.5 + 3)/2
    const [w, b] = m.weights;
    expect(value(w)[0]).toBeCloseTo(0.5 + 0.75, 5);
    expect(value(b)[0]).toBeCloseTo(0.45, 5);
    expect(m.optimizer?.iterations).toBe(1);
  });

  it('an L2 kernel penalty 0.1·w² is added to the loss and its gradient 0.2·w to ∂w', () => {
    const m = linear(0.5, 0, { kernelRegularizer: hb.regularizers.l2(0.1) });
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const logs = m.trainOnBatch(x, y);
    expect(logs.loss).toBeCloseTo(5.625 + 0.025, 5);
    // ∂w = −7.5 + 0.1 = −7.4  →  w = 0.5 + 0.74
    expect(value(m.weights[0])[0]).toBeCloseTo(1.24, 5);
  });

  it("a layer's activity penalty 0.1·Σ|outputs| is added to the loss, also inside a nested model", () => {
    // outputs [0.5, 1] → penalty 0.1·1.5 = 0.15
    const m = linear(0.5, 0, { activityRegularizer: hb.regularizers.l1(0.1) });
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
    expect(m.testOnBatch(x, y).loss).toBeCloseTo(5.625 + 0.15, 5);
    const outer = hb.sequential([m]);
    outer.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
    expect(outer.testOnBatch(x, y).loss).toBeCloseTo(5.625 + 0.15, 5);
  });

  it('sample weights: Σ sᵢ·Lᵢ / N (Keras sum over batch size)', () => {
    const m = linear(0.5, 0);
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
    expect(m.testOnBatch(x, y, { sampleWeight: hb.tensor([1, 0]) }).loss).toBeCloseTo(2.25 / 2, 5);
    expect(m.testOnBatch(x, y, { sampleWeight: hb.tensor([0, 2]) }).loss).toBeCloseTo(9, 5);
  });

  it('class weights weight each sample by its class', () => {
    const m = hb.sequential([dense({ units: 1, inputShape: [1], activation: 'sigmoid', kernelInitializer: 'zeros' })]);
    m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    // all predictions are 0.5: every sample's loss is ln 2; weights {0: 3, 1: 1} → (3 + 1)/2 · ln 2
    const logs = m.trainOnBatch(hb.tensor([[1], [1]]), hb.tensor([[0], [1]]), { classWeight: { 0: 3, 1: 1 } });
    expect(logs.loss).toBeCloseTo(2 * Math.LN2, 5);
  });

  it('evaluate averages over samples, not over batches', async () => {
    // w = 1, b = 0, y = 0: per-sample MSE = x²; mean over x = 1…5 is 55/5 = 11
    // (the mean of the batch means [2.5, 12.5, 25] would be 13.33)
    const m = linear(1, 0);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const res = await m.evaluate(hb.tensor([[1], [2], [3], [4], [5]]), hb.zeros([5, 1]), { batchSize: 2 });
    expect(res.loss).toBeCloseTo(11, 5);
    expect(res.mae).toBeCloseTo(3, 5);
  });
});

describe('learning small problems', () => {
  it('XOR with a 2-8-1 network reaches accuracy 1.0', async () => {
    hb.setSeed(1);
    const x = hb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = hb.tensor([[0], [1], [1], [0]]);
    const m = hb.sequential([dense({ units: 8, inputShape: [2], activation: 'tanh' }), dense({ units: 1, activation: 'sigmoid' })]);
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(x, y, { epochs: 300, batchSize: 4 });
    expect(h.history.accuracy.at(-1)).toBe(1);
    expect(h.history.loss.at(-1)).toBeLessThan(0.05);
    expect((await m.evaluate(x, y)).accuracy).toBe(1);
  });

  it('a single dense layer separates a linearly separable 2-D set', async () => {
    // label = [x0 + 2·x1 > 0], grid points at least 0.5 away from the line
    const pts: number[][] = [];
    const labels: number[] = [];
    for (let i = -5; i <= 5; i++) {
      for (let j = -5; j <= 5; j++) {
        const s = i + 2 * j;
        if (Math.abs(s) < 1) continue;
        pts.push([i / 5, j / 5]);
        labels.push(s > 0 ? 1 : 0);
      }
    }
    hb.setSeed(2);
    const m = hb.sequential([dense({ units: 1, inputShape: [2], activation: 'sigmoid' })]);
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(hb.tensor(pts), hb.tensor(labels, [labels.length, 1]), { epochs: 60, batchSize: 16, seed: 4 });
    expect(h.history.accuracy.at(-1)).toBe(1);
    // The learned boundary w·x + b = 0 is close in direction to x0 + 2·x1 = 0.
    const w = value(m.weights[0]);
    expect(w[1] / w[0]).toBeGreaterThan(1.2);
    expect(w[1] / w[0]).toBeLessThan(3);
  });

  it('hidden units that start equal stay equal (why weights are initialised at random)', async () => {
    const x = hb.randomNormal([32, 3], { seed: 11 });
    const y = hb.cast(hb.greater(hb.sum(x, 1, true), 0), 'float32');
    const train = async (init: string | hb.Initializer): Promise<number[][]> => {
      hb.setSeed(3);
      const m = hb.sequential([
        dense({ units: 4, inputShape: [3], activation: 'tanh', kernelInitializer: init as 'glorotUniform' }),
        dense({ units: 1, activation: 'sigmoid', kernelInitializer: init as 'glorotUniform' }),
      ]);
      m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.5 }), loss: 'binaryCrossentropy' });
      await m.fit(x, y, { epochs: 20, batchSize: 8 });
      const k = m.weights[0].value.toArray() as number[][]; // [3 inputs, 4 units]
      return [0, 1, 2, 3].map((u) => k.map((row) => row[u])); // incoming weights of each unit
    };
    const symmetric = await train(hb.initializers.constant(0.3));
    for (const unit of symmetric.slice(1)) unit.forEach((v, i) => expect(v).toBeCloseTo(symmetric[0][i], 6));
    expect(symmetric[0][0]).not.toBeCloseTo(0.3, 3); // it did train
    const random = await train('glorotUniform');
    const spread = Math.max(...random.map((u) => Math.abs(u[0] - random[0][0])));
    expect(spread).toBeGreaterThan(0.05);
  });

  it('a Siamese network (two inputs, one shared layer) learns which side is larger', async () => {
    hb.setSeed(5);
    const a = hb.randomNormal([128, 3], { seed: 21 });
    const b = hb.randomNormal([128, 3], { seed: 22 });
    const y = hb.cast(hb.greater(hb.sum(a, 1, true), hb.sum(b, 1, true)), 'float32');
    const left = hb.input({ shape: [3], name: 'left' });
    const right = hb.input({ shape: [3], name: 'right' });
    const embed = dense({ units: 2, name: 'shared_embed' });
    const diff = hb.layers.subtract().apply([embed.apply(left), embed.apply(right)]) as hb.SymbolicTensor;
    const out = dense({ units: 1, activation: 'sigmoid', name: 'judge' }).apply(diff);
    const m = hb.model({ inputs: [left, right], outputs: out });
    expect(m.weights.length).toBe(4); // shared kernel + bias once, judge kernel + bias
    m.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit({ left: a, right: b }, y, { epochs: 30, batchSize: 32 });
    expect(h.history.loss.at(-1)!).toBeLessThan(h.history.loss[0] / 3);
    expect(h.history.accuracy.at(-1)!).toBeGreaterThan(0.95);
  });

  it('a two-output model with per-output losses and loss weights', async () => {
    hb.setSeed(6);
    const x = hb.randomUniform([96, 2], { min: -1, max: 1, seed: 31 });
    const [x0, x1] = hb.split(x, 2, 1);
    const yReg = hb.add(x0, x1); // regression target x0 + x1
    const yCls = hb.cast(hb.greater(x0, x1), 'float32'); // class [x0 > x1]
    const inp = hb.input({ shape: [2] });
    const h = dense({ units: 16, activation: 'tanh', name: 'trunk' }).apply(inp);
    const reg = dense({ units: 1, name: 'reg' }).apply(h);
    const cls = dense({ units: 1, activation: 'sigmoid', name: 'cls' }).apply(h);
    const m = hb.model({ inputs: inp, outputs: [reg, cls] });
    m.compile({
      optimizer: hb.optimizers.adam({ learningRate: 0.02 }),
      loss: { reg: 'meanSquaredError', cls: 'binaryCrossentropy' },
      lossWeights: { reg: 1, cls: 0.5 },
      metrics: { cls: ['accuracy'] },
    });
    const hist = await m.fit(x, { reg: yReg, cls: yCls }, { epochs: 60, batchSize: 16 });
    expect(Object.keys(hist.history).sort()).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'reg_loss']);
    // the total is the weighted sum of the per-output losses (no penalties here)
    hist.history.loss.forEach((l, e) => expect(l).toBeCloseTo(hist.history.reg_loss[e] + 0.5 * hist.history.cls_loss[e], 4));
    expect(hist.history.reg_loss.at(-1)!).toBeLessThan(0.01);
    expect(hist.history.cls_accuracy.at(-1)!).toBeGreaterThan(0.9);
    const res = await m.evaluate(x, [yReg, yCls]);
    expect(Object.keys(res).sort()).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'reg_loss']);
  });
});

describe('fit mechanics', () => {
  const xs = hb.randomNormal([20, 2], { seed: 41 });
  const ys = hb.tensor(Array.from({ length: 20 }, (_, i) => i % 3), [20], 'int32');
  const small = (): hb.Sequential => {
    const m = hb.sequential([dense({ units: 3, inputShape: [2], activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return m;
  };

  it('history keys follow Keras; validationSplit adds val_ keys; initialEpoch numbers the epochs', async () => {
    const h = await small().fit(xs, ys, { epochs: 5, initialEpoch: 2, batchSize: 8, validationSplit: 0.25 });
    expect(h.epoch).toEqual([2, 3, 4]);
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.history.loss.length).toBe(3);
  });

  it('a seed makes the shuffling reproducible', async () => {
    const run = async (seed: number): Promise<number[]> => {
      hb.setSeed(0);
      const m = small();
      await m.fit(xs, ys, { epochs: 3, batchSize: 4, seed });
      return value(m.weights[0]);
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it('stopTraining from an async plain-object callback ends fit after that batch', async () => {
    const m = small();
    const seen: string[] = [];
    await m.fit(xs, ys, {
      epochs: 10, batchSize: 5,
      callbacks: [{
        onEpochBegin: (e) => void seen.push(`e${e}`),
        onBatchEnd: async (b) => {
          await new Promise((r) => setTimeout(r, 1));
          seen.push(`b${b}`);
          if (b === 1) m.stopTraining = true;
        },
      }],
    });
    expect(seen).toEqual(['e0', 'b0', 'b1']);
  });

  it('a frozen layer keeps its weights; the others train', async () => {
    const m = hb.sequential([dense({ units: 4, inputShape: [2], name: 'frozen' }), dense({ units: 3, activation: 'softmax', name: 'free' })]);
    m.getLayer('frozen').trainable = false;
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
    const snapshot = (name: string): number[][] => m.getLayer(name).getWeights().map((t) => Array.from(t.dataSync()));
    const [frozenBefore, freeBefore] = [snapshot('frozen'), snapshot('free')];
    await m.fit(xs, ys, { epochs: 2, batchSize: 10 });
    expect(snapshot('frozen')).toEqual(frozenBefore);
    expect(snapshot('free')[0]).not.toEqual(freeBefore[0]);
  });

  it('holds flat memory over many steps with no dispose calls', async () => {
    const m = small();
    let afterFirst = -1;
    await m.fit(xs, ys, {
      epochs: 30, batchSize: 4, validationSplit: 0.2,
      callbacks: [{ onEpochEnd: (e) => void (e === 0 && (afterFirst = hb.memory().buffers)) }],
    });
    expect(hb.memory().buffers).toBe(afterFirst);
    const before = hb.memory().buffers;
    for (let i = 0; i < 50; i++) m.trainOnBatch(xs, ys);
    m.predict(xs, { batchSize: 7 });
    expect(hb.memory().buffers).toBeLessThanOrEqual(before + 1);
  });

  it('a Sequential without an input shape can be compiled first and builds on the first batch', async () => {
    const m = hb.sequential([dense({ units: 4, activation: 'relu' }), dense({ units: 3, activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(xs, ys, { epochs: 2, batchSize: 8 });
    expect(m.inputs[0].shape).toEqual([null, 2]);
    expect(h.history.accuracy.length).toBe(2);
  });

  it('compile errors name the problem', () => {
    const m = small();
    expect(() => m.compile({ optimizer: 'adamz', loss: 'mse' })).toThrow(/unknown optimizer 'adamz'/);
    expect(() => m.compile({ optimizer: 'adam', loss: 'nope' })).toThrow(/unknown loss/);
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['nope'] })).toThrow(/unknown metric/);
    expect(() => hb.sequential([dense({ units: 1, inputShape: [1] })]).trainOnBatch(hb.ones([1, 1]), hb.ones([1, 1]))).toThrow(/must be compiled first/);
  });

  it('accuracy resolves to categorical, sparse or binary from the loss and shapes', async () => {
    const m = hb.sequential([dense({ units: 3, inputShape: [2], activation: 'softmax', kernelInitializer: 'zeros' })]);
    m.getLayer(0).setWeights([hb.tensor([[1, 0, 0], [0, 1, 0]]), hb.zeros([3])]);
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    // predictions: argmax of [x0, x1, 0] → classes 0, 1, 2 for these rows
    const x = hb.tensor([[2, 1], [1, 2], [-1, -1]]);
    expect((await m.evaluate(x, hb.oneHot(hb.tensor([0, 1, 0], [3], 'int32'), 3))).accuracy).toBeCloseTo(2 / 3, 6);
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    expect((await m.evaluate(x, hb.tensor([0, 1, 2], [3], 'int32'))).accuracy).toBe(1);
  });
});
