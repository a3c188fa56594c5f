// Every WGSL kernel of the webgpu backend against the reference cpu backend, on random data with
// odd sizes (and the special float values), for every op and dtype it takes. Runs on whatever
// adapter is available (a software Vulkan driver in CI); skips, saying why, where there is none.
import { afterAll, describe, expect, it } from 'vitest';
import type { BinaryOp, ReduceOp, UnaryOp } from '../../src/backend/index.js';
import { WEBGPU_KERNELS } from '../../src/backend/webgpu/kernels/index.js';
import type { DType } from '../../src/base/index.js';
import { BINARY_BOOL, REDUCE_OUT, UNARY_BOOL } from '../util/kernel-ops.js';
import { input, random, Rng } from '../wasm/helpers.js';
import { compareKernel, covered, skipNote, webgpu } from './helpers.js';

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 0.5, 1.5, 2.5, -2.5, -0.5, 1e-8, 3e38, -7, 40, 1, -1];
/** Ops whose WGSL built-ins are only accurate on a moderate range (sin/cos of 3e38 is noise everywhere). */
const MODERATE = new Set<UnaryOp>(['sin', 'cos']);
/** Ops exact on integers (the others compute in float32 on the GPU and float64 on cpu, then truncate). */
const EXACT_ON_INT = new Set<UnaryOp>(['neg', 'abs', 'sign', 'floor', 'ceil', 'round', 'logicalNot', 'isNaN']);
/** Transcendental functions: WGSL's built-ins are a few ulps off; errors are measured against max(|y|, 1). */
const TRANSCENDENTAL = new Set<UnaryOp>(['exp', 'log', 'sigmoid', 'tanh', 'log1p', 'expm1', 'erf', 'sin', 'cos']);

