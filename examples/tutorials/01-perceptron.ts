// Generated from docs/tutorials/01-perceptron.md by `npx tsx scripts/tutorials.ts --write`: edit the tutorial, not this file.
// Run: npx tsx examples/tutorials/01-perceptron.ts
import * as hb from '../../src/index.js';

const X = hb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);   // [4, 2]
const targets = {
  AND: hb.tensor([0, 0, 0, 1]),
  OR: hb.tensor([0, 1, 1, 1]),
  XOR: hb.tensor([0, 1, 1, 0]),
};
console.log('X has shape', X.shape, 'and dtype', X.dtype);     // [4, 2] float32

// step(z): 1 where z > 0. hb.greater gives a bool tensor; cast it to float32.
const step = (z: hb.Tensor): hb.Tensor => hb.cast(hb.greater(z, 0), 'float32');

function trainPerceptron(d: hb.Tensor, epochs = 20, epsilon = 0.1) {
  let w = hb.randomUniform([2], { min: -0.5, max: 0.5, seed: 1 });
  let b = hb.scalar(0);
  const rows = hb.unstack(X);                 // four [2] tensors
  const labels = d.toArray() as number[];
  for (let epoch = 0; epoch < epochs; epoch++) {
    rows.forEach((x, i) => {
      const y = step(hb.add(hb.dot(w, x), b)).item();
      const error = labels[i] - y;            // 0 when right, ±1 when wrong
      w = hb.add(w, hb.mul(x, epsilon * error));
      b = hb.add(b, epsilon * error);
    });
  }
  const predictions = step(hb.add(hb.matmul(X, hb.reshape(w, [2, 1])).reshape([4]), b));
  const correct = hb.sum(hb.equal(predictions, d)).item();
  return { w: w.toArray() as number[], b: b.item(), correct };
}

for (const gate of ['AND', 'OR', 'XOR'] as const) {
  const { w, b, correct } = trainPerceptron(targets[gate]);
  console.log(`${gate}: ${correct}/4 right; decision line ${w[0].toFixed(2)}·x1 + ${w[1].toFixed(2)}·x2 + ${b.toFixed(2)} = 0`);
}
