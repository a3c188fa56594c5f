// Lecture 2 ("more data"): with few training digits, rotating each one by a random angle in
// ±15° every epoch (hb.data.randomRotation) shows the network many plausible variants of the
// same digit, so it generalises better than training on the originals alone.
//
//   npx tsx examples/augmentation.ts
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { flat, loadMnist } from './lib/mnist.js';
import { accuracy, mlp } from './lib/models.js';

const FULL = { train: 500, test: 5000, hidden: [256], epochs: 40, batchSize: 32, degrees: 15 };
const QUICK = { train: 100, test: 100, hidden: [16], epochs: 2, batchSize: 32, degrees: 15 };
/** Augmentation must add at least this much test accuracy (seeds 1–3 gave +0.022 to +0.027). */
const MARGIN = 0.01;

export const experiment: Experiment = {
  name: 'augmentation',
  title: 'Augmentation by rotation (±15°) with few training digits',
  deck: 'rotating training digits by up to 15° (more data) improves test accuracy',
  async run({ quick, seed, log }) {
    const cfg = quick ? QUICK : FULL;
    const { train, test } = await loadMnist(cfg.train, cfg.test);
    const acc: Record<string, number> = {};
    for (const augment of [false, true]) {
      hb.setSeed(seed);
      const model = mlp({ hidden: cfg.hidden, activation: 'relu' });
      model.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.001 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      for (let epoch = 0; epoch < cfg.epochs; epoch++) {
        // A fresh rotation of every digit each epoch; both runs see the same batch order.
        const x = augment ? flat(hb.data.randomRotation(train.images, { maxDegrees: cfg.degrees, seed: seed * 1000 + epoch })) : train.x;
        await model.fit(x, train.y, { epochs: 1, batchSize: cfg.batchSize, seed: seed * 1000 + epoch });
      }
      const name = augment ? 'augmented' : 'plain';
      acc[name] = accuracy(model, test);
      log(`${name}: test accuracy ${fmt(acc[name], 3)}`);
    }
    return {
      hebb: `test accuracy ${fmt(acc.augmented, 3)} (rotated ±${cfg.degrees}°) vs ${fmt(acc.plain, 3)} (originals only)`,
      setup: `784-${cfg.hidden.join('-')}-10 ReLU MLP, Adam η = 0.001, batch ${cfg.batchSize}, ${cfg.epochs} epochs on the first ${cfg.train} training digits, ` +
        `each epoch a fresh random rotation in ±${cfg.degrees}° of every digit (bilinear resampling); accuracy on the first ${cfg.test} test digits.`,
      checks: [check(acc.augmented >= acc.plain + MARGIN, `augmented test accuracy ${fmt(acc.augmented, 3)} ≥ plain ${fmt(acc.plain, 3)} + ${MARGIN}`)],
    };
  },
};

await main(experiment, import.meta.url);
