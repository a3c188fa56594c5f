// A Variable is a layer weight: a named, mutable holder of an (immutable) tensor. Optimizers
// replace its value with assign(); the previous tensor is released right away so that a long
// training run holds flat memory without the user disposing anything.
import { fmtShape, ShapeError, DTypeError } from '../base/index.js';
import { keep, type Tensor } from '../tensor/index.js';
import type { Constraint, Regularizer } from './types.js';

let nextVariableId = 0;

/** Options of a {@link Variable}: name, whether it trains, and its regularizer and constraint. */
export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
}

/**
 * A mutable, named weight: a tensor that `assign` replaces and optimizers update. Layers hold their weights as
 * variables.
 */
export class Variable {
  readonly id = nextVariableId++;
  readonly name: string;
  trainable: boolean;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
  private current: Tensor;

  constructor(value: Tensor, { name = `variable_${nextVariableId}`, trainable = true, regularizer = null, constraint = null }: VariableOptions = {}) {
    this.name = name;
    this.trainable = trainable;
    this.regularizer = regularizer;
    this.constraint = constraint;
    this.current = keep(value);
  }

  get value(): Tensor {
    return this.current;
  }

  get shape(): readonly number[] {
    return this.current.shape;
  }

  get dtype(): Tensor['dtype'] {
    return this.current.dtype;
  }

  get size(): number {
    return this.current.size;
  }

  /** Replace the value (same shape and dtype); the old tensor is disposed. */
  assign(value: Tensor): void {
    if (value === this.current) return;
    if (value.shape.length !== this.current.shape.length || value.shape.some((d, i) => d !== this.current.shape[i])) {
      throw new ShapeError(`Variable '${this.name}': cannot assign ${fmtShape(value.shape)} to a variable of shape ${fmtShape(this.current.shape)}`);
    }
    if (value.dtype !== this.current.dtype) {
      throw new DTypeError(`Variable '${this.name}': cannot assign ${value.dtype} to a ${this.current.dtype} variable`);
    }
    const old = this.current;
    this.current = keep(value);
    old.dispose();
  }
}
