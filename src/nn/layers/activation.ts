// Activation layers: Activation (any activation by name) and the parameterised ones Keras users
// reach for: ReLU (with maxValue/negativeSlope/threshold), LeakyReLU, ELU, Softmax (axis), and
// PReLU, whose negative slope is a learned weight. All keep the input shape.
import { type Check, ValueError } from '../../base/index.js';
import { add, elu, greater, greaterEqual, leakyRelu, minimum, mul, relu, softmax, sub, where } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { type ActivationName, getActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, notBuiltError, type LayerArgs, type LayerInput, type WeightSpec } from '../layer.js';
import { field, is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { activationField, type RankClass, shapeOf, single, singleShape, weightSpec, who } from './common.js';

/** A layer that maps its single input to an output of the same shape (the activation layers, noise, masking). */
export abstract class ElementwiseLayer<A extends LayerArgs = LayerArgs> extends ConfigurableLayer<A> {
  /** The output for the input x. */
  protected abstract map(x: Tensor, args: CallArgs): Tensor;

  override call(inputs: LayerInput, args: CallArgs): Tensor {
    return this.map(single(this, inputs), args);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }
}

/** An elementwise layer f(x; v) of one kept number option v (its key K): ELU's alpha, Softmax's axis, … */
export type ScalarLayer<A extends LayerArgs, K extends keyof A & string> = ElementwiseLayer<A> & { readonly [P in K]-?: number };

/** The registered class `className` of f(x; v), v the option `key` checked (and defaulted) by `option`, a {@link field}. */
function scalarLayer<A extends LayerArgs, K extends keyof A & string>(
  className: string, key: K, option: Check, f: (x: Tensor, value: number) => Tensor,
): RankClass<A, ScalarLayer<A, K>> {
  const cls = class extends ElementwiseLayer<A> {
    static override readonly className = className;
    static override readonly options = { [key]: option };
    protected map(x: Tensor): Tensor {
      return f(x, (this as unknown as Record<K, number>)[key]);
    }
  };
  registerLayer(cls);
  return cls as unknown as RankClass<A, ScalarLayer<A, K>>;
}

/** Options of the {@link Activation} layer (`hb.layers.activation`). */
export interface ActivationArgs extends LayerArgs {
  activation: ActivationName;
}

/** Applies a named activation elementwise (`'relu'`, `'sigmoid'`, `'tanh'`, `'softmax'` …); no weights. */
export class Activation extends ElementwiseLayer<ActivationArgs> {
  static override readonly className = 'Activation';
  static override readonly options: OwnOptions<ActivationArgs> = { activation: required(activationField()) };
  declare readonly activation: ActivationName;
  override supportsMasking = true;
  protected map(x: Tensor): Tensor {
    return getActivation(this.activation)(x);
  }
}
registerLayer(Activation);

/** Options of the {@link ReLU} layer (`hb.layers.reLU`). */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (none by default; 6 gives ReLU6). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Where the function turns (default 0). */
  threshold?: number;
}

/** f(x) = x for x ≥ threshold, negativeSlope·(x − threshold) below, capped at maxValue. */
export class ReLU extends ElementwiseLayer<ReLUArgs> {
  static override readonly className = 'ReLU';
  static override readonly options: OwnOptions<ReLUArgs> = {
    maxValue: field(is.nullable(is.nonNegative), null),
    negativeSlope: field(is.nonNegative, 0),
    threshold: field(is.finite, 0),
  };
  declare readonly maxValue: number | null;
  declare readonly negativeSlope: number;
  declare readonly threshold: number;
  protected map(x: Tensor): Tensor {
    let y: Tensor;
    if (this.negativeSlope === 0 && this.threshold === 0) y = relu(x);
    else y = where(greaterEqual(x, this.threshold), x, mul(sub(x, this.threshold), this.negativeSlope));
    return this.maxValue === null ? y : minimum(y, this.maxValue);
  }
}
registerLayer(ReLU);

/** Options of the {@link LeakyReLU} layer (`hb.layers.leakyReLU`). */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3, as Keras). `alpha` is accepted as the older name. */
  negativeSlope?: number;
  alpha?: number;
}

