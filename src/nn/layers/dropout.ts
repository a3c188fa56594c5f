// Regularisation layers that act only while training (args.training) and are the identity at
// inference: Dropout (inverted: survivors scaled by 1/(1 − rate), so nothing changes at test
// time), SpatialDropout1D/2D/3D (drop whole channels), GaussianNoise (additive N(0, σ²)) and
// GaussianDropout (multiplicative N(1, rate/(1 − rate))). A seed makes the sequence of masks
// reproducible: each call draws its own seed from a private generator.
import { type Check, Rng, ShapeError } from '../../base/index.js';
import { add, dropout, mul } from '../../ops/index.js';
import { randomNormal, type Tensor } from '../../tensor/index.js';
import { ConfigurableLayer, type LayerArgs, type LayerInput } from '../layer.js';
import { field, is, type LayerOptionSpec, type OwnOptions, opt, required } from '../options.js';
import { registerLayer } from '../registry.js';
import type { CallArgs, Shape } from '../types.js';
import { ElementwiseLayer } from './activation.js';
import { argError, fmt, type RankClass, rankVariants, single, singleShape, who } from './common.js';

/** Per-call seeds from the layer's optional seed: a private generator, started at the first call. */
class SeedStream {
  private rng: Rng | null | undefined;
  next(seed: number | null): number | undefined {
    if (this.rng === undefined) this.rng = seed === null ? null : new Rng(seed);
    return this.rng ? this.rng.nextUint32() : undefined;
  }
}

/** The kept `seed` option (null: the global random stream). */
const seedField = field(opt.seed, null);

/** Options of the {@link Dropout} layer (`hb.layers.dropout`). */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of units to drop, in [0, 1). */
  rate: number;
  /** Mask shape (null entries take the input's size), e.g. [null, 1, 1, null] drops channels. */
  noiseShape?: (number | null)[] | null;
  seed?: number | null;
}

const noiseShapeField = field(is.nullable(opt.shape), null, (ns, layer) => {
  if (ns !== null && !(ns as (number | null)[]).every((d) => d === null || d >= 1)) {
    throw argError(layer, `noiseShape must be a list of positive sizes or nulls, got ${JSON.stringify(ns)}`);
  }
  return ns === null ? null : [...(ns as (number | null)[])];
});

/**
 * Inverted dropout (Srivastava et al. 2014): while training, each value is zeroed with probability `rate` and the
 * others scaled by 1/(1 − rate); the identity at inference.
 */
export class Dropout<A extends DropoutArgs = DropoutArgs> extends ConfigurableLayer<A> {
  static override readonly className: string = 'Dropout';
  static override readonly options: LayerOptionSpec = { rate: required(field(opt.rate)), noiseShape: noiseShapeField, seed: seedField } satisfies OwnOptions<DropoutArgs>;
  declare readonly rate: number;
  declare readonly noiseShape: (number | null)[] | null;
  declare readonly seed: number | null;
  override supportsMasking = true;
  private readonly seeds = new SeedStream();

  /** The concrete mask shape for input `x`. */
  protected maskShape(x: Tensor): readonly number[] {
    if (this.noiseShape === null) return x.shape;
    if (this.noiseShape.length !== x.rank) throw new ShapeError(`${who(this)}: noiseShape ${fmt(this.noiseShape)} does not match input ${fmt(x.shape)}`);
    return this.noiseShape.map((d, i) => d ?? x.shape[i]);
  }

  override call(inputs: LayerInput, args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!args.training || this.rate === 0) return x;
    return dropout(x, this.rate, { training: true, seed: this.seeds.next(this.seed), noiseShape: this.maskShape(x) });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }
}
registerLayer(Dropout);

/** Options of the spatial dropout layers: those of {@link Dropout} but `noiseShape`. */
export type SpatialDropoutArgs = Omit<DropoutArgs, 'noiseShape'>;

/** Dropout of whole feature maps: the mask is [N, 1, …, 1, C]. */
export abstract class SpatialDropout extends Dropout {
  static override readonly options: LayerOptionSpec = { rate: required(field(opt.rate)), seed: seedField } satisfies OwnOptions<SpatialDropoutArgs>;
  override readonly noiseShape = null;
  constructor(args: SpatialDropoutArgs, readonly dims: number) {
    super(args);
    this.inputSpec = { ndim: dims + 2 };
  }
  protected override maskShape(x: Tensor): readonly number[] {
    return [x.shape[0], ...new Array<number>(this.dims).fill(1), x.shape[x.rank - 1]];
  }
}

/** Spatial dropout classes of rank 1, 2 and 3: whole channels are dropped (`hb.layers.spatialDropout2d` …). */
export const [SpatialDropout1D, SpatialDropout2D, SpatialDropout3D] = rankVariants('SpatialDropout', SpatialDropout);
export type SpatialDropout1D = SpatialDropout;
export type SpatialDropout2D = SpatialDropout;
export type SpatialDropout3D = SpatialDropout;

/** The noise of a Gaussian layer: N(mean, std²) (std 0: the identity), combined with x. */
interface Noise {
  mean: number;
  std: number;
  combine: (x: Tensor, noise: Tensor) => Tensor;
}

/** GaussianNoise and GaussianDropout: x combined with seeded noise whose law follows the layer's one number option K. */
export type GaussianLayer<A extends LayerArgs, K extends keyof A & string> = ElementwiseLayer<A> & { readonly [P in K]-?: number } & { readonly seed: number | null };

/** The registered class `className` whose option `key` (checked by `option`) sets the noise, drawn anew at every training call. */
function gaussianLayer<A extends LayerArgs & { seed?: number | null }, K extends keyof A & string>(
  className: string, key: K, option: Check, noise: (value: number) => Noise,
): RankClass<A, GaussianLayer<A, K>> {
  const cls = class extends ElementwiseLayer<A> {
    static override readonly className = className;
    static override readonly options = { [key]: option, seed: seedField };
    declare readonly seed: number | null;
    private readonly seeds = new SeedStream();
    protected map(x: Tensor, args: CallArgs): Tensor {
      const { mean, std, combine } = noise((this as unknown as Record<K, number>)[key]);
      if (!args.training || std === 0) return x;
      const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
      return combine(x, randomNormal(x.shape, { mean, std, seed: this.seeds.next(this.seed), dtype }));
    }
  };
  registerLayer(cls);
  return cls as unknown as RankClass<A, GaussianLayer<A, K>>;
}

/** Options of the {@link GaussianNoise} layer (`hb.layers.gaussianNoise`). */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the additive noise. */
  stddev: number;
  seed?: number | null;
}

/** x + N(0, stddev²) while training (a data-augmentation/regularisation layer); identity otherwise. */
export const GaussianNoise = gaussianLayer<GaussianNoiseArgs, 'stddev'>('GaussianNoise', 'stddev', required(field(is.nonNegative)), (std) => ({ mean: 0, std, combine: add }));
export type GaussianNoise = GaussianLayer<GaussianNoiseArgs, 'stddev'>;

/** Options of the {@link GaussianDropout} layer (`hb.layers.gaussianDropout`). */
export interface GaussianDropoutArgs extends LayerArgs {
  rate: number;
  seed?: number | null;
}

/** x · N(1, rate/(1 − rate)) while training: multiplicative noise with the variance of dropout. */
export const GaussianDropout = gaussianLayer<GaussianDropoutArgs, 'rate'>('GaussianDropout', 'rate', required(field(opt.rate)), (rate) => ({ mean: 1, std: Math.sqrt(rate / (1 - rate)), combine: mul }));
export type GaussianDropout = GaussianLayer<GaussianDropoutArgs, 'rate'>;
