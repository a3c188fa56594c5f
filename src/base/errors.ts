// Every error hebb throws on bad input is a HebbError. The message names the op or layer
// first and then the offending shapes or values, e.g. `matmul: inner dimensions differ: [2,3] x [4,5]`.

/**
 * The base of hebb's errors: {@link ShapeError}, {@link DTypeError}, {@link ValueError}, {@link FormatError}, {@link
 * MemoryError}.
 */
export class HebbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit an op's rule (rank, broadcasting, inner dimensions, sizes). */
export class ShapeError extends HebbError {}

/** A dtype an op does not accept, or two dtypes that do not go together. */
export class DTypeError extends HebbError {}

/** An option or value outside its allowed range (negative rate, unknown padding, bad index). */
export class ValueError extends HebbError {}

/** A malformed file or serialised object (model.json, safetensors, IDX, ONNX). */
export class FormatError extends HebbError {}

/**
 * Memory ran out: a tensor could not be allocated even after collecting every unreachable one.
 * The message says how much is live and how to release it (hb.tidy, dispose). The backend
 * stays usable: free something and allocate again.
 */
export class MemoryError extends HebbError {}
