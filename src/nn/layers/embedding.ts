// Embedding: integer ids [N, …] → rows of a learned table E [inputDim, outputDim], giving
// [N, …, outputDim]. The gradient scatters back into the rows that were used.
import { DTypeError, isFloat, ValueError } from '../../base/index.js';
import { cast, gather, notEqual } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, type LayerArgs, type LayerInput, notBuiltError, type WeightSpec } from '../layer.js';
import type { MaskArg } from '../mask.js';
import { field, is, type OwnOptions, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { activityRegularizerField, fmt, shapeOf, single, singleShape, weightSpec, who } from './common.js';

/** Options of the {@link Embedding} layer (`hb.layers.embedding`). */
export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: ids are in [0, inputDim). */
  inputDim: number;
  outputDim: number;
  /** Default: uniform in [−0.05, 0.05], as Keras. */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Id 0 is padding: the output carries the mask ids ≠ 0 for the layers downstream (then inputDim counts the padding id). */
  maskZero?: boolean;
}

/** A trainable lookup table: int ids `[N, …]` → vectors `[N, …, outputDim]`. */
export class Embedding extends ConfigurableLayer<EmbeddingArgs> {
  static override readonly className = 'Embedding';
  static override readonly options: OwnOptions<EmbeddingArgs> = {
    inputDim: required(field(is.posInt)),
    outputDim: required(field(is.posInt)),
    ...weightOptions('embeddings', 'randomUniform'),
    activityRegularizer: activityRegularizerField,
    maskZero: field(is.bool, false),
  };
  declare readonly inputDim: number;
  declare readonly outputDim: number;
  declare readonly maskZero: boolean;
  embeddings: Variable | null = null;

  /** maskZero: the mask ids ≠ 0 (same shape as the ids). */
  override computeMask(inputs: LayerInput, _mask: MaskArg): MaskArg {
    return this.maskZero ? notEqual(single(this, inputs), 0) : null;
  }

  /** embeddings [inputDim, outputDim], whatever the input shape. */
  override weightShapes(_inputShape: Shape | Shape[]): WeightSpec[] {
    return [weightSpec('embeddings', [this.inputDim, this.outputDim])];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.embeddings = this.addKeptWeight('embeddings', shapeOf(this.weightShapes(inputShape), 'embeddings'));
    this.built = true;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.embeddings) throw notBuiltError(this);
    if (x.dtype === 'bool') throw new DTypeError(`${who(this)}: ids must be int32 (or integral floats), got bool ${fmt(x.shape)}`);
    let ids = x;
    if (isFloat(x.dtype)) {
      // Float ids (as a Sequential model's default input dtype) must hold whole numbers.
      if (x.dataSync().some((v) => !Number.isInteger(v))) throw new ValueError(`${who(this)}: ids must be whole numbers, got non-integers in ${fmt(x.shape)}`);
      ids = cast(x, 'int32');
    }
    const values = ids.dataSync();
    for (const v of values) {
      if (v < 0 || v >= this.inputDim) throw new ValueError(`${who(this)}: id ${v} is outside the vocabulary [0, ${this.inputDim})`);
    }
    return gather(this.embeddings.value, ids, 0);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...singleShape(this, inputShape), this.outputDim];
  }
}
registerLayer(Embedding);
