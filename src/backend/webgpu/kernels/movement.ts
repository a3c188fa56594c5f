// Data movement in WGSL: transpose, slice, pad, concat, gather and its adjoint scatterAdd. One
// thread per output element computes where its value comes from (strides baked in).
import { sizeOf, stridesOf, ValueError } from '../../../base/index.js';
import { concatLayout } from '../../strided.js';
import { bindings, dispatch, elementwiseMain, type GpuContext, groupsFor, offsetCode, pipeline, wgslType } from '../program.js';
import { gpuDtypes, type GpuTensor, type WebGpuKernel } from './types.js';

const sh = (s: readonly number[]): string => `[${s.join(',')}]`;

/** A program copying into Y: `body` computes `src` (u32 offset into X) and optionally `inside` (bool). */
function gather1(ctx: GpuContext, key: string, x: GpuTensor, y: GpuTensor, body: string, fill?: string): void {
  const t = wgslType(y.dtype);
  const source = (): string =>
    `${bindings([{ name: 'X', type: wgslType(x.dtype) }, { name: 'Y', type: t, write: true }])}\n` +
    elementwiseMain(y.size, fill === undefined ? `${body}\n  Y[i] = X[src];` : `${body}\n  if (inside) { Y[i] = X[src]; } else { Y[i] = ${fill}; }`);
  dispatch(ctx, pipeline(ctx, key, source), [x.buffer, y.buffer], groupsFor(y.size));
}

export const transposeKernel: WebGpuKernel<'transpose'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [x], [y], { perm }) {
    const xs = stridesOf(x.shape);
    gather1(ctx, `transpose:${x.dtype}:${sh(x.shape)}:${perm.join(',')}`, x, y, offsetCode('src', 'i', y.shape, perm.map((p) => xs[p])));
  },
};

export const sliceKernel: WebGpuKernel<'slice'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [x], [y], { begin }) {
    const xs = stridesOf(x.shape);
    const base = begin.reduce((acc, b, i) => acc + b * xs[i], 0);
    const body = `${offsetCode('o', 'i', y.shape, xs)}\n  let src = o + ${base}u;`;
    gather1(ctx, `slice:${x.dtype}:${sh(x.shape)}${sh(y.shape)}:${begin.join(',')}`, x, y, body);
  },
};

export const padKernel: WebGpuKernel<'pad'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [x], [y], { paddings, value }) {
    const xs = stridesOf(x.shape);
    const ys = stridesOf(y.shape);
    const lines = ['  var src = 0u;', '  var inside = true;', '  var r = i;'];
    y.shape.forEach((n, d) => {
      lines.push(`  { let c = i32(r / ${ys[d]}u) - ${paddings[d][0]}; r = r % ${ys[d]}u;`);
      lines.push(`    if (c < 0 || c >= ${x.shape[d]}) { inside = false; } else { src += u32(c) * ${xs[d]}u; } }`);
      void n;
    });
    const fill = y.dtype === 'float32' ? floatLiteral(value) : y.dtype === 'int32' ? `${Math.trunc(value) | 0}` : `${value !== 0 ? 1 : 0}u`;
    const key = `pad:${x.dtype}:${sh(x.shape)}${sh(y.shape)}:${paddings.map((p) => p.join('/')).join(',')}:${fill}`;
    gather1(ctx, key, x, y, lines.join('\n'), fill);
  },
};

/** A WGSL f32 expression for any number (±∞ and NaN through bit patterns). */
function floatLiteral(v: number): string {
  const bits = new Uint32Array(new Float32Array([v]).buffer)[0];
  return Number.isFinite(v) ? `bitcast<f32>(${bits}u)` : `bitcast<f32>(select(0u, ${bits}u, i < 0xffffffffu))`;
}

export const concatKernel: WebGpuKernel<'concat'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, inputs, [y], { axis }) {
    // Each input is [outer, chunk_i]; copy each into its column range of y [outer, yChunk].
    const { outer, yChunk, parts } = concatLayout(inputs.map((x) => x.shape), y.shape, axis);
    inputs.forEach((x, i) => {
      const { chunk, offset } = parts[i];
      if (x.size > 0) {
        const t = wgslType(y.dtype);
        const key = `concat:${y.dtype}:${outer},${chunk},${yChunk},${offset}`;
        const source = (): string =>
          `${bindings([{ name: 'X', type: t }, { name: 'Y', type: t, write: true }])}\n` +
          elementwiseMain(x.size, `  Y[(i / ${chunk}u) * ${yChunk}u + ${offset}u + (i % ${chunk}u)] = X[i];`);
        dispatch(ctx, pipeline(ctx, key, source), [x.buffer, y.buffer], groupsFor(x.size));
      }
    });
  },
};

