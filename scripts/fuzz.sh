#!/usr/bin/env bash
# Fuzzes every parser and loader for a fixed budget (seconds per target, default 60):
#   C++ (libFuzzer, clang 14 with ASan and UBSan): the model description, IDX files;
#   JavaScript (scripts/fuzz_js.mjs, a seeded mutation fuzzer): model.json and weights,
#   the MNIST manifest and binaries, CSV files.
# Inputs that crash are copied into tests/fuzz/, which the test run replays. Not in CI.
# Usage: bash scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-60}
bash scripts/setup.sh
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-14 libclang-rt-14-dev >/dev/null; }

mkdir -p build/fuzz
for target in model_description idx; do
  binary=build/fuzz/fuzz_$target
  clang++-14 -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -DFUZZ_TARGET="$target" -Iengine -I/usr/include/eigen3 \
    $(find engine -name "*.cpp" -not -path "engine/catalog/lite/*") tools/fuzz/fuzz_targets.cpp tools/fuzz/libfuzzer_main.cpp -o "$binary"
  corpus=build/fuzz/corpus_$target
  mkdir -p "$corpus"
  cp tests/fuzz/cpp/$target/* "$corpus/"
  echo "fuzz: $target for ${budget}s"
  (cd build/fuzz && "../../$binary" -max_total_time="$budget" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
    "../../$corpus" 2>&1 | tail -n 3) || true
  for crash in build/fuzz/crash-* build/fuzz/leak-* build/fuzz/timeout-*; do
    [ -e "$crash" ] || continue
    echo "fuzz: $target found $crash; kept in tests/fuzz/cpp/$target/"
    mv "$crash" "tests/fuzz/cpp/$target/$(basename "$crash")"
  done
done
node scripts/fuzz_js.mjs "$budget"
