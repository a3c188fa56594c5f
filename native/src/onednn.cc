// The kernels oneDNN has primitives for: matmul, convolution forward and both backward passes,
// average pooling forward and backward, and eltwise. Primitives are created once per shape and
// kept in a cache keyed by the kernel and its integer arguments (and the thread count, since
// oneDNN sizes its work split and scratchpad for the threads it sees at creation). Every
// primitive uses one shared scratchpad (user mode), grown as needed: kernels run one at a time
// on the JavaScript thread, so they never need it at once. Weights reordered into a blocked
// layout stay in their entry with the stamp of the user's buffer they came from (its version,
// from the backend), and are not reordered again while the same version comes back.
#include <dnnl.hpp>
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "engine.h"
#include "hebb.h"

namespace hebb {
namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::stream &stream() {
  static dnnl::stream s(engine());
  return s;
}

/** A 64-byte aligned native allocation. */
struct Aligned {
  void *ptr = nullptr;
  size_t bytes = 0;
  void reserve(size_t n) {
    if (n <= bytes) return;
    std::free(ptr);
    bytes = (n + 63) / 64 * 64;
    ptr = std::aligned_alloc(64, bytes);
    if (!ptr) {
      bytes = 0;
      throw std::bad_alloc();
    }
  }
  ~Aligned() { std::free(ptr); }
};

Aligned scratch;     // the one scratchpad every primitive shares
int64_t weightBytes = 0;  // bytes of reordered-weight buffers held by cache entries
std::string lastImpl;
int64_t reorders = 0;  // weight reorders run (before or after a primitive), for tests of the stamp cache

/** One cached kernel: its primitives, memory objects whose handles are set per call, and buffers. */
struct Entry {
  dnnl::primitive main;
  std::vector<std::pair<int, memory>> args;  // DNNL_ARG_* → memory (handles set at execution)
  memory scratchMem;
  size_t scratchBytes = 0;
  // An optional reorder of the user's weights into the primitive's layout (before), or of the
  // primitive's weight gradient into the user's layout (after), through `staged`.
  dnnl::primitive reorder;
  memory userWeights, stagedWeights;
  bool reorderBefore = false, reorderAfter = false;
  Aligned staged;
  // What `staged` holds (reorderBefore): the user's buffer and the stamp of its contents then.
  const void *stagedFrom = nullptr;
  int64_t stagedStamp = 0;
};

std::unordered_map<std::string, std::unique_ptr<Entry>> cache;

/** Below this much work (multiply-adds, or elements × 8) a primitive runs on one thread (4M: ~1 ms). */
constexpr int64_t SMALL_WORK = 1 << 22;

/**
 * Runs a kernel of `work` on one thread when it is small: entering an OpenMP region costs
 * microseconds on a quiet machine and a scheduler tick when another process holds the core a
 * team thread waits on. The thread count is part of every cache key, so a small problem gets
 * a primitive created for one thread (oneDNN sizes its split at creation).
 */
struct ThreadScope {
  int saved;
  explicit ThreadScope(int64_t work) : saved(omp_get_max_threads()) {
    if (work < SMALL_WORK && saved > 1) omp_set_num_threads(1);
  }
  ~ThreadScope() {
    if (omp_get_max_threads() != saved) omp_set_num_threads(saved);
  }
};
constexpr size_t MAX_ENTRIES = 512;

std::string keyOf(char kind, const int32_t *args, int n) {
  std::string key(1 + sizeof(int32_t) * (n + 1), '\0');
  key[0] = kind;
  int32_t threads = omp_get_max_threads();
  std::memcpy(&key[1], args, sizeof(int32_t) * n);
  std::memcpy(&key[1 + sizeof(int32_t) * n], &threads, sizeof(int32_t));
  return key;
}

dnnl::primitive_attr userScratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

template <typename PD>
void finishEntry(Entry &e, const PD &pd) {
  e.scratchBytes = pd.scratchpad_desc().get_size();
  if (e.scratchBytes > 0) e.scratchMem = memory(pd.scratchpad_desc(), engine(), DNNL_MEMORY_NONE);
  const char *impl = pd.impl_info_str();
  lastImpl = impl ? impl : "";
}

/** The cached entry for `key`, or a new one that `build(entry)` fills and the cache keeps. */
template <typename Build>
Entry &cached(std::string key, Build build) {
  auto it = cache.find(key);
  if (it != cache.end()) return *it->second;
  auto e = std::make_unique<Entry>();
  build(*e);
  if (cache.size() >= MAX_ENTRIES) clearCache();
  return *cache.emplace(std::move(key), std::move(e)).first->second;
}

/**
 * Run an entry with the given data pointers, in the order of e.args; `userW` is the user's
 * weights where the entry stages them, `stamp` the version of their contents (0: unknown).
 */
void execute(Entry &e, std::initializer_list<void *> ptrs, void *userW = nullptr, int64_t stamp = 0) {
  std::vector<dnnl_exec_arg_t> exec;
  exec.reserve(e.args.size() + 1);
  auto p = ptrs.begin();
  for (auto &[arg, mem] : e.args) {
    void *ptr = *p++;
    if (ptr) mem.set_data_handle(ptr);
    exec.push_back({arg, mem.get()});
  }
  if (e.scratchBytes > 0) {
    scratch.reserve(e.scratchBytes);
    e.scratchMem.set_data_handle(scratch.ptr);
    exec.push_back({DNNL_ARG_SCRATCHPAD, e.scratchMem.get()});
  }
  auto runReorder = [&] {
    reorders++;
    e.userWeights.set_data_handle(userW);
    dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, e.reorderBefore ? e.userWeights.get() : e.stagedWeights.get()},
                            {DNNL_ARG_TO, e.reorderBefore ? e.stagedWeights.get() : e.userWeights.get()}};
    dnnl::error::wrap_c_api(dnnl_primitive_execute(e.reorder.get(), stream().get(), 2, r), "reorder");
  };
  if (e.reorderBefore && (stamp == 0 || e.stagedFrom != userW || e.stagedStamp != stamp)) {
    e.stagedFrom = nullptr;  // not valid until the reorder has run
    runReorder();
    e.stagedFrom = userW;
    e.stagedStamp = stamp;
  }
  dnnl::error::wrap_c_api(dnnl_primitive_execute(e.main.get(), stream().get(), (int)exec.size(), exec.data()), "execute");
  if (e.reorderAfter) runReorder();
  stream().wait();
}

