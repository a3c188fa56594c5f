// Shared declarations of the native backend's addon. The JavaScript side (src/backend/native/)
// writes each kernel's integer arguments into one shared Int32Array (`args`), passes buffers
// as typed arrays, and these functions fill the outputs. Layout is channels-last throughout,
// as in src/backend/kernels.ts.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace hebb {

// ---- oneDNN kernels (onednn.cc) ----
// Each takes pointers to float32 data and the argument slots; throws std::exception (a
// dnnl::error or std::runtime_error) when oneDNN has no implementation for the geometry, and
// then has written nothing.

/**
 * args: M, N, K, batchA, batchB, batch, transposeA, transposeB, then the stamp of b's contents
 * (low, high 30 bits; 0: unknown). a, b → y [batch, M, N].
 */
void matmul(const int32_t *args, const float *a, const float *b, float *y);

/** The activations a fused kernel applies after its bias (src/backend/kernels.ts, FusedActivation). */
enum Act { A_LINEAR, A_RELU, A_SIGMOID, A_TANH };

/**
 * y = act(a·b + bias) in one oneDNN matmul with post-ops: args as matmul (batch 1), then slot
 * 10 whether there is a bias [N] (bias may be null otherwise), slot 11 the Act code.
 */
void fusedMatmul(const int32_t *args, const float *a, const float *b, const float *bias, float *y);

/**
 * Convolution geometry, 26 slots: N D H W C  KD KH KW CG F  OD OH OW  sd sh sw  dd dh dw
 * pd0 pd1 ph0 ph1 pw0 pw1 groups. Weights are [KD, KH, KW, CG, F] (F = groups · FG). Then two
 * slots, the stamp of the weights' contents (low, high 30 bits; 0: unknown), for conv and
 * convBackpropInput, which keep weights they reordered and skip the reorder for the same stamp.
 */
constexpr int CONV_ARGS = 26;
void conv(const int32_t *args, const float *x, const float *w, float *y);
void convBackpropInput(const int32_t *args, const float *dy, const float *w, float *dx);
void convBackpropFilter(const int32_t *args, const float *x, const float *dy, float *dw);
/** y = act(conv(x, w) + bias): CONV_ARGS geometry, the weights' stamp, then a bias flag and the Act code. */
void fusedConv(const int32_t *args, const float *x, const float *w, const float *bias, float *y);

/** Pool geometry, 20 slots: N D H W C  OD OH OW  kd kh kw  sd sh sw  pd0 pd1 ph0 ph1 pw0 pw1. */
constexpr int POOL_ARGS = 20;
void avgPool(const int32_t *args, const float *x, float *y);
void avgPoolBackprop(const int32_t *args, const float *dy, float *dx);
/** Max pooling by oneDNN with flat argmax (may be null); false where the caller's loop must run. */
bool maxPoolOneDnn(const int32_t *args, const float *x, float *y, int32_t *argmax);

/** oneDNN eltwise for the unary ops it has (code as in UnaryCode); false if it has not this one. */
bool eltwise(int op, int64_t n, const float *x, float *y);

/** Threads oneDNN and our loops use (OpenMP); cached primitives are kept per thread count. */
void setThreads(int n);
int getThreads();
/** Drop every cached primitive (returns the bytes of cached native memory released). */
void clearCache();
/** Bytes of native memory the cache holds now (scratchpad and reordered weights). */
int64_t cachedBytes();
/** Cached primitives, for tests of the cache. */
int64_t cachedPrimitives();
/** Weight reorders run so far, for tests of the reordered-weights cache. */
int64_t weightReorders();
/** "oneDNN 2.6.3, isa avx512_core, OpenMP" */
std::string describe();
/** Implementation oneDNN chose for the last primitive created (for benchmarks and debugging). */
std::string lastImplementation();

// ---- fused recurrences (recurrent.cc): a oneDNN matmul per step and vectorised gate loops ----
// args: N, T, U, masked. Shapes and gate orders as in src/backend/kernels.ts; mask [N, T] is
// null unless masked.

/** xk [N, T, 4u], h0, c0 [N, u], R [u, 4u] → y [N, T, 2u] (h_t, c_t), gates [N, T, 4u] (i, f, g, o). */
void lstmSequence(const int32_t *args, const float *xk, const float *h0, const float *c0, const float *R, const float *mask, float *y,
                  float *gates);
/** dy [N, T, 2u], y, gates, c0, R → dz [N, T, 4u], dh0, dc0 [N, u]. */
void lstmSequenceGrad(const int32_t *args, const float *dy, const float *y, const float *gates, const float *c0, const float *R,
                      const float *mask, float *dz, float *dh0, float *dc0);
/** xk [N, T, 3u], h0 [N, u], R [u, 3u], rb [3u] → y [N, T, u], gates [N, T, 4u] (z, r, h̃, a_h). */
void gruSequence(const int32_t *args, const float *xk, const float *h0, const float *R, const float *rb, const float *mask, float *y,
                 float *gates);
