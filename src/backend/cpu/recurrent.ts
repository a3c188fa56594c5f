// The fused LSTM and GRU recurrences (kernels.ts: lstmSequence, gruSequence and their adjoints),
// written as plain loops over the batch rows, time and units. Each row's recurrence is
// independent, so a fast backend may give rows to different threads.
//
// LSTM step (gates i, f, g, o from z = xk_t + h_{t−1}·R):
//   c_t = σ(z_f)·c_{t−1} + σ(z_i)·tanh(z_g),  h_t = σ(z_o)·tanh(c_t)
// GRU step (reset after the matmul; a = h_{t−1}·R + rb):
//   z = σ(xk_z + a_z), r = σ(xk_r + a_r), h̃ = tanh(xk_h + r·a_h), h_t = z·h_{t−1} + (1 − z)·h̃
// A masked step (mask 0) keeps the states; its gates are zero and it passes gradients through.
import type { Buf } from './buffer.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Dimensions of a sequence kernel from xk [N, T, G·u] and the recurrent kernel [u, G·u]. */
function dims(xk: Buf, r: Buf): { n: number; t: number; u: number } {
  return { n: xk.shape[0], t: xk.shape[1], u: r.shape[0] };
}

/** mask[row, step] is 1 when there is no mask. */
function maskAt(mask: Buf | undefined, t: number): (row: number, step: number) => number {
  return mask ? (row, step) => mask.data[row * t + step] : () => 1;
}

/** row · R for one row of length u (offset `at` in `h`) → out [G·u]. */
function rowTimes(h: ArrayLike<number>, at: number, r: ArrayLike<number>, u: number, out: Float64Array): void {
  out.fill(0);
  const g = out.length;
  for (let k = 0; k < u; k++) {
    const hk = h[at + k];
    for (let j = 0; j < g; j++) out[j] += hk * r[k * g + j];
  }
}

/** (z row of length G·u) · Rᵀ → out [u]. */
function rowTimesT(z: ArrayLike<number>, at: number, r: ArrayLike<number>, u: number, out: Float64Array): void {
  const g = r.length / u;
  for (let k = 0; k < u; k++) {
    let s = 0;
    for (let j = 0; j < g; j++) s += z[at + j] * r[k * g + j];
    out[k] = s;
  }
}

export function lstmSequence([xk, h0, c0, r, mask]: Buf[], [y, gates]: Buf[], { masked }: { masked: boolean }): void {
  const { n, t, u } = dims(xk, r);
  const m = maskAt(masked ? mask : undefined, t);
  const X = xk.data, Y = y.data, G = gates.data, R = r.data;
  const z = new Float64Array(4 * u);
  for (let row = 0; row < n; row++) {
    for (let s = 0; s < t; s++) {
      // h_{t−1} and c_{t−1}: the initial states, or the previous step's.
      const [hp, hAt, cp, cAt] = s === 0 ? [h0.data, row * u, c0.data, row * u] : [Y, (row * t + s - 1) * 2 * u, Y, (row * t + s - 1) * 2 * u + u];
      const yAt = (row * t + s) * 2 * u;
      const gAt = (row * t + s) * 4 * u;
      if (m(row, s) === 0) {
        for (let j = 0; j < u; j++) {
          Y[yAt + j] = hp[hAt + j];
          Y[yAt + u + j] = cp[cAt + j];
        }
        G.fill(0, gAt, gAt + 4 * u);
        continue;
      }
      rowTimes(hp, hAt, R, u, z);
      for (let j = 0; j < u; j++) {
        const i = sigmoid(X[gAt + j] + z[j]);
        const f = sigmoid(X[gAt + u + j] + z[u + j]);
        const g = Math.tanh(X[gAt + 2 * u + j] + z[2 * u + j]);
        const o = sigmoid(X[gAt + 3 * u + j] + z[3 * u + j]);
        G[gAt + j] = i;
        G[gAt + u + j] = f;
        G[gAt + 2 * u + j] = g;
        G[gAt + 3 * u + j] = o;
        // Read back the stored (possibly float32) gates, as the adjoint will.
        Y[yAt + u + j] = G[gAt + u + j] * cp[cAt + j] + G[gAt + j] * G[gAt + 2 * u + j];
        Y[yAt + j] = G[gAt + 3 * u + j] * Math.tanh(Y[yAt + u + j]);
      }
    }
  }
}

