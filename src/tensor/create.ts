// Creating tensors from values, constants and random numbers.
import {
  allocArray, bytesPerElement, checkOptions, checkShape, convertArray, type DType, DTypeError, dtypeOfArray, fmtShape, is, isDType,
  MemoryError, rngFor, ShapeError, sizeOf, type TypedArray, ValueError,
} from '../base/index.js';
import { makeTensor } from './engine.js';
import { Tensor } from './tensor.js';

/** Anything `hb.tensor` accepts as values. */
export type TensorLike = Tensor | number | boolean | TypedArray | NestedValues;
export type NestedValues = readonly (number | boolean | NestedValues | TypedArray)[];

function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) throw new DTypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected float32, float64, int32 or bool`);
  return dtype;
}

/** A host-side array for `size` values; a size no TypedArray can hold is a MemoryError, not a RangeError. */
function hostArray(op: string, dtype: DType, shape: readonly number[]): TypedArray {
  const size = sizeOf(shape);
  try {
    return allocArray(dtype, size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new MemoryError(
      `${op}: cannot allocate ${fmtShape(shape)} ${dtype}: ${size} elements (${(size * bytesPerElement(dtype) / 2 ** 30).toFixed(1)} GiB) is more than one buffer can hold`,
    );
  }
}

/** The shape of a rectangular nested array, and its values flattened in row-major order. */
function flatten(op: string, values: NestedValues | number | boolean): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    const arr = probe as ArrayLike<unknown>;
    shape.push(arr.length);
    probe = arr[0];
  }
  const flat: (number | boolean)[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new ValueError(`${op}: values must be numbers or booleans, got ${v === null ? 'null' : typeof v} at ${path || 'top level'}`);
      }
      flat.push(v);
      return;
    }
    if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || (v as ArrayLike<unknown>).length !== shape[depth]) {
      const got = Array.isArray(v) || ArrayBuffer.isView(v) ? `length ${(v as ArrayLike<unknown>).length}` : typeof v;
      throw new ShapeError(`${op}: ragged nested array: expected length ${shape[depth]} at ${path || 'top level'}, got ${got}`);
    }
    const arr = v as ArrayLike<unknown>;
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return { shape, flat };
}

/**
 * A tensor from nested arrays, a TypedArray or a number. Default dtype: that of a TypedArray,
 * bool for booleans, else float32.
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  const op = 'tensor';
  if (dtype !== undefined) checkDType(op, dtype);
  if (shape !== undefined) checkShape(op, shape);
  if (values instanceof Tensor) {
    if (shape !== undefined && sizeOf(shape) !== values.size) {
      throw new ShapeError(`${op}: shape ${fmtShape(shape)} has ${sizeOf(shape)} elements but the tensor has ${values.size}`);
    }
    const data = convertArray(values.dataSync(), dtype ?? values.dtype);
    return makeTensor(data, shape ?? values.shape, dtype ?? values.dtype);
  }
  let flat: ArrayLike<number>;
  let inferredShape: number[];
  let inferred: DType;
  if (ArrayBuffer.isView(values)) {
    const arr = values as TypedArray;
    if (!(arr instanceof Float32Array || arr instanceof Float64Array || arr instanceof Int32Array || arr instanceof Uint8Array)) {
      throw new DTypeError(`${op}: unsupported TypedArray ${(arr as object).constructor.name}; use Float32Array, Float64Array, Int32Array or Uint8Array (bool)`);
    }
    flat = arr;
    inferredShape = [arr.length];
    inferred = dtypeOfArray(arr);
  } else {
    const f = flatten(op, values as NestedValues | number | boolean);
    inferredShape = f.shape;
    const allBool = f.flat.length > 0 && f.flat.every((v) => typeof v === 'boolean');
    inferred = allBool ? 'bool' : 'float32';
    flat = f.flat.map(Number);
  }
  const finalShape = shape === undefined ? inferredShape : checkShape(op, shape);
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(`${op}: shape ${fmtShape(finalShape)} needs ${sizeOf(finalShape)} values but ${flat.length} were given`);
  }
  const finalDType = dtype ?? inferred;
  return makeTensor(convertArray(flat, finalDType), finalShape, finalDType);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/** A tensor of `shape` with every element `value`. */
export function full(shape: readonly number[], value: number | boolean, dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32'): Tensor {
  const s = checkShape('full', shape);
  checkDType('full', dtype);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new ValueError(`full: value must be a number or boolean, got ${typeof value}`);
  const data = hostArray('full', dtype, s);
  data.fill(Number(value));
  return makeTensor(data, s, dtype, 'full');
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** Zeros of `t`'s shape and dtype. */
export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape, t.dtype);
}

/** Ones of `t`'s shape and dtype. */
export function onesLike(t: Tensor): Tensor {
  return ones(t.shape, t.dtype);
}

/** `value` everywhere, in `t`'s shape and dtype. */
export function fullLike(t: Tensor, value: number): Tensor {
  return full(t.shape, value, t.dtype);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) throw new ValueError(`eye: sizes must be non-negative integers, got ${n}, ${m}`);
  const data = hostArray('eye', checkDType('eye', dtype), [n, m]);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return makeTensor(data, [n, m], dtype);
}

/** Values from start (inclusive) to stop (exclusive) by step; `arange(n)` is 0 … n−1. */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a nonzero finite number, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ValueError(`arange: start and stop must be finite, got ${start}, ${stop}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dt = dtype ?? (Number.isInteger(start) && Number.isInteger(step) ? 'int32' : 'float32');
  const data = hostArray('arange', checkDType('arange', dt), [n]);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return makeTensor(data, [n], dt);
}