/** f(x) = x for x ≥ 0, negativeSlope·x below (default slope 0.3, as Keras). */
export class LeakyReLU extends ElementwiseLayer<LeakyReLUArgs> {
  static override readonly className = 'LeakyReLU';
  static override readonly options: OwnOptions<LeakyReLUArgs> = {
    // Only negativeSlope is kept (and saved); the older name `alpha` stands in when it is left out.
    negativeSlope: field(is.nonNegative, undefined, (v, _layer, args) => v ?? args.alpha ?? 0.3),
    alpha: is.nonNegative,
  };
  declare readonly negativeSlope: number;
  protected map(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}
registerLayer(LeakyReLU);

/** Options of the {@link ThresholdedReLU} layer (`hb.layers.thresholdedReLU`). */
export interface ThresholdedReLUArgs extends LayerArgs {
  /** θ: inputs at or below it become 0 (default 1, as Keras). */
  theta?: number;
}

/** f(x) = x for x > θ, else 0 (Keras's ThresholdedReLU; the gradient is 1 above θ, 0 below). */
export const ThresholdedReLU = scalarLayer<ThresholdedReLUArgs, 'theta'>('ThresholdedReLU', 'theta', field(is.finite, 1), (x, theta) => where(greater(x, theta), x, 0));
export type ThresholdedReLU = ScalarLayer<ThresholdedReLUArgs, 'theta'>;

/** Options of the {@link ELU} layer (`hb.layers.elu`): `alpha` (default 1). */
export interface ELUArgs extends LayerArgs {
  alpha?: number;
}

/** ELU (Clevert et al. 2016): f(x) = x for x > 0, α·(eˣ − 1) otherwise (`alpha`, default 1). */
export const ELU = scalarLayer<ELUArgs, 'alpha'>('ELU', 'alpha', field(is.nonNegative, 1), elu);
export type ELU = ScalarLayer<ELUArgs, 'alpha'>;

/** Options of the {@link Softmax} layer (`hb.layers.softmax`): the `axis` (default −1). */
export interface SoftmaxArgs extends LayerArgs {
  axis?: number;
}

/** Softmax over `axis`: exp(xᵢ) / Σⱼ exp(xⱼ), computed stably. */
export const Softmax = scalarLayer<SoftmaxArgs, 'axis'>('Softmax', 'axis', field(opt.axis, -1), softmax);
export type Softmax = ScalarLayer<SoftmaxArgs, 'axis'>;

/** Options of the {@link PReLU} layer (`hb.layers.prelu`). */
export interface PReLUArgs extends LayerArgs {
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier | null;
  alphaConstraint?: ConstraintIdentifier | null;
  /** 1-based axes (batch excluded) along which one slope is shared, e.g. [1, 2] for images. */
  sharedAxes?: number[] | null;
}

/** Parametric ReLU: max(x, 0) + α·min(x, 0) with α learned per feature (zeros: starts as ReLU). */
export class PReLU extends ElementwiseLayer<PReLUArgs> {
  static override readonly className = 'PReLU';
  static override readonly options: OwnOptions<PReLUArgs> = {
    ...weightOptions('alpha', 'zeros'),
    sharedAxes: field(is.nullable(is.intArray), null, (v, layer) => {
      if (v !== null && !(v as number[]).every((a) => a >= 1)) throw new ValueError(`${who(layer)}: sharedAxes must be a list of axes >= 1, got ${JSON.stringify(v)}`);
      return v === null ? null : [...(v as number[])];
    }),
  };
  declare readonly sharedAxes: number[] | null;
  alpha: Variable | null = null;
  /** alpha: the input's shape without the batch axis, 1 along shared (and unknown) axes. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const shape = singleShape(this, inputShape);
    return [weightSpec('alpha', shape.slice(1).map((d, i) => (d === null || this.sharedAxes?.includes(i + 1) ? 1 : d)))];
  }
  override build(inputShape: Shape | Shape[]): void {
    this.alpha = this.addKeptWeight('alpha', shapeOf(this.weightShapes(inputShape), 'alpha'));
    this.built = true;
  }
  protected map(x: Tensor): Tensor {
    if (!this.alpha) throw notBuiltError(this);
    return add(relu(x), mul(this.alpha.value, minimum(x, 0)));
  }
}
registerLayer(PReLU);
