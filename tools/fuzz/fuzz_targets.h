// The entry points the fuzzers drive and the regression tests replay: each takes
// arbitrary bytes and must either succeed or throw EngineError, never crash.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dl::fuzz {

// Bytes as a model description (built, compiled, and fitted once on a tiny batch when they
// describe a model) and as fit options.
void model_description(const std::uint8_t* data, std::size_t size);
// Bytes as an IDX file.
void idx(const std::uint8_t* data, std::size_t size);

}  // namespace dl::fuzz
