// The training run that test/crash/sigkill.test.ts kills: a small MLP with dropout and Adam,
// trained step by step on one fixed batch, saving a checkpoint after every step. Shared by the
// child process and by the test's in-process reference run.
import * as hb from '../../src/index.js';

export const SEED = 4242;

export function buildModel(): hb.Sequential {
  hb.setSeed(SEED);
  const model = hb.sequential([
    hb.layers.dense({ units: 16, inputShape: [8], activation: 'relu' }),
    hb.layers.dropout({ rate: 0.25 }),
    hb.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/** The fixed batch: 32 samples (values from a private seed, so they never touch the global generator). */
export function batch(): { x: hb.Tensor; y: hb.Tensor } {
  return { x: hb.randomNormal([32, 8], { seed: 7 }), y: hb.randomInt([32], 0, 3, { seed: 8 }) };
}

/** The model's weights, flattened, for bit-exact comparison. */
export function weightsOf(model: hb.Model): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

export function stepsOf(model: hb.Model): number {
  return model.optimizer?.iterations ?? 0;
}