/** n evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, n: number): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`linspace: n must be a non-negative integer, got ${n}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ValueError(`linspace: start and stop must be finite, got ${start}, ${stop}`);
  const data = hostArray('linspace', 'float32', [n]);
  for (let i = 0; i < n; i++) data[i] = n === 1 ? start : start + ((stop - start) * i) / (n - 1);
  return makeTensor(data, [n], 'float32');
}

/** Options of {@link randomNormal}: mean (default 0), std (default 1), seed and dtype. */
export interface RandomNormalOptions { mean?: number; std?: number; seed?: number; dtype?: DType }
/** Options of {@link randomUniform}: the range [min, max) (default [0, 1)), seed and dtype. */
export interface RandomUniformOptions { min?: number; max?: number; seed?: number; dtype?: DType }

function randomTensor(op: string, shape: readonly number[], dtype: DType, draw: () => number): Tensor {
  const s = checkShape(op, shape);
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const data = hostArray(op, dtype, s);
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return makeTensor(data, s, dtype, op);
}

// The dtype is checked by randomTensor, which says DTypeError for a dtype it cannot draw.
const floatDType = is.string;
const NORMAL_SPEC = { mean: is.finite, std: is.nonNegative, seed: is.int, dtype: floatDType } as const;
const UNIFORM_SPEC = { min: is.finite, max: is.finite, seed: is.int, dtype: floatDType } as const;

/** Normal samples; `seed` gives a private generator, otherwise the global one (hb.setSeed). */
export function randomNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  const { mean = 0, std = 1, seed, dtype = 'float32' } = checkOptions('randomNormal', options, NORMAL_SPEC);
  const rng = rngFor(seed);
  return randomTensor('randomNormal', shape, dtype, () => mean + std * rng.normal());
}

/** Normal samples redrawn until within two standard deviations of the mean. */
export function truncatedNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  const { mean = 0, std = 1, seed, dtype = 'float32' } = checkOptions('truncatedNormal', options, NORMAL_SPEC);
  const rng = rngFor(seed);
  return randomTensor('truncatedNormal', shape, dtype, () => {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    return mean + std * z;
  });
}

/** Samples of U(min, max) (seeded by `seed`, else by {@link setSeed}'s generator). */
export function randomUniform(shape: readonly number[], options: RandomUniformOptions = {}): Tensor {
  const { min = 0, max = 1, seed, dtype = 'float32' } = checkOptions('randomUniform', options, UNIFORM_SPEC);
  if (!(max >= min)) throw new ValueError(`randomUniform: max must be >= min, got min ${min}, max ${max}`);
  const rng = rngFor(seed);
  return randomTensor('randomUniform', shape, dtype, () => min + (max - min) * rng.uniform());
}

/** Integers uniformly drawn from [min, max). */
export function randomInt(shape: readonly number[], min: number, max: number, options: { seed?: number } = {}): Tensor {
  const { seed } = checkOptions('randomInt', options, { seed: is.int });
  if (!Number.isInteger(min) || !Number.isInteger(max) || max <= min) throw new ValueError(`randomInt: need integers min < max, got ${min}, ${max}`);
  const s = checkShape('randomInt', shape);
  const rng = rngFor(seed);
  const data = hostArray('randomInt', 'int32', s);
  for (let i = 0; i < data.length; i++) data[i] = min + rng.int(max - min);
  return makeTensor(data, s, 'int32', 'randomInt');
}
