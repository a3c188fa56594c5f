// The fused LSTM and GRU recurrences and their adjoints (src/backend/kernels.ts lstmSequence,
// gruSequence; the reference loops are src/backend/cpu/recurrent.ts, the wasm version
// src/backend/wasm/assembly/recurrent.ts, which this follows). A block of batch rows runs every
// time step: one oneDNN matmul per step over the block (h_{t−1}·R going forward, dz·Rᵀ going
// back; R packed once per call into the layout oneDNN picks, the block's states kept contiguous)
// and then the gate arithmetic in one loop over the units that the compiler vectorises. Rows
// never interact; how the batch is cut into blocks changes at most the matmul's rounding. One block per
// thread (one OpenMP region per call); each block's matmuls run on its own thread.
//
// Not oneDNN's RNN primitives: their contract differs from these kernels'. They project the
// input themselves (ours get xk = x·K + b), keep the gates in an opaque workspace (ours return
// them, and the adjoint reads them back), have no per-step mask (a masked step keeps the
// states and passes gradients through), and return weight gradients rather than the gates'
// gradients dz that src/ops/recurrent.ts turns into dK, dR and db with whole-sequence matmuls.
#include <dnnl.hpp>
#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine.h"
#include "hebb.h"

namespace hebb {
namespace {

/** Below this many multiply-adds a kernel runs on the calling thread (as in onednn.cc: ~1 ms). */
constexpr int64_t PARALLEL_WORK = 1 << 22;

using dnnl::memory;
using dt = memory::data_type;

/** One stream per thread: blocks of rows execute their GEMMs concurrently. */
dnnl::stream &threadStream() {
  thread_local dnnl::stream s(engine());
  return s;
}

/**
 * A step's GEMM, C [M, N] = A [M, K] · op(B) (+ C when `accumulate`), all row-major and
 * contiguous, with B (R [u, G·u], or Rᵀ when transB) in the layout oneDNN picks: a recurrence
 * packs it once per call and multiplies T times from there. Created for one thread: each block
 * of rows runs its steps on its own thread.
 */
struct StepGemm {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
  dnnl::reorder pack;
  memory::desc a, b, c;
};

std::map<std::array<int64_t, 5>, std::unique_ptr<StepGemm>> stepGemms;

/** The cached StepGemm for the shape; called outside parallel regions only (it fills the cache, which overRows bounds). */
StepGemm &stepGemm(int64_t M, int64_t N, int64_t K, bool transB, bool accumulate) {
  const std::array<int64_t, 5> key{M, N, K, transB, accumulate};
  auto it = stepGemms.find(key);
  if (it != stepGemms.end()) return *it->second;
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  auto g = std::make_unique<StepGemm>();
  try {
    g->a = memory::desc({M, K}, dt::f32, memory::dims{K, 1});
    g->b = memory::desc({K, N}, dt::f32, transB ? memory::dims{1, K} : memory::dims{N, 1});
    g->c = memory::desc({M, N}, dt::f32, memory::dims{N, 1});
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    if (accumulate) {
      dnnl::post_ops sum;
      sum.append_sum(1.0f);
      attr.set_post_ops(sum);
    }
    memory::desc any({K, N}, dt::f32, memory::format_tag::any);
    g->pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(g->a, any, g->c), attr, engine());
    g->prim = dnnl::matmul(g->pd);
    g->pack = dnnl::reorder(dnnl::reorder::primitive_desc(engine(), g->b, engine(), g->pd.weights_desc()));
  } catch (...) {
    omp_set_num_threads(threads);
    throw;
  }
  omp_set_num_threads(threads);
  return *stepGemms.emplace(key, std::move(g)).first->second;
}

/** A block's use of a StepGemm: B packed once, its own scratchpad, memory objects whose handles move per step. */
struct BlockGemm {
  const StepGemm &g;
  memory packed, scratch, a, c;
  BlockGemm(const StepGemm &gemm, const float *B) : g(gemm) {
    packed = memory(g.pd.weights_desc(), engine());
    memory user(g.b, engine(), const_cast<float *>(B));
    g.pack.execute(threadStream(), user, packed);
    scratch = memory(g.pd.scratchpad_desc(), engine());
    a = memory(g.a, engine(), DNNL_MEMORY_NONE);
    c = memory(g.c, engine(), DNNL_MEMORY_NONE);
  }
  void operator()(const float *A, float *C) {
    a.set_data_handle(const_cast<float *>(A));
    c.set_data_handle(C);
    g.prim.execute(threadStream(), {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, packed}, {DNNL_ARG_DST, c}, {DNNL_ARG_SCRATCHPAD, scratch}});
  }
};

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
 * block(r0, rows, gemm) over the batch, where gemm is the StepGemm for `rows` rows: one block of
 * rows per thread when the work (multiply-adds) is worth a parallel region, else all rows on the
 * calling thread. The GEMMs are made (cached) before the region; inside it each runs on its thread.
 */
