// Greedy layer-wise pre-training (Hinton, Osindero & Teh 2006; Bengio et al. 2007): the hidden
// dense layers of a Sequential model are initialised one at a time, bottom up, from unlabelled
// data. Layer ℓ is trained as
//   'rbm'                   a Bernoulli RBM on the layer's input (CD-1): W ← W_rbm, bias ← c_rbm;
//   'autoencoder'           an auto-encoder input → layer → dense(in, sigmoid) → input;
//   'denoisingAutoencoder'  the same, reconstructing the clean input from one with a fraction
//                           `noiseRate` of its entries set to 0 (masking noise; Vincent et al. 2008);
// then its outputs on the data become the next layer's input. The last dense layer (the
// classifier) is left as it is; fine-tuning is an ordinary compile + fit afterwards.
import { checkOptions, is, ValueError } from '../base/index.js';
import { MaskingNoise } from '../generative/index.js';
import { input, Model, type Sequential } from '../model/index.js';
import { layers, type SymbolicTensor } from '../nn/index.js';
import { concat, reshape, slice } from '../ops/index.js';
import { adam } from '../optim/index.js';
import { keep, noGrad, type Tensor, tidy } from '../tensor/index.js';
import { RBM } from './rbm.js';

/** How {@link pretrain} trains each layer: as an RBM, an auto-encoder, or a denoising auto-encoder. */
export type PretrainMethod = 'rbm' | 'autoencoder' | 'denoisingAutoencoder';

/**
 * Options of {@link pretrain}: the method, epochs per layer, batch size, learning rate, and the method's own
 * parameters.
 */
export interface PretrainOptions {
  method: PretrainMethod;
  /** Epochs per layer (default 5). */
  epochs?: number;
  batchSize?: number;
  /**
   * RBM: the CD learning rate (default 0.05); auto-encoders: Adam's (default 0.01: at Adam's usual 0.001 a
   * layer given a few epochs of a few thousand digits learns no more than the mean image).
   */
  learningRate?: number;
  /** RBM: Gibbs steps of CD-k (default 1). */
  k?: number;
  /** Denoising: fraction of the inputs masked to 0 (default 0.25). */
  noiseRate?: number;
  /** Seeds the RBMs and the auto-encoders' initial weights. */
  seed?: number;
  /** Called after each layer with its index among the dense layers and its final reconstruction error. */
  onLayerEnd?: (layer: number, logs: { reconstructionError: number }) => void;
}

const SPEC = {
  method: is.oneOf('rbm', 'autoencoder', 'denoisingAutoencoder'), epochs: is.posInt, batchSize: is.posInt, learningRate: is.positive,
  k: is.posInt, noiseRate: is.range(0, 1, true), seed: is.int, onLayerEnd: is.fn,
};

type DenseLayer = InstanceType<typeof layers.Dense>;

// Adam's step for the auto-encoders. At 0.001, 90 steps (3 epochs of 3,000 digits in batches
// of 100, examples/pretraining.ts) left the first layer's reconstruction cross-entropy at 0.266,
// no better than predicting the mean image (0.262): the hidden units had drifted towards a
// constant (mean activation 0.92), so they carried almost nothing about the digit and the fine-tuned
// network stayed at chance (88.3 % error, every digit called a 1). At 0.01 the same budget
// reaches 0.181 and the fine-tuned error is 21 %. test/unsupervised/rbm.test.ts checks it.
const AUTOENCODER_LEARNING_RATE = 1e-2;

/**
 * Initialise the hidden dense layers of `model` greedily from x (unlabelled; values in [0, 1]
 * for the RBM and the sigmoid reconstructions). Returns the reconstruction error of each layer.
 */
