// The fused LSTM and GRU recurrences and their adjoints (src/backend/kernels.ts lstmSequence,
// gruSequence; the reference loops are src/backend/cpu/recurrent.ts, the wasm version
// src/backend/wasm/assembly/recurrent.ts, which this follows). A block of batch rows runs every
// time step: one oneDNN sgemm per step over the block (h_{t−1}·R going forward, dz·Rᵀ going
// back) and then the gate arithmetic in one loop over the units that the compiler vectorises.
// Rows never interact, so how the batch is cut into blocks cannot change a result.
//
// Not oneDNN's RNN primitives: their contract differs from these kernels'. They project the
// input themselves (ours get xk = x·K + b), keep the gates in an opaque workspace (ours return
// them, and the adjoint reads them back), have no per-step mask (a masked step keeps the
// states and passes gradients through), and return weight gradients rather than the gates'
// gradients dz that src/ops/recurrent.ts turns into dK, dR and db with whole-sequence matmuls.
#include <dnnl.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "hebb.h"

namespace hebb {
namespace {

/** Below this many multiply-adds a kernel runs on the calling thread (as in onednn.cc: ~1 ms). */
constexpr int64_t PARALLEL_WORK = 1 << 22;

/** C [M, N] = A [M, K] · op(B) + beta · C, row-major with leading dimensions (op(B) = Bᵀ when transB). */
void gemm(bool transB, int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const float *B, int64_t ldb, float beta, float *C,
          int64_t ldc) {
  if (M == 0 || N == 0) return;
  dnnl_status_t s = dnnl_sgemm('N', transB ? 'T' : 'N', M, N, K, 1.0f, A, lda, B, ldb, beta, C, ldc);
  if (s != dnnl_success) throw std::runtime_error("dnnl_sgemm failed (status " + std::to_string((int)s) + ")");
}

/**
 * e^x in float32 for vectorised loops (Cephes' expf: x = n·ln2 + r, |r| ≤ ln2/2, a degree-6
 * polynomial for e^r, 2^n from the exponent bits); within 2 ulp. x is clamped to [−87, 88] so
 * that 2^n stays a normal float; NaN passes through.
 */
inline float expApprox(float x) {
  x = std::min(std::max(x, -87.0f), 88.0f);
  // n = round(x / ln2) by the 1.5·2^23 trick (floorf does not vectorise without -fno-trapping-math).
  constexpr float ROUND = 12582912.0f;
  const float n = (x * 1.44269504088896341f + ROUND) - ROUND;
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t bits = ((int32_t)n + 127) << 23;
  return p * __builtin_bit_cast(float, bits);
}

inline float sigmoid(float x) { return 1.0f / (1.0f + expApprox(-x)); }

/** tanh x = 1 − 2 / (e^{2x} + 1): ±1 at the ends, absolute error ~1e-7 near 0. */
inline float tanhApprox(float x) { return 1.0f - 2.0f / (expApprox(2.0f * x) + 1.0f); }

/** The integer arguments every recurrence kernel gets: N, T, U, masked. */
struct Dims {
  int64_t N, T, U;
  bool masked;
  explicit Dims(const int32_t *a) : N(a[0]), T(a[1]), U(a[2]), masked(a[3] != 0) {}
  /** Whether step t of row n is masked out. */
  bool skip(const float *mask, int64_t n, int64_t t) const { return masked && mask[n * T + t] == 0; }
};

/**
 * block(r0, rows) over the batch: one block of rows per thread when the work (multiply-adds)
 * is worth a parallel region, else all rows on the calling thread, with sgemm held to one
 * thread too (an OpenMP region for a small GEMM costs more than it saves).
 */
template <typename Block>
void overRows(int64_t N, int64_t work, Block block) {
  const int threads = omp_get_max_threads();
  if (threads > 1 && N > 1 && work >= PARALLEL_WORK) {
    const int64_t per = (N + threads - 1) / threads, blocks = (N + per - 1) / per;
    // Inside the region oneDNN's sgemm runs on its own thread (it does not nest). An exception
    // must not leave the region: the first is kept and thrown after it.
    std::exception_ptr failed;
#pragma omp parallel for num_threads((int)blocks) schedule(static, 1)
    for (int64_t b = 0; b < blocks; b++) {
      try {
        block(b * per, std::min(per, N - b * per));
      } catch (...) {
#pragma omp critical
        if (!failed) failed = std::current_exception();
      }
    }
    if (failed) std::rethrow_exception(failed);
    return;
  }
  if (threads > 1) omp_set_num_threads(1);
  try {
    block(0, N);
  } catch (...) {
    if (threads > 1) omp_set_num_threads(threads);
    throw;
  }
  if (threads > 1) omp_set_num_threads(threads);
}

}  // namespace

void lstmSequence(const int32_t *a, const float *xk, const float *h0, const float *c0, const float *R, const float *mask, float *y,
                  float *gates) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 4 * U;
  overRows(d.N, d.N * T * U * G, [&](int64_t r0, int64_t rows) {
    for (int64_t t = 0; t < T; t++) {
      // z_t = xk_t + h_{t−1}·R, accumulated in place in the gates [rows, 4u] (row stride T·4u).
      for (int64_t i = 0; i < rows; i++) std::memcpy(gates + ((r0 + i) * T + t) * G, xk + ((r0 + i) * T + t) * G, sizeof(float) * G);
      const float *hp = t == 0 ? h0 + r0 * U : y + (r0 * T + t - 1) * 2 * U;
      gemm(false, rows, G, U, hp, t == 0 ? U : T * 2 * U, R, G, 1.0f, gates + (r0 * T + t) * G, T * G);
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        float *gp = gates + (n * T + t) * G, *yp = y + (n * T + t) * 2 * U;
        const float *hpp = t == 0 ? h0 + n * U : y + (n * T + t - 1) * 2 * U;
        const float *cpp = t == 0 ? c0 + n * U : hpp + U;
        if (d.skip(mask, n, t)) {
          std::memcpy(yp, hpp, sizeof(float) * U);
          std::memcpy(yp + U, cpp, sizeof(float) * U);
          std::memset(gp, 0, sizeof(float) * G);
          continue;
        }
#pragma omp simd
        for (int64_t j = 0; j < U; j++) {
          const float gi = sigmoid(gp[j]), gf = sigmoid(gp[U + j]), gg = tanhApprox(gp[2 * U + j]), go = sigmoid(gp[3 * U + j]);
          const float c = gf * cpp[j] + gi * gg;
          gp[j] = gi;
          gp[U + j] = gf;
          gp[2 * U + j] = gg;
          gp[3 * U + j] = go;
          yp[U + j] = c;
          yp[j] = go * tanhApprox(c);
        }
      }
    }
  });
}

