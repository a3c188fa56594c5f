// The op-spec table on webgpu. Each line runs forward and backward in float32 with every kernel
// on the GPU (no hand-off to the CPU copies), and its value and input cotangents are compared
// with cpu's float64 ones (max-norm relative error ≤ 1e-4: float32 rounding accumulated). Then
// the line's float64 gradient check runs with webgpu as the current backend: float64 has no WGSL
// type, so those tensors stay on the CPU and their kernels run on cpu through the dispatcher.
import { afterAll, describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { makeInputArrays, makeInputs, OP_SPECS, runLine } from '../core/op-spec.js';
import { withBackend } from '../util/backends.js';
import { maxNormError } from '../util/reference.js';
import { skipNote, webgpu } from './helpers.js';

/** A line's value and cotangents in float32 on webgpu, read back asynchronously. */
async function runOnGpu(spec: (typeof OP_SPECS)[number]): Promise<number[][]> {
  const outs = withBackend('webgpu', () =>
    hb.tidy(() => {
      const args = makeInputArrays(spec).map((a) => hb.tensor(a.data, a.shape, 'float32'));
      const probe = spec.fn(...args);
      // The cotangent runLine uses, so cpu's float64 result is the reference.
      const dy = hb.tensor(Array.from({ length: probe.size }, (_, i) => Math.sin(1 + 0.37 * i)), probe.shape, probe.dtype);
      const { value, grads } = hb.vjp(spec.fn, args, dy);
      return [value, ...grads];
    }),
  );
  try {
    return await Promise.all(outs.map(async (t) => Array.from((await t.data()) as ArrayLike<number>)));
  } finally {
    for (const t of outs) t.dispose();
  }
}

/** The same on cpu in float64 with the same cotangent. */
function runOnCpu(spec: (typeof OP_SPECS)[number]): number[][] {
  return withBackend('cpu', () =>
    hb.tidy(() => {
      const args = makeInputArrays(spec).map((a) => hb.tensor(a.data, a.shape, 'float64'));
      const probe = spec.fn(...args);
      const dy = hb.tensor(Array.from({ length: probe.size }, (_, i) => Math.sin(1 + 0.37 * i)), probe.shape, probe.dtype);
      const { value, grads } = hb.vjp(spec.fn, args, dy);
      return [value, ...grads].map((t) => Array.from(t.dataSync() as ArrayLike<number>));
    }),
  );
}

const ranOnGpu = { lines: 0, kernels: 0 };

// Lines that cannot run on webgpu by design, with why (docs/webgpu.md):
// - a float32 result computed on the GPU, cast to float64, needs a synchronous read back to the
//   CPU (float64 lives there; WGSL has no f64), which WebGPU does not offer.
const NOT_ON_WEBGPU = new Set(['cast float64→float32→float64']);

describe.skipIf(!webgpu)(`op-spec lines on webgpu${skipNote}`, () => {
  it.each(OP_SPECS.filter((s) => !NOT_ON_WEBGPU.has(s.name)).map((s) => [s.name, s] as const))('%s', async (name, spec) => {
    const gpu = webgpu!;
    const saved = gpu.handoffSize;
    gpu.handoffSize = -1;
    const before = gpu.counts.gpu;
    let got: number[][];
    try {
      got = await runOnGpu(spec);
    } finally {
      gpu.handoffSize = saved;
    }
    if (gpu.counts.gpu > before) ranOnGpu.lines++;
    ranOnGpu.kernels += gpu.counts.gpu - before;
    const want = runOnCpu(spec);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => {
      expect(g.length, `${name} output ${i}`).toBe(want[i].length);
      expect(maxNormError(g, want[i]), `${name} ${i === 0 ? 'value' : `cotangent ${i - 1}`}`).toBeLessThanOrEqual(1e-4);
    });
    // float64 with webgpu current: checked by finite differences like on cpu.
    const result = withBackend('webgpu', () => hb.tidy(() => hb.checkGrad(spec.fn, makeInputs(spec), spec.eps === undefined ? {} : { eps: spec.eps })));
    expect(result.maxRelError, `${name} float64 on webgpu: worst ${JSON.stringify(result.worst)}`).toBeLessThanOrEqual(1e-6);
    const again = withBackend('webgpu', () => runLine(spec, 'float64'));
    expect(again.value.length).toBe(want[0].length);
  });

  afterAll(() => {
    console.log(`op-spec on webgpu: ${ranOnGpu.lines} of ${OP_SPECS.length} lines ran ${ranOnGpu.kernels} kernels on the GPU`);
    // Every line computes something (a few are pure reshapes with no kernel at all).
    expect(ranOnGpu.lines).toBeGreaterThan(OP_SPECS.length * 0.9);
  });
});
