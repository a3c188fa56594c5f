// Convolutions. Every convolution, 1-D to 3-D, grouped, depthwise, dilated or transposed, is
// one of three kernels on 5-D channels-last data [N, D, H, W, C]:
//   conv                y = x ⋆ w
//   convBackpropInput   dx from dy and w  (the adjoint of conv in x; also "transposed conv")
//   convBackpropFilter  dw from x and dy  (the adjoint of conv in w)
// Each one's gradient is written with the other two, so convolutions differentiate any number
// of times. Output size per axis: ⌊(n + p_before + p_after − ((f − 1)·d + 1)) / s⌋ + 1.
import type { ConvAttrs, FusedActivation } from '../backend/index.js';
import { checkOptions, fmtShape, is, spatialLayout, ShapeError, ValueError } from '../base/index.js';
import { record, runKernel, Tensor } from '../tensor/index.js';
import { biasActivation, fusable } from './fused.js';
import { effectiveWindow, samePads, transposedDefaultLength, windowOutput, windowOutputShape } from './geometry.js';
import { reshape } from './shape.js';
import { promotePair, rankOps, requireFloat, type TensorLike } from './util.js';

/** 'valid' (none), 'same' (TensorFlow's rule), p on every side, or [before, after] per spatial axis. */
export type Padding = 'valid' | 'same' | number | readonly (readonly [number, number])[];

/**
 * Options of the convolution ops: `strides` and `dilation` (a number or one per spatial axis), `padding` and `groups`.
 */
export interface ConvOptions {
  strides?: number | readonly number[];
  padding?: Padding;
  dilation?: number | readonly number[];
  groups?: number;
}

/** Options of the transposed convolutions: those of the convolution ops plus the `outputShape`. */
export interface ConvTransposeOptions {
  strides?: number | readonly number[];
  padding?: Padding;
  dilation?: number | readonly number[];
  /** The spatial size of the result ([H, W]), or the whole shape [N, H, W, C]; inferred if left out. */
  outputShape?: readonly number[];
}

// Option specs; values are checked in detail where they are resolved (perAxis, resolvePadding).
const isAxes = is.anyOf(is.posInt, is.intArray);
const isPadding = is.anyOf(is.oneOf('valid', 'same'), is.nonNegInt, is.array);
const CONV_SPEC = { strides: isAxes, padding: isPadding, dilation: isAxes, groups: is.posInt } as const;
const DEPTHWISE_SPEC = { strides: isAxes, padding: isPadding, dilation: isAxes } as const;
const CONV_TRANSPOSE_SPEC = { strides: isAxes, padding: isPadding, dilation: isAxes, outputShape: is.intArray } as const;

/** A per-axis option (a number for all axes, or one per spatial axis) as positive integers. */
export function perAxis(op: string, name: string, v: number | readonly number[] | undefined, dims: number, fallback: number): number[] {
  const list = v === undefined ? new Array<number>(dims).fill(fallback) : typeof v === 'number' ? new Array<number>(dims).fill(v) : [...v];
  if (list.length !== dims || !list.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new ValueError(`${op}: ${name} must be a positive integer or ${dims} of them, got ${JSON.stringify(v)}`);
  }
  return list;
}

/** [before, after] padding per spatial axis for inputs `sizes`, effective window `windows`. */
export function resolvePadding(op: string, padding: Padding, sizes: readonly number[], windows: readonly number[], strides: readonly number[]): [number, number][] {
  const dims = sizes.length;
  if (padding === 'valid') return sizes.map(() => [0, 0]);
  if (padding === 'same') return sizes.map((n, i) => samePads(n, windows[i], strides[i]));
  if (typeof padding === 'number') {
    if (!Number.isInteger(padding) || padding < 0) throw new ValueError(`${op}: padding must be 'valid', 'same', a non-negative integer or pairs, got ${padding}`);
    return sizes.map(() => [padding, padding]);
  }
  if (Array.isArray(padding) && padding.length === dims && padding.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))) {
    return padding.map(([a, b]) => [a, b]);
  }
  throw new ValueError(`${op}: padding must be 'valid', 'same', a non-negative integer or ${dims} [before, after] pairs, got ${JSON.stringify(padding)}`);
}

export { windowOutput };

