// CRNN (Shi, Bai & Yao 2015) for digit strips: a convolutional feature extractor turns the
// 32×448 strip into a sequence of 56 columns, a bidirectional GRU (or LSTM) stack reads the
// columns in both directions, and a dense layer scores each column over 11 classes (digits 0–9
// and the CTC blank, class 10). Train it with the ctc loss (blank 10) and read it with
// hb.ctcDecode.
//
// Shapes (default options, input [32, 448, 1]):
//   conv 3×3 16 (bias), ReLU, max pool 2  [16, 224, 16]
//   conv 3×3 32, BN, ReLU, max pool 2     [8, 112, 32]
//   conv 3×3 64, BN, ReLU, max pool 2     [4, 56, 64]
//   (conv 3×3 f, BN, ReLU) for every filter count after the third, without pooling
//   permute + reshape (columns)           [56, 256]      T = width / 8 columns of 4·64 features
//   dense 64, ReLU (per column)           [56, 64]
//   bidirectional GRU × layers (concat)   [56, 2·units]
//   dense 11 (per column)                 [56, 11]       logits (no softmax: the ctc loss and
//                                                        ctcDecode apply log-softmax)
// Each column sees a receptive field of 36 px (three 3×3 convolutions with pooling), about one
// digit's width; the recurrent layers give every column the context of the whole strip.
//
// Why T = 56 and not fewer columns: CTC needs T ≥ length + (number of adjacent repeats), since a
// blank must separate two equal digits; 19 digits can need 37 columns, and at an advance of 16 px
// a digit spans only 16 / (448 / T) columns, so T = 28 would give one column per digit.
// Why no batch normalisation in the first block: at full resolution (16 × 32 × 448 values per
// strip) its elementwise passes took about 30 % of a training step's kernel time (wasm backend,
// batch 32), more than any convolution; without it the step's CPU time fell by 13 %. The input
// is already in [0, 1], so the block trains without it.
// Why GRU by default: the fused GRU kernel (ops/recurrent.ts) has three gates to the LSTM's four;
// with it a training step of this model took 22 % less CPU time than with the LSTM.
import { ValueError } from '../base/index.js';
import { checkOptions, is, type OptionSpec } from '../base/options.js';
import { input, type Model, model } from '../model/index.js';
import { layers as nn } from '../nn/index.js';

/** Options of {@link crnn}: strip shape, classes (with the blank), recurrent cell, units and layers. */
export interface CrnnOptions {
  /** One strip's shape [height, width, channels] (default [32, 448, 1]); height and width must be multiples of 8. */
  inputShape?: readonly number[];
  /** Classes per column including the blank (default 11: digits 0–9 and blank = 10). */
  classes?: number;
  /** The recurrent cell: 'gru' (default; Keras 3's resetAfter form) or 'lstm'. */
  cell?: 'gru' | 'lstm';
  /** Units of each recurrent direction (default 64). */
  units?: number;
  /** Bidirectional recurrent layers (default 2). */
  layers?: number;
  /**
   * Convolution filters of the blocks (default [16, 32, 64]): the first three pool 2×2; any further block (conv 3×3,
   * BN, ReLU) works at the pooled resolution and widens each column's receptive field by 16 px.
   */
  filters?: readonly number[];
  /** Units of the per-column projection before the recurrent stack (default 64). */
  projectUnits?: number;
  /** Dropout rate on the projected columns, during training only (default 0). */
  dropout?: number;
}

const SPEC: OptionSpec<CrnnOptions> = {
  inputShape: is.intArray,
  classes: is.posInt,
  cell: is.oneOf('gru', 'lstm'),
  units: is.posInt,
  layers: is.posInt,
  filters: is.intArray,
  projectUnits: is.posInt,
  dropout: is.range(0, 1, true),
};

/** The CRNN digit-string reader; output logits [N, width / 8, classes]. */
export function crnn(options: CrnnOptions = {}): Model {
  const o = checkOptions('zoo.crnn', options, SPEC);
  const [h, w, c] = o.inputShape ?? [32, 448, 1];
  if ((o.inputShape?.length ?? 3) !== 3 || h % 8 !== 0 || w % 8 !== 0 || !(c > 0)) {
    throw new ValueError(`zoo.crnn: inputShape must be [height, width, channels] with height and width multiples of 8, got ${JSON.stringify(o.inputShape)}`);
  }
  const filters = o.filters ?? [16, 32, 64];
  if (filters.length < 3 || filters.some((f) => f < 1)) throw new ValueError(`zoo.crnn: filters must be three or more positive integers, got ${JSON.stringify(filters)}`);
  const classes = o.classes ?? 11;
  const units = o.units ?? 64;
  const x = input({ shape: [h, w, c], name: 'strip' });
  let y = x;
  filters.forEach((f, i) => {
    // The first block has a bias instead of batch normalisation (see the header).
    y = nn.conv2d({ name: `conv${i + 1}`, filters: f, kernelSize: 3, padding: 'same', useBias: i === 0 }).apply(y);
    // Momentum 0.9: a short training run's moving statistics must catch up with the batch ones.
    if (i > 0) y = nn.batchNormalization({ name: `bn${i + 1}`, momentum: 0.9 }).apply(y);
    y = nn.reLU({ name: `relu${i + 1}` }).apply(y);
    if (i < 3) y = nn.maxPooling2d({ name: `pool${i + 1}`, poolSize: 2 }).apply(y);
  });
  const t = w / 8;
  // [N, h/8, T, f] → [N, T, h/8, f] → [N, T, h/8·f]: one feature vector per column.
  y = nn.permute({ name: 'columns', dims: [2, 1, 3] }).apply(y);
  y = nn.reshape({ name: 'sequence', targetShape: [t, (h / 8) * filters[filters.length - 1]] }).apply(y);
  y = nn.dense({ name: 'project', units: o.projectUnits ?? 64, activation: 'relu' }).apply(y);
  if ((o.dropout ?? 0) > 0) y = nn.dropout({ name: 'dropout', rate: o.dropout ?? 0 }).apply(y);
  const cell = o.cell ?? 'gru';
  for (let i = 0; i < (o.layers ?? 2); i++) {
    const name = `${cell}${i + 1}`;
    const layer = cell === 'gru' ? nn.gru({ name, units, returnSequences: true }) : nn.lstm({ name, units, returnSequences: true });
    y = nn.bidirectional({ name: `bi${name}`, layer }).apply(y);
  }
  const logits = nn.dense({ name: 'logits', units: classes }).apply(y);
  return model({ inputs: x, outputs: logits, name: 'crnn' });
}
