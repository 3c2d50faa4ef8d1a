// The catalog's layers over sequences and their shapes: 1D convolutions and pooling,
// global pooling, upsampling, transposed convolution, cropping and padding. Options as
// TensorFlow.js names them (Keras' are their snake_case). The sizes of the 1D layers are
// whole numbers, which Keras and TensorFlow.js save as [n] (io/options.h reads both).
// TensorFlow.js 4.22 has no upSampling1d, cropping1d or zeroPadding1d: those take the
// names it would give them. Its Cropping2D factory is cropping2D, and so is ours.
#include <tuple>

#include "catalog/catalog.h"
#include "catalog/option_builder.h"
#include "layers/conv1d.h"
#include "layers/conv2d_transpose.h"
#include "layers/cropping.h"
#include "layers/global_pooling.h"
#include "layers/pooling1d.h"
#include "layers/upsampling.h"

namespace dl {

namespace {

constexpr double kMaxFilters = 1 << 16;

// Conv1D and Conv2DTranspose take the activation, bias, initializers and penalties of
// Dense and Conv2D (catalog/layers.cpp).
#define DL_KERNEL_OPTIONS                                                                                            \
  option("activation", OptionKind::activation, "\"linear\"").main("\"relu\""),                                       \
      option("useBias", OptionKind::flag, "true"),                                                                   \
      option("kernelInitializer", OptionKind::initializer, "\"glorot_uniform\"").not_keras(),                        \
      option("biasInitializer", OptionKind::initializer, "\"zeros\"").not_keras(),                                   \
      option("kernelRegularizer", OptionKind::regularizer).not_keras().about("L1 and L2 penalties on the kernel"),   \
      option("biasRegularizer", OptionKind::regularizer).not_keras(),                                                \
      option("kernelConstraint", OptionKind::constraint).not_keras().about("maxNorm, unitNorm, nonNeg, minMaxNorm"), \
      option("biasConstraint", OptionKind::constraint).not_keras()

constexpr const char* kConv1DPaddings[] = {"valid", "same", "causal"};
constexpr OptionSpec kConv1DOptions[] = {
    option("filters", OptionKind::whole).range(1, kMaxFilters).needed().main("8"),
    option("kernelSize", OptionKind::whole).range(1, 4096).needed().main("3"),
    option("strides", OptionKind::whole, "1").range(1, 4096).main(),
    option("padding", OptionKind::choice, "\"valid\"")
        .one_of(kConv1DPaddings)
        .main()
        .about("causal: zeros only before the sequence, so a step sees no later step"),
    option("dilationRate", OptionKind::whole, "1").range(1, 4096).about("the gap between the kernel's taps"),
    DL_KERNEL_OPTIONS};
constexpr OptionSpec kConv2DTransposeOptions[] = {
    option("filters", OptionKind::whole).range(1, kMaxFilters).needed().main("8"),
    option("kernelSize", OptionKind::size).range(1, 4096).needed().main("3"),
    option("strides", OptionKind::size, "1").range(1, 4096).main("2"),
    option("padding", OptionKind::padding, "\"valid\"").main(), DL_KERNEL_OPTIONS};
#undef DL_KERNEL_OPTIONS
constexpr WeightSpec kConv1DWeights[] = {{"kernel", "[kernelSize, channels, filters]", ""},
                                         {"bias", "[filters]", "useBias"}};
constexpr WeightSpec kConv2DTransposeWeights[] = {{"kernel", "[kh, kw, filters, channels]", ""},
                                                  {"bias", "[filters]", "useBias"}};

constexpr const char* kChannelsLastValue[] = {"\"channels_last\""};
constexpr const char* kOneGroup[] = {"1"};
constexpr const char* kNoOutputPadding[] = {"null"};
constexpr const char* kNoDilation[] = {"[1,1]", "1"};
constexpr KerasFixed kChannelsLast[] = {{"data_format", kChannelsLastValue, "only channels_last data is supported"}};
constexpr KerasFixed kConv1DFixed[] = {{"data_format", kChannelsLastValue, "only channels_last data is supported"},
                                       {"groups", kOneGroup, "grouped convolutions are not supported"}};
constexpr KerasFixed kConv2DTransposeFixed[] = {
    {"data_format", kChannelsLastValue, "only channels_last data is supported"},
    {"dilation_rate", kNoDilation, "dilated transposed convolutions are not supported"},
    {"output_padding", kNoOutputPadding, "only outputPadding null is supported"},
    {"groups", kOneGroup, "grouped convolutions are not supported"}};

constexpr OptionSpec kPool1DOptions[] = {
    option("poolSize", OptionKind::whole, "2").range(1, 4096).main(),
    option("strides", OptionKind::whole).range(1, 4096).main("2").same_as_option("poolSize"),
    option("padding", OptionKind::padding, "\"valid\"").main(),
};
constexpr OptionSpec kGlobalPoolOptions[] = {
    option("keepdims", OptionKind::flag, "false").about("keep the pooled axes, of length 1")};
constexpr OptionSpec kUpSampling1DOptions[] = {
    option("size", OptionKind::whole, "2").range(1, 4096).main().about("how many times each step is repeated")};
constexpr const char* kInterpolations[] = {"nearest", "bilinear"};
constexpr OptionSpec kUpSampling2DOptions[] = {
    option("size", OptionKind::size, "2").range(1, 4096).main().about("n or [rows, columns]: each pixel's copies"),
    option("interpolation", OptionKind::choice, "\"nearest\"")
        .one_of(kInterpolations)
        .about("only nearest is supported so far")};
constexpr OptionSpec kCropping1DOptions[] = {option("cropping", OptionKind::axes, "[1, 1]")
                                                 .range(0, 1 << 20)
                                                 .main()
                                                 .about("steps taken off: n at each end, or [start, end]")};
constexpr OptionSpec kCropping2DOptions[] = {option("cropping", OptionKind::margins)
                                                 .range(0, 4096)
                                                 .needed()
                                                 .main("1")
                                                 .about("rows and columns taken off: n, [height, width] or "
                                                        "[[top, bottom], [left, right]]")};
constexpr OptionSpec kZeroPadding1DOptions[] = {option("padding", OptionKind::axes, "1")
                                                    .range(0, 1 << 20)
                                                    .main()
                                                    .about("zero steps added: n at each end, or [start, end]")};

Padding1D padding_1d(const std::string& name) {
  return name == "same" ? Padding1D::same : name == "causal" ? Padding1D::causal : Padding1D::valid;
}

std::unique_ptr<Layer> make_conv1d(const LayerArgs& a) {
  Conv1DOptions c;
  c.filters = a.whole("filters");
  c.kernel_size = a.whole("kernelSize");
  c.stride = a.whole("strides");
  c.dilation = a.whole("dilationRate");
  c.padding = padding_1d(a.choice("padding"));
  c.activation = a.activation("activation");
  c.use_bias = a.flag("useBias");
  c.kernel_initializer = a.initializer("kernelInitializer");
  c.bias_initializer = a.initializer("biasInitializer");
  c.kernel_regularizer = a.regularizer("kernelRegularizer");
  c.bias_regularizer = a.regularizer("biasRegularizer");
  c.kernel_constraint = a.constraint("kernelConstraint");
  c.bias_constraint = a.constraint("biasConstraint");
  return std::make_unique<Conv1DLayer>(c);
}

std::unique_ptr<Layer> make_conv2d_transpose(const LayerArgs& a) {
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
  return std::make_unique<Conv2DTransposeLayer>(c);
}

template <bool max>
std::unique_ptr<Layer> make_pooling1d(const LayerArgs& a) {
  const int pool = a.whole("poolSize");
  const int stride = a.given("strides") ? a.whole("strides") : 0;
  return std::make_unique<Pooling1DLayer>(max, pool, stride, a.padding("padding"));
}

template <bool max, int axes>
std::unique_ptr<Layer> make_global_pooling(const LayerArgs& a) {
  return std::make_unique<GlobalPoolingLayer>(max, axes, a.flag("keepdims"));
}

std::unique_ptr<Layer> make_upsampling2d(const LayerArgs& a) {
  if (a.choice("interpolation") != "nearest")
    fail_option("interpolation", a.where(),
                ": interpolation \"bilinear\" is not supported yet; use \"nearest\" (each pixel repeated)");
  const auto [h, w] = a.size("size");
  return std::make_unique<UpSamplingLayer>(2, h, w);
}

// Start and end of a 1D margin: n (both) or [start, end].
std::array<int, 4> ends(const LayerArgs& a, const std::string& name) {
  const std::vector<int> v = a.axes(name);
  return {0, 0, v[0], v.size() > 1 ? v[1] : v[0]};
}

constexpr LayerSpec kSequenceLayers[] = {
    {"conv1d", "Conv1D", "small filters slid along the sequence, one output channel each", kConv1DOptions,
     kConv1DWeights, kConv1DFixed, make_conv1d},
    {"maxPooling1d",
     "MaxPooling1D",
     "the largest value of each window of steps",
     kPool1DOptions,
     {},
     kChannelsLast,
     make_pooling1d<true>},
    {"averagePooling1d",
     "AveragePooling1D",
     "the mean of each window of steps",
     kPool1DOptions,
     {},
     kChannelsLast,
     make_pooling1d<false>},
    {"globalMaxPooling1d",
     "GlobalMaxPooling1D",
     "the largest value of each channel over the steps",
     kGlobalPoolOptions,
     {},
     kChannelsLast,
     make_global_pooling<true, 1>},
    {"globalAveragePooling1d",
     "GlobalAveragePooling1D",
     "the mean of each channel over the (unmasked) steps",
     kGlobalPoolOptions,
     {},
     kChannelsLast,
     make_global_pooling<false, 1>},
    {"globalMaxPooling2d",
     "GlobalMaxPooling2D",
     "the largest value of each channel over the image",
     kGlobalPoolOptions,
     {},
     kChannelsLast,
     make_global_pooling<true, 2>},
    {"upSampling1d",
     "UpSampling1D",
     "each step repeated size times",
     kUpSampling1DOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<UpSamplingLayer>(1, 1, a.whole("size"));
     }},
    {"upSampling2d",
     "UpSampling2D",
     "each pixel repeated into a block of size",
     kUpSampling2DOptions,
     {},
     kChannelsLast,
     make_upsampling2d},
    {"conv2dTranspose", "Conv2DTranspose", "each pixel spreads a filter-weighted window: a learned upsampling",
     kConv2DTransposeOptions, kConv2DTransposeWeights, kConv2DTransposeFixed, make_conv2d_transpose},
    {"cropping1d",
     "Cropping1D",
     "steps taken off the start and end of each sequence",
     kCropping1DOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<MarginLayer>(MarginLayer::Kind::cropping1d, ends(a, "cropping"));
     }},
    {"cropping2D",
     "Cropping2D",
     "rows and columns taken off the edges of each image",
     kCropping2DOptions,
     {},
     kChannelsLast,
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<MarginLayer>(MarginLayer::Kind::cropping2d, a.margins("cropping"));
     }},
    {"zeroPadding1d",
     "ZeroPadding1D",
     "zero steps before and after each sequence",
     kZeroPadding1DOptions,
     {},
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<MarginLayer>(MarginLayer::Kind::zero_padding1d, ends(a, "padding"));
     }},
};

}  // namespace

List<LayerSpec> sequence_layer_specs() { return kSequenceLayers; }

}  // namespace dl
