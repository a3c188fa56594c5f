// Lecture 2 ("mini-batch"): the same network and the same number of epochs, trained once with
// mini-batches of 100 and once with the whole training set as one batch. An epoch of mini-batches
// makes N/100 updates; full-batch gradient descent makes one, so after the same number of passes
// over the data it has barely moved. The deck reports 0.84 vs 0.12 test accuracy.
//
//   npx tsx examples/minibatch-vs-fullbatch.ts
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';
import { accuracy, mlp } from './lib/models.js';

const FULL = { train: 10000, test: 5000, hidden: [128, 128], epochs: 20, miniBatch: 100, learningRate: 0.1 };
const QUICK = { train: 200, test: 200, hidden: [16, 16], epochs: 1, miniBatch: 100, learningRate: 0.1 };
/** Mini-batches must beat full batches by at least this much test accuracy. */
const MARGIN = 0.3;

export const experiment: Experiment = {
  name: 'minibatch-vs-fullbatch',
  title: 'Mini-batch vs full-batch gradient descent',
  deck: 'same epochs: test accuracy 0.84 (mini-batch 100) vs 0.12 (no mini-batches)',
  async run({ quick, seed, log }) {
    const cfg = quick ? QUICK : FULL;
    const data = await loadMnist(cfg.train, cfg.test);
    const runs = [
      { name: 'mini-batch', batchSize: cfg.miniBatch },
      { name: 'full batch', batchSize: cfg.train },
    ];
    const acc: number[] = [];
    for (const run of runs) {
      hb.setSeed(seed);
      const model = mlp({ hidden: cfg.hidden, activation: 'sigmoid' });
      model.compile({ optimizer: hb.optimizers.sgd({ learningRate: cfg.learningRate }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      await model.fit(data.train.x, data.train.y, { epochs: cfg.epochs, batchSize: run.batchSize, seed });
      acc.push(accuracy(model, data.test));
      log(`${run.name} (batch ${run.batchSize}, ${cfg.epochs * Math.ceil(cfg.train / run.batchSize)} updates): test accuracy ${fmt(acc.at(-1) ?? NaN, 3)}`);
    }
    const [mini, full] = acc;
    return {
      hebb: `test accuracy ${fmt(mini)} (mini-batch 100) vs ${fmt(full)} (one batch of ${cfg.train})`,
      setup: `784-${cfg.hidden.join('-')}-10 MLP, sigmoid hidden units, softmax output, cross-entropy; SGD η = ${cfg.learningRate}, ` +
        `${cfg.epochs} epochs on the first ${cfg.train} training digits (${cfg.epochs * cfg.train / cfg.miniBatch} vs ${cfg.epochs} updates); ` +
        `accuracy on the first ${cfg.test} test digits. Both runs start from the same weights.`,
      checks: [check(mini >= full + MARGIN, `mini-batch accuracy ${fmt(mini, 3)} ≥ full-batch accuracy ${fmt(full, 3)} + ${MARGIN}`)],
    };
  },
};

await main(experiment, import.meta.url);
