// Symbolic tensors for the functional API: `hb.input({ shape })` and `layer.apply(symbolic)`
// build a graph of layer calls (nodes) without computing anything; hb.model() later runs it.
import { type DType, fmtShape } from '../base/index.js';
import type { Layer } from './layer.js';
import type { Shape } from './types.js';

let nextSymbolicId = 0;

/** One call of a layer on symbolic inputs, producing symbolic outputs. */
export interface LayerNode {
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Extra call arguments recorded at apply() time. */
  readonly callArgs: Record<string, unknown>;
}

/**
 * A placeholder with a shape (null for unknown sizes) and dtype but no values: what {@link input} returns and
 * `layer.apply` passes along while a functional model's graph is built.
 */
export class SymbolicTensor {
  readonly id = nextSymbolicId++;
  /** The node that produced this tensor (an InputLayer's node for model inputs). */
  node: LayerNode | null = null;
  /** Which output of that node this is. */
  outputIndex = 0;

  constructor(readonly shape: Shape, readonly dtype: DType, readonly name: string) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor(${this.name}, ${fmtShape(this.shape)}, ${this.dtype})`;
  }
}

/** Whether `x` is a symbolic tensor (or a non-empty list of them) rather than a real one. */
export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  return x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x.every((v) => v instanceof SymbolicTensor));
}
