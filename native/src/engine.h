// The process's one oneDNN CPU engine, shared by every translation unit that builds primitives
// (onednn.cc, recurrent.cc): one engine means one set of oneDNN's per-engine caches.
#pragma once
#include <dnnl.hpp>

namespace hebb {

inline dnnl::engine &engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

}  // namespace hebb
