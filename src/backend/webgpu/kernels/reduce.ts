// Reductions and running sums in WGSL. A reduction of x viewed as [outer, size, inner] gives one
// result per (o, i): with many results and short rows one thread computes each; otherwise a
// workgroup of 64 threads shares a row (each strides through it, then a tree in workgroup
// memory combines the 64 partial results). argmax/argmin carry (value, index) pairs and keep
// the first index of the extreme value, a NaN winning, as the reference does.
import type { DType } from '../../../base/index.js';
import type { ReduceOp } from '../../kernels.js';
import { bindings, dispatch, elementwiseMain, groupsFor, pipeline, wgslType } from '../program.js';
import { convert } from './elementwise.js';
import { gpuDtypes, type WebGpuKernel } from './types.js';
import { WGSL_MATH } from './wgsl-math.js';

const LANES = 64;

interface Plan {
  /** WGSL type of the accumulated value. */
  acc: string;
  /** The value an empty row gives. */
  init: string;
  /** Combine state (av, ak) with (bv, bk) into (av, ak). */
  combine: string;
}

function plan(op: ReduceOp, dtype: DType): { p: Plan; work: DType } {
  const float = dtype === 'float32';
  const work: DType = op === 'argmax' || op === 'argmin' ? 'float32' : op === 'any' || op === 'all' ? 'bool' : float ? 'float32' : 'int32';
  const acc = wgslType(work);
  const pick = (better: string): string =>
    `if ((isnan_(bv) && (!isnan_(av) || bk < ak)) || (!isnan_(av) && !isnan_(bv) && (${better} || (bv == av && bk < ak)))) { av = bv; ak = bk; }`;
  switch (op) {
    case 'sum': return { work, p: { acc, init: float ? '0.0' : '0', combine: 'av = av + bv;' } };
    case 'max': return { work, p: { acc, init: float ? '-inf_()' : '-2147483647 - 1', combine: float ? 'if (!isnan_(av) && (isnan_(bv) || bv > av)) { av = bv; }' : 'av = max(av, bv);' } };
    case 'min': return { work, p: { acc, init: float ? 'inf_()' : '2147483647', combine: float ? 'if (!isnan_(av) && (isnan_(bv) || bv < av)) { av = bv; }' : 'av = min(av, bv);' } };
    case 'argmax': return { work, p: { acc, init: '-inf_()', combine: pick('bv > av') } };
    case 'argmin': return { work, p: { acc, init: 'inf_()', combine: pick('bv < av') } };
    case 'any': return { work, p: { acc, init: '0u', combine: 'av = av | bv;' } };
    case 'all': return { work, p: { acc, init: '1u', combine: 'av = av & bv;' } };
    default: return op satisfies never;
  }
}

const IS_ARG = new Set<ReduceOp>(['argmax', 'argmin']);

