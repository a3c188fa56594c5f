// The op-spec table's lines run on native in float32 against the cpu reference in float64: the
// value and every input's cotangent (a vector–Jacobian product with a random cotangent), so
// each op's forward kernels and the kernels of its gradient are exercised as training uses
// them. float32 rounding bounds the error: each array is compared against its largest
// magnitude (max-norm relative error ≤ 1e-4, about 800 float32 ulps of accumulated rounding).
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
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
