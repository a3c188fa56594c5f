// Lecture (visualising CNNs): what LeNet-5 sees. Feature maps of every conv layer, the input
// that excites each filter most (activation maximisation), DeepDream on a digit, and saliency
// maps three ways (vanilla |∂y_c/∂x|, SmoothGrad, integrated gradients), tiled into PNGs.
// Asserts: integrated gradients are complete (Σ attributions = f(x) − f(0)), saliency mass sits
// on the digit's strokes more than on the background, and each maximised input excites its
// own filter more than a grey image does.
//
//   npx tsx examples/explain.ts            (full: ~3 min on 2 busy cores)
//   npx tsx examples/explain.ts --quick
import { join } from 'node:path';
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';
import { writePng } from './lib/png.js';

const FULL = { train: 6000, epochs: 2, digits: 8, amSteps: 60 };
const QUICK = { train: 300, epochs: 1, digits: 4, amSteps: 5 };

export const experiment: Experiment = {
  name: 'explain',
  title: 'Inside LeNet-5: feature maps, activation maximisation, DeepDream, saliency',
  deck: 'visualise what each layer responds to; attribution shows which pixels a decision depends on',
  async run({ quick, seed, log, outDir }) {
    const cfg = quick ? QUICK : FULL;
    hb.setSeed(seed);
    const data = await loadMnist(cfg.train, 100);
    const model = hb.zoo.lenet5();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(data.train.images, data.train.labels, { epochs: cfg.epochs, batchSize: 64, verbose: 0, seed });
    const x = hb.slice(data.test.images, [0], [cfg.digits]);
    const files: string[] = [];
    const save = (name: string, grid: hb.Tensor, scale = 4) => { writePng(join(outDir, name), grid, scale); files.push(name); };

    // Feature maps of c1 and c3 for the first digit.
    const [c1, c3] = hb.explain.featureMaps(model, hb.slice(x, [0], [1]), ['c1', 'c3']);
    for (const [name, maps] of [['c1', c1], ['c3', c3]] as const) save(`explain-${name}-maps.png`, hb.explain.tileImages(hb.transpose(maps, [3, 1, 2, 0]), { columns: 8 }), 4);

    // Activation maximisation: every filter of c3.
    const excite: hb.Tensor[] = [];
    let beats = 0;
    for (let f = 0; f < 16; f++) {
      const img = hb.explain.activationMaximization(model, { layer: 'c3', filter: f, steps: cfg.amSteps, learningRate: 0.05, regularization: { l2: 0.05, totalVariation: 0.05 }, seed: f });
      excite.push(img.reshape([1, 28, 28, 1]));
      const act = (t: hb.Tensor) => hb.mean(hb.slice(hb.explain.featureMaps(model, t.reshape([1, 28, 28, 1]), ['c3'])[0], [0, 0, 0, f], [1, 10, 10, 1])).item();
      if (act(img) > act(hb.full([28, 28, 1], 0.5))) beats++;
    }
    save('explain-c3-maximised.png', hb.explain.tileImages(hb.concat(excite, 0), { columns: 8 }), 4);

    // DeepDream on the first digit, amplifying c3.
    const dream = hb.explain.deepDream(model, hb.slice(x, [0], [1]), { layers: ['c3'], octaves: 3, steps: quick ? 2 : 20 });
    save('explain-deepdream.png', hb.explain.tileImages(hb.concat([hb.slice(x, [0], [1]), dream], 0), { columns: 2, normalize: 'none' }), 6);

    // Saliency three ways, and the checks.
    const vanilla = hb.explain.saliency(model, x);
    const smooth = hb.explain.saliency(model, x, { method: 'smoothGrad', samples: quick ? 4 : 25, seed });
    const ig = hb.explain.saliency(model, x, { method: 'integratedGradients', steps: quick ? 8 : 64 });
    const absIg = hb.abs(ig);
    save('explain-saliency.png', hb.explain.tileImages(hb.concat([x.reshape([cfg.digits, 28, 28]), vanilla, smooth, absIg], 0), { columns: cfg.digits }), 4);
    const probs = model.predict(x) as hb.Tensor;
    const zeroProbs = model.predict(hb.zerosLike(x)) as hb.Tensor;
    const predicted = Array.from(hb.argmax(probs, 1).dataSync());
    const igSums = hb.sum(ig.reshape([cfg.digits, -1]), 1).dataSync();
    const p = probs.toArray() as number[][];
    const p0 = zeroProbs.toArray() as number[][];
    const completeness = Math.max(...predicted.map((c, n) => Math.abs(igSums[n] - (p[n][c] - p0[n][c]))));
    // Mean saliency on stroke pixels (x > 0.5) over mean on background (x < 0.1).
    const xs = x.dataSync(), vs = vanilla.dataSync();
    let on = 0, nOn = 0, off = 0, nOff = 0;
    for (let i = 0; i < xs.length; i++) {
      if (xs[i] > 0.5) { on += vs[i]; nOn++; } else if (xs[i] < 0.1) { off += vs[i]; nOff++; }
    }
    const ratio = on / nOn / (off / nOff);
    log(`IG completeness error ${completeness.toExponential(2)}; saliency stroke/background ratio ${fmt(ratio, 2)}; ${beats}/16 maximised inputs beat grey`);
    return {
      hebb: `IG |Σ A − (f(x) − f(0))| ≤ ${completeness.toExponential(1)}; vanilla saliency ${fmt(ratio, 1)}× higher on strokes than background; ${beats}/16 c3 filters excited more by their maximised input than by grey`,
      setup: `LeNet-5 trained ${cfg.epochs} epochs on ${cfg.train} digits (Adam). Feature maps of c1 and c3 for test digit 0; activation maximisation of the 16 c3 filters (${cfg.amSteps} steps, η = 0.05 on the RMS-normalised gradient, L2 and TV 0.05); DeepDream on c3 (3 octaves × 20 steps); saliency of the predicted class for ${cfg.digits} test digits (SmoothGrad 25 samples σ = 15 %, integrated gradients 64 steps from a black image). Files: ${files.join(', ')}.`,
      files,
      checks: [
        check(completeness < 0.02, `integrated gradients complete within 0.02 (max error ${completeness.toExponential(2)})`),
        check(ratio > 1.5, `saliency is higher on strokes than on background (ratio ${fmt(ratio, 2)} > 1.5)`),
        check(beats >= 14, `maximised inputs excite their filter more than grey for ≥ 14 of 16 filters (${beats})`),
      ],
    };
  },
};

await main(experiment, import.meta.url);
