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

}  // namespace dl
