// Initializers with arguments (TensorFlow.js' {className, config}) and weight constraints:
// the statistics each initializer promises, the norms each constraint leaves, a constraint
// applied after every optimizer update in fit, and bad arguments refused by name.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "catalog/catalog.h"
#include "io/json.h"
#include "io/model_description.h"
#include "layers/initializers.h"
#include "layers/layer.h"
#include "train/sequential.h"

namespace {

struct Moments {
  double mean = 0, variance = 0, low = 1e9, high = -1e9;
};

Moments moments(const dl::Tensor& t) {
  Moments m;
  for (float v : t.values()) {
    m.mean += v;
    m.low = std::min(m.low, static_cast<double>(v));
    m.high = std::max(m.high, static_cast<double>(v));
  }
  m.mean /= static_cast<double>(t.size());
  for (float v : t.values()) m.variance += (v - m.mean) * (v - m.mean);
  m.variance /= static_cast<double>(t.size());
  return m;
}

dl::Initializer parsed(const std::string& json) {
  return dl::initializer_from_json(dl::Json::parse(json), "dense: kernelInitializer", "kernelInitializer");
}

dl::Constraint constraint(const std::string& json) {
  return dl::constraint_from_json(dl::Json::parse(json), "dense: kernelConstraint", "kernelConstraint");
}

}  // namespace

TEST_CASE("initializers give the variance, range and values their arguments ask for") {
  dl::Rng rng(11);
  const int fan_in = 300, fan_out = 100;
  dl::Tensor w({fan_in, fan_out});
  struct Case {
    const char* json;
    double mean, variance, low, high;  // low/high: bounds every value keeps (NaN: none)
  };
  const double none = std::nan("");
  const Case cases[] = {
      {R"({"className": "VarianceScaling", "config": {"scale": 2, "mode": "fanIn", "distribution": "normal"}})", 0,
       2.0 / fan_in, -2 * std::sqrt(2.0 / fan_in) / 0.8796, 2 * std::sqrt(2.0 / fan_in) / 0.8796},
      {R"({"className": "VarianceScaling", "config": {"scale": 3, "mode": "fan_out", "distribution": "uniform"}})", 0,
       3.0 / fan_out, -std::sqrt(9.0 / fan_out), std::sqrt(9.0 / fan_out)},
      {R"({"class_name": "VarianceScaling", "config": {"mode": "fan_avg", "distribution": "untruncated_normal"}})", 0,
       1.0 / 200, none, none},
      {R"({"className": "LeCunNormal"})", 0, 1.0 / fan_in, -2 / std::sqrt(fan_in) / 0.8796,
       2 / std::sqrt(fan_in) / 0.8796},
      {R"({"className": "LecunUniform", "config": {"seed": null}})", 0, 1.0 / fan_in, -std::sqrt(3.0 / fan_in),
       std::sqrt(3.0 / fan_in)},
      {R"({"className": "RandomNormal", "config": {"mean": 1.5, "stddev": 0.2}})", 1.5, 0.04, none, none},
      {R"({"className": "TruncatedNormal", "config": {"mean": -1, "stddev": 0.1}})", -1, 0.01 * 0.7737, -1.2, -0.8},
      {R"({"className": "RandomUniform", "config": {"minval": 2, "maxval": 4}})", 3, 4.0 / 12, 2, 4},
      {R"({"className": "Constant", "config": {"value": 0.25}})", 0.25, 0, 0.25, 0.25},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    dl::initialize(w, parsed(c.json), fan_in, fan_out, rng);
    const Moments m = moments(w);
    CHECK(m.mean == doctest::Approx(c.mean).epsilon(0.02).scale(1));
    CHECK(m.variance == doctest::Approx(c.variance).epsilon(0.05));
    if (!std::isnan(c.low)) {
      CHECK(m.low >= c.low - 1e-6);
      CHECK(m.high <= c.high + 1e-6);
    }
  }
  // Names take their defaults: TensorFlow.js' leCunNormal, Keras' lecun_normal.
  CHECK(dl::initializer_from_name("leCunNormal", "x").kind == dl::InitKind::lecun_normal);
  CHECK(dl::initializer_from_name("lecun_uniform", "x").kind == dl::InitKind::lecun_uniform);
  CHECK(dl::initializer_from_name("truncatedNormal", "x").stddev == 0.05);
}

