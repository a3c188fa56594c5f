// The WebGPU backend's entry points: the factory the registry calls (it throws until a device
// has been obtained by initWebGpu, which hb.ready() awaits), and whether it may be the default.
import { requestGpuDevice } from './device.js';
import { WebGpuBackend } from './webgpu-backend.js';

let backend: WebGpuBackend | null = null;
let failure: string | null = null;
let pending: Promise<void> | null = null;

/** The backend, once initWebGpu has found a device. */
export function createWebGpuBackend(): WebGpuBackend {
  if (backend) return backend;
  if (failure !== null) throw new Error(failure);
  throw new Error("webgpu backend: not initialised; call hb.setBackend('webgpu') and then await hb.ready()");
}

/**
 * Whether ready() sets the backend up only when setBackend asked for it: where there is no
 * navigator.gpu (Node), since that loads Dawn's 21 MB native module. In a browser ready()
 * always probes (asking navigator.gpu is cheap), so a hardware GPU can become the default.
 */
export function webGpuOnDemand(): boolean {
  return (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === undefined;
}

/** Find a device (what hb.ready() awaits). */
export function initWebGpu(): Promise<void> {
  if (backend) return Promise.resolve();
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
