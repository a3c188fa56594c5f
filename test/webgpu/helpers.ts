// Shared by the webgpu tests: start the backend once (on a real GPU, or on a software Vulkan
// driver: Chromium's SwiftShader is used when VK_ICD_FILENAMES is unset and it is installed),
// or say why it cannot start, so that the tests skip with that reason.
import * as fs from 'node:fs';
import * as hb from '../../src/index.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/index.js';
import { findBackend } from '../../src/backend/index.js';

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
