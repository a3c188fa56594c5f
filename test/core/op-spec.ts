// The op-spec table: one line per differentiable op and variant. gradients.test.ts runs
// hb.checkGrad on every line (float64, central differences) on cpu and compares every fast
// backend's float32 value and gradients with those; op-parity.test.ts compares each fast
// backend with cpu line by line in float32 (value and vjp of every input). Inputs are
// generated from a seed and kept away from the points where an op is not differentiable (|x|
// off 0 for abs/relu, positive bases for log/sqrt/pow, no ties for max/min/pooling); any other
// exception is written on its line.
import * as hb from '../../src/index.js';
import { type Arr, broadcastBinary, Prng } from '../util/reference.js';

type Tensor = hb.Tensor;

export interface InputSpec {
  shape: readonly number[];
  /** Values are drawn uniformly from [lo, hi] (default [−2, 2]). */
  lo?: number;
  hi?: number;
  /** Values closer than `minAbs` to 0 are redrawn. */
  minAbs?: number;
  /** Values within 0.05 of these points (kinks, jumps) are redrawn. */
  avoid?: readonly number[];
  /**
   * All `distinct` inputs of a line together hold pairwise different values, at least
   * (hi − lo)/(2n) apart: no ties for max/min/maximum/maxPool, whose gradient picks one element.
   */
  distinct?: boolean;
  /** Multiples of 1/16: exact in float32, and so is x ± 2⁻¹⁰ (for cast lines). */
  dyadic?: boolean;
}

export interface OpSpec {
  name: string;
  /** The hb function this line covers (for the coverage check against src/index.ts). */
  op: string;
  fn: (...xs: Tensor[]) => Tensor;
  inputs: readonly InputSpec[];
  /** Inputs are redrawn until this holds (for domains that depend on several inputs). */
  valid?: (...xs: Arr[]) => boolean;
  /** checkGrad's finite-difference step, only where the default cannot work (the line says why). */
  eps?: number;
  note?: string;
}

/**
 * Ops in src/index.ts that are not in the table, and why. gradients.test.ts checks that every
 * op exported from src/ops is either covered by a line or listed here.
 */
export const NOT_IN_TABLE: Readonly<Record<string, string>> = {
  equal: 'non-differentiable: comparisons return bool',
  notEqual: 'non-differentiable: comparisons return bool',
  greater: 'non-differentiable: comparisons return bool',
  greaterEqual: 'non-differentiable: comparisons return bool',
  less: 'non-differentiable: comparisons return bool',
  lessEqual: 'non-differentiable: comparisons return bool',
  logicalAnd: 'non-differentiable: bool logic',
  logicalOr: 'non-differentiable: bool logic',
  logicalNot: 'non-differentiable: bool logic',
  isNaN: 'non-differentiable: returns bool',
  isFinite: 'non-differentiable: returns bool',
  any: 'non-differentiable: bool reduction',
  all: 'non-differentiable: bool reduction',
  argmax: 'non-differentiable: returns int32 indices',
  argmin: 'non-differentiable: returns int32 indices',
  oneHot: 'non-differentiable: int32 indices in, constants out',
  stopGradient: 'gradient is zero by definition (tested in second-order.test.ts)',
  castTo: 'internal (cast is in the table)',
  toTensor: 'conversion helper, not an op',
};

// ---- input helpers ----

const real = (...shape: number[]): InputSpec => ({ shape });
const positive = (...shape: number[]): InputSpec => ({ shape, lo: 0.5, hi: 2 });
/** Either sign, |x| ≥ 0.5: denominators and the like. */
const nonzero = (...shape: number[]): InputSpec => ({ shape, minAbs: 0.5 });
/** Either sign, |x| ≥ 0.1: off the kink at 0 of abs, relu and friends. */
const offZero = (...shape: number[]): InputSpec => ({ shape, minAbs: 0.1 });
const distinct = (...shape: number[]): InputSpec => ({ shape, distinct: true });
const small = (...shape: number[]): InputSpec => ({ shape, lo: -1, hi: 1 });

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function drawValues(rng: Prng, spec: InputSpec, n: number): number[] {
  const lo = spec.lo ?? -2;
  const hi = spec.hi ?? 2;
  const bad = (v: number): boolean => Math.abs(v) < (spec.minAbs ?? 0) || (spec.avoid ?? []).some((p) => Math.abs(v - p) < 0.05);
  return Array.from({ length: n }, () => {
    let v = rng.range(lo, hi);
    while (bad(v)) v = rng.range(lo, hi);
    return spec.dyadic ? Math.round(v * 16) / 16 : v;
  });
}

/** The raw values of a line's inputs for `seed` (the same on every machine and backend). */
export function makeInputArrays(spec: OpSpec, seed = 1): Arr[] {
  const rng = new Prng(hashName(spec.name) ^ Math.imul(seed, 0x9e3779b1));
  for (let attempt = 0; attempt < 1000; attempt++) {
    const sizes = spec.inputs.map((s) => s.shape.reduce((p, d) => p * d, 1));
    // One shuffled, jittered grid serves every distinct input of the line, so values differ across inputs too.
    const distinctSpecs = spec.inputs.filter((s) => s.distinct);
    const nDistinct = spec.inputs.reduce((acc, s, i) => acc + (s.distinct ? sizes[i] : 0), 0);
    const lo = distinctSpecs[0]?.lo ?? -2;
    const hi = distinctSpecs[0]?.hi ?? 2;
    const step = (hi - lo) / Math.max(nDistinct, 1);
    const pool = rng.shuffle(Array.from({ length: nDistinct }, (_, k) => lo + (k + 0.5 + rng.range(-0.25, 0.25)) * step));
    const arrays = spec.inputs.map((s, i) => ({
      shape: [...s.shape],
      data: Float64Array.from(s.distinct ? pool.splice(0, sizes[i]) : drawValues(rng, s, sizes[i])),
    }));
    if (spec.valid === undefined || spec.valid(...arrays)) return arrays;
  }
  throw new Error(`op-spec ${spec.name}: no valid inputs found`);
}

