// Fused elementwise chains on webgpu (src/backend/webgpu/fusion.ts): the values equal those of
// the unfused kernels and of cpu, a chain runs as one program, results read or freed at any point
// stay right, and operand buffers freed while a group is pending are not reused under it.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { maxNormError } from '../util/reference.js';
import { onWebGpu, skipNote, webgpu } from './helpers.js';

/** Deterministic values in [-2, 2). */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 2 * Math.sin((i + 1) * seed * 12.9898) * 0.999);
}

/** tanh(x·2 + b) − sigmoid(x)·|x|, with b broadcast over rows, then a mask, a select and an int cast: elementwise kernels only. */
function chain(x: hb.Tensor, b: hb.Tensor): hb.Tensor[] {
  const pre = hb.add(hb.mul(x, 2), b);
  const act = hb.tanh(pre);
  const gate = hb.mul(hb.sigmoid(x), hb.abs(x));
  const y = hb.sub(act, gate);
  const mask = hb.greater(y, 0);
  const out = hb.where(mask, y, hb.neg(y));
  return [pre, y, mask, out, hb.cast(hb.floor(hb.mul(out, 10)), 'int32')];
}

/** Run `fn` on webgpu with the hand-off to the CPU copies off (every kernel on the GPU), fused or not. */
async function onGpu<T>(fuse: boolean, fn: () => Promise<T>): Promise<T> {
  const gpu = webgpu!;
  const saved = [gpu.handoffSize, gpu.fuse] as const;
  gpu.handoffSize = 0;
  gpu.fuse = fuse;
  try {
    return await onWebGpu(fn);
  } finally {
    [gpu.handoffSize, gpu.fuse] = saved;
  }
}

