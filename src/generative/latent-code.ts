// A categorical latent code read off z, for InfoGAN (Chen et al. 2016) without a second input:
// the first `classes` entries of z [N, L] choose a category, c = one-hot(argmax(z[:, :classes])).
// With z standard normal every category is equally likely (1 / classes), so a generator that
// takes z alone still draws its code from InfoGAN's uniform categorical prior, and whoever feeds
// it standard normal z gets the same distribution of images. The code is piecewise constant in z,
// so no gradient flows back through it (in-painting, which optimises z, moves the continuous part).
// The GAN adds InfoGAN's mutual-information term: a head Q on the discriminator predicts c from
// G(z), and both networks minimise the cross-entropy of that prediction (gan.ts).
import { type Check, ShapeError } from '../base/index.js';
import { type CallArgs, isShapeList, type LayerArgs, type LayerInput, registerLayer, type Shape } from '../nn/index.js';
import { ConfigurableLayer } from '../nn/layer.js';
import { field, type OwnOptions, required } from '../nn/options.js';
import { cast, equal, max, slice, stopGradient } from '../ops/index.js';
import { Tensor } from '../tensor/index.js';

/** c = one-hot(argmax(z[:, :classes])) as float32 [N, classes], without gradient. */
export function latentCode(z: Tensor, classes: number): Tensor {
  if (z.rank !== 2 || z.shape[1] < classes) throw new ShapeError(`latentCode: needs z [N, ≥ ${classes}], got [${z.shape.join(',')}]`);
  const head = stopGradient(slice(z, [0, 0], [-1, classes]));
  // Ties between standard normal draws have probability zero.
  return cast(equal(head, max(head, 1, true)), 'float32');
}

/** A code needs at least two categories. */
const atLeastTwo: Check = (v) => (Number.isInteger(v) && (v as number) >= 2 ? null : 'an integer ≥ 2');

/** Options of the {@link LatentCode} layer. */
export interface LatentCodeArgs extends LayerArgs {
  /** Number of categories (≥ 2), read off the first `classes` entries of z. */
  classes: number;
}

/** [N, L] → one-hot [N, classes] of the largest of the first `classes` entries (see {@link latentCode}). */
export class LatentCode extends ConfigurableLayer<LatentCodeArgs> {
  static override readonly className = 'LatentCode';
  static override readonly options: OwnOptions<LatentCodeArgs> = { classes: required(field(atLeastTwo)) };
  declare readonly classes: number;

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    if (Array.isArray(inputs) && inputs.length !== 1) throw new ShapeError(`LatentCode '${this.name}': expects one input tensor, got ${inputs.length}`);
    return latentCode(inputs instanceof Tensor ? inputs : inputs[0], this.classes);
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
}
registerLayer(LatentCode);
