// Replays every input the fuzzers have kept (tests/fuzz/cpp/<target>/): seeds and any
// input that once crashed. Each must now succeed or be refused with an EngineError.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "../../../tools/fuzz/fuzz_targets.h"

namespace {

template <typename F>
int replay(const std::string& target, F run) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(FUZZ_DIR) + "/" + target)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("input " << entry.path());
    run(bytes.data(), bytes.size());
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("every kept fuzz input for the model description is handled without a crash") {
  CHECK(replay("model_description", dl::fuzz::model_description) >= 3);
}

TEST_CASE("every kept fuzz input for the IDX reader is handled without a crash") {
  CHECK(replay("idx", dl::fuzz::idx) >= 2);
}
