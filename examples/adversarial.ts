// Lecture (applications): adversarial examples. Goodfellow et al.'s panda becomes a "gibbon"
// with x + 0.007·sign(∇ₓL): a perturbation too small to see, aligned with the loss gradient in
// every pixel, adds up over many pixels. Here: LeNet-5 on MNIST, its accuracy on FGSM examples
// at ε ∈ {0.05, 0.1, 0.2, 0.3} (and PGD, the iterated attack), before and after adversarial
// training (fine-tuning on ½ clean + ½ FGSM batches), and a picture of x, sign(∇ₓL) and x̃.
//
//   npx tsx examples/adversarial.ts            (full: ~2.5 min on 2 busy cores with the native backend)
//   npx tsx examples/adversarial.ts --quick
import { join } from 'node:path';
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';
import { writePng } from './lib/png.js';

const EPSILONS = [0.05, 0.1, 0.2, 0.3];
const FULL = { train: 12000, test: 2000, pgdTest: 500, epochs: 3, advEpochs: 2, advEpsilon: 0.2, batchSize: 64 };
const QUICK = { train: 300, test: 100, pgdTest: 50, epochs: 1, advEpochs: 1, advEpsilon: 0.2, batchSize: 64 };

function accuracy(model: hb.Model, x: hb.Tensor, labels: hb.Tensor): number {
  const p = hb.tidy(() => hb.argmax(model.predict(x, { batchSize: 250 }) as hb.Tensor, 1).dataSync());
  const y = labels.dataSync();
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (p[i] === y[i]) ok++;
  return ok / y.length;
}

/** Attack in batches (the gradient of a whole test set at once would hold every activation). */
function attackAll(attack: (x: hb.Tensor, y: hb.Tensor) => hb.Tensor, x: hb.Tensor, y: hb.Tensor, batch = 250): hb.Tensor {
  const parts: hb.Tensor[] = [];
  for (let s = 0; s < x.shape[0]; s += batch) {
    const n = Math.min(batch, x.shape[0] - s);
    parts.push(hb.tidy(() => attack(hb.slice(x, [s], [n]), hb.slice(y, [s], [n]))));
  }
  return hb.concat(parts, 0);
}

interface Row { clean: number; fgsm: number[]; pgd: number[] }

function robustness(model: hb.Model, x: hb.Tensor, y: hb.Tensor, pgdCount: number): Row {
  const fgsm = EPSILONS.map((epsilon) => hb.tidy(() => accuracy(model, attackAll((a, b) => hb.adversarial.fgsm(model, a, b, { epsilon }), x, y), y)));
  const xp = hb.slice(x, [0], [pgdCount]);
  const yp = hb.slice(y, [0], [pgdCount]);
  const pgd = EPSILONS.map((epsilon) => hb.tidy(() => accuracy(model, attackAll((a, b) => hb.adversarial.pgd(model, a, b, { epsilon, steps: 10, seed: 1 }), xp, yp), yp)));
  return { clean: accuracy(model, x, y), fgsm, pgd };
}

