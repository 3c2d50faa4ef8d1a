// Replays every input the fuzzers have kept (tests/fuzz/cpp/<target>/): seeds and any
// input that once crashed. Each must now succeed or be refused with an EngineError.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "../../../tools/fuzz/fuzz_targets.h"
#include "io/model_description.h"

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

TEST_CASE("the seeds of sequence models build and predict, so that the fuzzer starts from models that run") {
  for (const char* name :
       {"seed_char_lstm.json", "seed_transformer.json", "seed_states.json", "seed_graph_residual.json"}) {
    INFO(name);
    std::ifstream in(std::string(FUZZ_DIR) + "/model_description/" + name);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(!text.empty());
    std::unique_ptr<dl::Sequential> model;
    REQUIRE_NOTHROW(model = dl::model_from_json(text));
    std::vector<int> shape{2};
    for (int d : model->input_shape()) shape.push_back(d);
    dl::Tensor x(shape, 1.0f);
    const dl::Tensor p = model->predict(x);
    CHECK(p.size() > 0);
    for (std::size_t i = 0; i < p.size(); ++i) REQUIRE(std::isfinite(p[i]));
  }
}
