// The layers whose output is f(x ⋆ kernel + bias): the activation f, the optional bias and its
// initializer/regularizer/constraint are held here once, for dense, graph convolution and the
// convolutions (conv.ts); the kernel shapes stay each layer's own.
import { add } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { type ActivationName, getActivation, normalizeActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, type LayerArgs, type WeightSpec } from '../layer.js';
import { is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { Config, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { addParamWeight, boolArg, intArg, knownDim, shapeOf, weightConfig, weightParams, weightSpec, who, type WeightParams } from './common.js';

/** The activation and bias options of a layer computing f(x ⋆ kernel + bias). */
export interface BiasArgs extends LayerArgs {
  activation?: ActivationName | null;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** The options of a weight named kernel. */
export interface KernelArgs {
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

export const biasOptions: OwnOptions<BiasArgs> = { activation: opt.activation, useBias: is.bool, ...weightOptions('bias') };

/** f(y + b): the activation and the optional bias [outputs] (zeros unless told). */
export abstract class BiasedLayer extends ConfigurableLayer {
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly biasParams: WeightParams;
  bias: Variable | null = null;

  constructor(args: BiasArgs) {
    super(args);
    this.activation = normalizeActivation(args.activation, who(this));
    this.useBias = boolArg(this, 'useBias', args.useBias, true);
    this.biasParams = weightParams(this, 'bias', args.biasInitializer, 'zeros', args.biasRegularizer, args.biasConstraint);
  }

  /** The bias weight [outputs] when the layer has one. */
  protected biasSpecs(outputs: number): WeightSpec[] {
    return this.useBias ? [weightSpec('bias', [outputs])] : [];
  }

  /** Creates the bias from the layer's weight specs (when it has one). */
  protected buildBias(specs: readonly WeightSpec[]): void {
    if (this.useBias) this.bias = addParamWeight(this, 'bias', shapeOf(specs, 'bias'), this.biasParams);
  }

  /** f(y + b). */
  protected finish(y: Tensor): Tensor {
    const withBias = this.bias ? add(y, this.bias.value) : y;
    return getActivation(this.activation)(withBias);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), activation: this.activation, useBias: this.useBias, ...weightConfig('bias', this.biasParams) };
  }
}

/** Options of a layer with `units` outputs per feature vector: kernel [F, units], bias [units]. */
export interface UnitsArgs extends BiasArgs, KernelArgs {
  units: number;
}

export const unitsOptions: OwnOptions<UnitsArgs> = { units: required(is.posInt), ...biasOptions, ...weightOptions('kernel') };

/** f(x·W + b) on the features [..., F] of the input: kernel W [F, units] (glorotUniform), bias b [units]. */
export abstract class UnitsLayer extends BiasedLayer {
  readonly units: number;
  readonly kernelParams: WeightParams;
  kernel: Variable | null = null;

  constructor(args: UnitsArgs) {
    super(args);
    this.units = intArg(this, 'units', args.units);
    this.kernelParams = weightParams(this, 'kernel', args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint);
  }

  /** The shape [..., F] of the features the kernel multiplies (checked). */
  protected abstract featureShape(inputShape: Shape | Shape[]): Shape;

  /** kernel [F, units] and bias [units]. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const inDim = knownDim(this, this.featureShape(inputShape), -1, 'feature size');
    return [weightSpec('kernel', [inDim, this.units]), ...this.biasSpecs(this.units)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const w = this.weightShapes(inputShape);
    this.kernel = addParamWeight(this, 'kernel', shapeOf(w, 'kernel'), this.kernelParams);
    this.buildBias(w);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...this.featureShape(inputShape).slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), units: this.units, ...weightConfig('kernel', this.kernelParams) };
  }
}