template <typename Block>
void overRows(int64_t N, int64_t work, int64_t gemmN, int64_t gemmK, bool transB, bool accumulate, Block block) {
  // The cache is bounded here, before any of this call's entries is taken (a reference must not dangle).
  if (stepGemms.size() >= 64) stepGemms.clear();
  const int threads = omp_get_max_threads();
  if (threads > 1 && N > 1 && work >= PARALLEL_WORK) {
    const int64_t per = (N + threads - 1) / threads, blocks = (N + per - 1) / per, last = N - (blocks - 1) * per;
    StepGemm &full = stepGemm(per, gemmN, gemmK, transB, accumulate);
    StepGemm &rest = stepGemm(last, gemmN, gemmK, transB, accumulate);
    // An exception must not leave the region: the first is kept and thrown after it.
    std::exception_ptr failed;
#pragma omp parallel for num_threads((int)blocks) schedule(static, 1)
    for (int64_t b = 0; b < blocks; b++) {
      try {
        block(b * per, b == blocks - 1 ? last : per, b == blocks - 1 ? rest : full);
      } catch (...) {
#pragma omp critical
        if (!failed) failed = std::current_exception();
      }
    }
    if (failed) std::rethrow_exception(failed);
    return;
  }
  StepGemm &all = stepGemm(N, gemmN, gemmK, transB, accumulate);
  if (threads > 1) omp_set_num_threads(1);
  try {
    block(0, N, all);
  } catch (...) {
    if (threads > 1) omp_set_num_threads(threads);
    throw;
  }
  if (threads > 1) omp_set_num_threads(threads);
}

}  // namespace

void clearRecurrentCache() { stepGemms.clear(); }

void lstmSequence(const int32_t *a, const float *xk, const float *h0, const float *c0, const float *R, const float *mask, float *y,
                  float *gates) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 4 * U;
  overRows(d.N, d.N * T * U * G, G, U, false, false, [&](int64_t r0, int64_t rows, const StepGemm &g) {
    BlockGemm gemm(g, R);
    // h_{t−1} of the block's rows, contiguous [rows, u], and h_{t−1}·R [rows, 4u].
    std::vector<float> hAll(h0 + r0 * U, h0 + (r0 + rows) * U), zAll((size_t)(rows * G));
    for (int64_t t = 0; t < T; t++) {
      gemm(hAll.data(), zAll.data());
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        const float *xp = xk + (n * T + t) * G, *zp = zAll.data() + i * G;
        float *gp = gates + (n * T + t) * G, *yp = y + (n * T + t) * 2 * U, *hp = hAll.data() + i * U;
        const float *cpp = t == 0 ? c0 + n * U : y + (n * T + t - 1) * 2 * U + U;
        if (d.skip(mask, n, t)) {
          // The states are kept (hp already holds h_{t−1}).
          std::memcpy(yp, hp, sizeof(float) * U);
          std::memcpy(yp + U, cpp, sizeof(float) * U);
          std::memset(gp, 0, sizeof(float) * G);
          continue;
        }
#pragma omp simd
        for (int64_t j = 0; j < U; j++) {
          // z_t = xk_t + h_{t−1}·R; gates i, f, g, o.
          const float gi = sigmoid(xp[j] + zp[j]), gf = sigmoid(xp[U + j] + zp[U + j]);
          const float gg = tanhApprox(xp[2 * U + j] + zp[2 * U + j]), go = sigmoid(xp[3 * U + j] + zp[3 * U + j]);
          const float c = gf * cpp[j] + gi * gg, h = go * tanhApprox(c);
          gp[j] = gi;
          gp[U + j] = gf;
          gp[2 * U + j] = gg;
          gp[3 * U + j] = go;
          yp[U + j] = c;
          yp[j] = h;
          hp[j] = h;
        }
      }
    }
  });
}

