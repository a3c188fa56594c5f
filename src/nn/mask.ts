// Keras-style masks for sequences: a bool tensor [N, T] that says which time steps are real.
// A mask rides along with the tensor it describes (Keras's `_keras_mask`), here in a WeakMap so
// that tensors stay plain. Layer.apply reads the masks of its inputs, hands them to call() as
// `args.mask`, and attaches what computeMask() gives to the outputs; so a mask made by
// `masking` or `embedding({ maskZero: true })` flows through layers that support masking
// (dense, dropout, activation, the recurrent layers and wrappers) and is dropped by the others.
import type { Tensor } from '../tensor/index.js';

/** A single input's mask, or one per input (null where an input has none). */
export type MaskArg = Tensor | null | (Tensor | null)[];

const masks = new WeakMap<Tensor, Tensor>();

/** The mask attached to `t`, or null. */
export function getMask(t: Tensor): Tensor | null {
  return masks.get(t) ?? null;
}

/** Attach `mask` to `t` (null removes it). */
export function setMask(t: Tensor, mask: Tensor | null): void {
  if (mask) masks.set(t, mask);
  else masks.delete(t);
}

/** The first input's mask: what single-sequence layers use. */
export function firstMask(mask: MaskArg | undefined): Tensor | null {
  if (mask === undefined || mask === null) return null;
  return Array.isArray(mask) ? (mask[0] ?? null) : mask;
}
