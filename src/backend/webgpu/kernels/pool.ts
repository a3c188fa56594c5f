// Max and average pooling over channels-last 5-D data, and average pooling's gradient, with the
// cpu reference's rules (cpu/pool.ts): padded positions are never part of a window; max keeps
// the first maximum, and the first NaN wins over everything; average divides by the number of
// real elements in the window. A window with no real element gives NaN (index 0), as cpu does.
//   pool             one thread per output y[n, od, oh, ow, c], looping over its window.
//   avgPoolBackprop  one thread per input dx[n, id, ih, iw, c], gathering dy / count from the
//                    outputs whose windows hold it (od from ⌈(id + pd − kd + 1) / sd⌉ to
//                    ⌊(id + pd) / sd⌋), so every element is written without atomics.
/// <reference types="@webgpu/types" />
import type { PoolAttrs } from '../../kernels.js';
import { cachedPipeline, dispatch, foldGroups } from './gemm-tiled.js';
import type { WindowDims } from './types.js';
import { param, paramsDecl } from './wgsl-params.js';

/** Pooling geometry: the window op's sizes (the channels are pooled one by one). */
export type PoolDims = WindowDims;

const THREADS = 256;

/** The shader parameters, in this order. */
const NAMES = ['N', 'D', 'H', 'W', 'C', 'OD', 'OH', 'OW', 'KD', 'KH', 'KW', 'SD', 'SH', 'SW', 'PD', 'PH', 'PW', 'TOTAL', 'GX'] as const;
type Name = (typeof NAMES)[number];
const P = Object.fromEntries(NAMES.map((name, i) => [name, `i32(${param(i)})`])) as Record<Name, string>;

function paramValues(g: PoolDims, a: PoolAttrs, total: number): { params: number[]; groups: [number, number] } {
  const groups = foldGroups(Math.ceil(total / THREADS));
  return { params: [g.n, g.d, g.h, g.w, g.c, g.od, g.oh, g.ow, ...a.window, ...a.strides, a.pads[0][0], a.pads[1][0], a.pads[2][0], total, groups[0]], groups };
}

/** Entry point over TOTAL elements, thread `e`; the body follows, its closing brace too. */
const ENTRY = `${paramsDecl(0, NAMES.length)}
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let e = i32((wid.y * ${param(NAMES.indexOf('GX'))} + wid.x) * ${THREADS}u + tid);
  if (e >= ${P.TOTAL}) { return; }
  // A quiet NaN, made at run time (a constant NaN is a WGSL error).
  let nan = bitcast<f32>(${param(NAMES.indexOf('TOTAL'))} | 0x7fc00000u);`;

/** WGSL splitting `e` into n, (p)d, (p)h, (p)w, c over the extents named. */
function split(p: string, dims: Name[]): string {
  const names = ['n', `${p}d`, `${p}h`, `${p}w`, 'c'];
  const out = [`  var r = e;`];
  for (let i = 4; i > 0; i--) out.push(`  let ${names[i]} = r % ${P[dims[i]]}; r = r / ${P[dims[i]]};`);
  out.push(`  let n = r;`);
  return out.join('\n');
}

function poolShader(max: boolean, withIndices: boolean): string {
  const visit = max
    ? `if (!done) {
          let v = X[xi];
          if (bi < 0 || isNan(v) || v > best) { best = v; bi = xi; done = isNan(v); }
        }`
    : `sum += X[xi]; count += 1;`;
  const result = max
    ? `  if (bi < 0) { Y[e] = nan; } else { Y[e] = best; }${withIndices ? '\n  I[e] = max(bi, 0);' : ''}`
    : `  if (count == 0) { Y[e] = nan; } else { Y[e] = sum / f32(count); }`;
  return `@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
${withIndices ? '@group(0) @binding(3) var<storage, read_write> I: array<i32>;' : ''}
${ENTRY}
${split('o', ['N', 'OD', 'OH', 'OW', 'C'])}
  var best = 0.0;
  var bi = -1;
  var done = false;
  var sum = 0.0;
  var count = 0;
  for (var i = 0; i < ${P.KD}; i++) {
    let id = od * ${P.SD} - ${P.PD} + i;
    if (id < 0 || id >= ${P.D}) { continue; }
    for (var j = 0; j < ${P.KH}; j++) {
      let ih = oh * ${P.SH} - ${P.PH} + j;
      if (ih < 0 || ih >= ${P.H}) { continue; }
      for (var k = 0; k < ${P.KW}; k++) {
        let iw = ow * ${P.SW} - ${P.PW} + k;
        if (iw < 0 || iw >= ${P.W}) { continue; }
        let xi = (((n * ${P.D} + id) * ${P.H} + ih) * ${P.W} + iw) * ${P.C} + c;
        ${visit}
      }
    }
  }
${result}
}
`;
}

