// Whole training steps and forward passes of two small networks, written with core ops on both
// sides so the work is the same: the MLP 784-500-500-10 (ReLU, softmax cross-entropy, plain
// SGD) and LeNet-5 (Adam). Weights, inputs and labels come from the same seeded arrays, so the
// first step's loss must agree across engines. When hebb's model API exists, extra hebb rows
// train the same networks through hb.sequential + compile + trainOnBatch/fit.
import * as hb from '../../src/index.js';
import { glorotArray, normalArray, oneHotArray, uniformArray } from '../data.js';
import { conv2dWithFilterGradAsConv, loadTfjsGradients, tf } from '../tfjs.js';
import type { BenchCase, Engine, Variant, Workload } from '../types.js';
import { checksumOnce } from './common.js';
import { modelApiVariant } from './model-api.js';

const CLASSES = 10;
const SGD_LR = 0.1;
const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }; // TF.js's defaults

/** A parameter's shape and initial values. */
interface ParamSpec {
  shape: number[];
  values: Float32Array;
}

function dense(fanIn: number, fanOut: number, seed: number): ParamSpec[] {
  return [
    { shape: [fanIn, fanOut], values: glorotArray(fanIn * fanOut, fanIn, fanOut, seed) },
    { shape: [fanOut], values: new Float32Array(fanOut) },
  ];
}

function conv(k: number, cin: number, cout: number, seed: number): ParamSpec[] {
  return [
    { shape: [k, k, cin, cout], values: glorotArray(k * k * cin * cout, k * k * cin, k * k * cout, seed) },
    { shape: [cout], values: new Float32Array(cout) },
  ];
}

const MLP_PARAMS = (): ParamSpec[] => [...dense(784, 500, 31), ...dense(500, 500, 32), ...dense(500, CLASSES, 33)];
const LENET_PARAMS = (): ParamSpec[] => [
  ...conv(5, 1, 6, 41), ...conv(5, 6, 16, 42), ...dense(400, 120, 43), ...dense(120, 84, 44), ...dense(84, CLASSES, 45),
];

/** TF.js's conv2d, or one whose filter gradient is computed differently (see tfjs.ts). */
type TfjsConv = (x: tf.Tensor4D, w: tf.Tensor4D, padding: 'same' | 'valid', inputNeedsGrad: boolean) => tf.Tensor4D;
const tfjsConv: TfjsConv = (x, w, padding) => tf.conv2d(x, w, 1, padding);

/** A network written once per library: its forward pass from input and parameters to logits. */
interface Net {
  name: 'mlp' | 'lenet';
  inputShape: number[];
  params: () => ParamSpec[];
  hebb: (x: hb.Tensor, p: readonly hb.Tensor[]) => hb.Tensor;
  tfjs: (x: tf.Tensor, p: readonly tf.Tensor[], conv: TfjsConv) => tf.Tensor;
}

const MLP: Net = {
  name: 'mlp',
  inputShape: [784],
  params: MLP_PARAMS,
  // x: [N, 784] → [N, 500] → [N, 500] → logits [N, 10]
  hebb: (x, [w1, b1, w2, b2, w3, b3]) => {
    const h1 = hb.relu(hb.add(hb.matmul(x, w1), b1));
    const h2 = hb.relu(hb.add(hb.matmul(h1, w2), b2));
    return hb.add(hb.matmul(h2, w3), b3);
  },
  tfjs: (x, [w1, b1, w2, b2, w3, b3]) => {
    const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
    return tf.add(tf.matMul(h2, w3), b3);
  },
};

const LENET: Net = {
  name: 'lenet',
  inputShape: [28, 28, 1],
  params: LENET_PARAMS,
  // x: [N, 28, 28, 1] → conv 6@5×5 same [N, 28, 28, 6] → pool [N, 14, 14, 6] → conv 16@5×5
  // [N, 10, 10, 16] → pool [N, 5, 5, 16] → 400 → 120 → 84 → logits [N, 10]
  hebb: (x, [c1, c1b, c2, c2b, d1, d1b, d2, d2b, d3, d3b]) => {
    let h = hb.maxPool2d(hb.relu(hb.add(hb.conv2d(x, c1, { padding: 'same' }), c1b)), { poolSize: 2 });
    h = hb.maxPool2d(hb.relu(hb.add(hb.conv2d(h, c2, { padding: 'valid' }), c2b)), { poolSize: 2 });
    h = hb.reshape(h, [h.shape[0], 400]);
    h = hb.relu(hb.add(hb.matmul(h, d1), d1b));
    h = hb.relu(hb.add(hb.matmul(h, d2), d2b));
    return hb.add(hb.matmul(h, d3), d3b);
  },
  tfjs: (x, [c1, c1b, c2, c2b, d1, d1b, d2, d2b, d3, d3b], conv) => {
    const conv2d = (a: tf.Tensor, w: tf.Tensor, padding: 'same' | 'valid', inputNeedsGrad: boolean) => conv(a as tf.Tensor4D, w as tf.Tensor4D, padding, inputNeedsGrad);
    let h: tf.Tensor = tf.maxPool(tf.relu(tf.add(conv2d(x, c1, 'same', false), c1b)) as tf.Tensor4D, 2, 2, 'valid');
    h = tf.maxPool(tf.relu(tf.add(conv2d(h, c2, 'valid', true), c2b)) as tf.Tensor4D, 2, 2, 'valid');
    h = tf.reshape(h, [h.shape[0], 400]);
    h = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, d1 as tf.Tensor2D), d1b));
    h = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, d2 as tf.Tensor2D), d2b));
    return tf.add(tf.matMul(h as tf.Tensor2D, d3 as tf.Tensor2D), d3b);
  },
};