void lstmSequenceGrad(const int32_t *a, const float *dy, const float *y, const float *gates, const float *c0, const float *R,
                      const float *mask, float *dz, float *dh0, float *dc0) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 4 * U;
  overRows(d.N, d.N * T * U * G, U, G, true, true, [&](int64_t r0, int64_t rows, const StepGemm &g) {
    BlockGemm gemm(g, R);
    // The gradients reaching h_t and c_t from later steps, one row of u per batch row, and
    // dz_t of the block's rows, contiguous [rows, 4u].
    std::vector<float> dhAll((size_t)(rows * U), 0.0f), dcAll((size_t)(rows * U), 0.0f), dzAll((size_t)(rows * G));
    for (int64_t t = T - 1; t >= 0; t--) {
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        const float *yp = y + (n * T + t) * 2 * U, *dyp = dy + (n * T + t) * 2 * U, *gp = gates + (n * T + t) * G;
        float *dzp = dz + (n * T + t) * G, *dzb = dzAll.data() + i * G, *dh = dhAll.data() + i * U, *dc = dcAll.data() + i * U;
        if (d.skip(mask, n, t)) {
          // The states pass through: carry dh + dy_h and dc + dy_c; dz is zero (adds nothing below).
          for (int64_t j = 0; j < U; j++) {
            dh[j] += dyp[j];
            dc[j] += dyp[U + j];
          }
          std::memset(dzp, 0, sizeof(float) * G);
          std::memset(dzb, 0, sizeof(float) * G);
          continue;
        }
        const float *cpp = t == 0 ? c0 + n * U : y + (n * T + t - 1) * 2 * U + U;
#pragma omp simd
        for (int64_t j = 0; j < U; j++) {
          const float dhv = dh[j] + dyp[j], dcv = dc[j] + dyp[U + j];
          const float gi = gp[j], gf = gp[U + j], gg = gp[2 * U + j], go = gp[3 * U + j];
          const float tc = tanhApprox(yp[U + j]);
          const float dcj = dcv + dhv * go * (1.0f - tc * tc);
          const float dzi = dcj * gg * gi * (1.0f - gi), dzf = dcj * cpp[j] * gf * (1.0f - gf);
          const float dzg = dcj * gi * (1.0f - gg * gg), dzo = dhv * tc * go * (1.0f - go);
          dzp[j] = dzb[j] = dzi;
          dzp[U + j] = dzb[U + j] = dzf;
          dzp[2 * U + j] = dzb[2 * U + j] = dzg;
          dzp[3 * U + j] = dzb[3 * U + j] = dzo;
          dc[j] = dcj * gf;
          dh[j] = 0.0f;
        }
      }
      // dh_{t−1} += dz_t·Rᵀ (masked rows have dz = 0 and keep their carried dh).
      gemm(dzAll.data(), dhAll.data());
    }
    std::memcpy(dh0 + r0 * U, dhAll.data(), sizeof(float) * rows * U);
    std::memcpy(dc0 + r0 * U, dcAll.data(), sizeof(float) * rows * U);
  });
}

