// Every line of the op-spec table, gradient-checked in float64 by central differences on cpu at
// checkGrad's default tolerance (relative error ≤ 1e-6). A fast backend has no float64 kernels
// (it would hand float64 to cpu and check nothing of its own), so on it every line runs in
// float32 and its value and input cotangents are compared with cpu's float64 ones, which the
// cpu block has just verified by finite differences. op-parity.test.ts compares the same lines
// float32 against float32, at a tighter tolerance.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import * as ops from '../../src/ops/index.js';
import { availableBackends, withBackend } from '../util/backends.js';
import { makeInputArrays, makeInputs, NOT_IN_TABLE, OP_SPEC_COUNT, OP_SPECS, runLine } from './op-spec.js';

const backends = availableBackends();

/** Gradient checks run by this file (table lines × backends). */
export const checksRun = { count: 0 };

describe('the op-spec table', () => {
  it('has one line per name', () => {
    const names = OP_SPECS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers every public op, or says why not', () => {
    const publicOps = Object.keys(ops).filter((k) => typeof (ops as Record<string, unknown>)[k] === 'function' && (hb as Record<string, unknown>)[k] === (ops as Record<string, unknown>)[k]);
    const covered = new Set(OP_SPECS.map((s) => s.op));
    const missing = publicOps.filter((k) => !covered.has(k) && !(k in NOT_IN_TABLE));
    expect(missing).toEqual([]);
    // A line naming an op that does not exist would hide a gap.
    // (Namespaced ops such as 'image.resize' are looked up along the dots.)
    const lookUp = (k: string): unknown => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], hb);
    expect([...covered].filter((k) => typeof lookUp(k) !== 'function')).toEqual([]);
  });

  it('draws inputs inside each line\'s domain', () => {
    for (const spec of OP_SPECS) {
      const arrays = makeInputArrays(spec);
      spec.inputs.forEach((s, i) => {
        const values = Array.from(arrays[i].data);
        expect(arrays[i].shape, spec.name).toEqual([...s.shape]);
        for (const v of values) {
          expect(v, spec.name).toBeGreaterThanOrEqual(s.lo ?? -2);
          expect(v, spec.name).toBeLessThanOrEqual(s.hi ?? 2);
          if (s.minAbs !== undefined) expect(Math.abs(v), spec.name).toBeGreaterThanOrEqual(s.minAbs);
          for (const p of s.avoid ?? []) expect(Math.abs(v - p), spec.name).toBeGreaterThanOrEqual(0.05);
        }
      });
      const distinct = arrays.filter((_, i) => spec.inputs[i].distinct).flatMap((a) => Array.from(a.data)).sort((a, b) => a - b);
      for (let k = 1; k < distinct.length; k++) expect(distinct[k] - distinct[k - 1], spec.name).toBeGreaterThan(1e-3);
    }
    // Same seed, same values.
    expect(makeInputArrays(OP_SPECS[0])[0].data).toEqual(makeInputArrays(OP_SPECS[0])[0].data);
  });

  it('checkGrad is not vacuous: a wrong gradient rule fails', () => {
    // y = x² with the rule dy·x (half the true 2x·dy).
    const wrong = hb.customGrad((x) => ({ value: hb.square(x), gradFunc: (dy) => hb.mul(dy, x) }));
    const result = hb.checkGrad(wrong, [hb.tensor([0.5, -1.5, 2], [3], 'float64')]);
    expect(result.ok).toBe(false);
    expect(result.maxRelError).toBeGreaterThan(0.1);
  });
});

/**
 * float32 against float64 results: rounding the inputs and every intermediate to float32 moves
 * a result by a few float32 ulps times the line's condition number; 1e-4 of the largest
 * reference magnitude (at least 1) bounds that for every line of the table.
 */
const F32_VS_F64 = 1e-4;

function expectNear(got: readonly number[], want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(1, ...want.map(Math.abs));
  const errors = want.map((w, i) => Math.abs(got[i] - w));
  const worst = errors.indexOf(Math.max(0, ...errors));
  expect(errors[worst] ?? 0, `${what}: element ${worst} is ${got[worst]}, float64 cpu says ${want[worst]}`).toBeLessThanOrEqual(F32_VS_F64 * scale);
}

