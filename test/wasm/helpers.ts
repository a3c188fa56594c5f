// Shared by the wasm tests: run one kernel on the wasm backend and on the reference cpu
// backend with the same random inputs, and compare the outputs element by element.
import { expect } from 'vitest';
import type { Backend, TensorInfo } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import type { KernelAttrs, KernelName } from '../../src/backend/index.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { allocArray, type DType, sizeOf, type TypedArray } from '../../src/base/index.js';

export const wasm = createWasmBackend();
export const cpu = new CpuBackend();

/** Run the tests that follow with `threads` threads; with more than one, cut every kernel fine. */
export function useThreads(threads: number): void {
  wasm.setThreads(threads);
  wasm.fineGrained = threads > 1;
}

/** A small deterministic generator (mulberry32), so failures reproduce. */
export class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Roughly normal values (sum of uniforms), spread ±3. */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo));
  }
}

export interface Input {
  shape: readonly number[];
  dtype: DType;
  data: TypedArray;
}

/** Random values of `dtype`: normal floats, integers in [-20, 20), or 0/1. */
export function random(rng: Rng, shape: readonly number[], dtype: DType = 'float32'): Input {
  const data = allocArray(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    data[i] = dtype === 'bool' ? (rng.next() < 0.5 ? 1 : 0) : dtype === 'int32' ? rng.int(-20, 20) : rng.normal();
  }
  return { shape, dtype, data };
}

export function input(shape: readonly number[], dtype: DType, values: ArrayLike<number>): Input {
  const data = allocArray(dtype, sizeOf(shape));
  data.set(values);
  return { shape, dtype, data };
}

export interface OutputSpec {
  shape: readonly number[];
  dtype: DType;
}

/** Buffers on `backend` for a kernel's inputs (written) and outputs (allocated), and a way to free them all. */
export function kernelBuffers(backend: Backend, inputs: readonly Input[], outputs: readonly OutputSpec[]): { ins: TensorInfo[]; outs: TensorInfo[]; free(): void } {
  const ins = inputs.map((t) => {
    const id = backend.alloc(t.dtype, t.data.length);
    if (t.data.length > 0) backend.write(id, t.data);
    return { id, shape: t.shape, dtype: t.dtype };
  });
  const outs = outputs.map((o) => ({ id: backend.alloc(o.dtype, sizeOf(o.shape)), shape: o.shape, dtype: o.dtype }));
  return { ins, outs, free: () => [...ins, ...outs].forEach((t) => backend.free(t.id)) };
}

/** Run `kernel` on `backend`; returns the outputs' contents. */
export function runOn<K extends KernelName>(backend: Backend, kernel: K, inputs: readonly Input[], outputs: readonly OutputSpec[], attrs: KernelAttrs[K]): TypedArray[] {
  const io = kernelBuffers(backend, inputs, outputs);
  try {
    backend.run(kernel, io.ins, io.outs, attrs);
    return io.outs.map((o) => backend.read(o.id));
  } finally {
    io.free();
  }
}

export interface Tolerance {
  /** Allowed error relative to `scale` (default: |expected| elementwise). */
  rtol?: number;
  /** Per-element magnitudes the error is measured against (e.g. Σ|a||b| for a product). */
  scale?: ArrayLike<number>;
}

/** Elementwise comparison: NaN matches NaN, infinities match exactly, ints and bools exactly. */
export function expectClose(actual: TypedArray, expected: TypedArray, dtype: DType, tol: Tolerance = {}, what = ''): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const exact = dtype !== 'float32' && dtype !== 'float64';
  const rtol = tol.rtol ?? 1e-5;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e) || exact) {
      if (!Object.is(a, e) && !(a === e)) { worst = i; worstExcess = Infinity; break; }
      continue;
    }
    const scale = tol.scale ? tol.scale[i] : Math.abs(e);
    // The 1e-30 floor lets exact zeros compare against tiny float32 noise of zero-scale sums.
    const excess = Math.abs(a - e) - rtol * scale - 1e-30;
    if (excess > worstExcess) { worst = i; worstExcess = excess; }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}${tol.scale ? `, scale ${tol.scale[worst]}` : ''})`);
  }
}

/** Kernels (`conv`) and kernel ops (`unary.exp`) that compareKernel has run natively on wasm. */
export const covered = new Set<string>();

/**
 * Run `kernel` on both backends and compare every output. `bound`: for sums of products, the
 * inputs' absolute values, whose reference result bounds the float32 rounding error.
 */
export function compareKernel<K extends KernelName>(
  kernel: K, inputs: readonly Input[], outputs: readonly OutputSpec[], attrs: KernelAttrs[K],
  opts: { rtol?: number; bound?: boolean; what?: string } = {},
): void {
  // A case counts for the coverage check only where wasm really runs it (not a cpu fallback).
  const dtypes = [...inputs, ...outputs].map((t) => t.dtype);
  if (wasm.supports(kernel, dtypes, attrs)) {
    covered.add(kernel);
    if ('op' in attrs && typeof attrs.op === 'string') covered.add(`${kernel}.${attrs.op}`);
  }
  const got = runOn(wasm, kernel, inputs, outputs, attrs);
  const want = runOn(cpu, kernel, inputs, outputs, attrs);
  let scale: TypedArray | undefined;
  if (opts.bound) {
    const absInputs = inputs.map((t) => ({ ...t, data: t.dtype === 'float32' ? t.data.map(Math.abs) : t.data }));
    scale = runOn(cpu, kernel, absInputs, outputs, attrs)[0];
  }
  outputs.forEach((o, i) => {
    expectClose(got[i], want[i], o.dtype, { rtol: opts.rtol, scale: i === 0 ? scale : undefined }, `${opts.what ?? kernel} output ${i}`);
  });
}

/** Wait until the pool's workers are running (they start asynchronously). */
export async function waitForWorkers(threads: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (wasm.poolStats().workers < threads - 1) {
    if (Date.now() > deadline) throw new Error(`workers did not start (${wasm.poolStats().workers} of ${threads - 1})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