function avgBackpropShader(): string {
  // Outputs o along one axis whose window [o·s − p, o·s − p + k) holds input i, and its real size.
  const range = (o: string, i: string, k: string, s: string, p: string, ext: string): string =>
    `let ${o}t = ${i} + ${p}; let ${o}lo = select(0, (${o}t - ${k} + ${s}) / ${s}, ${o}t - ${k} + 1 > 0); let ${o}hi = min(${ext} - 1, ${o}t / ${s});`;
  const size = (o: string, k: string, s: string, p: string, ext: string): string => `(min(${o} * ${s} - ${p} + ${k}, ${ext}) - max(${o} * ${s} - ${p}, 0))`;
  return `@group(0) @binding(1) var<storage, read> DY: array<f32>;
@group(0) @binding(2) var<storage, read_write> DX: array<f32>;
${ENTRY}
${split('i', ['N', 'D', 'H', 'W', 'C'])}
  ${range('od', 'id', P.KD, P.SD, P.PD, P.OD)}
  ${range('oh', 'ih', P.KH, P.SH, P.PH, P.OH)}
  ${range('ow', 'iw', P.KW, P.SW, P.PW, P.OW)}
  var sum = 0.0;
  for (var od = odlo; od <= odhi; od++) {
    let cd = ${size('od', P.KD, P.SD, P.PD, P.D)};
    for (var oh = ohlo; oh <= ohhi; oh++) {
      let ch = cd * ${size('oh', P.KH, P.SH, P.PH, P.H)};
      for (var ow = owlo; ow <= owhi; ow++) {
        let count = ch * ${size('ow', P.KW, P.SW, P.PW, P.W)};
        sum += DY[(((n * ${P.OD} + od) * ${P.OH} + oh) * ${P.OW} + ow) * ${P.C} + c] / f32(count);
      }
    }
  }
  DX[e] = sum;
}
`;
}

/** y [N,OD,OH,OW,C] = pool(x [N,D,H,W,C]); for max, `indices` (i32) gets each maximum's flat index into x. */
export function encodePool(device: GPUDevice, encoder: GPUCommandEncoder, cache: Map<string, GPUComputePipeline>, x: GPUBuffer, y: GPUBuffer, indices: GPUBuffer | null, dims: PoolDims, attrs: PoolAttrs): void {
  const total = dims.n * dims.od * dims.oh * dims.ow * dims.c;
  if (total === 0) return;
  const max = attrs.op === 'max';
  const withIndices = max && indices !== null;
  const pipeline = cachedPipeline(device, cache, `pool:${attrs.op}:${withIndices}`, () => poolShader(max, withIndices));
  const { params, groups } = paramValues(dims, attrs, total);
  dispatch(device, encoder, pipeline, params, withIndices ? [x, y, indices] : [x, y], groups);
}

/** dx [N,D,H,W,C] from dy [N,OD,OH,OW,C]: each output spreads dy / (its window's real size) over its window. */
export function encodeAvgPoolBackprop(device: GPUDevice, encoder: GPUCommandEncoder, cache: Map<string, GPUComputePipeline>, dy: GPUBuffer, dx: GPUBuffer, dims: PoolDims, attrs: PoolAttrs): void {
  const total = dims.n * dims.d * dims.h * dims.w * dims.c;
  if (total === 0) return;
  const pipeline = cachedPipeline(device, cache, 'avgPoolBackprop', avgBackpropShader);
  const { params, groups } = paramValues(dims, attrs, total);
  dispatch(device, encoder, pipeline, params, [dy, dx], groups);
}
