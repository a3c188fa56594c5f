// oneDNN's own sgemm called from C++, the ceiling the native backend's GEMM is measured against
// (bench/native/compare.ts compiles and runs this). Usage: sgemm N threads samples [cpu]
// Prints the median GFLOP/s of `samples` timed calls of C = A·B (N×N, row-major, float32), by
// wall time, or with `cpu` by the process's CPU time (steadier on a loaded machine at 1 thread).
#include <dnnl.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

int main(int argc, char **argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 512;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  const int samples = argc > 3 ? std::atoi(argv[3]) : 15;
  const bool cpu = argc > 4 && std::strcmp(argv[4], "cpu") == 0;
  auto now = [cpu] {
    if (!cpu) return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
  };
  omp_set_num_threads(threads);
  std::vector<float> a((size_t)n * n), b((size_t)n * n), c((size_t)n * n);
  for (size_t i = 0; i < a.size(); i++) {
    a[i] = (float)((i * 7) % 13) / 13.0f - 0.5f;
    b[i] = (float)((i * 5) % 11) / 11.0f - 0.5f;
  }
  auto call = [&] { dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n); };
  call();  // warm-up
  const double flops = 2.0 * n * n * n;
  // Calls per sample: enough for ~50 ms.
  double t0 = now();
  call();
  double once = now() - t0;
  int inner = std::max(1, (int)(0.05 / std::max(once, 1e-6)));
  std::vector<double> rates;
  for (int s = 0; s < samples; s++) {
    double start = now();
    for (int i = 0; i < inner; i++) call();
    double secs = (now() - start) / inner;
    rates.push_back(flops / secs / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("%.3f\n", rates[rates.size() / 2]);
  return 0;
}