void gruSequence(const int32_t *a, const float *xk, const float *h0, const float *R, const float *rb, const float *mask, float *y,
                 float *gates) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 3 * U;
  overRows(d.N, d.N * T * U * G, G, U, false, false, [&](int64_t r0, int64_t rows, const StepGemm &g) {
    BlockGemm gemm(g, R);
    // h_{t−1} of the block's rows, contiguous [rows, u], and h_{t−1}·R [rows, 3u].
    std::vector<float> hAll(h0 + r0 * U, h0 + (r0 + rows) * U), aAll((size_t)(rows * G));
    for (int64_t t = 0; t < T; t++) {
      gemm(hAll.data(), aAll.data());
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        const float *xp = xk + (n * T + t) * G, *ap = aAll.data() + i * G;
        float *gp = gates + (n * T + t) * 4 * U, *yp = y + (n * T + t) * U, *hp = hAll.data() + i * U;
        if (d.skip(mask, n, t)) {
          std::memcpy(yp, hp, sizeof(float) * U);  // h_{t−1}, kept
          std::memset(gp, 0, sizeof(float) * 4 * U);
          continue;
        }
#pragma omp simd
        for (int64_t j = 0; j < U; j++) {
          const float z = sigmoid(xp[j] + ap[j] + rb[j]);
          const float r = sigmoid(xp[U + j] + ap[U + j] + rb[U + j]);
          const float ah = ap[2 * U + j] + rb[2 * U + j];
          const float hh = tanhApprox(xp[2 * U + j] + r * ah);
          const float h = z * hp[j] + (1.0f - z) * hh;
          gp[j] = z;
          gp[U + j] = r;
          gp[2 * U + j] = hh;
          gp[3 * U + j] = ah;
          yp[j] = h;
          hp[j] = h;
        }
      }
    }
  });
}

void gruSequenceGrad(const int32_t *a, const float *dy, const float *y, const float *gates, const float *h0, const float *R,
                     const float *mask, float *dxk, float *drec, float *dh0) {
  const Dims d(a);
  const int64_t T = d.T, U = d.U, G = 3 * U;
  overRows(d.N, d.N * T * U * G, U, G, true, true, [&](int64_t r0, int64_t rows, const StepGemm &g) {
    BlockGemm gemm(g, R);
    // The gradient reaching h_t from later steps, and drec_t of the block's rows, contiguous [rows, 3u].
    std::vector<float> dhAll((size_t)(rows * U), 0.0f), daAll((size_t)(rows * G));
    for (int64_t t = T - 1; t >= 0; t--) {
      for (int64_t i = 0; i < rows; i++) {
        const int64_t n = r0 + i;
        const float *dyp = dy + (n * T + t) * U, *gp = gates + (n * T + t) * 4 * U;
        float *dxp = dxk + (n * T + t) * G, *dap = drec + (n * T + t) * G, *dab = daAll.data() + i * G, *dh = dhAll.data() + i * U;
        if (d.skip(mask, n, t)) {
          for (int64_t j = 0; j < U; j++) dh[j] += dyp[j];
          std::memset(dxp, 0, sizeof(float) * G);
          std::memset(dap, 0, sizeof(float) * G);
          std::memset(dab, 0, sizeof(float) * G);
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
          dap[j] = dab[j] = daz;
          dap[U + j] = dab[U + j] = dar;
          dap[2 * U + j] = dab[2 * U + j] = dah * r;
          dh[j] = dhv * z;
        }
      }
      // dh_{t−1} += drec_t·Rᵀ (masked rows have drec = 0 and keep their carried dh).
      gemm(daAll.data(), dhAll.data());
    }
    std::memcpy(dh0 + r0 * U, dhAll.data(), sizeof(float) * rows * U);
  });
}

}  // namespace hebb
