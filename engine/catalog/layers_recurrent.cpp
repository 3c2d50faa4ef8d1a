// The catalog's recurrent layers: SimpleRNN, LSTM, GRU and the Bidirectional wrapper.
// Defaults are TensorFlow.js' (our files are its format): recurrentActivation
// hard_sigmoid and GRU resetAfter false, where Keras 3 has sigmoid and true; kernels start
// glorot_uniform (Keras; TensorFlow.js' cells start glorot_normal), recurrent kernels
// orthogonal.
#include "catalog/catalog.h"
#include "catalog/option_builder.h"
#include "layers/bidirectional.h"
#include "layers/recurrent.h"

namespace dl {

namespace {

constexpr double kMaxUnits = 1 << 20;

#define DL_RECURRENT_OPTIONS                                                                                    \
  option("units", OptionKind::whole).range(1, kMaxUnits).needed().main("16"),                                   \
      option("returnSequences", OptionKind::flag, "false")                                                      \
          .main()                                                                                               \
          .about("the output of every step, not only the last"),                                                \
      option("activation", OptionKind::activation, "\"tanh\""), option("useBias", OptionKind::flag, "true"),    \
      option("returnState", OptionKind::flag, "false").about("the final states too, as further outputs"),       \
      option("goBackwards", OptionKind::flag, "false").about("read the steps from last to first"),              \
      option("dropout", OptionKind::number, "0").range(0, 1, true).about("of the inputs, in training"),         \
      option("recurrentDropout", OptionKind::number, "0").range(0, 1, true).about("of the state, in training"), \
      option("kernelInitializer", OptionKind::initializer, "\"glorot_uniform\"").not_keras(),                   \
      option("recurrentInitializer", OptionKind::initializer, "\"orthogonal\"").not_keras(),                    \
      option("biasInitializer", OptionKind::initializer, "\"zeros\"").not_keras(),                              \
      option("kernelRegularizer", OptionKind::regularizer).not_keras(),                                         \
      option("recurrentRegularizer", OptionKind::regularizer).not_keras(),                                      \
      option("biasRegularizer", OptionKind::regularizer).not_keras(),                                           \
      option("kernelConstraint", OptionKind::constraint).not_keras(),                                           \
      option("recurrentConstraint", OptionKind::constraint).not_keras(),                                        \
      option("biasConstraint", OptionKind::constraint).not_keras(),                                             \
      option("stateful", OptionKind::flag, "false").about("only false: states are not kept between batches"),   \
      option("unroll", OptionKind::flag, "false").about("only false")

constexpr OptionSpec kSimpleRNNOptions[] = {DL_RECURRENT_OPTIONS};
constexpr OptionSpec kLSTMOptions[] = {
    DL_RECURRENT_OPTIONS,
    option("recurrentActivation", OptionKind::activation, "\"hard_sigmoid\"").keras3("\"sigmoid\""),
    option("unitForgetBias", OptionKind::flag, "true").about("the forget gate's bias starts at 1")};
constexpr OptionSpec kGRUOptions[] = {
    DL_RECURRENT_OPTIONS,
    option("recurrentActivation", OptionKind::activation, "\"hard_sigmoid\"").keras3("\"sigmoid\""),
    option("resetAfter", OptionKind::flag, "false")
        .keras3("true")
        .about("the reset gate after the recurrent product (Keras 3)")};
#undef DL_RECURRENT_OPTIONS

constexpr WeightSpec kRecurrentWeights[] = {{"kernel", "[features, gates * units]", ""},
                                            {"recurrent_kernel", "[units, gates * units]", ""},
                                            {"bias", "[gates * units]; GRU with resetAfter [2, 3 * units]", "useBias"}};

constexpr const char* kImplementations[] = {"2", "1", "null"};
constexpr KerasFixed kRecurrentFixed[] = {
    {"implementation", kImplementations, "only implementations 1 and 2 (the same results) are known"}};

constexpr const char* kMergeModes[] = {"concat", "sum", "mul", "ave", "null"};
constexpr OptionSpec kBidirectionalOptions[] = {
    option("layer", OptionKind::layer)
        .needed()
        .main("{\"type\": \"lstm\", \"units\": 8}")
        .about("the recurrent layer to run both ways, such as {\"type\": \"lstm\", \"units\": 8}"),
    option("mergeMode", OptionKind::choice, "\"concat\"")
        .one_of(kMergeModes)
        .main()
        .about("how the two directions' outputs join; null: both, as two outputs")};
constexpr WeightSpec kBidirectionalWeights[] = {{"forward_*", "the wrapped layer's weights", ""},
                                                {"backward_*", "the same, for the reversed direction", ""}};

template <CellKind kind>
std::unique_ptr<Layer> make_recurrent(const LayerArgs& a) {
  for (const char* fixed : {"stateful", "unroll"})
    if (a.flag(fixed))
      fail_option(fixed, a.where(), ": ", fixed,
                  " true is not supported: states are not kept between batches and the steps always run in a loop");
  RecurrentOptions o;
  o.kind = kind;
  o.units = a.whole("units");
  o.activation = a.activation("activation");
  if (kind != CellKind::simple_rnn) o.recurrent_activation = a.activation("recurrentActivation");
  o.use_bias = a.flag("useBias");
  o.return_sequences = a.flag("returnSequences");
  o.return_state = a.flag("returnState");
  o.go_backwards = a.flag("goBackwards");
  o.dropout = static_cast<float>(a.number("dropout"));
  o.recurrent_dropout = static_cast<float>(a.number("recurrentDropout"));
  if (kind == CellKind::lstm) o.unit_forget_bias = a.flag("unitForgetBias");
  if (kind == CellKind::gru) o.reset_after = a.flag("resetAfter");
  o.kernel_initializer = a.initializer("kernelInitializer");
  o.recurrent_initializer = a.initializer("recurrentInitializer");
  o.bias_initializer = a.initializer("biasInitializer");
  o.kernel_regularizer = a.regularizer("kernelRegularizer");
  o.recurrent_regularizer = a.regularizer("recurrentRegularizer");
  o.bias_regularizer = a.regularizer("biasRegularizer");
  o.kernel_constraint = a.constraint("kernelConstraint");
  o.recurrent_constraint = a.constraint("recurrentConstraint");
  o.bias_constraint = a.constraint("biasConstraint");
  return std::make_unique<RecurrentLayer>(o);
}

std::unique_ptr<Layer> make_bidirectional(const LayerArgs& a) {
  std::unique_ptr<Layer> inner = a.layer("layer");
  auto* recurrent = dynamic_cast<RecurrentLayer*>(inner.get());
  if (!recurrent) fail_option("layer", a.where(), ": layer must be a SimpleRNN, LSTM or GRU; got ", inner->type());
  const std::string mode = a.choice("mergeMode");
  return std::make_unique<BidirectionalLayer>(recurrent->options(), merge_mode_from_name(mode), inner->name);
}

constexpr LayerSpec kRecurrentLayers[] = {
    {"simpleRNN", "SimpleRNN", "a state updated at every step from the step's input and itself", kSimpleRNNOptions,
     kRecurrentWeights, kRecurrentFixed, make_recurrent<CellKind::simple_rnn>, 1, 2, "returnState", "true", 1},
    {"lstm", "LSTM", "a state and a carry updated through input, forget and output gates at every step", kLSTMOptions,
     kRecurrentWeights, kRecurrentFixed, make_recurrent<CellKind::lstm>, 1, 3, "returnState", "true", 2},
    {"gru", "GRU", "a state updated through update and reset gates at every step", kGRUOptions, kRecurrentWeights,
     kRecurrentFixed, make_recurrent<CellKind::gru>, 1, 2, "returnState", "true", 1},
    {"bidirectional",
     "Bidirectional",
     "a recurrent layer run forward and backward in time, outputs joined",
     kBidirectionalOptions,
     kBidirectionalWeights,
     {},
     make_bidirectional,
     1,
     1,
     "mergeMode",
     "null",
     1},
};

}  // namespace

List<LayerSpec> recurrent_layer_specs() { return kRecurrentLayers; }

}  // namespace dl
