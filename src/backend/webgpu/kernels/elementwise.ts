// Elementwise kernels in WGSL: unary maps, broadcasting binary maps, where, cast, broadcastTo.
// Each is one thread per output element, with the input offsets of broadcast operands computed
// from strides baked into the program (one pipeline per op, dtypes and shapes).
import { broadcastStrides, type DType } from '../../../base/index.js';
import type { BinaryOp, UnaryOp } from '../../kernels.js';
import { bindings, dispatch, elementwiseMain, type GpuContext, groupsFor, offsetCode, pipeline, wgslType } from '../program.js';
import { gpuDtypes, type WebGpuKernel } from './types.js';
import { WGSL_MATH } from './wgsl-math.js';

/** f32 expressions of `x` for each unary op (the reference's results, see wgsl-math.ts). */
const UNARY_F32: Record<UnaryOp, string> = {
  neg: '-x', abs: 'abs(x)', sign: 'sign_(x)', exp: 'exp_(x)', log: 'log_(x)', sqrt: 'sqrt_(x)', sigmoid: 'sigmoid_(x)',
  tanh: 'tanh_(x)', log1p: 'log1p_(x)', expm1: 'expm1_(x)', erf: 'erf_(x)', sin: 'sincos_(x, false)', cos: 'sincos_(x, true)', floor: 'floor(x)',
  ceil: 'ceil(x)', round: 'round(x)', logicalNot: 'select(0u, 1u, x == 0.0)', isNaN: 'select(0u, 1u, isnan_(x))',
};

/** i32 expressions for the ops that stay exact on integers (the others go through f32). */
const UNARY_I32: Partial<Record<UnaryOp, string>> = {
  neg: '0 - x', abs: 'select(x, 0 - x, x < 0)', sign: 'sign(x)', floor: 'x', ceil: 'x', round: 'x',
  logicalNot: 'select(0u, 1u, x == 0)', isNaN: '0u',
};

const BINARY_F32: Record<BinaryOp, string> = {
  add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'a / b', pow: 'pow_(a, b)', maximum: 'max_(a, b)', minimum: 'min_(a, b)', mod: 'mod_(a, b)',
  equal: 'select(0u, 1u, a == b)', notEqual: 'select(0u, 1u, ne_(a, b))', greater: 'select(0u, 1u, a > b)', greaterEqual: 'select(0u, 1u, a >= b)',
  less: 'select(0u, 1u, a < b)', lessEqual: 'select(0u, 1u, a <= b)', logicalAnd: 'select(0u, 1u, nz_(a) && nz_(b))',
  logicalOr: 'select(0u, 1u, nz_(a) || nz_(b))',
};

const BINARY_INT: Record<BinaryOp, string> = {
  add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'idiv_(a, b)', pow: 'ipow_(a, b)', maximum: 'max(a, b)', minimum: 'min(a, b)', mod: 'imod_(a, b)',
  equal: 'select(0u, 1u, a == b)', notEqual: 'select(0u, 1u, a != b)', greater: 'select(0u, 1u, a > b)', greaterEqual: 'select(0u, 1u, a >= b)',
  less: 'select(0u, 1u, a < b)', lessEqual: 'select(0u, 1u, a <= b)', logicalAnd: 'select(0u, 1u, a != 0 && b != 0)',
  logicalOr: 'select(0u, 1u, a != 0 || b != 0)',
};

/** WGSL converting expression `e` of dtype `from` to dtype `to` (as the reference's typed arrays store it). */
export function convert(e: string, from: DType, to: DType): string {
  if (from === to) return e;
  if (to === 'bool') return `select(0u, 1u, ${from === 'float32' ? `nz_(${e})` : `${e} != ${from === 'int32' ? '0' : '0u'}`})`;
  if (to === 'int32') return from === 'float32' ? `toI32_(${e})` : `i32(${e})`;
  return `f32(${e})`;
}

const shapeKey = (t: { shape: readonly number[] }): string => `[${t.shape.join(',')}]`;
const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Statements loading `name` = input `src` at the element of output index i that broadcasts onto it. */
export function load(name: string, src: string, t: { shape: readonly number[]; size: number }, y: { shape: readonly number[] }): string {
  if (same(t.shape, y.shape)) return `  let ${name} = ${src}[i];`;
  if (t.size === 1) return `  let ${name} = ${src}[0];`;
  return `${offsetCode(`o_${name}`, 'i', y.shape, broadcastStrides(t.shape, y.shape))}\n  let ${name} = ${src}[o_${name}];`;
}

function run(ctx: GpuContext, key: string, source: () => string, buffers: GPUBuffer[], n: number): void {
  dispatch(ctx, pipeline(ctx, key, source), buffers, groupsFor(n));
}

/**
 * The statements computing one elementwise op into `out` (a WGSL l-value of y's storage type)
 * from operand expressions `ins` (each of its operand's storage type): what the single kernels
 * below run per element, and what a fused group (fusion.ts) runs per node.
 */
export function unaryStatements(op: UnaryOp, x: string, xDtype: DType, yDtype: DType, out: string): string {
  if (xDtype !== 'float32' && UNARY_I32[op] !== undefined) {
    const expr = UNARY_I32[op]!;
    return `  let x = ${convert(x, xDtype, 'int32')};\n  ${out} = ${convert(expr, expr.includes('0u') ? 'bool' : 'int32', yDtype)};`;
  }
  const expr = UNARY_F32[op];
  const resultType: DType = expr.includes('0u') ? 'bool' : 'float32';
  return `  let x = ${convert(x, xDtype, 'float32')};\n  ${out} = ${convert(expr, resultType, yDtype)};`;
}