TEST_CASE("identity and orthogonal take a gain; identity is for 2D weights only") {
  dl::Rng rng(2);
  dl::Tensor w({3, 5});
  dl::initialize(w, parsed(R"({"className": "Identity", "config": {"gain": 2}})"), 3, 5, rng);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 5; ++c) CHECK(w[static_cast<std::size_t>(r) * 5 + c] == (r == c ? 2.0f : 0.0f));
  dl::Tensor square({4, 4});
  dl::initialize(square, parsed(R"({"className": "Orthogonal", "config": {"gain": 3}})"), 4, 4, rng);
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b) {
      double dot = 0;
      for (int k = 0; k < 4; ++k)
        dot += square[static_cast<std::size_t>(k) * 4 + a] * square[static_cast<std::size_t>(k) * 4 + b];
      CHECK(dot == doctest::Approx(a == b ? 9.0 : 0.0).scale(1));
    }
  dl::Tensor conv({3, 3, 2, 4});
  CHECK_THROWS_WITH(dl::initialize(conv, dl::Initializer(dl::InitKind::identity), 18, 36, rng),
                    doctest::Contains("identity initializer is for 2D weights (a Dense kernel); this weight has "
                                      "shape (3, 3, 2, 4)"));
}

TEST_CASE("bad initializer objects are refused naming the option and the argument") {
  auto refused = [](const std::string& json, const std::string& expected) {
    CAPTURE(json);
    try {
      parsed(json);
      FAIL("accepted");
    } catch (const dl::OptionError& e) {
      CHECK(e.option == "kernelInitializer");
      CHECK(std::string(e.what()).find(expected) != std::string::npos);
    }
  };
  refused(R"({"config": {}})", "an initializer object needs a className such as");
  refused(R"({"className": "Glorious"})", "unknown initializer \"Glorious\"; expected one of glorot_uniform");
  refused(R"({"className": "RandomNormal", "config": {"scale": 2}})",
          "unknown option \"scale\"; expected one of mean, stddev, seed");
  refused(R"({"className": "VarianceScaling", "config": {"mode": "fanMiddle"}})",
          "unknown mode \"fanMiddle\"; expected one of fan_in, fan_out, fan_avg");
  refused(R"({"className": "VarianceScaling", "config": {"scale": -1}})", "scale must be above 0; got -1");
  refused(R"({"className": "RandomUniform", "config": {"minval": 1, "maxval": 0}})", "minval 1 is above maxval 0");
  refused(R"({"className": "Constant", "config": {"value": "big"}})", "value must be a number; got a string");
}

