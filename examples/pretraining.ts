// The unsupervised pre-training deck: a deep sigmoid network initialised greedily, layer by
// layer, from unlabelled digits (stacked RBMs, stacked auto-encoders, stacked denoising
// auto-encoders) and then fine-tuned with labels, against the same network from a random
// initialisation and against a shallow network, all with the same fine-tuning budget. The deck
// (Bengio et al. 2007; Vincent et al. 2008) reports MNIST test errors of 1.20 % (stacked RBMs),
// 1.41 % (stacked auto-associators), 2.40 % (deep, no pre-training) and 1.93 % (shallow).
//
// Here the setup is smaller, in the regime where pre-training matters most: few labels. The
// pre-training sees 3,000 unlabelled training digits; fine-tuning sees only the first 500 of
// them with their labels.
//
//   npx tsx examples/pretraining.ts
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';
import { accuracy, mlp } from './lib/models.js';

const FULL = { unlabelled: 3000, labelled: 500, test: 2000, layers: 3, units: 128, shallowUnits: 128, pretrainEpochs: 3, epochs: 20, batchSize: 50 };
const QUICK = { unlabelled: 300, labelled: 100, test: 200, layers: 3, units: 32, shallowUnits: 32, pretrainEpochs: 1, epochs: 1, batchSize: 50 };

const DECK: Record<string, number> = { rbm: 1.2, autoencoder: 1.41, denoisingAutoencoder: NaN, none: 2.4, shallow: 1.93 };
const TITLES: Record<string, string> = {
  rbm: 'stacked RBMs', autoencoder: 'stacked auto-encoders', denoisingAutoencoder: 'stacked denoising auto-encoders',
  none: 'deep net, no pre-training', shallow: 'shallow net',
};

export const experiment: Experiment = {
  name: 'pretraining',
  title: 'Greedy layer-wise pre-training',
  deck: 'MNIST test error: stacked RBMs 1.20 %, stacked auto-associators 1.41 %, deep without pre-training 2.40 %, shallow 1.93 %',
  async run({ quick, seed, log }) {
    const cfg = quick ? QUICK : FULL;
    const data = await loadMnist(cfg.unlabelled, cfg.test);
    const labelled = { x: hb.slice(data.train.x, [0], [cfg.labelled]), y: hb.slice(data.train.y, [0], [cfg.labelled]) };
    const errors: Record<string, number> = {};
    const seconds: Record<string, number> = {};
    for (const method of ['rbm', 'autoencoder', 'denoisingAutoencoder', 'none', 'shallow'] as const) {
      const start = performance.now();
      hb.setSeed(seed);
      const model = mlp({ hidden: method === 'shallow' ? [cfg.shallowUnits] : Array<number>(cfg.layers).fill(cfg.units), activation: 'sigmoid' });
      if (method !== 'none' && method !== 'shallow') {
        const recon = await hb.unsupervised.pretrain(model, data.train.x, { method, epochs: cfg.pretrainEpochs, batchSize: 100, seed });
        log(`${method}: pre-trained ${recon.length} layers, reconstruction errors ${recon.map((e) => fmt(e, 3)).join(', ')}`);
      }
      // The same fine-tuning for every network: SGD with momentum on the labelled digits.
      model.compile({ optimizer: hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: 'categoricalCrossentropy' });
      await model.fit(labelled.x, labelled.y, { epochs: cfg.epochs, batchSize: cfg.batchSize, seed, verbose: 0 });
      errors[method] = 100 * (1 - accuracy(model, data.test));
      seconds[method] = (performance.now() - start) / 1000;
      log(`${TITLES[method]}: test error ${fmt(errors[method])} % (${fmt(seconds[method], 0)} s)`);
    }
    const table = [
      `| method | deck's MNIST test error | hebb's test error (${cfg.labelled} labels) | time |`,
      '|---|---|---|---|',
      ...Object.keys(TITLES).map((m) => `| ${TITLES[m]} | ${Number.isNaN(DECK[m]) ? '–' : `${fmt(DECK[m])} %`} | ${fmt(errors[m])} % | ${fmt(seconds[m], 0)} s |`),
    ].join('\n');
    console.log(`\n${table}\n`);
    const best = Math.min(errors.rbm, errors.autoencoder, errors.denoisingAutoencoder);
    return {
      hebb: `test error ${fmt(errors.rbm)} % (RBMs), ${fmt(errors.autoencoder)} % (AEs), ${fmt(errors.denoisingAutoencoder)} % (denoising AEs), ${fmt(errors.none)} % (no pre-training), ${fmt(errors.shallow)} % (shallow)`,
      setup:
        `784-${Array<number>(cfg.layers).fill(cfg.units).join('-')}-10 sigmoid network (shallow: 784-${cfg.shallowUnits}-10). ` +
        `Pre-training: ${cfg.pretrainEpochs} epochs per layer on the first ${cfg.unlabelled} training digits without labels ` +
        `(RBM: CD-1, learning rate 0.05, momentum 0.5; auto-encoders: untied decoder, Adam 1e-2, cross-entropy; denoising: 25 % masking noise). ` +
        `Fine-tuning (identical for all five): SGD 0.1 with momentum 0.9, batch ${cfg.batchSize}, ${cfg.epochs} epochs on the first ${cfg.labelled} labelled digits. ` +
        `Test error on the first ${cfg.test} test digits. The deck's setup is the full 60,000 labels with longer training; ` +
        `with ${cfg.labelled} labels all errors are higher, and the comparison is between rows.\n\n${table}`,
      checks: [
        check(errors.rbm < errors.none, `stacked RBMs beat no pre-training: ${fmt(errors.rbm)} % < ${fmt(errors.none)} %`),
        check(errors.autoencoder < errors.none, `stacked auto-encoders beat no pre-training: ${fmt(errors.autoencoder)} % < ${fmt(errors.none)} %`),
        check(errors.denoisingAutoencoder < errors.none, `stacked denoising auto-encoders beat no pre-training: ${fmt(errors.denoisingAutoencoder)} % < ${fmt(errors.none)} %`),
        check(best < errors.shallow, `the best pre-trained deep net beats the shallow one: ${fmt(best)} % < ${fmt(errors.shallow)} %`),
      ],
    };
  },
};

await main(experiment, import.meta.url);