export async function pretrain(model: Sequential | Model, x: Tensor, options: PretrainOptions): Promise<number[]> {
  const o = checkOptions('pretrain', options, SPEC);
  if (o.method === undefined) throw new ValueError("pretrain: method is required: 'rbm', 'autoencoder' or 'denoisingAutoencoder'");
  const all = model.layers.filter((l) => l.className !== 'InputLayer');
  const dense = all.filter((l): l is DenseLayer => l instanceof layers.Dense);
  if (dense.length < 2) throw new ValueError(`pretrain: model '${model.name}' needs at least one hidden dense layer before its output layer`);
  const hidden = dense.slice(0, -1);
  const epochs = o.epochs ?? 5;
  const batchSize = o.batchSize ?? 64;
  const errors: number[] = [];
  // h: the current layer's input on the data, computed in inference mode.
  let h = x;
  let position = 0;
  for (const [index, layer] of hidden.entries()) {
    // Run the layers between the previous dense layer and this one (flatten, dropout, …).
    const upTo = all.indexOf(layer);
    h = advance(h, all.slice(position, upTo));
    position = upTo + 1;
    if (h.rank !== 2) h = keep(reshape(h, [h.shape[0], -1]));
    const inDim = h.shape[1];
    let error: number;
    if (o.method === 'rbm') {
      const machine = new RBM({ visibleUnits: inDim, hiddenUnits: layer.units, seed: (o.seed ?? 0) + index });
      const r = machine.fit(h, { epochs, batchSize, learningRate: o.learningRate ?? 0.05, k: o.k ?? 1, momentum: 0.5 });
      error = r.reconstructionError[r.reconstructionError.length - 1];
      layer.setWeights(layer.useBias ? [machine.W, machine.c] : [machine.W]);
    } else {
      error = await trainAutoencoderLayer(layer, h, {
        epochs, batchSize, learningRate: o.learningRate ?? AUTOENCODER_LEARNING_RATE, noiseRate: o.method === 'denoisingAutoencoder' ? (o.noiseRate ?? 0.25) : 0,
      });
    }
    errors.push(error);
    o.onLayerEnd?.(index, { reconstructionError: error });
    h = advance(h, [layer]);
  }
  return errors;
}

/** Apply `ls` to h in inference mode, in batches; returns a kept tensor. */
function advance(h: Tensor, ls: readonly { apply: DenseLayer['apply'] }[]): Tensor {
  if (ls.length === 0) return h;
  const pieces: Tensor[] = [];
  for (let s = 0; s < h.shape[0]; s += 1000) {
    pieces.push(tidy(() => noGrad(() => {
      let t = slice(h, [s], [Math.min(1000, h.shape[0] - s)]);
      for (const l of ls) t = l.apply(t, { training: false }) as Tensor;
      return keep(t);
    })));
  }
  const out = keep(pieces.length === 1 ? pieces[0] : concat(pieces, 0));
  return out;
}

/** Train `layer` as the encoder of a one-hidden-layer auto-encoder on h [N, in]; returns its final loss. */
async function trainAutoencoderLayer(layer: DenseLayer, h: Tensor, o: { epochs: number; batchSize: number; learningRate: number; noiseRate: number }): Promise<number> {
  const inDim = h.shape[1];
  const x = input({ shape: [inDim] });
  const corrupted = o.noiseRate > 0 ? (new MaskingNoise({ rate: o.noiseRate }).apply(x) as SymbolicTensor) : x;
  const encoder = layers.dense({ units: layer.units, activation: layer.activation, useBias: layer.useBias });
  const code = encoder.apply(corrupted) as SymbolicTensor;
  const out = layers.dense({ units: inDim, activation: 'sigmoid' }).apply(code) as SymbolicTensor;
  const ae = new Model({ inputs: x, outputs: out });
  // Cross-entropy reconstruction (inputs in [0, 1]: pixels, or sigmoid units below).
  ae.compile({ optimizer: adam({ learningRate: o.learningRate }), loss: 'binaryCrossentropy' });
  const history = await ae.fit(h, h, { epochs: o.epochs, batchSize: o.batchSize, verbose: 0 });
  layer.setWeights(encoder.getWeights());
  const losses = history.history.loss;
  return losses[losses.length - 1];
}
