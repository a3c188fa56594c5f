// Compiling and dispatching the backend's own WGSL programs. A program is WGSL source with the
// shapes baked in as constants; its pipeline is cached under a key naming the kernel and the
// shapes, so a training loop compiles each kernel once and then only binds and dispatches.
/// <reference types="@webgpu/types" />
import type { DType } from '../../base/index.js';

/** What a kernel needs: the device, the open command encoder, the pipeline cache. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly pipelines: Map<string, GPUComputePipeline>;
  /** The encoder commands are recorded into (submitted before any read or upload). */
  encoder(): GPUCommandEncoder;
}

/** Threads per workgroup of the elementwise and movement programs. */
export const WG = 64;
/** The most workgroups along one dispatch dimension (WebGPU's guaranteed limit). */
const MAX_GROUPS = 65535;

/** The WGSL storage type of a dtype: bool is one u32 per element (WGSL has no 8-bit storage). */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  if (dtype === 'bool') return 'u32';
  throw new Error(`webgpu backend: no WGSL type for ${dtype}`);
}

/** A pipeline from the cache, compiled on first use. */
export function pipeline(ctx: GpuContext, key: string, source: () => string): GPUComputePipeline {
  let p = ctx.pipelines.get(key);
  if (!p) {
    const module = ctx.device.createShaderModule({ code: source(), label: key });
    p = ctx.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
    ctx.pipelines.set(key, p);
  }
  return p;
}

/** Bind `buffers` to bindings 0, 1, … of group 0 and dispatch `groups` workgroups (split over x and y when many). */
export function dispatch(ctx: GpuContext, p: GPUComputePipeline, buffers: readonly GPUBuffer[], groups: number): void {
  if (groups === 0) return;
  const bind = ctx.device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const pass = ctx.encoder().beginComputePass();
  pass.setPipeline(p);
  pass.setBindGroup(0, bind);
  const x = Math.min(groups, MAX_GROUPS);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
  pass.end();
}

/**
 * The storage declarations of a program: `inputs` read-only (named by `names`), then the
 * outputs read-write, bound in that order.
 */
export function bindings(decls: readonly { name: string; type: string; write?: boolean }[]): string {
  return decls.map((d, i) => `@group(0) @binding(${i}) var<storage, ${d.write ? 'read_write' : 'read'}> ${d.name}: array<${d.type}>;`).join('\n');
}

/**
 * A one-thread-per-element program over `n` elements: `body` sees `i` (the flat index, u32)
 * and runs only for i < n. The grid is 2-D when there are more than 65535 workgroups.
 */
export function elementwiseMain(n: number, body: string): string {
  return `
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${WG}u + lid;
  if (i >= ${n}u) { return; }
${body}
}`;
}

/** Workgroups needed for one thread per element. */
export function groupsFor(n: number): number {
  return Math.ceil(n / WG);
}

/** WGSL statements setting u32 `out` to the offset of the element `i` of an output of `outShape` in an input of strides `strides` (0 on broadcast axes). */
export function offsetCode(out: string, i: string, outShape: readonly number[], strides: readonly number[]): string {
  const rank = outShape.length;
  if (rank === 0) return `  let ${out} = 0u;`;
  const lines = [`  var ${out} = 0u;`, `  { var r = ${i};`];
  let stride = 1;
  const outStrides: number[] = new Array<number>(rank);
  for (let d = rank - 1; d >= 0; d--) {
    outStrides[d] = stride;
    stride *= outShape[d];
  }
  for (let d = 0; d < rank; d++) {
    if (outShape[d] === 1) continue;
    const coord = d === rank - 1 ? 'r' : `(r / ${outStrides[d]}u)`;
    if (strides[d] !== 0) lines.push(`    ${out} += ${coord} * ${strides[d]}u;`);
    if (d < rank - 1) lines.push(`    r = r % ${outStrides[d]}u;`);
  }
  lines.push('  }');
  return lines.join('\n');
}
