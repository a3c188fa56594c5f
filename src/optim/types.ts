// What an optimizer needs from the things it updates. optim sits beside nn in the layer table
// and may not import it, so a layer's Variable is described here structurally; nn's Variable
// satisfies this interface as it is.
import type { JsonObject, JsonValue, Serialized } from '../base/index.js';
import type { Tensor } from '../tensor/index.js';

/** The JSON types of src/base/json.ts, as stored in a saved model's compile config. */
export type { JsonObject, JsonValue };

/** `{ className, config }`: how optimizers and schedules are serialised (as layers are). */
export type SerializedObject = Serialized;

/** A mutable, named tensor holder: nn's Variable. */
export interface OptimizerVariable {
  /** Process-unique id; slot state is keyed by it. */
  readonly id: number;
  /** Stable name (e.g. 'dense/kernel'); optimizer state is saved under it. */
  readonly name: string;
  readonly value: Tensor;
  /** Projection applied after every update (max-norm, non-negativity …). */
  readonly constraint?: { apply(w: Tensor): Tensor } | null;
  assign(value: Tensor): void;
}

/** One variable and its gradient; a null or missing gradient skips the variable. */
export interface GradientPair {
  variable: OptimizerVariable;
  grad: Tensor | null | undefined;
}
