// Dense: y = f(x·W + b), the fully connected layer. x [..., in] → y [..., units];
// kernel W [in, units] (glorotUniform), bias b [units] (zeros).
import { add, matmul } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { type ActivationName, getActivation, normalizeActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, notBuiltError, type LayerArgs, type LayerInput, type WeightSpec } from '../layer.js';
import { is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { serializeOrNull } from '../serialization.js';
import type { CallArgs, Config, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { addParamWeight, shapeOf, weightSpec, boolArg, intArg, knownDim, single, singleShape, weightConfig, weightParams, who, type WeightParams } from './common.js';

/** Options of the {@link Dense} layer (`hb.layers.dense`). */
export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationName | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** A fully connected layer: y = activation(x·W + b) over the last axis; W is `[inputs, units]`. */
export class Dense extends ConfigurableLayer {
  static override readonly className = 'Dense';
  static override readonly options: OwnOptions<DenseArgs> = {
    units: required(is.posInt),
    activation: opt.activation,
    useBias: is.bool,
    ...weightOptions('kernel'),
    ...weightOptions('bias'),
    activityRegularizer: opt.regularizer,
  };
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelParams: WeightParams;
  readonly biasParams: WeightParams;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args);
    this.supportsMasking = true; // per-step maths: a sequence mask passes through (src/nn/mask.ts)
    this.units = intArg(this, 'units', args.units);
    this.activation = normalizeActivation(args.activation, who(this));
    this.useBias = boolArg(this, 'useBias', args.useBias, true);
    this.kernelParams = weightParams(this, 'kernel', args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint);
    this.biasParams = weightParams(this, 'bias', args.biasInitializer, 'zeros', args.biasRegularizer, args.biasConstraint);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${who(this)} activityRegularizer`);
    this.inputSpec = { minNdim: 2 };
  }

  /** kernel [in, units] and bias [units]. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const inDim = knownDim(this, singleShape(this, inputShape), -1, 'feature size');
    return [weightSpec('kernel', [inDim, this.units]), ...(this.useBias ? [weightSpec('bias', [this.units])] : [])];
  }

  override build(inputShape: Shape | Shape[]): void {
    const w = this.weightShapes(inputShape);
    this.kernel = addParamWeight(this, 'kernel', shapeOf(w, 'kernel'), this.kernelParams);
    if (this.useBias) this.bias = addParamWeight(this, 'bias', shapeOf(w, 'bias'), this.biasParams);
    this.inputSpec = { minNdim: 2, axes: { [-1]: shapeOf(w, 'kernel')[0] } };
    this.built = true;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    const kernel = this.kernel;
    if (!kernel) throw notBuiltError(this);
    let y = matmul(x, kernel.value);
    if (this.bias) y = add(y, this.bias.value);
    return getActivation(this.activation)(y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      ...weightConfig('kernel', this.kernelParams),
      ...weightConfig('bias', this.biasParams),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
    };
  }

}
registerLayer(Dense);
