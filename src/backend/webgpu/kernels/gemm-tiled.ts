// The tiled, register-blocked GEMM that matmul and the three convolution kernels share:
//   Y[z, m, n] = Σ_k A(z, m, k) · B(z, k, n)
// One workgroup computes a BM×BN tile of Y. Each step along k it stages a BM×BK slab of A and a
// BK×BN slab of B in workgroup memory (both stored k-major, four floats to a vec4, so that the
// inner loop reads vec4s), then every thread accumulates a TM×TN block of the tile in registers:
// per k, TM/4 + TN/4 vec4 reads feed TM·TN/4 vec4 FMAs.
//
// A thread's rows are not contiguous: row group r (4 rows) of thread ty sits at (r·TY + ty)·4,
// and column group c of thread tx at (c·TX + tx)·4. Neighbouring threads so read neighbouring
// vec4s of workgroup memory (no bank conflicts) and write neighbouring vec4s of Y.
//
// How a slab is fetched is the caller's: `vec4` loaders read four contiguous floats at a time
// (dims divisible by the tile, rows aligned), `scalar` loaders call a bounds-checked WGSL
// function for every element (edge tiles, implicit im2col in convolution).
/// <reference types="@webgpu/types" />
import { param, paramsBuffer, paramsDecl } from './wgsl-params.js';

/** A tile configuration: BM×BN outputs per workgroup, BK deep slabs, TM×TN outputs per thread. */
export interface GemmTile {
  bm: number;
  bn: number;
  bk: number;
  tm: number;
  tn: number;
}

export function tileThreads(t: GemmTile): number {
  return (t.bm / t.tm) * (t.bn / t.tn);
}

/** How one slab (A: BM×BK, B: BK×BN) goes from global memory into workgroup memory. */
export type SlabLoader =
  /** `fn(z, row, k) -> f32` bounds-checked; `kFast` says which of row / k is contiguous in memory. */
  | { kind: 'scalar'; fn: string; kFast: boolean }
  /**
   * `value(row, k)` is a vec4<f32> expression for the four floats (row, k..k+3) when kFast, or
   * (row..row+3, k) when not, zero where k ≥ K; it may use z, m0 / n0 (the tile's origin) and k0.
   */
  | { kind: 'vec4'; value: (row: string, k: string) => string; kFast: boolean };

export interface GemmSpec {
  tile: GemmTile;
  /**
   * Bindings and helper functions. The sizes are parameters (see wgsl-params.ts): M, N, K at
   * GEMM_M, GEMM_N, GEMM_K; the caller's own from GEMM_PARAMS on. z is the batch (or group).
   */
  decls: string;
  a: SlabLoader;
  b: SlabLoader;
  /**
   * Writes Y. `vec4`: `stmt(row, colVec, v)` stores v at (row, 4·colVec..4·colVec+3), guarding
   * its own bounds. `scalar`: `fn(z, row, col, v)`, called for in-range elements only.
   */
  store: { kind: 'vec4'; stmt: (row: string, colVec: string, v: string) => string } | { kind: 'scalar'; fn: string };
}

export const GEMM_M = param(0);
export const GEMM_N = param(1);
export const GEMM_K = param(2);
/** The index of the first caller parameter. */
export const GEMM_PARAMS = 8;

/** The GEMM's own parameters (M, N, K and the workgroup layout) and its dispatch size. */
export function gemmParams(t: GemmTile, batch: number, m: number, n: number, k: number): { params: number[]; groups: [number, number] } {
  const tilesM = Math.ceil(m / t.bm);
  const tilesN = Math.ceil(n / t.bn);
  const total = tilesM * tilesN * batch;
  const groups = foldGroups(total);
  return { params: [m, n, k, tilesN, tilesM, total, groups[0], 0], groups };
}

/** Largest workgroup count on one dispatch dimension (WebGPU's default limit). */
const MAX_GROUPS = 65535;

/** The dispatch size for `total` workgroups, folded onto two dimensions. */
export function foldGroups(total: number): [number, number] {
  const x = Math.min(total, MAX_GROUPS);
  return [x, Math.ceil(total / x)];
}

function slabLoad(slab: 'As' | 'Bs', rows: number, t: GemmTile, threads: number, origin: string, load: SlabLoader): string {
  const { bk } = t;
  const rows4 = rows / 4;
  const out: string[] = [];
  const guarded = (total: number, body: string[], i: number): void => {
    out.push(`  {`, `    let l = ${i * threads}u + tid;`);
    if ((i + 1) * threads > total) out.push(`    if (l < ${total}u) {`);
    out.push(...body.map((s) => `    ${s}`));
    if ((i + 1) * threads > total) out.push(`    }`);
    out.push(`  }`);
  };
  if (load.kind === 'scalar') {
    const total = rows * bk;
    const idx = load.kFast ? [`let kk = l % ${bk}u;`, `let rr = l / ${bk}u;`] : [`let rr = l % ${rows}u;`, `let kk = l / ${rows}u;`];
    for (let i = 0; i * threads < total; i++)
      guarded(total, [...idx, `${slab}[kk * ${rows4}u + rr / 4u][rr % 4u] = ${load.fn}(z, ${origin} + rr, k0 + kk);`], i);
  } else if (load.kFast) {
    // Four consecutive k of one row: scattered over four k-rows of the slab.
    const total = (rows * bk) / 4;
    for (let i = 0; i * threads < total; i++)
      guarded(total, [
        `let kv = l % ${bk / 4}u;`,
        `let rr = l / ${bk / 4}u;`,
        `let v = ${load.value(`(${origin} + rr)`, `(k0 + kv * 4u)`)};`,
        `let q = kv * ${4 * rows4}u + rr / 4u;`,
        `let c = rr % 4u;`,
        `${slab}[q][c] = v.x;`,
        `${slab}[q + ${rows4}u][c] = v.y;`,
        `${slab}[q + ${2 * rows4}u][c] = v.z;`,
        `${slab}[q + ${3 * rows4}u][c] = v.w;`,
      ], i);
  } else {
    // Four consecutive rows at one k: one vec4 of the slab.
    const total = (rows * bk) / 4;
    for (let i = 0; i * threads < total; i++)
      guarded(total, [
        `let rv = l % ${rows4}u;`,
        `let kk = l / ${rows4}u;`,
        `${slab}[kk * ${rows4}u + rv] = ${load.value(`(${origin} + rv * 4u)`, `(k0 + kk)`)};`,
      ], i);
  }
  return out.join('\n');
}