/**
 * The sizes of a gather or scatterAdd along `axis` of `shape` (the gathered-from or scattered-into
 * shape): `size` along the axis, `inner` elements after it, `n` indices. Indices still on the CPU
 * are checked as the reference does; indices computed on the GPU cannot be, and an out-of-range
 * one reads as or adds nothing.
 */
function indexedSizes(op: string, shape: readonly number[], axis: number, indices: GpuTensor, values: ArrayLike<number> | null): { size: number; inner: number; n: number } {
  const size = shape[axis];
  if (values !== null) {
    for (let j = 0; j < values.length; j++) {
      const k = values[j];
      if (!(k >= 0 && k < size)) throw new ValueError(`${op}: index ${k} is out of range [0, ${size})`);
    }
  }
  return { size, inner: sizeOf(shape.slice(axis + 1)), n: indices.size };
}

export const gatherKernel: WebGpuKernel<'gather'> = {
  supports: (dtypes) => gpuDtypes(dtypes) && dtypes[1] === 'int32',
  encode(ctx, [x, indices], [y], { axis }, cpuValues) {
    const { size, inner, n } = indexedSizes('gather', x.shape, axis, indices, cpuValues(indices));
    const t = wgslType(x.dtype);
    const zero = x.dtype === 'float32' ? '0.0' : x.dtype === 'int32' ? '0' : '0u';
    const key = `gather:${x.dtype}:${size},${inner},${n}:${y.size}`;
    const source = (): string =>
      `${bindings([{ name: 'X', type: t }, { name: I, type: 'i32' }, { name: 'Y', type: t, write: true }])}\n` +
      elementwiseMain(y.size, [
        `  let inner = i % ${inner}u;`, `  let j = (i / ${inner}u) % ${n}u;`, `  let o = i / ${inner * n}u;`,
        `  let k = ${I}[j];`,
        `  if (k < 0 || k >= ${size}) { Y[i] = ${zero}; } else { Y[i] = X[(o * ${size}u + u32(k)) * ${inner}u + inner]; }`,
      ].join('\n'));
    dispatch(ctx, pipeline(ctx, key, source), [x.buffer, indices.buffer, y.buffer], groupsFor(y.size));
  },
};
const I = 'IDX';

export const scatterAddKernel: WebGpuKernel<'scatterAdd'> = {
  // Float atomics do not exist in WGSL: each output element sums the updates whose index hits
  // it, in index order (deterministic, and the reference's order). Cost: output × indices.
  supports: (dtypes) => gpuDtypes(dtypes) && dtypes[1] === 'int32' && dtypes[0] !== 'bool',
  encode(ctx, [updates, indices], [y], { axis }, cpuValues) {
    const { size, inner, n } = indexedSizes('scatterAdd', y.shape, axis, indices, cpuValues(indices));
    const t = wgslType(y.dtype);
    const zero = y.dtype === 'float32' ? '0.0' : '0';
    const key = `scatterAdd:${y.dtype}:${size},${inner},${n}:${y.size}`;
    const source = (): string =>
      `${bindings([{ name: 'U', type: t }, { name: I, type: 'i32' }, { name: 'Y', type: t, write: true }])}\n` +
      elementwiseMain(y.size, [
        `  let inner = i % ${inner}u;`, `  let k = i32((i / ${inner}u) % ${size}u);`, `  let o = i / ${inner * size}u;`,
        `  var acc: ${t} = ${zero};`,
        `  for (var j = 0u; j < ${n}u; j++) {`,
        `    if (${I}[j] == k) { acc = acc + U[(o * ${n}u + j) * ${inner}u + inner]; }`,
        '  }', '  Y[i] = acc;',
      ].join('\n'));
    dispatch(ctx, pipeline(ctx, key, source), [updates.buffer, indices.buffer, y.buffer], groupsFor(y.size));
  },
};
