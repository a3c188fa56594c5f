// Convolution over channels-last 5-D data and its two gradients, each as an implicit GEMM on the
// tiled kernel of gemm-tiled.ts: the im2col matrix is never built; its elements are computed
// from their (row, k) indices as the slabs are loaded, and a padded position reads zero.
// Per group g (the GEMM's z), with CG = C / groups input and FG = F / groups output channels and
// tap = (kd, kh, kw):
//   conv                y[(n,od,oh,ow), g·FG+j]   = Σ_(tap,c)      x[n, id, ih, iw, g·CG+c] · w[tap, c, g·FG+j]
//   convBackpropInput   dx[(n,id,ih,iw), g·CG+c]  = Σ_(tap,j)      dy[n, od, oh, ow, g·FG+j] · w[tap, c, g·FG+j]
//                       where od = (id + pd − kd·dd) / sd when that divides exactly and lies in range
//   convBackpropFilter  dw[(tap,c), g·FG+j]       = Σ_(n,od,oh,ow) x[n, id, ih, iw, g·CG+c] · dy[n, od, oh, ow, g·FG+j]
// with id = od·sd − pd + kd·dd (likewise h, w). These are the cpu reference's loops (cpu/conv.ts)
// with the sums reordered, so every output element is written, padded or not.
/// <reference types="@webgpu/types" />
import type { ConvAttrs } from '../../kernels.js';
import { cachedPipeline, dispatch, GEMM_K, GEMM_M, GEMM_PARAMS, gemmParams, gemmShader, type GemmTile, type SlabLoader } from './gemm-tiled.js';
import type { WindowDims } from './types.js';
import { param } from './wgsl-params.js';

/** Convolution geometry: the window op's sizes, the output channels f and the kernel [kd, kh, kw]. */
export interface ConvDims extends WindowDims {
  f: number;
  kd: number;
  kh: number;
  kw: number;
}

type Which = 'conv' | 'input' | 'filter';

/** A tile for an m×n GEMM: 64 rows, and as few columns as cover n (channel counts are often small). */
function convTile(m: number, n: number): GemmTile {
  const bn = n <= 16 ? 16 : n <= 32 ? 32 : 64;
  const bm = m >= 8192 && bn === 64 ? 128 : 64;
  return { bm, bn, bk: 16, tm: bm === 128 ? 8 : 4, tn: 4 };
}

/** The shader parameters after the GEMM's own, in this order. */
const NAMES = ['N', 'D', 'H', 'W', 'C', 'OD', 'OH', 'OW', 'F', 'KD', 'KH', 'KW', 'CG', 'FG', 'SD', 'SH', 'SW', 'DD', 'DH', 'DW', 'PD', 'PH', 'PW'] as const;
type Name = (typeof NAMES)[number];
const P = Object.fromEntries(NAMES.map((name, i) => [name, param(GEMM_PARAMS + i)])) as Record<Name, string>;

function paramValues(g: ConvDims, a: ConvAttrs): number[] {
  const G = a.groups;
  return [g.n, g.d, g.h, g.w, g.c, g.od, g.oh, g.ow, g.f, g.kd, g.kh, g.kw, g.c / G, g.f / G, ...a.strides, ...a.dilations, a.pads[0][0], a.pads[1][0], a.pads[2][0]];
}

/** WGSL that splits flat index `v` into the named coordinates of extents `dims` (last fastest). */
function unflatten(v: string, names: string[], dims: string[]): string {
  const out: string[] = [`var r_${names[0]} = ${v};`];
  for (let i = names.length - 1; i > 0; i--) out.push(`let ${names[i]} = r_${names[0]} % ${dims[i]}; r_${names[0]} = r_${names[0]} / ${dims[i]};`);
  out.push(`let ${names[0]} = r_${names[0]};`);
  return out.join(' ');
}

/** The GEMM's M, N, K for each kernel (see the top of the file). */
function gemmSize(which: Which, g: ConvDims, a: ConvAttrs): [number, number, number] {
  const [CG, FG, taps] = [g.c / a.groups, g.f / a.groups, g.kd * g.kh * g.kw];
  if (which === 'conv') return [g.n * g.od * g.oh * g.ow, FG, taps * CG];
  if (which === 'input') return [g.n * g.d * g.h * g.w, CG, taps * FG];
  return [taps * CG, FG, g.n * g.od * g.oh * g.ow];
}

