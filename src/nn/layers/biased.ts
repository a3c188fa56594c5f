// The layers whose output is f(x ⋆ kernel + bias): the activation f, the optional bias and its
// initializer/regularizer/constraint are held here once, for dense, graph convolution and the
// convolutions (conv.ts); the kernel shapes stay each layer's own.
import { add } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { type ActivationName, getActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, type LayerArgs, type WeightSpec } from '../layer.js';
import { field, is, type OwnOptions, required, weightOptions } from '../options.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { activationField, knownDim, shapeOf, weightSpec } from './common.js';

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

export const biasOptions: OwnOptions<BiasArgs> = { activation: activationField(), useBias: field(is.bool, true), ...weightOptions('bias', 'zeros') };

/** f(y + b): the activation and the optional bias [outputs] (zeros unless told). */
export abstract class BiasedLayer<A extends BiasArgs = BiasArgs> extends ConfigurableLayer<A> {
  declare readonly activation: ActivationName;
  declare readonly useBias: boolean;
  bias: Variable | null = null;

  /** The bias weight [outputs] when the layer has one. */
  protected biasSpecs(outputs: number): WeightSpec[] {
    return this.useBias ? [weightSpec('bias', [outputs])] : [];
  }

  /** Creates the bias from the layer's weight specs (when it has one). */
  protected buildBias(specs: readonly WeightSpec[]): void {
    if (this.useBias) this.bias = this.addKeptWeight('bias', shapeOf(specs, 'bias'));
  }

  /** f(y + b). */
  protected finish(y: Tensor): Tensor {
    const withBias = this.bias ? add(y, this.bias.value) : y;
    return getActivation(this.activation)(withBias);
  }
}

/** Options of a layer with `units` outputs per feature vector: kernel [F, units], bias [units]. */
export interface UnitsArgs extends BiasArgs, KernelArgs {
  units: number;
}

export const unitsOptions: OwnOptions<UnitsArgs> = { units: required(field(is.posInt)), ...biasOptions, ...weightOptions('kernel', 'glorotUniform') };

/** f(x·W + b) on the features [..., F] of the input: kernel W [F, units] (glorotUniform), bias b [units]. */
export abstract class UnitsLayer<A extends UnitsArgs = UnitsArgs> extends BiasedLayer<A> {
  declare readonly units: number;
  kernel: Variable | null = null;

  /** The shape [..., F] of the features the kernel multiplies (checked). */
  protected abstract featureShape(inputShape: Shape | Shape[]): Shape;

  /** kernel [F, units] and bias [units]. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const inDim = knownDim(this, this.featureShape(inputShape), -1, 'feature size');
    return [weightSpec('kernel', [inDim, this.units]), ...this.biasSpecs(this.units)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const w = this.weightShapes(inputShape);
    this.kernel = this.addKeptWeight('kernel', shapeOf(w, 'kernel'));
    this.buildBias(w);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...this.featureShape(inputShape).slice(0, -1), this.units];
  }
}