/** Give `e` a staging buffer in `primitiveMd` and a reorder between it and the user's layout. */
void stageWeights(Entry &e, const memory::desc &userMd, const memory::desc &primitiveMd, bool before) {
  size_t bytes = primitiveMd.get_size();
  e.staged.reserve(bytes);
  weightBytes += (int64_t)e.staged.bytes;
  e.userWeights = memory(userMd, engine(), DNNL_MEMORY_NONE);
  e.stagedWeights = memory(primitiveMd, engine(), e.staged.ptr);
  if (before) {
    e.reorder = dnnl::reorder(dnnl::reorder::primitive_desc(engine(), userMd, engine(), primitiveMd));
    e.reorderBefore = true;
  } else {
    e.reorder = dnnl::reorder(dnnl::reorder::primitive_desc(engine(), primitiveMd, engine(), userMd));
    e.reorderAfter = true;
  }
}

// ---- convolution geometry ----

struct ConvGeo {
  memory::desc src, wei, dst, weiAny;
  memory::dims strides, dilates, padL, padR;
};

/**
 * Memory descriptors over the user's channels-last buffers. With no depth (D = KD = OD = 1,
 * no depth padding) the problem is 2-D, which oneDNN has more implementations for.
 */
ConvGeo convGeo(const int32_t *a) {
  const int64_t N = a[0], D = a[1], H = a[2], W = a[3], C = a[4], KD = a[5], KH = a[6], KW = a[7], CG = a[8], F = a[9],
                OD = a[10], OH = a[11], OW = a[12];
  const int64_t G = a[25], FG = F / G;
  const bool flat = D == 1 && KD == 1 && OD == 1 && a[19] == 0 && a[20] == 0;
  ConvGeo g;
  auto act = [&](int64_t ch, int64_t d, int64_t h, int64_t w) {
    if (flat) return memory::desc({N, ch, h, w}, dt::f32, memory::dims{h * w * ch, 1, w * ch, ch});
    return memory::desc({N, ch, d, h, w}, dt::f32, memory::dims{d * h * w * ch, 1, h * w * ch, w * ch, ch});
  };
  g.src = act(C, D, H, W);
  g.dst = act(F, OD, OH, OW);
  // Weights [KD, KH, KW, CG, G, FG] in memory; oneDNN's dims are (G,) FG, CG, (KD,) KH, KW.
  memory::dims wd, ws;
  if (G > 1) {
    wd = {G, FG, CG};
    ws = {FG, 1, F};
  } else {
    wd = {F, CG};
    ws = {1, F};
  }
  if (!flat) {
    wd.push_back(KD);
    ws.push_back(KH * KW * CG * F);
  }
  wd.push_back(KH);
  ws.push_back(KW * CG * F);
  wd.push_back(KW);
  ws.push_back(CG * F);
  g.wei = memory::desc(wd, dt::f32, ws);
  g.weiAny = memory::desc(wd, dt::f32, tag::any);
  // oneDNN counts dilation from 0 (no gaps).
  if (flat) {
    g.strides = {a[14], a[15]};
    g.dilates = {a[17] - 1, a[18] - 1};
    g.padL = {a[21], a[23]};
    g.padR = {a[22], a[24]};
  } else {
    g.strides = {a[13], a[14], a[15]};
    g.dilates = {a[16] - 1, a[17] - 1, a[18] - 1};
    g.padL = {a[19], a[21], a[23]};
    g.padR = {a[20], a[22], a[24]};
  }
  return g;
}

