// Dense: y = f(x·W + b), the fully connected layer. x [..., in] → y [..., units];
// kernel W [in, units] (glorotUniform), bias b [units] (zeros).
import { fusedMatmul, isFusedActivation } from '../../ops/fused.js';
import { matmul, softmax } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import { type InputSpec, notBuiltError, type LayerInput } from '../layer.js';
import type { OwnOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Shape } from '../types.js';
import { UnitsLayer, type UnitsArgs, unitsOptions } from './biased.js';
import { activityRegularizerField, knownDim, single, singleShape } from './common.js';

/** Options of the {@link Dense} layer (`hb.layers.dense`). */
export interface DenseArgs extends UnitsArgs {
  activityRegularizer?: RegularizerIdentifier | null;
}

/** A fully connected layer: y = activation(x·W + b) over the last axis; W is `[inputs, units]`. */
export class Dense extends UnitsLayer<DenseArgs> {
  static override readonly className = 'Dense';
  static override readonly options: OwnOptions<DenseArgs> = { ...unitsOptions, activityRegularizer: activityRegularizerField };
  override supportsMasking = true; // per-step maths: a sequence mask passes through (src/nn/mask.ts)
  override inputSpec: InputSpec | null = { minNdim: 2 };

  protected featureShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape);
  }

  override build(inputShape: Shape | Shape[]): void {
    super.build(inputShape);
    this.inputSpec = { minNdim: 2, axes: { [-1]: knownDim(this, singleShape(this, inputShape), -1, 'feature size') } };
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.kernel) throw notBuiltError(this);
    // One fused kernel in inference where the backend has it (src/ops/fused.ts).
    if (isFusedActivation(this.activation)) return fusedMatmul(x, this.kernel.value, this.bias?.value ?? null, this.activation);
    if (this.activation === 'softmax') return softmax(fusedMatmul(x, this.kernel.value, this.bias?.value ?? null, 'linear'), -1);
    return this.finish(matmul(x, this.kernel.value));
  }
}
registerLayer(Dense);
