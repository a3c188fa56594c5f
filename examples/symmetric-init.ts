// Lecture 1 ("initial values matter"): if every weight starts equal (all zero, or all the same
// constant), every hidden unit computes the same function and receives the same gradient, so the
// units stay identical however long we train: the layer is worth one unit. Random initialisation
// breaks the symmetry.
//
//   npx tsx examples/symmetric-init.ts
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';
import { accuracy, mlp } from './lib/models.js';

const FULL = { train: 10000, test: 5000, hidden: 32, epochs: 5, batchSize: 32, learningRate: 0.1 };
const QUICK = { train: 200, test: 200, hidden: 8, epochs: 1, batchSize: 32, learningRate: 0.1 };
/** Identical means equal up to float32 round-off in a long sum. */
const SAME_TOL = 1e-5;
/** A symmetric net must trail the randomly initialised one by at least this much accuracy. */
const MARGIN = 0.3;

/**
 * The largest difference between two hidden units' incoming weights: for kernel W [784, units],
 * max over inputs i of (max_j W[i, j] − min_j W[i, j]).
 */
function maxUnitDifference(kernel: hb.Tensor): number {
  return hb.tidy(() => hb.max(hb.sub(hb.max(kernel, 1), hb.min(kernel, 1))).item());
}

export const experiment: Experiment = {
  name: 'symmetric-init',
  title: 'All-equal vs random initial weights (symmetry)',
  deck: 'all-zero or all-equal weights keep hidden units identical; random init breaks the symmetry',
  async run({ quick, seed, log }) {
    const cfg = quick ? QUICK : FULL;
    const data = await loadMnist(cfg.train, cfg.test);
    const inits = [
      { name: 'all zero', init: hb.initializers.zeros() },
      { name: 'all 0.01', init: hb.initializers.constant({ value: 0.01 }) },
      { name: 'random (glorot)', init: hb.initializers.glorotUniform() },
    ];
    const rows: { name: string; acc: number; diff: number; moved: number }[] = [];
    for (const { name, init } of inits) {
      hb.setSeed(seed);
      const model = mlp({ hidden: [cfg.hidden], activation: 'sigmoid', kernelInitializer: init });
      model.compile({ optimizer: hb.optimizers.sgd({ learningRate: cfg.learningRate }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const before = model.getWeights()[0];
      await model.fit(data.train.x, data.train.y, { epochs: cfg.epochs, batchSize: cfg.batchSize, seed });
      const kernel = model.getWeights()[0];
      // How far training moved the hidden weights: they learn, just all in the same way.
      const moved = hb.tidy(() => hb.max(hb.abs(hb.sub(kernel, before))).item());
      rows.push({ name, acc: accuracy(model, data.test), diff: maxUnitDifference(kernel), moved });
      const r = rows[rows.length - 1];
      log(`${name}: max difference between hidden units ${r.diff.toExponential(2)} (weights moved up to ${fmt(r.moved, 3)}), test accuracy ${fmt(r.acc, 3)}`);
    }
    const [zero, equal, random] = rows;
    const symmetric = [zero, equal];
    return {
      hebb: symmetric.map((r) => `${r.name}: units ${r.diff === 0 ? 'exactly identical' : `differ by ≤ ${r.diff.toExponential(0)}`}, accuracy ${fmt(r.acc)}`).join('; ') +
        `; random: units differ by ${fmt(random.diff)}, accuracy ${fmt(random.acc)}`,
      setup: `784-${cfg.hidden}-10 MLP, sigmoid hidden units, softmax output, cross-entropy; every kernel initialised as named, biases zero; ` +
        `SGD η = ${cfg.learningRate}, batch ${cfg.batchSize}, ${cfg.epochs} epochs on the first ${cfg.train} training digits; accuracy on the first ${cfg.test} test digits.`,
      checks: [
        ...symmetric.map((r) => check(r.diff <= SAME_TOL && r.moved > 100 * SAME_TOL,
          `${r.name}: the ${cfg.hidden} hidden units stay identical (max difference ${r.diff.toExponential(2)} ≤ ${SAME_TOL}) although their weights moved by ${fmt(r.moved, 3)}`)),
        ...symmetric.map((r) => check(r.acc <= random.acc - MARGIN, `${r.name}: accuracy ${fmt(r.acc, 3)} ≤ random init's ${fmt(random.acc, 3)} − ${MARGIN}`)),
        check(random.diff > 0.1, `random init: hidden units differ (max difference ${fmt(random.diff, 3)} > 0.1)`),
      ],
    };
  },
};

await main(experiment, import.meta.url);
