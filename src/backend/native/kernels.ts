// The TypeScript half of each native kernel: check that the addon handles the dtypes and
// sizes, write the integer arguments into the shared slots (layouts in native/src/hebb.h) and
// call it. A kernel returns false when the addon does not take the case (another dtype, an
// empty tensor, any/all reductions); the backend then runs the reference loop on the same
// buffers in place, so nothing is copied either way.
import { sizeOf, stridesOf } from '../../base/index.js';
import type { Buf } from '../cpu/buffer.js';
import type { BinaryOp, ConvAttrs, FusedActivation, KernelAttrs, KernelName, PoolAttrs, ReduceOp, UnaryOp } from '../kernels.js';
import { collapseBroadcast, collapseStrided } from '../strided.js';
import type { NativeAddon } from './addon.js';

/** What a kernel gets: the addon, its argument slots, the buffers and attributes. */
export interface NativeContext {
  readonly addon: NativeAddon;
  readonly args: Int32Array;
}

/** An input buffer with the stamp of its contents (native-backend.ts; 0: unknown, never cached on). */
export interface NativeBuf extends Buf {
  stamp: number;
}

export type NativeKernel<K extends KernelName> = (c: NativeContext, inputs: readonly NativeBuf[], outputs: readonly Buf[], attrs: KernelAttrs[K]) => boolean;

const f32 = (b: Buf): b is Buf & { data: Float32Array } => b.dtype === 'float32';
const allF32 = (bs: readonly Buf[]): boolean => bs.every(f32);

// Codes shared with native/src/hebb.h (enum Unary, Binary, Reduce): same order.
const UNARY: Record<UnaryOp, number> = {
  neg: 0, abs: 1, sign: 2, exp: 3, log: 4, sqrt: 5, sigmoid: 6, tanh: 7, log1p: 8, expm1: 9, erf: 10,
  sin: 11, cos: 12, floor: 13, ceil: 14, round: 15, logicalNot: 16, isNaN: 17,
};
const BINARY: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, mod: 7, equal: 8, notEqual: 9,
  greater: 10, greaterEqual: 11, less: 12, lessEqual: 13, logicalAnd: 14, logicalOr: 15,
};
const REDUCE: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 };

/**
 * Ops oneDNN's eltwise computes; the rest (and small tensors, where a call costs more than the
 * loop) use ours. Not log: oneDNN 2.6's is off by ~3e-6 absolute near 1 (1e-4 relative).
 */
const ELTWISE = new Set<UnaryOp>(['neg', 'abs', 'exp', 'sqrt', 'sigmoid', 'tanh', 'round']);
const ELTWISE_MIN = 4096;

const unary: NativeKernel<'unary'> = ({ addon, args }, [x], [y], { op }) => {
  const toBool = op === 'logicalNot' || op === 'isNaN';
  if (!f32(x) || y.dtype !== (toBool ? 'bool' : 'float32')) return false;
  const n = x.data.length;
  if (n === 0) return true;
  args[0] = UNARY[op];
  args[1] = n;
  args[2] = ELTWISE.has(op) && n >= ELTWISE_MIN ? 1 : 0;
  addon.unary(x.data, y.data as Float32Array | Uint8Array);
  return true;
};

/** Write rank, shape and per-operand strides (collapsed, 0 on broadcast axes) from slot `at`. */
function writeBroadcast(args: Int32Array, at: number, out: readonly number[], ins: readonly (readonly number[])[]): void {
  const { shape, strides } = collapseBroadcast(out, ins);
  args[at] = shape.length;
  args.set(shape, at + 1);
  strides.forEach((s, k) => args.set(s, at + 1 + shape.length * (k + 1)));
}

