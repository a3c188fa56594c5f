// Generated from docs/tutorials/02-mlp-backprop.md by `npx tsx scripts/tutorials.ts --write`: edit the tutorial, not this file.
// Run: npx tsx examples/tutorials/02-mlp-backprop.ts
import * as hb from '../../src/index.js';

const f = (x: hb.Tensor) => hb.sum(hb.square(x));
console.log('d/dx Σx² at [1, 2, 3] =', hb.grad(f)(hb.tensor([1, 2, 3])).toArray());   // [2, 4, 6]

// Gradients are differentiable again: the second derivative of x³ at 2 is 6·2 = 12.
const cube = (x: hb.Tensor) => hb.sum(hb.pow(x, 3));
const second = hb.grad((x: hb.Tensor) => hb.sum(hb.grad(cube)(x)))(hb.tensor([2]));
console.log('d²/dx² x³ at 2 =', second.toArray());

const X = hb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const Y = hb.tensor([[0], [1], [1], [0]]);

let params = [
  hb.randomNormal([2, 2], { std: 1, seed: 3 }), hb.zeros([2]),   // W1, b1
  hb.randomNormal([2, 1], { std: 1, seed: 4 }), hb.zeros([1]),   // W2, b2
];
const forward = (w1: hb.Tensor, b1: hb.Tensor, w2: hb.Tensor, b2: hb.Tensor) =>
  hb.sigmoid(hb.add(hb.matmul(hb.sigmoid(hb.add(hb.matmul(X, w1), b1)), w2), b2));
const loss = (w1: hb.Tensor, b1: hb.Tensor, w2: hb.Tensor, b2: hb.Tensor) =>
  hb.mean(hb.square(hb.sub(forward(w1, b1, w2, b2), Y)));

const lossAndGrads = hb.valueAndGrad(loss, [0, 1, 2, 3]);
const learningRate = 2;
for (let step = 0; step <= 3000; step++) {
  const [value, grads] = lossAndGrads(...params);
  params = params.map((p, i) => hb.sub(p, hb.mul(grads[i], learningRate)));
  if (step % 1000 === 0) console.log(`step ${step}: loss ${value.item().toFixed(4)}`);
}
console.log('XOR outputs:', (forward(params[0], params[1], params[2], params[3]).toArray() as number[][]).map((r) => r[0].toFixed(2)));

const check = hb.checkGrad(
  (w: hb.Tensor) => hb.sum(hb.tanh(hb.matmul(X.cast('float64'), w))),
  [hb.randomNormal([2, 3], { seed: 5, dtype: 'float64' })],
);
console.log('gradient check:', check.ok ? 'ok' : 'FAILED', 'max relative error', check.maxRelError.toExponential(1));

hb.setSeed(7);
const mlp = hb.sequential([
  hb.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
  hb.layers.dense({ units: 1, activation: 'sigmoid' }),
]);
mlp.compile({ optimizer: hb.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const history = await mlp.fit(X, Y, { epochs: 300, batchSize: 4, verbose: 0 });
const { loss: losses, accuracy } = history.history;
console.log(`final loss ${losses.at(-1)?.toFixed(4)}, accuracy ${accuracy.at(-1)}`);
console.log('predictions:', (mlp.predict(X) as hb.Tensor).toArray());
mlp.summary();
