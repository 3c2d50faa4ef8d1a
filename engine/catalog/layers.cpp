// The layer types: for each, its options as TensorFlow.js names them (Keras' are their
// snake_case), defaults and ranges, its weights, and how it is made from its options.
#include <limits>

#include "catalog/catalog.h"
#include "layers/activation.h"
#include "layers/average_pooling2d.h"
#include "layers/batch_normalization.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/elu.h"
#include "layers/global_average_pooling2d.h"
#include "layers/leaky_relu.h"
#include "layers/max_pooling2d.h"
#include "layers/relu.h"
#include "layers/reshape.h"

namespace dl {

namespace {

// An option written as a chain: option("units", OptionKind::whole).range(1, 4096).main("16").
struct option : OptionSpec {
  option(std::string n, OptionKind k, std::string fallback_json = "null") {
    name = std::move(n);
    kind = k;
    fallback = std::move(fallback_json);
  }
  option range(double lo, double hi, bool open = false) {
    option o = *this;
    o.low = lo;
    o.high = hi;
    o.high_open = open;
    return o;
  }
  option needed() {
    option o = *this;
    o.required = true;
    return o;
  }
  // Shown by a builder; `start` is the value a new layer starts with.
  option main(std::string start = "") {
    option o = *this;
    o.OptionSpec::main = true;
    o.suggested = std::move(start);
    return o;
  }
  option not_keras() {
    option o = *this;
    o.keras = false;
    return o;
  }
  option same_as_option(std::string other) {
    option o = *this;
    o.same_as = std::move(other);
    return o;
  }
  option about(std::string text) {
    option o = *this;
    o.help = std::move(text);
    return o;
  }
};

constexpr double kMaxUnits = 1 << 20;
const KerasFixed kChannelsLast{"data_format", {"\"channels_last\""}, "only channels_last data is supported"};

// Dense and Conv2D share their activation, bias, initializers and penalties.
std::vector<OptionSpec> kernel_options() {
  return {
      option("activation", OptionKind::activation, "\"linear\"").main("\"relu\""),
      option("useBias", OptionKind::flag, "true"),
      option("kernelInitializer", OptionKind::initializer, "\"glorot_uniform\"").not_keras(),
      option("biasInitializer", OptionKind::initializer, "\"zeros\"").not_keras(),
      option("kernelRegularizer", OptionKind::regularizer).not_keras().about("L1 and L2 penalties on the kernel"),
      option("biasRegularizer", OptionKind::regularizer).not_keras(),
  };
}

std::vector<OptionSpec> with(std::vector<OptionSpec> first, const std::vector<OptionSpec>& rest) {
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

const std::vector<WeightSpec> kKernelWeights = {{"kernel", "[inputs, units] or [kh, kw, channels, filters]", ""},
                                                {"bias", "[units] or [filters]", "useBias"}};

std::unique_ptr<Layer> make_dense(const LayerArgs& a) {
  DenseOptions d;
  d.units = a.whole("units");
  d.activation = a.activation("activation");
  d.use_bias = a.flag("useBias");
  d.kernel_initializer = a.initializer("kernelInitializer");
  d.bias_initializer = a.initializer("biasInitializer");
  d.kernel_regularizer = a.regularizer("kernelRegularizer");
  d.bias_regularizer = a.regularizer("biasRegularizer");
  return std::make_unique<DenseLayer>(d);
}

std::unique_ptr<Layer> make_conv2d(const LayerArgs& a) {
  Conv2DOptions c;
  c.filters = a.whole("filters");
  std::tie(c.kernel_h, c.kernel_w) = a.size("kernelSize");
  std::tie(c.stride_h, c.stride_w) = a.size("strides");
  c.padding = a.padding("padding");
  c.activation = a.activation("activation");
  c.use_bias = a.flag("useBias");
  c.kernel_initializer = a.initializer("kernelInitializer");
  c.bias_initializer = a.initializer("biasInitializer");
  c.kernel_regularizer = a.regularizer("kernelRegularizer");
  c.bias_regularizer = a.regularizer("biasRegularizer");
  return std::make_unique<Conv2DLayer>(c);
}

PoolOptions pool_options(const LayerArgs& a) {
  PoolOptions p;
  std::tie(p.pool_h, p.pool_w) = a.size("poolSize");
  std::tie(p.stride_h, p.stride_w) = a.size("strides");  // {0, 0}: the pool size
  p.padding = a.padding("padding");
  return p;
}

const std::vector<OptionSpec> kPoolOptions = {
    option("poolSize", OptionKind::size, "2").range(1, 4096).main(),
    option("strides", OptionKind::size).range(1, 4096).main("2").same_as_option("poolSize"),
    option("padding", OptionKind::padding, "\"valid\"").main(),
};

std::unique_ptr<Layer> make_max_pooling(const LayerArgs& a) {
  return std::make_unique<MaxPooling2DLayer>(pool_options(a));
}
std::unique_ptr<Layer> make_average_pooling(const LayerArgs& a) {
  return std::make_unique<AveragePooling2DLayer>(pool_options(a));
}

std::unique_ptr<Layer> make_relu(const LayerArgs& a) {
  const double cap = a.number("maxValue");
  return std::make_unique<ReLULayer>(std::isnan(cap) ? std::numeric_limits<float>::infinity()
                                                     : static_cast<float>(cap));
}

std::vector<LayerSpec> make_catalog() {
  std::vector<LayerSpec> c;
  c.push_back({"dense",
               "Dense",
               "every output is a weighted sum of every input, then the activation",
               with({option("units", OptionKind::whole).range(1, kMaxUnits).needed().main("16")}, kernel_options()),
               kKernelWeights,
               {},
               make_dense});
  c.push_back({"conv2d",
               "Conv2D",
               "small filters slid over the image, one output channel each",
               with({option("filters", OptionKind::whole).range(1, 1 << 16).needed().main("8"),
                     option("kernelSize", OptionKind::size).range(1, 4096).needed().main("3"),
                     option("strides", OptionKind::size, "1").range(1, 4096).main(),
                     option("padding", OptionKind::padding, "\"valid\"").main()},
                    kernel_options()),
               kKernelWeights,
               {kChannelsLast, {"dilation_rate", {"[1,1]", "1"}, "dilated convolutions are not supported"}},
               make_conv2d});
  c.push_back({"maxPooling2d",
               "MaxPooling2D",
               "the largest value of each window",
               kPoolOptions,
               {},
               {kChannelsLast},
               make_max_pooling});
  c.push_back({"averagePooling2d",
               "AveragePooling2D",
               "the mean of each window",
               kPoolOptions,
               {},
               {kChannelsLast},
               make_average_pooling});
  c.push_back(
      {"globalAveragePooling2d",
       "GlobalAveragePooling2D",
       "the mean of each channel over the image",
       {},
       {},
       {kChannelsLast},
       [](const LayerArgs&) -> std::unique_ptr<Layer> { return std::make_unique<GlobalAveragePooling2DLayer>(); }});
  c.push_back(
      {"batchNormalization",
       "BatchNormalization",
       "each channel normalized by the batch's statistics",
       {option("momentum", OptionKind::number, "0.99").range(0, 1),
        option("epsilon", OptionKind::number, "0.001").range(1e-12, 1), option("center", OptionKind::flag, "true"),
        option("scale", OptionKind::flag, "true")},
       {{"gamma", "[channels]", "scale"},
        {"beta", "[channels]", "center"},
        {"moving_mean", "[channels]", ""},
        {"moving_variance", "[channels]", ""}},
       {{"axis", {"-1", "[-1]", "3", "[3]", "1", "[1]"}, "batch normalization is supported over the last axis only"}},
       [](const LayerArgs& a) -> std::unique_ptr<Layer> {
         return std::make_unique<BatchNormalizationLayer>(static_cast<float>(a.number("momentum")),
                                                          static_cast<float>(a.number("epsilon")), a.flag("center"),
                                                          a.flag("scale"));
       }});
  c.push_back({"dropout",
               "Dropout",
               "in training, each value is zeroed with probability rate",
               {option("rate", OptionKind::number).range(0, 1, true).needed().main("0.25")},
               {},
               {},
               [](const LayerArgs& a) -> std::unique_ptr<Layer> {
                 return std::make_unique<DropoutLayer>(static_cast<float>(a.number("rate")));
               }});
  c.push_back(
      {"flatten", "Flatten", "the values in one row", {}, {}, {}, [](const LayerArgs&) -> std::unique_ptr<Layer> {
         return std::make_unique<FlattenLayer>();
       }});
  c.push_back({"reshape",
               "Reshape",
               "the same values in another shape",
               {option("targetShape", OptionKind::shape).needed().about("[28, 28, 1]; one entry may be -1")},
               {},
               {},
               [](const LayerArgs& a) -> std::unique_ptr<Layer> {
                 return std::make_unique<ReshapeLayer>(a.shape("targetShape"));
               }});
  c.push_back({"activation",
               "Activation",
               "one activation applied to every value",
               {option("activation", OptionKind::activation).needed().main("\"relu\"")},
               {},
               {},
               [](const LayerArgs& a) -> std::unique_ptr<Layer> {
                 return std::make_unique<ActivationLayer>(a.activation("activation"));
               }});
  c.push_back({"reLU",
               "ReLU",
               "max(x, 0), capped at maxValue when given",
               {option("maxValue", OptionKind::number).range(1e-30, 1e30).about("none when not given")},
               {},
               {{"negative_slope", {"0", "0.0"}, "only negative_slope 0 is supported; use LeakyReLU"},
                {"threshold", {"0", "0.0"}, "only threshold 0 is supported"}},
               make_relu});
  c.push_back({"leakyReLU",
               "LeakyReLU",
               "x where x > 0, alpha x elsewhere",
               {option("alpha", OptionKind::number, "0.3").range(0, 1000).main()},
               {},
               {},
               [](const LayerArgs& a) -> std::unique_ptr<Layer> {
                 return std::make_unique<LeakyReLULayer>(static_cast<float>(a.number("alpha")));
               }});
  c.push_back({"elu",
               "ELU",
               "x where x > 0, alpha (e^x - 1) elsewhere",
               {option("alpha", OptionKind::number, "1").range(0, 1000).main()},
               {},
               {},
               [](const LayerArgs& a) -> std::unique_ptr<Layer> {
                 return std::make_unique<ELULayer>(static_cast<float>(a.number("alpha")));
               }});
  return c;
}

}  // namespace

const std::vector<LayerSpec>& layer_catalog() {
  static const std::vector<LayerSpec> catalog = make_catalog();
  return catalog;
}

}  // namespace dl
