// Reader for the IDX files MNIST is distributed in: a big-endian header (magic, rank,
// dimensions) followed by unsigned bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dl {

struct IdxFile {
  std::vector<int> shape;
  std::vector<std::uint8_t> bytes;
};

// Throws EngineError naming the file and the problem (missing, short, bad magic, ...).
IdxFile read_idx(const std::string& path);
// The same from bytes already in memory; `name` is for messages.
IdxFile parse_idx(const std::vector<std::uint8_t>& raw, const std::string& name);

}  // namespace dl
