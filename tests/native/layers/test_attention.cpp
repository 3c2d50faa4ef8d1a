// Multi-head attention: the fused masked softmax against Keras' formula (fully masked rows
// give 0, large logits no NaN), every gradient of the attention kernels against central
// differences in double (1 and 3 heads, tq != tv, causal and padding masks, a separate key,
// dropout, the scores as an output), sgemm's float path against the double loops, and the
// layer's weights, parts, masks and refusals.
#include <doctest/doctest.h>

#include "../gradient_check.h"
#include "kernels/attention.h"
#include "layers/multi_head_attention.h"

using check::expect_gradient;

TEST_CASE("fused masked softmax equals Keras' formula; fully masked rows are 0, large logits finite") {
  for (int cols : {1, 3, 7, 17, 67}) {
    CAPTURE(cols);
    const int rows = 5;
    dl::Rng rng(cols);
    auto s = check::random_values(static_cast<std::size_t>(rows) * cols, rng, -30, 30);
    s[0] = 1000;  // exp would overflow without the row max
    std::vector<double> mask(s.size());
    for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = (i % 3 == 1) ? 0 : 1;
    for (int j = 0; j < cols; ++j) mask[2 * cols + j] = 0;  // row 2 fully masked
    std::vector<double> fused(s.size()), reference(s.size());
    dl::masked_softmax_forward(s.data(), mask.data(), fused.data(), rows, cols);
    dl::masked_softmax_reference(s.data(), mask.data(), reference.data(), rows, cols);
    for (std::size_t i = 0; i < s.size(); ++i) {
      CAPTURE(i);
      CHECK(std::isfinite(fused[i]));
      if (static_cast<int>(i) / cols == 2)
        CHECK(fused[i] == 0.0);
      else
        CHECK(fused[i] == doctest::Approx(reference[i]).epsilon(1e-12));
    }
    dl::masked_softmax_forward(s.data(), static_cast<const double*>(nullptr), fused.data(), rows, cols);
    dl::masked_softmax_reference(s.data(), static_cast<const double*>(nullptr), reference.data(), rows, cols);
    for (std::size_t i = 0; i < s.size(); ++i) CHECK(fused[i] == doctest::Approx(reference[i]).epsilon(1e-12));
  }
}

TEST_CASE("softmax backward matches central differences, masked entries included") {
  const int rows = 3, cols = 7;
  dl::Rng rng(9);
  auto s = check::random_values(rows * cols, rng, -3, 3);
  std::vector<double> mask(s.size(), 1.0);
  mask[2] = mask[9] = 0;
  auto r = check::random_values(s.size(), rng);
  auto loss = [&] {
    std::vector<double> p(s.size());
    dl::masked_softmax_forward(s.data(), mask.data(), p.data(), rows, cols);
    return check::dot(p, r);
  };
  std::vector<double> p(s.size()), ds(s.size());
  dl::masked_softmax_forward(s.data(), mask.data(), p.data(), rows, cols);
  dl::softmax_backward(p.data(), r.data(), ds.data(), rows, cols);
  expect_gradient("softmax ds", s, ds, loss);
}

namespace {

struct Case {
  int batch, tq, tv, heads, key_dim, value_dim, out;
  bool separate_key, bias, causal, padding, dropout, scores;
};

// All of one attention's tensors in double, random.
struct Problem {
  dl::AttentionSize z;
  std::vector<double> xq, xk, xv, wq, bq, wk, bk, wv, bv, wo, bo, drop, r, r_scores;
  std::vector<float> mask;
  bool bias = true;

