// Finding a WebGPU device: `navigator.gpu` in browsers, the optional `webgpu` package (Dawn's
// Node bindings) in Node. The package is imported dynamically, only when asked for, so the
// library neither needs it installed nor loads its 21 MB native module unless WebGPU is used.
//
// Dawn's Node instance (the object `create()` returns) must stay strongly referenced for as long
// as any device made from it lives: if it is collected, the process crashes (SIGSEGV) or hangs.
// `instance` below holds it for the life of the process.
/// <reference types="@webgpu/types" />

/** Where the device came from and whether its adapter is a software rasteriser. */
export interface GpuDeviceInfo {
  device: GPUDevice;
  /** The adapter's vendor / architecture / description, as reported. */
  adapterName: string;
  /** A fallback adapter, or a known CPU implementation (SwiftShader, lavapipe/llvmpipe). */
  software: boolean;
  /** 'navigator.gpu' or 'webgpu (Dawn for Node)'. */
  source: string;
}

/** Dawn's instance in Node: kept for the life of the process (see above). */
let instance: GPU | null = null;

function nodeLike(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

async function nodeGpu(): Promise<GPU> {
  if (instance) return instance;
  // A variable specifier keeps bundlers from resolving the optional package at build time.
  const name = 'webgpu';
  let mod: { create(options: string[]): GPU; globals: object };
  try {
    mod = (await import(/* @vite-ignore */ name)) as typeof mod;
  } catch (e) {
    throw new Error(`webgpu backend: the optional package 'webgpu' (Dawn for Node) is not installed or does not load here: npm install webgpu (${e instanceof Error ? e.message : String(e)})`);
  }
  // GPUBufferUsage, GPUMapMode … are globals in browsers; Dawn provides them here.
  for (const [k, v] of Object.entries(mod.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  instance = mod.create([]);
  return instance;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render|warp/i;

/** Request an adapter and a device with the largest storage buffers the adapter allows. */
export async function requestGpuDevice(): Promise<GpuDeviceInfo> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  const inBrowser = !nodeLike() || nav?.gpu !== undefined;
  const gpu = nav?.gpu ?? (nodeLike() ? await nodeGpu() : undefined);
  if (!gpu) throw new Error('webgpu backend: this browser has no navigator.gpu (WebGPU is unavailable or disabled)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new Error(
      'webgpu backend: no WebGPU adapter' + (inBrowser ? '' : ' (no Vulkan/Metal/D3D driver found; for a software one set VK_ICD_FILENAMES, e.g. to Chromium\'s SwiftShader /usr/lib/chromium/vk_swiftshader_icd.json)'),
    );
  }
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const adapterName = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' / ') || 'unknown adapter';
  const fallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true || (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
  const lim = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: lim.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: lim.maxComputeWorkgroupSizeY,
      maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
    },
  });
  return { device, adapterName, software: fallback || SOFTWARE.test(adapterName), source: inBrowser ? 'navigator.gpu' : 'webgpu (Dawn for Node)' };
}