/** The storage bindings of a convolution shader: inputs a and b, output out. */
function bindings(a: string, b: string, out: string): string {
  return `@group(0) @binding(1) var<storage, read> ${a}: array<f32>;
@group(0) @binding(2) var<storage, read> ${b}: array<f32>;
@group(0) @binding(3) var<storage, read_write> ${out}: array<f32>;`;
}

function shader(which: Which, tile: GemmTile): string {
  const [m, k] = [GEMM_M, GEMM_K];
  const tapSplit = (v: string): string => unflatten(v, ['kd', 'kh', 'kw'], [P.KD, P.KH, P.KW]);
  // Input position of output (od, oh, ow) at tap (kd, kh, kw), as i32; `inside` checks it.
  const inPos = `let id = i32(od * ${P.SD} + kd * ${P.DD}) - i32(${P.PD}); let ih = i32(oh * ${P.SH} + kh * ${P.DH}) - i32(${P.PH}); let iw = i32(ow * ${P.SW} + kw * ${P.DW}) - i32(${P.PW});`;
  const inside = `id >= 0 && u32(id) < ${P.D} && ih >= 0 && u32(ih) < ${P.H} && iw >= 0 && u32(iw) < ${P.W}`;
  const xAt = (c: string): string => `X[(((n * ${P.D} + u32(id)) * ${P.H} + u32(ih)) * ${P.W} + u32(iw)) * ${P.C} + z * ${P.CG} + ${c}]`;
  const outSplit = unflatten('kk', ['n', 'od', 'oh', 'ow'], [P.N, P.OD, P.OH, P.OW]);
  // x at output (od, oh, ow) and tap (kd, kh, kw), 0 in the padding (loadA of conv and filter).
  const xAtTap = `${inPos}
  if (!(${inside})) { return 0.0; }
  return ${xAt('c')};`;
  const loadAHead = `fn loadA(z: u32, row: u32, kk: u32) -> f32 {
  if (row >= ${m} || kk >= ${k}) { return 0.0; }`;
  // B [K, F] (w for conv, dy for filter) read in group z's FG columns, and the output [M, F] written likewise.
  const filterColumns = (b: string, out: string): string => `fn loadB(z: u32, j: u32, kk: u32) -> f32 {
  if (j >= ${P.FG} || kk >= ${k}) { return 0.0; }
  return ${b}[kk * ${P.F} + z * ${P.FG} + j];
}
fn storeY(z: u32, row: u32, j: u32, v: f32) { ${out}[row * ${P.F} + z * ${P.FG} + j] = v; }`;
  let decls: string;
  let aLoad: SlabLoader, bLoad: SlabLoader;
  if (which === 'conv') {
    decls = `${bindings('X', 'Wt', 'Y')}
${loadAHead}
  ${unflatten('row', ['n', 'od', 'oh', 'ow'], [P.N, P.OD, P.OH, P.OW])}
  let c = kk % ${P.CG};
  ${tapSplit(`kk / ${P.CG}`)}
  ${xAtTap}
}
${filterColumns('Wt', 'Y')}`;
    aLoad = { kind: 'scalar', fn: 'loadA', kFast: true };
    bLoad = { kind: 'scalar', fn: 'loadB', kFast: false };
  } else if (which === 'input') {
    // Output position along one axis that reaches input i at tap t: (i + p − t·dil) / s, when exact.
    const outPos = (o: string, i: string, t: string, s: string, dil: string, p: string, ext: string): string =>
      `let ${o}n = i32(${i} + ${p}) - i32(${t} * ${dil}); if (${o}n < 0 || u32(${o}n) % ${s} != 0u || u32(${o}n) / ${s} >= ${ext}) { return 0.0; } let ${o} = u32(${o}n) / ${s};`;
    decls = `${bindings('DY', 'Wt', 'DX')}
${loadAHead}
  ${unflatten('row', ['n', 'id', 'ih', 'iw'], [P.N, P.D, P.H, P.W])}
  let j = kk % ${P.FG};
  ${tapSplit(`kk / ${P.FG}`)}
  ${outPos('od', 'id', 'kd', P.SD, P.DD, P.PD, P.OD)}
  ${outPos('oh', 'ih', 'kh', P.SH, P.DH, P.PH, P.OH)}
  ${outPos('ow', 'iw', 'kw', P.SW, P.DW, P.PW, P.OW)}
  return DY[(((n * ${P.OD} + od) * ${P.OH} + oh) * ${P.OW} + ow) * ${P.F} + z * ${P.FG} + j];
}
fn loadB(z: u32, c: u32, kk: u32) -> f32 {
  if (c >= ${P.CG} || kk >= ${k}) { return 0.0; }
  return Wt[((kk / ${P.FG}) * ${P.CG} + c) * ${P.F} + z * ${P.FG} + kk % ${P.FG}];
}
fn storeY(z: u32, row: u32, c: u32, v: f32) { DX[row * ${P.C} + z * ${P.CG} + c] = v; }`;
    aLoad = { kind: 'scalar', fn: 'loadA', kFast: true };
    bLoad = { kind: 'scalar', fn: 'loadB', kFast: true };
  } else {
    decls = `${bindings('X', 'DY', 'DW')}
${loadAHead}
  let c = row % ${P.CG};
  ${tapSplit(`row / ${P.CG}`)}
  ${outSplit}
  ${xAtTap}
}
${filterColumns('DY', 'DW')}`;
    aLoad = { kind: 'scalar', fn: 'loadA', kFast: false };
    bLoad = { kind: 'scalar', fn: 'loadB', kFast: false };
  }
  return gemmShader({ tile, decls, a: aLoad, b: bLoad, store: { kind: 'scalar', fn: 'storeY' } }, GEMM_PARAMS + NAMES.length);
}

