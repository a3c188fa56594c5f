// The op-spec table's lines run on native in float32 against the cpu reference in float64: the
// value and every input's cotangent (a vector–Jacobian product with a random cotangent), so
// each op's forward kernels and the kernels of its gradient are exercised as training uses
// them. float32 rounding bounds the error: each array is compared against its largest
// magnitude (max-norm relative error ≤ 1e-4, about 800 float32 ulps of accumulated rounding).
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { fusedRecurrenceAvailable, gruSequence, lstmSequence } from '../../src/ops/index.js';
import { makeInputArrays, OP_SPECS } from '../core/op-spec.js';
import { withBackend } from '../util/backends.js';
import { maxNormError } from '../util/reference.js';
import { native, skipNote } from './helpers.js';

/** f's value and cotangents for inputs of `dtype`, with a fixed cotangent of f's shape. */
function run(spec: (typeof OP_SPECS)[number], dtype: 'float32' | 'float64'): number[][] {
  return hb.tidy(() => {
    const args = makeInputArrays(spec).map((a) => hb.tensor(a.data, a.shape, dtype));
    const probe = spec.fn(...args);
    const dy = hb.tensor(Array.from({ length: probe.size }, (_, i) => Math.sin(1 + 0.37 * i)), probe.shape, probe.dtype);
    const { value, grads } = hb.vjp(spec.fn, args, dy);
    return [value, ...grads].map((t) => Array.from(t.dataSync() as ArrayLike<number>));
  });
}

describe.skipIf(!native)(`op-spec lines in float32 on native = float64 on cpu${skipNote}`, () => {
  it.each(OP_SPECS.map((s) => [s.name, s] as const))('%s', (name, spec) => {
    const got = withBackend('native', () => run(spec, 'float32'));
    const want = withBackend('cpu', () => run(spec, 'float64'));
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => {
      expect(g.length, `${name} output ${i}`).toBe(want[i].length);
      expect(maxNormError(g, want[i]), `${name} ${i === 0 ? 'value' : `cotangent ${i - 1}`}`).toBeLessThanOrEqual(1e-4);
    });
  });
});

/** Deterministic values in about [−scale, scale]. */
const wave = (n: number, seed: number, scale: number): number[] => Array.from({ length: n }, (_, i) => scale * Math.sin(seed + 0.7 * i + 0.013 * i * i));

/** A 0/1 mask [n, t] with holes (as test/ops/recurrent-fused.test.ts's). */
const holes = (n: number, t: number): number[] => Array.from({ length: n * t }, (_, i) => ((i * 7 + 3) % 5 === 0 ? 0 : 1));

/**
 * The fused recurrence's value and the cotangents of xk, the states and the weights (the
 * adjoint kernel, then the matmuls and sums of src/ops/recurrent.ts), for inputs of `dtype`.
 */
function runSequence(kind: 'lstm' | 'gru', n: number, t: number, u: number, masked: boolean, dtype: 'float32' | 'float64'): number[][] {
  return hb.tidy(() => {
    const g = kind === 'lstm' ? 4 : 3;
    const tensor = (shape: number[], seed: number, scale: number): hb.Tensor => hb.tensor(wave(shape.reduce((a, b) => a * b, 1), seed, scale), shape, dtype);
    const mask = masked ? hb.tensor(holes(n, t), [n, t], dtype) : null;
    const args = kind === 'lstm'
      ? [tensor([n, t, g * u], 1, 1), tensor([n, u], 2, 0.5), tensor([n, u], 3, 0.5), tensor([u, g * u], 4, 0.4)]
      : [tensor([n, t, g * u], 1, 1), tensor([n, u], 2, 0.5), tensor([u, g * u], 4, 0.4), tensor([g * u], 5, 0.3)];
    const f = (a: hb.Tensor, b: hb.Tensor, c: hb.Tensor, d: hb.Tensor): hb.Tensor => (kind === 'lstm' ? lstmSequence(a, b, c, d, mask) : gruSequence(a, b, c, d, mask));
    const probe = f(args[0], args[1], args[2], args[3]);
    const dy = hb.tensor(wave(probe.size, 9, 1), probe.shape, dtype);
    const { value, grads } = hb.vjp(f, args, dy);
    return [value, ...grads].map((x) => Array.from(x.dataSync() as ArrayLike<number>));
  });
}

describe.skipIf(!native)(`fused recurrences in float32 on native = float64 on cpu${skipNote}`, () => {
  it('the recurrent layers take the fused path on native', () => {
    expect(withBackend('native', fusedRecurrenceAvailable)).toBe(true);
  });
  // The last size splits its rows into blocks on two threads (native/src/recurrent.cc).
  const sizes: [number, number, number, boolean][] = [[1, 1, 1, false], [5, 9, 7, false], [5, 9, 7, true], [3, 4, 33, true], [9, 5, 65, false], [9, 5, 65, true]];
  for (const kind of ['lstm', 'gru'] as const) {
    it.each(sizes)(`${kind}: value and every input's cotangent (N %i, T %i, u %i, masked %s)`, (n, t, u, masked) => {
      const got = withBackend('native', () => {
        const threads = hb.getThreads();
        hb.setThreads(2);
        try {
          return runSequence(kind, n, t, u, masked, 'float32');
        } finally {
          hb.setThreads(threads);
        }
      });
      const want = withBackend('cpu', () => runSequence(kind, n, t, u, masked, 'float64'));
      got.forEach((g, i) => expect(maxNormError(g, want[i]), `${i === 0 ? 'value' : `cotangent ${i - 1}`}`).toBeLessThanOrEqual(1e-4));
    });
  }
});
