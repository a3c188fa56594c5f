// The autograd API: grad, valueAndGrad, variableGrads, vjp, customGrad.
import { DTypeError, fmtShape, isFloat, ShapeError, ValueError } from '../base/index.js';
import { toTensor, type TensorLike } from '../ops/index.js';
import { gradDepth, noGrad, record, swapCut, Tensor, viewTensor, withGradLevel, withRecording } from '../tensor/index.js';
import { backward } from './backward.js';

/** A fresh handle on `x` that the current differentiation level treats as an input. */
function makeLeaf(op: string, x: TensorLike, position: number): Tensor {
  const t = toTensor(op, x);
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: argument ${position} has dtype ${t.dtype}; gradients need float32 or float64`);
  const leaf = viewTensor(t, t.shape);
  // The identity link to `t` lets an enclosing grad() see through this level.
  leaf.node = { name: 'leaf', inputs: [t], grads: [(dy) => dy] };
  return leaf;
}

function checkScalarOutput(op: string, y: unknown): Tensor {
  if (!(y instanceof Tensor)) throw new ValueError(`${op}: the function must return a Tensor, got ${typeof y}`);
  if (y.size !== 1) throw new ShapeError(`${op}: the function must return a scalar (one element), got shape ${fmtShape(y.shape)}; reduce it (e.g. with sum or mean) first`);
  if (!isFloat(y.dtype)) throw new DTypeError(`${op}: the function must return a float tensor, got ${y.dtype}`);
  return y;
}

function positionsOf(op: string, argnums: number | readonly number[], count: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const p of list) {
    if (!Number.isInteger(p) || p < 0 || p >= count) throw new ValueError(`${op}: argument position ${p} is out of range for ${count} argument(s)`);
  }
  return list;
}

/** Run `f` with leaves at `positions` and differentiate its output with respect to them. */
function differentiate(op: string, f: (...args: Tensor[]) => Tensor, args: readonly TensorLike[], positions: number[], seed?: Tensor): [Tensor, Tensor[]] {
  return withGradLevel(() => {
    const leaves: Tensor[] = [];
    const leafOf = new Map<number, number>(); // argument position → index in leaves (argument order)
    const inputs = args.map((a, i) => {
      if (!positions.includes(i)) return toTensor(op, a);
      const leaf = makeLeaf(op, a, i);
      leafOf.set(i, leaves.length);
      leaves.push(leaf);
      return leaf;
    });
    // Recording on even inside noGrad (e.g. checkGrad's finite differences of a gradient):
    // this level needs f's graph, else every gradient silently comes out zero.
    const outerCut = swapCut(null);
    let cut: string | null;
    let y: Tensor;
    try {
      y = withRecording(true, () => f(...inputs));
    } finally {
      cut = swapCut(outerCut);
    }
    if (seed === undefined) checkScalarOutput(op, y);
    else if (!(y instanceof Tensor) || y.size !== seed.size) {
      throw new ShapeError(`${op}: cotangent ${fmtShape(seed.shape)} does not match the output ${y instanceof Tensor ? fmtShape(y.shape) : typeof y}`);
    }
    // Record the backward pass only if an enclosing level will differentiate it again.
    const unreached: boolean[] = [];
    const grads = withRecording(gradDepth() > 1, () => backward(y, leaves, seed, unreached));
    reportCut(op, cut, unreached, positions);
    const ordered = positions.map((p) => grads[leafOf.get(p)!]);
    return [y, ordered];
  });
}

/**
 * A gradient that is zero only because the path was cut (noGrad, model.predict) is an error,
 * not a silent zero: say where it was cut and what to use instead.
 */
function reportCut(op: string, cut: string | null, unreached: readonly boolean[], positions: readonly number[]): void {
  if (cut === null) return;
  const lost = positions.filter((_, i) => unreached[i]);
  if (lost.length === 0) return;
  throw new ValueError(
    `${op}: the output does not depend on argument ${lost.join(', ')} through differentiable ops: ${cut}. ` +
      `Call a model directly (model.apply(x)) rather than through model.predict, keep the computation out of noGrad, ` +
      `and keep differentiated values in float tensors.`,
  );
}

type Fn = (...args: Tensor[]) => Tensor;

/**
 * The gradient function of a scalar-valued `f`: with one position (default 0) it returns the
 * gradient for that argument, with a list of positions an array of gradients.
 */
export function grad(f: Fn): (...args: TensorLike[]) => Tensor;
export function grad(f: Fn, argnums: number): (...args: TensorLike[]) => Tensor;
export function grad(f: Fn, argnums: readonly number[]): (...args: TensorLike[]) => Tensor[];
export function grad(f: Fn, argnums: number | readonly number[] = 0): (...args: TensorLike[]) => Tensor | Tensor[] {
  return (...args) => {
    const [, grads] = differentiate('grad', f, args, positionsOf('grad', argnums, args.length));
    return typeof argnums === 'number' ? grads[0] : grads;
  };
}

/** Like grad, but also returns f's value: `const [value, grads] = valueAndGrad(f)(x)`. */
export function valueAndGrad(f: Fn): (...args: TensorLike[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, argnums: number): (...args: TensorLike[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, argnums: readonly number[]): (...args: TensorLike[]) => [Tensor, Tensor[]];
export function valueAndGrad(f: Fn, argnums: number | readonly number[] = 0): (...args: TensorLike[]) => [Tensor, Tensor | Tensor[]] {
  return (...args) => {
    const [value, grads] = differentiate('valueAndGrad', f, args, positionsOf('valueAndGrad', argnums, args.length));
    return [value, typeof argnums === 'number' ? grads[0] : grads];
  };
}

/**
 * Vector–Jacobian product: f's value at `args` and the cotangents of all arguments for output
 * cotangent `dy` (f may return any shape).
 */
export function vjp(f: Fn, args: readonly TensorLike[], dy: TensorLike): { value: Tensor; grads: Tensor[] } {
  const seed = toTensor('vjp', dy);
  const [value, grads] = differentiate('vjp', f, args, args.map((_, i) => i), seed);
  return { value, grads };
}

/**
 * Gradients of scalar `f()` with respect to tensors it reads from its closure (a model's
 * weights). The tensors are marked as inputs while f runs.
 */
export function variableGrads(f: () => Tensor, variables: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  return withGradLevel(() => {
    for (const [i, v] of variables.entries()) {
      if (!isFloat(v.dtype)) throw new DTypeError(`variableGrads: variable ${i} has dtype ${v.dtype}; gradients need float32 or float64`);
      if (v.node !== null) throw new ValueError(`variableGrads: variable ${i} ${fmtShape(v.shape)} is already being differentiated; pass it to grad() as an argument instead`);
    }
    const unique = [...new Set(variables)];
    for (const v of unique) v.node = { name: 'variable', inputs: [], grads: [] };
    try {
      const outerCut = swapCut(null);
      let cut: string | null;
      let out: Tensor;
      try {
        out = withRecording(true, f);
      } finally {
        cut = swapCut(outerCut);
      }
      const y = checkScalarOutput('variableGrads', out);
      const unreached: boolean[] = [];
      const grads = withRecording(gradDepth() > 1, () => backward(y, unique, undefined, unreached));
      // Only when nothing at all is reached: a model may legitimately leave some variables
      // unused while updating others under noGrad (batch-norm statistics).
      if (unreached.every(Boolean)) reportCut('variableGrads', cut, unreached, unique.map((_, i) => i));
      return { value: y, grads: variables.map((v) => grads[unique.indexOf(v)]) };
    } finally {
      for (const v of unique) v.node = null;
    }
  });
}

/** What a {@link customGrad} function returns: its `value` and the `gradFunc` mapping dy to the inputs' gradients. */
export interface CustomGradResult {
  value: Tensor;
  /** dy → one gradient per input (a single tensor if there is one input). */
  gradFunc: (dy: Tensor) => Tensor | readonly Tensor[];
}

/**
 * An op with a hand-written gradient: `f` computes the value (not recorded) and returns the rule
 * that maps the output's cotangent to the inputs'. The rule is recorded when differentiated
 * again, so it should be written with ops.
 */
export function customGrad(f: (...inputs: Tensor[]) => CustomGradResult): (...inputs: TensorLike[]) => Tensor {
  return (...xs) => {
    const inputs = xs.map((x) => toTensor('customGrad', x));
    const { value, gradFunc } = noGrad(() => f(...inputs));
    if (!(value instanceof Tensor)) throw new ValueError('customGrad: f must return { value: Tensor, gradFunc }');
    const out = viewTensor(value, value.shape);
    let memo: { dy: Tensor; grads: readonly Tensor[] } | null = null;
    const gradsFor = (dy: Tensor): readonly Tensor[] => {
      if (memo?.dy !== dy) {
        const g = gradFunc(dy);
        const list = g instanceof Tensor ? [g] : g;
        if (list.length !== inputs.length) throw new ValueError(`customGrad: gradFunc returned ${list.length} gradients for ${inputs.length} inputs`);
        memo = { dy, grads: list };
      }
      return memo.grads;
    };
    return record('customGrad', inputs, out, inputs.map((t, i) => (isFloat(t.dtype) ? (dy: Tensor) => gradsFor(dy)[i] : null)));
  };
}