  dl::AttentionWeights<double> weights() const {
    return {wq.data(), bias ? bq.data() : nullptr, wk.data(), bias ? bk.data() : nullptr,
            wv.data(), bias ? bv.data() : nullptr, wo.data(), bias ? bo.data() : nullptr};
  }
  std::vector<double> mask_double() const { return std::vector<double>(mask.begin(), mask.end()); }
};

Problem make_problem(const Case& c, std::uint64_t seed) {
  Problem p;
  dl::AttentionSize& z = p.z;
  z.batch = c.batch, z.tq = c.tq, z.tv = c.tv, z.dq = 3, z.dk = c.separate_key ? 2 : 4, z.dv = 4;
  z.heads = c.heads, z.key_dim = c.key_dim, z.value_dim = c.value_dim, z.out = c.out;
  dl::Rng rng(seed);
  const int hk = z.heads * z.key_dim, hv = z.heads * z.value_dim;
  p.xq = check::random_values(z.batch * z.tq * z.dq, rng);
  p.xv = check::random_values(z.batch * z.tv * z.dv, rng);
  p.xk = c.separate_key ? check::random_values(z.batch * z.tv * z.dk, rng) : p.xv;
  p.wq = check::random_values(z.dq * hk, rng), p.bq = check::random_values(hk, rng);
  p.wk = check::random_values(z.dk * hk, rng), p.bk = check::random_values(hk, rng);
  p.wv = check::random_values(z.dv * hv, rng), p.bv = check::random_values(hv, rng);
  p.wo = check::random_values(hv * z.out, rng), p.bo = check::random_values(z.out, rng);
  p.bias = c.bias;
  std::vector<float> query_mask(z.batch * z.tq, 1.0f), value_mask(z.batch * z.tv, 1.0f);
  if (c.padding) {
    value_mask[z.tv - 1] = 0;  // sample 0's last value step is padding
    query_mask[z.tq - 1] = 0;  // and its last query step
  }
  p.mask.clear();
  dl::attention_mask(c.padding ? query_mask.data() : nullptr, c.padding ? value_mask.data() : nullptr, nullptr, nullptr,
                     c.causal, z.batch, z.tq, z.tv, p.mask);
  if (c.dropout) {
    p.drop.resize(z.batch * z.heads * z.tq * z.tv);
    for (double& d : p.drop) d = rng.uniform() < 0.7 ? 1 / 0.7 : 0;
  }
  p.r = check::random_values(z.batch * z.tq * z.out, rng);
  if (c.scores) p.r_scores = check::random_values(z.batch * z.heads * z.tq * z.tv, rng);
  return p;
}

}  // namespace

TEST_CASE("attention gradients match central differences for query, key, value and every weight") {
  const Case cases[] = {
      {2, 3, 3, 1, 2, 2, 3, false, true, false, false, false, false},
      {2, 3, 4, 3, 2, 3, 2, true, true, false, false, false, false},
      {2, 4, 4, 2, 3, 2, 3, false, true, true, false, false, false},
      {2, 3, 5, 2, 2, 2, 2, true, false, false, true, false, false},
      {1, 4, 3, 3, 2, 1, 2, false, true, true, true, true, false},
      {2, 2, 3, 2, 2, 2, 2, true, true, false, true, false, true},
  };
  int index = 0;
  for (const Case& c : cases) {
    CAPTURE(index++);
    Problem p = make_problem(c, 100 + index);
    const dl::AttentionSize& z = p.z;
    const std::vector<double> mask = p.mask_double();
    const double* m = mask.empty() ? nullptr : mask.data();
    const double* drop = p.drop.empty() ? nullptr : p.drop.data();
    auto loss = [&] {
      dl::AttentionState<double> s;
      std::vector<double> y(z.batch * z.tq * z.out);
      // Without a separate key, the key is the value: the check perturbs xv for both.
      dl::attention_forward(z, p.xq.data(), c.separate_key ? p.xk.data() : p.xv.data(), p.xv.data(), p.weights(), m,
                            drop, s, y.data());
      return check::dot(y, p.r) + (c.scores ? check::dot(s.p, p.r_scores) : 0.0);
    };
    dl::AttentionState<double> s;
    std::vector<double> y(z.batch * z.tq * z.out);
    dl::attention_forward(z, p.xq.data(), p.xk.data(), p.xv.data(), p.weights(), m, drop, s, y.data());
    const int hk = z.heads * z.key_dim, hv = z.heads * z.value_dim;
    std::vector<double> gwq(z.dq * hk), gbq(hk), gwk(z.dk * hk), gbk(hk), gwv(z.dv * hv), gbv(hv), gwo(hv * z.out),
        gbo(z.out), dxq(p.xq.size()), dxk(p.xk.size()), dxv(p.xv.size());
    const dl::AttentionGrads<double> g{gwq.data(), gbq.data(), gwk.data(), gbk.data(),
                                       gwv.data(), gbv.data(), gwo.data(), gbo.data()};
    dl::attention_backward(z, p.xq.data(), p.xk.data(), p.xv.data(), p.weights(), drop, s, p.r.data(),
                           c.scores ? p.r_scores.data() : nullptr, g, dxq.data(),
                           c.separate_key ? dxk.data() : dxv.data(), dxv.data(), false);
    expect_gradient("attention dxq", p.xq, dxq, loss);
    expect_gradient("attention dxv", p.xv, dxv, loss);
    if (c.separate_key) expect_gradient("attention dxk", p.xk, dxk, loss);
    expect_gradient("attention dwq", p.wq, gwq, loss);
    expect_gradient("attention dwk", p.wk, gwk, loss);
    expect_gradient("attention dwv", p.wv, gwv, loss);
    expect_gradient("attention dwo", p.wo, gwo, loss);
    if (!c.bias) continue;
    expect_gradient("attention dbq", p.bq, gbq, loss);
    expect_gradient("attention dbk", p.bk, gbk, loss);
    expect_gradient("attention dbv", p.bv, gbv, loss);
    expect_gradient("attention dbo", p.bo, gbo, loss);
  }
}

