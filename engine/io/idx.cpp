// IDX parsing with every size checked against the file's real length.
#include "io/idx.h"

#include <fstream>
#include <iterator>

#include "core/error.h"
#include "core/show.h"

namespace dl {

IdxFile read_idx(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot open IDX file ", show(path));
  std::vector<std::uint8_t> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_idx(raw, path);
}

IdxFile parse_idx(const std::vector<std::uint8_t>& raw, const std::string& path) {
  if (raw.size() < 4) fail(path, ": too short for an IDX header (", raw.size(), " bytes)");
  if (raw[0] != 0 || raw[1] != 0 || raw[2] != 0x08)
    fail(path, ": not an unsigned-byte IDX file (magic ", int(raw[0]), " ", int(raw[1]), " ", int(raw[2]), ")");
  const int rank = raw[3];
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (rank < 1 || raw.size() < header) fail(path, ": IDX header of rank ", rank, " is truncated");
  IdxFile file;
  std::size_t count = 1;
  for (int d = 0; d < rank; ++d) {
    const std::uint8_t* p = raw.data() + 4 + 4 * d;
    std::uint32_t v = (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
    if (v == 0 || v > (1u << 30)) fail(path, ": IDX dimension ", d, " is ", v);
    file.shape.push_back(static_cast<int>(v));
    count *= v;
    if (count > raw.size()) fail(path, ": IDX header promises more values than the file holds");
  }
  if (raw.size() - header != count)
    fail(path, ": IDX header promises ", count, " values but the file holds ", raw.size() - header);
  file.bytes.assign(raw.begin() + header, raw.end());
  return file;
}

}  // namespace dl
