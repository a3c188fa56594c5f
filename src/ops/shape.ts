// Movement ops: they rearrange elements without arithmetic. reshape (and its relatives
// flatten, expandDims, squeeze) shares the buffer; the rest run a kernel.
import { broadcastShapes, checkShape, DTypeError, fmtShape, isFloat, normalizeAxis, numberList, promoteTypes, ShapeError, shapesEqual, sizeOf, ValueError } from '../base/index.js';
import { type GradFn, record, runKernel, Tensor, tensor, viewTensor } from '../tensor/index.js';
import { sumTo } from './reduce.js';
import { castTo, toTensor, type TensorLike } from './util.js';

/** Same elements, new shape; one dimension may be −1 (inferred). Never copies. */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('reshape', x);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ShapeError(`reshape: shape must be integers >= -1, got ${JSON.stringify(shape)}`);
  }
  const unknown = shape.indexOf(-1);
  if (unknown !== shape.lastIndexOf(-1)) throw new ShapeError(`reshape: only one dimension may be -1, got ${fmtShape(shape)}`);
  let target = [...shape];
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || t.size % known !== 0) throw new ShapeError(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)}`);
    target[unknown] = t.size / known;
  }
  if (sizeOf(target) !== t.size) throw new ShapeError(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) into ${fmtShape(shape)} (${sizeOf(target)} elements)`);
  if (shapesEqual(target, t.shape)) return t;
  target = target.map((d) => d);
  const y = viewTensor(t, target);
  return record('reshape', [t], y, [(dy) => reshape(dy, t.shape)]);
}

/** Permute axes: y.shape[i] = x.shape[perm[i]]; the default reverses them. */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor('transpose', x);
  if (perm !== undefined && !Array.isArray(perm)) throw new ValueError(`transpose: perm must be an array of axes for ${fmtShape(t.shape)}, got ${JSON.stringify(perm)}`);
  const p = perm === undefined ? t.shape.map((_, i) => t.rank - 1 - i) : perm.map((a) => normalizeAxis('transpose', a, t.rank));
  if (p.length !== t.rank || new Set(p).size !== t.rank) {
    throw new ValueError(`transpose: perm ${JSON.stringify(perm)} is not a permutation of the ${t.rank} axes of ${fmtShape(t.shape)}`);
  }
  if (p.every((a, i) => a === i)) return t;
  const [y] = runKernel('transpose', [t], { perm: p }, [{ shape: p.map((a) => t.shape[a]), dtype: t.dtype }]);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => (inverse[a] = i));
  return record('transpose', [t], y, [(dy) => transpose(dy, inverse)]);
}

/** Merge axes startAxis..endAxis into one (all of them by default). */
export function flatten(x: TensorLike, startAxis = 0, endAxis = -1): Tensor {
  const t = toTensor('flatten', x);
  if (t.rank === 0) return reshape(t, [1]);
  const s = normalizeAxis('flatten', startAxis, t.rank);
  const e = normalizeAxis('flatten', endAxis, t.rank);
  if (s > e) throw new ValueError(`flatten: startAxis ${startAxis} comes after endAxis ${endAxis}`);
  return reshape(t, [...t.shape.slice(0, s), sizeOf(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)]);
}

/** Insert a dimension of size 1 at `axis` (which may be −1 for "at the end"). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor('expandDims', x);
  const a = normalizeAxis('expandDims', axis, t.rank + 1);
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/** Remove dimensions of size 1 (all of them, or those listed, which must be 1). */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor('squeeze', x);
  const axes = axis === undefined ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
    : numberList('squeeze', 'axis', axis).map((a) => normalizeAxis('squeeze', a, t.rank));
  for (const a of axes) if (t.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of ${fmtShape(t.shape)} has size ${t.shape[a]}, not 1`);
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/** `x` broadcast (NumPy rules) to `shape`; the gradient sums back. */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor('broadcastTo', x);
  const target = broadcastShapes('broadcastTo', t.shape, checkShape('broadcastTo', shape));
  if (!shapesEqual(target, shape)) throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)}`);
  if (shapesEqual(t.shape, shape)) return t;
  const [y] = runKernel('broadcastTo', [t], {}, [{ shape, dtype: t.dtype }]);
  return record('broadcastTo', [t], y, [(dy) => sumTo(dy, t.shape)]);
}

