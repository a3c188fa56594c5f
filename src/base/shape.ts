// Shapes, strides, broadcasting (NumPy rules) and axis normalisation.
import { ShapeError, ValueError } from './errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: strides[i] = product of shape[i+1..]. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** A shape for messages, `[2,3,4]`; an unknown size (a symbolic batch) prints as `null`: `[null,28,28,1]`. */
export function fmtShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(',')}]`;
}

/** The channels-last layout of a `dims`-D spatial input, for messages: `[N, L, C]`, `[N, H, W, C]`, `[N, D, H, W, C]`. */
export function spatialLayout(dims: number): string {
  return dims === 1 ? '[N, L, C]' : dims === 2 ? '[N, H, W, C]' : '[N, D, H, W, C]';
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function isValidShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
}

export function checkShape(op: string, shape: unknown): number[] {
  if (!isValidShape(shape)) {
    throw new ShapeError(`${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [...shape];
}

/**
 * The broadcast shape of `a` and `b`: align from the right; each pair of dimensions must be
 * equal or one of them 1.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * For an input of `inShape` broadcast to `outShape`, the input's strides expressed over the
 * output's axes (0 where the input is broadcast). Used by every broadcasting kernel.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const inStrides = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || inShape[j] === 1 ? 0 : inStrides[j];
  });
}

/** The axes of `outShape` along which an input of `inShape` was broadcast (for gradients). */
export function broadcastAxes(inShape: Shape, outShape: Shape): number[] {
  const offset = outShape.length - inShape.length;
  const axes: number[] = [];
  for (let i = 0; i < outShape.length; i++) {
    const j = i - offset;
    if (j < 0 || (inShape[j] === 1 && outShape[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** Resolve a possibly negative axis against `rank`, or throw naming the op. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** A number or a list of numbers as a list; anything else is a ValueError naming `what`. */
export function numberList(op: string, what: string, v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return [...(v as number[])];
  throw new ValueError(`${op}: ${what} must be a number or an array of numbers, got ${v === null ? 'null' : Array.isArray(v) ? 'an array of non-numbers' : typeof v}`);
}

/** Resolve `axis` (undefined = all axes, number, or list) into sorted unique axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = numberList(op, 'axis', axis);
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) throw new ValueError(`${op}: repeated axis in ${JSON.stringify(axis)}`);
  return out.sort((x, y) => x - y);
}
