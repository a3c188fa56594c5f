// Child for test/determinism/processes.test.ts: train a small CNN with dropout, shuffled fit and
// random augmentation from one seed, on the backend and thread count given, and print a
// fingerprint of every weight's exact bits.
import * as hb from '../../src/index.js';
import { crc32Hex } from '../../src/io/index.js';

async function main(): Promise<void> {
  const [backend, threads] = [process.argv[2], Number(process.argv[3])];
  hb.setBackend(backend);
  if (backend === 'wasm') hb.setThreads(threads);
  hb.setSeed(2026);
  const x = hb.randomUniform([48, 8, 8, 1]);
  const y = hb.randomInt([48], 0, 3);
  const model = hb.sequential([
    hb.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 1], activation: 'relu' }),
    hb.layers.flatten(),
    hb.layers.dropout({ rate: 0.3 }),
    hb.layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  for (let epoch = 0; epoch < 3; epoch++) {
    // New random rotations and shifts every epoch, drawn from the global generator.
    const augmented = hb.data.augment(x, { rotation: 15, shift: 1 });
    await model.fit(augmented, y, { epochs: 1, batchSize: 8, shuffle: true, verbose: 0 });
  }
  const bytes = model.getWeights().map((w) => new Uint8Array((w.dataSync() as Float32Array).buffer));
  const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    all.set(b, at);
    at += b.length;
  }
  process.stdout.write(`${crc32Hex(all)} ${all.length} ${model.getWeights()[0].dataSync()[0]}\n`);
  process.exit(0);
}

void main();
