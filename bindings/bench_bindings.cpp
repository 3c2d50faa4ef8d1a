// Embind bindings of the bench-only WebAssembly module (build/wasm/dl_bench*.js): the
// GEMM's timing for `npm run bench` and its check against the reference for the kernel
// tests. Kept out of the engine module that pages download.
#include <emscripten/bind.h>

#include <string>

#include "../tools/gemm_benchmark.h"
#include "core/simd.h"

EMSCRIPTEN_BINDINGS(dl_bench) {
  emscripten::function("measureSgemmGflops", &dl::measure_sgemm_gflops);
  emscripten::function("measureSgemmShapeGflops", &dl::measure_sgemm_shape_gflops);
  emscripten::function("sgemmScaledError", &dl::sgemm_scaled_error);
  emscripten::constant("simd", std::string(dl::simd::kName));
}