TEST_CASE("attention in float (sgemm) equals the double loops on sizes 1, 3, 7 and 17") {
  for (int t : {1, 3, 7, 17}) {
    CAPTURE(t);
    const Case c{3, t, t == 1 ? 1 : t - 1, 3, 7, 3, 5, true, true, true, false, false, false};
    Problem p = make_problem(c, t);
    const dl::AttentionSize& z = p.z;
    auto f = [](const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); };
    const std::vector<float> xq = f(p.xq), xk = f(p.xk), xv = f(p.xv), wq = f(p.wq), bq = f(p.bq), wk = f(p.wk),
                             bk = f(p.bk), wv = f(p.wv), bv = f(p.bv), wo = f(p.wo), bo = f(p.bo);
    const dl::AttentionWeights<float> w{wq.data(), bq.data(), wk.data(), bk.data(),
                                        wv.data(), bv.data(), wo.data(), bo.data()};
    dl::AttentionState<float> sf;
    dl::AttentionState<double> sd;
    std::vector<float> yf(z.batch * z.tq * z.out);
    std::vector<double> yd(yf.size());
    const std::vector<double> mask = p.mask_double();
    dl::attention_forward(z, xq.data(), xk.data(), xv.data(), w, p.mask.data(), static_cast<const float*>(nullptr), sf,
                          yf.data());
    dl::attention_forward(z, p.xq.data(), p.xk.data(), p.xv.data(), p.weights(), mask.data(),
                          static_cast<const double*>(nullptr), sd, yd.data());
    for (std::size_t i = 0; i < yf.size(); ++i) CHECK(yf[i] == doctest::Approx(yd[i]).epsilon(1e-4).scale(1));
  }
}

namespace {

dl::MultiHeadAttentionLayer built_attention(dl::Rng& rng, dl::MultiHeadAttentionOptions o,
                                            const std::vector<std::vector<int>>& shapes) {
  dl::MultiHeadAttentionLayer layer(o);
  layer.name = "multi_head_attention";
  layer.rng = &rng;
  layer.output_shape = layer.build_many(shapes);
  return layer;
}

}  // namespace