export function lstmSequenceGrad([dy, y, gates, c0, r, mask]: Buf[], [dz, dh0, dc0]: Buf[], { masked }: { masked: boolean }): void {
  const { n, t, u } = dims(gates, r);
  const m = maskAt(masked ? mask : undefined, t);
  const DY = dy.data, Y = y.data, G = gates.data, R = r.data, DZ = dz.data;
  const dh = new Float64Array(u); // gradient reaching h_t from later steps
  const dc = new Float64Array(u);
  for (let row = 0; row < n; row++) {
    dh.fill(0);
    dc.fill(0);
    for (let s = t - 1; s >= 0; s--) {
      const yAt = (row * t + s) * 2 * u;
      const gAt = (row * t + s) * 4 * u;
      for (let j = 0; j < u; j++) {
        dh[j] += DY[yAt + j];
        dc[j] += DY[yAt + u + j];
      }
      if (m(row, s) === 0) {
        DZ.fill(0, gAt, gAt + 4 * u); // the states pass through unchanged
        continue;
      }
      const [cp, cAt] = s === 0 ? [c0.data, row * u] : [Y, (row * t + s - 1) * 2 * u + u];
      for (let j = 0; j < u; j++) {
        const i = G[gAt + j], f = G[gAt + u + j], g = G[gAt + 2 * u + j], o = G[gAt + 3 * u + j];
        const tc = Math.tanh(Y[yAt + u + j]);
        const dcj = dc[j] + dh[j] * o * (1 - tc * tc);
        DZ[gAt + j] = dcj * g * i * (1 - i);
        DZ[gAt + u + j] = dcj * cp[cAt + j] * f * (1 - f);
        DZ[gAt + 2 * u + j] = dcj * i * (1 - g * g);
        DZ[gAt + 3 * u + j] = dh[j] * tc * o * (1 - o);
        dc[j] = dcj * f;
      }
      rowTimesT(DZ, gAt, R, u, dh);
    }
    dh0.data.set(dh, row * u);
    dc0.data.set(dc, row * u);
  }
}

export function gruSequence([xk, h0, r, rb, mask]: Buf[], [y, gates]: Buf[], { masked }: { masked: boolean }): void {
  const { n, t, u } = dims(xk, r);
  const m = maskAt(masked ? mask : undefined, t);
  const X = xk.data, Y = y.data, G = gates.data, R = r.data, B = rb.data;
  const a = new Float64Array(3 * u);
  for (let row = 0; row < n; row++) {
    for (let s = 0; s < t; s++) {
      const [hp, hAt] = s === 0 ? [h0.data, row * u] : [Y, (row * t + s - 1) * u];
      const yAt = (row * t + s) * u;
      const xAt = (row * t + s) * 3 * u;
      const gAt = (row * t + s) * 4 * u;
      if (m(row, s) === 0) {
        for (let j = 0; j < u; j++) Y[yAt + j] = hp[hAt + j];
        G.fill(0, gAt, gAt + 4 * u);
        continue;
      }
      rowTimes(hp, hAt, R, u, a);
      for (let j = 0; j < u; j++) {
        G[gAt + j] = sigmoid(X[xAt + j] + a[j] + B[j]);
        G[gAt + u + j] = sigmoid(X[xAt + u + j] + a[u + j] + B[u + j]);
        G[gAt + 3 * u + j] = a[2 * u + j] + B[2 * u + j];
        G[gAt + 2 * u + j] = Math.tanh(X[xAt + 2 * u + j] + G[gAt + u + j] * G[gAt + 3 * u + j]);
        const z = G[gAt + j];
        Y[yAt + j] = z * hp[hAt + j] + (1 - z) * G[gAt + 2 * u + j];
      }
    }
  }
}

export function gruSequenceGrad([dy, y, gates, h0, r, mask]: Buf[], [dxk, drec, dh0]: Buf[], { masked }: { masked: boolean }): void {
  const { n, t, u } = dims(gates, r);
  const m = maskAt(masked ? mask : undefined, t);
  const DY = dy.data, Y = y.data, G = gates.data, R = r.data, DX = dxk.data, DA = drec.data;
  const dh = new Float64Array(u);
  const back = new Float64Array(u);
  for (let row = 0; row < n; row++) {
    dh.fill(0);
    for (let s = t - 1; s >= 0; s--) {
      const yAt = (row * t + s) * u;
      const xAt = (row * t + s) * 3 * u;
      const gAt = (row * t + s) * 4 * u;
      for (let j = 0; j < u; j++) dh[j] += DY[yAt + j];
      if (m(row, s) === 0) {
        DX.fill(0, xAt, xAt + 3 * u);
        DA.fill(0, xAt, xAt + 3 * u);
        continue;
      }
      const [hp, hAt] = s === 0 ? [h0.data, row * u] : [Y, (row * t + s - 1) * u];
      for (let j = 0; j < u; j++) {
        const z = G[gAt + j], rr = G[gAt + u + j], hh = G[gAt + 2 * u + j], ah = G[gAt + 3 * u + j];
        const dah = dh[j] * (1 - z) * (1 - hh * hh);
        const daz = dh[j] * (hp[hAt + j] - hh) * z * (1 - z);
        const dar = dah * ah * rr * (1 - rr);
        DX[xAt + j] = daz;
        DX[xAt + u + j] = dar;
        DX[xAt + 2 * u + j] = dah;
        DA[xAt + j] = daz;
        DA[xAt + u + j] = dar;
        DA[xAt + 2 * u + j] = dah * rr;
        dh[j] *= z;
      }
      rowTimesT(DA, xAt, R, u, back);
      for (let j = 0; j < u; j++) dh[j] += back[j];
    }
    dh0.data.set(dh, row * u);
  }
}
