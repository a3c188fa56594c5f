// Generated from docs/tutorials/05-rnn-lstm-ctc.md by `npx tsx scripts/tutorials.ts --write`: edit the tutorial, not this file.
// Run: npx tsx examples/tutorials/05-rnn-lstm-ctc.ts
import * as hb from '../../src/index.js';

const x = hb.randomNormal([2, 5, 3], { seed: 1 });                           // 2 sequences, 5 steps, 3 features
console.log('simpleRNN, last output:', (hb.layers.simpleRNN({ units: 4 }).apply(x) as hb.Tensor).shape);          // [2, 4]
console.log('lstm, every step:', (hb.layers.lstm({ units: 4, returnSequences: true }).apply(x) as hb.Tensor).shape); // [2, 5, 4]
console.log('bidirectional gru:', (hb.layers.bidirectional({ layer: hb.layers.gru({ units: 4 }) }).apply(x) as hb.Tensor).shape); // [2, 8]

// returnState gives the final states too: an LSTM has two, h and c.
const seq = hb.input({ shape: [null, 3] });                                   // any length
const [out, h, c] = hb.layers.lstm({ units: 4, returnState: true }).applyMulti(seq);
console.log('lstm with state:', out.shape, h.shape, c.shape);                 // [null, 4] three times

hb.setSeed(2);
const sequences = hb.randomUniform([256, 10, 1], { seed: 3 });
const means = hb.mean(sequences, [1, 2]).reshape([256, 1]);

const averager = hb.sequential([
  hb.layers.lstm({ units: 16, inputShape: [10, 1] }),
  hb.layers.dense({ units: 1 }),
]);
averager.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
const history = await averager.fit(sequences, means, { epochs: 20, batchSize: 32, verbose: 0 });
const losses = history.history.loss;
console.log(`mean squared error: epoch 1 ${losses[0].toFixed(4)} → epoch ${losses.length} ${losses.at(-1)!.toFixed(4)}`);
const probe = hb.tensor([[0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.4, 0.3, 0.2, 0.1]]).reshape([1, 10, 1]);
console.log('mean of 0.1 … 0.5 … 0.1 (exactly 0.3):', (averager.predict(probe) as hb.Tensor).item().toFixed(2));

const ids = hb.input({ shape: [null], dtype: 'int32' });
const embedded = hb.layers.embedding({ inputDim: 20, outputDim: 8, maskZero: true }).apply(ids) as hb.SymbolicTensor;
const encoded = hb.layers.lstm({ units: 6 }).apply(embedded) as hb.SymbolicTensor;
const encoder = hb.model({ inputs: ids, outputs: encoded });

const short = encoder.predict(hb.tensor([[5, 3, 7]], undefined, 'int32')) as hb.Tensor;
const padded = encoder.predict(hb.tensor([[5, 3, 7, 0, 0, 0]], undefined, 'int32')) as hb.Tensor;
console.log('padding changes the encoding by', hb.max(hb.abs(hb.sub(short, padded))).item());   // 0

const pathScores = (path: number[]) => hb.oneHot(hb.tensor(path, undefined, 'int32'), 3).mul(5);   // strong logits
const logits = hb.stack([pathScores([1, 1, 0, 2, 2, 0, 0]), pathScores([2, 0, 2, 2, 1, 1, 1])]);     // [2, 7, 3]
const decoded = hb.ctcDecode(logits, { strategy: 'greedy', blank: 0 });
console.log('greedy CTC decoding:', decoded.sequences.map((s) => s[0]));            // [[1, 2], [2, 2, 1]]
console.log('CTC loss of the right labels:',
  hb.losses.ctc(hb.tensor([[1, 2, -1], [2, 2, 1]], undefined, 'int32'), logits, { reduction: 'none' }).toArray());

function toyBatch(n: number, seed: number) {
  const rng = hb.randomUniform([n, 16], { seed }).dataSync();
  const x = new Float32Array(n * 12 * 4);
  const labels: number[][] = [];
  for (let i = 0; i < n; i++) {
    const count = rng[i * 16] < 0.5 ? 2 : 3;
    const symbols = Array.from({ length: count }, (_, k) => 1 + Math.floor(rng[i * 16 + 1 + k] * 3));   // 1, 2 or 3
    labels.push([...symbols, ...Array(3 - count).fill(-1)]);
    let t = 0;
    symbols.forEach((s, k) => {
      const hold = 1 + Math.floor(rng[i * 16 + 5 + k] * 3);          // 1-3 steps
      for (let j = 0; j < hold; j++, t++) x[(i * 12 + t) * 4 + s] = 1;
      t++;                                                           // a gap after each symbol
    });
  }
  return { x: hb.tensor(x, [n, 12, 4]), y: hb.tensor(labels.flat(), [n, 3], 'int32') };
}

hb.setSeed(4);
const reader = hb.sequential([
  hb.layers.bidirectional({ layer: hb.layers.lstm({ units: 16, returnSequences: true }), inputShape: [12, 4] }),
  hb.layers.timeDistributed({ layer: hb.layers.dense({ units: 4 }) }),     // logits: blank + 3 symbols
]);
reader.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.01 }), loss: 'ctc' });
const toy = toyBatch(128, 5);
const ctcHistory = await reader.fit(toy.x, toy.y, { epochs: 8, batchSize: 32, verbose: 0 });
console.log(`CTC loss: ${ctcHistory.history.loss[0].toFixed(2)} → ${ctcHistory.history.loss.at(-1)!.toFixed(2)}`);