/** WGSL for the whole GEMM, plus the dispatch size. */
export function gemmShader(s: GemmSpec, paramCount: number): string {
  const t = s.tile;
  const TX = t.bn / t.tn;
  const TY = t.bm / t.tm;
  const threads = TX * TY;
  const RG = t.tm / 4; // row groups of 4 per thread
  const CG = t.tn / 4; // column vec4s per thread
  const acc: string[] = [];
  const step: string[] = [];
  for (let g = 0; g < RG; g++) step.push(`    let a${g} = As[kk * ${t.bm / 4}u + ${g * TY}u + ty];`);
  for (let c = 0; c < CG; c++) step.push(`    let b${c} = Bs[kk * ${t.bn / 4}u + ${c * TX}u + tx];`);
  for (let r = 0; r < t.tm; r++)
    for (let c = 0; c < CG; c++) {
      acc.push(`  var acc${r}_${c} = vec4<f32>(0.0);`);
      step.push(`    acc${r}_${c} = fma(vec4<f32>(a${r >> 2}.${'xyzw'[r & 3]}), b${c}, acc${r}_${c});`);
    }
  const store: string[] = [];
  for (let r = 0; r < t.tm; r++) {
    const row = `m0 + ${((r >> 2) * TY) * 4 + (r & 3)}u + ty * 4u`;
    store.push(`  {`, `    let row = ${row};`);
    for (let c = 0; c < CG; c++) {
      const colVec = `n0 / 4u + ${c * TX}u + tx`;
      if (s.store.kind === 'vec4') store.push(`    ${s.store.stmt('row', colVec, `acc${r}_${c}`)}`);
      else {
        store.push(`    if (row < ${GEMM_M}) {`);
        for (let j = 0; j < 4; j++)
          store.push(`      if ((${colVec}) * 4u + ${j}u < ${GEMM_N}) { ${s.store.fn}(z, row, (${colVec}) * 4u + ${j}u, acc${r}_${c}.${'xyzw'[j]}); }`);
        store.push(`    }`);
      }
    }
    store.push(`  }`);
  }
  return `${paramsDecl(0, paramCount)}
${s.decls}
var<workgroup> As: array<vec4<f32>, ${(t.bm * t.bk) / 4}>;
var<workgroup> Bs: array<vec4<f32>, ${(t.bn * t.bk) / 4}>;

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let lin = wid.y * ${param(6)} + wid.x;
  if (lin >= ${param(5)}) { return; }
  let tileN = lin % ${param(3)};
  let rest = lin / ${param(3)};
  let m0 = (rest % ${param(4)}) * ${t.bm}u;
  let z = rest / ${param(4)};
  let n0 = tileN * ${t.bn}u;
  let tx = tid % ${TX}u;
  let ty = tid / ${TX}u;
${acc.join('\n')}
  for (var k0 = 0u; k0 < ${GEMM_K}; k0 += ${t.bk}u) {
${slabLoad('As', t.bm, t, threads, 'm0', s.a)}
${slabLoad('Bs', t.bn, t, threads, 'n0', s.b)}
    workgroupBarrier();
    for (var kk = 0u; kk < ${t.bk}u; kk++) {
${step.join('\n')}
    }
    workgroupBarrier();
  }
${store.join('\n')}
}
`;
}

/** A compute pipeline for `code`, compiled once per distinct key. */
export function cachedPipeline(device: GPUDevice, cache: Map<string, GPUComputePipeline>, key: string, code: () => string): GPUComputePipeline {
  let p = cache.get(key);
  if (!p) {
    const module = device.createShaderModule({ code: code() });
    p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    cache.set(key, p);
  }
  return p;
}

/**
 * Record one dispatch of `pipeline`: `params` (a uniform block, see wgsl-params.ts) at binding 0,
 * `buffers` at bindings 1, 2, … of group 0.
 */
export function dispatch(device: GPUDevice, encoder: GPUCommandEncoder, pipeline: GPUComputePipeline, params: readonly number[], buffers: readonly GPUBuffer[], groups: readonly [number, number]): void {
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [paramsBuffer(device, params), ...buffers].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(groups[0], groups[1]);
  pass.end();
}
