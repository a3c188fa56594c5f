// Single-precision matrix product C = op(A)·op(B) (+ C), the kernel that training spends its
// time in. GotoBLAS structure: op(B) is packed in KC×NC blocks of NR-column panels, op(A) in
// MC×KC blocks of MR-row panels, and a 4×8 register-blocked micro-kernel multiplies one A panel
// by one B panel with eight f32x4 accumulators. Packing absorbs the transposes, so all four
// cases (NN, NT, TN, TT) run the same inner loop at the same speed.
//
// Results depend only on K's blocking (never on how a caller tiles M and N), so splitting the
// output among threads gives bit-identical numbers.
import { imin, transpose4 } from './common';

export const MR: i32 = 4;
export const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 256;

/** Bytes of scratch one gemm call needs: a packed A block, a packed B block, an edge tile. */
export const GEMM_SCRATCH: i32 = (MC * KC + KC * NC + MR * NR) * 4;

/** c + a·b, fused where relaxed SIMD is available. */
@inline function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Pack op(A)[i0 : i0+mc, k0 : k0+kc] into MR-row panels: panel p holds, for each k, the MR
 * values op(A)[i0 + p·MR + r, k0 + k]; rows past mc are zero.
 * op(A)[i, k] = a[i·lda + k], or a[k·lda + i] when transposed.
 */
function packA(a: usize, lda: i32, trans: bool, i0: i32, k0: i32, mc: i32, kc: i32, dst: usize): void {
  const ldaB = <usize>lda << 2;
  for (let i = 0; i < mc; i += MR) {
    const rows = imin(MR, mc - i);
    const out = dst + (<usize>i * <usize>kc << 2);
    if (trans) {
      // Each k: MR consecutive floats of stored row k.
      let src = a + <usize>(k0) * ldaB + (<usize>(i0 + i) << 2);
      if (rows == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(out + (<usize>k << 4), v128.load(src));
          src += ldaB;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) store<f32>(out + (<usize>(k * MR + r) << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
          src += ldaB;
        }
      }
    } else {
      // Rows i..i+3 are contiguous in k: transpose 4×4 blocks into the panel.
      const r0 = a + <usize>(i0 + i) * ldaB + (<usize>k0 << 2);
      if (rows == MR) {
        const r1 = r0 + ldaB;
        const r2 = r1 + ldaB;
        const r3 = r2 + ldaB;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const o = <usize>k << 2;
          transpose4(v128.load(r0 + o), v128.load(r1 + o), v128.load(r2 + o), v128.load(r3 + o), out + (<usize>k << 4), 16);
        }
        for (; k < kc; k++) {
          const o = <usize>k << 2;
          const d = out + (<usize>k << 4);
          store<f32>(d, load<f32>(r0 + o));
          store<f32>(d, load<f32>(r1 + o), 4);
          store<f32>(d, load<f32>(r2 + o), 8);
          store<f32>(d, load<f32>(r3 + o), 12);
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(out + (<usize>(k * MR + r) << 2), r < rows ? load<f32>(r0 + <usize>r * ldaB + (<usize>k << 2)) : 0);
          }
        }
      }
    }
  }
}

/**
 * Pack op(B)[k0 : k0+kc, j0 : j0+nc] into NR-column panels: panel p holds, for each k, the NR
 * values op(B)[k0 + k, j0 + p·NR + c]; columns past nc are zero.
 * op(B)[k, j] = b[k·ldb + j], or b[j·ldb + k] when transposed.
 */