export const reduceKernel: WebGpuKernel<'reduce'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [x], [y], { op, outer, size, inner }) {
    const outputs = outer * inner;
    const perThread = size <= 32 || outputs >= 4096;
    const key = `reduce:${op}:${x.dtype}:${y.dtype}:${outer},${size},${inner}:${perThread}`;
    const { p, work } = plan(op, x.dtype);
    const result = IS_ARG.has(op) ? 'ak' : 'av';
    const resultType: DType = IS_ARG.has(op) ? 'int32' : work;
    const load = (at: string): string => `${convert(`X[${at}]`, x.dtype, work)}`;
    const head = `${WGSL_MATH}\n${bindings([{ name: 'X', type: wgslType(x.dtype) }, { name: 'Y', type: wgslType(y.dtype), write: true }])}\n`;
    const fn = `fn comb(a: ${p.acc}, ak0: i32, bv: ${p.acc}, bk: i32) -> vec2<u32> {\n  var av = a;\n  var ak = ak0;\n  ${p.combine}\n  return vec2<u32>(bitcast<u32>(av), bitcast<u32>(ak));\n}\n`;
    const fromBits = `bitcast<${p.acc}>`;
    const source = perThread
      ? (): string =>
          head + fn +
          elementwiseMain(outputs, [
            `  let o = i / ${inner}u;`, `  let base = o * ${size * inner}u + (i % ${inner}u);`,
            `  var av: ${p.acc} = ${p.init};`, '  var ak: i32 = 2147483647;',
            `  for (var k = 0u; k < ${size}u; k++) {`,
            `    let s = comb(av, ak, ${load(`base + k * ${inner}u`)}, i32(k));`, `    av = ${fromBits}(s.x);`, '    ak = bitcast<i32>(s.y);',
            '  }', `  if (ak == 2147483647) { ak = 0; }`, `  Y[i] = ${convert(result, resultType, y.dtype)};`,
          ].join('\n'))
      : (): string =>
          head + fn +
          `var<workgroup> sv: array<${p.acc}, ${LANES}>;\nvar<workgroup> sk: array<i32, ${LANES}>;\n` +
          `@compute @workgroup_size(${LANES})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.y * nwg.x + wid.x;
  let inRange = i < ${outputs}u;
  let base = (i / ${inner}u) * ${size * inner}u + (i % ${inner}u);
  var av: ${p.acc} = ${p.init};
  var ak: i32 = 2147483647;
  if (inRange) {
    for (var k = lid; k < ${size}u; k += ${LANES}u) {
      let s = comb(av, ak, ${load(`base + k * ${inner}u`)}, i32(k));
      av = ${fromBits}(s.x);
      ak = bitcast<i32>(s.y);
    }
  }
  sv[lid] = av;
  sk[lid] = ak;
  workgroupBarrier();
  for (var half = ${LANES / 2}u; half > 0u; half = half / 2u) {
    if (lid < half) {
      let s = comb(sv[lid], sk[lid], sv[lid + half], sk[lid + half]);
      sv[lid] = ${fromBits}(s.x);
      sk[lid] = bitcast<i32>(s.y);
    }
    workgroupBarrier();
  }
  if (lid == 0u && inRange) {
    av = sv[0];
    ak = sk[0];
    if (ak == 2147483647) { ak = 0; }
    Y[i] = ${convert(result, resultType, y.dtype)};
  }
}`;
    dispatch(ctx, pipeline(ctx, key, source), [x.buffer, y.buffer], perThread ? groupsFor(outputs) : outputs);
  },
};

export const cumsumKernel: WebGpuKernel<'cumsum'> = {
  supports: (dtypes) => gpuDtypes(dtypes) && dtypes[0] !== 'bool',
  encode(ctx, [x], [y], { outer, size, inner, exclusive, reverse }) {
    const outputs = outer * inner;
    const key = `cumsum:${x.dtype}:${y.dtype}:${outer},${size},${inner}:${exclusive}:${reverse}`;
    const t = wgslType(x.dtype);
    const zero = x.dtype === 'float32' ? '0.0' : '0';
    const source = (): string =>
      `${bindings([{ name: 'X', type: t }, { name: 'Y', type: wgslType(y.dtype), write: true }])}\n` +
      elementwiseMain(outputs, [
        `  let base = (i / ${inner}u) * ${size * inner}u + (i % ${inner}u);`, `  var acc: ${t} = ${zero};`,
        `  for (var step = 0u; step < ${size}u; step++) {`,
        `    let at = base + ${reverse ? `(${size - 1}u - step)` : 'step'} * ${inner}u;`,
        exclusive ? `    Y[at] = ${convert('acc', x.dtype, y.dtype)};\n    acc = acc + X[at];` : `    acc = acc + X[at];\n    Y[at] = ${convert('acc', x.dtype, y.dtype)};`,
        '  }',
      ].join('\n'));
    dispatch(ctx, pipeline(ctx, key, source), [x.buffer, y.buffer], groupsFor(outputs));
  },
};
