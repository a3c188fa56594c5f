// The tuned kernels (matmul, convolution and its two gradients, pooling) live in matmul.ts,
// conv.ts and pool.ts; this file adapts the kernel vocabulary's operands to their entry points.
// float32 only (the vocabulary's matmul and conv are float kernels; int32 ones run on cpu).
import { type ConvDims, encodeConv, encodeConvBackpropFilter, encodeConvBackpropInput } from './conv.js';
import { encodeMatmul } from './matmul.js';
import { encodeAvgPoolBackprop, encodePool, type PoolDims } from './pool.js';
import type { WebGpuKernel } from './types.js';

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

/** Convolution geometry from x [N,D,H,W,C], w [KD,KH,KW,C/g,F] and y [N,OD,OH,OW,F]. */
function convDims(x: readonly number[], w: readonly number[], y: readonly number[]): ConvDims {
  return { n: x[0], d: x[1], h: x[2], w: x[3], c: x[4], od: y[1], oh: y[2], ow: y[3], f: y[4], kd: w[0], kh: w[1], kw: w[2] };
}

export const convKernel: WebGpuKernel<'conv'> = {
  supports: allFloat32,
  encode(ctx, [x, w], [y], attrs) {
    if (y.size === 0) return;
    encodeConv(ctx.device, ctx.encoder(), ctx.pipelines, x.buffer, w.buffer, y.buffer, convDims(x.shape, w.shape, y.shape), attrs);
  },
};

export const convBackpropInputKernel: WebGpuKernel<'convBackpropInput'> = {
  supports: allFloat32,
  encode(ctx, [dy, w], [dx], attrs) {
    if (dx.size === 0) return;
    encodeConvBackpropInput(ctx.device, ctx.encoder(), ctx.pipelines, dy.buffer, w.buffer, dx.buffer, convDims(dx.shape, w.shape, dy.shape), attrs);
  },
};

export const convBackpropFilterKernel: WebGpuKernel<'convBackpropFilter'> = {
  supports: allFloat32,
  encode(ctx, [x, dy], [dw], attrs) {
    if (dw.size === 0) return;
    encodeConvBackpropFilter(ctx.device, ctx.encoder(), ctx.pipelines, x.buffer, dy.buffer, dw.buffer, convDims(x.shape, dw.shape, dy.shape), attrs);
  },
};

function poolDims(x: readonly number[], y: readonly number[]): PoolDims {
  return { n: x[0], d: x[1], h: x[2], w: x[3], c: x[4], od: y[1], oh: y[2], ow: y[3] };
}

export const poolKernel: WebGpuKernel<'pool'> = {
  // Outputs: y (float32) and, for max, the int32 indices.
  supports: (dtypes) => dtypes[0] === 'float32' && dtypes[1] === 'float32' && (dtypes.length < 3 || dtypes[2] === 'int32'),
  encode(ctx, [x], [y, indices], attrs) {
    if (y.size === 0) return;
    encodePool(ctx.device, ctx.encoder(), ctx.pipelines, x.buffer, y.buffer, indices?.buffer ?? null, poolDims(x.shape, y.shape), attrs);
  },
};

export const avgPoolBackpropKernel: WebGpuKernel<'avgPoolBackprop'> = {
  supports: allFloat32,
  encode(ctx, [dy], [dx], attrs) {
    if (dx.size === 0) return;
    encodeAvgPoolBackprop(ctx.device, ctx.encoder(), ctx.pipelines, dy.buffer, dx.buffer, poolDims(dx.shape, dy.shape), attrs);
  },
};