function packB(b: usize, ldb: i32, trans: bool, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const ldbB = <usize>ldb << 2;
  for (let j = 0; j < nc; j += NR) {
    const cols = imin(NR, nc - j);
    const out = dst + (<usize>j * <usize>kc << 2);
    if (!trans) {
      let src = b + <usize>k0 * ldbB + (<usize>(j0 + j) << 2);
      if (cols == NR) {
        for (let k = 0; k < kc; k++) {
          const d = out + (<usize>k << 5);
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += ldbB;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let c = 0; c < NR; c++) store<f32>(out + (<usize>(k * NR + c) << 2), c < cols ? load<f32>(src + (<usize>c << 2)) : 0);
          src += ldbB;
        }
      }
    } else {
      // Columns j..j+7 are stored rows, contiguous in k: two 4×4 transposes per 4 values of k.
      const s0 = b + <usize>(j0 + j) * ldbB + (<usize>k0 << 2);
      if (cols == NR) {
        const s1 = s0 + ldbB, s2 = s1 + ldbB, s3 = s2 + ldbB;
        const s4 = s3 + ldbB, s5 = s4 + ldbB, s6 = s5 + ldbB, s7 = s6 + ldbB;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const o = <usize>k << 2;
          const d = out + (<usize>k << 5);
          transpose4(v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o), d, 32);
          transpose4(v128.load(s4 + o), v128.load(s5 + o), v128.load(s6 + o), v128.load(s7 + o), d + 16, 32);
        }
        for (; k < kc; k++) {
          for (let c = 0; c < NR; c++) store<f32>(out + (<usize>(k * NR + c) << 2), load<f32>(s0 + <usize>c * ldbB + (<usize>k << 2)));
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let c = 0; c < NR; c++) {
            store<f32>(out + (<usize>(k * NR + c) << 2), c < cols ? load<f32>(s0 + <usize>c * ldbB + (<usize>k << 2)) : 0);
          }
        }
      }
    }
  }
}

/**
 * The 4×8 micro-kernel: C[4, 8] (row stride ldcB bytes) = (C +) Σ_k pa[k, 0:4] ⊗ pb[k, 0:8]
 * over packed panels. Eight accumulators, two B vectors and one broadcast A value stay in the
 * sixteen SIMD registers of x86-64.
 */
