#!/usr/bin/env bash
# Builds the engine: `build.sh wasm` the WebAssembly module for the page (into
# web/public/engine/), `build.sh native` the native library, tests and tools, and with
# no argument both. Incremental: a build with nothing changed takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(native wasm)
jobs=$(nproc)

for target in "${targets[@]}"; do
  case "$target" in
    native)
      [ -f build/native/CMakeCache.txt ] || cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build build/native -j"$jobs"
      ;;
    wasm)
      # Debian's emcc needs its own node modules on NODE_PATH, and emcmake's CMake does
      # not search /usr for Eigen by itself.
      export NODE_PATH=/usr/share/nodejs
      [ -f build/wasm/CMakeCache.txt ] ||
        emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DEigen3_DIR=/usr/share/eigen3/cmake >/dev/null
      cmake --build build/wasm -j"$jobs"
      ;;
    *)
      echo "build.sh: unknown target '$target'; expected native or wasm" >&2
      exit 2
      ;;
  esac
done
