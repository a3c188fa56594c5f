// Minibatch standard deviation (Karras et al. 2018, "Progressive growing of GANs", §3): a
// discriminator layer that lets D see how varied its batch is, so that a generator that drops
// modes (draws too few of some digits, or near-copies of one) is easier to tell from real data.
// For a batch x [N, …, C] (the last axis is channels, or features for [N, F]):
//   μ = mean over n of x,   s = sqrt(mean over n of (x − μ)² + ε)   (per feature and position)
//   m = mean of s over every feature and position                   (one number per batch)
// and the output is x with m appended as one more channel at every position: [N, …, C + 1].
// The whole batch is one group (ProGAN splits it into groups of 4). The gradient of m reaches
// every sample: ∂m/∂x_nf = (x_nf − μ_f) / (N · s_f · F), F the number of (feature, position)s.
import { is, ShapeError } from '../base/index.js';
import { type CallArgs, type Config, isShapeList, type LayerArgs, type LayerInput, registerLayer, type Shape } from '../nn/index.js';
import { ConfigurableLayer } from '../nn/layer.js';
import { add, broadcastTo, concat, mean, sqrt, square, sub } from '../ops/index.js';
import { Tensor } from '../tensor/index.js';

/** Options of the {@link MinibatchStdDev} layer. */
export interface MinibatchStdDevArgs extends LayerArgs {
  /** ε added to the variance before the square root (default 1e-8). */
  epsilon?: number;
}

/** Appends the batch's mean standard deviation as one more channel: [N, …, C] → [N, …, C + 1]. */
export class MinibatchStdDev extends ConfigurableLayer {
  static override readonly className = 'MinibatchStdDev';
  static override readonly options = { epsilon: is.positive };
  readonly epsilon: number;

  constructor(args: MinibatchStdDevArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-8;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    if (Array.isArray(inputs) && inputs.length !== 1) throw new ShapeError(`MinibatchStdDev '${this.name}': expects one input tensor, got ${inputs.length}`);
    const x = inputs instanceof Tensor ? inputs : inputs[0];
    if (x.rank < 2) throw new ShapeError(`MinibatchStdDev '${this.name}': needs [N, …, C], got [${x.shape.join(',')}]`);
    const centred = sub(x, mean(x, 0, true));
    const s = sqrt(add(mean(square(centred), 0), this.epsilon));
    const m = mean(s);
    const plane = broadcastTo(m, [...x.shape.slice(0, -1), 1]);
    return concat([x, plane], x.rank - 1);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = isShapeList(inputShape) ? inputShape[0] : inputShape;
    if (isShapeList(inputShape) && inputShape.length !== 1) throw new ShapeError(`MinibatchStdDev '${this.name}': expects one input, got ${inputShape.length} shapes`);
    if (s === undefined || s.length < 2) throw new ShapeError(`MinibatchStdDev '${this.name}': needs [N, …, C]`);
    const c = s[s.length - 1];
    return [...s.slice(0, -1), c === null ? null : c + 1];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
registerLayer(MinibatchStdDev);