void lstmSequenceGrad(const int32_t *a, const float *dy, const float *y, const float *gates, const float *c0, const float *R,
                      const float *mask, float *dz, float *dh0, float *dc0) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 4 * U;
  overRows(d.N, d.N * T * U * G, [&](int64_t r0, int64_t rows) {
    // The gradients reaching h_t and c_t from later steps, one row of u per batch row.
    std::vector<float> dhAll((size_t)(rows * U), 0.0f), dcAll((size_t)(rows * U), 0.0f);
    for (int64_t t = T - 1; t >= 0; t--) {
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        const float *yp = y + (n * T + t) * 2 * U, *dyp = dy + (n * T + t) * 2 * U, *gp = gates + (n * T + t) * G;
        float *dzp = dz + (n * T + t) * G, *dh = dhAll.data() + i * U, *dc = dcAll.data() + i * U;
        if (d.skip(mask, n, t)) {
          // The states pass through: carry dh + dy_h and dc + dy_c; dz is zero (adds nothing below).
          for (int64_t j = 0; j < U; j++) {
            dh[j] += dyp[j];
            dc[j] += dyp[U + j];
          }
          std::memset(dzp, 0, sizeof(float) * G);
          continue;
        }
        const float *cpp = t == 0 ? c0 + n * U : y + (n * T + t - 1) * 2 * U + U;
#pragma omp simd
        for (int64_t j = 0; j < U; j++) {
          const float dhv = dh[j] + dyp[j], dcv = dc[j] + dyp[U + j];
          const float gi = gp[j], gf = gp[U + j], gg = gp[2 * U + j], go = gp[3 * U + j];
          const float tc = tanhApprox(yp[U + j]);
          const float dcj = dcv + dhv * go * (1.0f - tc * tc);
          dzp[j] = dcj * gg * gi * (1.0f - gi);
          dzp[U + j] = dcj * cpp[j] * gf * (1.0f - gf);
          dzp[2 * U + j] = dcj * gi * (1.0f - gg * gg);
          dzp[3 * U + j] = dhv * tc * go * (1.0f - go);
          dc[j] = dcj * gf;
          dh[j] = 0.0f;
        }
      }
      // dh_{t−1} += dz_t·Rᵀ (masked rows have dz = 0).
      gemm(true, rows, U, G, dz + (r0 * T + t) * G, T * G, R, G, 1.0f, dhAll.data(), U);
    }
    std::memcpy(dh0 + r0 * U, dhAll.data(), sizeof(float) * rows * U);
    std::memcpy(dc0 + r0 * U, dcAll.data(), sizeof(float) * rows * U);
  });
}