TEST_CASE("multi-head attention has Keras' weights and shapes, and the scores as a second part") {
  dl::Rng rng(1);
  dl::MultiHeadAttentionOptions o;
  o.num_heads = 2, o.key_dim = 3, o.value_dim = 4, o.output_shape = 5, o.return_attention_scores = true;
  auto layer = built_attention(rng, o, {{4, 6}, {3, 7}, {3, 2}});
  CHECK(layer.output_shape == std::vector<int>{4 * 5 + 2 * 4 * 3});
  CHECK(layer.output_parts() == std::vector<std::vector<int>>{{4, 5}, {2, 4, 3}});
  const std::vector<std::pair<std::string, std::vector<int>>> expected{{"query/kernel", {6, 2, 3}},
                                                                       {"query/bias", {2, 3}},
                                                                       {"key/kernel", {2, 2, 3}},
                                                                       {"key/bias", {2, 3}},
                                                                       {"value/kernel", {7, 2, 4}},
                                                                       {"value/bias", {2, 4}},
                                                                       {"attention_output/kernel", {2, 4, 5}},
                                                                       {"attention_output/bias", {5}}};
  auto params = layer.parameters();
  REQUIRE(params.size() == expected.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    CHECK(params[i].name == expected[i].first);
    CHECK(params[i].value->shape() == expected[i].second);
  }
  dl::Rng data(2);
  auto values = [&](std::vector<int> shape) {
    dl::Tensor t(shape);
    for (float& v : t.values()) v = static_cast<float>(data.uniform(-1, 1));
    return t;
  };
  dl::Tensor q = values({2, 4, 6}), v = values({2, 3, 7}), k = values({2, 3, 2}), y({2, 4 * 5 + 24});
  layer.forward_many({&q, &v, &k}, y, false);
  for (int n = 0; n < 2; ++n)
    for (int row = 0; row < 2 * 4; ++row) {  // each head's weights over the 3 value steps sum to 1
      double sum = 0;
      for (int j = 0; j < 3; ++j) sum += y[n * 44 + 20 + row * 3 + j];
      CHECK(sum == doctest::Approx(1.0));
    }
}

TEST_CASE("multi-head attention masks: causal steps see no later step, padded value steps get no weight") {
  dl::Rng rng(3);
  dl::MultiHeadAttentionOptions o;
  o.num_heads = 2, o.key_dim = 2, o.use_causal_mask = true, o.return_attention_scores = true;
  auto layer = built_attention(rng, o, {{3, 4}, {3, 4}});
  dl::Tensor x({1, 3, 4}, {0.1f, 0.2f, -0.3f, 0.4f, 1, -1, 0.5f, 0, 0.3f, 0.3f, -0.7f, 0.2f}), y({1, 3 * 4 + 2 * 9});
  dl::Tensor value_mask({1, 3}, {1, 0, 1});
  layer.masks = {nullptr, &value_mask};
  layer.forward_many({&x, &x}, y, true);
  for (int h = 0; h < 2; ++h)
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        const float weight = y[12 + h * 9 + i * 3 + j];
        if (j > i || j == 1)
          CHECK(weight == 0.0f);
        else
          CHECK(weight > 0.0f);
      }
}

TEST_CASE("multi-head attention refuses bad options and inputs, naming them") {
  dl::Rng rng(4);
  auto refuses = [&](dl::MultiHeadAttentionOptions o, std::vector<std::vector<int>> shapes, const char* text) {
    CAPTURE(text);
    dl::MultiHeadAttentionLayer layer(o);
    layer.name = "mha";
    layer.rng = &rng;
    CHECK_THROWS_WITH_AS(layer.build_many(shapes), doctest::Contains(text), dl::EngineError);
  };
  dl::MultiHeadAttentionOptions good;
  good.num_heads = 2, good.key_dim = 4;
  dl::MultiHeadAttentionOptions o = good;
  o.num_heads = 0;
  refuses(o, {{3, 4}, {3, 4}}, "numHeads must be a positive");
  o = good, o.key_dim = 0;
  refuses(o, {{3, 4}, {3, 4}}, "keyDim must be a positive");
  refuses(good, {{3, 4}}, "2 or 3 inputs; it was given 1");
  refuses(good, {{3, 4}, {5, 4}, {4, 4}}, "the key has 4 steps and the value 5");
  refuses(good, {{3, 4, 1}, {3, 4}}, "the query must be a sequence");
  o = good, o.attention_mask_input = true;
  refuses(o, {{3, 4}, {5, 4}, {5, 3}}, "the last input is the mask, of shape (None, 3, 5)");
}

