// Generated from docs/tutorials/07-training-tricks.md by `npx tsx scripts/tutorials.ts --write`: edit the tutorial, not this file.
// Run: npx tsx examples/tutorials/07-training-tricks.ts
import * as hb from '../../src/index.js';

/** Two spirals of n points each, with a little noise: x [2n, 2], y [2n, 1] in {0, 1}. */
function spirals(n: number, seed: number) {
  const noise = hb.randomNormal([2 * n, 2], { std: 0.05, seed }).dataSync();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 2 * n; i++) {
    const cls = i < n ? 0 : 1;
    const t = ((i % n) / n) * 2 * Math.PI + 0.5;          // one turn each
    const sign = cls === 0 ? 1 : -1;
    xs.push((sign * t * Math.cos(t)) / 4 + noise[2 * i], (sign * t * Math.sin(t)) / 4 + noise[2 * i + 1]);
    ys.push(cls);
  }
  return { x: hb.tensor(xs, [2 * n, 2]), y: hb.tensor(ys, [2 * n, 1]) };
}
const train = spirals(200, 1);
const validation = spirals(100, 2);

/** A 2-32-32-1 network; `hidden` overrides the hidden layers' options. */
function makeNet(hidden: Partial<hb.layers.DenseArgs> = {}) {
  return hb.sequential([
    hb.layers.dense({ units: 32, activation: 'tanh', inputShape: [2], ...hidden }),
    hb.layers.dense({ units: 32, activation: 'tanh', ...hidden }),
    hb.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

for (const init of ['ones', 'glorotUniform'] as const) {
  hb.setSeed(3);
  const net = makeNet({ kernelInitializer: init });
  net.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  await net.fit(train.x, train.y, { epochs: 15, batchSize: 32, verbose: 0 });
  const kernel = net.layers[0].getWeights()[0];                          // [2, 32]
  const distinctColumns = new Set((hb.transpose(kernel).toArray() as number[][]).map((c) => c.map((v) => v.toFixed(5)).join())).size;
  const { accuracy } = await net.evaluate(validation.x, validation.y);
  console.log(`${init.padEnd(13)}: ${distinctColumns} distinct hidden units of 32, validation accuracy ${accuracy.toFixed(2)}`);
}

const optimizers = {
  sgd: () => hb.optimizers.sgd({ learningRate: 0.1 }),
  momentum: () => hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }),
  rmsprop: () => hb.optimizers.rmsprop({ learningRate: 0.01 }),
  adam: () => hb.optimizers.adam({ learningRate: 0.01 }),
};
for (const [name, make] of Object.entries(optimizers)) {
  hb.setSeed(4);
  const net = makeNet();
  net.compile({ optimizer: make(), loss: 'binaryCrossentropy' });
  const { history } = await net.fit(train.x, train.y, { epochs: 20, batchSize: 32, verbose: 0 });
  console.log(`${name.padEnd(9)} loss after 20 epochs: ${history.loss.at(-1)!.toFixed(3)}`);
}

const schedule = hb.schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 100, decayRate: 0.5 });
console.log('learning rate at steps 0, 100, 200:', [0, 100, 200].map((s) => schedule.call(s)));   // 0.05, 0.025, 0.0125
const scheduled = hb.optimizers.adam({ learningRate: schedule, clipNorm: 1 });

hb.setSeed(5);
const regularised = hb.sequential([
  hb.layers.dense({ units: 64, inputShape: [2], kernelRegularizer: hb.regularizers.l2(1e-4) }),
  hb.layers.batchNormalization(),
  hb.layers.activation({ activation: 'relu' }),
  hb.layers.dropout({ rate: 0.1 }),
  hb.layers.dense({ units: 64, activation: 'relu', kernelRegularizer: hb.regularizers.l2(1e-4) }),
  hb.layers.dense({ units: 1, activation: 'sigmoid' }),
]);
regularised.compile({ optimizer: scheduled, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const run = await regularised.fit(train.x, train.y, {
  epochs: 30,
  batchSize: 32,
  validationData: [validation.x, validation.y],
  callbacks: [hb.callbacks.earlyStopping({ monitor: 'val_loss', patience: 8, restoreBestWeights: true })],
  verbose: 0,
});
const { accuracy: validationAccuracy } = await regularised.evaluate(validation.x, validation.y);   // with the best weights
console.log(`trained ${run.history.loss.length} of at most 30 epochs; validation accuracy ${validationAccuracy.toFixed(2)}`);

const digits = (await hb.datasets.mnist({ trainLimit: 8, testLimit: 1 })).train.images;
const augmented = hb.data.augment(digits, { rotation: 15, shift: 2, zoom: [0.9, 1.1], seed: 6 });
console.log('augmented batch:', augmented.shape, 'mean change per pixel',
  hb.mean(hb.abs(hb.sub(augmented, digits))).item().toFixed(3));
