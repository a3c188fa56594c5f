// Gradient recording state. Ops call `record` after computing a result; it attaches a GradNode
// only while some grad() is running, recording is not paused (noGrad), and an input is itself
// on the tape. Outside grad() nothing is recorded, so inference pays nothing for autograd.
import type { GradFn, Tensor } from './tensor.js';

let depth = 0; // how many grad()/valueAndGrad() calls are running
let paused = 0; // how many noGrad() blocks are running

export function isRecording(): boolean {
  return depth > 0 && paused === 0;
}

/**
 * Attach gradient rules to `output` if any of `inputs` is being differentiated; `grads[i]` maps
 * the output's cotangent to input i's. Returns `output`.
 */
export function record(name: string, inputs: readonly Tensor[], output: Tensor, grads: readonly (GradFn | null)[]): Tensor {
  if (isRecording() && inputs.some((t) => t.node !== null)) output.node = { name, inputs, grads };
  return output;
}

/** Run `fn` as one level of differentiation (grad calls nest: grad of grad is depth 2). */
export function withGradLevel<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** The number of differentiation levels running around this point. */
export function gradDepth(): number {
  return depth;
}

/** Run `fn` with recording paused: nothing inside lands on the tape. */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

/** Run `fn` with recording resumed inside a noGrad block (used by nested differentiation). */
export function withRecording<T>(on: boolean, fn: () => T): T {
  const saved = paused;
  paused = on ? 0 : Math.max(paused, 1);
  try {
    return fn();
  } finally {
    paused = saved;
  }
}
