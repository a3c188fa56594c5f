// The multilayer perceptron of the lectures' MNIST experiments: 784-500-500-10, two ReLU hidden
// layers and a softmax output.
//
// Parameters (weights + biases):
//   dense 784→500   784·500 + 500 = 392,500
//   dense 500→500   500·500 + 500 = 250,500
//   dense 500→10    500·10  + 10  =   5,010
//   total                          648,010
import { ValueError } from '../base/index.js';
import type { Shape } from '../nn/index.js';
import { checkZooArgs, type Model, nn, sequential, type ZooOptions } from './common.js';

/** Options of {@link mlp}: the zoo options plus the `hidden` layer sizes. */
export interface MlpOptions extends ZooOptions {
  /** Units of each hidden layer (default [500, 500]). */
  hidden?: readonly number[];
}

/**
 * `inputShape` [28, 28, 1] (images, flattened first) or [784] (vectors); `classes` outputs with
 * softmax. Build it, compile it, fit it.
 */
export function mlp({ inputShape = [28, 28, 1], classes = 10, hidden = [500, 500] }: MlpOptions = {}): Model {
  checkZooArgs('mlp', inputShape, classes);
  if (!Array.isArray(hidden) || hidden.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new ValueError(`zoo.mlp: hidden must be a list of positive whole numbers (units per layer), got ${JSON.stringify(hidden)}`);
  }
  const input = [...inputShape] as Shape;
  const layers = [
    // Flatten turns [28, 28, 1] into [784]; a vector input needs no flattening.
    ...(input.length > 1 ? [nn.flatten({ name: 'flatten', inputShape: input })] : []),
    ...hidden.map((units, i) => nn.dense({ name: `hidden${i + 1}`, units, activation: 'relu', ...(i === 0 && input.length === 1 ? { inputShape: input } : {}) })),
    nn.dense({ name: 'output', units: classes, activation: 'softmax' }),
  ];
  return sequential(layers, 'mlp');
}
