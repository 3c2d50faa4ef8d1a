// The merge kernels in double: every element-wise merge (with broadcasting),
// concatenation on each axis, and dot products on each pair of axes, with and without
// normalization, against central differences; and the shapes the layers give.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "layers/merge.h"

using check::expect_gradient;

namespace {

std::size_t count(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

}  // namespace

TEST_CASE("element-wise merge gradients match central differences, broadcast inputs included") {
  const dl::MergeOp ops[] = {dl::MergeOp::add,     dl::MergeOp::subtract, dl::MergeOp::multiply,
                             dl::MergeOp::average, dl::MergeOp::maximum,  dl::MergeOp::minimum};
  // Shapes with the batch first; the output is the first input's shape.
  const std::vector<std::vector<std::vector<int>>> cases = {
      {{3, 7}, {3, 7}}, {{2, 3, 5}, {2, 1, 5}}, {{2, 4, 3}, {2, 4, 1}}, {{1, 17}, {1, 17}}};
  for (dl::MergeOp op : ops)
    for (const auto& shapes : cases)
      for (int inputs : {2, 3}) {
        if (op == dl::MergeOp::subtract && inputs != 2) continue;
        CAPTURE(static_cast<int>(op));
        CAPTURE(inputs);
        CAPTURE(shapes[1][1]);
        dl::Rng rng(static_cast<std::uint64_t>(op) * 10 + inputs);
        const std::vector<int>& out = shapes[0];
        std::vector<std::vector<double>> xs;
        std::vector<std::vector<std::size_t>> index;
        std::vector<std::size_t> sizes;
        for (int k = 0; k < inputs; ++k) {
          const std::vector<int>& s = shapes[k == 1 ? 1 : 0];
          // Spread apart so that maximum and minimum have no near ties.
          std::vector<double> v = check::random_values(count(s), rng);
          for (std::size_t i = 0; i < v.size(); ++i) v[i] += 0.37 * static_cast<double>((i * 7 + k * 3) % 11);
          xs.push_back(v);
          index.push_back(s == out ? std::vector<std::size_t>{} : dl::merge_broadcast_index(out, s));
          sizes.push_back(v.size());
        }
        const std::vector<double> r = check::random_values(count(out), rng);
        auto pointers = [&] {
          std::vector<const double*> p;
          for (const auto& x : xs) p.push_back(x.data());
          return p;
        };
        std::vector<const std::size_t*> at;
        for (const auto& i : index) at.push_back(i.empty() ? nullptr : i.data());
        auto loss = [&] {
          std::vector<double> y(count(out));
          dl::merge_forward(op, pointers(), at, y.data(), y.size());
          return check::dot(y, r);
        };
        std::vector<std::vector<double>> dxs(inputs);
        std::vector<double*> dx_pointers;
        for (int k = 0; k < inputs; ++k) {
          dxs[k].resize(sizes[k]);
          dx_pointers.push_back(dxs[k].data());
        }
        dl::merge_backward(op, pointers(), at, r.data(), dx_pointers, sizes, r.size());
        for (int k = 0; k < inputs; ++k) expect_gradient("merge dx" + std::to_string(k), xs[k], dxs[k], loss);
      }
}

TEST_CASE("concatenation gradients match central differences on every axis") {
  // (outer, widths, inner) as the layer computes them for axes 1, 2 and 3 of [2, 3, 4, *].
  for (auto [outer, inner] : {std::pair<std::size_t, std::size_t>{2, 12}, {6, 4}, {24, 1}}) {
    const std::vector<int> widths{1, 3, 2};
    dl::Rng rng(outer);
    std::vector<std::vector<double>> xs;
    for (int w : widths) xs.push_back(check::random_values(outer * w * inner, rng));
    const std::vector<double> r = check::random_values(outer * 6 * inner, rng);
    auto loss = [&] {
      std::vector<double> y(r.size());
      dl::concatenate_forward<double>({xs[0].data(), xs[1].data(), xs[2].data()}, widths, y.data(), outer, inner);
      return check::dot(y, r);
    };
    std::vector<std::vector<double>> dxs;
    for (const auto& x : xs) dxs.emplace_back(x.size());
    dl::concatenate_backward<double>(r.data(), widths, {dxs[0].data(), dxs[1].data(), dxs[2].data()}, outer, inner);
    for (int k = 0; k < 3; ++k) expect_gradient("concatenate dx" + std::to_string(k), xs[k], dxs[k], loss);
  }
}

TEST_CASE("dot product gradients match central differences on each pair of axes, normalized or not") {
  struct Case {
    std::vector<int> a, b;  // shapes without the batch
    std::vector<int> axes;
  };
  const Case cases[] = {{{5}, {5}, {1}},          {{3, 4}, {2, 4}, {2}},  {{4, 3}, {4, 2}, {1}},
                        {{3, 4}, {4, 2}, {2, 1}}, {{3, 4}, {4}, {-1, 1}}, {{7}, {3, 7}, {1, 2}}};
  for (const Case& c : cases)
    for (bool normalize : {false, true}) {
      CAPTURE(c.axes[0]);
      CAPTURE(normalize);
      dl::DotLayer layer(c.axes, normalize);
      layer.name = "dot";
      const std::vector<int> out = layer.build_many({c.a, c.b});
      // The kernel's operands, as the layer set them up, run in double.
      const int n = 2;
      dl::Rng rng(c.a.size() * 10 + c.b.size());
      auto x = check::random_values(n * count(c.a), rng), w = check::random_values(n * count(c.b), rng);
      // A float layer run for its operands: the layer's own forward must agree with the
      // double kernels below.
      dl::Tensor fx({n, static_cast<int>(count(c.a))}), fw({n, static_cast<int>(count(c.b))});
      for (std::size_t i = 0; i < x.size(); ++i) fx[i] = static_cast<float>(x[i]);
      for (std::size_t i = 0; i < w.size(); ++i) fw[i] = static_cast<float>(w[i]);
      dl::Tensor fy({n, static_cast<int>(count(out))});
      layer.forward_many({&fx, &fw}, fy, false);
      const std::vector<double> r = check::random_values(fy.size(), rng);
      dl::Tensor fdy({n, static_cast<int>(count(out))}), fdx(fx.shape()), fdw(fw.shape());
      for (std::size_t i = 0; i < r.size(); ++i) fdy[i] = static_cast<float>(r[i]);
      layer.backward_many({&fx, &fw}, fy, fdy, {&fdx, &fdw});
      // The same computation in double through the layer's float kernels is not possible,
      // so the reference is central differences of the float layer at a coarse step,
      // and the double kernels are checked exactly below.
      auto loss = [&] {
        dl::Tensor a({n, static_cast<int>(count(c.a))}), b({n, static_cast<int>(count(c.b))});
        for (std::size_t i = 0; i < x.size(); ++i) a[i] = static_cast<float>(x[i]);
        for (std::size_t i = 0; i < w.size(); ++i) b[i] = static_cast<float>(w[i]);
        dl::Tensor y(fy.shape());
        layer.forward_many({&a, &b}, y, false);
        double s = 0;
        for (std::size_t i = 0; i < y.size(); ++i) s += y[i] * r[i];
        return s;
      };
      std::vector<double> dx(fdx.values().begin(), fdx.values().end()), dw(fdw.values().begin(), fdw.values().end());
      expect_gradient("dot dx (float layer)", x, dx, loss, 1e-2, 3e-3);
      expect_gradient("dot dw (float layer)", w, dw, loss, 1e-2, 3e-3);
    }
}

TEST_CASE("dot and l2 normalization kernels in double match central differences") {
  // x: (2, 3 rows, 4 deep) summed over its last axis; w: (2, 4 deep, 5 rows) over its first.
  const dl::DotOperand a{3, 4, 4, 1}, b{5, 4, 1, 5};
  dl::Rng rng(21);
  auto x = check::random_values(2 * a.size(), rng), w = check::random_values(2 * b.size(), rng);
  const std::vector<double> r = check::random_values(2 * 3 * 5, rng);
  for (bool normalize : {false, true}) {
    CAPTURE(normalize);
    auto loss = [&] {
      std::vector<double> xn = x, wn = w, y(r.size());
      if (normalize) {
        dl::l2_normalize_forward(x.data(), xn.data(), a, 2);
        dl::l2_normalize_forward(w.data(), wn.data(), b, 2);
      }
      dl::dot_forward(xn.data(), wn.data(), y.data(), a, b, 2);
      return check::dot(y, r);
    };
    std::vector<double> xn = x, wn = w, dxn(x.size()), dwn(w.size()), dx(x.size()), dw(w.size());
    if (normalize) {
      dl::l2_normalize_forward(x.data(), xn.data(), a, 2);
      dl::l2_normalize_forward(w.data(), wn.data(), b, 2);
    }
    dl::dot_backward(xn.data(), wn.data(), r.data(), dxn.data(), dwn.data(), a, b, 2);
    if (normalize) {
      dl::l2_normalize_backward(x.data(), dxn.data(), dx.data(), a, 2);
      dl::l2_normalize_backward(w.data(), dwn.data(), dw.data(), b, 2);
    } else {
      dx = dxn;
      dw = dwn;
    }
    expect_gradient("dot dx", x, dx, loss);
    expect_gradient("dot dw", w, dw, loss);
  }
}

TEST_CASE("merge layers give Keras' output shapes") {
  dl::ElementwiseMergeLayer add(dl::MergeOp::add);
  add.name = "add";
  CHECK(add.build_many({{3, 5}, {5}}) == std::vector<int>{3, 5});
  CHECK(add.build_many({{1, 4}, {6, 1}}) == std::vector<int>{6, 4});
  dl::ConcatenateLayer last(-1), middle(1);
  last.name = middle.name = "concatenate";
  CHECK(last.build_many({{4, 2}, {4, 3}}) == std::vector<int>{4, 5});
  CHECK(middle.build_many({{4, 2}, {1, 2}}) == std::vector<int>{5, 2});
  CHECK_THROWS_WITH(middle.build_many({{4, 2}, {4, 3}}),
                    doctest::Contains("differ outside axis 1; every other dimension must match"));
  dl::ConcatenateLayer batch(0);
  batch.name = "concatenate";
  CHECK_THROWS_WITH(batch.build_many({{4}, {4}}), doctest::Contains("axis 0 being the batch"));
  dl::DotLayer pair({1}, false), matrices({2, 1}, false), vectors({-1}, false);
  pair.name = matrices.name = vectors.name = "dot";
  CHECK(pair.build_many({{8}, {8}}) == std::vector<int>{1});
  CHECK(matrices.build_many({{3, 4}, {4, 2}}) == std::vector<int>{3, 2});
  CHECK(vectors.build_many({{3, 4}, {2, 4}}) == std::vector<int>{3, 2});
  CHECK_THROWS_WITH(pair.build_many({{8}, {7}}), doctest::Contains("has 8 values but axis 1 of input 1"));
  CHECK_THROWS_WITH(pair.build_many({{2, 2, 2}, {8}}), doctest::Contains("Dot takes inputs of rank 2 or 3"));
}
