// Siamese networks for verification and one-shot learning (Bromley et al. 1993; Taigman et al.
// 2014; Koch et al. 2015): one encoder f — the same layer object, so the same weights — embeds
// both images, and a head compares the embeddings:
//   'distance'  d(xᵢ, xⱼ) = ‖f(xᵢ) − f(xⱼ)‖₂, trained with the contrastive loss (hb.losses.contrastive:
//               y = 1 for a same-class pair pulls d to 0, y = 0 pushes d past the margin);
//   'logistic'  ŷ = σ(Σₖ wₖ |f(xᵢ)ₖ − f(xⱼ)ₖ| + b), trained with binary cross-entropy (the decks'
//               DeepFace head).
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import { input, Model, model, sequential } from '../model/index.js';
import { Layer, type LayerArgs, type LayerInput, layers as nn, registerLayer, type Config, type Shape, type CallArgs } from '../nn/index.js';
import { abs, maximum, sqrt, square, sub, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';

/**
 * How {@link PairDistance} compares two embeddings: their Euclidean distance or their elementwise absolute difference.
 */
export type PairMode = 'euclidean' | 'absDiff';

/** [a, b] → ‖a − b‖₂ as [N, 1] ('euclidean'), or |a − b| elementwise ('absDiff'). */
export class PairDistance extends Layer {
  static override readonly className = 'PairDistance';
  readonly mode: PairMode;

  constructor(args: LayerArgs & { mode?: PairMode } = {}) {
    const { mode = 'euclidean', ...rest } = args;
    super(rest);
    if (mode !== 'euclidean' && mode !== 'absDiff') throw new ValueError(`PairDistance: mode must be 'euclidean' or 'absDiff', got ${JSON.stringify(mode)}`);
    this.mode = mode;
  }

  call(inputs: LayerInput, _args: CallArgs): Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new ValueError(`PairDistance '${this.name}': expects [a, b]`);
    const d = sub(inputs[0], inputs[1]);
    if (this.mode === 'absDiff') return abs(d);
    // The 1e-12 floor keeps the gradient of √ finite for identical embeddings.
    return sqrt(maximum(sum(square(d), -1, true), 1e-12));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [a, b] = inputShape as Shape[];
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || a.some((d, i) => d !== null && b[i] !== null && d !== b[i])) {
      throw new ShapeError(`PairDistance '${this.name}': the two embeddings must have the same shape, got ${JSON.stringify(inputShape)}`);
    }
    return this.mode === 'absDiff' ? [...a] : [...a.slice(0, -1), 1];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mode: this.mode };
  }

  static fromConfig(config: Config): PairDistance {
    return new PairDistance(config as LayerArgs & { mode?: PairMode });
  }
}
registerLayer(PairDistance);

/**
 * Options of {@link siamese}: the shared encoder and the head (a distance for the contrastive loss, or a logistic
 * similarity).
 */
export interface SiameseOptions {
  /** The shared encoder (one input, one embedding output). Default: a small conv net for [28, 28, 1] digits with a 64-d embedding. */
  encoder?: Model;
  /** 'distance' (default) or 'logistic'. */
  head?: 'distance' | 'logistic';
  /** Shape of one image for the default encoder (default [28, 28, 1]). */
  inputShape?: readonly number[];
  /** Embedding size of the default encoder (default 64). */
  embeddingDim?: number;
}

const SPEC = {
  encoder: (v: unknown) => (v instanceof Model ? null : 'a model'),
  head: is.oneOf('distance', 'logistic'),
  inputShape: is.intArray,
  embeddingDim: is.posInt,
};

/** The default encoder: conv 32 → pool → conv 64 → pool → dense embedding (linear). */
export function siameseEncoder({ inputShape = [28, 28, 1], embeddingDim = 64 }: { inputShape?: readonly number[]; embeddingDim?: number } = {}): Model {
  return sequential([
    nn.conv2d({ name: 'enc_conv1', filters: 32, kernelSize: 3, activation: 'relu', inputShape: [...inputShape] }),
    nn.maxPooling2d({ name: 'enc_pool1', poolSize: 2 }),
    nn.conv2d({ name: 'enc_conv2', filters: 64, kernelSize: 3, activation: 'relu' }),
    nn.maxPooling2d({ name: 'enc_pool2', poolSize: 2 }),
    nn.flatten({ name: 'enc_flatten' }),
    nn.dense({ name: 'embedding', units: embeddingDim }),
  ], { name: 'encoder' });
}

/** A Siamese pair model: inputs [xᵢ, xⱼ], output [N, 1] (a distance, or a same-class probability). */
export function siamese(options: SiameseOptions = {}): Model {
  const opts = checkOptions('zoo.siamese', options, SPEC);
  const encoder = opts.encoder ?? siameseEncoder({ inputShape: opts.inputShape, embeddingDim: opts.embeddingDim });
  if (encoder.inputs.length !== 1 || encoder.outputs.length !== 1) throw new ValueError(`zoo.siamese: the encoder must have one input and one output, got ${encoder.inputs.length} and ${encoder.outputs.length}`);
  const shape = encoder.inputs[0].shape.slice(1);
  const a = input({ shape, name: 'image_a' });
  const b = input({ shape, name: 'image_b' });
  // The same encoder object applied twice: one set of weights, two nodes in the graph.
  const fa = encoder.apply(a);
  const fb = encoder.apply(b);
  if (opts.head === 'logistic') {
    const diff = new PairDistance({ name: 'abs_diff', mode: 'absDiff' }).apply([fa, fb]);
    const p = nn.dense({ name: 'same_probability', units: 1, activation: 'sigmoid' }).apply(diff);
    return model({ inputs: [a, b], outputs: p, name: 'siamese_logistic' });
  }
  const d = new PairDistance({ name: 'distance', mode: 'euclidean' }).apply([fa, fb]);
  return model({ inputs: [a, b], outputs: d, name: 'siamese_distance' });
}