/**
 * The block of `x` starting at `begin` with `size` elements per axis. begin/size may cover only
 * the leading axes (the rest are taken whole); a size of −1 means "to the end".
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const t = toTensor('slice', x);
  const b = numberList('slice', 'begin', begin);
  const s = size === undefined ? b.map(() => -1) : numberList('slice', 'size', size);
  if (b.length > t.rank || s.length !== b.length) {
    throw new ShapeError(`slice: begin ${JSON.stringify(begin)} and size ${JSON.stringify(size)} must have equal length <= rank of ${fmtShape(t.shape)}`);
  }
  const starts = t.shape.map((d, i) => (i < b.length ? b[i] : 0));
  const sizes = t.shape.map((d, i) => (i < s.length ? (s[i] === -1 ? d - starts[i] : s[i]) : d));
  t.shape.forEach((d, i) => {
    if (!Number.isInteger(starts[i]) || !Number.isInteger(sizes[i]) || starts[i] < 0 || sizes[i] < 0 || starts[i] + sizes[i] > d) {
      throw new ValueError(`slice: begin ${JSON.stringify(begin)} size ${JSON.stringify(size)} is out of bounds for ${fmtShape(t.shape)} (axis ${i})`);
    }
  });
  if (shapesEqual(sizes, t.shape)) return t;
  const [y] = runKernel('slice', [t], { begin: starts }, [{ shape: sizes, dtype: t.dtype }]);
  return record('slice', [t], y, [(dy) => pad(dy, t.shape.map((d, i) => [starts[i], d - starts[i] - sizes[i]] as [number, number]))]);
}

/** Surround each axis with `paddings[i] = [before, after]` elements of `value`. */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  const t = toTensor('pad', x);
  if (!Array.isArray(paddings) || !paddings.every((p) => Array.isArray(p))) throw new ValueError(`pad: paddings must be an array of [before, after] pairs`);
  if (typeof value !== 'number') throw new ValueError(`pad: value must be a number, got ${typeof value}`);
  if (paddings.length !== t.rank || !paddings.every((p) => p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))) {
    throw new ValueError(`pad: paddings must be ${t.rank} pairs of non-negative integers for ${fmtShape(t.shape)}, got ${JSON.stringify(paddings)}`);
  }
  if (paddings.every(([a, b]) => a === 0 && b === 0)) return t;
  const pads = paddings.map(([a, b]) => [a, b] as [number, number]);
  const [y] = runKernel('pad', [t], { paddings: pads, value }, [{ shape: t.shape.map((d, i) => d + pads[i][0] + pads[i][1]), dtype: t.dtype }]);
  return record('pad', [t], y, [(dy) => slice(dy, pads.map((p) => p[0]), t.shape)]);
}

/** Join tensors along an existing axis; all other dimensions must agree. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('concat: needs a non-empty list of tensors');
  let ts = xs.map((x) => toTensor('concat', x));
  const rank = ts[0].rank;
  if (rank === 0) throw new ShapeError('concat: cannot concatenate scalars; use stack');
  const a = normalizeAxis('concat', axis, rank);
  for (const t of ts) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== a && d !== ts[0].shape[i])) {
      throw new ShapeError(`concat: shapes ${ts.map((u) => fmtShape(u.shape)).join(', ')} differ outside axis ${a}`);
    }
  }
  const dtype = ts.map((t) => t.dtype).reduce(promoteTypes);
  ts = ts.map((t) => castTo(t, dtype));
  if (ts.length === 1) return ts[0];
  const shape = [...ts[0].shape];
  shape[a] = ts.reduce((acc, t) => acc + t.shape[a], 0);
  const [y] = runKernel('concat', ts, { axis: a }, [{ shape, dtype }]);
  let offset = 0;
  const grads: GradFn[] = ts.map((t) => {
    const begin = t.shape.map((_, i) => (i === a ? offset : 0));
    offset += t.shape[a];
    return (dy: Tensor) => slice(dy, begin, t.shape);
  });
  return record('concat', ts, y, grads);
}

/** Join tensors of one shape along a new axis. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('stack: needs a non-empty list of tensors');
  const ts = xs.map((x) => toTensor('stack', x));
  for (const t of ts) {
    if (!shapesEqual(t.shape, ts[0].shape)) throw new ShapeError(`stack: all shapes must be equal, got ${ts.map((u) => fmtShape(u.shape)).join(', ')}`);
  }
  const a = normalizeAxis('stack', axis, ts[0].rank + 1);
  return concat(ts.map((t) => expandDims(t, a)), a);
}

/** Split into equal parts (a count) or parts of the given sizes along `axis`. */
export function split(x: TensorLike, sizes: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor('split', x);
  const a = normalizeAxis('split', axis, t.rank);
  const d = t.shape[a];
  let parts: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0 || d % sizes !== 0) throw new ValueError(`split: cannot split axis ${a} of size ${d} into ${sizes} equal parts`);
    parts = new Array<number>(sizes).fill(d / sizes);
  } else {
    parts = numberList('split', 'sizes', sizes);
    if (parts.reduce((p, q) => p + q, 0) !== d || parts.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new ValueError(`split: sizes ${JSON.stringify(sizes)} do not add up to ${d} (axis ${a} of ${fmtShape(t.shape)})`);
    }
  }
  let offset = 0;
  return parts.map((p) => {
    const begin = t.shape.map((_, i) => (i === a ? offset : 0));
    const size = t.shape.map((s, i) => (i === a ? p : s));
    offset += p;
    return slice(t, begin, size);
  });
}

