{
  # The native backend's addon: N-API (no V8 or nan headers, so one build works across Node
  # versions with the same N-API level), linking Debian's oneDNN (libdnnl-dev) and its OpenMP
  # runtime. Built by scripts/build-native.mjs, which points node-gyp at the local headers.
  "targets": [
    {
      "target_name": "hebb_native",
      "sources": ["src/addon.cc", "src/onednn.cc", "src/loops.cc", "src/recurrent.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fopenmp", "-fexceptions"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl", "-lgomp"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