/** See {@link unaryStatements}; both operands have dtype `dtype`. */
export function binaryStatements(op: BinaryOp, a: string, b: string, dtype: DType, yDtype: DType, out: string): string {
  const float = dtype === 'float32';
  const expr = float ? BINARY_F32[op] : BINARY_INT[op];
  const resultType: DType = expr.includes('0u') ? 'bool' : float ? 'float32' : 'int32';
  const work: DType = float ? 'float32' : 'int32';
  return `  let a = ${convert(a, dtype, work)};\n  let b = ${convert(b, dtype, work)};\n  ${out} = ${convert(expr, resultType, yDtype)};`;
}

/** See {@link unaryStatements}. */
export function whereStatements(c: string, a: string, b: string, dtypes: readonly [DType, DType, DType], yDtype: DType, out: string): string {
  return `  ${out} = select(${convert(b, dtypes[2], yDtype)}, ${convert(a, dtypes[1], yDtype)}, ${convert(c, dtypes[0], 'bool')} != 0u);`;
}

export const unaryKernel: WebGpuKernel<'unary'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [x], [y], { op }) {
    const key = `unary:${op}:${x.dtype}:${y.dtype}:${y.size}`;
    run(ctx, key, () => {
      const body = unaryStatements(op, 'X[i]', x.dtype, y.dtype, 'Y[i]');
      return `${WGSL_MATH}\n${bindings([{ name: 'X', type: wgslType(x.dtype) }, { name: 'Y', type: wgslType(y.dtype), write: true }])}\n${elementwiseMain(y.size, body)}`;
    }, [x.buffer, y.buffer], y.size);
  },
};

export const binaryKernel: WebGpuKernel<'binary'> = {
  supports: (dtypes) => gpuDtypes(dtypes) && dtypes[0] === dtypes[1],
  encode(ctx, [a, b], [y], { op }) {
    const key = `binary:${op}:${a.dtype}:${y.dtype}:${shapeKey(a)}${shapeKey(b)}${shapeKey(y)}`;
    run(ctx, key, () => {
      const body = [load('a0', 'A', a, y), load('b0', 'B', b, y), binaryStatements(op, 'a0', 'b0', a.dtype, y.dtype, 'Y[i]')].join('\n');
      const t = wgslType(a.dtype);
      return `${WGSL_MATH}\n${bindings([{ name: 'A', type: t }, { name: 'B', type: t }, { name: 'Y', type: wgslType(y.dtype), write: true }])}\n${elementwiseMain(y.size, body)}`;
    }, [a.buffer, b.buffer, y.buffer], y.size);
  },
};

export const whereKernel: WebGpuKernel<'where'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [c, a, b], [y]) {
    const key = `where:${c.dtype}:${a.dtype}:${b.dtype}:${y.dtype}:${shapeKey(c)}${shapeKey(a)}${shapeKey(b)}${shapeKey(y)}`;
    run(ctx, key, () => {
      const body = [load('c', 'C', c, y), load('a', 'A', a, y), load('b', 'B', b, y), whereStatements('c', 'a', 'b', [c.dtype, a.dtype, b.dtype], y.dtype, 'Y[i]')].join('\n');
      const decls = [{ name: 'C', type: wgslType(c.dtype) }, { name: 'A', type: wgslType(a.dtype) }, { name: 'B', type: wgslType(b.dtype) }, { name: 'Y', type: wgslType(y.dtype), write: true }];
      return `${WGSL_MATH}\n${bindings(decls)}\n${elementwiseMain(y.size, body)}`;
    }, [c.buffer, a.buffer, b.buffer, y.buffer], y.size);
  },
};

export const castKernel: WebGpuKernel<'cast'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [x], [y]) {
    if (y.size === 0) return;
    if (x.dtype === y.dtype) {
      ctx.encoder().copyBufferToBuffer(x.buffer, 0, y.buffer, 0, y.buffer.size);
      return;
    }
    run(ctx, `cast:${x.dtype}:${y.dtype}:${y.size}`, () => {
      const body = `  Y[i] = ${convert('X[i]', x.dtype, y.dtype)};`;
      return `${WGSL_MATH}\n${bindings([{ name: 'X', type: wgslType(x.dtype) }, { name: 'Y', type: wgslType(y.dtype), write: true }])}\n${elementwiseMain(y.size, body)}`;
    }, [x.buffer, y.buffer], y.size);
  },
};

export const broadcastToKernel: WebGpuKernel<'broadcastTo'> = {
  supports: (dtypes) => gpuDtypes(dtypes),
  encode(ctx, [x], [y]) {
    run(ctx, `broadcastTo:${x.dtype}:${shapeKey(x)}${shapeKey(y)}`, () => {
      const body = `${load('v', 'X', x, y)}\n  Y[i] = v;`;
      const t = wgslType(x.dtype);
      return `${bindings([{ name: 'X', type: t }, { name: 'Y', type: t, write: true }])}\n${elementwiseMain(y.size, body)}`;
    }, [x.buffer, y.buffer], y.size);
  },
};
