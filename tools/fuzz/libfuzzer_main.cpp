// libFuzzer entry: FUZZ_TARGET names the function in fuzz_targets.h to drive.
#include <cstddef>
#include <cstdint>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  dl::fuzz::FUZZ_TARGET(data, size);
  return 0;
}
