// LeNet-5 (LeCun et al. 1998) as the lectures draw it for MNIST, in its modern form: ReLU instead
// of scaled tanh, max pooling instead of trainable subsampling, a full C3 connection table and
// a softmax output instead of RBF units. The first convolution pads 'same', so a 28×28 MNIST
// digit plays the role of the paper's 32×32 input and the later shapes match the paper.
//
// Shapes and parameters (f·f·C_in·C_out + C_out for a conv, n_in·n_out + n_out for a dense):
//   input                    [28, 28, 1]
//   C1 conv 6@5×5 'same'     [28, 28, 6]    5·5·1·6   + 6   =    156
//   S2 max pool 2            [14, 14, 6]                          0
//   C3 conv 16@5×5 'valid'   [10, 10, 16]   5·5·6·16  + 16  =  2,416
//   S4 max pool 2            [5, 5, 16]                           0
//   flatten                  [400]
//   C5 dense 120             [120]          400·120   + 120 = 48,120
//   F6 dense 84              [84]           120·84    + 84  = 10,164
//   output dense 10          [10]           84·10     + 10  =    850
//   total                                                    61,706
import type { Shape } from '../nn/index.js';
import { checkZooArgs, type Model, nn, sequential, type ZooOptions } from './common.js';

/** LeNet-5 for `inputShape` images (default [28, 28, 1]) and `classes` outputs (default 10). */
export function lenet5({ inputShape = [28, 28, 1], classes = 10 }: ZooOptions = {}): Model {
  checkZooArgs('lenet5', inputShape, classes, 3);
  // Layer names follow the paper (C1, S2, …), so summaries and reports read like the lectures.
  return sequential([
    nn.conv2d({ name: 'c1', filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [...inputShape] as Shape }),
    nn.maxPooling2d({ name: 's2', poolSize: 2 }),
    nn.conv2d({ name: 'c3', filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
    nn.maxPooling2d({ name: 's4', poolSize: 2 }),
    nn.flatten({ name: 'flatten' }),
    // C5 is a 5×5 convolution over a 5×5 input in the paper: a dense layer on the flattened maps.
    nn.dense({ name: 'c5', units: 120, activation: 'relu' }),
    nn.dense({ name: 'f6', units: 84, activation: 'relu' }),
    nn.dense({ name: 'output', units: classes, activation: 'softmax' }),
  ], 'lenet5');
}