TEST_CASE("constraints leave the norms they promise, over the axes they name") {
  dl::Rng rng(4);
  dl::Tensor w({6, 3});
  auto fill = [&] {
    for (float& v : w.values()) v = static_cast<float>(rng.normal() * 3);
  };
  auto column_norm = [&](int c) {
    double s = 0;
    for (int r = 0; r < 6; ++r) s += w[static_cast<std::size_t>(r) * 3 + c] * w[static_cast<std::size_t>(r) * 3 + c];
    return std::sqrt(s);
  };
  fill();
  std::vector<double> before = {column_norm(0), column_norm(1), column_norm(2)};
  dl::apply_constraint(constraint(R"({"className": "MaxNorm", "config": {"maxValue": 1.5, "axis": 0}})"), w);
  for (int c = 0; c < 3; ++c) CHECK(column_norm(c) == doctest::Approx(std::min(before[c], 1.5)).epsilon(1e-5));
  fill();
  dl::apply_constraint(constraint(R"("unitNorm")"), w);
  for (int c = 0; c < 3; ++c) CHECK(column_norm(c) == doctest::Approx(1.0).epsilon(1e-5));
  // Rows (axis 1), and a rate of a half: halfway from the norm to the nearest bound.
  fill();
  std::vector<double> rows(6);
  for (int r = 0; r < 6; ++r) rows[r] = std::sqrt(std::inner_product(&w[r * 3], &w[r * 3] + 3, &w[r * 3], 0.0));
  dl::apply_constraint(
      constraint(R"({"className": "MinMaxNorm", "config": {"minValue": 2, "maxValue": 3, "rate": 0.5, "axis": 1}})"),
      w);
  for (int r = 0; r < 6; ++r) {
    const double after = std::sqrt(std::inner_product(&w[r * 3], &w[r * 3] + 3, &w[r * 3], 0.0));
    CHECK(after == doctest::Approx(0.5 * std::min(std::max(rows[r], 2.0), 3.0) + 0.5 * rows[r]).epsilon(1e-5));
  }
  // Over every axis but the last of a 4D kernel: each filter's norm.
  dl::Tensor k({2, 2, 3, 4});
  for (float& v : k.values()) v = static_cast<float>(rng.normal());
  dl::apply_constraint(constraint(R"({"className": "UnitNorm", "config": {"axis": [0, 1, 2]}})"), k);
  for (int f = 0; f < 4; ++f) {
    double s = 0;
    for (std::size_t i = static_cast<std::size_t>(f); i < k.size(); i += 4) s += k[i] * k[i];
    CHECK(std::sqrt(s) == doctest::Approx(1.0).epsilon(1e-5));
  }
  dl::apply_constraint(constraint(R"("non_neg")"), w);
  for (float v : w.values()) CHECK(v >= 0.0f);
  CHECK_THROWS_WITH(dl::apply_constraint(constraint(R"({"className": "MaxNorm", "config": {"axis": 2}})"), w),
                    doctest::Contains("axis 2 is outside the weight's 2 axes (shape (6, 3))"));
  CHECK_THROWS_WITH(constraint(R"("maxNormal")"),
                    doctest::Contains("unknown constraint \"maxNormal\"; expected one of max_norm"));
  CHECK_THROWS_WITH(constraint(R"({"className": "MaxNorm", "config": {"maxValue": -1}})"),
                    doctest::Contains("expected 0 <= minValue <= maxValue"));
  CHECK_THROWS_WITH(constraint(R"({"className": "MinMaxNorm", "config": {"rate": 2}})"),
                    doctest::Contains("rate must be in [0, 1]"));
}

TEST_CASE("fit applies a layer's constraints after every update") {
  auto model = dl::model_from_json(R"({"seed": 1, "layers": [
    {"type": "dense", "units": 4, "inputShape": [3], "kernelConstraint": "nonNeg",
     "biasConstraint": {"className": "MaxNorm", "config": {"maxValue": 0.1}},
     "kernelInitializer": {"className": "RandomNormal", "config": {"stddev": 1}}}],
    "compile": {"optimizer": {"type": "sgd", "learningRate": 0.5}, "loss": "mse"}})");
  dl::Tensor x({16, 3}), y({16, 4});
  dl::Rng rng(3);
  for (float& v : x.values()) v = static_cast<float>(rng.normal());
  for (float& v : y.values()) v = static_cast<float>(-5 + rng.normal());  // pulls the kernel negative
  // Before training the kernel has negative values (initializers ignore constraints).
  std::vector<dl::Parameter> params = model->parameters();
  CHECK(moments(*params[0].value).low < -0.5);
  dl::FitOptions options;
  options.epochs = 2;
  options.batch_size = 4;
  model->fit(x, y, options);
  params = model->parameters();
  CHECK(moments(*params[0].value).low >= 0.0);
  double bias = 0;
  for (float v : params[1].value->values()) bias += v * v;
  CHECK(std::sqrt(bias) <= 0.1 + 1e-6);
  CHECK(std::sqrt(bias) > 0.09);  // the loss pushed it to the bound
}