/** dy [N, T, u], y, gates, h0, R → dxk, drec [N, T, 3u], dh0 [N, u]. */
void gruSequenceGrad(const int32_t *args, const float *dy, const float *y, const float *gates, const float *h0, const float *R,
                     const float *mask, float *dxk, float *drec, float *dh0);
/** Drop the recurrences' cached step matmuls (clearCache does). */
void clearRecurrentCache();

// ---- own loops (loops.cc): what oneDNN has no primitive for ----

/** Unary codes, shared with src/backend/native/codes.ts. */
enum Unary {
  U_NEG, U_ABS, U_SIGN, U_EXP, U_LOG, U_SQRT, U_SIGMOID, U_TANH, U_LOG1P, U_EXPM1, U_ERF, U_SIN, U_COS,
  U_FLOOR, U_CEIL, U_ROUND, U_LOGICAL_NOT, U_IS_NAN,
};
/** Binary codes, shared with src/backend/native/codes.ts. */
enum Binary {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_MOD, B_EQUAL, B_NOT_EQUAL, B_GREATER,
  B_GREATER_EQUAL, B_LESS, B_LESS_EQUAL, B_LOGICAL_AND, B_LOGICAL_OR,
};
enum Reduce { R_SUM, R_MAX, R_MIN, R_ARGMAX, R_ARGMIN };

/** float32 → float32 (or bool for logicalNot/isNaN): the ops oneDNN's eltwise lacks. */
void unaryLoop(int op, int64_t n, const float *x, void *y);
/**
 * float32 a, b → y (float32, or bool for comparisons and logical ops), broadcast. args: op,
 * rank, shape[rank], stridesA[rank], stridesB[rank] (collapsed; elements, 0 on broadcast axes).
 */
void binaryLoop(const int32_t *args, const float *a, const float *b, void *y);
/** bool cond, float32 a, b → y: args rank, shape, stridesCond, stridesA, stridesB. */
void whereLoop(const int32_t *args, const uint8_t *cond, const float *a, const float *b, float *y);
/** args: op, outer, size, inner. float32 → float32 (sum/max/min) or int32 (argmax/argmin). */
void reduceLoop(const int32_t *args, const float *x, void *y);
/**
 * Softmax (or log-softmax) along the rows of x [outer, size]: args outer, size, log. As the
 * reference: m + log Σ exp(x − m), m the row maximum (0 where it is NaN or infinite).
 */
void softmaxLoop(const int32_t *args, const float *x, float *y);
/**
 * Max pooling's adjoint: dx = 0, then dy added at each flat argmax (POOL_ARGS geometry, x's in
 * N D H W C); plain 2×2 windows in one pass that writes every dx. Throws on an index outside x,
 * before writing.
 */
void maxPoolBackprop(const int32_t *args, const float *dy, const int32_t *argmax, float *dx);
/** Max pooling with the flat index of each maximum (argmax may be null). POOL_ARGS geometry. */
void maxPool(const int32_t *args, const float *x, float *y, int32_t *argmax);
/**
 * Max pooling over 2×2 windows at stride 2, unpadded, 2-D, with the flat index of each maximum
 * (argmax may be null): a plain loop (oneDNN's is slow for few channels, channels-last, and its
 * workspace needs converting into indices); false when the case is another.
 */
bool maxPool2x2(const int32_t *args, const float *x, float *y, int32_t *argmax);
/** A fused convolution of one-channel images (stride 1, 4/6/8 filters, OW ≤ 32, linear or relu) by our own loop; false when the case is another. */
bool conv1ch(const int32_t *args, const float *x, const float *w, const float *bias, float *y, int act);
/** y[indices[i]] += updates[i] along an axis: args outer, size, inner, n (count of indices). Throws on an index out of range, before writing. */
void scatterAdd(const int32_t *args, const float *updates, const int32_t *indices, float *y);
/**
 * Strided copy (transpose, slice, pad's interior, concat's parts): args rank, element bytes
 * (1 or 4), source offset, destination offset, shape[rank], source strides[rank], destination
 * strides[rank] (elements).
 */
void copyStrided(const int32_t *args, const void *src, void *dst);
/** y = x broadcast: args rank, shape, strides (collapsed). */
void broadcastLoop(const int32_t *args, const float *x, float *y);

/**
 * Batch normalisation in training mode over x [rows, channels]: args rows, channels, ε (float
 * bits). Writes y, the mean and the biased variance of each channel; gamma and beta may be null.
 */
void batchNormTraining(const int32_t *args, const float *x, const float *gamma, const float *beta, float *y, float *mean, float *variance);
/** Its adjoint: x, dy, mean, variance, gamma (may be null) → dx, dgamma, dbeta. args as batchNormTraining. */
void batchNormTrainingGrad(const int32_t *args, const float *x, const float *dy, const float *mean, const float *variance, const float *gamma,
                           float *dx, float *dgamma, float *dbeta);
/** dx = dy where x > 0 or x is NaN, else 0 (relu's adjoint): args n. */
void reluBackprop(const int32_t *args, const float *x, const float *dy, float *dx);

}  // namespace hebb
