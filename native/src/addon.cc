// N-API glue: each exported function takes typed arrays (the backend's buffers, which are
// ordinary V8 ArrayBuffers, so the garbage collector already owns and counts them) and reads
// its integer arguments from one Int32Array registered once with init(), which keeps a call
// to a few hundred nanoseconds. Native memory of our own (the shared scratchpad, weights
// reordered into oneDNN's blocked layouts) is reported to V8 with napi_adjust_external_memory,
// so the collector sees the true footprint. Failures become JavaScript errors; the TypeScript
// side then runs the reference kernel instead.
#include <node_api.h>

#include <exception>
#include <string>

#include "hebb.h"

namespace {

int32_t *args = nullptr;  // the registered argument slots
napi_ref argsRef = nullptr;
int64_t reported = 0;     // native bytes reported to V8 so far

#define CHECK(call)                                                     \
  do {                                                                  \
    if ((call) != napi_ok) {                                            \
      napi_throw_error(env, nullptr, "hebb native: N-API call failed"); \
      return nullptr;                                                   \
    }                                                                   \
  } while (0)

void *dataOf(napi_env env, napi_value v) {
  bool is = false;
  napi_is_typedarray(env, v, &is);
  if (!is) return nullptr;
  napi_typedarray_type type;
  size_t length;
  void *data = nullptr;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset) != napi_ok) return nullptr;
  return data;
}

/** Tell V8 how the native memory we hold changed since the last call. */
void report(napi_env env) {
  int64_t now = hebb::cachedBytes();
  if (now != reported) {
    int64_t total;
    napi_adjust_external_memory(env, now - reported, &total);
    reported = now;
  }
}

template <size_t N>
bool getArgs(napi_env env, napi_callback_info info, napi_value (&argv)[N], void *(&ptrs)[N]) {
  size_t argc = N;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  for (size_t i = 0; i < N; i++) ptrs[i] = i < argc ? dataOf(env, argv[i]) : nullptr;
  return args != nullptr;
}

/** Run `body`, turning a C++ exception into a JavaScript error. */
template <typename F>
napi_value guarded(napi_env env, const char *what, F body) {
  try {
    body();
  } catch (const std::exception &e) {
    std::string msg = std::string("hebb native ") + what + ": " + e.what();
    napi_throw_error(env, nullptr, msg.c_str());
  }
  report(env);
  return nullptr;
}

#define KERNEL(name, N, body)                                               \
  napi_value name(napi_env env, napi_callback_info info) {                  \
    napi_value argv[N];                                                     \
    void *p[N];                                                             \
    if (!getArgs(env, info, argv, p)) {                                     \
      napi_throw_error(env, nullptr, "hebb native " #name ": bad arguments"); \
      return nullptr;                                                       \
    }                                                                       \
    return guarded(env, #name, [&] { body; });                              \
  }

using F = float;
using I = int32_t;
using U = uint8_t;

KERNEL(matmul, 3, hebb::matmul(args, (F *)p[0], (F *)p[1], (F *)p[2]))
// Fused: inputs, the bias (null without one), the output.
KERNEL(fusedMatmul, 4, hebb::fusedMatmul(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3]))
KERNEL(fusedConv, 4, hebb::fusedConv(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3]))
KERNEL(softmax, 2, hebb::softmaxLoop(args, (F *)p[0], (F *)p[1]))
KERNEL(conv, 3, hebb::conv(args, (F *)p[0], (F *)p[1], (F *)p[2]))
KERNEL(convBackpropInput, 3, hebb::convBackpropInput(args, (F *)p[0], (F *)p[1], (F *)p[2]))
KERNEL(convBackpropFilter, 3, hebb::convBackpropFilter(args, (F *)p[0], (F *)p[1], (F *)p[2]))
KERNEL(avgPool, 2, hebb::avgPool(args, (F *)p[0], (F *)p[1]))
KERNEL(avgPoolBackprop, 2, hebb::avgPoolBackprop(args, (F *)p[0], (F *)p[1]))
// Max pooling: over plain 2×2 windows our vectorised loop; else oneDNN, or our
// general loop where an output is NaN (the reference's NaN rule) or oneDNN declines.
KERNEL(maxPool, 3, bool done = hebb::maxPool2x2(args, (F *)p[0], (F *)p[1], (I *)p[2]);
       if (!done) try { done = hebb::maxPoolOneDnn(args, (F *)p[0], (F *)p[1], (I *)p[2]); } catch (const std::exception &) {}
       if (!done) hebb::maxPool(args, (F *)p[0], (F *)p[1], (I *)p[2]))
