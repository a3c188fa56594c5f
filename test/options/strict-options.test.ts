// Strict options (issue 9): every options object outside the layers rejects an unknown key with
// a ValueError naming the function, the key and the closest valid key; Keras snake_case is
// rejected with the camelCase hint; wrong types and ranges throw. One table row per options
// object, so this table is also the list of what is validated (layers: test/nn).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const x4 = hb.zeros([1, 4, 4, 1]);
const w = hb.zeros([2, 2, 1, 1]);
const tiny = (): hb.Sequential => {
  const m = hb.sequential([hb.layers.dense({ units: 1, inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
};
const xs = hb.zeros([4, 2]);
const ys = hb.zeros([4, 1]);
const dir = mkdtempSync(join(tmpdir(), 'hebb-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [what, call with options, the unknown key, the hint expected (or null: none near)]. */
type Row = [string, (o: never) => unknown, string, string | null];
const rows: Row[] = [
  ['sgd', (o) => hb.optimizers.sgd(o), 'lr', 'learningRate'],
  ['adam', (o) => hb.optimizers.adam(o), 'learning_rate', 'learningRate'],
  ['adamw', (o) => hb.optimizers.adamw(o), 'weight_decay', 'weightDecay'],
  ['rmsprop', (o) => hb.optimizers.rmsprop(o), 'momentun', 'momentum'],
  ['adagrad', (o) => hb.optimizers.adagrad(o), 'epsilonn', 'epsilon'],
  ['adadelta', (o) => hb.optimizers.adadelta(o), 'rhoo', 'rho'],
  ['adamax', (o) => hb.optimizers.adamax(o), 'beta_1', 'beta1'],
  ['exponentialDecay', (o) => hb.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, ...(o as object) }), 'decay_rate', 'decayRate'],
  ['inverseTimeDecay', (o) => hb.schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, ...(o as object) }), 'stairCase', 'staircase'],
  ['piecewiseConstantDecay', (o) => hb.schedules.piecewiseConstantDecay({ boundaries: [1], values: [1, 2], ...(o as object) }), 'value', 'values'],
  ['stepDecay', (o) => hb.schedules.stepDecay({ initialLearningRate: 0.1, stepSize: 2, ...(o as object) }), 'step_size', 'stepSize'],
  ['cosineDecay', (o) => hb.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 2, ...(o as object) }), 'warmupStep', 'warmupSteps'],
  ['compile', (o) => tiny().compile({ loss: 'meanSquaredError', ...(o as object) }), 'metric', 'metrics'],
  ['fit', (o) => tiny().fit(xs, ys, o), 'batch_size', 'batchSize'],
  ['evaluate', (o) => tiny().evaluate(xs, ys, o), 'batchsize', 'batchSize'],
  ['predict', (o) => tiny().predict(xs, o), 'batch_size', 'batchSize'],
  ['trainOnBatch', (o) => tiny().trainOnBatch(xs, ys, o), 'sample_weight', 'sampleWeight'],
  ['testOnBatch', (o) => tiny().testOnBatch(xs, ys, o), 'classWeights', 'classWeight'],
  ['summary', (o) => tiny().summary(o), 'printfn', 'printFn'],
  ['countParams', (o) => tiny().countParams(o), 'trainable_only', 'trainableOnly'],
  ['save', (o) => tiny().save(join(dir, 'm'), o), 'include_optimizer', 'includeOptimizer'],
  ['loadModel', (o) => hb.loadModel(join(dir, 'none'), o), 'custom_objects', 'customObjects'],
  ['sequential', (o) => hb.sequential([], o), 'nme', 'name'],
  ['input', (o) => hb.input({ shape: [2], ...(o as object) }), 'batch_size', 'batchSize'],
  ['earlyStopping', (o) => hb.callbacks.earlyStopping(o), 'restore_best_weights', 'restoreBestWeights'],
  ['modelCheckpoint', (o) => hb.callbacks.modelCheckpoint(join(dir, 'ck'), o), 'save_best_only', 'saveBestOnly'],
  ['reduceLROnPlateau', (o) => hb.callbacks.reduceLROnPlateau(o), 'min_lr', 'minLr'],
  ['csvLogger', (o) => hb.callbacks.csvLogger(join(dir, 'log.csv'), o), 'seperator', 'separator'],
  ['progressBar', (o) => hb.callbacks.progressBar(o), 'plian', 'plain'],
  ['randomNormal', (o) => hb.randomNormal([2], o), 'stddev', null],
  ['truncatedNormal', (o) => hb.truncatedNormal([2], o), 'maen', 'mean'],
  ['randomUniform', (o) => hb.randomUniform([2], o), 'maxval', null],
  ['randomInt', (o) => hb.randomInt([2], 0, 3, o), 'sead', 'seed'],
  ['conv2d', (o) => hb.conv2d(x4, w, o), 'stride', 'strides'],
  ['conv1d', (o) => hb.conv1d(hb.zeros([1, 4, 1]), hb.zeros([2, 1, 1]), o), 'dilation_rate', null],
  ['depthwiseConv2d', (o) => hb.depthwiseConv2d(x4, w, o), 'groups', null],
  ['conv2dTranspose', (o) => hb.conv2dTranspose(x4, w, o), 'output_shape', 'outputShape'],
  ['maxPool2d', (o) => hb.maxPool2d(x4, o), 'pool_size', 'poolSize'],
  ['avgPool2d', (o) => hb.avgPool2d(x4, o), 'kernelSize', null],
  ['dropout', (o) => hb.dropout(x4, 0.5, o), 'trainng', 'training'],
  ['localResponseNormalization', (o) => hb.localResponseNormalization(x4, o), 'depth_radius', 'depthRadius'],
  ['checkGrad', (o) => hb.checkGrad((t: hb.Tensor) => hb.sum(t), [hb.ones([2])], o), 'epsilon', null],
  ['transformImages', (o) => hb.data.transformImages(x4, o), 'rotation', null],
  ['randomRotation', (o) => hb.data.randomRotation(x4, o), 'max_degrees', 'maxDegrees'],
  ['randomShift', (o) => hb.data.randomShift(x4, o), 'max_pixels', 'maxPixels'],
  ['randomZoom', (o) => hb.data.randomZoom(x4, o), 'ranges', 'range'],
  ['augment', (o) => hb.data.augment(x4, o), 'rotations', 'rotation'],
  ['Dataset.shuffle', (o) => hb.data.fromTensors(xs).shuffle(o), 'buffer_size', 'bufferSize'],
  ['Dataset.batch', (o) => hb.data.fromTensors(xs).batch(2, o), 'drop_remainder', 'dropRemainder'],
  ['mnist', (o) => hb.datasets.mnist(o), 'train_limit', 'trainLimit'],
];

