// The fused LSTM and GRU recurrences and their adjoints (kernels.ts lstmSequence, gruSequence;
// the reference loops are backend/cpu/recurrent.ts). An item owns a block of batch rows and
// runs every time step for them: each step is one GEMM over the block (h_{t−1}·R, or dz·Rᵀ going
// back) followed by the gate arithmetic in float32 SIMD. Rows never interact, so how the batch
// is cut among items cannot change a result.
import { RecurrentArg } from '../tasks';
import { arg, imin, ptr } from './common';
import { gemmPackedB, GEMM_SCRATCH, packBAll, packedBBytes } from './gemm';
import { sigmoidF32x4, tanhF32x4 } from './simd-math';

/** Lanes 0 … k−1 of the four floats at p (k < 4: the rest are zero). */
@inline function loadN(p: usize, k: i32): v128 {
  if (k >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (k > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (k > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Store lanes 0 … k−1 of v at p. */
@inline function storeN(p: usize, v: v128, k: i32): void {
  if (k >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (k > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (k > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

@inline function splat1(): v128 {
  return f32x4.splat(1);
}

/** Byte offset of element e of a float array. */
@inline function at(base: usize, e: i32): usize {
  return base + (<usize>e << 2);
}

/** Whether step t of row n is masked out. */
@inline function isMasked(mask: usize, masked: bool, T: i32, n: i32, t: i32): bool {
  return masked && load<f32>(at(mask, n * T + t)) == 0;
}

/** LSTM forward for rows [r0, r0 + rows): y [N, T, 2u] (h, c), gates [N, T, 4u] (i, f, g, o). */
export function lstmSequenceItem(args: usize, item: i32, scratch: usize): void {
  const N = arg(args, RecurrentArg.N), T = arg(args, RecurrentArg.T), U = arg(args, RecurrentArg.U);
  const per = arg(args, RecurrentArg.Rows);
  const r0 = item * per, rows = imin(per, N - r0);
  const xk = ptr(args, RecurrentArg.In0), h0 = ptr(args, RecurrentArg.In1), c0 = ptr(args, RecurrentArg.In2);
  const R = ptr(args, RecurrentArg.R), mask = ptr(args, RecurrentArg.Mask), masked = arg(args, RecurrentArg.Masked) != 0;
  const y = ptr(args, RecurrentArg.Out0), gates = ptr(args, RecurrentArg.Out1);
  const G = 4 * U;
  const rp = scratch + GEMM_SCRATCH; // R packed once for every step
  packBAll(R, G, false, U, G, rp);
  for (let t = 0; t < T; t++) {
    // z_t = xk_t + h_{t−1}·R, accumulated in place in the gates.
    for (let i = 0; i < rows; i++) memory.copy(at(gates, ((r0 + i) * T + t) * G), at(xk, ((r0 + i) * T + t) * G), <usize>G << 2);
    const hp = t == 0 ? at(h0, r0 * U) : at(y, (r0 * T + t - 1) * 2 * U);
    gemmPackedB(rows, G, U, hp, t == 0 ? U : T * 2 * U, rp, at(gates, (r0 * T + t) * G), T * G, true, scratch);
    for (let i = 0; i < rows; i++) {
      const n = r0 + i;
      const gp = at(gates, (n * T + t) * G), yp = at(y, (n * T + t) * 2 * U);
      const hpp = t == 0 ? at(h0, n * U) : at(y, (n * T + t - 1) * 2 * U);
      const cpp = t == 0 ? at(c0, n * U) : hpp + (<usize>U << 2);
      if (isMasked(mask, masked, T, n, t)) {
        memory.copy(yp, hpp, <usize>U << 2);
        memory.copy(yp + (<usize>U << 2), cpp, <usize>U << 2);
        memory.fill(gp, 0, <usize>G << 2);
        continue;
      }
      for (let j = 0; j < U; j += 4) {
        const k = imin(4, U - j);
        const gi = sigmoidF32x4(loadN(at(gp, j), k));
        const gf = sigmoidF32x4(loadN(at(gp, U + j), k));
        const gg = tanhF32x4(loadN(at(gp, 2 * U + j), k));
        const go = sigmoidF32x4(loadN(at(gp, 3 * U + j), k));
        const c = f32x4.add(f32x4.mul(gf, loadN(at(cpp, j), k)), f32x4.mul(gi, gg));
        storeN(at(gp, j), gi, k);
        storeN(at(gp, U + j), gf, k);
        storeN(at(gp, 2 * U + j), gg, k);
        storeN(at(gp, 3 * U + j), go, k);
        storeN(at(yp, U + j), c, k);
        storeN(at(yp, j), f32x4.mul(go, tanhF32x4(c)), k);
      }
    }
  }
}

/** LSTM adjoint for rows [r0, r0 + rows): dz [N, T, 4u], dh0, dc0 [N, u]. */
export function lstmSequenceGradItem(args: usize, item: i32, scratch: usize): void {
  const N = arg(args, RecurrentArg.N), T = arg(args, RecurrentArg.T), U = arg(args, RecurrentArg.U);
  const per = arg(args, RecurrentArg.Rows);
  const r0 = item * per, rows = imin(per, N - r0);
  const dy = ptr(args, RecurrentArg.In0), y = ptr(args, RecurrentArg.In1), gates = ptr(args, RecurrentArg.In2), c0 = ptr(args, RecurrentArg.In3);
  const R = ptr(args, RecurrentArg.R), mask = ptr(args, RecurrentArg.Mask), masked = arg(args, RecurrentArg.Masked) != 0;
  const dz = ptr(args, RecurrentArg.Out0), dh0 = ptr(args, RecurrentArg.Out1), dc0 = ptr(args, RecurrentArg.Out2);
  const G = 4 * U;
  const rp = scratch + GEMM_SCRATCH; // Rᵀ [4u, u] packed once
  packBAll(R, G, true, G, U, rp);
  // The gradients reaching h_t and c_t from later steps, one row of u per batch row.
  const dh = rp + packedBBytes(G, U);
  const dc = at(dh, rows * U);
  memory.fill(dh, 0, <usize>(2 * rows * U) << 2);
  const one = splat1();
  for (let t = T - 1; t >= 0; t--) {
    for (let i = 0; i < rows; i++) {
      const n = r0 + i;
      const yp = at(y, (n * T + t) * 2 * U), dyp = at(dy, (n * T + t) * 2 * U);
      const gp = at(gates, (n * T + t) * G), dzp = at(dz, (n * T + t) * G);
      const dhp = at(dh, i * U), dcp = at(dc, i * U);
      if (isMasked(mask, masked, T, n, t)) {
        // The states pass through: carry dh + dy_h and dc + dy_c, dz is zero (adds nothing below).
        for (let j = 0; j < U; j += 4) {
          const k = imin(4, U - j);
          storeN(at(dhp, j), f32x4.add(loadN(at(dhp, j), k), loadN(at(dyp, j), k)), k);
          storeN(at(dcp, j), f32x4.add(loadN(at(dcp, j), k), loadN(at(dyp, U + j), k)), k);
        }
        memory.fill(dzp, 0, <usize>G << 2);
        continue;
      }
      const cpp = t == 0 ? at(c0, n * U) : at(y, (n * T + t - 1) * 2 * U + U);
      for (let j = 0; j < U; j += 4) {
        const k = imin(4, U - j);
        const dhv = f32x4.add(loadN(at(dhp, j), k), loadN(at(dyp, j), k));
        const dcv = f32x4.add(loadN(at(dcp, j), k), loadN(at(dyp, U + j), k));
        const gi = loadN(at(gp, j), k), gf = loadN(at(gp, U + j), k), gg = loadN(at(gp, 2 * U + j), k), go = loadN(at(gp, 3 * U + j), k);
        const tc = tanhF32x4(loadN(at(yp, U + j), k));
        const dcj = f32x4.add(dcv, f32x4.mul(f32x4.mul(dhv, go), f32x4.sub(one, f32x4.mul(tc, tc))));
        storeN(at(dzp, j), f32x4.mul(f32x4.mul(f32x4.mul(dcj, gg), gi), f32x4.sub(one, gi)), k);
        storeN(at(dzp, U + j), f32x4.mul(f32x4.mul(f32x4.mul(dcj, loadN(at(cpp, j), k)), gf), f32x4.sub(one, gf)), k);
        storeN(at(dzp, 2 * U + j), f32x4.mul(f32x4.mul(dcj, gi), f32x4.sub(one, f32x4.mul(gg, gg))), k);
        storeN(at(dzp, 3 * U + j), f32x4.mul(f32x4.mul(f32x4.mul(dhv, tc), go), f32x4.sub(one, go)), k);
        storeN(at(dcp, j), f32x4.mul(dcj, gf), k);
        storeN(at(dhp, j), f32x4.splat(0), k);
      }
    }
    // dh_{t−1} += dz_t·Rᵀ (masked rows have dz = 0).
    gemmPackedB(rows, U, G, at(dz, (r0 * T + t) * G), T * G, rp, dh, U, true, scratch);
  }
  memory.copy(at(dh0, r0 * U), dh, <usize>(rows * U) << 2);
  memory.copy(at(dc0, r0 * U), dc, <usize>(rows * U) << 2);
}

/** GRU forward for rows [r0, r0 + rows): y [N, T, u], gates [N, T, 4u] (z, r, h̃, a_h). */
export function gruSequenceItem(args: usize, item: i32, scratch: usize): void {
  const N = arg(args, RecurrentArg.N), T = arg(args, RecurrentArg.T), U = arg(args, RecurrentArg.U);
  const per = arg(args, RecurrentArg.Rows);
  const r0 = item * per, rows = imin(per, N - r0);
  const xk = ptr(args, RecurrentArg.In0), h0 = ptr(args, RecurrentArg.In1);
  const R = ptr(args, RecurrentArg.R), rb = ptr(args, RecurrentArg.Rb), mask = ptr(args, RecurrentArg.Mask), masked = arg(args, RecurrentArg.Masked) != 0;
  const y = ptr(args, RecurrentArg.Out0), gates = ptr(args, RecurrentArg.Out1);
  const G = 3 * U;
  const rp = scratch + GEMM_SCRATCH; // R packed once
  packBAll(R, G, false, U, G, rp);
  const a = rp + packedBBytes(U, G); // h_{t−1}·R for the block, [rows, 3u]
  const one = splat1();
  for (let t = 0; t < T; t++) {
    const hp = t == 0 ? at(h0, r0 * U) : at(y, (r0 * T + t - 1) * U);
    gemmPackedB(rows, G, U, hp, t == 0 ? U : T * U, rp, a, G, false, scratch);
    for (let i = 0; i < rows; i++) {
      const n = r0 + i;
      const xp = at(xk, (n * T + t) * G), gp = at(gates, (n * T + t) * 4 * U), yp = at(y, (n * T + t) * U), ap = at(a, i * G);
      const hpp = t == 0 ? at(h0, n * U) : at(y, (n * T + t - 1) * U);
      if (isMasked(mask, masked, T, n, t)) {
        memory.copy(yp, hpp, <usize>U << 2);
        memory.fill(gp, 0, <usize>(4 * U) << 2);
        continue;
      }
      for (let j = 0; j < U; j += 4) {
        const k = imin(4, U - j);
        const z = sigmoidF32x4(f32x4.add(f32x4.add(loadN(at(xp, j), k), loadN(at(ap, j), k)), loadN(at(rb, j), k)));
        const r = sigmoidF32x4(f32x4.add(f32x4.add(loadN(at(xp, U + j), k), loadN(at(ap, U + j), k)), loadN(at(rb, U + j), k)));
        const ah = f32x4.add(loadN(at(ap, 2 * U + j), k), loadN(at(rb, 2 * U + j), k));
        const hh = tanhF32x4(f32x4.add(loadN(at(xp, 2 * U + j), k), f32x4.mul(r, ah)));
        storeN(at(gp, j), z, k);
        storeN(at(gp, U + j), r, k);
        storeN(at(gp, 2 * U + j), hh, k);
        storeN(at(gp, 3 * U + j), ah, k);
        storeN(at(yp, j), f32x4.add(f32x4.mul(z, loadN(at(hpp, j), k)), f32x4.mul(f32x4.sub(one, z), hh)), k);
      }
    }
  }
}

/** GRU adjoint for rows [r0, r0 + rows): dxk, drec [N, T, 3u], dh0 [N, u]. */
export function gruSequenceGradItem(args: usize, item: i32, scratch: usize): void {
  const N = arg(args, RecurrentArg.N), T = arg(args, RecurrentArg.T), U = arg(args, RecurrentArg.U);
  const per = arg(args, RecurrentArg.Rows);
  const r0 = item * per, rows = imin(per, N - r0);
  const dy = ptr(args, RecurrentArg.In0), y = ptr(args, RecurrentArg.In1), gates = ptr(args, RecurrentArg.In2), h0 = ptr(args, RecurrentArg.In3);
  const R = ptr(args, RecurrentArg.R), mask = ptr(args, RecurrentArg.Mask), masked = arg(args, RecurrentArg.Masked) != 0;
  const dxk = ptr(args, RecurrentArg.Out0), drec = ptr(args, RecurrentArg.Out1), dh0 = ptr(args, RecurrentArg.Out2);
  const G = 3 * U;
  const rp = scratch + GEMM_SCRATCH; // Rᵀ [3u, u] packed once
  packBAll(R, G, true, G, U, rp);
  const dh = rp + packedBBytes(G, U);
  memory.fill(dh, 0, <usize>(rows * U) << 2);
  const one = splat1();
  for (let t = T - 1; t >= 0; t--) {
    for (let i = 0; i < rows; i++) {
      const n = r0 + i;
      const dyp = at(dy, (n * T + t) * U), gp = at(gates, (n * T + t) * 4 * U);
      const dxp = at(dxk, (n * T + t) * G), dap = at(drec, (n * T + t) * G), dhp = at(dh, i * U);
      if (isMasked(mask, masked, T, n, t)) {
        for (let j = 0; j < U; j += 4) {
          const k = imin(4, U - j);
          storeN(at(dhp, j), f32x4.add(loadN(at(dhp, j), k), loadN(at(dyp, j), k)), k);
        }
        memory.fill(dxp, 0, <usize>G << 2);
        memory.fill(dap, 0, <usize>G << 2);
        continue;
      }
      const hpp = t == 0 ? at(h0, n * U) : at(y, (n * T + t - 1) * U);
      for (let j = 0; j < U; j += 4) {
        const k = imin(4, U - j);
        const dhv = f32x4.add(loadN(at(dhp, j), k), loadN(at(dyp, j), k));
        const z = loadN(at(gp, j), k), r = loadN(at(gp, U + j), k), hh = loadN(at(gp, 2 * U + j), k), ah = loadN(at(gp, 3 * U + j), k);
        const dah = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(hh, hh)));
        const daz = f32x4.mul(f32x4.mul(f32x4.mul(dhv, f32x4.sub(loadN(at(hpp, j), k), hh)), z), f32x4.sub(one, z));
        const dar = f32x4.mul(f32x4.mul(f32x4.mul(dah, ah), r), f32x4.sub(one, r));
        storeN(at(dxp, j), daz, k);
        storeN(at(dxp, U + j), dar, k);
        storeN(at(dxp, 2 * U + j), dah, k);
        storeN(at(dap, j), daz, k);
        storeN(at(dap, U + j), dar, k);
        storeN(at(dap, 2 * U + j), f32x4.mul(dah, r), k);
        storeN(at(dhp, j), f32x4.mul(dhv, z), k);
      }
    }
    // dh_{t−1} += drec_t·Rᵀ (masked rows have drec = 0).
    gemmPackedB(rows, U, G, at(drec, (r0 * T + t) * G), T * G, rp, dh, U, true, scratch);
  }
  memory.copy(at(dh0, r0 * U), dh, <usize>(rows * U) << 2);
}
