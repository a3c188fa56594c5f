// Embedding: integer ids [N, …] → rows of a learned table E [inputDim, outputDim], giving
// [N, …, outputDim]. The gradient scatters back into the rows that were used.
import { DTypeError, isFloat, ValueError } from '../../base/index.js';
import { cast, gather, notEqual } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, notBuiltError, type LayerArgs, type LayerInput, type WeightSpec } from '../layer.js';
import type { MaskArg } from '../mask.js';
import { is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import { serializeOrNull } from '../serialization.js';
import type { CallArgs, Config, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { addParamWeight, boolArg, shapeOf, weightSpec, fmt, intArg, single, singleShape, weightConfig, weightParams, who, type WeightParams } from './common.js';

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
export class Embedding extends ConfigurableLayer {
  static override readonly className = 'Embedding';
  static override readonly options: OwnOptions<EmbeddingArgs> = {
    inputDim: required(is.posInt),
    outputDim: required(is.posInt),
    ...weightOptions('embeddings'),
    activityRegularizer: opt.regularizer,
    maskZero: is.bool,
  };
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsParams: WeightParams;
  readonly maskZero: boolean;
  embeddings: Variable | null = null;

  constructor(args: EmbeddingArgs) {
    super(args);
    this.inputDim = intArg(this, 'inputDim', args.inputDim);
    this.outputDim = intArg(this, 'outputDim', args.outputDim);
    this.embeddingsParams = weightParams(this, 'embeddings', args.embeddingsInitializer, 'randomUniform', args.embeddingsRegularizer, args.embeddingsConstraint);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, `${who(this)} activityRegularizer`);
    this.maskZero = boolArg(this, 'maskZero', args.maskZero, false);
  }

  /** maskZero: the mask ids ≠ 0 (same shape as the ids). */
  override computeMask(inputs: LayerInput, _mask: MaskArg): MaskArg {
    return this.maskZero ? notEqual(single(this, inputs), 0) : null;
  }

  /** embeddings [inputDim, outputDim], whatever the input shape. */
  override weightShapes(_inputShape: Shape | Shape[]): WeightSpec[] {
    return [weightSpec('embeddings', [this.inputDim, this.outputDim])];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.embeddings = addParamWeight(this, 'embeddings', shapeOf(this.weightShapes(inputShape), 'embeddings'), this.embeddingsParams);
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

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      ...weightConfig('embeddings', this.embeddingsParams),
      activityRegularizer: serializeOrNull(this.activityRegularizer),
      maskZero: this.maskZero,
    };
  }

}
registerLayer(Embedding);
