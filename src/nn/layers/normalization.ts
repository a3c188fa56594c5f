// Normalisation layers.
//
// BatchNormalization (Ioffe & Szegedy 2015): y = γ · (x − μ) / √(σ² + ε) + β per feature
// (the `axis`, by default the channels), with μ, σ² the statistics over every other axis.
//   training:  μ, σ² from the batch (gradients flow through them), and the moving averages
//              m ← momentum·m + (1 − momentum)·μ, v ← momentum·v + (1 − momentum)·σ²
//              are updated outside gradient recording (σ² is the biased batch variance, as Keras 3);
//   inference: μ, σ² are the moving averages.
// A frozen layer (trainable = false) always runs in inference mode, as in Keras.
//
// LayerNormalization (Ba et al. 2016): the same formula with μ, σ² over the feature axes of each
// sample, identical in training and inference.
//
// LocalResponseNormalization (Krizhevsky et al. 2012, AlexNet): no weights; each channel of
// [N, H, W, C] divided by (bias + alpha · Σ x² over the 2r + 1 nearest channels)^beta.
import { ShapeError, normalizeAxis } from '../../base/index.js';
import { add, batchNormTraining, cast, localResponseNormalization, mean, mul, reshape, rsqrt, square, sub } from '../../ops/index.js';
import { noGrad, type Tensor, tidy } from '../../tensor/index.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, type InputSpec, type LayerArgs, type LayerInput, notBuiltError, type WeightSpec } from '../layer.js';
import { field, is, type OwnOptions, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Initializer, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { argError, fmt, initializerField, requireRank, shapeOf, single, singleShape, weightSpec, who } from './common.js';

/**
 * Options shared by the normalisation layers: the feature `axis`, `epsilon`, and the learned offset β and scale γ with
 * their initializers, regularizers and constraints.
 */
export interface NormArgs extends LayerArgs {
  /** The feature axis (or axes); negative counts from the end. */
  axis?: number | number[];
  epsilon?: number;
  /** Learn an offset β (default true). */
  center?: boolean;
  /** Learn a scale γ (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

/** γ/β handling shared by both normalisations; `axis` is kept as a list (a single axis saved as a number). */
const normOptions: OwnOptions<NormArgs> = {
  axis: field(is.anyOf(is.int, is.intArray), -1, (v) => (typeof v === 'number' ? [v] : [...(v as number[])]), (axes) => ((axes as number[]).length === 1 ? (axes as number[])[0] : axes)),
  epsilon: field(is.nonNegative, 1e-3),
  center: field(is.bool, true),
  scale: field(is.bool, true),
  ...weightOptions('beta', 'zeros'),
  ...weightOptions('gamma', 'ones'),
};

abstract class Normalization<A extends NormArgs = NormArgs> extends ConfigurableLayer<A> {
  declare readonly axis: number[];
  declare readonly epsilon: number;
  declare readonly center: boolean;
  declare readonly scale: boolean;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  /** Input axes (non-negative) that hold features, fixed at build. */
  protected featureAxes: number[] = [];
  /** Shape that broadcasts a parameter against the input: 1 except at the feature axes. */
  protected broadcastShape: number[] = [];

  /** The feature axes of an input `shape` (sorted, non-negative) and their sizes: the parameters' shape. */
  protected features(shape: readonly (number | null)[]): { axes: number[]; paramShape: number[] } {
    const axes = this.axis.map((a) => normalizeAxis(`${who(this)} axis`, a, shape.length)).sort((p, q) => p - q);
    if (axes.includes(0) && this.className === 'BatchNormalization') {
      throw argError(this, `axis ${JSON.stringify(this.axis)} includes the batch axis of input ${fmt(shape)}`);
    }
    const paramShape = axes.map((a) => {
      const d = shape[a];
      if (d === null) throw new ShapeError(`${who(this)}: feature axis ${a} of input ${fmt(shape)} must be known`);
      return d;
    });
    return { axes, paramShape };
  }

  /** γ (if scale) and β (if center), of the features' shape. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const { paramShape } = this.features(singleShape(this, inputShape));
    return [...(this.scale ? [weightSpec('gamma', paramShape)] : []), ...(this.center ? [weightSpec('beta', paramShape)] : [])];
  }

  /** Resolve axes against the input and create γ, β of the features' shape. */
  protected buildParams(shape: readonly (number | null)[]): number[] {
    const { axes: featureAxes, paramShape } = this.features(shape);
    this.featureAxes = featureAxes;
    this.broadcastShape = shape.map((d, i) => (this.featureAxes.includes(i) ? (d as number) : 1));
    if (this.scale) this.gamma = this.addKeptWeight('gamma', paramShape);
    if (this.center) this.beta = this.addKeptWeight('beta', paramShape);
    const axes: Record<number, number> = {};
    this.featureAxes.forEach((a, i) => (axes[a] = paramShape[i]));
    this.inputSpec = { ndim: shape.length, axes };
    return paramShape;
  }

  /** γ · (x − μ) / √(σ² + ε) + β with μ, σ² already shaped to broadcast against x. */
  protected normalize(x: Tensor, mu: Tensor, variance: Tensor): Tensor {
    let y = mul(sub(x, mu), rsqrt(add(variance, this.epsilon)));
    if (this.gamma) y = mul(y, reshape(this.gamma.value, this.broadcastShape));
    if (this.beta) y = add(y, reshape(this.beta.value, this.broadcastShape));
    return y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }
}

/** Options of the {@link BatchNormalization} layer (`hb.layers.batchNormalization`). */
export interface BatchNormalizationArgs extends NormArgs {
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
}

/**
 * Batch normalisation: (x − μ_B)/√(σ²_B + ε)·γ + β with the batch's statistics in training (updating moving averages
 * with `momentum`) and the moving ones at inference.
 */
export class BatchNormalization extends Normalization<BatchNormalizationArgs> {
  static override readonly className = 'BatchNormalization';
  static override readonly options: OwnOptions<BatchNormalizationArgs> = {
    ...normOptions,
    momentum: field(is.range(0, 1), 0.99),
    movingMeanInitializer: initializerField('zeros'),
    movingVarianceInitializer: initializerField('ones'),
  };
  declare readonly momentum: number;
  declare readonly movingMeanInitializer: Initializer;
  declare readonly movingVarianceInitializer: Initializer;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  /** γ, β, then the non-trainable moving_mean and moving_variance, all of the features' shape. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const { paramShape } = this.features(singleShape(this, inputShape));
    return [...super.weightShapes(inputShape), weightSpec('moving_mean', paramShape, false), weightSpec('moving_variance', paramShape, false)];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.buildParams(singleShape(this, inputShape));
    const w = this.weightShapes(inputShape);
    this.movingMean = this.addWeight('moving_mean', shapeOf(w, 'moving_mean'), this.movingMeanInitializer, { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shapeOf(w, 'moving_variance'), this.movingVarianceInitializer, { trainable: false });
    this.built = true;
  }

  override call(inputs: LayerInput, args: CallArgs): Tensor {
    const x = single(this, inputs);
    const movingMean = this.movingMean;
    const movingVariance = this.movingVariance;
    if (!movingMean || !movingVariance) throw notBuiltError(this);
    if (!(args.training && this.trainable)) {
      return this.normalize(x, reshape(movingMean.value, this.broadcastShape), reshape(movingVariance.value, this.broadcastShape));
    }
    // Batch statistics over every axis but the features: μ, σ² [1, …, C, …, 1].
    const reduceAxes = x.shape.map((_, i) => i).filter((i) => !this.featureAxes.includes(i));
    const { y, mean: mu, variance } = batchNormTraining(x, this.gamma?.value ?? null, this.beta?.value ?? null, reduceAxes, this.epsilon);
    this.updateMovingAverages(mu, variance);
    return y;
  }

  /** m ← momentum·m + (1 − momentum)·μ, outside the tape; intermediates are released at once. */
  private updateMovingAverages(mu: Tensor, variance: Tensor): void {
    const update = (v: Variable, batch: Tensor): void => {
      const next = noGrad(() => tidy(() => add(mul(v.value, this.momentum), mul(cast(reshape(batch, v.shape), v.dtype), 1 - this.momentum))));
      v.assign(next);
    };
    update(this.movingMean as Variable, mu);
    update(this.movingVariance as Variable, variance);
  }
}
registerLayer(BatchNormalization);

/** Options of the {@link LayerNormalization} layer (`hb.layers.layerNormalization`). */
export type LayerNormalizationArgs = NormArgs;

/**
 * Layer normalisation: each sample normalised over `axis` (its own mean and variance), then scaled by γ and shifted by
 * β; the same in training and inference.
 */
export class LayerNormalization extends Normalization<LayerNormalizationArgs> {
  static override readonly className = 'LayerNormalization';
  static override readonly options = normOptions;

  override build(inputShape: Shape | Shape[]): void {
    this.buildParams(singleShape(this, inputShape));
    this.built = true;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    // Statistics of each sample over its feature axes: μ, σ² [N, …, 1, …].
    const mu = mean(x, this.featureAxes, true);
    const variance = mean(square(sub(x, mu)), this.featureAxes, true);
    return this.normalize(x, mu, variance);
  }

}
registerLayer(LayerNormalization);

/** Options of the {@link LocalResponseNormalization} layer (`hb.layers.localResponseNormalization`). */
export interface LocalResponseNormalizationArgs extends LayerArgs {
  /** r: each window covers channels d − r … d + r (default 5). */
  depthRadius?: number;
  /** Default 1. */
  bias?: number;
  /** Default 1. */
  alpha?: number;
  /** Default 0.5. */
  beta?: number;
}

/** x / (bias + α·Σ x² over `depthRadius` neighbouring channels)^β, as in AlexNet (Krizhevsky et al. 2012). */
export class LocalResponseNormalization extends ConfigurableLayer<LocalResponseNormalizationArgs> {
  static override readonly className = 'LocalResponseNormalization';
  static override readonly options: OwnOptions<LocalResponseNormalizationArgs> = {
    depthRadius: field(is.nonNegInt, 5),
    bias: field(is.finite, 1),
    alpha: field(is.finite, 1),
    beta: field(is.finite, 0.5),
  };
  declare readonly depthRadius: number;
  declare readonly bias: number;
  declare readonly alpha: number;
  declare readonly beta: number;
  override inputSpec: InputSpec | null = { ndim: 4 };

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const { depthRadius, bias, alpha, beta } = this;
    return localResponseNormalization(single(this, inputs), { depthRadius, bias, alpha, beta });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    requireRank(this, shape, 4, '[N, H, W, C]');
    return shape;
  }
}
registerLayer(LocalResponseNormalization);