dnnl::convolution_forward::primitive_desc convForwardPd(const ConvGeo &g, const dnnl::primitive_attr &attr) {
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, g.src, g.weiAny,
                                    g.dst, g.strides, g.dilates, g.padL, g.padR);
  return dnnl::convolution_forward::primitive_desc(d, attr, engine());
}

struct PoolGeo {
  memory::desc src, dst;
  memory::dims strides, kernel, padL, padR;
};

PoolGeo poolGeo(const int32_t *a) {
  const int64_t N = a[0], D = a[1], H = a[2], W = a[3], C = a[4], OD = a[5], OH = a[6], OW = a[7];
  const bool flat = D == 1 && OD == 1 && a[8] == 1 && a[14] == 0 && a[15] == 0;
  PoolGeo g;
  auto act = [&](int64_t d, int64_t h, int64_t w) {
    if (flat) return memory::desc({N, C, h, w}, dt::f32, memory::dims{h * w * C, 1, w * C, C});
    return memory::desc({N, C, d, h, w}, dt::f32, memory::dims{d * h * w * C, 1, h * w * C, w * C, C});
  };
  g.src = act(D, H, W);
  g.dst = act(OD, OH, OW);
  if (flat) {
    g.kernel = {a[9], a[10]};
    g.strides = {a[12], a[13]};
    g.padL = {a[16], a[18]};
    g.padR = {a[17], a[19]};
  } else {
    g.kernel = {a[8], a[9], a[10]};
    g.strides = {a[11], a[12], a[13]};
    g.padL = {a[14], a[16], a[18]};
    g.padR = {a[15], a[17], a[19]};
  }
  return g;
}

dnnl::pooling_forward::primitive_desc avgPoolPd(const PoolGeo &g, dnnl::prop_kind kind, const dnnl::primitive_attr &attr) {
  // Padded positions are not part of a window: TensorFlow's rule, and src/backend/cpu/pool.ts's.
  dnnl::pooling_forward::desc d(kind, dnnl::algorithm::pooling_avg_exclude_padding, g.src, g.dst, g.strides, g.kernel,
                                g.padL, g.padR);
  return dnnl::pooling_forward::primitive_desc(d, attr, engine());
}

/** The weights' stamp after the conv geometry (two 30-bit halves; see src/backend/native/kernels.ts). */
int64_t convStamp(const int32_t *a) { return (int64_t)a[CONV_ARGS] + ((int64_t)a[CONV_ARGS + 1] << 30); }

/** Multiply-adds of a convolution: outputs × taps × input channels per group. */
int64_t convWork(const int32_t *a) {
  return (int64_t)a[0] * a[10] * a[11] * a[12] * a[9] * a[5] * a[6] * a[7] * a[8];
}

int64_t poolWork(const int32_t *a) {
  return (int64_t)a[0] * a[5] * a[6] * a[7] * a[4] * a[8] * a[9] * a[10];
}

}  // namespace

// ---- matmul ----

/**
 * Memory descriptors of a matmul's operands over the user's row-major buffers (args as in
 * hebb.h); `packedB`: B in the layout oneDNN picks (format any) instead of the user's.
 */