/** Mean softmax cross-entropy −mean(Σ y·log softmax(z)) over the batch, with core ops. */
function hebbLoss(logits: hb.Tensor, y: hb.Tensor): hb.Tensor {
  return hb.neg(hb.mean(hb.sum(hb.mul(y, hb.logSoftmax(logits)), -1)));
}
function tfjsLoss(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1))) as tf.Scalar;
}

interface Batch {
  x: Float32Array;
  y: Float32Array;
  xShape: number[];
}

function makeBatch(net: Net, batch: number): Batch {
  const features = net.inputShape.reduce((a, b) => a * b, 1);
  // MNIST-like pixels in [0, 1) for the CNN, standard normal features for the MLP.
  const x = net.name === 'lenet' ? uniformArray(batch * features, 51) : normalArray(batch * features, 51);
  return { x, y: oneHotArray(batch, CLASSES, 52), xShape: [batch, ...net.inputShape] };
}

type Optimizer = 'sgd' | 'adam';

/** Parameters and, for Adam, their first and second moments [m, v]. */
interface TrainState {
  params: hb.Tensor[];
  moments: hb.Tensor[][];
}

/** hebb: one step = loss and gradients by variableGrads, then the update, all inside tidy. */
function hebbTrain(net: Net, optimizer: Optimizer, data: Batch): Workload {
  const initial = net.params().map((p) => hb.tensor(p.values, p.shape));
  let state: TrainState = { params: initial, moments: optimizer === 'adam' ? initial.map((p) => [hb.zerosLike(p), hb.zerosLike(p)]) : [] };
  const x = hb.tensor(data.x, data.xShape);
  const y = hb.tensor(data.y, [data.xShape[0], CLASSES]);
  let t = 0;
  const sgd = ({ params }: TrainState, grads: hb.Tensor[]): TrainState => ({
    params: params.map((p, i) => hb.sub(p, hb.mul(grads[i], SGD_LR))),
    moments: [],
  });
  // The same sequence of ops as TF.js's AdamOptimizer.applyGradients, so the work matches.
  const adam = ({ params, moments }: TrainState, grads: hb.Tensor[]): TrainState => {
    const { learningRate, beta1, beta2, epsilon } = ADAM;
    t++;
    const oneMinusAcc1 = 1 - beta1 ** t;
    const oneMinusAcc2 = 1 - beta2 ** t;
    const next = params.map((p, i) => {
      const g = grads[i];
      const m = hb.add(hb.mul(moments[i][0], beta1), hb.mul(g, 1 - beta1));
      const v = hb.add(hb.mul(moments[i][1], beta2), hb.mul(hb.square(g), 1 - beta2));
      // p ← p − lr · m̂ / (√v̂ + ε)
      const update = hb.mul(hb.div(hb.div(m, oneMinusAcc1), hb.add(hb.sqrt(hb.div(v, oneMinusAcc2)), epsilon)), -learningRate);
      return { p: hb.add(update, p), m, v };
    });
    return { params: next.map((n) => n.p), moments: next.map((n) => [n.m, n.v]) };
  };
  return {
    run: () => {
      const old = state;
      const { loss, next } = hb.tidy(() => {
        const { value, grads } = hb.variableGrads(() => hebbLoss(net.hebb(x, old.params), y), old.params);
        return { loss: value.item(), next: optimizer === 'sgd' ? sgd(old, grads) : adam(old, grads) };
      });
      // The old state was made outside this step's tidy, so release it here.
      hb.dispose(old.params, old.moments.flat());
      state = next;
      return loss;
    },
    dispose: () => hb.dispose(state.params, state.moments.flat(), x, y),
  };
}