export const experiment: Experiment = {
  name: 'adversarial',
  title: 'Adversarial examples (FGSM, PGD) and adversarial training',
  deck: 'x + 0.007·sign(∇ₓL) turns "panda" into "gibbon"; training on such examples makes a network robust to them',
  async run({ quick, seed, log, outDir }) {
    const cfg = quick ? QUICK : FULL;
    hb.setSeed(seed);
    const data = await loadMnist(cfg.train, cfg.test);
    const xTrain = data.train.images;
    const yTrain = data.train.labels;
    const xTest = data.test.images;
    const yTest = data.test.labels;

    const model = hb.zoo.lenet5();
    model.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    let t = performance.now();
    await model.fit(xTrain, yTrain, { epochs: cfg.epochs, batchSize: cfg.batchSize, verbose: 0, seed });
    log(`clean training: ${fmt((performance.now() - t) / 1000, 0)} s`);
    const before = robustness(model, xTest, yTest, cfg.pgdTest);
    log(`before: clean ${fmt(before.clean, 3)}, FGSM ${before.fgsm.map((a) => fmt(a, 3)).join(' ')}, PGD ${before.pgd.map((a) => fmt(a, 3)).join(' ')}`);

    // The "panda" figure: a test digit, the sign of its loss gradient, and x + ε·sign at ε = 0.007 and 0.2.
    const x0 = hb.slice(xTest, [0], [1]);
    const y0 = hb.slice(yTest, [0], [1]);
    const g = hb.sign(hb.adversarial.inputGradient(model, x0, y0));
    const shown = [0.007, 0.2].map((epsilon) => hb.adversarial.fgsm(model, x0, y0, { epsilon }));
    const describe = (x: hb.Tensor): string => {
      const p = (model.predict(x) as hb.Tensor).dataSync();
      const k = p.indexOf(Math.max(...p));
      return `"${k}" (${fmt(100 * p[k], 1)} %)`;
    };
    const panda = `x: ${describe(x0)}; x + 0.007·sign(∇ₓL): ${describe(shown[0])}; x + 0.2·sign(∇ₓL): ${describe(shown[1])}`;
    writePng(join(outDir, 'adversarial-digit.png'), hb.explain.tileImages(hb.concat([x0, hb.div(hb.add(g, 1), 2), ...shown], 0), { columns: 4, padding: 2, normalize: 'none' }), 6);
    log(panda);

    // Adversarial fine-tuning from the clean weights.
    const robust = hb.zoo.lenet5();
    robust.setWeights(model.getWeights());
    robust.compile({ optimizer: hb.optimizers.adam({ learningRate: 5e-4 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    t = performance.now();
    // The callback wraps fit's training step: every batch is trained as [x; FGSM(x)] (½ + ½ loss).
    await robust.fit(xTrain, yTrain, {
      epochs: cfg.advEpochs, batchSize: cfg.batchSize, seed, verbose: 0,
      callbacks: [
        hb.adversarial.adversarialTraining({ epsilon: cfg.advEpsilon }),
        { onEpochEnd: (e: number, l?: hb.Logs) => log(`adversarial epoch ${e + 1}: loss ${fmt(l?.loss ?? NaN, 4)}`) },
      ],
    });
    log(`adversarial training: ${fmt((performance.now() - t) / 1000, 0)} s`);
    const after = robustness(robust, xTest, yTest, cfg.pgdTest);
    log(`after: clean ${fmt(after.clean, 3)}, FGSM ${after.fgsm.map((a) => fmt(a, 3)).join(' ')}, PGD ${after.pgd.map((a) => fmt(a, 3)).join(' ')}`);

    const row = (name: string, r: Row) => `| ${name} | ${fmt(r.clean, 3)} | ${r.fgsm.map((a) => fmt(a, 3)).join(' | ')} | ${r.pgd.map((a) => fmt(a, 3)).join(' | ')} |`;
    const table = [
      `| LeNet-5 | clean | ${EPSILONS.map((e) => `FGSM ε=${e}`).join(' | ')} | ${EPSILONS.map((e) => `PGD-10 ε=${e}`).join(' | ')} |`,
      `|---|---|${EPSILONS.map(() => '---').join('|')}|${EPSILONS.map(() => '---').join('|')}|`,
      row('standard training', before),
      row(`+ adversarial training (FGSM ε=${cfg.advEpsilon})`, after),
    ].join('\n');
    log(`\n${table}\n`);
    return {
      hebb: `standard: clean ${fmt(before.clean, 3)}, FGSM ε=0.1/0.3 ${fmt(before.fgsm[1], 3)}/${fmt(before.fgsm[3], 3)}; adversarially trained: clean ${fmt(after.clean, 3)}, FGSM ε=0.1/0.3 ${fmt(after.fgsm[1], 3)}/${fmt(after.fgsm[3], 3)}. ${panda}`,
      setup: `LeNet-5, Adam 1e-3, batch ${cfg.batchSize}, ${cfg.epochs} epochs on the first ${cfg.train} training digits; attacks on the first ${cfg.test} test digits (PGD: 10 steps of 2.5ε/10, random start, first ${cfg.pgdTest}). ` +
        `Adversarial training: ${cfg.advEpochs} more epochs from the clean weights on ½ clean + ½ FGSM (ε = ${cfg.advEpsilon}) batches (model.fit with the hb.adversarial.adversarialTraining({ epsilon }) callback), Adam 5e-4.\n\n${table}`,
      files: ['adversarial-digit.png'],
      checks: [
        check(before.fgsm[1] < before.clean - 0.2, `FGSM at ε = 0.1 costs the standard model > 0.2 accuracy (${fmt(before.clean, 3)} → ${fmt(before.fgsm[1], 3)})`),
        check(after.fgsm[2] > before.fgsm[2] + 0.2, `adversarial training raises FGSM ε = 0.2 accuracy by > 0.2 (${fmt(before.fgsm[2], 3)} → ${fmt(after.fgsm[2], 3)})`),
        check(after.clean > before.clean - 0.03, `and keeps clean accuracy within 0.03 (${fmt(before.clean, 3)} → ${fmt(after.clean, 3)})`),
      ],
    };
  },
};

await main(experiment, import.meta.url);
