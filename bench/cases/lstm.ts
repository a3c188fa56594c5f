// LSTM-128 training over MNIST rows (issue 10): x [64, 28, 28] read as 28 steps of 28 features,
// an LSTM with 128 units (Keras gate order i, f, c, o; kernel [28, 512], recurrent [128, 512],
// bias [512]), a dense 10 on the last h, softmax cross-entropy and one SGD step. Written with
// core ops on both sides (the same unrolled recurrence), plus a hebb row through the layer API
// (hb.layers.lstm), so the first step's loss must agree across engines.
import * as hb from '../../src/index.js';
import { glorotArray, normalArray, oneHotArray, uniformArray } from '../data.js';
import { loadTfjsGradients, tf } from '../tfjs.js';
import type { BenchCase, Workload } from '../types.js';

const T = 28;
const F = 28;
const U = 128;
const CLASSES = 10;
const LR = 0.05;

function params(): { shape: number[]; values: Float32Array }[] {
  return [
    { shape: [F, 4 * U], values: glorotArray(F * 4 * U, F, 4 * U, 61) },
    { shape: [U, 4 * U], values: normalArray(U * 4 * U, 62, 1 / Math.sqrt(U)) },
    { shape: [4 * U], values: new Float32Array(4 * U) },
    { shape: [U, CLASSES], values: glorotArray(U * CLASSES, U, CLASSES, 63) },
    { shape: [CLASSES], values: new Float32Array(CLASSES) },
  ];
}

function hebbLogits(x: hb.Tensor, [k, r, b, wd, bd]: readonly hb.Tensor[]): hb.Tensor {
  const n = x.shape[0];
  const xk = hb.reshape(hb.add(hb.matmul(hb.reshape(x, [n * T, F]), k), b), [n, T, 4 * U]);
  const steps = hb.unstack(xk, 1);
  let h = hb.zeros([n, U]);
  let c = hb.zeros([n, U]);
  for (const s of steps) {
    const [zi, zf, zc, zo] = hb.split(hb.add(s, hb.matmul(h, r)), 4, 1);
    c = hb.add(hb.mul(hb.sigmoid(zf), c), hb.mul(hb.sigmoid(zi), hb.tanh(zc)));
    h = hb.mul(hb.sigmoid(zo), hb.tanh(c));
  }
  return hb.add(hb.matmul(h, wd), bd);
}

function tfjsLogits(x: tf.Tensor, [k, r, b, wd, bd]: readonly tf.Tensor[]): tf.Tensor {
  const n = x.shape[0];
  const xk = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [n * T, F]) as tf.Tensor2D, k as tf.Tensor2D), b), [n, T, 4 * U]);
  const steps = tf.unstack(xk, 1);
  let h: tf.Tensor = tf.zeros([n, U]);
  let c: tf.Tensor = tf.zeros([n, U]);
  for (const s of steps) {
    const [zi, zf, zc, zo] = tf.split(tf.add(s, tf.matMul(h as tf.Tensor2D, r as tf.Tensor2D)), 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
    h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
  }
  return tf.add(tf.matMul(h as tf.Tensor2D, wd as tf.Tensor2D), bd);
}

let tfjsVars = 0;

export function lstmCases(batch: number): BenchCase[] {
  const x = uniformArray(batch * T * F, 64);
  const y = oneHotArray(batch, CLASSES, 65);
  const hebbOps = (): Workload => {
    let ps = params().map((p) => hb.tensor(p.values, p.shape));
    const xt = hb.tensor(x, [batch, T, F]);
    const yt = hb.tensor(y, [batch, CLASSES]);
    return {
      run: () => {
        const old = ps;
        const { loss, next } = hb.tidy(() => {
          const { value, grads } = hb.variableGrads(() => hb.neg(hb.mean(hb.sum(hb.mul(yt, hb.logSoftmax(hebbLogits(xt, old))), -1))), old);
          return { loss: value.item(), next: old.map((p, i) => hb.sub(p, hb.mul(grads[i], LR))) };
        });
        hb.dispose(old);
        ps = next;
        return loss;
      },
      dispose: () => hb.dispose(ps, xt, yt),
    };
  };
  const hebbLayers = (): Workload => {
    const m = hb.sequential({ layers: [hb.layers.lstm({ units: U, inputShape: [T, F], unitForgetBias: false }), hb.layers.dense({ units: CLASSES })] });
    m.setWeights(params().map((p) => hb.tensor(p.values, p.shape)));
    m.compile({ optimizer: hb.optimizers.sgd({ learningRate: LR }), loss: (yt: hb.Tensor, yp: hb.Tensor) => hb.losses.categoricalCrossentropy(yt, yp, { fromLogits: true }) });
    const xt = hb.tensor(x, [batch, T, F]);
    const yt = hb.tensor(y, [batch, CLASSES]);
    return { run: () => m.trainOnBatch(xt, yt).loss, dispose: () => hb.dispose(xt, yt) };
  };
  const tfjsOps = (): Workload => {
    loadTfjsGradients();
    const ps = params().map((p) => tf.variable(tf.tensor(p.values, p.shape), true, `bench_lstm_${tfjsVars++}`));
    const xt = tf.tensor(x, [batch, T, F]);
    const yt = tf.tensor(y, [batch, CLASSES]);
    const lossFn = () => tf.neg(tf.mean(tf.sum(tf.mul(yt, tf.logSoftmax(tfjsLogits(xt, ps))), -1))) as tf.Scalar;
    return {
      run: () =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(lossFn, ps);
          for (const p of ps) p.assign(tf.sub(p, tf.mul(grads[p.name], LR)));
          return value.dataSync()[0];
        }),
      dispose: () => tf.dispose([...ps, xt, yt]),
    };
  };
  return [{
    id: 'lstm-train',
    group: 'lstm',
    title: `LSTM-128 train over 28 MNIST rows, SGD, batch ${batch}`,
    unit: 'samples/s',
    work: batch,
    small: false,
    variants: [
      { library: 'hebb', build: hebbOps },
      { library: 'hebb', name: 'layer API', build: hebbLayers },
      { library: 'tfjs', build: tfjsOps },
    ],
  }];
}
