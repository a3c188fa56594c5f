// Child process for test/crash/sigkill.test.ts: resume from the checkpoint in DIR if there is
// one, then train and save after every step until killed. Prints "saved <step>" after each save.
import * as hb from '../../src/index.js';
import { batch, buildModel, stepsOf } from './train-steps.js';

async function main(): Promise<void> {
  const dir = process.argv[2];
  hb.setBackend('cpu');
  let model: hb.Model;
  try {
    model = await hb.loadModel(dir);
  } catch {
    model = buildModel();
  }
  const { x, y } = batch();
  for (;;) {
    model.trainOnBatch(x, y);
    await model.save(dir);
    process.stdout.write(`saved ${stepsOf(model)}\n`);
  }
}

void main();