function to3<T>(values: readonly T[], fill: T): [T, T, T] {
  const padded = [...new Array<T>(3 - values.length).fill(fill), ...values];
  return [padded[0], padded[1], padded[2]];
}

/** Output shape [N, OD, OH, OW, F] of conv on 5-D x, w. */
function convOutputShape(x: readonly number[], w: readonly number[], a: ConvAttrs): number[] {
  const out = [0, 1, 2].map((i) => windowOutput(x[i + 1], a.pads[i], (w[i] - 1) * a.dilations[i] + 1, a.strides[i]));
  return [x[0], ...out, w[4]];
}

function convCore(x: Tensor, w: Tensor, a: ConvAttrs): Tensor {
  const [y] = runKernel('conv', [x, w], a, [{ shape: convOutputShape(x.shape, w.shape, a), dtype: x.dtype }]);
  return record('conv', [x, w], y, [
    (dy) => convBackpropInputCore(dy, w, x.shape, a),
    (dy) => convBackpropFilterCore(x, dy, w.shape, a),
  ]);
}

function convBackpropInputCore(dy: Tensor, w: Tensor, xShape: readonly number[], a: ConvAttrs): Tensor {
  const [dx] = runKernel('convBackpropInput', [dy, w], a, [{ shape: xShape, dtype: dy.dtype }]);
  return record('convBackpropInput', [dy, w], dx, [
    (g) => convCore(g, w, a),
    (g) => convBackpropFilterCore(g, dy, w.shape, a),
  ]);
}

function convBackpropFilterCore(x: Tensor, dy: Tensor, wShape: readonly number[], a: ConvAttrs): Tensor {
  const [dw] = runKernel('convBackpropFilter', [x, dy], a, [{ shape: wShape, dtype: x.dtype }]);
  return record('convBackpropFilter', [x, dy], dw, [
    (g) => convBackpropInputCore(dy, g, x.shape, a),
    (g) => convCore(x, g, a),
  ]);
}

interface Prepared {
  x5: Tensor;
  w5: Tensor;
  attrs: ConvAttrs;
  outShape: number[];
}

