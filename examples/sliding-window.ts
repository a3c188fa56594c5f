// Lecture (detection): the convolutional sliding window. A classifier for 28×28 digits whose
// dense layers are turned into convolutions (hb.zoo.convolutionalize: the first Dense over the
// 4×4×16 map becomes a 4×4 convolution, the next ones 1×1) runs over a whole 96×96 digit scene
// in one pass and gives a class map with one prediction per 4-pixel step of a 28×28 window —
// the same numbers as cropping every window and classifying it, without recomputing the shared
// convolutions. Asserts the equality on every window, and prints both times.
//
//   npx tsx examples/sliding-window.ts [--quick]
import * as hb from '../src/index.js';
import { check, type Experiment, fmt, main } from './lib/experiment.js';
import { loadMnist } from './lib/mnist.js';

export const experiment: Experiment = {
  name: 'sliding-window',
  title: 'Convolutional sliding window (dense layers as convolutions)',
  deck: 'turning FC layers into convolutions runs the classifier on every window of a large image in one forward pass',
  async run({ quick, seed, log }) {
    hb.setSeed(seed);
    const data = await loadMnist(quick ? 300 : 6000, 10);
    const clf = hb.sequential([
      hb.layers.conv2d({ filters: 8, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }),
      hb.layers.maxPooling2d({ poolSize: 2 }),
      hb.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      hb.layers.maxPooling2d({ poolSize: 2 }),
      hb.layers.flatten(),
      hb.layers.dense({ units: 64, activation: 'relu' }),
      hb.layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    clf.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await clf.fit(data.train.images, data.train.labels, { epochs: 1, batchSize: 64, verbose: 0, seed });
    const fcn = hb.zoo.convolutionalize(clf);
    const scene = await hb.datasets.digitScenes({ n: 1, split: 'test', seed });
    let t = performance.now();
    const map = fcn.predict(scene.images) as hb.Tensor;
    const onePass = performance.now() - t;
    const [, gh, gw] = map.shape;
    t = performance.now();
    const crops: hb.Tensor[] = [];
    for (let i = 0; i < gh; i++) for (let j = 0; j < gw; j++) crops.push(hb.slice(scene.images, [0, 4 * i, 4 * j, 0], [1, 28, 28, 1]));
    const perWindow = clf.predict(hb.concat(crops, 0), { batchSize: 64 }) as hb.Tensor;
    const cropped = performance.now() - t;
    const diff = hb.max(hb.abs(hb.sub(map.reshape([gh * gw, 10]), perWindow))).item();
    // The windows whose centre is a digit's box centre (± 2 px) should name that digit.
    const best = Array.from(hb.argmax(perWindow, 1).dataSync());
    let hits = 0, tried = 0;
    scene.boxes[0].forEach(([x0, y0, x1, y1], k) => {
      const i = Math.round(((y0 + y1) / 2 - 14) / 4), j = Math.round(((x0 + x1) / 2 - 14) / 4);
      if (i < 0 || j < 0 || i >= gh || j >= gw) return;
      tried++;
      if (best[i * gw + j] === scene.labels[0][k]) hits++;
    });
    log(`class map [${map.shape.join(', ')}] in ${fmt(onePass, 0)} ms; ${gh * gw} cropped windows in ${fmt(cropped, 0)} ms; max difference ${diff.toExponential(1)}; centred windows right ${hits}/${tried}`);
    return {
      hebb: `96×96 scene → class map ${gh}×${gw}×10 in one pass (${fmt(onePass, 0)} ms) = classifying ${gh * gw} crops (${fmt(cropped, 0)} ms), max difference ${diff.toExponential(1)}; windows centred on the ${tried} digits name ${hits}`,
      setup: 'Classifier conv8@5×5-pool-conv16@5×5-pool-dense64-dense10 trained 1 epoch on 6000 digits; windows 28×28 at stride 4 (the product of the pooling strides).',
      checks: [check(diff < 1e-4, `one-pass class map equals per-window classification (max difference ${diff.toExponential(2)})`)],
    };
  },
};

await main(experiment, import.meta.url);
