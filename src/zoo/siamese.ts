// Siamese networks for verification and one-shot learning (Bromley et al. 1993; Taigman et al.
// 2014; Koch et al. 2015): one encoder f — the same layer object, so the same weights — embeds
// both images, and a head compares the embeddings:
//   'distance'  d(xᵢ, xⱼ) = ‖f(xᵢ) − f(xⱼ)‖₂, trained with the contrastive loss (hb.losses.contrastive:
//               y = 1 for a same-class pair pulls d to 0, y = 0 pushes d past the margin);
//   'logistic'  ŷ = σ(Σₖ wₖ |f(xᵢ)ₖ − f(xⱼ)ₖ| + b), trained with binary cross-entropy (the decks'
//               DeepFace head). The weights are kept ≤ 0 (a clip constraint): the head is then a
//               learned weighted L1 distance, and "same" can only become less likely as the
//               embeddings move apart. Unconstrained, a head trained on a few classes learns
//               signs that tell *those* classes' pairs apart and scores pairs of new classes at
//               chance (measured on MNIST 0–4 → 5–9: ROC-AUC 0.55, see examples/siamese.ts).
// normalize: true puts an L2Normalize layer on the embeddings (‖f(x)‖ = 1, FaceNet), so distances
// lie in [0, 2] and the contrastive margin has a fixed scale.
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import { input, Model, model, sequential } from '../model/index.js';
import { constraints, initializers, Layer, type LayerArgs, type LayerInput, layers as nn, registerLayer, type Config, type Shape, type CallArgs } from '../nn/index.js';
import { abs, add, div, gather, matmul, maximum, mean, mul, relu, reshape, sqrt, square, sub, sum, transpose } from '../ops/index.js';
import { type Tensor, tensor } from '../tensor/index.js';

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

/** x / ‖x‖₂ over the last axis (the norm floored at 1e-6, so a zero vector stays finite). */
export class L2Normalize extends Layer {
  static override readonly className = 'L2Normalize';

  call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return div(x, sqrt(maximum(sum(square(x), -1, true), 1e-12)));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  static fromConfig(config: Config): L2Normalize {
    return new L2Normalize(config as LayerArgs);
  }
}
registerLayer(L2Normalize);

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
  /** L2-normalise the embeddings before the head (default false). */
  normalize?: boolean;
}

const SPEC = {
  encoder: (v: unknown) => (v instanceof Model ? null : 'a model'),
  head: is.oneOf('distance', 'logistic'),
  inputShape: is.intArray,
  embeddingDim: is.posInt,
  normalize: is.bool,
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
  let fa = encoder.apply(a);
  let fb = encoder.apply(b);
  if (opts.normalize) {
    const unit = new L2Normalize({ name: 'l2_normalize' });
    fa = unit.apply(fa);
    fb = unit.apply(fb);
  }
  if (opts.head === 'logistic') {
    const diff = new PairDistance({ name: 'abs_diff', mode: 'absDiff' }).apply([fa, fb]);
    // w ≤ 0 (see the file comment), starting at a small negative value: a weighted L1 distance.
    const p = nn.dense({
      name: 'same_probability', units: 1, activation: 'sigmoid',
      kernelInitializer: initializers.constant({ value: -0.1 }),
      kernelConstraint: constraints.clipValue({ minValue: -1e6, maxValue: 0 }),
    }).apply(diff);
    return model({ inputs: [a, b], outputs: p, name: 'siamese_logistic' });
  }
  const d = new PairDistance({ name: 'distance', mode: 'euclidean' }).apply([fa, fb]);
  return model({ inputs: [a, b], outputs: d, name: 'siamese_distance' });
}

/** Options of {@link tripletSemiHardLoss}: the `margin` α (default 0.2). */
export interface TripletSemiHardOptions {
  /** α: how much farther (in squared distance) the negative must be than the positive (default 0.2). */
  margin?: number;
}

/**
 * Batch triplet loss with semi-hard negative mining (Schroff et al. 2015, FaceNet): every pair
 * (a, p) of samples with the same label is an anchor and a positive; its negative n is the
 * closest sample of another label that is still farther than p (d(a, n) > d(a, p), the
 * semi-hard one), or, when there is none, the farthest sample of another label. The loss is
 * mean over the pairs of max(d(a, p) − d(a, n) + α, 0), with d the squared Euclidean distance.
 * As a compile loss: labels [N] (or [N, 1]) as y, embeddings [N, D] as the model's output, e.g.
 *   encoder.compile({ optimizer, loss: (y, e) => hb.zoo.tripletSemiHardLoss(y, e, { margin: 0.5 }) })
 * The choice of n reads the distances' values; the gradient flows through d(a, p) and d(a, n).
 */
export function tripletSemiHardLoss(labels: Tensor, embeddings: Tensor, options: TripletSemiHardOptions = {}): Tensor {
  const op = 'zoo.tripletSemiHardLoss';
  const { margin = 0.2 } = checkOptions(op, options, { margin: is.nonNegative });
  if (embeddings.rank !== 2) throw new ShapeError(`${op}: embeddings must be [N, D], got [${embeddings.shape.join(', ')}]`);
  const n = embeddings.shape[0];
  if (labels.size !== n) throw new ShapeError(`${op}: labels [${labels.shape.join(', ')}] must hold one label per embedding (${n})`);
  const e = embeddings;
  const sq = sum(square(e), -1, true);
  // ‖eᵢ − eⱼ‖² = ‖eᵢ‖² + ‖eⱼ‖² − 2 eᵢ·eⱼ, floored at 0 against rounding.
  const d2 = relu(sub(add(sq, transpose(sq)), mul(matmul(e, transpose(e)), 2)));
  const dist = d2.dataSync();
  const lab = labels.dataSync();
  const pos: number[] = [];
  const neg: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let p = 0; p < n; p++) {
      if (p === a || lab[p] !== lab[a]) continue;
      const dap = dist[a * n + p];
      let semiHard = -1;
      let farthest = -1;
      for (let k = 0; k < n; k++) {
        if (lab[k] === lab[a]) continue;
        const dak = dist[a * n + k];
        if (dak > dap && (semiHard < 0 || dak < dist[a * n + semiHard])) semiHard = k;
        if (farthest < 0 || dak > dist[a * n + farthest]) farthest = k;
      }
      if (farthest < 0) continue; // every sample has this label: no triplet
      pos.push(a * n + p);
      neg.push(a * n + (semiHard >= 0 ? semiHard : farthest));
    }
  }
  if (pos.length === 0) return mul(sum(d2), 0);
  const flat = reshape(d2, [n * n]);
  const pick = (idx: number[]): Tensor => gather(flat, tensor(idx, [idx.length], 'int32'));
  return mean(relu(add(sub(pick(pos), pick(neg)), margin)));
}