TEST_CASE("multi-head attention drops the same weights however the batch is split, and accumulates gradients") {
  dl::Rng rng(6);
  dl::MultiHeadAttentionOptions o;
  o.num_heads = 2, o.key_dim = 3, o.dropout = 0.5f;
  auto layer = built_attention(rng, o, {{3, 4}, {5, 4}});
  dl::Rng data(7);
  auto values = [&](std::vector<int> shape) {
    dl::Tensor t(shape);
    for (float& v : t.values()) v = static_cast<float>(data.uniform(-1, 1));
    return t;
  };
  dl::Tensor q = values({4, 3, 4}), v = values({4, 5, 4}), whole({4, 3, 4});
  layer.noise_seed = 99;
  layer.forward_many({&q, &v}, whole, true);
  for (int begin : {0, 2}) {
    dl::Tensor qs, vs, part({2, 3, 4});
    q.slice_rows(begin, begin + 2, qs);
    v.slice_rows(begin, begin + 2, vs);
    layer.first_row = begin;
    layer.forward_many({&qs, &vs}, part, true);
    for (std::size_t i = 0; i < part.size(); ++i) CHECK(part[i] == whole[i + begin * 12]);
  }
  layer.first_row = 0;
  dl::Tensor inference({4, 3, 4});
  layer.forward_many({&q, &v}, inference, false);
  CHECK(inference.values() != whole.values());
  dl::Tensor dy = values({4, 3, 4}), dq({4, 3, 4}), dv({4, 5, 4});
  layer.backward_many({&q, &v}, inference, dy, {&dq, &dv});
  std::vector<std::vector<float>> once;
  for (const dl::Parameter& p : layer.parameters()) once.push_back(p.grad->values());
  layer.accumulate_gradients = true;
  layer.backward_many({&q, &v}, inference, dy, {&dq, &dv});
  auto params = layer.parameters();
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < once[k].size(); ++i) CHECK((*params[k].grad)[i] == doctest::Approx(2 * once[k][i]));
}

TEST_CASE("multi-head attention's layer gradients, scores part and value-as-key included, match differences") {
  dl::Rng rng(8);
  dl::MultiHeadAttentionOptions o;
  o.num_heads = 2, o.key_dim = 2, o.return_attention_scores = true, o.use_causal_mask = true;
  auto layer = built_attention(rng, o, {{3, 2}, {4, 3}});
  const int out = 3 * 2 + 2 * 3 * 4;
  dl::Rng data(9);
  dl::Tensor q({2, 3, 2}), v({2, 4, 3}), r({2, out});
  for (dl::Tensor* t : {&q, &v, &r})
    for (float& x : t->values()) x = static_cast<float>(data.uniform(-1, 1));
  auto loss = [&] {
    dl::Tensor y({2, out});
    layer.forward_many({&q, &v}, y, false);
    double s = 0;
    for (std::size_t i = 0; i < y.size(); ++i) s += static_cast<double>(y[i]) * r[i];
    return s;
  };
  dl::Tensor y({2, out}), dq({2, 3, 2}), dv({2, 4, 3});
  layer.forward_many({&q, &v}, y, false);
  dl::Tensor dy = r;
  layer.backward_many({&q, &v}, y, dy, {&dq, &dv});
  auto numeric = [&](float& x) {
    const float saved = x;
    x = saved + 1e-2f;
    const double up = loss();
    x = saved - 1e-2f;
    const double down = loss();
    x = saved;
    return (up - down) / 2e-2;
  };
  for (std::size_t i = 0; i < q.size(); ++i) CHECK(dq[i] == doctest::Approx(numeric(q[i])).epsilon(2e-2).scale(1));
  for (std::size_t i = 0; i < v.size(); ++i) CHECK(dv[i] == doctest::Approx(numeric(v[i])).epsilon(2e-2).scale(1));
  for (const dl::Parameter& p : layer.parameters()) {
    CAPTURE(p.name);
    const std::vector<float> analytic = p.grad->values();
    for (std::size_t i = 0; i < analytic.size(); ++i)
      CHECK(analytic[i] == doctest::Approx(numeric((*p.value)[i])).epsilon(2e-2).scale(1));
  }
}