function encode(which: Which, device: GPUDevice, encoder: GPUCommandEncoder, cache: Map<string, GPUComputePipeline>, buffers: GPUBuffer[], g: ConvDims, a: ConvAttrs): void {
  const [m, n, k] = gemmSize(which, g, a);
  if (m === 0 || n === 0) return;
  const tile = convTile(m, n);
  const pipeline = cachedPipeline(device, cache, `conv-${which}:${tile.bm},${tile.bn},${tile.bk},${tile.tm},${tile.tn}`, () => shader(which, tile));
  const { params, groups } = gemmParams(tile, a.groups, m, n, k);
  dispatch(device, encoder, pipeline, [...params, ...paramValues(g, a)], buffers, groups);
}

/** y [N,OD,OH,OW,F] = conv(x [N,D,H,W,C], w [KD,KH,KW,C/groups,F]). */
export function encodeConv(device: GPUDevice, encoder: GPUCommandEncoder, cache: Map<string, GPUComputePipeline>, x: GPUBuffer, w: GPUBuffer, y: GPUBuffer, dims: ConvDims, attrs: ConvAttrs): void {
  encode('conv', device, encoder, cache, [x, w, y], dims, attrs);
}

/** dx [N,D,H,W,C] from dy [N,OD,OH,OW,F] and w: the adjoint of conv in x. */
export function encodeConvBackpropInput(device: GPUDevice, encoder: GPUCommandEncoder, cache: Map<string, GPUComputePipeline>, dy: GPUBuffer, w: GPUBuffer, dx: GPUBuffer, dims: ConvDims, attrs: ConvAttrs): void {
  encode('input', device, encoder, cache, [dy, w, dx], dims, attrs);
}

/** dw [KD,KH,KW,C/groups,F] from x and dy: the adjoint of conv in w. */
export function encodeConvBackpropFilter(device: GPUDevice, encoder: GPUCommandEncoder, cache: Map<string, GPUComputePipeline>, x: GPUBuffer, dy: GPUBuffer, dw: GPUBuffer, dims: ConvDims, attrs: ConvAttrs): void {
  encode('filter', device, encoder, cache, [x, dy, dw], dims, attrs);
}
