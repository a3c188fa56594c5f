// Parity cases of the fused recurrence kernels (lstmSequence, gruSequence and their adjoints),
// run by kernels.test.ts with one thread and with two (and by test/native/kernels.test.ts): odd sizes (units 1, 7, 33; batch 1, 5;
// time 1, 9; and units 70, whose LSTM adjoint multiplies over 280 in two K blocks), with and
// without masks. The recurrence compounds float32 rounding (and the SIMD
// sigmoid/tanh differ from Math's by a few ulp), so values are compared with a tolerance
// relative to max(1, |expected|).
import type { KernelAttrs, KernelName } from '../../src/backend/index.js';
import type { TypedArray } from '../../src/base/index.js';
import { cpu, covered, expectClose, type Input, input, type OutputSpec, random, type Rng, runOn, wasm } from './helpers.js';

/** Runs one case on the backend under test and compares it with the reference. */
export type CompareSequence = <K extends KernelName>(kernel: K, inputs: readonly Input[], outputs: readonly OutputSpec[], attrs: KernelAttrs[K], what: string) => void;

/** Compare `got` with the reference's `want`, output by output, relative to max(1, |want|). */
export function expectSequenceClose(got: readonly TypedArray[], want: readonly TypedArray[], outputs: readonly OutputSpec[], what: string): void {
  outputs.forEach((o, i) => {
    const scale = Float64Array.from(want[i], (v) => Math.max(1, Math.abs(v)));
    expectClose(got[i], want[i], o.dtype, { rtol: 2e-5, scale }, `${what} output ${i}`);
  });
}

const compareOnWasm: CompareSequence = (kernel, inputs, outputs, attrs, what) => {
  if (wasm.supports(kernel, [...inputs, ...outputs].map((t) => t.dtype), attrs)) covered.add(kernel);
  expectSequenceClose(runOn(wasm, kernel, inputs, outputs, attrs), runOn(cpu, kernel, inputs, outputs, attrs), outputs, what);
};

function scaled(rng: Rng, shape: number[], s: number): Input {
  const t = random(rng, shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] *= s;
  return t;
}

function mask(rng: Rng, n: number, t: number): Input {
  return input([n, t], 'float32', Array.from({ length: n * t }, () => (rng.next() < 0.3 ? 0 : 1)));
}

/**
 * Every case on the backend `compare` runs (wasm by default); `extra` sizes [u, N, T] are added
 * to the common ones.
 */
export function recurrentParityCases(rng: Rng, compareSequence: CompareSequence = compareOnWasm, extra: readonly [number, number, number][] = []): void {
  const sizes: [number, number, number][] = [];
  for (const u of [1, 7, 33]) for (const n of [1, 5]) for (const t of [1, 9]) sizes.push([u, n, t]);
  sizes.push([70, 3, 2]); // the LSTM adjoint's GEMM over 4u = 280 > 256 runs in two K blocks
  sizes.push(...extra);
  for (const [u, n, t] of sizes) {
    for (const masked of [false, true]) {
      const what = `u ${u} N ${n} T ${t}${masked ? ' masked' : ''}`;
      const m = masked ? [mask(rng, n, t)] : [];
      const f32 = (shape: number[]): OutputSpec => ({ shape, dtype: 'float32' });
      // LSTM: run the reference forward to get consistent y and gates for the adjoint.
      const lstmIn = [scaled(rng, [n, t, 4 * u], 0.5), scaled(rng, [n, u], 0.3), scaled(rng, [n, u], 0.3), scaled(rng, [u, 4 * u], 0.2), ...m];
      const lstmOut = [f32([n, t, 2 * u]), f32([n, t, 4 * u])];
      compareSequence('lstmSequence', lstmIn, lstmOut, { masked }, `lstmSequence ${what}`);
      const [y, gates] = runOn(cpu, 'lstmSequence', lstmIn, lstmOut, { masked });
      const gradIn = [scaled(rng, [n, t, 2 * u], 0.5), input([n, t, 2 * u], 'float32', y), input([n, t, 4 * u], 'float32', gates), lstmIn[2], lstmIn[3], ...m];
      compareSequence('lstmSequenceGrad', gradIn, [f32([n, t, 4 * u]), f32([n, u]), f32([n, u])], { masked }, `lstmSequenceGrad ${what}`);
      // GRU.
      const gruIn = [scaled(rng, [n, t, 3 * u], 0.5), scaled(rng, [n, u], 0.3), scaled(rng, [u, 3 * u], 0.2), scaled(rng, [3 * u], 0.2), ...m];
      const gruOut = [f32([n, t, u]), f32([n, t, 4 * u])];
      compareSequence('gruSequence', gruIn, gruOut, { masked }, `gruSequence ${what}`);
      const [gy, gg] = runOn(cpu, 'gruSequence', gruIn, gruOut, { masked });
      const gruGradIn = [scaled(rng, [n, t, u], 0.5), input([n, t, u], 'float32', gy), input([n, t, 4 * u], 'float32', gg), gruIn[1], gruIn[2], ...m];
      compareSequence('gruSequenceGrad', gruGradIn, [f32([n, t, 3 * u]), f32([n, t, 3 * u]), f32([n, u])], { masked }, `gruSequenceGrad ${what}`);
    }
  }
}
