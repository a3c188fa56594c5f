// What every zoo constructor shares: the layer factories, the Sequential builder, the options
// ({ inputShape, classes }) and their checks, so a bad argument fails before any layer is made.
import { ValueError } from '../base/index.js';
import { type Model as BaseModel, Sequential } from '../model/index.js';
import { type Layer, layers } from '../nn/index.js';

export { layers as nn };
/** What every zoo constructor returns (lenet5 and mlp are Sequential, the rest functional). */
export type Model = BaseModel;

/** Options every zoo model takes: one sample's `inputShape` and the number of `classes`. */
export interface ZooOptions {
  /** One sample's shape, without the batch axis. */
  inputShape?: readonly number[];
  /** Number of output classes (softmax units). */
  classes?: number;
}

/** Throws a ValueError naming the zoo model when the options cannot build it. */
export function checkZooArgs(name: string, inputShape: readonly number[], classes: number, rank?: number): void {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new ValueError(`zoo.${name}: inputShape must be a list of positive whole numbers, got ${JSON.stringify(inputShape)}`);
  }
  if (rank !== undefined && inputShape.length !== rank) {
    throw new ValueError(`zoo.${name}: inputShape must have ${rank} axes [height, width, channels], got ${JSON.stringify(inputShape)}`);
  }
  if (!Number.isInteger(classes) || classes < 1) throw new ValueError(`zoo.${name}: classes must be a positive whole number, got ${classes}`);
}

/** A named Sequential model. */
export function sequential(list: Layer[], name: string): Sequential {
  return new Sequential({ layers: list, name });
}
