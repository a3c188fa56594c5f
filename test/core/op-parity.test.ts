// Every line of the op-spec table on every fast backend against cpu, in float32: the value and
// the cotangents of all inputs (one vjp, so every gradient rule's kernels run too). cpu is the
// reference whose float64 gradients gradients.test.ts checks by finite differences; here the
// question is whether the fast kernels compute the same float32 numbers. The test also counts
// the kernel calls each line makes natively on the backend and those that fall back to cpu (a
// kernel the backend has no record for, e.g. wasm's cumsum): a line that needs kernels the
// backend has must run at least one of them there, so it cannot pass for a parity check on cpu.
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, findBackend, type KernelName } from '../../src/backend/index.js';
import * as hb from '../../src/index.js';
import { availableBackends, withBackend } from '../util/backends.js';
import { type LineResult, OP_SPECS, runLine } from './op-spec.js';

const fast = availableBackends().filter((b) => b !== 'cpu');


/**
 * Largest error allowed, relative to the largest magnitude of the reference (at least 1):
 * float32 kernels that sum in another order, or use SIMD polynomials for exp/tanh/sigmoid
 * (within a few ulp), differ from cpu by a few float32 ulps of the values they add up.
 */
const RTOL = 2e-5;

function expectClose(got: readonly number[], want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(1, ...want.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i]) || !Number.isFinite(want[i])) {
      expect(Object.is(got[i], want[i]) || got[i] === want[i], `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBe(true);
      continue;
    }
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= worst)) { worst = err; at = i; }
  }
  expect(worst, `${what}: element ${at} is ${got[at]}, cpu says ${want[at]} (scale ${scale})`).toBeLessThanOrEqual(RTOL * scale);
}

/** Count a backend's native kernel runs and its refusals (each refusal runs on cpu). */
function instrument(backend: Backend): { native: Map<KernelName, number>; fallback: Map<KernelName, number>; restore: () => void } {
  const native = new Map<KernelName, number>();
  const fallback = new Map<KernelName, number>();
  const run = backend.run.bind(backend);
  const supports = backend.supports.bind(backend);
  const b = backend as { run: Backend['run']; supports: Backend['supports'] };
  b.run = (kernel, inputs, outputs, attrs) => {
    native.set(kernel, (native.get(kernel) ?? 0) + 1);
    run(kernel, inputs, outputs, attrs);
  };
  b.supports = (kernel, dtypes, attrs) => {
    const ok = supports(kernel, dtypes, attrs);
    // float64 runs on cpu by design (wasm has no float64 kernels); any other refusal is a gap.
    if (!ok && !dtypes.includes('float64')) fallback.set(kernel, (fallback.get(kernel) ?? 0) + 1);
    return ok;
  };
  return { native, fallback, restore: () => { delete (b as Partial<typeof b>).run; delete (b as Partial<typeof b>).supports; } };
}

for (const name of fast) {
  describe(`op-spec lines on ${name} = cpu (float32, value and vjp)`, () => {
    const backend = findBackend(name);
    const probe = instrument(backend);
    const cpuProbe = instrument(findBackend('cpu'));
    const total = (m: Map<KernelName, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    /** Lines that ran kernels natively, lines with no kernel at all (views, no-op casts), lines that fell back. */
    const stats = { lines: 0, native: 0, kernelFree: [] as string[], withFallback: [] as string[] };
    afterAll(() => {
      probe.restore();
      cpuProbe.restore();
      console.log(`${name} parity: ${stats.native} of ${stats.lines} op-spec lines ran their kernels natively on ${name} ` +
        `(${total(probe.native)} kernel calls); ${stats.kernelFree.length} lines run no kernel at all (views); ` +
        `lines with a float32 cpu fallback: ${stats.withFallback.length}`);
    });

    it.each(OP_SPECS.map((s) => [s.name, s] as const))('%s', (lineName, spec) => {
      const cpuBefore = total(cpuProbe.native);
      const want: LineResult = withBackend('cpu', () => runLine(spec, 'float32'));
      const cpuRan = total(cpuProbe.native) - cpuBefore;
      const before = total(probe.native);
      const fellBefore = total(probe.fallback);
      const got: LineResult = withBackend(name, () => runLine(spec, 'float32'));
      const ran = total(probe.native) - before;
      const fell = total(probe.fallback) - fellBefore;
      stats.lines++;
      if (ran > 0) stats.native++;
      if (cpuRan === 0) stats.kernelFree.push(lineName);
      if (fell > 0) stats.withFallback.push(lineName);
      // Only a line that needs no kernel at all (a view, a no-op cast) may skip the backend.
      if (cpuRan > fell) expect(ran, `${lineName}: no kernel ran on ${name}`).toBeGreaterThan(0);
      expectClose(got.value, want.value, `${lineName} value`);
      got.grads.forEach((g, i) => expectClose(g, want.grads[i], `${lineName} d/dx${i}`));
    });

  });
}

describe('op-parity setup', () => {
  it('finds the wasm backend here (otherwise the parity lines above silently vanish)', () => {
    expect(fast).toContain('wasm');
    expect(hb.listBackends()).toContain('cpu');
  });
});