let variableCount = 0;

/** TF.js: variables, tf.variableGrads + assign for SGD, tf.train.adam for Adam. */
function tfjsTrain(net: Net, optimizer: Optimizer, data: Batch, conv: TfjsConv, note?: string): Workload {
  loadTfjsGradients();
  // TF.js variable names are global and must be unique across workloads.
  const params = net.params().map((p) => {
    const init = tf.tensor(p.values, p.shape);
    const v = tf.variable(init, true, `bench_${net.name}_${variableCount++}`);
    init.dispose(); // the variable holds its own reference to the data
    return v;
  });
  const x = tf.tensor(data.x, data.xShape);
  const y = tf.tensor(data.y, [data.xShape[0], CLASSES]);
  const adam = optimizer === 'adam' ? tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon) : null;
  const lossFn = () => tfjsLoss(net.tfjs(x, params, conv), y);
  return {
    run: () =>
      tf.tidy(() => {
        if (adam !== null) return (adam.minimize(lossFn, true, params) as tf.Scalar).dataSync()[0];
        const { value, grads } = tf.variableGrads(lossFn, params);
        for (const p of params) p.assign(tf.sub(p, tf.mul(grads[p.name], SGD_LR)));
        return value.dataSync()[0];
      }),
    dispose: () => {
      tf.dispose([...params, x, y]);
      adam?.dispose();
    },
    note,
  };
}

function hebbInfer(net: Net, data: Batch): Workload {
  const params = net.params().map((p) => hb.tensor(p.values, p.shape));
  const x = hb.tensor(data.x, data.xShape);
  const read = checksumOnce();
  return { run: () => hb.tidy(() => read(net.hebb(x, params).dataSync())), dispose: () => hb.dispose(params, x) };
}

function tfjsInfer(net: Net, data: Batch): Workload {
  const params = net.params().map((p) => tf.tensor(p.values, p.shape));
  const x = tf.tensor(data.x, data.xShape);
  const read = checksumOnce();
  return { run: () => tf.tidy(() => read(net.tfjs(x, params, tfjsConv).dataSync())), dispose: () => tf.dispose([...params, x]) };
}

function trainCase(net: Net, optimizer: Optimizer, batch: number, small: boolean): BenchCase {
  const data = makeBatch(net, batch);
  const variants: Variant[] = [
    { library: 'hebb', build: () => hebbTrain(net, optimizer, data) },
    {
      library: 'tfjs',
      build: (e: Engine) =>
        tfjsTrain(net, optimizer, data, tfjsConv, net.name === 'lenet' && e.backend === 'wasm' ? 'conv filter grads by TF.js cpu kernel (wasm has none)' : undefined),
    },
  ];
  if (net.name === 'lenet') {
    // What a TF.js user who needs wasm speed writes: the filter gradient as a wasm convolution.
    variants.push({
      library: 'tfjs',
      name: 'dw as conv',
      engines: (e) => e.backend === 'wasm',
      build: () => tfjsTrain(net, optimizer, data, conv2dWithFilterGradAsConv, 'conv filter grads as conv2d on wasm (custom gradient)'),
    });
  }
  variants.push(modelApiVariant(net.name, optimizer, net.params, data, CLASSES, { sgd: SGD_LR, adam: ADAM.learningRate }));
  const label = net.name === 'mlp' ? 'MLP 784-500-500-10 train, SGD' : 'LeNet-5 train, Adam';
  return { id: `${net.name}-train`, group: net.name, title: `${label}, batch ${batch}`, unit: 'samples/s', work: batch, small, variants };
}

function inferCase(net: Net, batch: number): BenchCase {
  const data = makeBatch(net, batch);
  const label = net.name === 'mlp' ? 'MLP 784-500-500-10 inference' : 'LeNet-5 inference';
  return {
    id: `${net.name}-infer`,
    group: net.name,
    title: `${label}, batch ${batch}`,
    unit: 'samples/s',
    work: batch,
    small: true,
    variants: [
      { library: 'hebb', build: () => hebbInfer(net, data) },
      { library: 'tfjs', build: () => tfjsInfer(net, data) },
    ],
  };
}

export interface ModelBatches {
  mlpTrain: number;
  mlpInfer: number;
  lenetTrain: number;
  lenetInfer: number;
}

export function mlpCases(b: ModelBatches): BenchCase[] {
  return [trainCase(MLP, 'sgd', b.mlpTrain, true), inferCase(MLP, b.mlpInfer)];
}

export function lenetCases(b: ModelBatches): BenchCase[] {
  return [trainCase(LENET, 'adam', b.lenetTrain, true), inferCase(LENET, b.lenetInfer)];
}