// Max pooling's adjoint: dy, the flat argmax, dx.
KERNEL(maxPoolBackprop, 3, hebb::maxPoolBackprop(args, (F *)p[0], (I *)p[1], (F *)p[2]))
// args: op, n, useOneDnn. oneDNN's eltwise where it has the function, else our loop.
KERNEL(unary, 2, if (!(args[2] && hebb::eltwise(args[0], args[1], (F *)p[0], (F *)p[1]))) hebb::unaryLoop(args[0], args[1], (F *)p[0], p[1]))
KERNEL(binary, 3, hebb::binaryLoop(args, (F *)p[0], (F *)p[1], p[2]))
KERNEL(where, 4, hebb::whereLoop(args, (U *)p[0], (F *)p[1], (F *)p[2], (F *)p[3]))
KERNEL(reduce, 2, hebb::reduceLoop(args, (F *)p[0], p[1]))
KERNEL(scatterAdd, 3, hebb::scatterAdd(args, (F *)p[0], (I *)p[1], (F *)p[2]))
// Batch normalisation: x, γ and β (null when absent), then y, μ, σ²; its adjoint x, dy, μ, σ², γ, then dx, dγ, dβ.
KERNEL(batchNormTraining, 6, hebb::batchNormTraining(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3], (F *)p[4], (F *)p[5]))
KERNEL(batchNormTrainingGrad, 8,
       hebb::batchNormTrainingGrad(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3], (F *)p[4], (F *)p[5], (F *)p[6], (F *)p[7]))
KERNEL(reluBackprop, 3, hebb::reluBackprop(args, (F *)p[0], (F *)p[1], (F *)p[2]))
KERNEL(broadcastTo, 2, hebb::broadcastLoop(args, (F *)p[0], (F *)p[1]))
KERNEL(copyStrided, 2, hebb::copyStrided(args, p[0], p[1]))
// The fused recurrences: inputs, the mask (null when unmasked), then outputs.
KERNEL(lstmSequence, 7, hebb::lstmSequence(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3], (F *)p[4], (F *)p[5], (F *)p[6]))
KERNEL(lstmSequenceGrad, 9,
       hebb::lstmSequenceGrad(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3], (F *)p[4], (F *)p[5], (F *)p[6], (F *)p[7], (F *)p[8]))
KERNEL(gruSequence, 7, hebb::gruSequence(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3], (F *)p[4], (F *)p[5], (F *)p[6]))
KERNEL(gruSequenceGrad, 9,
       hebb::gruSequenceGrad(args, (F *)p[0], (F *)p[1], (F *)p[2], (F *)p[3], (F *)p[4], (F *)p[5], (F *)p[6], (F *)p[7], (F *)p[8]))

/** An empty call: what the per-op overhead is measured against. */
napi_value noop(napi_env, napi_callback_info) { return nullptr; }

napi_value init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  void *data = argc == 1 ? dataOf(env, argv[0]) : nullptr;
  if (!data) {
    napi_throw_type_error(env, nullptr, "hebb native init: expected an Int32Array");
    return nullptr;
  }
  if (argsRef) napi_delete_reference(env, argsRef);
  CHECK(napi_create_reference(env, argv[0], 1, &argsRef));  // keeps the slots alive
  args = (int32_t *)data;
  return nullptr;
}

napi_value setThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n = 1;
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  CHECK(napi_get_value_int32(env, argv[0], &n));
  hebb::setThreads(n < 1 ? 1 : n);
  report(env);
  return nullptr;
}

napi_value number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

napi_value string(napi_env env, const std::string &s) {
  napi_value r;
  napi_create_string_utf8(env, s.c_str(), s.size(), &r);
  return r;
}

napi_value getThreads(napi_env env, napi_callback_info) { return number(env, hebb::getThreads()); }
napi_value cachedBytes(napi_env env, napi_callback_info) { return number(env, (double)hebb::cachedBytes()); }
napi_value cachedPrimitives(napi_env env, napi_callback_info) { return number(env, (double)hebb::cachedPrimitives()); }
napi_value weightReorders(napi_env env, napi_callback_info) { return number(env, (double)hebb::weightReorders()); }
napi_value describe(napi_env env, napi_callback_info) {
  try {
    return string(env, hebb::describe());
  } catch (const std::exception &e) {
    napi_throw_error(env, nullptr, (std::string("hebb native: oneDNN does not start: ") + e.what()).c_str());
    return nullptr;
  }
}
napi_value lastImplementation(napi_env env, napi_callback_info) { return string(env, hebb::lastImplementation()); }
napi_value clearCache(napi_env env, napi_callback_info) {
  hebb::clearCache();
  report(env);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
#define FN(name) {#name, nullptr, name, nullptr, nullptr, nullptr, napi_default, nullptr}
      FN(init), FN(setThreads), FN(getThreads), FN(describe), FN(lastImplementation), FN(clearCache), FN(cachedBytes),
      FN(cachedPrimitives), FN(weightReorders), FN(noop), FN(matmul), FN(conv), FN(convBackpropInput), FN(convBackpropFilter), FN(avgPool),
      FN(avgPoolBackprop), FN(maxPool), FN(maxPoolBackprop), FN(unary), FN(binary), FN(where), FN(reduce), FN(scatterAdd), FN(broadcastTo), FN(copyStrided),
      FN(lstmSequence), FN(lstmSequenceGrad), FN(gruSequence), FN(gruSequenceGrad), FN(fusedMatmul), FN(fusedConv), FN(softmax),
      FN(batchNormTraining), FN(batchNormTrainingGrad), FN(reluBackprop),
#undef FN
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
