// The catalog's embeddings, layer normalization and attention: Embedding and
// LayerNormalization as TensorFlow.js and Keras have them; MultiHeadAttention as Keras has
// it (TensorFlow.js has none, so our files carry Keras' class and config); PositionEmbedding
// as keras_hub has it. Options marked not_keras are ours or TensorFlow.js' alone:
// MultiHeadAttention's useCausalMask, returnAttentionScores and attentionMask are Keras'
// call arguments, made options so that a layer description holds them.
#include "catalog/catalog.h"
#include "catalog/option_builder.h"
#include "layers/embedding.h"
#include "layers/layer_normalization.h"
#include "layers/multi_head_attention.h"
#include "layers/position_embedding.h"

namespace dl {

namespace {

constexpr double kMaxUnits = 1 << 20;

constexpr OptionSpec kEmbeddingOptions[] = {
    option("inputDim", OptionKind::whole).range(1, 1 << 24).needed().main("100").about("how many ids: [0, inputDim)"),
    option("outputDim", OptionKind::whole).range(1, kMaxUnits).needed().main("16").about("the length of each vector"),
    option("maskZero", OptionKind::flag, "false").main().about("id 0 is padding: later layers skip its steps"),
    option("embeddingsInitializer", OptionKind::initializer, "\"random_uniform\"").not_keras(),
    option("embeddingsRegularizer", OptionKind::regularizer).not_keras(),
    option("embeddingsConstraint", OptionKind::constraint).not_keras(),
    option("inputLength", OptionKind::whole).range(1, kMaxUnits).not_keras().about("ids per sample, checked")};
constexpr WeightSpec kEmbeddingWeights[] = {{"embeddings", "[inputDim, outputDim]", ""}};

constexpr OptionSpec kLayerNormalizationOptions[] = {
    option("axis", OptionKind::whole, "-1").range(-1, 8).about("only the last axis: -1 or its index"),
    option("epsilon", OptionKind::number, "0.001").range(1e-12, 1),
    option("center", OptionKind::flag, "true").about("with beta"),
    option("scale", OptionKind::flag, "true").about("with gamma"),
    option("betaInitializer", OptionKind::initializer, "\"zeros\"").not_keras(),
    option("gammaInitializer", OptionKind::initializer, "\"ones\"").not_keras(),
    option("betaRegularizer", OptionKind::regularizer).not_keras(),
    option("gammaRegularizer", OptionKind::regularizer).not_keras()};
constexpr WeightSpec kLayerNormalizationWeights[] = {{"gamma", "[features]", "scale"},
                                                     {"beta", "[features]", "center"}};

constexpr OptionSpec kMultiHeadAttentionOptions[] = {
    option("numHeads", OptionKind::whole).range(1, 4096).needed().main("2"),
    option("keyDim", OptionKind::whole).range(1, kMaxUnits).needed().main("16").about("the size of each head"),
    option("valueDim", OptionKind::whole).range(1, kMaxUnits).about("keyDim when not given"),
    option("dropout", OptionKind::number, "0").range(0, 1, true).about("of the attention weights, in training"),
    option("useBias", OptionKind::flag, "true"),
    option("outputShape", OptionKind::whole).range(1, kMaxUnits).about("the query's features when not given"),
    option("attentionAxes", OptionKind::whole)
        .range(1, 1)
        .about("only the steps, axis 1: Keras' default (null), the only axes supported"),
    option("useCausalMask", OptionKind::flag, "false")
        .main()
        .not_keras()
        .about("each step attends to itself and earlier steps only (Keras: use_causal_mask when called)"),
    option("returnAttentionScores", OptionKind::flag, "false")
        .not_keras()
        .about("the attention weights (heads, query steps, value steps) as a second output"),
    option("attentionMask", OptionKind::flag, "false")
        .not_keras()
        .about("the last input is a mask (query steps, value steps): 1 where attending is allowed"),
    option("kernelInitializer", OptionKind::initializer, "\"glorot_uniform\"").not_keras(),
    option("biasInitializer", OptionKind::initializer, "\"zeros\"").not_keras(),
    option("kernelRegularizer", OptionKind::regularizer).not_keras(),
    option("biasRegularizer", OptionKind::regularizer).not_keras()};
constexpr WeightSpec kMultiHeadAttentionWeights[] = {
    {"query/kernel", "[queryFeatures, numHeads, keyDim]", ""},
    {"query/bias", "[numHeads, keyDim]", "useBias"},
    {"key/kernel", "[keyFeatures, numHeads, keyDim]", ""},
    {"key/bias", "[numHeads, keyDim]", "useBias"},
    {"value/kernel", "[valueFeatures, numHeads, valueDim]", ""},
    {"value/bias", "[numHeads, valueDim]", "useBias"},
    {"attention_output/kernel", "[numHeads, valueDim, outputShape]", ""},
    {"attention_output/bias", "[outputShape]", "useBias"}};
constexpr OptionSpec kPositionEmbeddingOptions[] = {
    option("sequenceLength", OptionKind::whole).range(1, kMaxUnits).needed().main("64").about("the most steps"),
    option("initializer", OptionKind::initializer, "\"glorot_uniform\"").not_keras(),
    option("embeddingsRegularizer", OptionKind::regularizer).not_keras()};
constexpr WeightSpec kPositionEmbeddingWeights[] = {{"embeddings", "[sequenceLength, features]", ""}};

std::unique_ptr<Layer> make_embedding(const LayerArgs& a) {
  EmbeddingOptions e;
  e.input_dim = a.whole("inputDim");
  e.output_dim = a.whole("outputDim");
  e.mask_zero = a.flag("maskZero");
  e.initializer = a.initializer("embeddingsInitializer");
  e.regularizer = a.regularizer("embeddingsRegularizer");
  e.constraint = a.constraint("embeddingsConstraint");
  e.input_length = a.given("inputLength") ? a.whole("inputLength") : 0;
  return std::make_unique<EmbeddingLayer>(e);
}

std::unique_ptr<Layer> make_layer_normalization(const LayerArgs& a) {
  LayerNormalizationOptions l;
  l.epsilon = static_cast<float>(a.number("epsilon"));
  l.center = a.flag("center");
  l.scale = a.flag("scale");
  l.beta_initializer = a.initializer("betaInitializer");
  l.gamma_initializer = a.initializer("gammaInitializer");
  l.axis = a.whole("axis");
  l.beta_regularizer = a.regularizer("betaRegularizer");
  l.gamma_regularizer = a.regularizer("gammaRegularizer");
  return std::make_unique<LayerNormalizationLayer>(l);
}

std::unique_ptr<Layer> make_multi_head_attention(const LayerArgs& a) {
  MultiHeadAttentionOptions m;
  m.num_heads = a.whole("numHeads");
  m.key_dim = a.whole("keyDim");
  m.value_dim = a.given("valueDim") ? a.whole("valueDim") : 0;
  m.output_shape = a.given("outputShape") ? a.whole("outputShape") : 0;
  m.dropout = static_cast<float>(a.number("dropout"));
  m.use_bias = a.flag("useBias");
  m.use_causal_mask = a.flag("useCausalMask");
  m.return_attention_scores = a.flag("returnAttentionScores");
  m.attention_mask_input = a.flag("attentionMask");
  m.kernel_initializer = a.initializer("kernelInitializer");
  m.bias_initializer = a.initializer("biasInitializer");
  m.kernel_regularizer = a.regularizer("kernelRegularizer");
  m.bias_regularizer = a.regularizer("biasRegularizer");
  return std::make_unique<MultiHeadAttentionLayer>(m);
}

constexpr LayerSpec kAttentionLayers[] = {
    {"embedding",
     "Embedding",
     "each id looks up a trained vector",
     kEmbeddingOptions,
     kEmbeddingWeights,
     {},
     make_embedding},
    {"layerNormalization",
     "LayerNormalization",
     "each step's features normalized by their own mean and variance",
     kLayerNormalizationOptions,
     kLayerNormalizationWeights,
     {},
     make_layer_normalization},
    {"multiHeadAttention",
     "MultiHeadAttention",
     "each query step takes a weighted mix of the value steps, weighted by how its query matches their keys",
     kMultiHeadAttentionOptions,
     kMultiHeadAttentionWeights,
     {},
     make_multi_head_attention,
     2,
     4,
     "returnAttentionScores",
     "true",
     1},
    {"positionEmbedding",
     "PositionEmbedding",
     "a trained vector for each position, to add to the step's own",
     kPositionEmbeddingOptions,
     kPositionEmbeddingWeights,
     {},
     [](const LayerArgs& a) -> std::unique_ptr<Layer> {
       return std::make_unique<PositionEmbeddingLayer>(a.whole("sequenceLength"), a.initializer("initializer"),
                                                       a.regularizer("embeddingsRegularizer"));
     }},
};

}  // namespace

List<LayerSpec> attention_layer_specs() { return kAttentionLayers; }

}  // namespace dl
