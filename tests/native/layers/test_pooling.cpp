// Max, average and global average pooling: gradient checks and padding.
#include <doctest/doctest.h>

#include "../geometry.h"
#include "../gradient_check.h"
#include "layers/average_pooling2d.h"
#include "layers/global_average_pooling2d.h"
#include "layers/max_pooling2d.h"

using check::conv_geometry;
using check::expect_gradient;
using check::pool_geometry;

TEST_CASE("max, average and global average pooling gradients match central differences") {
  struct PoolCase {
    int h, w, c, ph, pw, sh, sw;
    dl::Padding padding;
  };
  const PoolCase cases[] = {{4, 4, 2, 2, 2, 2, 2, dl::Padding::valid},
                            {5, 7, 3, 2, 2, 2, 2, dl::Padding::same},
                            {7, 5, 1, 3, 2, 2, 1, dl::Padding::valid},
                            {3, 3, 2, 3, 3, 1, 1, dl::Padding::same}};
  for (const PoolCase& k : cases) {
    CAPTURE(k.h);
    CAPTURE(dl::padding_name(k.padding));
    const dl::PoolGeometry g = pool_geometry(2, k.h, k.w, k.c, k.ph, k.pw, k.sh, k.sw, k.padding);
    dl::Rng rng(23);
    // Distinct values well apart, so that no small step changes which one is the maximum.
    std::vector<double> x(static_cast<std::size_t>(g.n) * g.h * g.w * g.c);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 7919) % x.size()) * 0.1;
    auto r = check::random_values(static_cast<std::size_t>(g.n) * g.oh * g.ow * g.c, rng);
    auto max_loss = [&] {
      std::vector<double> y(r.size());
      dl::max_pool_forward(x.data(), y.data(), g);
      return check::dot(y, r);
    };
    auto avg_loss = [&] {
      std::vector<double> y(r.size());
      dl::average_pool_forward(x.data(), y.data(), g);
      return check::dot(y, r);
    };
    std::vector<double> dx(x.size());
    std::vector<double> pooled(r.size());
    dl::max_pool_forward(x.data(), pooled.data(), g);
    dl::max_pool_backward(x.data(), pooled.data(), r.data(), dx.data(), g);
    expect_gradient("max pool dx", x, dx, max_loss, 1e-4);
    dl::average_pool_backward(r.data(), dx.data(), g);
    expect_gradient("average pool dx", x, dx, avg_loss, 1e-4);
  }
  dl::Rng rng(4);
  auto x = check::random_values(2 * 3 * 5 * 4, rng), r = check::random_values(2 * 4, rng);
  auto loss = [&] {
    std::vector<double> y(8);
    dl::global_average_pool_forward(x.data(), y.data(), 2, 15, 4);
    return check::dot(y, r);
  };
  std::vector<double> dx(x.size());
  dl::global_average_pool_backward(r.data(), dx.data(), 2, 15, 4);
  expect_gradient("global average pool dx", x, dx, loss);
}

TEST_CASE("average pooling with same padding divides by the real pixels only") {
  const dl::PoolGeometry g = pool_geometry(1, 3, 3, 1, 2, 2, 2, 2, dl::Padding::same);
  std::vector<float> x(9, 1.0f), y(static_cast<std::size_t>(g.oh) * g.ow);
  dl::average_pool_forward(x.data(), y.data(), g);
  for (float v : y) CHECK(v == doctest::Approx(1.0f));
}