namespace {

/** A fused kernel's bias flag and activation (hebb.h, Act). */
struct Epilogue {
  bool bias = false;
  int act = A_LINEAR;
};

/**
 * The user-scratchpad attribute with sigmoid or tanh as an eltwise post-op. Not relu: oneDNN's
 * turns NaN into 0, where the reference (maximum(0, x)) keeps it; reluKeepingNaN runs after.
 */
dnnl::primitive_attr epilogueAttr(const Epilogue &ep) {
  auto attr = userScratchpad();
  if (ep.act == A_SIGMOID || ep.act == A_TANH) {
    const auto alg = ep.act == A_SIGMOID ? dnnl::algorithm::eltwise_logistic : dnnl::algorithm::eltwise_tanh;
    dnnl::post_ops po;
    po.append_eltwise(1.f, alg, 0.f, 0.f);
    attr.set_post_ops(po);
  }
  return attr;
}

/** y = max(0, y) in place, NaN staying NaN (the reference's relu); one vectorised pass over cache-warm output. */
void reluKeepingNaN(const Epilogue &ep, float *__restrict y, int64_t n) {
  if (ep.act != A_RELU) return;
  for (int64_t i = 0; i < n; i++) y[i] = (y[i] > 0.f) | (y[i] != y[i]) ? y[i] : 0.f;
}

/** A cache key with the epilogue after the geometry. */
std::string epilogueKey(char kind, const int32_t *a, int n, const Epilogue &ep) {
  return keyOf(kind, a, n) + (char)ep.bias + (char)ep.act;
}


/**
 * Memory descriptors of a matmul's operands over the user's row-major buffers (args as in
 * hebb.h); `packedB`: B in the layout oneDNN picks (format any) instead of the user's; `ep`:
 * a bias over N and an activation, done by the primitive (post-ops).
 */
dnnl::matmul::primitive_desc matmulPd(const int32_t *a, memory::desc &am, memory::desc &bm, memory::desc &ym, bool packedB,
                                      const Epilogue &ep = {}) {
  const int64_t M = a[0], N = a[1], K = a[2], Ba = a[3], Bb = a[4], Bt = a[5];
  const bool ta = a[6] != 0, tb = a[7] != 0;
  memory::desc biasMd;
  if (Bt == 1) {
    am = memory::desc({M, K}, dt::f32, ta ? memory::dims{1, M} : memory::dims{K, 1});
    bm = memory::desc({K, N}, dt::f32, tb ? memory::dims{1, K} : memory::dims{N, 1});
    ym = memory::desc({M, N}, dt::f32, memory::dims{N, 1});
    if (ep.bias) biasMd = memory::desc({1, N}, dt::f32, memory::dims{N, 1});
  } else {
    // A batch of 1 is broadcast over the others (oneDNN's matmul broadcasts batch dims).
    am = memory::desc({Ba, M, K}, dt::f32, ta ? memory::dims{M * K, 1, M} : memory::dims{M * K, K, 1});
    bm = memory::desc({Bb, K, N}, dt::f32, tb ? memory::dims{K * N, 1, K} : memory::dims{K * N, N, 1});
    ym = memory::desc({Bt, M, N}, dt::f32, memory::dims{M * N, N, 1});
    if (ep.bias) biasMd = memory::desc({1, 1, N}, dt::f32, memory::dims{N, N, 1});
  }
  auto attr = epilogueAttr(ep);
  memory::desc b = packedB ? memory::desc(bm.dims(), dt::f32, tag::any) : bm;
  if (ep.bias) return dnnl::matmul::primitive_desc(dnnl::matmul::desc(am, b, biasMd, ym), attr, engine());
  return dnnl::matmul::primitive_desc(dnnl::matmul::desc(am, b, ym), attr, engine());
}


/**
 * y = act(a·b + bias). B comes in the user's layout, unless the same version of the same 2-D B
 * (a layer's weights in inference: args 8 and 9 carry its stamp) comes back: from its second
 * use on it is packed once into the layout oneDNN prefers and multiplied from there (the packed
 * copy is kept while the stamp holds). A B seen once, as in training, is never packed.
 */
void matmulWith(const int32_t *a, const float *A, const float *B, const float *bias, float *Y, const Epilogue &ep) {
  ThreadScope threads((int64_t)a[0] * a[1] * a[2] * a[5]);
  auto operands = [&](Entry &entry, const memory::desc &am, const memory::desc &ym, memory weights, const dnnl::matmul::primitive_desc &pd) {
    entry.args = {{DNNL_ARG_SRC, memory(am, engine(), DNNL_MEMORY_NONE)},
                  {DNNL_ARG_WEIGHTS, weights},
                  {DNNL_ARG_DST, memory(ym, engine(), DNNL_MEMORY_NONE)}};
    if (ep.bias) entry.args.push_back({DNNL_ARG_BIAS, memory(pd.bias_desc(), engine(), DNNL_MEMORY_NONE)});
  };
  Entry &e = cached(epilogueKey('m', a, 8, ep), [&](Entry &entry) {
    memory::desc am, bm, ym;
    auto pd = matmulPd(a, am, bm, ym, false, ep);
    entry.main = dnnl::matmul(pd);
    operands(entry, am, ym, memory(bm, engine(), DNNL_MEMORY_NONE), pd);
    finishEntry(entry, pd);
  });
  const int64_t stamp = (int64_t)a[8] + ((int64_t)a[9] << 30);
  const bool again = stamp != 0 && a[5] == 1 && e.stagedFrom == B && e.stagedStamp == stamp;
  // The plain entry's staged* fields record the last B it saw (it never stages).
  e.stagedFrom = B;
  e.stagedStamp = stamp;
  if (again) {
    Entry &p = cached(epilogueKey('M', a, 8, ep), [&](Entry &entry) {
      memory::desc am, bm, ym;
      auto pd = matmulPd(a, am, bm, ym, true, ep);
      entry.main = dnnl::matmul(pd);
      bool stage = pd.weights_desc() != bm;
      if (stage) stageWeights(entry, bm, pd.weights_desc(), true);
      operands(entry, am, ym, stage ? entry.stagedWeights : memory(bm, engine(), DNNL_MEMORY_NONE), pd);
      finishEntry(entry, pd);
    });
    const bool staged = p.reorderBefore;
    if (ep.bias) execute(p, {(void *)A, staged ? nullptr : (void *)B, (void *)Y, (void *)bias}, (void *)B, stamp);
    else execute(p, {(void *)A, staged ? nullptr : (void *)B, (void *)Y}, (void *)B, stamp);
    reluKeepingNaN(ep, Y, (int64_t)a[0] * a[1] * a[5]);
    return;
  }
  if (ep.bias) execute(e, {(void *)A, (void *)B, (void *)Y, (void *)bias});
  else execute(e, {(void *)A, (void *)B, (void *)Y});
  reluKeepingNaN(ep, Y, (int64_t)a[0] * a[1] * a[5]);
}

}  // namespace