/** The slices along `axis`, each without that axis. */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor('unstack', x);
  const a = normalizeAxis('unstack', axis, t.rank);
  return split(t, t.shape[a], a).map((p) => squeeze(p, a));
}

function indexTensor(op: string, indices: TensorLike): Tensor {
  const idx = indices instanceof Tensor ? indices : tensor(indices, undefined, 'int32');
  if (idx.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${idx.dtype} ${fmtShape(idx.shape)}`);
  return idx;
}

/** Take slices of `x` at `indices` along `axis`: y.shape = x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = toTensor('gather', x);
  const idx = indexTensor('gather', indices);
  if (t.rank === 0) throw new ShapeError('gather: cannot gather from a scalar');
  const a = normalizeAxis('gather', axis, t.rank);
  const shape = [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)];
  const [y] = runKernel('gather', [t, idx], { axis: a }, [{ shape, dtype: t.dtype }]);
  return record('gather', [t, idx], y, [(dy) => scatterAdd(dy, idx, a, t.shape), null]);
}

/**
 * Zeros of `shape` with `updates` added at `indices` along `axis` (repeated indices add up); the
 * adjoint of gather. updates.shape = shape[:axis] + indices.shape + shape[axis+1:].
 */
export function scatterAdd(updates: TensorLike, indices: TensorLike, axis: number, shape: readonly number[]): Tensor {
  const u = toTensor('scatterAdd', updates);
  const idx = indexTensor('scatterAdd', indices);
  checkShape('scatterAdd', shape);
  const a = normalizeAxis('scatterAdd', axis, shape.length);
  const expected = [...shape.slice(0, a), ...idx.shape, ...shape.slice(a + 1)];
  if (!shapesEqual(u.shape, expected)) {
    throw new ShapeError(`scatterAdd: updates ${fmtShape(u.shape)} do not match indices ${fmtShape(idx.shape)} for output ${fmtShape(shape)} (expected ${fmtShape(expected)})`);
  }
  const [y] = runKernel('scatterAdd', [u, idx], { axis: a }, [{ shape, dtype: u.dtype }]);
  return record('scatterAdd', [u, idx], y, [(dy) => gather(dy, idx, a), null]);
}

/** Repeat `x` reps[i] times along axis i: reshape to interleave unit axes, broadcast, reshape back. */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor('tile', x);
  if (!Array.isArray(reps)) throw new ValueError(`tile: reps must be an array of ${t.rank} non-negative integers, got ${typeof reps}`);
  if (reps.length !== t.rank || !reps.every((r) => Number.isInteger(r) && r >= 0)) {
    throw new ValueError(`tile: reps must be ${t.rank} non-negative integers for ${fmtShape(t.shape)}, got ${JSON.stringify(reps)}`);
  }
  const spread = t.shape.flatMap((d) => [1, d]);
  const target = t.shape.flatMap((d, i) => [reps[i], d]);
  return reshape(broadcastTo(reshape(t, spread), target), t.shape.map((d, i) => d * reps[i]));
}

/** Reverse the order of elements along the given axes. */
export function reverse(x: TensorLike, axis: number | readonly number[] = 0): Tensor {
  let t = toTensor('reverse', x);
  const axes = numberList('reverse', 'axis', axis);
  for (const a of axes) {
    const ax = normalizeAxis('reverse', a, t.rank);
    const n = t.shape[ax];
    t = gather(t, tensor(Int32Array.from({ length: n }, (_, i) => n - 1 - i)), ax);
  }
  return t;
}

/** One-hot rows: y[..., k] = onValue where indices = k, else offValue (float32). */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  const idx = indexTensor('oneHot', indices);
  if (!Number.isInteger(depth) || depth < 1) throw new ValueError(`oneHot: depth must be a positive integer, got ${depth}`);
  const values = idx.dataSync();
  const out = new Float32Array(values.length * depth).fill(offValue);
  values.forEach((v, i) => {
    if (v >= 0 && v < depth) out[i * depth + v] = onValue;
  });
  return tensor(out, [...idx.shape, depth]);
}

/** The same values with no gradient flowing back through them. */
export function stopGradient(x: TensorLike): Tensor {
  const t = toTensor('stopGradient', x);
  return viewTensor(t, t.shape);
}

/** A copy of `x` in a new buffer (its gradient is the identity). */
export function clone(x: TensorLike): Tensor {
  const t = toTensor('clone', x);
  const [y] = runKernel('cast', [t], {}, [{ shape: t.shape, dtype: t.dtype }]);
  return record('clone', [t], y, [isFloat(t.dtype) ? (dy) => dy : null]);
}
