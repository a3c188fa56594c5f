// Regularisation layers that act only while training (args.training) and are the identity at
// inference: Dropout (inverted: survivors scaled by 1/(1 − rate), so nothing changes at test
// time), SpatialDropout1D/2D/3D (drop whole channels), GaussianNoise (additive N(0, σ²)) and
// GaussianDropout (multiplicative N(1, rate/(1 − rate))). A seed makes the sequence of masks
// reproducible: each call draws its own seed from a private generator.
import { Rng, ShapeError } from '../../base/index.js';
import { add, dropout, mul } from '../../ops/index.js';
import { randomNormal, type Tensor } from '../../tensor/index.js';
import { ConfigurableLayer, type Layer, type LayerArgs, type LayerInput } from '../layer.js';
import { is, type LayerOptionSpec, type OwnOptions, opt, required } from '../options.js';
import { registerLayer } from '../registry.js';
import type { CallArgs, Config, Shape } from '../types.js';
import { ElementwiseLayer } from './activation.js';
import { argError, fmt, intArg, numArg, single, singleShape, who, rankVariants } from './common.js';

/** Per-call seeds from an optional layer seed. */
class SeedStream {
  private readonly rng: Rng | null;
  constructor(readonly seed: number | null) {
    this.rng = seed === null ? null : new Rng(seed);
  }
  next(): number | undefined {
    return this.rng ? this.rng.nextUint32() : undefined;
  }
}

function seedArg(layer: Layer, v: unknown): number | null {
  return v === undefined || v === null ? null : intArg(layer, 'seed', v, 0);
}

/** Options of the {@link Dropout} layer (`hb.layers.dropout`). */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of units to drop, in [0, 1). */
  rate: number;
  /** Mask shape (null entries take the input's size), e.g. [null, 1, 1, null] drops channels. */
  noiseShape?: (number | null)[] | null;
  seed?: number | null;
}

/**
 * Inverted dropout (Srivastava et al. 2014): while training, each value is zeroed with probability `rate` and the
 * others scaled by 1/(1 − rate); the identity at inference.
 */
export class Dropout extends ConfigurableLayer {
  static override readonly className: string = 'Dropout';
  static override readonly options: LayerOptionSpec = { rate: required(opt.rate), noiseShape: is.nullable(opt.shape), seed: opt.seed } satisfies OwnOptions<DropoutArgs>;
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  protected readonly seeds: SeedStream;

  constructor(args: DropoutArgs) {
    super(args);
    this.supportsMasking = true;
    this.rate = numArg(this, 'rate', args.rate, { min: 0, max: 1, exclusiveMax: true });
    const ns = args.noiseShape;
    if (ns !== undefined && ns !== null && !(Array.isArray(ns) && ns.every((d) => d === null || (Number.isInteger(d) && d >= 1)))) {
      throw argError(this, `noiseShape must be a list of positive sizes or nulls, got ${JSON.stringify(ns)}`);
    }
    this.noiseShape = ns ? [...ns] : null;
    this.seeds = new SeedStream(seedArg(this, args.seed));
  }

  /** The concrete mask shape for input `x`. */
  protected maskShape(x: Tensor): readonly number[] {
    if (this.noiseShape === null) return x.shape;
    if (this.noiseShape.length !== x.rank) throw new ShapeError(`${who(this)}: noiseShape ${fmt(this.noiseShape)} does not match input ${fmt(x.shape)}`);
    return this.noiseShape.map((d, i) => d ?? x.shape[i]);
  }

  override call(inputs: LayerInput, args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!args.training || this.rate === 0) return x;
    return dropout(x, this.rate, { training: true, seed: this.seeds.next(), noiseShape: this.maskShape(x) });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seeds.seed };
  }

}
registerLayer(Dropout);

/** Options of the spatial dropout layers: those of {@link Dropout} but `noiseShape`. */
export type SpatialDropoutArgs = Omit<DropoutArgs, 'noiseShape'>;