/** A line's inputs as tensors on the current backend (float64 for gradient checks, float32 for parity). */
export function makeInputs(spec: OpSpec, seed = 1, dtype: 'float32' | 'float64' = 'float64'): Tensor[] {
  return makeInputArrays(spec, seed).map((a) => hb.tensor(a.data, a.shape, dtype));
}

/** A line's value and the cotangents of all its inputs for a fixed output cotangent (read back as numbers). */
export interface LineResult {
  value: number[];
  grads: number[][];
}

/**
 * Run a line forward and backward on the current backend in `dtype`: the value, and the vjp of
 * every input for a cotangent drawn from the line's seed (so every gradient entry matters).
 */
export function runLine(spec: OpSpec, dtype: 'float32' | 'float64', seed = 1): LineResult {
  return hb.tidy(() => {
    const xs = makeInputs(spec, seed, dtype);
    const shape = spec.fn(...xs).shape;
    const rng = new Prng(hashName(spec.name) ^ 0x5bd1e995);
    const dy = hb.tensor(Float64Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.range(-1, 1)), [...shape], dtype);
    const { value, grads } = hb.vjp(spec.fn, xs, dy);
    return { value: Array.from(value.dataSync()), grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

const fmt = (shape: readonly number[]): string => `[${shape.join(',')}]`;

// ---- elementwise ----

type Shapes = readonly [readonly number[], readonly number[]];
/** The broadcast patterns every binary op is checked under. */
const BROADCASTS: readonly [string, Shapes][] = [
  ['same shape', [[2, 3], [2, 3]]],
  ['scalar right', [[2, 3], []]],
  ['scalar left', [[], [2, 3]]],
  ['row vector', [[2, 3], [3]]],
  ['row [1,3]', [[2, 3], [1, 3]]],
  ['column vector', [[2, 3], [2, 1]]],
  ['both broadcast', [[2, 1, 3], [4, 1]]],
  ['rank-0 both', [[], []]],
];

/** Distance from x/y to the nearest integer (mod's gradient in y jumps where x/y is an integer). */
const offInteger = (a: Arr, b: Arr): boolean =>
  broadcastBinary(a, b, (x, y) => Math.abs(x / y - Math.round(x / y))).data.every((d) => d > 0.02);

/** Each side of maximum/minimum wins somewhere, so both gradients are exercised (unless both are scalars). */
const bothWin = (a: Arr, b: Arr): boolean => {
  const wins = broadcastBinary(a, b, (x, y) => (x > y ? 1 : 0)).data;
  return wins.length === 1 || (wins.includes(0) && wins.includes(1));
};

const BINARY: readonly { op: string; fn: (a: Tensor, b: Tensor) => Tensor; a: (s: number[]) => InputSpec; b: (s: number[]) => InputSpec; valid?: OpSpec['valid']; note?: string }[] = [
  { op: 'add', fn: hb.add, a: (s) => real(...s), b: (s) => real(...s) },
  { op: 'sub', fn: hb.sub, a: (s) => real(...s), b: (s) => real(...s) },
  { op: 'mul', fn: hb.mul, a: (s) => real(...s), b: (s) => real(...s) },
  { op: 'div', fn: hb.div, a: (s) => real(...s), b: (s) => nonzero(...s) },
  { op: 'pow', fn: hb.pow, a: (s) => positive(...s), b: (s) => real(...s), note: 'base > 0: d/dy x^y = x^y log x needs log x' },
  { op: 'mod', fn: hb.mod, a: (s) => ({ shape: s, lo: -3, hi: 3 }), b: (s) => nonzero(...s), valid: offInteger, note: 'x/y kept off integers, where mod jumps' },
  { op: 'maximum', fn: hb.maximum, a: (s) => distinct(...s), b: (s) => distinct(...s), valid: bothWin, note: 'no ties (the gradient picks one side)' },
  { op: 'minimum', fn: hb.minimum, a: (s) => distinct(...s), b: (s) => distinct(...s), valid: bothWin, note: 'no ties (the gradient picks one side)' },
];

const binaryLines: OpSpec[] = BINARY.flatMap((b) =>
  BROADCASTS.map(([label, [sa, sb]]): OpSpec => ({
    name: `${b.op} ${fmt(sa)} ${fmt(sb)} (${label})`,
    op: b.op,
    fn: b.fn,
    inputs: [b.a([...sa]), b.b([...sb])],
    valid: b.valid,
    note: b.note,
  })),
);

const unaryLines: OpSpec[] = [
  { name: 'neg', op: 'neg', fn: hb.neg, inputs: [real(2, 3)] },
  { name: 'abs', op: 'abs', fn: hb.abs, inputs: [offZero(2, 3)], note: '|x| ≥ 0.1: kink at 0' },
  { name: 'exp', op: 'exp', fn: hb.exp, inputs: [real(2, 3)] },
  { name: 'log', op: 'log', fn: hb.log, inputs: [positive(2, 3)] },
  { name: 'sqrt', op: 'sqrt', fn: hb.sqrt, inputs: [positive(2, 3)] },
  { name: 'rsqrt', op: 'rsqrt', fn: hb.rsqrt, inputs: [positive(2, 3)] },
  { name: 'square', op: 'square', fn: hb.square, inputs: [real(2, 3)] },
  { name: 'reciprocal', op: 'reciprocal', fn: hb.reciprocal, inputs: [nonzero(2, 3)] },
  { name: 'log1p', op: 'log1p', fn: hb.log1p, inputs: [{ shape: [2, 3], lo: -0.5, hi: 2 }] },
  { name: 'expm1', op: 'expm1', fn: hb.expm1, inputs: [real(2, 3)] },
  { name: 'erf', op: 'erf', fn: hb.erf, inputs: [{ shape: [2, 4], lo: -3.5, hi: 3.5 }], note: 'covers both the series (|x| < 3) and the tail' },
  { name: 'sin', op: 'sin', fn: hb.sin, inputs: [{ shape: [2, 3], lo: -4, hi: 4 }] },
  { name: 'cos', op: 'cos', fn: hb.cos, inputs: [{ shape: [2, 3], lo: -4, hi: 4 }] },
  { name: 'sigmoid', op: 'sigmoid', fn: hb.sigmoid, inputs: [{ shape: [2, 3], lo: -5, hi: 5 }] },
  { name: 'tanh', op: 'tanh', fn: hb.tanh, inputs: [real(2, 3)] },
  { name: 'pow x^3 negative base (constant exponent)', op: 'pow', fn: (x) => hb.pow(x, 3), inputs: [real(2, 3)] },
  { name: 'pow x^0.5 (constant exponent)', op: 'pow', fn: (x) => hb.pow(x, 0.5), inputs: [positive(2, 3)] },
  { name: 'sign', op: 'sign', fn: (x) => hb.add(hb.sign(x), x), inputs: [offZero(2, 3)], note: 'piecewise constant: its gradient is 0 (x added so the output depends on x)' },
  { name: 'floor', op: 'floor', fn: (x) => hb.mul(hb.floor(x), x), inputs: [{ shape: [2, 3], avoid: [-2, -1, 0, 1, 2] }], note: 'piecewise constant, jumps avoided; d/dx floor(x)·x = floor(x)' },
  { name: 'ceil', op: 'ceil', fn: (x) => hb.mul(hb.ceil(x), x), inputs: [{ shape: [2, 3], avoid: [-2, -1, 0, 1, 2] }], note: 'piecewise constant, jumps avoided' },
  { name: 'round', op: 'round', fn: (x) => hb.mul(hb.round(x), x), inputs: [{ shape: [2, 3], avoid: [-1.5, -0.5, 0.5, 1.5] }], note: 'piecewise constant, jumps avoided' },
  { name: 'clip [-0.5, 0.5]', op: 'clip', fn: (x) => hb.clip(x, -0.5, 0.5), inputs: [{ shape: [3, 4], lo: -1, hi: 1, avoid: [-0.5, 0.5] }], note: 'kinks at the bounds avoided; gradient 0 outside' },
  { name: 'clip [0, 10] (all inside)', op: 'clip', fn: (x) => hb.clip(x, 0, 10), inputs: [positive(2, 3)] },
  {
    name: 'where same shape',
    op: 'where',
    fn: (a, b) => hb.where(hb.tensor([[true, false, true], [false, false, true]]), a, b),
    inputs: [real(2, 3), real(2, 3)],
  },
  {
    name: 'where broadcast cond [3], a [2,3], b scalar',
    op: 'where',
    fn: (a, b) => hb.where(hb.tensor([true, false, true]), a, b),
    inputs: [real(2, 3), real()],
  },
  {
    name: 'where broadcast cond [2,1], a [3], b [2,3]',
    op: 'where',
    fn: (a, b) => hb.where(hb.tensor([[true], [false]]), a, b),
    inputs: [real(3), real(2, 3)],
  },
  {
    name: 'cast float64→float32→float64',
    op: 'cast',
    fn: (x) => hb.cast(hb.mul(hb.cast(x, 'float32'), 0.75), 'float64'),
    inputs: [{ shape: [2, 3], dyadic: true }],
    eps: 2 ** -10,
    note: 'eps 2⁻¹⁰ and dyadic inputs: x ± eps is exact in float32 (with 1e-6 the float32 rounding would swamp the difference; cast is linear so a large step adds no error)',
  },
  {
    name: 'cast float64→float32 (float32 output)',
    op: 'cast',
    fn: (x) => hb.cast(x, 'float32'),
    inputs: [{ shape: [3], dyadic: true }],
    eps: 2 ** -10,
    note: 'as above; checkGrad casts the float32 output back to float64',
  },
];

// ---- linear algebra ----

const mm = (tA = false, tB = false) => (a: Tensor, b: Tensor) => hb.matmul(a, b, tA, tB);
const matmulLines: OpSpec[] = [
  { name: 'matmul 2-D [3,4]x[4,2]', op: 'matmul', fn: mm(), inputs: [small(3, 4), small(4, 2)] },
  { name: 'matmul 1-D x 2-D [4]x[4,2]', op: 'matmul', fn: mm(), inputs: [small(4), small(4, 2)] },
  { name: 'matmul 2-D x 1-D [3,4]x[4]', op: 'matmul', fn: mm(), inputs: [small(3, 4), small(4)] },
  { name: 'matmul 1-D . 1-D [4].[4]', op: 'matmul', fn: mm(), inputs: [small(4), small(4)] },
  { name: 'matmul batched [2,3,4]x[2,4,2]', op: 'matmul', fn: mm(), inputs: [small(2, 3, 4), small(2, 4, 2)] },
  { name: 'matmul batched x shared [2,3,4]x[4,2]', op: 'matmul', fn: mm(), inputs: [small(2, 3, 4), small(4, 2)] },
  { name: 'matmul shared x batched [3,4]x[2,4,2]', op: 'matmul', fn: mm(), inputs: [small(3, 4), small(2, 4, 2)] },
  { name: 'matmul broadcast batch [2,1,3,4]x[5,4,2]', op: 'matmul', fn: mm(), inputs: [small(2, 1, 3, 4), small(5, 4, 2)] },
  { name: 'matmul transposeA [4,3]^T x [4,2]', op: 'matmul', fn: mm(true, false), inputs: [small(4, 3), small(4, 2)] },
  { name: 'matmul transposeB [3,4] x [2,4]^T', op: 'matmul', fn: mm(false, true), inputs: [small(3, 4), small(2, 4)] },
  { name: 'matmul transposeA+B [4,3]^T x [2,4]^T', op: 'matmul', fn: mm(true, true), inputs: [small(4, 3), small(2, 4)] },
  { name: 'matmul batched transposeA+B [2,4,3]^T x [2,2,4]^T', op: 'matmul', fn: mm(true, true), inputs: [small(2, 4, 3), small(2, 2, 4)] },
  { name: 'matmul broadcast batch transposeA [2,1,4,3]^T x [3,4,2]', op: 'matmul', fn: mm(true, false), inputs: [small(2, 1, 4, 3), small(3, 4, 2)] },
  { name: 'matmul broadcast batch transposeB [3,4] x [2,2,4]^T', op: 'matmul', fn: mm(false, true), inputs: [small(3, 4), small(2, 2, 4)] },
  { name: 'matmul 1-D transposeA [4] x [4,2]', op: 'matmul', fn: mm(true, false), inputs: [small(4), small(4, 2)] },
  { name: 'matmul 1-D transposeB [3,4] x [4]', op: 'matmul', fn: mm(false, true), inputs: [small(3, 4), small(4)] },
  { name: 'dot [5].[5]', op: 'dot', fn: hb.dot, inputs: [small(5), small(5)] },
  { name: 'outer [3]x[4]', op: 'outer', fn: hb.outer, inputs: [small(3), small(4)] },
];

// ---- movement ----

const movementLines: OpSpec[] = [
  { name: 'reshape [2,3,4]→[4,6]', op: 'reshape', fn: (x) => hb.reshape(x, [4, 6]), inputs: [real(2, 3, 4)] },
  { name: 'reshape [2,3,4]→[-1,2]', op: 'reshape', fn: (x) => hb.reshape(x, [-1, 2]), inputs: [real(2, 3, 4)] },
  { name: 'reshape [1]→[] (to scalar)', op: 'reshape', fn: (x) => hb.reshape(x, []), inputs: [real(1)] },
  { name: 'transpose default (reverse axes)', op: 'transpose', fn: (x) => hb.transpose(x), inputs: [real(2, 3, 4)] },
  { name: 'transpose perm [1,0,2]', op: 'transpose', fn: (x) => hb.transpose(x, [1, 0, 2]), inputs: [real(2, 3, 4)] },
  { name: 'transpose perm [2,0,1]', op: 'transpose', fn: (x) => hb.transpose(x, [2, 0, 1]), inputs: [real(2, 3, 4)] },
  { name: 'transpose perm [-1,0,1] (negative)', op: 'transpose', fn: (x) => hb.transpose(x, [-1, 0, 1]), inputs: [real(2, 3, 4)] },
  { name: 'concat axis 0', op: 'concat', fn: (a, b) => hb.concat([a, b], 0), inputs: [real(1, 3, 2), real(2, 3, 2)] },
  { name: 'concat axis 1, three inputs', op: 'concat', fn: (a, b, c) => hb.concat([a, b, c], 1), inputs: [real(2, 1, 2), real(2, 3, 2), real(2, 2, 2)] },
  { name: 'concat axis 2', op: 'concat', fn: (a, b) => hb.concat([a, b], 2), inputs: [real(2, 3, 1), real(2, 3, 3)] },
  { name: 'concat axis -1 (rank 1)', op: 'concat', fn: (a, b) => hb.concat([a, b], -1), inputs: [real(3), real(2)] },
  { name: 'stack axis 0', op: 'stack', fn: (a, b, c) => hb.stack([a, b, c], 0), inputs: [real(2, 3), real(2, 3), real(2, 3)] },
  { name: 'stack axis 1', op: 'stack', fn: (a, b) => hb.stack([a, b], 1), inputs: [real(2, 3), real(2, 3)] },
  { name: 'stack axis -1', op: 'stack', fn: (a, b) => hb.stack([a, b], -1), inputs: [real(2, 3), real(2, 3)] },
  { name: 'unstack axis 0 (restacked in reverse)', op: 'unstack', fn: (x) => hb.stack(hb.unstack(x, 0).reverse(), 0), inputs: [real(3, 2, 2)] },
  { name: 'unstack axis 1 (one part)', op: 'unstack', fn: (x) => hb.unstack(x, 1)[1], inputs: [real(2, 3, 2)] },
  { name: 'split into 3 equal parts axis 1 (reordered)', op: 'split', fn: (x) => { const [p, q, r] = hb.split(x, 3, 1); return hb.concat([r, p, q], 1); }, inputs: [real(2, 6)] },
  { name: 'split sizes [1,3] axis -1 (second part)', op: 'split', fn: (x) => hb.split(x, [1, 3], -1)[1], inputs: [real(2, 3, 4)] },
  { name: 'slice leading axis', op: 'slice', fn: (x) => hb.slice(x, [1], [1]), inputs: [real(3, 2, 2)] },
  { name: 'slice two axes, size -1', op: 'slice', fn: (x) => hb.slice(x, [0, 1], [2, -1]), inputs: [real(3, 3, 2)] },
  { name: 'slice every axis', op: 'slice', fn: (x) => hb.slice(x, [1, 0, 1], [1, 2, -1]), inputs: [real(2, 3, 4)] },
  { name: 'pad [[1,0],[0,2]]', op: 'pad', fn: (x) => hb.pad(x, [[1, 0], [0, 2]]), inputs: [real(2, 3)] },
  { name: 'pad rank 3 with value 1.5', op: 'pad', fn: (x) => hb.pad(x, [[0, 1], [2, 1], [1, 0]], 1.5), inputs: [real(2, 2, 2)] },
  { name: 'gather axis 0, repeated indices', op: 'gather', fn: (x) => hb.gather(x, [2, 0, 2, 2]), inputs: [real(3, 2)] },
  { name: 'gather axis 1', op: 'gather', fn: (x) => hb.gather(x, [3, 1], 1), inputs: [real(2, 4, 2)] },
  { name: 'gather axis -1, 2-D indices with repeats', op: 'gather', fn: (x) => hb.gather(x, hb.tensor([[0, 2], [2, 2]], [2, 2], 'int32'), -1), inputs: [real(2, 3)] },
  { name: 'scatterAdd axis 0, repeated indices', op: 'scatterAdd', fn: (u) => hb.scatterAdd(u, [0, 2, 0], 0, [4, 2]), inputs: [real(3, 2)] },
  { name: 'scatterAdd axis 1', op: 'scatterAdd', fn: (u) => hb.scatterAdd(u, [1, 1, 0], 1, [2, 3]), inputs: [real(2, 3)] },
  { name: 'flatten all', op: 'flatten', fn: (x) => hb.flatten(x), inputs: [real(2, 3, 2)] },
  { name: 'flatten axes 1..2', op: 'flatten', fn: (x) => hb.flatten(x, 1, 2), inputs: [real(2, 3, 2, 2)] },
  { name: 'expandDims 0', op: 'expandDims', fn: (x) => hb.expandDims(x, 0), inputs: [real(2, 3)] },
  { name: 'expandDims -1', op: 'expandDims', fn: (x) => hb.expandDims(x, -1), inputs: [real(2, 3)] },
  { name: 'expandDims 1', op: 'expandDims', fn: (x) => hb.expandDims(x, 1), inputs: [real(2, 3)] },
  { name: 'squeeze all', op: 'squeeze', fn: (x) => hb.squeeze(x), inputs: [real(1, 3, 1, 2)] },
  { name: 'squeeze axis 2', op: 'squeeze', fn: (x) => hb.squeeze(x, 2), inputs: [real(1, 3, 1, 2)] },
  { name: 'tile [2,1]', op: 'tile', fn: (x) => hb.tile(x, [2, 1]), inputs: [real(2, 3)] },
  { name: 'tile [1,3]', op: 'tile', fn: (x) => hb.tile(x, [1, 3]), inputs: [real(2, 3)] },
  { name: 'tile rank 3 [2,1,2]', op: 'tile', fn: (x) => hb.tile(x, [2, 1, 2]), inputs: [real(1, 2, 3)] },
  { name: 'broadcastTo [3]→[2,3]', op: 'broadcastTo', fn: (x) => hb.broadcastTo(x, [2, 3]), inputs: [real(3)] },
  { name: 'broadcastTo [2,1]→[2,4]', op: 'broadcastTo', fn: (x) => hb.broadcastTo(x, [2, 4]), inputs: [real(2, 1)] },
  { name: 'broadcastTo []→[2,2]', op: 'broadcastTo', fn: (x) => hb.broadcastTo(x, [2, 2]), inputs: [real()] },
  { name: 'broadcastTo [1,3]→[2,2,3]', op: 'broadcastTo', fn: (x) => hb.broadcastTo(x, [2, 2, 3]), inputs: [real(1, 3)] },
  { name: 'reverse axis 0', op: 'reverse', fn: (x) => hb.reverse(x), inputs: [real(3, 2)] },
  { name: 'reverse axes [0,1]', op: 'reverse', fn: (x) => hb.reverse(x, [0, 1]), inputs: [real(3, 2)] },
  { name: 'reverse axis -1', op: 'reverse', fn: (x) => hb.reverse(x, -1), inputs: [real(2, 2, 3)] },
  { name: 'clone', op: 'clone', fn: hb.clone, inputs: [real(2, 3)] },
];

// ---- reductions: every axis form of a rank-3 tensor, keepDims both ways ----

const AXES: readonly (number | number[] | undefined)[] = [0, 1, 2, -1, -2, [0, 2], [1, 2], [0, 1], [-1, 0], [0, 1, 2], undefined];
const REDUCTIONS: readonly { op: string; fn: (x: Tensor, axis: number | number[] | undefined, keep: boolean) => Tensor; input: InputSpec; note?: string }[] = [
  { op: 'sum', fn: hb.sum, input: real(2, 3, 4) },
  { op: 'mean', fn: hb.mean, input: real(2, 3, 4) },
  { op: 'max', fn: hb.max, input: distinct(2, 3, 4), note: 'no ties (tied extremes share the gradient)' },
  { op: 'min', fn: hb.min, input: distinct(2, 3, 4), note: 'no ties' },
  { op: 'variance', fn: hb.variance, input: real(2, 3, 4) },
  { op: 'std', fn: hb.std, input: real(2, 3, 4), note: 'random inputs: variance > 0 on every slice' },
  { op: 'logSumExp', fn: hb.logSumExp, input: { shape: [2, 3, 4], lo: -3, hi: 3 } },
];
const reductionLines: OpSpec[] = REDUCTIONS.flatMap((r) =>
  AXES.flatMap((axis) =>
    [false, true].map((keepDims): OpSpec => ({
      name: `${r.op} axis=${JSON.stringify(axis) ?? 'undefined'} keepDims=${keepDims}`,
      op: r.op,
      fn: (x) => r.fn(x, axis, keepDims),
      inputs: [r.input],
      note: r.note,
    })),
  ),
);

const cumsumLines: OpSpec[] = ([[0, {}], [-1, { exclusive: true }], [1, { reverse: true }], [2, { exclusive: true, reverse: true }]] as const).map(([axis, o]) => (
  { name: `cumsum axis ${axis} ${JSON.stringify(o)}`, op: 'cumsum', fn: (x: Tensor) => hb.cumsum(x, axis, o), inputs: [real(2, 3, 4)] }));

// ---- activations ----

const activationLines: OpSpec[] = [
  { name: 'relu', op: 'relu', fn: hb.relu, inputs: [offZero(2, 4)], note: 'kink at 0 avoided' },
  { name: 'relu6', op: 'relu6', fn: hb.relu6, inputs: [{ shape: [2, 5], lo: -4, hi: 9, avoid: [0, 6] }], note: 'kinks at 0 and 6 avoided; values on both sides of each' },
  { name: 'sigmoid (large |x|)', op: 'sigmoid', fn: hb.sigmoid, inputs: [{ shape: [4], lo: -12, hi: 12 }] },
  { name: 'tanh (activation range)', op: 'tanh', fn: hb.tanh, inputs: [{ shape: [2, 3], lo: -4, hi: 4 }] },
  { name: 'softmax axis -1', op: 'softmax', fn: (x) => hb.softmax(x), inputs: [real(2, 3, 4)] },
  { name: 'softmax axis 0', op: 'softmax', fn: (x) => hb.softmax(x, 0), inputs: [real(2, 3, 4)] },
  { name: 'softmax axis 1', op: 'softmax', fn: (x) => hb.softmax(x, 1), inputs: [real(2, 3, 4)] },
  { name: 'softmax rank 1', op: 'softmax', fn: (x) => hb.softmax(x), inputs: [real(5)] },
  { name: 'logSoftmax axis -1', op: 'logSoftmax', fn: (x) => hb.logSoftmax(x), inputs: [real(2, 3, 4)] },
  { name: 'logSoftmax axis 0', op: 'logSoftmax', fn: (x) => hb.logSoftmax(x, 0), inputs: [real(2, 3, 4)] },
  { name: 'logSoftmax axis 1', op: 'logSoftmax', fn: (x) => hb.logSoftmax(x, 1), inputs: [real(2, 3, 4)] },
  { name: 'logSoftmax rank 1', op: 'logSoftmax', fn: (x) => hb.logSoftmax(x), inputs: [real(5)] },
  { name: 'leakyRelu default alpha', op: 'leakyRelu', fn: (x) => hb.leakyRelu(x), inputs: [offZero(2, 4)], note: 'kink at 0 avoided' },
  { name: 'leakyRelu alpha 0.1', op: 'leakyRelu', fn: (x) => hb.leakyRelu(x, 0.1), inputs: [offZero(2, 4)] },
  { name: 'elu default alpha', op: 'elu', fn: (x) => hb.elu(x), inputs: [offZero(2, 4)] },
  { name: 'elu alpha 0.5', op: 'elu', fn: (x) => hb.elu(x, 0.5), inputs: [offZero(2, 4)], note: 'kink at 0 for alpha ≠ 1 avoided' },
  { name: 'selu', op: 'selu', fn: hb.selu, inputs: [offZero(2, 4)], note: 'kink at 0 avoided' },
  { name: 'gelu exact', op: 'gelu', fn: (x) => hb.gelu(x), inputs: [{ shape: [2, 4], lo: -4, hi: 4 }] },
  { name: 'gelu tanh approximation', op: 'gelu', fn: (x) => hb.gelu(x, true), inputs: [{ shape: [2, 4], lo: -4, hi: 4 }] },
  { name: 'softplus', op: 'softplus', fn: hb.softplus, inputs: [{ shape: [2, 4], lo: -6, hi: 6 }] },
  { name: 'softplus at exactly 0', op: 'softplus', fn: hb.softplus, inputs: [{ shape: [3], lo: 0, hi: 0 }], note: 'inputs all 0: the gradient there is ½ (a composite with max(x, 0) would give 0)' },
  { name: 'swish', op: 'swish', fn: hb.swish, inputs: [{ shape: [2, 4], lo: -4, hi: 4 }] },
  { name: 'softsign', op: 'softsign', fn: hb.softsign, inputs: [offZero(2, 4)] },
  { name: 'hardSigmoid', op: 'hardSigmoid', fn: hb.hardSigmoid, inputs: [{ shape: [2, 5], lo: -4, hi: 4, avoid: [-2.5, 2.5] }], note: 'kinks at ±2.5 avoided; values in all three pieces' },
];

// ---- convolutions ----

type Pad = hb.Padding;
const PADDINGS: Record<number, readonly [string, Pad][]> = {
  1: [['valid', 'valid'], ['same', 'same'], ['1', 1], ['[[1,2]]', [[1, 2]]]],
  2: [['valid', 'valid'], ['same', 'same'], ['1', 1], ['[[1,0],[2,1]]', [[1, 0], [2, 1]]]],
  3: [['valid', 'valid'], ['same', 'same'], ['1', 1], ['[[0,1],[1,0],[1,1]]', [[0, 1], [1, 0], [1, 1]]]],
};
/** x and kernel spatial sizes per dimensionality: non-square, odd. */
const CONV_GEOMETRY: Record<number, { x: number[]; k: number[]; fn: typeof hb.conv2d; op: string }> = {
  1: { x: [2, 7], k: [3], fn: hb.conv1d, op: 'conv1d' },
  2: { x: [1, 6, 5], k: [3, 2], fn: hb.conv2d, op: 'conv2d' },
  3: { x: [1, 4, 3, 4], k: [2, 2, 2], fn: hb.conv3d, op: 'conv3d' },
};

const convLines: OpSpec[] = [];
for (const dims of [1, 2, 3]) {
  const g = CONV_GEOMETRY[dims];
  for (const strides of [1, 2])
    for (const [padName, padding] of PADDINGS[dims])
      for (const dilation of [1, 2])
        for (const groups of [1, 2]) {
          const C = 2;
          const F = 2;
          convLines.push({
            name: `${g.op} strides=${strides} padding=${padName} dilation=${dilation} groups=${groups}`,
            op: g.op,
            fn: (x, w) => g.fn(x, w, { strides, padding, dilation, groups }),
            inputs: [small(...g.x, C), small(...g.k, C / groups, F)],
            note: groups === 2 ? 'groups = channels (depthwise-like)' : undefined,
          });
        }
}
convLines.push(
  { name: 'conv2d groups=2 of 4 channels, 4 filters', op: 'conv2d', fn: (x, w) => hb.conv2d(x, w, { groups: 2, padding: 'same' }), inputs: [small(1, 4, 3, 4), small(2, 2, 2, 4)] },
  { name: 'conv2d groups=4 = channels, 8 filters', op: 'conv2d', fn: (x, w) => hb.conv2d(x, w, { groups: 4 }), inputs: [small(1, 3, 3, 4), small(2, 2, 1, 8)] },
  { name: 'conv2d per-axis strides [2,1], dilation [1,2]', op: 'conv2d', fn: (x, w) => hb.conv2d(x, w, { strides: [2, 1], dilation: [1, 2] }), inputs: [small(2, 5, 5, 1), small(2, 2, 1, 3)] },
  { name: 'conv2d 1x1 kernel, batch 2', op: 'conv2d', fn: (x, w) => hb.conv2d(x, w), inputs: [small(2, 2, 3, 3), small(1, 1, 3, 2)] },
);
for (const multiplier of [1, 2])
  for (const strides of [1, 2])
    for (const padding of ['valid', 'same'] as const)
      convLines.push({
        name: `depthwiseConv2d multiplier=${multiplier} strides=${strides} padding=${padding}`,
        op: 'depthwiseConv2d',
        fn: (x, w) => hb.depthwiseConv2d(x, w, { strides, padding }),
        inputs: [small(1, 5, 4, 3), small(3, 2, 3, multiplier)],
      });
convLines.push(
  { name: 'depthwiseConv2d dilation=2 padding=1', op: 'depthwiseConv2d', fn: (x, w) => hb.depthwiseConv2d(x, w, { dilation: 2, padding: 1 }), inputs: [small(1, 5, 5, 2), small(2, 2, 2, 2)] },
  { name: 'separableConv2d', op: 'separableConv2d', fn: (x, d, p) => hb.separableConv2d(x, d, p), inputs: [small(1, 4, 4, 2), small(3, 3, 2, 2), small(1, 1, 4, 3)] },
  { name: 'separableConv2d strides=2 padding=same', op: 'separableConv2d', fn: (x, d, p) => hb.separableConv2d(x, d, p, { strides: 2, padding: 'same' }), inputs: [small(1, 5, 4, 2), small(3, 3, 2, 1), small(1, 1, 2, 3)] },
);

/** x spatial, kernel per dimensionality for transposed convolutions (w is [...kernel, Cout, Cin]). */
const TRANSPOSE_GEOMETRY: Record<number, { x: number[]; k: number[]; fn: typeof hb.conv2dTranspose; op: string }> = {
  1: { x: [2, 4], k: [3], fn: hb.conv1dTranspose, op: 'conv1dTranspose' },
  2: { x: [1, 3, 4], k: [3, 2], fn: hb.conv2dTranspose, op: 'conv2dTranspose' },
  3: { x: [1, 2, 3, 2], k: [2, 2, 2], fn: hb.conv3dTranspose, op: 'conv3dTranspose' },
};
const transposeLines: OpSpec[] = [];
for (const dims of [1, 2, 3]) {
  const g = TRANSPOSE_GEOMETRY[dims];
  const spatial = g.x.slice(1);
  const variants: [string, hb.ConvTransposeOptions][] = [
    ['strides=1 padding=valid', { strides: 1, padding: 'valid' }],
    ['strides=1 padding=same', { strides: 1, padding: 'same' }],
    ['strides=2 padding=valid', { strides: 2, padding: 'valid' }],
    ['strides=2 padding=same', { strides: 2, padding: 'same' }],
    // One more than the natural size: the last row only receives the kernel's overhang.
    ['strides=2 valid, explicit outputShape', { strides: 2, padding: 'valid', outputShape: spatial.map((n, i) => (n - 1) * 2 + g.k[i] + 1) }],
    // One less than n·s: 'same' with an odd output size.
    ['strides=2 same, explicit outputShape', { strides: 2, padding: 'same', outputShape: spatial.map((n) => n * 2 - 1) }],
    ['dilation=2 padding=valid', { dilation: 2 }],
  ];
  for (const [label, opts] of variants) {
    transposeLines.push({
      name: `${g.op} ${label}`,
      op: g.op,
      fn: (x, w) => g.fn(x, w, opts),
      inputs: [small(...g.x, 2), small(...g.k, 3, 2)],
    });
  }
}

// ---- pooling ----

const POOL_INPUT: Record<number, number[]> = { 1: [2, 5, 2], 2: [1, 5, 4, 2], 3: [1, 3, 4, 3, 2] };
const POOL_VARIANTS: Record<number, readonly [string, hb.PoolOptions][]> = {
  1: [
    ['default (2, stride 2)', {}],
    ['poolSize 3 strides 1 (overlapping)', { poolSize: 3, strides: 1 }],
    ['poolSize 3 strides 2 same', { poolSize: 3, strides: 2, padding: 'same' }],
    ['poolSize 2 strides 1 padding 1', { poolSize: 2, strides: 1, padding: 1 }],
    ['poolSize 3 strides 2 padding [[2,1]]', { poolSize: 3, strides: 2, padding: [[2, 1]] }],
  ],
  2: [
    ['default (2, stride 2)', {}],
    ['poolSize 3 strides 1 (overlapping)', { poolSize: 3, strides: 1 }],
    ['poolSize 3 strides 2 same', { poolSize: 3, strides: 2, padding: 'same' }],
    ['poolSize 2 strides 1 padding 1', { poolSize: 2, strides: 1, padding: 1 }],
    ['poolSize [2,3] strides [1,2] padding [[1,0],[0,2]]', { poolSize: [2, 3], strides: [1, 2], padding: [[1, 0], [0, 2]] }],
  ],
  3: [
    ['default (2, stride 2)', {}],
    ['poolSize 2 strides 1 (overlapping)', { poolSize: 2, strides: 1 }],
    ['poolSize 3 strides 2 same', { poolSize: 3, strides: 2, padding: 'same' }],
    ['poolSize 2 strides 1 padding 1', { poolSize: 2, strides: 1, padding: 1 }],
    ['poolSize [1,2,3] strides [1,2,1] padding [[0,0],[1,0],[0,1]]', { poolSize: [1, 2, 3], strides: [1, 2, 1], padding: [[0, 0], [1, 0], [0, 1]] }],
  ],
};
const POOLS: Record<'max' | 'avg' | 'l2' | 'sum', Record<number, (x: Tensor, o: hb.PoolOptions) => Tensor>> = {
  max: { 1: hb.maxPool1d, 2: hb.maxPool2d, 3: hb.maxPool3d },
  avg: { 1: hb.avgPool1d, 2: hb.avgPool2d, 3: hb.avgPool3d },
  l2: { 1: hb.l2Pool1d, 2: hb.l2Pool2d, 3: hb.l2Pool3d },
  sum: { 1: hb.sumPool1d, 2: hb.sumPool2d, 3: hb.sumPool3d },
};
const poolLines: OpSpec[] = [];
for (const kind of ['max', 'avg', 'l2', 'sum'] as const)
  for (const dims of [1, 2, 3])
    for (const [label, opts] of POOL_VARIANTS[dims]) {
      const op = `${kind}Pool${dims}d`;
      poolLines.push({
        name: `${op} ${label}`,
        op,
        fn: (x) => POOLS[kind][dims](x, opts),
        inputs: [kind === 'max' ? distinct(...POOL_INPUT[dims]) : offZero(...POOL_INPUT[dims])],
        note: kind === 'max' ? 'distinct values: one maximum per window' : kind === 'l2' ? 'x ≠ 0 so no window has √0' : undefined,
      });
    }

// ---- local response normalisation ----

const lrn = (o: hb.LocalResponseNormalizationOptions) => (x: Tensor) => hb.localResponseNormalization(x, o);
const lrnLines: OpSpec[] = [
  { name: 'localResponseNormalization defaults (r 5 > C: every window clipped)', op: 'localResponseNormalization', fn: lrn({}), inputs: [real(1, 2, 3, 4)] },
  { name: 'localResponseNormalization r 1 bias 2 alpha 0.5 beta 0.75', op: 'localResponseNormalization', fn: lrn({ depthRadius: 1, bias: 2, alpha: 0.5, beta: 0.75 }), inputs: [real(2, 2, 1, 5)] },
  { name: 'localResponseNormalization r 0 (one channel per window)', op: 'localResponseNormalization', fn: lrn({ depthRadius: 0, bias: 1, alpha: 2, beta: 1 }), inputs: [real(1, 3, 2, 3)] },
  { name: 'localResponseNormalization r 2 AlexNet constants', op: 'localResponseNormalization', fn: lrn({ depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 }), inputs: [real(1, 1, 2, 7)] },
];

const l2NormalizeLines: OpSpec[] = [
  { name: 'l2Normalize axis -1', op: 'l2Normalize', fn: (x) => hb.l2Normalize(x), inputs: [real(3, 4)] },
  { name: 'l2Normalize axes [0, 2]', op: 'l2Normalize', fn: (x) => hb.l2Normalize(x, [0, 2]), inputs: [real(2, 3, 2)] },
];

// ---- dropout: with a fixed seed the mask is a constant ----

const dropoutLines: OpSpec[] = [
  { name: 'dropout rate 0.3 seed 7', op: 'dropout', fn: (x) => hb.dropout(x, 0.3, { seed: 7 }), inputs: [real(3, 4)] },
  { name: 'dropout rate 0.5 seed 3 noiseShape [3,1]', op: 'dropout', fn: (x) => hb.dropout(x, 0.5, { seed: 3, noiseShape: [3, 1] }), inputs: [real(3, 4)] },
  { name: 'dropout training false (identity)', op: 'dropout', fn: (x) => hb.dropout(x, 0.5, { training: false }), inputs: [real(3, 4)] },
];

// ---- image resizing (a matmul with fixed interpolation matrices per axis) ----

const imageLines: OpSpec[] = [
  { name: 'image.resize bicubic up 3x4 -> 5x7', op: 'image.resize', fn: (x) => hb.image.resize(x, [5, 7], { method: 'bicubic' }), inputs: [real(2, 3, 4, 2)] },
  { name: 'image.resize bilinear down antialias', op: 'image.resize', fn: (x) => hb.image.resize(x, [2, 3], { antialias: true }), inputs: [real(1, 5, 7, 1)] },
  { name: 'image.ssim 3x3 window', op: 'image.ssim', fn: (a, b) => hb.image.ssim(a, b, { filterSize: 3 }), inputs: [{ shape: [1, 4, 5, 2], lo: 0, hi: 1 }, { shape: [1, 4, 5, 2], lo: 0, hi: 1 }] },
  { name: 'image.resize nearest 4x4 -> 3x5', op: 'image.resize', fn: (x) => hb.image.resize(x, [3, 5], { method: 'nearest' }), inputs: [real(1, 4, 4, 1)] },
];

/** Every line of the table. */
export const OP_SPECS: readonly OpSpec[] = [
  ...binaryLines,
  ...unaryLines,
  ...matmulLines,
  ...movementLines,
  ...reductionLines,
  ...cumsumLines,
  ...activationLines,
  ...convLines,
  ...transposeLines,
  ...poolLines,
  ...lrnLines,
  ...l2NormalizeLines,
  ...dropoutLines,
  ...imageLines,
];

/** The number of lines; gradients.test.ts runs each once per backend. */
export const OP_SPEC_COUNT = OP_SPECS.length;
