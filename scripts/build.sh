#!/usr/bin/env bash
# Builds what the page and the tests need: `wasm` the WebAssembly engine (into
# web/public/engine/), `native` the native library, tests and tools, `data` the MNIST
# assets (into web/public/data/), `asan` the native tests under the sanitizers; with no
# argument all four. Incremental: with nothing
# changed it takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(native asan wasm data)
jobs=$(nproc)

for target in "${targets[@]}"; do
  case "$target" in
    native)
      [ -f build/native/CMakeCache.txt ] || cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build build/native -j"$jobs"
      ;;
    asan)
      [ -f build/asan/CMakeCache.txt ] ||
        cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Release -DDL_SANITIZE=ON >/dev/null
      cmake --build build/asan -j"$jobs" --target engine_tests
      ;;
    wasm)
      # Debian's emcc needs its own node modules on NODE_PATH, and emcmake's CMake does
      # not search /usr for Eigen by itself.
      export NODE_PATH=/usr/share/nodejs
      [ -f build/wasm/CMakeCache.txt ] ||
        emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DEigen3_DIR=/usr/share/eigen3/cmake >/dev/null
      cmake --build build/wasm -j"$jobs"
      ;;
    data)
      node scripts/build_data.mjs
      ;;
    *)
      echo "build.sh: unknown target '$target'; expected native, asan, wasm or data" >&2
      exit 2
      ;;
  esac
done