function kernel4x8(pa: usize, pb: usize, kc: i32, c: usize, ldcB: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = fma(a, b0, c00);
    c01 = fma(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = fma(a, b0, c10);
    c11 = fma(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = fma(a, b0, c20);
    c21 = fma(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = fma(a, b0, c30);
    c31 = fma(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  const r1 = c + ldcB, r2 = r1 + ldcB, r3 = r2 + ldcB;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(r1));
    c11 = f32x4.add(c11, v128.load(r1, 16));
    c20 = f32x4.add(c20, v128.load(r2));
    c21 = f32x4.add(c21, v128.load(r2, 16));
    c30 = f32x4.add(c30, v128.load(r3));
    c31 = f32x4.add(c31, v128.load(r3, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(r1, c10);
  v128.store(r1, c11, 16);
  v128.store(r2, c20);
  v128.store(r2, c21, 16);
  v128.store(r3, c30);
  v128.store(r3, c31, 16);
}

/**
 * C[M, N] (row stride ldc) = op(A)[M, K] · op(B)[K, N], added to C when `accumulate`.
 * `scratch` holds GEMM_SCRATCH bytes private to the calling thread.
 */
export function gemm(
  M: i32, N: i32, K: i32,
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32, accumulate: bool, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  const ldcB = <usize>ldc << 2;
  if (K <= 0) {
    if (!accumulate) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldcB, 0, <usize>N << 2);
    return;
  }
  const ap = scratch;
  const bp = ap + (<usize>(MC * KC) << 2);
  const tile = bp + (<usize>(KC * NC) << 2);
  // K is cut into equal blocks of at most KC, so no block is a sliver.
  const nk = (K + KC - 1) / KC;
  const kcb = (K + nk - 1) / nk;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = imin(NC, N - jc);
    for (let pc = 0; pc < K; pc += kcb) {
      const kc = imin(kcb, K - pc);
      const acc = accumulate || pc > 0;
      packB(b, ldb, transB, pc, jc, kc, nc, bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = imin(MC, M - ic);
        packA(a, lda, transA, ic, pc, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = imin(NR, nc - jr);
          const pb = bp + (<usize>jr * <usize>kc << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = imin(MR, mc - ir);
            const pa = ap + (<usize>ir * <usize>kc << 2);
            const cp = c + <usize>(ic + ir) * ldcB + (<usize>(jc + jr) << 2);
            if (rows == MR && cols == NR) {
              kernel4x8(pa, pb, kc, cp, ldcB, acc);
            } else {
              // Edge tile: compute all 4×8 into the tile, keep the part inside C.
              kernel4x8(pa, pb, kc, tile, 32, false);
              for (let r = 0; r < rows; r++) {
                for (let q = 0; q < cols; q++) {
                  const d = cp + <usize>r * ldcB + (<usize>q << 2);
                  const v = load<f32>(tile + (<usize>(r * NR + q) << 2));
                  store<f32>(d, acc ? load<f32>(d) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/** Bytes packBAll writes for op(B) [K, N]: every column panel, zero-padded to NR columns. */
export function packedBBytes(K: i32, N: i32): usize {
  return <usize>K * <usize>((N + NR - 1) / NR * NR) << 2;
}

/**
 * Pack all of op(B) [K, N] once (panel p: for each k, the NR values op(B)[k, p·NR + c]), for
 * repeated products with the same right operand (gemmPackedB). The k-range [p0, p0 + kc) of a
 * panel is contiguous, so gemmPackedB can block K without repacking.
 */
export function packBAll(b: usize, ldb: i32, trans: bool, K: i32, N: i32, dst: usize): void {
  packB(b, ldb, trans, 0, 0, K, N, dst);
}

/**
 * C[M, N] (row stride ldc) = A[M, K] (row stride lda) · B, added to C when `accumulate`, with B
 * packed by packBAll. Results equal gemm's (the same K blocking, the same micro-kernel).
 */
export function gemmPackedB(M: i32, N: i32, K: i32, a: usize, lda: i32, pb: usize, c: usize, ldc: i32, accumulate: bool, scratch: usize): void {
  if (M <= 0 || N <= 0) return;
  const ldcB = <usize>ldc << 2;
  if (K <= 0) {
    if (!accumulate) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * ldcB, 0, <usize>N << 2);
    return;
  }
  const ap = scratch;
  const tile = ap + (<usize>(MC * KC + KC * NC) << 2);
  const nk = (K + KC - 1) / KC;
  const kcb = (K + nk - 1) / nk;
  for (let pc = 0; pc < K; pc += kcb) {
    const kc = imin(kcb, K - pc);
    const acc = accumulate || pc > 0;
    for (let ic = 0; ic < M; ic += MC) {
      const mc = imin(MC, M - ic);
      packA(a, lda, false, ic, pc, mc, kc, ap);
      for (let jr = 0; jr < N; jr += NR) {
        const cols = imin(NR, N - jr);
        const panel = pb + ((<usize>jr * <usize>K + <usize>pc * NR) << 2);
        for (let ir = 0; ir < mc; ir += MR) {
          const rows = imin(MR, mc - ir);
          const pa = ap + (<usize>ir * <usize>kc << 2);
          const cp = c + <usize>(ic + ir) * ldcB + (<usize>jr << 2);
          if (rows == MR && cols == NR) {
            kernel4x8(pa, panel, kc, cp, ldcB, acc);
          } else {
            kernel4x8(pa, panel, kc, tile, 32, false);
            for (let r = 0; r < rows; r++) {
              for (let q = 0; q < cols; q++) {
                const d = cp + <usize>r * ldcB + (<usize>q << 2);
                const v = load<f32>(tile + (<usize>(r * NR + q) << 2));
                store<f32>(d, acc ? load<f32>(d) + v : v);
              }
            }
          }
        }
      }
    }
  }
}
