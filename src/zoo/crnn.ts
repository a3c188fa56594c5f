// CRNN (Shi, Bai & Yao 2015) for digit strips: a convolutional feature extractor turns the
// 32×448 strip into a sequence of 56 columns, a bidirectional LSTM stack reads the columns in
// both directions, and a dense layer scores each column over 11 classes (digits 0–9 and the
// CTC blank, class 10). Train it with the ctc loss (blank 10) and read it with hb.ctcDecode.
//
// Shapes (default options, input [32, 448, 1]):
//   conv 3×3 16, BN, ReLU, max pool 2     [16, 224, 16]
//   conv 3×3 32, BN, ReLU, max pool 2     [8, 112, 32]
//   conv 3×3 64, BN, ReLU, max pool 2     [4, 56, 64]
//   permute + reshape (columns)           [56, 256]      T = width / 8 columns of 4·64 features
//   dense 64, ReLU (per column)           [56, 64]
//   bidirectional LSTM × layers (concat)  [56, 2·units]
//   dense 11 (per column)                 [56, 11]       logits (no softmax: the ctc loss and
//                                                        ctcDecode apply log-softmax)
// Each column sees a receptive field of 36 px (three 3×3 convolutions with pooling), about one
// digit's width; the recurrent layers give every column the context of the whole strip.
import { ValueError } from '../base/index.js';
import { checkOptions, is, type OptionSpec } from '../base/options.js';
import { input, type Model, model } from '../model/index.js';
import { layers as nn } from '../nn/index.js';

/** Options of {@link crnn}: strip shape, classes (with the blank), LSTM units and layers. */
export interface CrnnOptions {
  /** One strip's shape [height, width, channels] (default [32, 448, 1]); height and width must be multiples of 8. */
  inputShape?: readonly number[];
  /** Classes per column including the blank (default 11: digits 0–9 and blank = 10). */
  classes?: number;
  /** Units of each LSTM direction (default 64). */
  units?: number;
  /** Bidirectional LSTM layers (default 2). */
  layers?: number;
  /** Convolution filters of the three blocks (default [16, 32, 64]). */
  filters?: readonly number[];
}

const SPEC: OptionSpec<CrnnOptions> = {
  inputShape: is.intArray,
  classes: is.posInt,
  units: is.posInt,
  layers: is.posInt,
  filters: is.intArray,
};

/** The CRNN digit-string reader; output logits [N, width / 8, classes]. */
export function crnn(options: CrnnOptions = {}): Model {
  const o = checkOptions('zoo.crnn', options, SPEC);
  const [h, w, c] = o.inputShape ?? [32, 448, 1];
  if ((o.inputShape?.length ?? 3) !== 3 || h % 8 !== 0 || w % 8 !== 0 || !(c > 0)) {
    throw new ValueError(`zoo.crnn: inputShape must be [height, width, channels] with height and width multiples of 8, got ${JSON.stringify(o.inputShape)}`);
  }
  const filters = o.filters ?? [16, 32, 64];
  if (filters.length !== 3 || filters.some((f) => f < 1)) throw new ValueError(`zoo.crnn: filters must be three positive integers, got ${JSON.stringify(filters)}`);
  const classes = o.classes ?? 11;
  const units = o.units ?? 64;
  const x = input({ shape: [h, w, c], name: 'strip' });
  let y = x;
  filters.forEach((f, i) => {
    y = nn.conv2d({ name: `conv${i + 1}`, filters: f, kernelSize: 3, padding: 'same', useBias: false }).apply(y);
    // Momentum 0.9: a short training run's moving statistics must catch up with the batch ones.
    y = nn.batchNormalization({ name: `bn${i + 1}`, momentum: 0.9 }).apply(y);
    y = nn.reLU({ name: `relu${i + 1}` }).apply(y);
    y = nn.maxPooling2d({ name: `pool${i + 1}`, poolSize: 2 }).apply(y);
  });
  const t = w / 8;
  // [N, h/8, T, f] → [N, T, h/8, f] → [N, T, h/8·f]: one feature vector per column.
  y = nn.permute({ name: 'columns', dims: [2, 1, 3] }).apply(y);
  y = nn.reshape({ name: 'sequence', targetShape: [t, (h / 8) * filters[2]] }).apply(y);
  y = nn.dense({ name: 'project', units: 64, activation: 'relu' }).apply(y);
  for (let i = 0; i < (o.layers ?? 2); i++) {
    y = nn.bidirectional({ name: `bilstm${i + 1}`, layer: nn.lstm({ name: `lstm${i + 1}`, units, returnSequences: true }) }).apply(y);
  }
  const logits = nn.dense({ name: 'logits', units: classes }).apply(y);
  return model({ inputs: x, outputs: logits, name: 'crnn' });
}
