// The small interfaces that layers, models and serialisation share.
import type { DType, JsonObject, JsonValue, Serialized } from '../base/index.js';
import type { Tensor } from '../tensor/index.js';

/** A shape whose dimensions may be unknown (null): the batch axis, or any axis of a symbolic input. */
export type Shape = (number | null)[];

/** JSON-serialisable configuration, as in Keras's get_config(): the JSON types of src/base/json.ts. */
export type Config = JsonObject;
/** One value of a layer's {@link Config} (any JSON value). */
export type ConfigValue = JsonValue;

/** `{ className, config }`: how initializers, regularizers, constraints and layers are saved. */
export type { Serialized };

export interface Serializable {
  readonly className: string;
  getConfig(): Config;
}

/** Makes the initial value of a weight. */
export interface Initializer extends Serializable {
  apply(shape: readonly number[], dtype: DType): Tensor;
}

/** A penalty added to the loss: a scalar tensor computed from a weight or an activation. */
export interface Regularizer extends Serializable {
  apply(x: Tensor): Tensor;
}

/** A projection applied to a weight after every optimizer update (e.g. max-norm, non-negativity). */
export interface Constraint extends Serializable {
  apply(w: Tensor): Tensor;
}

/** Extra arguments of `layer.apply` / `call`: the training flag and the inputs' masks. */
export interface CallArgs {
  /** Training mode: dropout drops, batch norm uses batch statistics and updates its averages. */
  training?: boolean;
  /** Sequence mask(s) of the inputs, bool [N, T] (set by Layer.apply from the inputs; see src/nn/mask.ts). */
  mask?: Tensor | null | (Tensor | null)[];
}

export type { DType };