const COMPARISON = new Set<BinaryOp>(['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'logicalAnd', 'logicalOr']);

const binary: NativeKernel<'binary'> = ({ addon, args }, [a, b], [y], { op }) => {
  if (!f32(a) || !f32(b) || y.dtype !== (COMPARISON.has(op) ? 'bool' : 'float32')) return false;
  if (y.data.length === 0) return true;
  args[0] = BINARY[op];
  writeBroadcast(args, 1, y.shape, [a.shape, b.shape]);
  addon.binary(a.data, b.data, y.data as Float32Array | Uint8Array);
  return true;
};

const where: NativeKernel<'where'> = ({ addon, args }, [cond, a, b], [y]) => {
  if (cond.dtype !== 'bool' || !allF32([a, b, y])) return false;
  if (y.data.length === 0) return true;
  writeBroadcast(args, 0, y.shape, [cond.shape, a.shape, b.shape]);
  addon.where(cond.data as Uint8Array, a.data as Float32Array, b.data as Float32Array, y.data as Float32Array);
  return true;
};

const broadcastTo: NativeKernel<'broadcastTo'> = ({ addon, args }, [x], [y]) => {
  if (!allF32([x, y])) return false;
  if (y.data.length === 0) return true;
  writeBroadcast(args, 0, y.shape, [x.shape]);
  addon.broadcastTo(x.data as Float32Array, y.data as Float32Array);
  return true;
};

const reduce: NativeKernel<'reduce'> = ({ addon, args }, [x], [y], { op, outer, size, inner }) => {
  const code = REDUCE[op];
  const arg = op === 'argmax' || op === 'argmin';
  if (code === undefined || !f32(x) || y.dtype !== (arg ? 'int32' : 'float32')) return false;
  if (outer * inner === 0) return true;
  args.set([code, outer, size, inner]);
  addon.reduce(x.data, y.data as Float32Array | Int32Array);
  return true;
};

const scatterAdd: NativeKernel<'scatterAdd'> = ({ addon, args }, [updates, indices], [y], { axis }) => {
  if (!f32(updates) || indices.dtype !== 'int32' || !f32(y)) return false;
  const outer = sizeOf(y.shape.slice(0, axis));
  const size = y.shape[axis];
  const inner = sizeOf(y.shape.slice(axis + 1));
  if (y.data.length === 0) return indices.data.length === 0;
  args.set([outer, size, inner, indices.data.length]);
  // An index out of range makes the addon throw before writing; the backend then runs the
  // reference, which names it.
  addon.scatterAdd(updates.data, indices.data as Int32Array, y.data);
  return true;
};

const matmul: NativeKernel<'matmul'> = ({ addon, args }, [a, b], [y], { transposeA, transposeB }) => {
  if (!allF32([a, b, y])) return false;
  const [batch, M0, N] = y.shape;
  const [batchA, ra, ca] = a.shape;
  const batchB = b.shape[0];
  const K = transposeA ? ra : ca;
  if (batch * M0 * N === 0) return true;
  if (K === 0) {
    y.data.fill(0);
    return true;
  }
  let M = M0;
  let batches = batch;
  let bA = batchA;
  // A shared right operand with untransposed left operands: the batch is just more rows.
  if (batch > 1 && batchB === 1 && batchA === batch && !transposeA) {
    M = batch * M0;
    batches = 1;
    bA = 1;
  }
  args.set([M, N, K, bA, batchB, batches, transposeA ? 1 : 0, transposeB ? 1 : 0, b.stamp % 2 ** 30, Math.floor(b.stamp / 2 ** 30)]);
  addon.matmul(a.data as Float32Array, b.data as Float32Array, y.data as Float32Array);
  return true;
};

/**
 * The 26 geometry slots of native/src/hebb.h's CONV_ARGS, then the weights' stamp in two
 * slots (low and high 30 bits; not part of the primitive's cache key).
 */
function convArgs(args: Int32Array, x: readonly number[], w: readonly number[], y: readonly number[], a: ConvAttrs, stamp = 0): boolean {
  if (sizeOf(x) === 0 || sizeOf(w) === 0 || sizeOf(y) === 0) return false;
  args.set([...x, ...w, y[1], y[2], y[3], ...a.strides, ...a.dilations, ...a.pads.flat(), a.groups, stamp % 2 ** 30, Math.floor(stamp / 2 ** 30)]);
  return true;
}

const conv: NativeKernel<'conv'> = ({ addon, args }, [x, w], [y], attrs) => {
  if (!allF32([x, w, y]) || !convArgs(args, x.shape, w.shape, y.shape, attrs, w.stamp)) return false;
  addon.conv(x.data as Float32Array, w.data as Float32Array, y.data as Float32Array);
  return true;
};

const convBackpropInput: NativeKernel<'convBackpropInput'> = ({ addon, args }, [dy, w], [dx], attrs) => {
  if (!allF32([dy, w, dx]) || !convArgs(args, dx.shape, w.shape, dy.shape, attrs, w.stamp)) return false;
  addon.convBackpropInput(dy.data as Float32Array, w.data as Float32Array, dx.data as Float32Array);
  return true;
};

const convBackpropFilter: NativeKernel<'convBackpropFilter'> = ({ addon, args }, [x, dy], [dw], attrs) => {
  if (!allF32([x, dy, dw]) || !convArgs(args, x.shape, dw.shape, dy.shape, attrs)) return false;
  addon.convBackpropFilter(x.data as Float32Array, dy.data as Float32Array, dw.data as Float32Array);
  return true;
};

/** The 20 geometry slots of native/src/hebb.h's POOL_ARGS. */
function poolArgs(args: Int32Array, x: readonly number[], y: readonly number[], a: PoolAttrs): boolean {
  if (sizeOf(x) === 0 || sizeOf(y) === 0) return false;
  args.set([...x, y[1], y[2], y[3], ...a.window, ...a.strides, ...a.pads.flat()]);
  return true;
}

const pool: NativeKernel<'pool'> = ({ addon, args }, [x], [y, argmax], attrs) => {
  if (!allF32([x, y]) || (argmax && argmax.dtype !== 'int32') || !poolArgs(args, x.shape, y.shape, attrs)) return false;
  if (attrs.op === 'max') addon.maxPool(x.data as Float32Array, y.data as Float32Array, argmax?.data as Int32Array | undefined);
  else if (argmax) return false;
  else addon.avgPool(x.data as Float32Array, y.data as Float32Array);
  return true;
};

const avgPoolBackprop: NativeKernel<'avgPoolBackprop'> = ({ addon, args }, [dy], [dx], attrs) => {
  if (!allF32([dy, dx]) || !poolArgs(args, dx.shape, dy.shape, attrs)) return false;
  addon.avgPoolBackprop(dy.data as Float32Array, dx.data as Float32Array);
  return true;
};

const maxPoolBackprop: NativeKernel<'maxPoolBackprop'> = ({ addon, args }, [dy, argmax], [dx], attrs) => {
  if (!allF32([dy, dx]) || argmax.dtype !== 'int32' || !poolArgs(args, dx.shape, dy.shape, attrs)) return false;
  // An index outside x makes the addon throw before writing; the reference then names it.
  addon.maxPoolBackprop(dy.data as Float32Array, argmax.data as Int32Array, dx.data as Float32Array);
  return true;
};

// ---- fused recurrences (native/src/recurrent.cc) ----

/**
 * Write the slots N, T, U, masked; the float32 data of the inputs (mask last, undefined when
 * unmasked) and outputs, or null where the addon does not take the case (another dtype). An
 * empty problem goes to the reference too, which has nothing to compute.
 */
function recurrentData(args: Int32Array, ins: readonly Buf[], mask: Buf | undefined, outs: readonly Buf[], shape: readonly number[], u: number, masked: boolean): { ins: Float32Array[]; mask: Float32Array | undefined; outs: Float32Array[] } | null {
  const [n, t] = shape;
  if (!allF32([...ins, ...outs]) || (masked && !(mask && f32(mask))) || n * t * u === 0) return null;
  args.set([n, t, u, masked ? 1 : 0]);
  const data = (b: Buf): Float32Array => b.data as Float32Array;
  return { ins: ins.map(data), mask: masked && mask ? data(mask) : undefined, outs: outs.map(data) };
}

type RecurrenceName = 'lstmSequence' | 'lstmSequenceGrad' | 'gruSequence' | 'gruSequenceGrad';

/**
 * The kernel of the addon's fused recurrence `name`: its first `count` inputs then the mask (absent
 * when unmasked) go in, each output comes back; N and T are the first two axes of input `stepsAt`
 * (xk forward, gates backward), U the rows of input `rAt` (the recurrent kernel).
 */
function recurrence<K extends RecurrenceName>(name: K, count: number, stepsAt: number, rAt: number): NativeKernel<K> {
  return ({ addon, args }, inputs, outputs, attrs) => {
    const { masked } = attrs as { masked: boolean };
    const d = recurrentData(args, inputs.slice(0, count), inputs[count], outputs, inputs[stepsAt].shape, inputs[rAt].shape[0], masked);
    if (!d) return false;
    (addon[name] as (...data: (Float32Array | undefined)[]) => void)(...d.ins, d.mask, ...d.outs);
    return true;
  };
}

// lstmSequence(xk, h0, c0, r, mask) → y, gates; lstmSequenceGrad(dy, y, gates, c0, r, mask) → dz, dh0, dc0.
const lstmSequence = recurrence('lstmSequence', 4, 0, 3);
const lstmSequenceGrad = recurrence('lstmSequenceGrad', 5, 2, 4);
// gruSequence(xk, h0, r, rb, mask) → y, gates; gruSequenceGrad(dy, y, gates, h0, r, mask) → dxk, drec, dh0.
const gruSequence = recurrence('gruSequence', 4, 0, 2);
const gruSequenceGrad = recurrence('gruSequenceGrad', 5, 2, 4);

// ---- movement: one strided copy ----

/**
 * Copy `shape` elements from `src` (strides `ss`, offset `so`) to `dst` (strides `ds`, offset
 * `dof`), after dropping size-1 axes and merging axes that are contiguous in both layouts.
 * float32/int32 move as 4-byte words, bool as bytes; float64 stays with the reference.
 */
function copy(c: NativeContext, src: Buf, dst: Buf, shape: readonly number[], ss: readonly number[], ds: readonly number[], so: number, dof: number): boolean {
  if (sizeOf(shape) === 0) return true;
  const { shape: s, a: sa, b: da } = collapseStrided(shape, ss, ds);
  const rank = s.length;
  c.args.set([rank, dst.dtype === 'bool' ? 1 : 4, so, dof, ...s, ...sa, ...da]);
  c.addon.copyStrided(src.data, dst.data);
  return true;
}

const movable = (bs: readonly Buf[]): boolean => bs.every((b) => b.dtype !== 'float64' && b.dtype === bs[0].dtype);

const transpose: NativeKernel<'transpose'> = (c, [x], [y], { perm }) => {
  if (!movable([x, y])) return false;
  const xs = stridesOf(x.shape);
  return copy(c, x, y, y.shape, perm.map((p) => xs[p]), stridesOf(y.shape), 0, 0);
};

const slice: NativeKernel<'slice'> = (c, [x], [y], { begin }) => {
  if (!movable([x, y])) return false;
  const xs = stridesOf(x.shape);
  return copy(c, x, y, y.shape, xs, stridesOf(y.shape), begin.reduce((acc, b, i) => acc + b * xs[i], 0), 0);
};

const pad: NativeKernel<'pad'> = (c, [x], [y], { paddings, value }) => {
  if (!movable([x, y])) return false;
  y.data.fill(value);
  const ys = stridesOf(y.shape);
  return copy(c, x, y, x.shape, stridesOf(x.shape), ys, 0, paddings.reduce((acc, p, i) => acc + p[0] * ys[i], 0));
};

const concat: NativeKernel<'concat'> = (c, xs, [y], { axis }) => {
  if (!movable([...xs, y])) return false;
  const ys = stridesOf(y.shape);
  let at = 0;
  for (const x of xs) {
    copy(c, x, y, x.shape, stridesOf(x.shape), ys, 0, at * ys[axis]);
    at += x.shape[axis];
  }
  return true;
};

// ---- fused forward passes (oneDNN post-ops) and softmax ----

/** Codes shared with native/src/hebb.h (enum Act). */
const ACT: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3 };

const fusedMatmul: NativeKernel<'fusedMatmul'> = ({ addon, args }, [a, b, bias], [y], { bias: hasBias, activation }) => {
  if (!allF32(hasBias ? [a, b, bias, y] : [a, b, y])) return false;
  const [, M, K] = a.shape;
  const N = b.shape[2];
  // Empty products go to the reference (the bias alone, then the activation).
  if (M * N * K === 0) return false;
  args.set([M, N, K, 1, 1, 1, 0, 0, b.stamp % 2 ** 30, Math.floor(b.stamp / 2 ** 30), hasBias ? 1 : 0, ACT[activation]]);
  addon.fusedMatmul(a.data as Float32Array, b.data as Float32Array, hasBias ? (bias.data as Float32Array) : undefined, y.data as Float32Array);
  return true;
};

const fusedConv: NativeKernel<'fusedConv'> = ({ addon, args }, [x, w, bias], [y], attrs) => {
  if (!allF32(attrs.bias ? [x, w, bias, y] : [x, w, y]) || !convArgs(args, x.shape, w.shape, y.shape, attrs, w.stamp)) return false;
  args[28] = attrs.bias ? 1 : 0;
  args[29] = ACT[attrs.activation];
  addon.fusedConv(x.data as Float32Array, w.data as Float32Array, attrs.bias ? (bias.data as Float32Array) : undefined, y.data as Float32Array);
  return true;
};

/** Softmax along contiguous rows (inner 1); other views run the reference loop. */
const softmax: NativeKernel<'softmax'> = ({ addon, args }, [x], [y], { outer, size, inner, log }) => {
  if (!allF32([x, y]) || inner !== 1) return false;
  if (outer * size === 0) return true;
  args.set([outer, size, log ? 1 : 0]);
  addon.softmax(x.data as Float32Array, y.data as Float32Array);
  return true;
};

// ---- batch normalisation in training mode and relu's adjoint (our loops) ----

/** The shared argument slots as floats (ε travels as float bits in an int slot). */
const floatViews = new WeakMap<Int32Array, Float32Array>();
function floatsOf(args: Int32Array): Float32Array {
  let f = floatViews.get(args);
  if (!f) floatViews.set(args, (f = new Float32Array(args.buffer, args.byteOffset, args.length)));
  return f;
}

function batchNormArgs(args: Int32Array, x: Buf, channels: number, epsilon: number): void {
  args[0] = x.data.length / channels;
  args[1] = channels;
  floatsOf(args)[2] = epsilon;
}

const batchNormTraining: NativeKernel<'batchNormTraining'> = ({ addon, args }, inputs, [y, mean, variance], { channels, epsilon, scale, center }) => {
  const x = inputs[0];
  const gamma = scale ? inputs[1] : undefined;
  const beta = center ? inputs[scale ? 2 : 1] : undefined;
  if (!allF32([...inputs, y, mean, variance]) || channels === 0) return false;
  batchNormArgs(args, x, channels, epsilon);
  const data = (b: Buf | undefined): Float32Array | undefined => b?.data as Float32Array | undefined;
  addon.batchNormTraining(x.data as Float32Array, data(gamma), data(beta), y.data as Float32Array, mean.data as Float32Array, variance.data as Float32Array);
  return true;
};

const batchNormTrainingGrad: NativeKernel<'batchNormTrainingGrad'> = ({ addon, args }, [x, dy, mean, variance, gamma], [dx, dgamma, dbeta], { channels, epsilon, scale }) => {
  const ins = scale ? [x, dy, mean, variance, gamma] : [x, dy, mean, variance];
  if (!allF32([...ins, dx, dgamma, dbeta]) || channels === 0) return false;
  batchNormArgs(args, x, channels, epsilon);
  const [X, DY, M, V, G] = ins.map((b) => b.data as Float32Array);
  addon.batchNormTrainingGrad(X, DY, M, V, scale ? G : undefined, dx.data as Float32Array, dgamma.data as Float32Array, dbeta.data as Float32Array);
  return true;
};

const reluBackprop: NativeKernel<'reluBackprop'> = ({ addon, args }, [x, dy], [dx]) => {
  if (!allF32([x, dy, dx])) return false;
  args[0] = dx.data.length;
  addon.reluBackprop(x.data as Float32Array, dy.data as Float32Array, dx.data as Float32Array);
  return true;
};

/** The kernels the addon runs; the others (casts, gather, float64) are the reference's loops in place. */
export const NATIVE_KERNELS: { readonly [K in KernelName]?: NativeKernel<K> } = {
  unary, binary, where, broadcastTo, reduce, scatterAdd, matmul, conv, convBackpropInput, convBackpropFilter, pool, avgPoolBackprop,
  transpose, slice, pad, concat, lstmSequence, lstmSequenceGrad, gruSequence, gruSequenceGrad, fusedMatmul, fusedConv, softmax,
  batchNormTraining, batchNormTrainingGrad, reluBackprop, maxPoolBackprop,
};