void matmul(const int32_t *a, const float *A, const float *B, float *Y) { matmulWith(a, A, B, nullptr, Y, Epilogue{}); }

void fusedMatmul(const int32_t *a, const float *A, const float *B, const float *bias, float *Y) {
  matmulWith(a, A, B, bias, Y, Epilogue{a[10] != 0, a[11]});
}

// ---- convolution ----

void conv(const int32_t *a, const float *x, const float *w, float *y) {
  ThreadScope threads(convWork(a));
  Entry &e = cached(keyOf('c', a, CONV_ARGS), [&](Entry &entry) {
    ConvGeo g = convGeo(a);
    auto attr = userScratchpad();
    auto pd = convForwardPd(g, attr);
    entry.main = dnnl::convolution_forward(pd);
    bool stage = pd.weights_desc() != g.wei;
    if (stage) stageWeights(entry, g.wei, pd.weights_desc(), true);
    entry.args = {{DNNL_ARG_SRC, memory(g.src, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_WEIGHTS, stage ? entry.stagedWeights : memory(g.wei, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DST, memory(g.dst, engine(), DNNL_MEMORY_NONE)}};
    finishEntry(entry, pd);
  });
  const bool staged = e.reorderBefore;
  execute(e, {(void *)x, staged ? nullptr : (void *)w, (void *)y}, (void *)w, convStamp(a));
}

/** conv, then the bias and activation as the primitive's own bias and post-op (inference only, so no training hint). */
void fusedConv(const int32_t *a, const float *x, const float *w, const float *bias, float *y) {
  const Epilogue ep{a[CONV_ARGS + 2] != 0, a[CONV_ARGS + 3]};
  // One input channel (LeNet's first layer): oneDNN reaches ~35 GFLOP/s on it, our loop far more.
  if (conv1ch(a, x, w, ep.bias ? bias : nullptr, y, ep.act)) {
    lastImpl = "hebb:conv1ch";
    return;
  }
  ThreadScope threads(convWork(a));
  Entry &e = cached(epilogueKey('C', a, CONV_ARGS, ep), [&](Entry &entry) {
    ConvGeo g = convGeo(a);
    auto attr = epilogueAttr(ep);
    const int64_t F = a[9];
    memory::desc biasMd({F}, dt::f32, memory::dims{1});
    auto d = ep.bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, g.src,
                                                       g.weiAny, biasMd, g.dst, g.strides, g.dilates, g.padL, g.padR)
                     : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, g.src,
                                                       g.weiAny, g.dst, g.strides, g.dilates, g.padL, g.padR);
    dnnl::convolution_forward::primitive_desc pd(d, attr, engine());
    entry.main = dnnl::convolution_forward(pd);
    bool stage = pd.weights_desc() != g.wei;
    if (stage) stageWeights(entry, g.wei, pd.weights_desc(), true);
    entry.args = {{DNNL_ARG_SRC, memory(g.src, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_WEIGHTS, stage ? entry.stagedWeights : memory(g.wei, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DST, memory(g.dst, engine(), DNNL_MEMORY_NONE)}};
    if (ep.bias) entry.args.push_back({DNNL_ARG_BIAS, memory(biasMd, engine(), DNNL_MEMORY_NONE)});
    finishEntry(entry, pd);
  });
  const bool staged = e.reorderBefore;
  if (ep.bias) execute(e, {(void *)x, staged ? nullptr : (void *)w, (void *)y, (void *)bias}, (void *)w, convStamp(a));
  else execute(e, {(void *)x, staged ? nullptr : (void *)w, (void *)y}, (void *)w, convStamp(a));
  reluKeepingNaN(ep, y, (int64_t)a[0] * a[10] * a[11] * a[12] * a[9]);
}

void convBackpropInput(const int32_t *a, const float *dy, const float *w, float *dx) {
  ThreadScope threads(convWork(a));
  Entry &e = cached(keyOf('d', a, CONV_ARGS), [&](Entry &entry) {
    ConvGeo g = convGeo(a);
    auto attr = userScratchpad();
    auto hint = convForwardPd(g, attr);
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, g.src, g.weiAny, g.dst, g.strides, g.dilates,
                                            g.padL, g.padR);
    dnnl::convolution_backward_data::primitive_desc pd(d, attr, engine(), hint);
    entry.main = dnnl::convolution_backward_data(pd);
    bool stage = pd.weights_desc() != g.wei;
    if (stage) stageWeights(entry, g.wei, pd.weights_desc(), true);
    entry.args = {{DNNL_ARG_DIFF_DST, memory(g.dst, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_WEIGHTS, stage ? entry.stagedWeights : memory(g.wei, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DIFF_SRC, memory(g.src, engine(), DNNL_MEMORY_NONE)}};
    finishEntry(entry, pd);
  });
  const bool staged = e.reorderBefore;
  execute(e, {(void *)dy, staged ? nullptr : (void *)w, (void *)dx}, (void *)w, convStamp(a));
}

void convBackpropFilter(const int32_t *a, const float *x, const float *dy, float *dw) {
  ThreadScope threads(convWork(a));
  Entry &e = cached(keyOf('f', a, CONV_ARGS), [&](Entry &entry) {
    ConvGeo g = convGeo(a);
    auto attr = userScratchpad();
    auto hint = convForwardPd(g, attr);
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, g.src, g.weiAny, g.dst, g.strides,
                                               g.dilates, g.padL, g.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(d, attr, engine(), hint);
    entry.main = dnnl::convolution_backward_weights(pd);
    bool stage = pd.diff_weights_desc() != g.wei;
    if (stage) stageWeights(entry, g.wei, pd.diff_weights_desc(), false);
    entry.args = {{DNNL_ARG_SRC, memory(g.src, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DIFF_DST, memory(g.dst, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DIFF_WEIGHTS, stage ? entry.stagedWeights : memory(g.wei, engine(), DNNL_MEMORY_NONE)}};
    finishEntry(entry, pd);
  });
  const bool staged = e.reorderAfter;
  execute(e, {(void *)x, (void *)dy, staged ? nullptr : (void *)dw}, (void *)dw);
}

// ---- average pooling ----

void avgPool(const int32_t *a, const float *x, float *y) {
  ThreadScope threads(poolWork(a));
  Entry &e = cached(keyOf('p', a, POOL_ARGS), [&](Entry &entry) {
    PoolGeo g = poolGeo(a);
    auto attr = userScratchpad();
    auto pd = avgPoolPd(g, dnnl::prop_kind::forward_inference, attr);
    entry.main = dnnl::pooling_forward(pd);
    entry.args = {{DNNL_ARG_SRC, memory(g.src, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DST, memory(g.dst, engine(), DNNL_MEMORY_NONE)}};
    finishEntry(entry, pd);
  });
  execute(e, {(void *)x, (void *)y});
}

void avgPoolBackprop(const int32_t *a, const float *dy, float *dx) {
  ThreadScope threads(poolWork(a));
  Entry &e = cached(keyOf('q', a, POOL_ARGS), [&](Entry &entry) {
    PoolGeo g = poolGeo(a);
    auto attr = userScratchpad();
    auto hint = avgPoolPd(g, dnnl::prop_kind::forward_training, attr);
    dnnl::pooling_backward::desc d(dnnl::algorithm::pooling_avg_exclude_padding, g.src, g.dst, g.strides, g.kernel, g.padL,
                                   g.padR);
    dnnl::pooling_backward::primitive_desc pd(d, attr, engine(), hint);
    entry.main = dnnl::pooling_backward(pd);
    entry.args = {{DNNL_ARG_DIFF_DST, memory(g.dst, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DIFF_SRC, memory(g.src, engine(), DNNL_MEMORY_NONE)}};
    finishEntry(entry, pd);
  });
  execute(e, {(void *)dy, (void *)dx});
}

// ---- max pooling ----

/**
 * Max pooling by oneDNN, with the flat input index of each maximum recovered from oneDNN's
 * workspace (the window offset of the maximum, in dst's layout). Returns false (having
 * written nothing the caller keeps) where the workspace is not laid out like dst or an output
 * is NaN: the caller's own loop then applies the reference's NaN rule.
 */
bool maxPoolOneDnn(const int32_t *a, const float *x, float *y, int32_t *argmax) {
  ThreadScope threads(poolWork(a));
  Entry &e = cached(keyOf(argmax ? 'x' : 'y', a, POOL_ARGS), [&](Entry &entry) {
    PoolGeo g = poolGeo(a);
    auto attr = userScratchpad();
    dnnl::pooling_forward::desc d(argmax ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference,
                                  dnnl::algorithm::pooling_max, g.src, g.dst, g.strides, g.kernel, g.padL, g.padR);
    dnnl::pooling_forward::primitive_desc pd(d, attr, engine());
    entry.main = dnnl::pooling_forward(pd);
    entry.args = {{DNNL_ARG_SRC, memory(g.src, engine(), DNNL_MEMORY_NONE)},
                   {DNNL_ARG_DST, memory(g.dst, engine(), DNNL_MEMORY_NONE)}};
    if (argmax) {
      memory::desc ws = pd.workspace_desc();
      if (ws.data_type() != dt::u8 && ws.data_type() != dt::s32) throw std::runtime_error("unexpected workspace type");
      std::vector<int64_t> strides(g.dst.data.format_desc.blocking.strides, g.dst.data.format_desc.blocking.strides + g.dst.data.ndims);
      if (ws != memory::desc(g.dst.dims(), ws.data_type(), strides)) throw std::runtime_error("workspace not laid out like dst");
      entry.staged.reserve(ws.get_size());
      weightBytes += (int64_t)entry.staged.bytes;
      entry.args.push_back({DNNL_ARG_WORKSPACE, memory(ws, engine(), entry.staged.ptr)});
      entry.reorderAfter = ws.data_type() == dt::s32;  // marks the index width (no reorder runs)
    }
    finishEntry(entry, pd);
  });
  const int64_t N = a[0], D = a[1], H = a[2], W = a[3], C = a[4], OD = a[5], OH = a[6], OW = a[7];
  // oneDNN's max drops NaN; inputs with one go to the caller's loop (the reference's rule).
  const int64_t xn = N * D * H * W * C;
  bool nan = false;
  for (int64_t i = 0; i < xn; i++) nan |= x[i] != x[i];
  if (nan) return false;
  // The workspace memory keeps its handle (nullptr: leave it). A reorder flag is only a width mark here.
  const bool wide = e.reorderAfter;
  e.reorderAfter = false;
  if (argmax) execute(e, {(void *)x, (void *)y, nullptr});
  else execute(e, {(void *)x, (void *)y});
  e.reorderAfter = wide;
  if (!argmax) return true;
  const int64_t KD = a[8], KH = a[9], KW = a[10], sd = a[11], sh = a[12], sw = a[13], pd = a[14], ph = a[16], pw = a[18];
  const uint8_t *w8 = (const uint8_t *)e.staged.ptr;
  const int32_t *w32 = (const int32_t *)e.staged.ptr;
  // ws holds k = (i·KH + j)·KW + l, the maximum's offset in its window counted from the
  // window's (possibly padded) corner; the flat index is the corner's plus offsets[k] plus c.
  std::vector<int32_t> offsets((size_t)(KD * KH * KW));
  for (int64_t k = 0; k < KD * KH * KW; k++) offsets[k] = (int32_t)((((k / (KH * KW)) * H + (k / KW) % KH) * W + k % KW) * C);
  for (int64_t o = 0; o < N * OD * OH * OW; o++) {
    const int64_t ow = o % OW, t = o / OW, oh = t % OH, t2 = t / OH, od = t2 % OD, b = t2 / OD;
    const int32_t corner = (int32_t)((((b * D + od * sd - pd) * H + oh * sh - ph) * W + ow * sw - pw) * C);
    int32_t *out = argmax + o * C;
    if (wide) for (int64_t c = 0; c < C; c++) out[c] = corner + offsets[w32[o * C + c]] + (int32_t)c;
    else for (int64_t c = 0; c < C; c++) out[c] = corner + offsets[w8[o * C + c]] + (int32_t)c;
  }
  return true;
}

// ---- eltwise ----

bool eltwise(int op, int64_t n, const float *x, float *y) {
  dnnl::algorithm alg;
  float alpha = 0, beta = 0;
  switch (op) {
    case U_NEG: alg = dnnl::algorithm::eltwise_linear; alpha = -1; break;
    case U_ABS: alg = dnnl::algorithm::eltwise_abs; break;
    case U_EXP: alg = dnnl::algorithm::eltwise_exp; break;
    case U_SQRT: alg = dnnl::algorithm::eltwise_sqrt; break;
    case U_SIGMOID: alg = dnnl::algorithm::eltwise_logistic; break;
    case U_TANH: alg = dnnl::algorithm::eltwise_tanh; break;
    case U_ROUND: alg = dnnl::algorithm::eltwise_round; break;
    default: return false;
  }
  ThreadScope threads(n * 8);
  int32_t args[2] = {op, (int32_t)n};
  Entry &e = cached(keyOf('e', args, 2), [&](Entry &entry) {
    memory::desc md({n}, dt::f32, tag::a);
    auto attr = userScratchpad();
    dnnl::eltwise_forward::primitive_desc pd(dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, alg, md, alpha, beta),
                                             attr, engine());
    entry.main = dnnl::eltwise_forward(pd);
    entry.args = {{DNNL_ARG_SRC, memory(md, engine(), DNNL_MEMORY_NONE)}, {DNNL_ARG_DST, memory(md, engine(), DNNL_MEMORY_NONE)}};
    finishEntry(entry, pd);
  });
  execute(e, {(void *)x, (void *)y});
  // oneDNN's polynomial kernels do not all carry NaN through (exp(NaN) gives ∞): restore it.
  for (int64_t i = 0; i < n; i++) y[i] = x[i] != x[i] ? x[i] : y[i];
  return true;
}

// ---- threads and the cache ----

// The thread count is part of every key, so entries for other counts stay valid (and bounded by MAX_ENTRIES).
void setThreads(int n) { omp_set_num_threads(n); }

int getThreads() { return omp_get_max_threads(); }

void clearCache() {
  cache.clear();
  clearRecurrentCache();
  weightBytes = 0;
}

int64_t cachedBytes() { return weightBytes + (int64_t)scratch.bytes; }

int64_t cachedPrimitives() { return (int64_t)cache.size(); }

int64_t weightReorders() { return reorders; }

std::string lastImplementation() { return lastImpl; }

std::string describe() {
  const dnnl_version_t *v = dnnl_version();
  std::string isa;
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx512_core_amx: isa = "avx512_core_amx"; break;
    case dnnl::cpu_isa::avx512_core_bf16: isa = "avx512_core_bf16"; break;
    case dnnl::cpu_isa::avx512_core_vnni: isa = "avx512_core_vnni"; break;
    case dnnl::cpu_isa::avx512_core: isa = "avx512_core"; break;
    case dnnl::cpu_isa::avx2: isa = "avx2"; break;
    case dnnl::cpu_isa::avx: isa = "avx"; break;
    case dnnl::cpu_isa::sse41: isa = "sse41"; break;
    default: isa = "other"; break;
  }
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) + ", isa " + isa +
         ", OpenMP";
}

}  // namespace hebb
