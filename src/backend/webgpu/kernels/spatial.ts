// The tuned kernels (matmul, convolution and its two gradients, pooling) live in matmul.ts,
// conv.ts and pool.ts; this file adapts the kernel vocabulary's operands to their entry points.
// float32 only (the vocabulary's matmul and conv are float kernels; int32 ones run on cpu).
import type { ConvAttrs } from '../../kernels.js';
import { type ConvDims, encodeConv, encodeConvBackpropFilter, encodeConvBackpropInput } from './conv.js';
import { encodeMatmul } from './matmul.js';
import { encodeAvgPoolBackprop, encodePool } from './pool.js';
import type { GpuTensor, WebGpuKernel, WindowDims } from './types.js';

const allFloat32 = (dtypes: readonly string[]): boolean => dtypes.every((d) => d === 'float32');

export const matmulKernel: WebGpuKernel<'matmul'> = {
  supports: allFloat32,
  encode(ctx, [a, b], [y], { transposeA, transposeB }) {
    if (y.size === 0) return;
    const [batch, m, n] = y.shape;
    const k = transposeA ? a.shape[1] : a.shape[2];
    if (k === 0) {
      ctx.encoder().clearBuffer(y.buffer);
      return;
    }
    encodeMatmul(ctx.device, ctx.encoder(), ctx.pipelines, a.buffer, b.buffer, y.buffer, { batch, batchA: a.shape[0], batchB: b.shape[0], m, n, k, transposeA, transposeB });
  },
};

/** Window geometry from x [N,D,H,W,C] and y [N,OD,OH,OW,…]. */
function windowDims(x: readonly number[], y: readonly number[]): WindowDims {
  return { n: x[0], d: x[1], h: x[2], w: x[3], c: x[4], od: y[1], oh: y[2], ow: y[3] };
}

/** Convolution geometry from x [N,D,H,W,C], w [KD,KH,KW,C/g,F] and y [N,OD,OH,OW,F]. */
function convDims(x: readonly number[], w: readonly number[], y: readonly number[]): ConvDims {
  return { ...windowDims(x, y), f: y[4], kd: w[0], kh: w[1], kw: w[2] };
}

/**
 * The record of a convolution kernel: float32, nothing to record for an empty output, else
 * `encode` with the geometry `dims` reads off its operands (a, b) → out.
 */
function convRecord<K extends 'conv' | 'convBackpropInput' | 'convBackpropFilter'>(encode: typeof encodeConv, dims: (a: GpuTensor, b: GpuTensor, out: GpuTensor) => ConvDims): WebGpuKernel<K> {
  return {
    supports: allFloat32,
    encode(ctx, [a, b], [out], attrs) {
      if (out.size === 0) return;
      encode(ctx.device, ctx.encoder(), ctx.pipelines, a.buffer, b.buffer, out.buffer, dims(a, b, out), attrs as ConvAttrs);
    },
  };
}

/** y = conv(x, w). */
export const convKernel = convRecord<'conv'>(encodeConv, (x, w, y) => convDims(x.shape, w.shape, y.shape));
/** dx from (dy, w). */
export const convBackpropInputKernel = convRecord<'convBackpropInput'>(encodeConvBackpropInput, (dy, w, dx) => convDims(dx.shape, w.shape, dy.shape));
/** dw from (x, dy). */
export const convBackpropFilterKernel = convRecord<'convBackpropFilter'>(encodeConvBackpropFilter, (x, dy, dw) => convDims(x.shape, dw.shape, dy.shape));

export const poolKernel: WebGpuKernel<'pool'> = {
  // Outputs: y (float32) and, for max, the int32 indices.
  supports: (dtypes) => dtypes[0] === 'float32' && dtypes[1] === 'float32' && (dtypes.length < 3 || dtypes[2] === 'int32'),
  encode(ctx, [x], [y, indices], attrs) {
    if (y.size === 0) return;
    encodePool(ctx.device, ctx.encoder(), ctx.pipelines, x.buffer, y.buffer, indices?.buffer ?? null, windowDims(x.shape, y.shape), attrs);
  },
};

export const avgPoolBackpropKernel: WebGpuKernel<'avgPoolBackprop'> = {
  supports: allFloat32,
  encode(ctx, [dy], [dx], attrs) {
    if (dx.size === 0) return;
    encodeAvgPoolBackprop(ctx.device, ctx.encoder(), ctx.pipelines, dy.buffer, dx.buffer, windowDims(dx.shape, dy.shape), attrs);
  },
};
