// Shared by the webgpu tests: start the backend once (on a real GPU, or on a software Vulkan
// driver: Chromium's SwiftShader is used when VK_ICD_FILENAMES is unset and it is installed),
// or say why it cannot start, so that the tests skip with that reason.
import * as fs from 'node:fs';
import { expect } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { CpuBackend } from '../../src/backend/cpu/cpu-backend.js';
import { findBackend } from '../../src/backend/index.js';
import type { KernelAttrs, KernelName } from '../../src/backend/index.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/index.js';
import type { TypedArray } from '../../src/base/index.js';
import * as hb from '../../src/index.js';
import { expectClose, type Input, kernelBuffers, type OutputSpec } from '../wasm/helpers.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && fs.existsSync(SWIFTSHADER) && !fs.existsSync('/dev/nvidia0')) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}

async function start(): Promise<{ backend: WebGpuBackend | null; reason: string }> {
  const previous = hb.getBackend();
  try {
    hb.setBackend('webgpu');
    await hb.ready();
    return { backend: findBackend('webgpu') as WebGpuBackend, reason: '' };
  } catch (e) {
    return { backend: null, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    hb.setBackend(previous);
  }
}

const started = await start();
/** The backend, or null where no adapter is available. */
export const webgpu = started.backend;
/** Appended to describe() titles: why the tests are skipped. */
export const skipNote = webgpu ? ` (adapter: ${webgpu.gpu.adapterName})` : ` — SKIPPED: no WebGPU adapter here (${started.reason})`;
if (!webgpu) console.log(`webgpu tests skipped: ${started.reason}`);


export const cpu = new CpuBackend();
/** Kernels (`reduce`) and kernel ops (`unary.exp`) that compareKernel ran on the GPU. */
export const covered = new Set<string>();

/** Run `kernel` on `backend`, reading the outputs asynchronously where it can. */
export async function runOnAsync<K extends KernelName>(backend: Backend, kernel: K, inputs: readonly Input[], outputs: readonly OutputSpec[], attrs: KernelAttrs[K]): Promise<TypedArray[]> {
  const io = kernelBuffers(backend, inputs, outputs);
  try {
    backend.run(kernel, io.ins, io.outs, attrs);
    return await Promise.all(io.outs.map((o) => (backend.readAsync ? backend.readAsync(o.id) : backend.read(o.id))));
  } finally {
    io.free();
  }
}

/** Run `kernel` on webgpu (on the GPU: no hand-off to the CPU copies) and on cpu; compare every output. */
export async function compareKernel<K extends KernelName>(
  kernel: K, inputs: readonly Input[], outputs: readonly OutputSpec[], attrs: KernelAttrs[K],
  opts: { rtol?: number; what?: string; scale?: 'unit' | 'bound' } = {},
): Promise<void> {
  const gpu = webgpu!;
  const dtypes = [...inputs, ...outputs].map((t) => t.dtype);
  expect(gpu.supports(kernel, dtypes, attrs), `${kernel} ${dtypes.join(',')} runs on webgpu`).toBe(true);
  covered.add(kernel);
  if ('op' in attrs && typeof attrs.op === 'string') covered.add(`${kernel}.${attrs.op}`);
  const saved = gpu.handoffSize;
  gpu.handoffSize = -1;
  const before = gpu.counts.gpu;
  let got: TypedArray[];
  try {
    got = await runOnAsync(gpu, kernel, inputs, outputs, attrs);
  } finally {
    gpu.handoffSize = saved;
  }
  expect(gpu.counts.gpu, `${kernel} ran on the GPU`).toBe(before + 1);
  const want = await runOnAsync(cpu, kernel, inputs, outputs, attrs);
  // 'unit': errors relative to max(|expected|, 1); 'bound': to the result on |inputs| (sums).
  let scale: ArrayLike<number> | undefined;
  if (opts.scale === 'unit') scale = Array.from(want[0], (v) => Math.max(1, Math.abs(v)));
  if (opts.scale === 'bound') {
    const absInputs = inputs.map((t) => ({ ...t, data: t.dtype === 'float32' ? t.data.map(Math.abs) : t.data }));
    scale = (await runOnAsync(cpu, kernel, absInputs, outputs, attrs))[0];
  }
  outputs.forEach((o, i) => expectClose(got[i], want[i], o.dtype, { rtol: opts.rtol, scale: i === 0 ? scale : undefined }, `${opts.what ?? kernel} output ${i}`));
}

/** Run async `fn` with webgpu as the current backend, restoring the previous one when it settles. */
export async function onWebGpu<T>(fn: () => Promise<T> | T): Promise<T> {
  const previous = hb.getBackend();
  hb.setBackend('webgpu');
  try {
    return await fn();
  } finally {
    hb.setBackend(previous);
  }
}