for (const backend of backends) {
  describe(`gradients on ${backend}`, () => {
    it.each(OP_SPECS.map((s) => [s.name, s] as const))('%s', (name, spec) => {
      if (backend === 'cpu') {
        const result = withBackend(backend, () =>
          hb.tidy(() => hb.checkGrad(spec.fn, makeInputs(spec), spec.eps === undefined ? {} : { eps: spec.eps })),
        );
        expect(result.maxRelError, `${name}: worst ${JSON.stringify(result.worst)}`).toBeLessThanOrEqual(1e-6);
        expect(result.ok, name).toBe(true);
      } else {
        const want = withBackend('cpu', () => runLine(spec, 'float64'));
        const got = withBackend(backend, () => runLine(spec, 'float32'));
        expectNear(got.value, want.value, `${name} value`);
        got.grads.forEach((g, i) => expectNear(g, want.grads[i], `${name} d/dx${i}`));
      }
      checksRun.count++;
    });
  });

  describe(`conventions at non-differentiable points on ${backend} (the table avoids these points)`, () => {
    // float32 on fast backends, so their own kernels decide (every value here is exact in float32).
    const dtype = backend === 'cpu' ? 'float64' : 'float32';
    const g = (f: (x: hb.Tensor) => hb.Tensor, xs: number[]): number[] =>
      withBackend(backend, () => Array.from(hb.grad((x: hb.Tensor) => hb.sum(f(x)))(hb.tensor(xs, [xs.length], dtype)).dataSync()));

    it('relu, abs and leakyRelu take slope 0 / 0 / alpha at 0; softplus ½', () => {
      expect(g(hb.relu, [0, 1])).toEqual([0, 1]);
      expect(g(hb.abs, [0, -2])).toEqual([0, -1]);
      expect(g((x) => hb.leakyRelu(x, 0.1), [0])).toEqual([dtype === 'float32' ? Math.fround(0.1) : 0.1]);
      expect(g(hb.softplus, [0])).toEqual([0.5]);
    });

    it('ties: maximum/minimum give the gradient to the first operand; max shares it; maxPool takes the first', () => {
      const [da, db] = withBackend(backend, () =>
        hb.grad((a: hb.Tensor, b: hb.Tensor) => hb.sum(hb.maximum(a, b)), [0, 1])(hb.tensor([1, 2], [2], dtype), hb.tensor([1, 3], [2], dtype)).map((t) => Array.from(t.dataSync())));
      expect(da).toEqual([1, 0]);
      expect(db).toEqual([0, 1]);
      expect(g((x) => hb.minimum(x, 1), [1, 0])).toEqual([1, 1]);
      expect(g((x) => hb.max(x), [1, 3, 3])).toEqual([0, 0.5, 0.5]);
      expect(g((x) => hb.maxPool1d(hb.reshape(x, [1, 4, 1])), [2, 2, 1, 5])).toEqual([1, 0, 0, 1]);
    });

    it('clip passes the gradient at its bounds; pow at base 0 drops the exponent\'s gradient', () => {
      expect(g((x) => hb.clip(x, -1, 1), [-1, 1, 2])).toEqual([1, 1, 0]);
      const [dx, dy] = withBackend(backend, () =>
        hb.grad((a: hb.Tensor, b: hb.Tensor) => hb.sum(hb.pow(a, b)), [0, 1])(hb.tensor([0, 0], [2], dtype), hb.tensor([2, 3], [2], dtype)).map((t) => Array.from(t.dataSync())));
      expect(dx).toEqual([0, 0]);
      expect(dy).toEqual([0, 0]);
    });
  });
}

describe('gradient check count', () => {
  // Runs after the checks above (tests in a file run in order); skipped when filtered with -t.
  it('ran one check per line per backend', () => {
    console.log(`gradient checks run: ${checksRun.count} (${OP_SPEC_COUNT} table lines × ${backends.length} backend(s): ${backends.join(', ')})`);
    expect(backends.length).toBeGreaterThanOrEqual(1);
    expect(checksRun.count).toBe(OP_SPEC_COUNT * backends.length);
  });
});
