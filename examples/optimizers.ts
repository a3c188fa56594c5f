// Lecture 2 ("adaptive learning rates"): plain SGD against momentum, Adagrad
// (w ← w − η/√(Σ g²) · g) and Adam on the same network, data and budget of updates, each with
// its customary learning rate. Momentum accumulates a velocity along consistent directions;
// Adagrad and Adam scale each weight's step by its own gradient history, so weights with small
// gradients still move. All three should end with a lower training loss than plain SGD. The
// learning curves are written to examples/optimizers.png (and .svg).
//
//   npx tsx examples/optimizers.ts
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';
import { lossOf, mlp } from './lib/models.js';
import { writeLineChart } from './lib/plot.js';

const FULL = { train: 5000, hidden: [128], epochs: 15, batchSize: 100 };
const QUICK = { train: 200, hidden: [16], epochs: 2, batchSize: 100 };
/** Each method's final loss must be at most this fraction of plain SGD's. */
const RATIO = 0.75;

const OPTIMIZERS = [
  { name: 'SGD (η = 0.01)', make: () => hb.optimizers.sgd({ learningRate: 0.01 }) },
  { name: 'momentum (η = 0.01, μ = 0.9)', make: () => hb.optimizers.sgd({ learningRate: 0.01, momentum: 0.9 }) },
  { name: 'Adagrad (η = 0.01)', make: () => hb.optimizers.adagrad({ learningRate: 0.01 }) },
  { name: 'Adam (η = 0.001)', make: () => hb.optimizers.adam({ learningRate: 0.001 }) },
];

export const experiment: Experiment = {
  name: 'optimizers',
  title: 'SGD vs momentum vs Adagrad vs Adam',
  deck: 'momentum and adaptive learning rates (Adagrad, Adam) reach a lower loss than plain SGD in the same budget',
  async run({ quick, seed, log, outDir }) {
    const cfg = quick ? QUICK : FULL;
    const data = await loadMnist(cfg.train, 1);
    const curves: { name: string; values: number[] }[] = [];
    const final: number[] = [];
    for (const { name, make } of OPTIMIZERS) {
      hb.setSeed(seed);
      const model = mlp({ hidden: cfg.hidden, activation: 'relu' });
      model.compile({ optimizer: make(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(data.train.x, data.train.y, { epochs: cfg.epochs, batchSize: cfg.batchSize, seed });
      curves.push({ name, values: history.history.loss });
      // The loss of the final weights on the whole training set, not the running mean of an epoch.
      final.push(await lossOf(model, data.train));
      log(`${name}: training loss per epoch ${history.history.loss.map((l) => fmt(l, 3)).join(' ')}; final ${fmt(final.at(-1) ?? NaN, 4)}`);
    }
    const files = await writeLineChart(outDir, 'optimizers', {
      title: `Training loss, 784-${cfg.hidden.join('-')}-10 ReLU MLP on ${cfg.train} MNIST digits, batch ${cfg.batchSize}`,
      xTitle: 'epoch',
      yTitle: 'cross-entropy (mean over the epoch)',
      series: curves,
      logY: true,
    });
    const [sgd, ...others] = final;
    return {
      hebb: `final training loss: ${OPTIMIZERS.map((o, i) => `${o.name.split(' (')[0]} ${fmt(final[i], 3)}`).join(', ')}`,
      setup: `784-${cfg.hidden.join('-')}-10 MLP, ReLU hidden units, softmax output, cross-entropy, the same initial weights and batch order for all; ` +
        `batch ${cfg.batchSize}, ${cfg.epochs} epochs (${cfg.epochs * cfg.train / cfg.batchSize} updates) on the first ${cfg.train} training digits. ` +
        `Final loss: the trained model's loss on the whole training subset.`,
      files,
      checks: others.map((loss, i) => check(loss <= RATIO * sgd, `${OPTIMIZERS[i + 1].name}: final loss ${fmt(loss, 4)} ≤ ${RATIO} × SGD's ${fmt(sgd, 4)}`)),
    };
  },
};

await main(experiment, import.meta.url);
