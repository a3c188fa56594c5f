// The WebGPU backend's entry points: the factory the registry calls (it throws until a device
// has been obtained by initWebGpu, which hb.ready() awaits), and whether it may be the default.
import { requestGpuDevice } from './device.js';
import { WebGpuBackend } from './webgpu-backend.js';

let backend: WebGpuBackend | null = null;
let failure: string | null = null;
let requested = false;
let pending: Promise<void> | null = null;

/** The backend, once initWebGpu has found a device. */
export function createWebGpuBackend(): WebGpuBackend {
  if (backend) return backend;
  if (failure !== null) throw new Error(failure);
  throw new Error("webgpu backend: not initialised; call hb.setBackend('webgpu') and then await hb.ready()");
}

/** Ask for the backend: in Node, the `webgpu` package is loaded only after this. */
export function requestWebGpu(): void {
  requested = true;
}

function inBrowser(): boolean {
  return (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
}

/**
 * Find a device. In a browser this always runs (navigator.gpu is cheap to ask); in Node only
 * once the backend was asked for (setBackend('webgpu')), since it loads Dawn's native module.
 */
export function initWebGpu(): Promise<void> {
  if (backend || (!requested && !inBrowser())) return Promise.resolve();
  pending ??= (async () => {
    try {
      backend = new WebGpuBackend(await requestGpuDevice());
      failure = null;
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      pending = null;
    }
  })();
  return pending;
}

/** Whether the default may be webgpu: only on a hardware adapter (never a fallback or software one). */
export function webGpuIsDefaultable(): boolean {
  return backend !== null && !backend.gpu.software;
}

export { WebGpuBackend } from './webgpu-backend.js';
export type { GpuDeviceInfo } from './device.js';
