// Shapes and attributes reach the shaders as a uniform block of u32s, not as compiled-in
// constants, so that one pipeline serves every shape of a kernel variant (compiling a shader
// costs milliseconds on a GPU driver and seconds on a software one). The uniform buffers are
// kept per device and content: a training loop repeats the same few shapes.
/// <reference types="@webgpu/types" />

/** WGSL expression for parameter i of the block (`u.p[i / 4].xyzw[i % 4]`). */
export function param(i: number): string {
  return `u.p[${i >> 2}].${'xyzw'[i & 3]}`;
}

/** WGSL declaration of a block of `count` parameters at `binding` of group 0. */
export function paramsDecl(binding: number, count: number): string {
  return `struct Params { p: array<vec4<u32>, ${Math.max(1, Math.ceil(count / 4))}> }
@group(0) @binding(${binding}) var<uniform> u: Params;`;
}

/** Uniform buffers by device and content; dropped (not destroyed: a pending command may use one) when many. */
const buffers = new WeakMap<GPUDevice, Map<string, GPUBuffer>>();
const KEEP = 1024;
/** GPUBufferUsage.UNIFORM (the global is absent in Node until the webgpu package defines it). */
const UNIFORM = 0x40;

/** A uniform buffer holding `values` as u32s (padded to whole vec4s). */
export function paramsBuffer(device: GPUDevice, values: readonly number[]): GPUBuffer {
  let byContent = buffers.get(device);
  if (!byContent) buffers.set(device, (byContent = new Map()));
  const key = values.join(',');
  let buf = byContent.get(key);
  if (!buf) {
    for (const v of values) if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) throw new RangeError(`webgpu kernel parameter ${v} is not a u32 (parameters ${key})`);
    if (byContent.size >= KEEP) byContent.clear();
    const words = Math.max(4, Math.ceil(values.length / 4) * 4);
    buf = device.createBuffer({ size: words * 4, usage: UNIFORM, mappedAtCreation: true });
    new Uint32Array(buf.getMappedRange()).set(values);
    buf.unmap();
    byContent.set(key, buf);
  }
  return buf;
}
