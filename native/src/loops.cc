// Our own loops, for what oneDNN has no primitive for: the unary functions its eltwise lacks,
// broadcast binary arithmetic and comparisons with NumPy's (and src/backend/cpu's) NaN rules,
// where, reductions with arg-extrema, max pooling that reports the flat index of each maximum
// (oneDNN's workspace is opaque), scatter-add and broadcasting. Written plainly so the compiler
// vectorises them (-O3 -march=native); large ones are split over the same OpenMP threads
// oneDNN uses, so there is one pool for the process.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "hebb.h"

namespace hebb {
namespace {

/** Below this many elements a loop stays on the calling thread. */
constexpr int64_t PARALLEL = 1 << 20;

/**
 * body(i) for i in [0, n), on the pool when `work` is worth it. An OpenMP region costs
 * microseconds even when its `if` clause is false (and far more when another process holds
 * the core a team thread waits on), so small work never enters one.
 */
template <typename Body>
void forRange(int64_t n, int64_t work, Body body) {
  if (work <= PARALLEL || omp_get_max_threads() == 1) {
    for (int64_t i = 0; i < n; i++) body(i);
    return;
  }
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; i++) body(i);
}

template <typename Out, typename F>
void mapUnary(int64_t n, const float *x, Out *y, F f) {
  // Blocks of 4096 elements, each a plain loop the compiler vectorises.
  const int64_t blocks = (n + 4095) / 4096;
  forRange(blocks, n, [&](int64_t blk) {
    const int64_t end = std::min(n, (blk + 1) * 4096);
    for (int64_t i = blk * 4096; i < end; i++) y[i] = (Out)f(x[i]);
  });
}

/** y[i] = f(a[i], b[i]) over n elements, in the blocks of mapUnary (restrict: the outputs alias no input). */
template <typename F>
void mapBinary(int64_t n, const float *a, const float *b, float *y, F f) {
  const int64_t blocks = (n + 4095) / 4096;
  forRange(blocks, n, [&](int64_t blk) {
    const float *__restrict pa = a;
    const float *__restrict pb = b;
    float *__restrict py = y;
    const int64_t end = std::min(n, (blk + 1) * 4096);
    for (int64_t i = blk * 4096; i < end; i++) py[i] = f(pa[i], pb[i]);
  });
}

/** Odometer over the leading `rank - 1` axes of a collapsed shape; the last axis is the row. */
struct Walk {
  int rank;
  const int32_t *shape;
  std::vector<const int32_t *> strides;
  int64_t rows() const {
    int64_t r = 1;
    for (int d = 0; d < rank - 1; d++) r *= shape[d];
    return r;
  }
  /** Element offsets of operand k at the start of row `row`. */
  int64_t offset(size_t k, int64_t row) const {
    int64_t off = 0;
    for (int d = rank - 2; d >= 0; d--) {
      int64_t i = row % shape[d];
      row /= shape[d];
      off += i * strides[k][d];
    }
    return off;
  }
};

/** Elements a short repeated row is tiled to, so that its loops run long and vectorise. */
constexpr int64_t TILE = 1024;

template <typename Out, typename F>
void binaryRows(const Walk &w, const float *a, const float *b, Out *y, F f) {
  const int64_t len = w.shape[w.rank - 1];
  const int64_t sa = w.strides[0][w.rank - 1], sb = w.strides[1][w.rank - 1];
  const int64_t rows = w.rows();
  // A short row repeated down a contiguous operand (a bias over channels-last data: [P, C] +
  // [C]): tile the row, then walk the data in long contiguous runs.
  if (w.rank == 2 && len < TILE / 4 && sa == 1 && sb == 1) {
    const bool aRep = w.strides[0][0] == 0 && w.strides[1][0] == len;
    const bool bRep = w.strides[1][0] == 0 && w.strides[0][0] == len;
    if (aRep || bRep) {
      const int64_t per = TILE / len;  // rows per tile
      float tile[TILE];
      const float *row = aRep ? a : b;
      for (int64_t r = 0; r < per; r++) std::memcpy(tile + r * len, row, sizeof(float) * len);
      const float *full = aRep ? b : a;
      const int64_t span = per * len, n = rows * len, chunks = (n + span - 1) / span;
      forRange(chunks, n, [&](int64_t ch) {
        const int64_t start = ch * span, m = std::min(span, n - start);
        const float *pf = full + start;
        Out *py = y + start;
        if (aRep) for (int64_t i = 0; i < m; i++) py[i] = (Out)f(tile[i], pf[i]);
        else for (int64_t i = 0; i < m; i++) py[i] = (Out)f(pf[i], tile[i]);
      });
      return;
    }
  }
  forRange(rows, rows * len, [&](int64_t r) {
    const float *pa = a + w.offset(0, r);
    const float *pb = b + w.offset(1, r);
    Out *py = y + r * len;
    // The common stride patterns get their own loops so each vectorises.
    if (sa == 1 && sb == 1) {
      for (int64_t i = 0; i < len; i++) py[i] = (Out)f(pa[i], pb[i]);
    } else if (sa == 1 && sb == 0) {
      const float vb = pb[0];
      for (int64_t i = 0; i < len; i++) py[i] = (Out)f(pa[i], vb);
    } else if (sa == 0 && sb == 1) {
      const float va = pa[0];
      for (int64_t i = 0; i < len; i++) py[i] = (Out)f(va, pb[i]);
    } else {
      for (int64_t i = 0; i < len; i++) py[i] = (Out)f(pa[i * sa], pb[i * sb]);
    }
  });
}

/** The reference's floored modulo: the result takes the divisor's sign (Python's %). */
inline float floorMod(float a, float b) {
  float r = std::fmod(a, b);
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

/** erf in float64, as src/backend/cpu/math.ts evaluates it, rounded once. */
inline float erf32(float x) { return (float)std::erf((double)x); }

}  // namespace

void unaryLoop(int op, int64_t n, const float *x, void *out) {
  float *y = (float *)out;
  uint8_t *yb = (uint8_t *)out;
  switch (op) {
    case U_NEG: mapUnary(n, x, y, [](float v) { return -v; }); break;
    case U_ABS: mapUnary(n, x, y, [](float v) { return std::fabs(v); }); break;
    case U_SIGN: mapUnary(n, x, y, [](float v) { return v > 0 ? 1.0f : v < 0 ? -1.0f : v; }); break;
    case U_EXP: mapUnary(n, x, y, [](float v) { return std::exp(v); }); break;
    case U_LOG: mapUnary(n, x, y, [](float v) { return std::log(v); }); break;
    case U_SQRT: mapUnary(n, x, y, [](float v) { return std::sqrt(v); }); break;
    case U_SIGMOID: mapUnary(n, x, y, [](float v) { return (float)(1.0 / (1.0 + std::exp(-(double)v))); }); break;
    case U_TANH: mapUnary(n, x, y, [](float v) { return std::tanh(v); }); break;
    case U_LOG1P: mapUnary(n, x, y, [](float v) { return std::log1p(v); }); break;
    case U_EXPM1: mapUnary(n, x, y, [](float v) { return std::expm1(v); }); break;
    case U_ERF: mapUnary(n, x, y, erf32); break;
    case U_SIN: mapUnary(n, x, y, [](float v) { return (float)std::sin((double)v); }); break;
    case U_COS: mapUnary(n, x, y, [](float v) { return (float)std::cos((double)v); }); break;
    case U_FLOOR: mapUnary(n, x, y, [](float v) { return std::floor(v); }); break;
    case U_CEIL: mapUnary(n, x, y, [](float v) { return std::ceil(v); }); break;
    case U_ROUND: mapUnary(n, x, y, [](float v) { return std::nearbyint(v); }); break;
    case U_LOGICAL_NOT: mapUnary(n, x, yb, [](float v) { return v == 0 ? 1 : 0; }); break;
    case U_IS_NAN: mapUnary(n, x, yb, [](float v) { return std::isnan(v) ? 1 : 0; }); break;
    default: break;
  }
}

void binaryLoop(const int32_t *args, const float *a, const float *b, void *out) {
  const int op = args[0];
  Walk w{args[1], args + 2, {}};
  w.strides = {args + 2 + w.rank, args + 2 + 2 * w.rank};
  float *y = (float *)out;
  uint8_t *yb = (uint8_t *)out;
  switch (op) {
    case B_ADD: binaryRows(w, a, b, y, [](float p, float q) { return p + q; }); break;
    case B_SUB: binaryRows(w, a, b, y, [](float p, float q) { return p - q; }); break;
    case B_MUL: binaryRows(w, a, b, y, [](float p, float q) { return p * q; }); break;
    case B_DIV: binaryRows(w, a, b, y, [](float p, float q) { return p / q; }); break;
    // JavaScript's Math.pow (the reference): x^NaN and (±1)^±∞ are NaN, where C gives 1.
    case B_POW: binaryRows(w, a, b, y, [](float p, float q) {
      if (q != q || (std::fabs(p) == 1 && std::isinf(q))) return NAN;
      return (float)std::pow((double)p, (double)q);
    }); break;
    // NaN in a wins, then comparison (src/backend/cpu/elementwise.ts).
    case B_MAXIMUM: binaryRows(w, a, b, y, [](float p, float q) { return (p >= q || p != p) ? p : q; }); break;
    case B_MINIMUM: binaryRows(w, a, b, y, [](float p, float q) { return (p <= q || p != p) ? p : q; }); break;
    case B_MOD: binaryRows(w, a, b, y, floorMod); break;
    case B_EQUAL: binaryRows(w, a, b, yb, [](float p, float q) { return p == q; }); break;
    case B_NOT_EQUAL: binaryRows(w, a, b, yb, [](float p, float q) { return p != q; }); break;
    case B_GREATER: binaryRows(w, a, b, yb, [](float p, float q) { return p > q; }); break;
    case B_GREATER_EQUAL: binaryRows(w, a, b, yb, [](float p, float q) { return p >= q; }); break;
    case B_LESS: binaryRows(w, a, b, yb, [](float p, float q) { return p < q; }); break;
    case B_LESS_EQUAL: binaryRows(w, a, b, yb, [](float p, float q) { return p <= q; }); break;
    case B_LOGICAL_AND: binaryRows(w, a, b, yb, [](float p, float q) { return p != 0 && q != 0; }); break;
    case B_LOGICAL_OR: binaryRows(w, a, b, yb, [](float p, float q) { return p != 0 || q != 0; }); break;
    default: break;
  }
}

void whereLoop(const int32_t *args, const uint8_t *cond, const float *a, const float *b, float *y) {
  Walk w{args[0], args + 1, {}};
  w.strides = {args + 1 + w.rank, args + 1 + 2 * w.rank, args + 1 + 3 * w.rank};
  const int64_t len = w.shape[w.rank - 1];
  const int64_t sc = w.strides[0][w.rank - 1], sa = w.strides[1][w.rank - 1], sb = w.strides[2][w.rank - 1];
  const int64_t rows = w.rows();
  forRange(rows, rows * len, [&](int64_t r) {
    const uint8_t *pc = cond + w.offset(0, r);
    const float *pa = a + w.offset(1, r);
    const float *pb = b + w.offset(2, r);
    float *py = y + r * len;
    if (sc == 1 && sa == 0 && sb == 1) {  // relu: where(x <= 0, 0, x)
      const float va = pa[0];
      for (int64_t i = 0; i < len; i++) py[i] = pc[i] ? va : pb[i];
    } else if (sc == 1 && sa == 1 && sb == 1) {
      for (int64_t i = 0; i < len; i++) py[i] = pc[i] ? pa[i] : pb[i];
    } else {
      for (int64_t i = 0; i < len; i++) py[i] = pc[i * sc] ? pa[i * sa] : pb[i * sb];
    }
  });
}

void reduceLoop(const int32_t *args, const float *x, void *out) {
  const int op = args[0];
  const int64_t outer = args[1], size = args[2], inner = args[3];
  float *y = (float *)out;
  int32_t *yi = (int32_t *)out;
  const int64_t work = outer * size * inner;
  if (op == R_SUM) {
    // float64 accumulators, as the reference sums.
    forRange(outer, work, [&](int64_t o) {
      thread_local std::vector<double> acc;
      const float *p = x + o * size * inner;
      if (inner == 1) {
        double s = 0;
        for (int64_t k = 0; k < size; k++) s += p[k];
        y[o] = (float)s;
        return;
      }
      acc.assign((size_t)inner, 0.0);
      for (int64_t k = 0; k < size; k++)
        for (int64_t i = 0; i < inner; i++) acc[i] += p[k * inner + i];
      for (int64_t i = 0; i < inner; i++) y[o * inner + i] = (float)acc[i];
    });
    return;
  }
  forRange(outer * inner, work, [&](int64_t oi) {
    const int64_t o = oi / inner, i = oi % inner;
    const float *p = x + o * size * inner + i;
    if (op == R_MAX || op == R_MIN) {
      // A NaN wins; otherwise the extreme value (±∞ for an empty axis).
      float acc = op == R_MAX ? -INFINITY : INFINITY;
      for (int64_t k = 0; k < size; k++) {
        float v = p[k * inner];
        if (v != v) { acc = v; break; }
        if (op == R_MAX ? v > acc : v < acc) acc = v;
      }
      y[oi] = acc;
    } else {
      // The first index of the extreme value; a NaN wins (NumPy).
      int32_t best = 0;
      float bv = size > 0 ? p[0] : 0;
      for (int64_t k = 1; k < size && bv == bv; k++) {
        float v = p[k * inner];
        if (v != v || (op == R_ARGMAX ? v > bv : v < bv)) { best = (int32_t)k; bv = v; }
      }
      yi[oi] = best;
    }
  });
}

/** best[c] ← max(best[c], px[c]) by the reference's rule; where[c] ← base + c when taken. */
inline void takeMax(float *__restrict best, int32_t *__restrict where, const float *__restrict px, int32_t base, int64_t C) {
  if (where) {
    for (int64_t c = 0; c < C; c++) {
      const float v = px[c], b = best[c];
      const bool take = (b == b) & ((v != v) | (v > b));
      best[c] = take ? v : b;
      where[c] = take ? base + (int32_t)c : where[c];
    }
  } else {
    for (int64_t c = 0; c < C; c++) {
      const float v = px[c], b = best[c];
      const bool take = (b == b) & ((v != v) | (v > b));
      best[c] = take ? v : b;
    }
  }
}

void softmaxLoop(const int32_t *a, const float *x, float *y) {
  const int64_t outer = a[0], size = a[1];
  const bool log = a[2] != 0;
  forRange(outer, outer * size * 16, [=](int64_t o) {
    const float *__restrict xr = x + o * size;
    float *__restrict yr = y + o * size;
    float m = -INFINITY;
    bool nan = false;
    for (int64_t k = 0; k < size; k++) {
      nan |= xr[k] != xr[k];
      m = xr[k] > m ? xr[k] : m;
    }
    // As the reference: a NaN or infinite maximum counts as 0 (all −∞ then gives log 0 = −∞).
    const double shift = nan || !std::isfinite(m) ? 0.0 : (double)m;
    double s = 0;
    for (int64_t k = 0; k < size; k++) s += std::exp((double)xr[k] - shift);
    const double lse = std::log(s) + shift;
    if (log) for (int64_t k = 0; k < size; k++) yr[k] = (float)((double)xr[k] - lse);
    else for (int64_t k = 0; k < size; k++) yr[k] = (float)std::exp((double)xr[k] - lse);
  });
}

/** m or v, whichever the reference's max keeps: v when it is NaN or larger, and a NaN in m stays. */
inline float keepMax(float m, float v) { return (m == m) & ((v != v) | (v > m)) ? v : m; }

/** out[ow, c] = max of both[2·ow, c] and both[2·ow + 1, c], with CC channels (0: C, known only at run time). */
template <int CC>
void pairMax(const float *__restrict both, float *__restrict out, int64_t OW, int64_t C) {
  const int64_t ch = CC > 0 ? CC : C;
  for (int64_t ow = 0; ow < OW; ow++)
    for (int64_t c = 0; c < ch; c++) out[ow * ch + c] = keepMax(both[2 * ow * ch + c], both[(2 * ow + 1) * ch + c]);
}

/** POOL_ARGS geometry of 2-D 2×2 windows at stride 2, unpadded (an odd last row or column left out). */
bool isPlain2x2(const int32_t *a) {
  return a[1] == 1 && a[5] == 1 && a[8] == 1 && a[9] == 2 && a[10] == 2 && a[11] == 1 && a[12] == 2 && a[13] == 2 && a[14] == 0 && a[15] == 0 &&
         a[16] == 0 && a[17] == 0 && a[18] == 0 && a[19] == 0 && a[6] == a[2] / 2 && a[7] == a[3] / 2;
}

/** Whether every one of the n indices is in [0, size): one vectorised pass, no early exit. */
bool indicesBelow(const int32_t *indices, int64_t n, int64_t size) {
  bool inRange = true;
  for (int64_t k = 0; k < n; k++) inRange &= (uint64_t)(uint32_t)indices[k] < (uint64_t)size;
  return inRange;
}

typedef float f16v __attribute__((vector_size(64)));
typedef int32_t i16v __attribute__((vector_size(64)));

/**
 * The 2×2 windows of one output row with the flat index of each maximum: candidates in window
 * order (top-left, top-right, bottom-left, bottom-right), the first maximum wins and a NaN, once
 * found, stays (the reference's rule). `base` is the flat index of top[0]. Channels go 16 at a
 * time as vectors (GCC's vector extension: the selects are blends), the rest one by one.
 */
void pairMaxIndexed(const float *top, const float *bottom, float *out, int32_t *where, int64_t OW, int64_t C, int32_t base, int32_t rowStride) {
  const int32_t ch = (int32_t)C;
  const i16v lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  for (int64_t ow = 0; ow < OW; ow++) {
    const int64_t left = 2 * ow * C;
    int64_t c = 0;
    for (; c + 16 <= C; c += 16) {
      f16v tl, tr, bl, br;
      std::memcpy(&tl, top + left + c, 64);
      std::memcpy(&tr, top + left + C + c, 64);
      std::memcpy(&bl, bottom + left + c, 64);
      std::memcpy(&br, bottom + left + C + c, 64);
      f16v best = tl;
      i16v at = i16v{} + 0;
      i16v take = (best == best) & ((tr != tr) | (tr > best));
      best = take ? tr : best;
      at = take ? i16v{} + ch : at;
      take = (best == best) & ((bl != bl) | (bl > best));
      best = take ? bl : best;
      at = take ? i16v{} + rowStride : at;
      take = (best == best) & ((br != br) | (br > best));
      best = take ? br : best;
      at = take ? i16v{} + (rowStride + ch) : at;
      const i16v index = at + (base + (int32_t)(left + c)) + lane;
      std::memcpy(out + ow * C + c, &best, 64);
      std::memcpy(where + ow * C + c, &index, 64);
    }
    for (; c < C; c++) {
      const float cand[4] = {top[left + c], top[left + C + c], bottom[left + c], bottom[left + C + c]};
      const int32_t offset[4] = {0, ch, rowStride, rowStride + ch};
      float best = cand[0];
      int32_t at = 0;
      for (int k = 1; k < 4; k++) {
        if ((best == best) & ((cand[k] != cand[k]) | (cand[k] > best))) {
          best = cand[k];
          at = offset[k];
        }
      }
      out[ow * C + c] = best;
      where[ow * C + c] = base + (int32_t)(left + c) + at;
    }
  }
}

bool maxPool2x2(const int32_t *a, const float *x, float *y, int32_t *argmax) {
  const int64_t N = a[0], H = a[2], W = a[3], C = a[4], OH = a[6], OW = a[7];
  constexpr int64_t ROW = 4096;
  // Without indices a row pair is staged in a stack buffer of ROW floats.
  if (!isPlain2x2(a) || (!argmax && W * C > ROW) || N * H * W * C > INT32_MAX) return false;
  const int64_t rows = N * OH;
  // Work counted at 16 per output (4 per input): a pool after a convolution split over the images
  // reads what the other thread wrote, unless it splits the same way (static rows = images),
  // which pays from LeNet's first pool on (conv then pool at 2 threads: ~400 -> ~205 us).
  forRange(rows, rows * OW * C * 16, [=](int64_t r) {
    const int64_t n = r / OH, oh = r % OH;
    const int64_t topAt = ((n * H + 2 * oh) * W) * C;
    const float *__restrict top = x + topAt;
    const float *__restrict bottom = top + W * C;
    float *__restrict out = y + r * OW * C;
    if (argmax) {
      int32_t *where = argmax + r * OW * C;
      const int32_t base = (int32_t)topAt, stride = (int32_t)(W * C);
      pairMaxIndexed(top, bottom, out, where, OW, C, base, stride);
      return;
    }
    // The two input rows' maxima first, a contiguous loop the compiler vectorises; then each
    // output pixel's two neighbours. Window order (top-left, top-right, bottom-left, bottom-right)
    // only matters for which NaN is kept, and any NaN is NaN.
    float both[ROW];
    const int64_t used = 2 * OW * C;
    for (int64_t i = 0; i < used; i++) both[i] = keepMax(top[i], bottom[i]);
    // A channel count known at compile time lets the compiler unroll the pair into whole vectors.
    switch (C) {
      case 1: pairMax<1>(both, out, OW, C); break;
      case 3: pairMax<3>(both, out, OW, C); break;
      case 6: pairMax<6>(both, out, OW, C); break;
      case 8: pairMax<8>(both, out, OW, C); break;
      case 16: pairMax<16>(both, out, OW, C); break;
      default: pairMax<0>(both, out, OW, C); break;
    }
  });
  return true;
}

void maxPoolBackprop(const int32_t *a, const float *dy, const int32_t *argmax, float *dx) {
  const int64_t N = a[0], D = a[1], H = a[2], W = a[3], C = a[4], OD = a[5], OH = a[6], OW = a[7];
  const int64_t xn = N * D * H * W * C, yn = N * OD * OH * OW * C;
  if (!indicesBelow(argmax, yn, xn)) throw std::out_of_range("maxPoolBackprop: an index is outside x");
  if (!isPlain2x2(a) || H % 2 || W % 2) {
    // Windows that overlap, or inputs no window covers: zero, then add in order.
    std::memset(dx, 0, sizeof(float) * xn);
    for (int64_t i = 0; i < yn; i++) dx[argmax[i]] += dy[i];
    return;
  }
  // Each input belongs to one window: dx is dy where it is the window's argmax, else 0, in one
  // pass over output rows (each writes its two input rows).
  const int64_t rows = N * OH;
  forRange(rows, rows * OW * C * 16, [=](int64_t r) {
    const int64_t n = r / OH, oh = r % OH;
    const int64_t topAt = ((n * H + 2 * oh) * W) * C, rowStride = W * C;
    float *__restrict top = dx + topAt;
    float *__restrict bottom = top + rowStride;
    const float *__restrict g = dy + r * OW * C;
    const int32_t *__restrict at = argmax + r * OW * C;
    for (int64_t ow = 0; ow < OW; ow++) {
      const int64_t left = 2 * ow * C;
      for (int64_t c = 0; c < C; c++) {
        const int32_t k = at[ow * C + c] - (int32_t)(topAt + left + c);
        const float v = g[ow * C + c];
        top[left + c] = k == 0 ? v : 0.f;
        top[left + C + c] = k == (int32_t)C ? v : 0.f;
        bottom[left + c] = k == (int32_t)rowStride ? v : 0.f;
        bottom[left + C + c] = k == (int32_t)(rowStride + C) ? v : 0.f;
      }
    }
  });
}

void maxPool(const int32_t *a, const float *x, float *y, int32_t *argmax) {
  const int64_t N = a[0], D = a[1], H = a[2], W = a[3], C = a[4], OD = a[5], OH = a[6], OW = a[7];
  const int64_t kd = a[8], kh = a[9], kw = a[10], sd = a[11], sh = a[12], sw = a[13], pd = a[14], ph = a[16], pw = a[18];
  const int64_t rows = N * OD * OH;
  // Items are output rows; each output pixel's C maxima are kept in place in y (indices in
  // argmax, −1 until the first window element), so the channel loops are contiguous.
  forRange(rows, rows * OW * C * kd * kh * kw, [=](int64_t r) {
    const int64_t oh = r % OH, t = r / OH, od = t % OD, n = t / OD;
    const int64_t d0 = std::max<int64_t>(0, od * sd - pd), d1 = std::min(D, od * sd - pd + kd);
    const int64_t h0 = std::max<int64_t>(0, oh * sh - ph), h1 = std::min(H, oh * sh - ph + kh);
    for (int64_t ow = 0; ow < OW; ow++) {
      const int64_t w0 = std::max<int64_t>(0, ow * sw - pw), w1 = std::min(W, ow * sw - pw + kw);
      float *__restrict best = y + ((r * OW) + ow) * C;
      int32_t *__restrict where = argmax ? argmax + ((r * OW) + ow) * C : nullptr;
      for (int64_t c = 0; c < C; c++) best[c] = -INFINITY;
      if (where) for (int64_t c = 0; c < C; c++) where[c] = -1;
      bool first = true;
      for (int64_t id = d0; id < d1; id++) {
        for (int64_t ih = h0; ih < h1; ih++) {
          for (int64_t iw = w0; iw < w1; iw++) {
            const int64_t base = (((n * D + id) * H + ih) * W + iw) * C;
            const float *__restrict px = x + base;
            if (first) {
              // The window's first element starts it (so an all −∞ window still has an index).
              for (int64_t c = 0; c < C; c++) best[c] = px[c];
              if (where) for (int64_t c = 0; c < C; c++) where[c] = (int32_t)(base + c);
              first = false;
              continue;
            }
            // The first maximum wins; once a NaN is found it stays (the reference's rule).
            takeMax(best, where, px, (int32_t)base, C);
          }
        }
      }
    }
  });
}

namespace {

// ---- convolution of a one-channel image (LeNet's first layer) ----

/** 16 floats as one vector (GCC's vector extension: one AVX-512 register, or two or four narrower ones). */
typedef float v16 __attribute__((vector_size(64)));

inline v16 load16(const float *p) {
  v16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/**
 * One image of a one-input-channel convolution, stride 1, no dilation, OW ≤ 32, F filters:
 * each output row is F × 32 accumulators in registers, and each of the KH·KW taps adds a
 * shifted slice of a zero-padded input row times the tap's F weights. Then the bias and the
 * activation, and the planar rows are interleaved into channels-last.
 */
template <int F>
void conv1chImage(const int32_t *a, const float *x, const float *w, const float *bias, float *y, int act) {
  const int64_t H = a[2], W = a[3], KH = a[6], KW = a[7], OH = a[11], OW = a[12], padT = a[21], padL = a[23];
  constexpr int64_t WIDE = 32, MAXK = 7, PW = WIDE + MAXK - 1, MAXPH = 64 + MAXK - 1;
  const int64_t PH = OH + KH - 1;
  float pad[MAXPH * PW];
  for (int64_t ph = 0; ph < PH; ph++) {
    const int64_t ih = ph - padT;
    for (int64_t pw = 0; pw < PW; pw++) {
      const int64_t iw = pw - padL;
      pad[ph * PW + pw] = ih >= 0 && ih < H && iw >= 0 && iw < W && pw < OW + KW - 1 ? x[ih * W + iw] : 0.f;
    }
  }
  v16 start[F];
  for (int f = 0; f < F; f++) start[f] = v16{} + (bias ? bias[f] : 0.f);
  for (int64_t oh = 0; oh < OH; oh++) {
    v16 lo[F], hi[F];
    for (int f = 0; f < F; f++) lo[f] = hi[f] = start[f];
    for (int64_t kh = 0; kh < KH; kh++) {
      const float *row = pad + (oh + kh) * PW;
      for (int64_t kw = 0; kw < KW; kw++) {
        const v16 xl = load16(row + kw), xh = load16(row + kw + 16);
        const float *tap = w + (kh * KW + kw) * F;
        for (int f = 0; f < F; f++) {
          lo[f] += tap[f] * xl;
          hi[f] += tap[f] * xh;
        }
      }
    }
    float planar[F][WIDE];
    for (int f = 0; f < F; f++) {
      v16 l = lo[f], h = hi[f];
      if (act == A_RELU) {
        // max(0, v) keeping NaN (the reference's relu).
        l = (l > 0.f) | (l != l) ? l : v16{};
        h = (h > 0.f) | (h != h) ? h : v16{};
      }
      std::memcpy(planar[f], &l, sizeof l);
      std::memcpy(planar[f] + 16, &h, sizeof h);
    }
    float *out = y + oh * OW * F;
    for (int64_t ow = 0; ow < OW; ow++)
      for (int f = 0; f < F; f++) out[ow * F + f] = planar[f][ow];
  }
}

template <int F>
void conv1chAll(const int32_t *a, const float *x, const float *w, const float *bias, float *y, int act) {
  const int64_t N = a[0], inImage = (int64_t)a[2] * a[3], outImage = (int64_t)a[11] * a[12] * F;
  forRange(N, N * outImage * a[6] * a[7], [=](int64_t n) { conv1chImage<F>(a, x + n * inImage, w, bias, y + n * outImage, act); });
}

}  // namespace

bool conv1ch(const int32_t *a, const float *x, const float *w, const float *bias, float *y, int act) {
  const bool plain = a[1] == 1 && a[5] == 1 && a[10] == 1 && a[4] == 1 && a[8] == 1 && a[25] == 1 && a[14] == 1 && a[15] == 1 &&
                     a[17] == 1 && a[18] == 1 && a[19] == 0 && a[20] == 0;
  if (!plain || a[12] > 32 || a[11] > 64 || a[6] > 7 || a[7] > 7 || (act != A_LINEAR && act != A_RELU)) return false;
  switch (a[9]) {
    case 4: conv1chAll<4>(a, x, w, bias, y, act); return true;
    case 6: conv1chAll<6>(a, x, w, bias, y, act); return true;
    case 8: conv1chAll<8>(a, x, w, bias, y, act); return true;
    default: return false;
  }
}


void scatterAdd(const int32_t *a, const float *updates, const int32_t *indices, float *y) {
  const int64_t outer = a[0], size = a[1], inner = a[2], n = a[3];
  // The caller then runs the reference, which names the bad index.
  if (!indicesBelow(indices, n, size)) throw std::out_of_range("scatterAdd: an index is out of range");
  std::memset(y, 0, sizeof(float) * outer * size * inner);
  // Rows of y are owned by one outer index each, so outer splits without races; indices
  // are applied in order within it, so repeated indices add up in order.
  forRange(outer, outer * n * inner, [&](int64_t o) {
    for (int64_t k = 0; k < n; k++) {
      const float *u = updates + (o * n + k) * inner;
      float *t = y + (o * size + indices[k]) * inner;
      for (int64_t i = 0; i < inner; i++) t[i] += u[i];
    }
  });
}

template <typename T>
void copyRows(const int32_t *a, const T *src, T *dst) {
  const int rank = a[0];
  const int64_t soff = a[2], doff = a[3];
  const int32_t *shape = a + 4, *ss = a + 4 + rank, *ds = a + 4 + 2 * rank;
  const int64_t len = shape[rank - 1], sl = ss[rank - 1], dl = ds[rank - 1];
  int64_t rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= shape[d];
  forRange(rows, rows * len, [&](int64_t r) {
    int64_t so = soff, dof = doff, rest = r;
    for (int d = rank - 2; d >= 0; d--) {
      const int64_t i = rest % shape[d];
      rest /= shape[d];
      so += i * ss[d];
      dof += i * ds[d];
    }
    const T *ps = src + so;
    T *pd = dst + dof;
    if (sl == 1 && dl == 1) std::memcpy(pd, ps, sizeof(T) * len);
    else for (int64_t i = 0; i < len; i++) pd[i * dl] = ps[i * sl];
  });
}

void copyStrided(const int32_t *a, const void *src, void *dst) {
  if (a[1] == 4) copyRows(a, (const int32_t *)src, (int32_t *)dst);
  else copyRows(a, (const uint8_t *)src, (uint8_t *)dst);
}

void broadcastLoop(const int32_t *args, const float *x, float *y) {
  Walk w{args[0], args + 1, {}};
  w.strides = {args + 1 + w.rank};
  const int64_t len = w.shape[w.rank - 1];
  const int64_t s = w.strides[0][w.rank - 1];
  const int64_t rows = w.rows();
  forRange(rows, rows * len, [&](int64_t r) {
    const float *px = x + w.offset(0, r);
    float *py = y + r * len;
    if (s == 1) std::memcpy(py, px, sizeof(float) * len);
    else for (int64_t i = 0; i < len; i++) py[i] = px[i * s];
  });
}

// ---- batch normalisation in training mode, relu's adjoint ----

namespace {

/**
 * Per-channel sums over the rows of [rows, C], in double: body(row, acc) adds row `row` into
 * acc[0..k·C). Rows are cut into one chunk per thread when the work is worth a parallel region;
 * the chunks' sums are added in order, so a result depends only on the thread count.
 */
template <typename Body>
std::vector<double> channelSums(int64_t rows, int64_t C, int k, Body body) {
  const int chunks = rows * C > PARALLEL ? std::max(1, omp_get_max_threads()) : 1;
  std::vector<double> part((size_t)(chunks * k * C), 0.0);
  auto run = [&](int t) {
    double *acc = part.data() + (size_t)t * k * C;
    const int64_t r0 = rows * t / chunks, r1 = rows * (t + 1) / chunks;
    for (int64_t r = r0; r < r1; r++) body(r, acc);
  };
  if (chunks == 1) run(0);
  else {
#pragma omp parallel for schedule(static)
    for (int t = 0; t < chunks; t++) run(t);
  }
  std::vector<double> total((size_t)(k * C), 0.0);
  for (int t = 0; t < chunks; t++)
    for (int64_t i = 0; i < k * C; i++) total[i] += part[(size_t)t * k * C + i];
  return total;
}

float epsilonOf(const int32_t *a) {
  float eps;
  std::memcpy(&eps, a + 2, sizeof eps);
  return eps;
}

}  // namespace

void batchNormTraining(const int32_t *a, const float *x, const float *gamma, const float *beta, float *y, float *mean, float *variance) {
  const int64_t rows = a[0], C = a[1];
  const float eps = epsilonOf(a);
  if (rows == 0) return;
  // Sums of x − s and (x − s)² with s the first row: shifted, so that a mean far from zero
  // does not cancel the variance's digits.
  const float *shift = x;
  std::vector<double> s = channelSums(rows, C, 2, [&](int64_t r, double *acc) {
    const float *__restrict px = x + r * C;
    for (int64_t c = 0; c < C; c++) {
      const double d = (double)px[c] - shift[c];
      acc[c] += d;
      acc[C + c] += d * d;
    }
  });
  // y = (x − s)·scale + ((s − μ)·scale + β): x − s is exact in float32 for data near s, and the
  // constant is formed in double, so a mean far from zero costs no digits (μ rounded to float32
  // would cost |μ|·2⁻²⁴·scale).
  std::vector<float> from((size_t)C), scale((size_t)C), constant((size_t)C);
  for (int64_t c = 0; c < C; c++) {
    const double m1 = s[c] / rows;
    const double var = std::max(0.0, s[C + c] / rows - m1 * m1);
    mean[c] = (float)(shift[c] + m1);
    variance[c] = (float)var;
    const double r = 1.0 / std::sqrt(var + eps);
    const double k = gamma ? gamma[c] * r : r;
    from[c] = shift[c];
    scale[c] = (float)k;
    constant[c] = (float)(-m1 * k + (beta ? beta[c] : 0.0));
  }
  forRange(rows, rows * C, [&](int64_t r) {
    const float *__restrict px = x + r * C;
    float *__restrict py = y + r * C;
    for (int64_t c = 0; c < C; c++) py[c] = (px[c] - from[c]) * scale[c] + constant[c];
  });
}

void batchNormTrainingGrad(const int32_t *a, const float *x, const float *dy, const float *mean, const float *variance, const float *gamma,
                           float *dx, float *dgamma, float *dbeta) {
  const int64_t rows = a[0], C = a[1];
  const float eps = epsilonOf(a);
  std::vector<double> s = channelSums(rows, C, 2, [&](int64_t r, double *acc) {
    const float *__restrict px = x + r * C;
    const float *__restrict pd = dy + r * C;
    for (int64_t c = 0; c < C; c++) {
      acc[c] += pd[c];
      acc[C + c] += (double)pd[c] * (px[c] - mean[c]);
    }
  });
  // dx = gr·(dy − mean(dy) − (x − μ)·k), with x − μ = (x − s) + (s − μ) as in the forward pass
  // (s the first row): the constant part, mean(dy) + (s − μ)·k, is formed in double.
  std::vector<float> from((size_t)C), gr((size_t)C), k((size_t)C), constant((size_t)C);
  for (int64_t c = 0; c < C; c++) {
    const double r = 1.0 / std::sqrt((double)variance[c] + eps);
    dbeta[c] = (float)s[c];
    dgamma[c] = (float)(s[C + c] * r);
    const double kc = rows ? r * r * s[C + c] / rows : 0.0;
    from[c] = rows ? x[c] : 0.f;
    gr[c] = (float)(gamma ? gamma[c] * r : r);
    k[c] = (float)kc;
    constant[c] = rows ? (float)(s[c] / rows + ((double)from[c] - mean[c]) * kc) : 0.f;
  }
  forRange(rows, rows * C, [&](int64_t r) {
    const float *__restrict px = x + r * C;
    const float *__restrict pd = dy + r * C;
    float *__restrict po = dx + r * C;
    for (int64_t c = 0; c < C; c++) po[c] = gr[c] * (pd[c] - (px[c] - from[c]) * k[c] - constant[c]);
  });
}

void reluBackprop(const int32_t *a, const float *x, const float *dy, float *dx) {
  // A select both of whose operands are loaded, so the compiler blends instead of branching.
  mapBinary(a[0], x, dy, dx, [](float v, float d) { return (v > 0.f) | (v != v) ? d : 0.f; });
}

}  // namespace hebb
