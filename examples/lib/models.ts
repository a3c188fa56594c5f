// The multi-layer perceptrons the lectures train on MNIST: 784 inputs, dense hidden layers, a
// 10-way softmax. One builder so that "the same network" in a comparison is the same code.
import * as hb from '../../src/index.js';
import type { MnistSplit } from './mnist.js';

export interface MlpOptions {
  hidden: readonly number[];
  activation: 'sigmoid' | 'relu' | 'tanh';
  /** Kernel initializer of every layer (default glorotUniform, as Keras). */
  kernelInitializer?: hb.InitializerIdentifier;
  biasInitializer?: hb.InitializerIdentifier;
  /** Dropout rate after each hidden layer (0: none). */
  dropout?: number;
  /** L2 weight-decay factor λ on every kernel (0: none): adds λ Σ w² to the loss. */
  l2?: number;
}

export function mlp({ hidden, activation, kernelInitializer, biasInitializer, dropout = 0, l2 = 0 }: MlpOptions) {
  const weights = {
    ...(kernelInitializer === undefined ? {} : { kernelInitializer }),
    ...(biasInitializer === undefined ? {} : { biasInitializer }),
    ...(l2 > 0 ? { kernelRegularizer: hb.regularizers.l2(l2) } : {}),
  };
  const layers: hb.Layer[] = [];
  for (const [i, units] of hidden.entries()) {
    layers.push(hb.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [784] } : {}), ...weights }));
    if (dropout > 0) layers.push(hb.layers.dropout({ rate: dropout }));
  }
  layers.push(hb.layers.dense({ units: 10, activation: 'softmax', ...weights }));
  return hb.sequential(layers);
}

/** Classification accuracy of `model` on `split`, in [0, 1]: argmax of the prediction vs the label. */
export function accuracy(model: hb.Model, split: MnistSplit): number {
  return hb.tidy(() => {
    const p = model.predict(split.x, { batchSize: 1000 }) as hb.Tensor;
    return hb.mean(hb.cast(hb.equal(hb.argmax(p, -1), split.labels), 'float32')).item();
  });
}

/** The model's compiled loss on `split` (regularisation terms included, as Keras reports it). */
export async function lossOf(model: hb.Model, split: MnistSplit): Promise<number> {
  return (await model.evaluate(split.x, split.y, { batchSize: 1000 })).loss;
}

/** Mean categorical cross-entropy of `model`'s predictions on `split` (no regularisation terms). */
export function crossEntropy(model: hb.Model, split: MnistSplit): number {
  return hb.tidy(() => hb.mean(hb.losses.categoricalCrossentropy(split.y, model.predict(split.x, { batchSize: 1000 }) as hb.Tensor)).item());
}
