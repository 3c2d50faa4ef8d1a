// The layer types: for each, its options as TensorFlow.js names them (Keras' are their
// snake_case), defaults and ranges, its weights, and how it is made from its options.
#include <iterator>
#include <limits>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/option_builder.h"
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
#include "layers/merge.h"
#include "layers/relu.h"
#include "layers/reshape.h"
#include "layers/time_steps.h"
#include "layers/zero_padding2d.h"

namespace dl {

namespace {

constexpr double kMaxUnits = 1 << 20;

// Dense and Conv2D share their activation, bias, initializers and penalties.
#define DL_KERNEL_OPTIONS                                                                                            \
  option("activation", OptionKind::activation, "\"linear\"").main("\"relu\""),                                       \
      option("useBias", OptionKind::flag, "true"),                                                                   \
      option("kernelInitializer", OptionKind::initializer, "\"glorot_uniform\"").not_keras(),                        \
      option("biasInitializer", OptionKind::initializer, "\"zeros\"").not_keras(),                                   \
      option("kernelRegularizer", OptionKind::regularizer).not_keras().about("L1 and L2 penalties on the kernel"),   \
      option("biasRegularizer", OptionKind::regularizer).not_keras(),                                                \
      option("kernelConstraint", OptionKind::constraint).not_keras().about("maxNorm, unitNorm, nonNeg, minMaxNorm"), \
      option("biasConstraint", OptionKind::constraint).not_keras()

constexpr OptionSpec kDenseOptions[] = {option("units", OptionKind::whole).range(1, kMaxUnits).needed().main("16"),
                                        DL_KERNEL_OPTIONS};
constexpr OptionSpec kConv2DOptions[] = {option("filters", OptionKind::whole).range(1, 1 << 16).needed().main("8"),
                                         option("kernelSize", OptionKind::size).range(1, 4096).needed().main("3"),
                                         option("strides", OptionKind::size, "1").range(1, 4096).main(),
                                         option("padding", OptionKind::padding, "\"valid\"").main(), DL_KERNEL_OPTIONS};
#undef DL_KERNEL_OPTIONS
constexpr WeightSpec kKernelWeights[] = {{"kernel", "[inputs, units] or [kh, kw, channels, filters]", ""},
                                         {"bias", "[units] or [filters]", "useBias"}};

constexpr const char* kChannelsLastValue[] = {"\"channels_last\""};
constexpr KerasFixed kChannelsLast[] = {{"data_format", kChannelsLastValue, "only channels_last data is supported"}};
constexpr const char* kNoDilation[] = {"[1,1]", "1"};
constexpr KerasFixed kConv2DFixed[] = {{"data_format", kChannelsLastValue, "only channels_last data is supported"},
                                       {"dilation_rate", kNoDilation, "dilated convolutions are not supported"}};

constexpr OptionSpec kPoolOptions[] = {
    option("poolSize", OptionKind::size, "2").range(1, 4096).main(),
    option("strides", OptionKind::size).range(1, 4096).main("2").same_as_option("poolSize"),
    option("padding", OptionKind::padding, "\"valid\"").main(),
};

constexpr OptionSpec kBatchNormalizationOptions[] = {option("momentum", OptionKind::number, "0.99").range(0, 1),
                                                     option("epsilon", OptionKind::number, "0.001").range(1e-12, 1),
                                                     option("center", OptionKind::flag, "true"),
                                                     option("scale", OptionKind::flag, "true")};
constexpr WeightSpec kBatchNormalizationWeights[] = {{"gamma", "[channels]", "scale"},
                                                     {"beta", "[channels]", "center"},
                                                     {"moving_mean", "[channels]", ""},
                                                     {"moving_variance", "[channels]", ""}};
constexpr const char* kLastAxis[] = {"-1", "[-1]", "3", "[3]", "1", "[1]"};
constexpr KerasFixed kBatchNormalizationFixed[] = {
    {"axis", kLastAxis, "batch normalization is supported over the last axis only"}};

constexpr OptionSpec kDropoutOptions[] = {option("rate", OptionKind::number).range(0, 1, true).needed().main("0.25")};
constexpr OptionSpec kReshapeOptions[] = {
    option("targetShape", OptionKind::shape).needed().about("[28, 28, 1]; one entry may be -1")};
constexpr OptionSpec kActivationOptions[] = {option("activation", OptionKind::activation).needed().main("\"relu\"")};
constexpr OptionSpec kReLUOptions[] = {
    option("maxValue", OptionKind::number).range(1e-30, 1e30).about("none when not given")};
constexpr const char* kZero[] = {"0", "0.0"};
constexpr KerasFixed kReLUFixed[] = {{"negative_slope", kZero, "only negative_slope 0 is supported; use LeakyReLU"},
                                     {"threshold", kZero, "only threshold 0 is supported"}};
constexpr OptionSpec kZeroPaddingOptions[] = {option("padding", OptionKind::margins, "1")
                                                  .range(0, 4096)
                                                  .about("rows and columns of zeros: n, [height, width] or "
                                                         "[[top, bottom], [left, right]]")};
constexpr OptionSpec kLeakyReLUOptions[] = {option("alpha", OptionKind::number, "0.3").range(0, 1000).main()};
constexpr OptionSpec kConcatenateOptions[] = {
    option("axis", OptionKind::whole, "-1").range(-8, 8).main().about("the axis to join along; -1: the last")};
constexpr OptionSpec kDotOptions[] = {
    option("axes", OptionKind::axes)
        .range(-3, 3)
        .needed()
        .main("-1")
        .about("the axis of each input summed over: one for both, or a pair"),
    option("normalize", OptionKind::flag, "false").about("divide each vector by its length first (cosine similarity)")};
constexpr OptionSpec kMaskingOptions[] = {option("maskValue", OptionKind::number, "0")
                                              .range(-1e30, 1e30)
                                              .main()
                                              .about("a step all of this value is padding")};
constexpr OptionSpec kRepeatVectorOptions[] = {
    option("n", OptionKind::whole).range(1, 1 << 20).needed().main("4").about("how many times")};
constexpr OptionSpec kTimeDistributedOptions[] = {
    option("layer", OptionKind::layer)
        .needed()
        .main("{\"type\": \"dense\", \"units\": 8}")
        .about("the layer applied to each step, such as {type: 'dense', units: 8}")};
constexpr WeightSpec kWrappedWeights[] = {{"*", "the weights of the layer it applies", ""}};
constexpr OptionSpec kELUOptions[] = {option("alpha", OptionKind::number, "1").range(0, 1000).main()};

std::unique_ptr<Layer> make_dense(const LayerArgs& a) {
  DenseOptions d;
  d.units = a.whole("units");
  d.activation = a.activation("activation");
  d.use_bias = a.flag("useBias");
  d.kernel_initializer = a.initializer("kernelInitializer");
  d.bias_initializer = a.initializer("biasInitializer");
  d.kernel_regularizer = a.regularizer("kernelRegularizer");
  d.bias_regularizer = a.regularizer("biasRegularizer");
  d.kernel_constraint = a.constraint("kernelConstraint");
  d.bias_constraint = a.constraint("biasConstraint");
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
  c.kernel_constraint = a.constraint("kernelConstraint");
  c.bias_constraint = a.constraint("biasConstraint");
  return std::make_unique<Conv2DLayer>(c);
}

PoolOptions pool_options(const LayerArgs& a) {
  PoolOptions p;
  std::tie(p.pool_h, p.pool_w) = a.size("poolSize");
  std::tie(p.stride_h, p.stride_w) = a.size("strides");  // {0, 0}: the pool size
  p.padding = a.padding("padding");
  return p;
}

std::unique_ptr<Layer> make_max_pooling(const LayerArgs& a) {
  return std::make_unique<MaxPooling2DLayer>(pool_options(a));
}
std::unique_ptr<Layer> make_average_pooling(const LayerArgs& a) {
  return std::make_unique<AveragePooling2DLayer>(pool_options(a));
}

template <MergeOp op>
std::unique_ptr<Layer> make_merge(const LayerArgs&) {
  return std::make_unique<ElementwiseMergeLayer>(op);
}

std::unique_ptr<Layer> make_relu(const LayerArgs& a) {
  const double cap = a.number("maxValue");
  return std::make_unique<ReLULayer>(std::isnan(cap) ? std::numeric_limits<float>::infinity()
                                                     : static_cast<float>(cap));
}

constexpr LayerSpec kLayers[] = {
    {"dense",
     "Dense",
     "every output is a weighted sum of every input, then the activation",
     kDenseOptions,
     kKernelWeights,
     {},
     make_dense},
    {"conv2d", "Conv2D", "small filters slid over the image, one output channel each", kConv2DOptions, kKernelWeights,
     kConv2DFixed, make_conv2d},
    {"maxPooling2d",
     "MaxPooling2D",
     "the largest value of each window",
     kPoolOptions,
     {},
     kChannelsLast,
     make_max_pooling},
    {"averagePooling2d",
     "AveragePooling2D",
     "the mean of each window",
     kPoolOptions,
     {},
     kChannelsLast,
     make_average_pooling},
    {"globalAveragePooling2d",
     "GlobalAveragePooling2D",
     "the mean of each channel over the image",
     {},
     {},
     kChannelsLast,
     [](const LayerArgs&) -> std::unique_ptr<Layer> { return std::make_unique<GlobalAveragePooling2DLayer>(); }},
    {"batchNormalization", "BatchNormalization", "each channel normalized by the batch's statistics",
     kBatchNormalizationOptions, kBatchNormalizationWeights, kBatchNormalizationFixed,
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<BatchNormalizationLayer>(static_cast<float>(a.number("momentum")),
                                                        static_cast<float>(a.number("epsilon")), a.flag("center"),
                                                        a.flag("scale"));
     }},
    {"dropout",
     "Dropout",
     "in training, each value is zeroed with probability rate",
     kDropoutOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<DropoutLayer>(static_cast<float>(a.number("rate")));
     }},
    {"flatten",
     "Flatten",
     "the values in one row",
     {},
     {},
     {},
     [](const LayerArgs&) -> std::unique_ptr<Layer> { return std::make_unique<FlattenLayer>(); }},
    {"reshape",
     "Reshape",
     "the same values in another shape",
     kReshapeOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<ReshapeLayer>(a.shape("targetShape"));
     }},
    {"activation",
     "Activation",
     "one activation applied to every value",
     kActivationOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<ActivationLayer>(a.activation("activation"));
     }},
    {"zeroPadding2d",
     "ZeroPadding2D",
     "rows and columns of zeros around each image",
     kZeroPaddingOptions,
     {},
     kChannelsLast,
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<ZeroPadding2DLayer>(a.margins("padding"));
     }},
    {"reLU", "ReLU", "max(x, 0), capped at maxValue when given", kReLUOptions, {}, kReLUFixed, make_relu},
    {"leakyReLU",
     "LeakyReLU",
     "x where x > 0, alpha x elsewhere",
     kLeakyReLUOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<LeakyReLULayer>(static_cast<float>(a.number("alpha")));
     }},
    {"elu",
     "ELU",
     "x where x > 0, alpha (e^x - 1) elsewhere",
     kELUOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<ELULayer>(static_cast<float>(a.number("alpha")));
     }},
    {"masking",
     "Masking",
     "marks the steps whose values all equal maskValue as padding, which later layers skip",
     kMaskingOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<MaskingLayer>(static_cast<float>(a.number("maskValue")));
     }},
    {"repeatVector",
     "RepeatVector",
     "a sequence of n steps, each the input",
     kRepeatVectorOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> { return std::make_unique<RepeatVectorLayer>(a.whole("n")); }},
    {"timeDistributed",
     "TimeDistributed",
     "one layer applied to every step of a sequence, with one set of weights",
     kTimeDistributedOptions,
     kWrappedWeights,
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<TimeDistributedLayer>(a.layer("layer"));
     }},
    {"add", "Add", "the sum of its inputs, value by value", {}, {}, {}, make_merge<MergeOp::add>, 2, kManyInputs},
    {"subtract", "Subtract", "the first input minus the second", {}, {}, {}, make_merge<MergeOp::subtract>, 2, 2},
    {"multiply",
     "Multiply",
     "the product of its inputs, value by value",
     {},
     {},
     {},
     make_merge<MergeOp::multiply>,
     2,
     kManyInputs},
    {"average",
     "Average",
     "the mean of its inputs, value by value",
     {},
     {},
     {},
     make_merge<MergeOp::average>,
     2,
     kManyInputs},
    {"maximum",
     "Maximum",
     "the largest of its inputs, value by value",
     {},
     {},
     {},
     make_merge<MergeOp::maximum>,
     2,
     kManyInputs},
    {"minimum",
     "Minimum",
     "the smallest of its inputs, value by value",
     {},
     {},
     {},
     make_merge<MergeOp::minimum>,
     2,
     kManyInputs},
    {"concatenate",
     "Concatenate",
     "its inputs side by side along one axis",
     kConcatenateOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> { return std::make_unique<ConcatenateLayer>(a.whole("axis")); },
     1,
     kManyInputs},
    {"dot",
     "Dot",
     "dot products of two inputs along an axis of each",
     kDotOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<DotLayer>(a.axes("axes"), a.flag("normalize"));
     },
     2,
     2},
};

}  // namespace

List<LayerSpec> layer_catalog() {
  // The families side by side in one table, made once: image and merge layers here, the
  // others in their own files.
  static const std::vector<LayerSpec> all = [] {
    std::vector<LayerSpec> specs(std::begin(kLayers), std::end(kLayers));
    for (List<LayerSpec> family : {recurrent_layer_specs(), sequence_layer_specs(), attention_layer_specs()})
      specs.insert(specs.end(), family.begin(), family.end());
    return specs;
  }();
  return List<LayerSpec>(all.data(), all.size());
}

}  // namespace dl
