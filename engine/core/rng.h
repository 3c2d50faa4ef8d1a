// The one seeded random generator of a model. Initialization, shuffling and dropout all
// draw from it, so a seed fixes a whole run. The distributions are written here rather
// than taken from <random>, whose normal and uniform distributions differ between
// standard libraries: the native build (libstdc++) and the WebAssembly build (libc++)
// must draw the same numbers.
#pragma once

#include <cmath>
#include <cstdint>

namespace dl {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    state_ = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    has_spare_ = false;
    next_u64();
  }

  // splitmix64: small, fast, and good enough for initialization and shuffling.
  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }

  // Uniform integer in [0, n), without modulo bias worth speaking of for n < 2^32.
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>((next_u64() >> 32) * n >> 32); }

  // Standard normal by the Box-Muller transform; the second value is kept for the next call.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = uniform();
    double u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    double radius = std::sqrt(-2.0 * std::log(u1));
    double angle = 6.283185307179586 * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::uint64_t state_ = 0;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace dl