/** Validate an N-d convolution and bring it to 5-D form. */
function prepareConv(op: string, xIn: TensorLike, wIn: TensorLike, dims: number, options: ConvOptions, depthwise = false): Prepared {
  const opts: ConvOptions = depthwise ? checkOptions(op, options as Omit<ConvOptions, 'groups'>, DEPTHWISE_SPEC) : checkOptions(op, options, CONV_SPEC);
  // Checked before promotion, which would otherwise turn an int32 input beside a float filter into float.
  for (const v of [xIn, wIn]) if (v instanceof Tensor) requireFloat(op, v);
  const [x, w] = promotePair(op, xIn, wIn);
  requireFloat(op, x, w);
  const layout = spatialLayout(dims);
  if (x.rank !== dims + 2) throw new ShapeError(`${op}: input must be ${layout} (rank ${dims + 2}), got ${fmtShape(x.shape)}`);
  if (w.rank !== dims + 2) throw new ShapeError(`${op}: filter must have rank ${dims + 2} ([...kernel, in, out]), got ${fmtShape(w.shape)}`);
  const C = x.shape[dims + 1];
  const strides = perAxis(op, 'strides', opts.strides, dims, 1);
  const dilation = perAxis(op, 'dilation', opts.dilation, dims, 1);
  let groups = opts.groups ?? 1;
  let wr = w;
  if (depthwise) {
    // [kh, kw, C, multiplier] is the grouped filter [kh, kw, 1, C·multiplier] with C groups.
    if (w.shape[dims] !== C) throw new ShapeError(`${op}: filter ${fmtShape(w.shape)} expects ${w.shape[dims]} input channels, input ${fmtShape(x.shape)} has ${C}`);
    wr = reshape(w, [...w.shape.slice(0, dims), 1, C * w.shape[dims + 1]]);
    groups = C;
  }
  if (!Number.isInteger(groups) || groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${groups}`);
  const cin = wr.shape[dims];
  const F = wr.shape[dims + 1];
  if (C % groups !== 0 || C / groups !== cin) {
    throw new ShapeError(`${op}: input ${fmtShape(x.shape)} has ${C} channels but filter ${fmtShape(w.shape)} expects ${cin} per group × ${groups} groups`);
  }
  if (F % groups !== 0) throw new ShapeError(`${op}: ${F} output channels of filter ${fmtShape(w.shape)} do not divide into ${groups} groups`);
  const spatial = x.shape.slice(1, dims + 1);
  const kernel = wr.shape.slice(0, dims);
  if (kernel.some((k) => k < 1)) throw new ShapeError(`${op}: filter ${fmtShape(w.shape)} has an empty kernel`);
  const effective = kernel.map((k, i) => effectiveWindow(k, dilation[i]));
  const pads = resolvePadding(op, opts.padding ?? 'valid', spatial, effective, strides);
  const out = windowOutputShape(op, spatial, { window: kernel, strides, dilation, padding: pads }, x.shape) as number[];
  const attrs: ConvAttrs = { strides: to3(strides, 1), dilations: to3(dilation, 1), pads: to3(pads, [0, 0] as [number, number]), groups };
  const x5 = reshape(x, [x.shape[0], ...to3(spatial, 1), C]);
  const w5 = reshape(wr, [...to3(kernel, 1), cin, F]);
  return { x5, w5, attrs, outShape: [x.shape[0], ...out, F] };
}

function convNd(op: string, x: TensorLike, w: TensorLike, dims: number, opts: ConvOptions, depthwise = false): Tensor {
  const p = prepareConv(op, x, w, dims, opts, depthwise);
  return reshape(convCore(p.x5, p.w5, p.attrs), p.outShape);
}

/**
 * act(conv(x, w) + bias) for a convolution of `dims` spatial axes, in one kernel where the
 * backend has it and nothing is differentiated (src/ops/fused.ts), else op by op.
 */
export function fusedConv(x: TensorLike, w: TensorLike, dims: number, opts: ConvOptions, bias: Tensor | null, activation: FusedActivation): Tensor {
  const op = `conv${dims}d`;
  const p = prepareConv(op, x, w, dims, opts);
  const F = p.w5.shape[4];
  if (!bias || (bias.rank === 1 && bias.shape[0] === F)) {
    const f = fusable('fusedConv', [p.x5, p.w5], bias, p.attrs, activation);
    if (f) return reshape(runKernel('fusedConv', f.inputs, f.attrs, [{ shape: convOutputShape(p.x5.shape, p.w5.shape, p.attrs), dtype: p.x5.dtype }])[0], p.outShape);
  }
  return biasActivation(reshape(convCore(p.x5, p.w5, p.attrs), p.outShape), bias, activation);
}

/** A convolution op of one rank: x `[N, ...spatial, C]`, w `[...kernel, C/groups, F]` → `[N, ...spatial', F]`. */
export type ConvOp = (x: TensorLike, w: TensorLike, opts?: ConvOptions) => Tensor;

/**
 * x [N, L, C], [N, H, W, C] or [N, D, H, W, C] with w [k, C/groups, F], [kh, kw, C/groups, F] or
 * [kd, kh, kw, C/groups, F] → [N, L', F], [N, H', W', F] or [N, D', H', W', F].
 */
export const [conv1d, conv2d, conv3d] = rankOps<ConvOp>('conv', (op, rank) => (x, w, opts = {}) => convNd(op, x, w, rank, opts));

/** Each input channel convolved with its own `multiplier` filters: w [kh, kw, C, multiplier] → [N, H', W', C·multiplier]. */
export function depthwiseConv2d(x: TensorLike, w: TensorLike, opts: Omit<ConvOptions, 'groups'> = {}): Tensor {
  return convNd('depthwiseConv2d', x, w, 2, opts, true);
}

/** Depthwise convolution followed by a 1×1 convolution: pointwise w [1, 1, C·multiplier, F]. */
export function separableConv2d(x: TensorLike, depthwiseW: TensorLike, pointwiseW: TensorLike, opts: Omit<ConvOptions, 'groups'> = {}): Tensor {
  return convNd('separableConv2d', convNd('separableConv2d', x, depthwiseW, 2, opts, true), pointwiseW, 2, {});
}

/**
 * The transposed ("fractionally strided") convolution: the gradient of a convolution with
 * respect to its input, used for up-sampling. x [N, ...spatial, Cin], w [...kernel, Cout, Cin].
 */
function convTransposeNd(op: string, xIn: TensorLike, wIn: TensorLike, dims: number, options: ConvTransposeOptions): Tensor {
  const opts = checkOptions(op, options, CONV_TRANSPOSE_SPEC);
  for (const v of [xIn, wIn]) if (v instanceof Tensor) requireFloat(op, v);
  const [x, w] = promotePair(op, xIn, wIn);
  requireFloat(op, x, w);
  if (x.rank !== dims + 2) throw new ShapeError(`${op}: input must have rank ${dims + 2} (channels last), got ${fmtShape(x.shape)}`);
  if (w.rank !== dims + 2) throw new ShapeError(`${op}: filter must have rank ${dims + 2} ([...kernel, out, in]), got ${fmtShape(w.shape)}`);
  const cin = x.shape[dims + 1];
  if (w.shape[dims + 1] !== cin) throw new ShapeError(`${op}: input ${fmtShape(x.shape)} has ${cin} channels but filter ${fmtShape(w.shape)} expects ${w.shape[dims + 1]} (filter is [...kernel, out, in])`);
  const cout = w.shape[dims];
  const strides = perAxis(op, 'strides', opts.strides, dims, 1);
  const dilation = perAxis(op, 'dilation', opts.dilation, dims, 1);
  const kernel = w.shape.slice(0, dims);
  const effective = kernel.map((k, i) => effectiveWindow(k, dilation[i]));
  const inSpatial = x.shape.slice(1, dims + 1);
  const padding = opts.padding ?? 'valid';
  let outSpatial: number[];
  if (opts.outputShape !== undefined) {
    const os = opts.outputShape;
    outSpatial = os.length === dims + 2 ? os.slice(1, dims + 1) : [...os].slice(0, dims);
    if (outSpatial.length !== dims || !outSpatial.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ValueError(`${op}: outputShape must be ${dims} spatial sizes or the full output shape, got ${JSON.stringify(os)}`);
    }
  } else if (padding === 'same') {
    outSpatial = inSpatial.map((n, i) => transposedDefaultLength(n, effective[i], strides[i], 'same'));
  } else {
    const pads = resolvePadding(op, padding, inSpatial, effective, strides);
    outSpatial = inSpatial.map((n, i) => transposedDefaultLength(n, effective[i], strides[i], pads[i]));
  }
  // The forward convolution this is the adjoint of maps outSpatial back to inSpatial.
  const pads = resolvePadding(op, padding, outSpatial, effective, strides);
  const check = outSpatial.map((n, i) => windowOutput(n, pads[i], effective[i], strides[i]));
  if (check.some((c, i) => c !== inSpatial[i])) {
    throw new ShapeError(`${op}: output size ${outSpatial.join('x')} is inconsistent with input ${fmtShape(x.shape)}, kernel ${kernel.join('x')}, strides ${strides.join('x')} and padding ${JSON.stringify(padding)}`);
  }
  const attrs: ConvAttrs = { strides: to3(strides, 1), dilations: to3(dilation, 1), pads: to3(pads, [0, 0] as [number, number]), groups: 1 };
  const x5 = reshape(x, [x.shape[0], ...to3(inSpatial, 1), cin]);
  const w5 = reshape(w, [...to3(kernel, 1), cout, cin]);
  const dxShape = [x.shape[0], ...to3(outSpatial, 1), cout];
  return reshape(convBackpropInputCore(x5, w5, dxShape, attrs), [x.shape[0], ...outSpatial, cout]);
}

/** A transposed convolution op of one rank: x `[N, ...spatial, Cin]`, w `[...kernel, Cout, Cin]` → `[N, ...spatial', Cout]`. */
export type ConvTransposeOp = (x: TensorLike, w: TensorLike, opts?: ConvTransposeOptions) => Tensor;

/**
 * The adjoints of {@link conv1d}, {@link conv2d} and {@link conv3d} (they up-sample by `strides`):
 * x [N, ...spatial, Cin], w [...kernel, Cout, Cin] → [N, ...spatial', Cout].
 */
export const [conv1dTranspose, conv2dTranspose, conv3dTranspose] = rankOps<ConvTransposeOp>('conv', (op, rank) => (x, w, opts = {}) => convTransposeNd(op, x, w, rank, opts), 'Transpose');