describe.skipIf(!webgpu)(`webgpu: fused elementwise chains${skipNote}`, () => {
  const rows = 37;
  const cols = 53;
  const xv = values(rows * cols, 1);
  const bv = values(cols, 2);

  it('a chain equals the unfused kernels and cpu, and runs as one program', async () => {
    const want = hb.tidy(() => chain(hb.tensor(xv, [rows, cols]), hb.tensor(bv, [cols])).map((t) => Array.from(t.dataSync())));
    const run = (fuse: boolean) =>
      onGpu(fuse, async () => {
        const before = { ...webgpu!.counts };
        const outs = chain(hb.tensor(xv, [rows, cols]), hb.tensor(bv, [cols]));
        const got = await Promise.all(outs.map(async (t) => Array.from(await t.data())));
        hb.dispose(outs);
        return { got, kernels: webgpu!.counts.gpu - before.gpu, fused: webgpu!.counts.fused - before.fused, programs: webgpu!.counts.programs - before.programs };
      });
    const fused = await run(true);
    const plain = await run(false);
    expect(plain.fused).toBe(0);
    expect(plain.kernels).toBeGreaterThanOrEqual(11);
    // Every kernel the unfused run dispatched was fused; all 13 results stay alive, so with the
    // operands they need more bindings than one program may have (16 at most): two programs.
    expect(fused.fused).toBe(plain.kernels);
    expect(fused.programs).toBeLessThanOrEqual(2);
    for (let i = 0; i < want.length; i++) {
      expect(maxNormError(fused.got[i], want[i]), `output ${i} vs cpu`).toBeLessThanOrEqual(1e-5);
      expect(maxNormError(fused.got[i], plain.got[i]), `output ${i} fused vs unfused`).toBeLessThanOrEqual(1e-6);
    }
  });

  it('results disposed before the group runs are neither written nor counted against its bindings: a long chain is one program', async () => {
    await onGpu(true, async () => {
      const before = { ...webgpu!.counts };
      const x = hb.tensor(xv, [rows, cols]);
      const b = hb.tensor(bv, [cols]);
      const scale = hb.scalar(0.9);
      const n = 12;
      let t = x;
      for (let k = 0; k < n; k++) {
        const next = k % 2 === 0 ? hb.tidy(() => hb.tanh(hb.add(t, b))) : hb.mul(t, scale);
        if (t !== x) t.dispose();
        t = next;
      }
      const got = await t.data();
      expect(webgpu!.counts.fused - before.fused).toBe((n / 2) * 3);
      expect(webgpu!.counts.programs - before.programs).toBe(1);
      for (let i = 0; i < xv.length; i += 89) {
        let v = xv[i];
        for (let k = 0; k < n; k++) v = k % 2 === 0 ? Math.tanh(v + bv[i % cols]) : Math.fround(v * Math.fround(0.9));
        expect(got[i]).toBeCloseTo(v, 5);
      }
    });
  });

  it('reading an intermediate first, freeing another before the group runs, and a second shape break the group correctly', async () => {
    await onGpu(true, async () => {
      const x = hb.tensor(xv, [rows, cols]);
      const a = hb.exp(hb.mul(x, 0.5));
      const b = hb.add(a, 1);
      const c = hb.log(b);
      b.dispose(); // never written, still computed inside the program for c
      const aValues = await a.data(); // runs the group
      const d = hb.mul(c, a); // a new group over the same results, now buffers
      const other = hb.add(hb.tensor(values(7, 3), [7]), 1); // another shape: a group of its own
      const [cv, dv, ov] = await Promise.all([c.data(), d.data(), other.data()]);
      for (let i = 0; i < xv.length; i += 97) {
        const ae = Math.exp(xv[i] * 0.5);
        expect(aValues[i]).toBeCloseTo(ae, 4);
        expect(cv[i]).toBeCloseTo(Math.log(ae + 1), 5);
        expect(dv[i]).toBeCloseTo(Math.log(ae + 1) * ae, 4);
      }
      expect(Array.from(ov)).toEqual(Array.from(values(7, 3), (v) => Math.fround(v + 1)));
    });
  });

  it('an operand freed while its group is pending is not handed to another tensor before the group runs', async () => {
    await onGpu(true, async () => {
      const n = 4099;
      const x = hb.tensor(values(n, 5), [n]);
      await x.data(); // x is on the GPU and the CPU
      const y = hb.mul(hb.add(x, 3), 2); // pending: reads x's GPU buffer
      x.dispose();
      // New buffers of x's size, written and computed, while y's group is still pending.
      const z = hb.sub(hb.tensor(new Float32Array(n).fill(7), [n]), 1);
      const [yv, zv] = await Promise.all([y.data(), z.data()]);
      const xv5 = values(n, 5);
      for (let i = 0; i < n; i += 41) expect(yv[i]).toBeCloseTo((xv5[i] + 3) * 2, 5);
      expect(zv.every((v) => v === 6)).toBe(true);
    });
  });

  it('more operands than one program can bind: the group is split, the sum stays right', async () => {
    await onGpu(true, async () => {
      const terms = Array.from({ length: 20 }, (_, k) => hb.tensor(values(64, k + 1), [64]));
      let acc = terms[0];
      for (const t of terms.slice(1)) acc = hb.add(acc, t);
      const got = await acc.data();
      const want = new Float32Array(64);
      for (let k = 0; k < 20; k++) {
        const v = values(64, k + 1);
        for (let i = 0; i < 64; i++) want[i] = Math.fround(want[i] + v[i]);
      }
      expect(maxNormError(got, want)).toBeLessThanOrEqual(1e-6);
      expect(webgpu!.counts.programs).toBeGreaterThan(1);
    });
  });

  it('gradients through a fused chain equal cpu (the backward pass is elementwise too)', async () => {
    const f = (x: hb.Tensor) => hb.sum(hb.mul(hb.tanh(hb.mul(x, 1.5)), hb.sigmoid(x)));
    const want = hb.tidy(() => Array.from(hb.grad(f)(hb.tensor(xv, [rows, cols])).dataSync()));
    const got = await onGpu(true, async () => Array.from(await hb.grad(f)(hb.tensor(xv, [rows, cols])).data()));
    expect(maxNormError(got, want)).toBeLessThanOrEqual(1e-5);
  });
});