describe.skipIf(!webgpu)(`webgpu kernels = cpu${skipNote}`, () => {
  const rng = new Rng(7);

  it.each(Object.keys(UNARY_BOOL) as UnaryOp[])('unary %s', async (op) => {
    const out = (d: DType): DType => (UNARY_BOOL[op] ? 'bool' : d);
    const x = random(rng, [3, 37]);
    const scale = TRANSCENDENTAL.has(op) ? 'unit' : undefined;
    await compareKernel('unary', [x], [{ shape: x.shape, dtype: out('float32') }], { op }, { rtol: 2e-6, scale, what: `unary ${op} float32` });
    const specials = MODERATE.has(op) ? SPECIALS.filter((v) => Math.abs(v) < 100) : SPECIALS;
    await compareKernel('unary', [input([specials.length], 'float32', specials)], [{ shape: [specials.length], dtype: out('float32') }], { op }, { rtol: 2e-6, what: `unary ${op} specials` });
    const xi = random(rng, [41], 'int32');
    if (EXACT_ON_INT.has(op)) {
      await compareKernel('unary', [xi], [{ shape: xi.shape, dtype: out('int32') }], { op }, { what: `unary ${op} int32` });
    }
  });

  it('unary logicalNot on bool', async () => {
    const x = random(rng, [29], 'bool');
    await compareKernel('unary', [x], [{ shape: x.shape, dtype: 'bool' }], { op: 'logicalNot' });
  });

  it.each(Object.keys(BINARY_BOOL) as BinaryOp[])('binary %s', async (op) => {
    const out = (d: DType): DType => (BINARY_BOOL[op] ? 'bool' : d);
    // Same shapes, a scalar, and broadcasting on both sides.
    for (const [sa, sb, sy] of [[[5, 13], [5, 13], [5, 13]], [[5, 13], [1], [5, 13]], [[4, 1, 5], [3, 5], [4, 3, 5]], [[1], [2, 7], [2, 7]]] as number[][][]) {
      const a = random(rng, sa);
      const b = random(rng, sb);
      await compareKernel('binary', [a, b], [{ shape: sy, dtype: out('float32') }], { op }, { rtol: 2e-6, scale: op === 'mod' || op === 'pow' ? 'unit' : undefined, what: `binary ${op} ${sa}×${sb}` });
    }
    const s = input([SPECIALS.length], 'float32', SPECIALS);
    const t = input([SPECIALS.length], 'float32', [...SPECIALS].reverse());
    await compareKernel('binary', [s, t], [{ shape: s.shape, dtype: out('float32') }], { op }, { rtol: 2e-6, scale: op === 'mod' ? 'unit' : undefined, what: `binary ${op} specials` });
    // int32: small values (pow stays exact in a double), zero divisors included.
    const ia = input([3, 11], 'int32', Array.from({ length: 33 }, () => rng.int(-6, 7)));
    const ib = input([11], 'int32', Array.from({ length: 11 }, () => rng.int(op === 'pow' ? -2 : -4, op === 'pow' ? 7 : 5)));
    await compareKernel('binary', [ia, ib], [{ shape: [3, 11], dtype: out('int32') }], { op }, { what: `binary ${op} int32` });
  });

  it('binary logic on bool', async () => {
    for (const op of ['logicalAnd', 'logicalOr', 'equal', 'notEqual'] as const) {
      await compareKernel('binary', [random(rng, [3, 9], 'bool'), random(rng, [9], 'bool')], [{ shape: [3, 9], dtype: 'bool' }], { op });
    }
  });

  it('where broadcasts all three operands', async () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      await compareKernel('where', [random(rng, [4, 1, 5], 'bool'), random(rng, [3, 5], dtype), random(rng, [4, 3, 1], dtype)], [{ shape: [4, 3, 5], dtype }], {});
    }
  });

  it('cast between every pair of dtypes', async () => {
    const all = ['float32', 'int32', 'bool'] as const;
    const specials = input([SPECIALS.length], 'float32', [...SPECIALS, 2 ** 31, -(2 ** 31) - 256, 5e9, -1.5e10].slice(0, SPECIALS.length));
    for (const from of all) {
      for (const to of all) {
        await compareKernel('cast', [random(rng, [37], from)], [{ shape: [37], dtype: to }], {}, { what: `cast ${from}→${to}` });
      }
    }
    for (const to of all) await compareKernel('cast', [specials], [{ shape: specials.shape, dtype: to }], {}, { what: `cast specials→${to}` });
    const big = input([6], 'float32', [2 ** 31, -(2 ** 31) - 256, 5e9, -1.5e10, 3e38, 2147483520]);
    await compareKernel('cast', [big], [{ shape: [6], dtype: 'int32' }], {}, { what: 'cast float32→int32 wraps like JavaScript' });
  });

  it('broadcastTo', async () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      await compareKernel('broadcastTo', [random(rng, [3, 1, 7], dtype)], [{ shape: [2, 3, 5, 7], dtype }], {});
    }
  });

  it.each(Object.keys(REDUCE_OUT) as ReduceOp[])('reduce %s', async (op) => {
    // Short rows with many results (one thread each), long rows (a workgroup each), inner > 1.
    for (const [outer, size, inner] of [[3, 37, 1], [2, 301, 5], [1, 1000, 1], [4100, 3, 1], [1, 7, 9]]) {
      for (const dtype of ['float32', 'int32', 'bool'] as const) {
        if (dtype === 'bool' && REDUCE_OUT[op] !== 'bool') continue;
        const x = random(rng, [outer, size, inner], dtype);
        if (dtype === 'float32' && outer === 3) x.data[17] = NaN;
        const out: DType = REDUCE_OUT[op] === 'same' ? dtype : REDUCE_OUT[op];
        await compareKernel('reduce', [x], [{ shape: [outer, inner], dtype: out }], { op, outer, size, inner }, { rtol: 1e-6, scale: op === 'sum' ? 'bound' : undefined, what: `reduce ${op} ${dtype} ${outer},${size},${inner}` });
      }
    }
    // Ties: the first index wins.
    const ties = input([2, 6], 'float32', [1, 3, 3, 0, 3, 1, 5, 5, 5, 5, 5, 5]);
    await compareKernel('reduce', [ties], [{ shape: [2], dtype: REDUCE_OUT[op] === 'same' ? 'float32' : REDUCE_OUT[op] }], { op, outer: 2, size: 6, inner: 1 });
  });

  it('cumsum, forward and reverse, inclusive and exclusive', async () => {
    for (const exclusive of [false, true]) {
      for (const reverse of [false, true]) {
        for (const dtype of ['float32', 'int32'] as const) {
          await compareKernel('cumsum', [random(rng, [3, 17, 5], dtype)], [{ shape: [3, 17, 5], dtype }], { outer: 3, size: 17, inner: 5, exclusive, reverse }, { rtol: 1e-6, scale: 'bound' });
        }
      }
    }
  });

  it('transpose, slice, pad, concat', async () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const x = random(rng, [3, 5, 7, 2], dtype);
      await compareKernel('transpose', [x], [{ shape: [7, 3, 2, 5], dtype }], { perm: [2, 0, 3, 1] });
      await compareKernel('slice', [x], [{ shape: [2, 3, 4, 1], dtype }], { begin: [1, 2, 3, 1] });
      await compareKernel('pad', [x], [{ shape: [4, 8, 7, 3], dtype }], { paddings: [[1, 0], [2, 1], [0, 0], [0, 1]], value: dtype === 'bool' ? 1 : -2 });
      await compareKernel('concat', [random(rng, [3, 2, 4], dtype), random(rng, [3, 5, 4], dtype), random(rng, [3, 1, 4], dtype)], [{ shape: [3, 8, 4], dtype }], { axis: 1 });
    }
    await compareKernel('pad', [random(rng, [5])], [{ shape: [8] }].map((s) => ({ ...s, dtype: 'float32' as const })), { paddings: [[2, 1]], value: -Infinity });
  });

  it('gather and scatterAdd (repeated indices)', async () => {
    const idx = input([2, 4], 'int32', [4, 0, 2, 2, 6, 1, 0, 4]);
    for (const dtype of ['float32', 'int32'] as const) {
      await compareKernel('gather', [random(rng, [3, 7, 5], dtype), idx], [{ shape: [3, 2, 4, 5], dtype }], { axis: 1 });
      await compareKernel('scatterAdd', [random(rng, [3, 2, 4, 5], dtype), idx], [{ shape: [3, 7, 5], dtype }], { axis: 1 }, { rtol: 1e-6, scale: 'bound' });
    }
    await compareKernel('gather', [random(rng, [7, 3], 'bool'), idx], [{ shape: [2, 4, 3], dtype: 'bool' }], { axis: 0 });
  });

  it('checks indices that are on the CPU, as the reference does', async () => {
    await expect(compareKernel('gather', [random(rng, [4, 3]), input([2], 'int32', [1, 4])], [{ shape: [2, 3], dtype: 'float32' }], { axis: 0 })).rejects.toThrow(/index 4 is out of range \[0, 4\)/);
  });

  afterAll(() => {
    // Every kernel of the table, and every op of the op kernels, was compared here.
    // matmul, the convolutions and pooling are compared in gemm-conv.test.ts (their own cases).
    const elsewhere = new Set(['matmul', 'conv', 'convBackpropInput', 'convBackpropFilter', 'pool', 'avgPoolBackprop']);
    const missing = Object.keys(WEBGPU_KERNELS).filter((k) => !covered.has(k) && !elsewhere.has(k));
    for (const op of Object.keys(UNARY_BOOL)) if (!covered.has(`unary.${op}`)) missing.push(`unary.${op}`);
    for (const op of Object.keys(BINARY_BOOL)) if (!covered.has(`binary.${op}`)) missing.push(`binary.${op}`);
    for (const op of Object.keys(REDUCE_OUT)) if (!covered.has(`reduce.${op}`)) missing.push(`reduce.${op}`);
    expect(missing).toEqual([]);
  });
});