describe('every options object rejects unknown keys with a did-you-mean hint', () => {
  it.each(rows)('%s', async (name, call, key, hint) => {
    let error: unknown = null;
    try {
      await call({ [key]: 1 } as never);
    } catch (e) {
      error = e;
    }
    expect(error, `${name}({ ${key} }) did not throw`).toBeInstanceOf(hb.ValueError);
    const message = (error as Error).message;
    expect(message).toContain(name.replace(/^Dataset\./, 'Dataset.'));
    expect(message).toContain(`unknown option '${key}'`);
    if (hint !== null) expect(message).toContain(`did you mean '${hint}'?`);
  });
});

describe('wrong types and ranges throw', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['randomNormal mean "a"', () => hb.randomNormal([2], { mean: 'a' as never }), /randomNormal: option 'mean' must be a finite number/],
    ['randomUniform min NaN', () => hb.randomUniform([2], { min: NaN }), /option 'min'/],
    ['adam NaN learning rate', () => hb.optimizers.adam({ learningRate: NaN }), /adam: option 'learningRate'/],
    ['sgd negative momentum', () => hb.optimizers.sgd({ momentum: -1 }), /sgd: option 'momentum'/],
    ['fit negative batch size', () => tiny().fit(xs, ys, { batchSize: -2 }), /option 'batchSize' must be a positive integer/],
    ['fit validationSplit 1', () => tiny().fit(xs, ys, { validationSplit: 1 }), /validationSplit/],
    ['fit verbose 3', () => tiny().fit(xs, ys, { verbose: 3 as never }), /verbose/],
    ['dropout rate NaN', () => hb.dropout(x4, NaN), /dropout: rate/],
    ['maxPool2d negative pool size', () => hb.maxPool2d(x4, { poolSize: -2 }), /maxPool2d/],
    ['reduceLROnPlateau factor 2', () => hb.callbacks.reduceLROnPlateau({ factor: 2 }), /factor/],
    ['transformImages rotation', () => hb.data.transformImages(x4, { rotation: 90 } as never), /unknown option 'rotation'/],
    ['setThreads 1000', () => hb.setThreads(1000), /setThreads: expected an integer from 1 to \d+/],
    ['setThreads 1.5', () => hb.setThreads(1.5), /setThreads/],
    ['exponentialDecay without options', () => hb.schedules.exponentialDecay(undefined as never), /exponentialDecay: initialLearningRate/],
  ];
  it.each(cases)('%s', async (_name, call, pattern) => {
    let error: unknown = null;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(hb.ValueError);
    expect((error as Error).message).toMatch(pattern);
  });
});
