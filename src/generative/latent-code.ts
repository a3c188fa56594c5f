// A categorical latent code read off z, for InfoGAN (Chen et al. 2016) without a second input:
// the first `classes` entries of z [N, L] choose a category, c = one-hot(argmax(z[:, :classes])).
// With z standard normal every category is equally likely (1 / classes), so a generator that
// takes z alone still draws its code from InfoGAN's uniform categorical prior, and whoever feeds
// it standard normal z gets the same distribution of images. The code is piecewise constant in z,
// so no gradient flows back through it (in-painting, which optimises z, moves the continuous part).
// The GAN adds InfoGAN's mutual-information term: a head Q on the discriminator predicts c from
// G(z), and both networks minimise the cross-entropy of that prediction (gan.ts).
import { is, ShapeError, ValueError } from '../base/index.js';
import { type CallArgs, type Config, isShapeList, type LayerArgs, type LayerInput, registerLayer, type Shape } from '../nn/index.js';
import { ConfigurableLayer } from '../nn/layer.js';
import { cast, equal, max, slice, stopGradient } from '../ops/index.js';
import { Tensor } from '../tensor/index.js';

/** c = one-hot(argmax(z[:, :classes])) as float32 [N, classes], without gradient. */
export function latentCode(z: Tensor, classes: number): Tensor {
  if (z.rank !== 2 || z.shape[1] < classes) throw new ShapeError(`latentCode: needs z [N, ≥ ${classes}], got [${z.shape.join(',')}]`);
  const head = stopGradient(slice(z, [0, 0], [-1, classes]));
  // Ties between standard normal draws have probability zero.
  return cast(equal(head, max(head, 1, true)), 'float32');
}

/** Options of the {@link LatentCode} layer. */
export interface LatentCodeArgs extends LayerArgs {
  /** Number of categories (≥ 2), read off the first `classes` entries of z. */
  classes: number;
}

/** [N, L] → one-hot [N, classes] of the largest of the first `classes` entries (see {@link latentCode}). */
export class LatentCode extends ConfigurableLayer {
  static override readonly className = 'LatentCode';
  static override readonly options = { classes: is.posInt };
  readonly classes: number;

  constructor(args: LatentCodeArgs) {
    super(args);
    if (!Number.isInteger(args?.classes) || args.classes < 2) throw new ValueError(`LatentCode: classes must be an integer ≥ 2, got ${String(args?.classes)}`);
    this.classes = args.classes;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    if (Array.isArray(inputs) && inputs.length !== 1) throw new ShapeError(`LatentCode '${this.name}': expects one input tensor, got ${inputs.length}`);
    const z = inputs instanceof Tensor ? inputs : inputs[0];
    if (z.rank !== 2 || z.shape[1] < this.classes) throw new ShapeError(`LatentCode '${this.name}': needs [N, ≥ ${this.classes}], got [${z.shape.join(',')}]`);
    return latentCode(z, this.classes);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    if (isShapeList(inputShape) && inputShape.length !== 1) throw new ShapeError(`LatentCode '${this.name}': expects one input, got ${inputShape.length} shapes`);
    const s = isShapeList(inputShape) ? inputShape[0] : inputShape;
    const width = s?.[1];
    if (s === undefined || s.length !== 2 || (width !== null && width !== undefined && width < this.classes)) {
      throw new ShapeError(`LatentCode '${this.name}': needs [N, ≥ ${this.classes}], got [${s?.join(',')}]`);
    }
    return [s[0], this.classes];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), classes: this.classes };
  }
}
registerLayer(LatentCode);
