// hebb's Keras-style model API (hb.sequential, hb.layers, hb.optimizers): an extra hebb row per
// training case that trains the same network the way a user would.
import * as hb from '../../src/index.js';
import type { Variant, Workload } from '../types.js';

function buildLayers(net: 'mlp' | 'lenet', classes: number): hb.Layer[] {
  const L = hb.layers;
  if (net === 'mlp') {
    return [
      L.dense({ units: 500, inputShape: [784], activation: 'relu' }),
      L.dense({ units: 500, activation: 'relu' }),
      L.dense({ units: classes, activation: 'softmax' }),
    ];
  }
  return [
    L.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten({}),
    L.dense({ units: 120, activation: 'relu' }),
    L.dense({ units: 84, activation: 'relu' }),
    L.dense({ units: classes, activation: 'softmax' }),
  ];
}

export function modelApiVariant(
  net: 'mlp' | 'lenet',
  optimizer: 'sgd' | 'adam',
  params: () => { shape: number[]; values: Float32Array }[],
  data: { x: Float32Array; y: Float32Array; xShape: number[] },
  classes: number,
  learningRates: { sgd: number; adam: number },
): Variant {
  return {
    library: 'hebb',
    name: 'model API',
    build: (): Workload => {
      const model = hb.sequential(buildLayers(net, classes));
      model.compile({ optimizer: hb.optimizers[optimizer]({ learningRate: learningRates[optimizer] }), loss: 'categoricalCrossentropy' });
      // Same starting weights as the core-ops rows (Keras order: kernel, bias per layer).
      model.setWeights(params().map((p) => hb.tensor(p.values, p.shape)));
      const x = hb.tensor(data.x, data.xShape);
      const y = hb.tensor(data.y, [data.xShape[0], classes]);
      const run = (): number => model.trainOnBatch(x, y).loss;
      return { run, dispose: () => hb.dispose(x, y), note: 'hb.sequential + model.trainOnBatch' };
    },
  };
}
