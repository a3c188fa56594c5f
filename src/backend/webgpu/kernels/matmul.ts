// Batched matrix product on the GPU: y[t] = op(a[t]) · op(b[t]), op transposing when asked.
//   a: [Ba, M, K] ([Ba, K, M] if transposeA), b: [Bb, K, N] ([Bb, N, K] if transposeB),
//   y: [B, M, N], Ba and Bb each 1 (broadcast) or B.
// The tiled GEMM of gemm-tiled.ts does the work; this file picks a tile for the shape and says how
// to read a and b. Each operand is read as vec4s along its contiguous dimension when that
// dimension's length is a multiple of 4 (rows past the edge are clamped to the last row, since
// their results are never stored; k past K reads as zero), otherwise one bounds-checked float at
// a time. Sizes are uniform parameters: one pipeline per tile and variant serves every shape.
/// <reference types="@webgpu/types" />
import { cachedPipeline, dispatch, GEMM_K, GEMM_M, GEMM_N, GEMM_PARAMS, gemmParams, gemmShader, type GemmSpec, type GemmTile, type SlabLoader, tileThreads } from './gemm-tiled.js';
import { param } from './wgsl-params.js';

export interface MatmulDims {
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** 128×128 tiles, 8×8 per thread (256 threads): for big products. */
const LARGE: GemmTile = { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 };
/** 64×64 tiles, 4×4 per thread (256 threads). */
const MEDIUM: GemmTile = { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 };
/** 32×32 tiles, 4×4 per thread (64 threads): small products, which need many workgroups. */
const SMALL: GemmTile = { bm: 32, bn: 32, bk: 16, tm: 4, tn: 4 };

/** Workgroups wanted in flight to fill a big GPU (an H200 has 132 SMs). */
const BUSY = 264;

/** The largest tile that still gives enough workgroups (all of them when none does). */
export function chooseTile(d: MatmulDims, override?: GemmTile): GemmTile {
  if (override) return override;
  const groups = (t: GemmTile): number => Math.ceil(d.m / t.bm) * Math.ceil(d.n / t.bn) * d.batch;
  for (const t of [LARGE, MEDIUM]) if (groups(t) >= BUSY) return t;
  return SMALL;
}

/** What the shader's code depends on (its sizes are parameters). */
interface Variant {
  transposeA: boolean;
  transposeB: boolean;
  /** a, b, y read / written as vec4s along their contiguous dimension. */
  aVec: boolean;
  bVec: boolean;
  yVec: boolean;
  /** The tile divides M, N and K: no bounds checks at all. */
  exact: boolean;
}

function variant(d: MatmulDims, t: GemmTile): Variant {
  return {
    transposeA: d.transposeA,
    transposeB: d.transposeB,
    aVec: (d.transposeA ? d.m : d.k) % 4 === 0,
    bVec: (d.transposeB ? d.k : d.n) % 4 === 0,
    yVec: d.n % 4 === 0,
    exact: d.m % t.bm === 0 && d.n % t.bn === 0 && d.k % t.bk === 0,
  };
}

const [M, N, K] = [GEMM_M, GEMM_N, GEMM_K];
/** Batch strides of a and b (0 for a broadcast operand). */
const A_STRIDE = param(GEMM_PARAMS);
const B_STRIDE = param(GEMM_PARAMS + 1);

function shader(v: Variant, t: GemmTile): string {
  const decls = [
    `@group(0) @binding(1) var<storage, read> A: array<${v.aVec ? 'vec4<f32>' : 'f32'}>;`,
    `@group(0) @binding(2) var<storage, read> B: array<${v.bVec ? 'vec4<f32>' : 'f32'}>;`,
    `@group(0) @binding(3) var<storage, read_write> Y: array<${v.yVec ? 'vec4<f32>' : 'f32'}>;`,
  ];
  // Element strides of op(a)(i, k) and op(b)(k, j) in the stored matrices.
  const [aRow, aCol] = v.transposeA ? ['1u', M] : [K, '1u'];
  const [bCol, bRow] = v.transposeB ? [K, '1u'] : ['1u', N];
  // Clamp a row (or a vec4-aligned row group) into the matrix: its results are never stored.
  const clamp = (row: string, last: string): string => (v.exact ? row : `min(${row}, ${last})`);
  // k past K reads zero; k itself is clamped (to K − 4 for four k, K − 1 for one) so that the
  // discarded load stays in bounds.
  const kGuard = (k: string, expr: (k: string) => string, four = true): string =>
    v.exact ? expr(k) : `select(vec4<f32>(0.0), ${expr(`min(${k}, ${K} - ${four ? 4 : 1}u)`)}, ${k} < ${K})`;
  // op(a) is [M, K] with rows m, op(b) read as [N, K] with rows n: one loader rule for both.
  // `kContiguous`: k is the stored matrix's fast axis (a not transposed, b transposed).
  const loader = (name: 'A' | 'B', rows: string, stride: string, vec: boolean, kContiguous: boolean, rowStep: string, kStep: string): SlabLoader => {
    if (!vec) {
      decls.push(`fn load${name}(z: u32, r: u32, k: u32) -> f32 {
  if (r < ${rows} && k < ${K}) { return ${name}[z * ${stride} + r * ${rowStep} + k * ${kStep}]; }
  return 0.0;
}`);
      return { kind: 'scalar', fn: `load${name}`, kFast: kContiguous };
    }
    if (kContiguous) return { kind: 'vec4', kFast: true, value: (row, k) => kGuard(k, (kk) => `${name}[(z * ${stride} + ${clamp(row, `${rows} - 1u`)} * ${K} + ${kk}) / 4u]`) };
    return { kind: 'vec4', kFast: false, value: (row, k) => kGuard(k, (kk) => `${name}[(z * ${stride} + ${kk} * ${rows} + ${clamp(row, `${rows} - 4u`)}) / 4u]`, false) };
  };
  const a = loader('A', M, A_STRIDE, v.aVec, !v.transposeA, aRow, aCol);
  const b = loader('B', N, B_STRIDE, v.bVec, v.transposeB, bCol, bRow);
  let store: GemmSpec['store'];
  if (v.yVec) {
    store = {
      kind: 'vec4',
      stmt: (row, colVec, value) => {
        const at = `Y[(z * ${M} + ${row}) * (${N} / 4u) + ${colVec}] = ${value};`;
        return v.exact ? at : `if (${row} < ${M} && ${colVec} < ${N} / 4u) { ${at} }`;
      },
    };
  } else {
    decls.push(`fn storeY(z: u32, m: u32, n: u32, v: f32) { Y[(z * ${M} + m) * ${N} + n] = v; }`);
    store = { kind: 'scalar', fn: 'storeY' };
  }
  return gemmShader({ tile: t, decls: decls.join('\n'), a, b, store }, GEMM_PARAMS + 2);
}

/** Record y = op(a) · op(b) into `encoder`. `tile` overrides the tile choice (for benchmarks). */
export function encodeMatmul(device: GPUDevice, encoder: GPUCommandEncoder, cache: Map<string, GPUComputePipeline>, a: GPUBuffer, b: GPUBuffer, y: GPUBuffer, d: MatmulDims, tile?: GemmTile): void {
  if (d.batch === 0 || d.m === 0 || d.n === 0) return;
  const t = chooseTile(d, tile);
  if (tileThreads(t) > 256) throw new Error(`matmul: tile ${JSON.stringify(t)} needs more than 256 threads`);
  const v = variant(d, t);
  const key = `matmul:${JSON.stringify(v)}:${t.bm},${t.bn},${t.bk},${t.tm},${t.tn}`;
  const pipeline = cachedPipeline(device, cache, key, () => shader(v, t));
  const { params, groups } = gemmParams(t, d.batch, d.m, d.n, d.k);
  params.push(d.batchA === 1 ? 0 : d.m * d.k, d.batchB === 1 ? 0 : d.k * d.n);
  dispatch(device, encoder, pipeline, params, [a, b, y], groups);
}