void gruSequence(const int32_t *a, const float *xk, const float *h0, const float *R, const float *rb, const float *mask, float *y,
                 float *gates) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 3 * U;
  overRows(d.N, d.N * T * U * G, [&](int64_t r0, int64_t rows) {
    std::vector<float> aAll((size_t)(rows * G));  // h_{t−1}·R for the block, [rows, 3u]
    for (int64_t t = 0; t < T; t++) {
      const float *hp = t == 0 ? h0 + r0 * U : y + (r0 * T + t - 1) * U;
      gemm(false, rows, G, U, hp, t == 0 ? U : T * U, R, G, 0.0f, aAll.data(), G);
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        const float *xp = xk + (n * T + t) * G, *ap = aAll.data() + i * G;
        float *gp = gates + (n * T + t) * 4 * U, *yp = y + (n * T + t) * U;
        const float *hpp = t == 0 ? h0 + n * U : y + (n * T + t - 1) * U;
        if (d.skip(mask, n, t)) {
          std::memcpy(yp, hpp, sizeof(float) * U);
          std::memset(gp, 0, sizeof(float) * 4 * U);
          continue;
        }
#pragma omp simd
        for (int64_t j = 0; j < U; j++) {
          const float z = sigmoid(xp[j] + ap[j] + rb[j]);
          const float r = sigmoid(xp[U + j] + ap[U + j] + rb[U + j]);
          const float ah = ap[2 * U + j] + rb[2 * U + j];
          const float hh = tanhApprox(xp[2 * U + j] + r * ah);
          gp[j] = z;
          gp[U + j] = r;
          gp[2 * U + j] = hh;
          gp[3 * U + j] = ah;
          yp[j] = z * hpp[j] + (1.0f - z) * hh;
        }
      }
    }
  });
}

void gruSequenceGrad(const int32_t *a, const float *dy, const float *y, const float *gates, const float *h0, const float *R,
                     const float *mask, float *dxk, float *drec, float *dh0) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 3 * U;
  overRows(d.N, d.N * T * U * G, [&](int64_t r0, int64_t rows) {
    std::vector<float> dhAll((size_t)(rows * U), 0.0f);  // the gradient reaching h_t from later steps
    for (int64_t t = T - 1; t >= 0; t--) {
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        const float *dyp = dy + (n * T + t) * U, *gp = gates + (n * T + t) * 4 * U;
        float *dxp = dxk + (n * T + t) * G, *dap = drec + (n * T + t) * G, *dh = dhAll.data() + i * U;
        if (d.skip(mask, n, t)) {
          for (int64_t j = 0; j < U; j++) dh[j] += dyp[j];
          std::memset(dxp, 0, sizeof(float) * G);
          std::memset(dap, 0, sizeof(float) * G);
          continue;
        }
        const float *hpp = t == 0 ? h0 + n * U : y + (n * T + t - 1) * U;
#pragma omp simd
        for (int64_t j = 0; j < U; j++) {
          const float dhv = dh[j] + dyp[j];
          const float z = gp[j], r = gp[U + j], hh = gp[2 * U + j], ah = gp[3 * U + j];
          const float dah = dhv * (1.0f - z) * (1.0f - hh * hh);
          const float daz = dhv * (hpp[j] - hh) * z * (1.0f - z);
          const float dar = dah * ah * r * (1.0f - r);
          dxp[j] = daz;
          dxp[U + j] = dar;
          dxp[2 * U + j] = dah;
          dap[j] = daz;
          dap[U + j] = dar;
          dap[2 * U + j] = dah * r;
          dh[j] = dhv * z;
        }
      }
      // dh_{t−1} += drec_t·Rᵀ (masked rows have drec = 0).
      gemm(true, rows, U, G, drec + (r0 * T + t) * G, T * G, R, G, 1.0f, dhAll.data(), U);
    }
    std::memcpy(dh0 + r0 * U, dhAll.data(), sizeof(float) * rows * U);
  });
}

}  // namespace hebb
