// Gradient recording state. Ops call `record` after computing a result; it attaches a GradNode
// only while some grad() is running, recording is not paused (noGrad), and an input is itself
// on the tape. Outside grad() nothing is recorded, so inference pays nothing for autograd.
import type { GradFn, Tensor } from './tensor.js';

let depth = 0; // how many grad()/valueAndGrad() calls are running
let paused = 0; // how many noGrad() blocks are running
const reasons: string[] = []; // what paused recording, innermost last ('noGrad', 'model.predict')
/**
 * The first op, since the running grad() called its function, that read a tensor on the tape
 * while recording was paused: the gradient path is cut there, and a gradient that comes out
 * all zeros because of it must be reported, not returned silently.
 */
let cut: string | null = null;

export function isRecording(): boolean {
  return depth > 0 && paused === 0;
}

/**
 * Attach gradient rules to `output` if any of `inputs` is being differentiated; `grads[i]` maps
 * the output's cotangent to input i's. Returns `output`.
 */
export function record(name: string, inputs: readonly Tensor[], output: Tensor, grads: readonly (GradFn | null)[]): Tensor {
  if (depth === 0) return output;
  if (inputs.some((t) => t.node !== null)) {
    if (paused > 0) {
      cut ??= `'${name}' ran inside ${reasons[reasons.length - 1] ?? 'noGrad'}, which records no gradient`;
      return output;
    }
    output.node = { name, inputs, grads };
    if (output.dtype === 'int32' || output.dtype === 'bool') cut ??= `'${name}' returned ${output.dtype} values, which carry no gradient`;
  }
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

/**
 * Run `fn` with recording paused: nothing inside lands on the tape. `reason` names the region
 * in the error a gradient cut by it produces (model.predict passes 'model.predict').
 */
export function noGrad<T>(fn: () => T, reason = 'noGrad'): T {
  paused++;
  reasons.push(reason);
  try {
    return fn();
  } finally {
    paused--;
    reasons.pop();
  }
}

/** Replace the recorded cut (see `cut`) and return the previous one; grad() brackets its function with it. */
export function swapCut(next: string | null): string | null {
  const previous = cut;
  cut = next;
  return previous;
}

/** Run `fn` with recording resumed inside a noGrad block (used by nested differentiation). */
export function withRecording<T>(on: boolean, fn: () => T): T {
  const saved = paused;
  paused = on ? 0 : Math.max(paused, 1);
  if (!on) reasons.push('a backward pass');
  try {
    return fn();
  } finally {
    paused = saved;
    if (!on) reasons.pop();
  }
}