/** Dropout of whole feature maps: the mask is [N, 1, …, 1, C]. */
export abstract class SpatialDropout extends Dropout {
  static override readonly options: LayerOptionSpec = { rate: required(opt.rate), seed: opt.seed } satisfies OwnOptions<SpatialDropoutArgs>;
  constructor(args: SpatialDropoutArgs, readonly dims: number) {
    super(args);
    this.inputSpec = { ndim: dims + 2 };
  }
  protected override maskShape(x: Tensor): readonly number[] {
    return [x.shape[0], ...new Array<number>(this.dims).fill(1), x.shape[x.rank - 1]];
  }
  override getConfig(): Config {
    const { noiseShape: _, ...rest } = super.getConfig();
    return rest;
  }
}

/** Spatial dropout classes of rank 1, 2 and 3: whole channels are dropped (`hb.layers.spatialDropout2d` …). */
export const [SpatialDropout1D, SpatialDropout2D, SpatialDropout3D] = rankVariants('SpatialDropout', SpatialDropout);
export type SpatialDropout1D = SpatialDropout;
export type SpatialDropout2D = SpatialDropout;
export type SpatialDropout3D = SpatialDropout;

/** GaussianNoise and GaussianDropout: x combined with seeded N(mean, std²) noise, drawn anew at every training call. */
abstract class GaussianLayer extends ElementwiseLayer {
  private readonly seeds: SeedStream;
  constructor(args: LayerArgs & { seed?: number | null }, private readonly mean: number, private readonly combine: (x: Tensor, noise: Tensor) => Tensor) {
    super(args);
    this.seeds = new SeedStream(seedArg(this, args.seed));
  }
  /** The noise's standard deviation (0: the identity). */
  protected abstract std(): number;
  protected map(x: Tensor, args: CallArgs): Tensor {
    const std = this.std();
    if (!args.training || std === 0) return x;
    const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
    return this.combine(x, randomNormal(x.shape, { mean: this.mean, std, seed: this.seeds.next(), dtype }));
  }
  override getConfig(): Config {
    return { ...super.getConfig(), seed: this.seeds.seed };
  }
}

/** Options of the {@link GaussianNoise} layer (`hb.layers.gaussianNoise`). */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the additive noise. */
  stddev: number;
  seed?: number | null;
}

/** x + N(0, stddev²) while training (a data-augmentation/regularisation layer); identity otherwise. */
export class GaussianNoise extends GaussianLayer {
  static override readonly className = 'GaussianNoise';
  static override readonly options: OwnOptions<GaussianNoiseArgs> = { stddev: required(is.nonNegative), seed: opt.seed };
  readonly stddev: number;
  constructor(args: GaussianNoiseArgs) {
    super(args, 0, add);
    this.stddev = numArg(this, 'stddev', args.stddev, { min: 0 });
  }
  protected std(): number {
    return this.stddev;
  }
  override getConfig(): Config {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}
registerLayer(GaussianNoise);

/** Options of the {@link GaussianDropout} layer (`hb.layers.gaussianDropout`). */
export interface GaussianDropoutArgs extends LayerArgs {
  rate: number;
  seed?: number | null;
}

/** x · N(1, rate/(1 − rate)) while training: multiplicative noise with the variance of dropout. */
export class GaussianDropout extends GaussianLayer {
  static override readonly className = 'GaussianDropout';
  static override readonly options: OwnOptions<GaussianDropoutArgs> = { rate: required(opt.rate), seed: opt.seed };
  readonly rate: number;
  constructor(args: GaussianDropoutArgs) {
    super(args, 1, mul);
    this.rate = numArg(this, 'rate', args.rate, { min: 0, max: 1, exclusiveMax: true });
  }
  protected std(): number {
    return Math.sqrt(this.rate / (1 - this.rate));
  }
  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate };
  }
}
registerLayer(GaussianDropout);
