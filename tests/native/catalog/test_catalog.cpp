// The catalog drives the description reader: every entry builds into the layer it names,
// with the weights it lists; every option is checked with an error that names it; the
// JSON export holds what JavaScript derives from.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "catalog/catalog.h"
#include "core/names.h"
#include "io/model_description.h"

namespace {

std::unique_ptr<dl::Layer> build(const std::string& description, std::vector<int> shape);
std::string suggested_description(const dl::LayerSpec& spec, const std::string& extra = "");

// The input a layer takes: vectors, else sequences, else images (the first it builds on).
std::vector<int> input_for(const dl::LayerSpec& spec) {
  for (std::vector<int> shape : {std::vector<int>{12}, std::vector<int>{6, 4}, std::vector<int>{9, 9, 3}}) {
    try {
      build(suggested_description(spec), shape);
      return shape;
    } catch (const dl::EngineError&) {
    }
  }
  return {12};
}

// A description of the layer with every required or main option at its suggested value.
// `extra` (", \"name\": value") replaces the option it names.
std::string suggested_description(const dl::LayerSpec& spec, const std::string& extra) {
  std::string text = std::string("{\"type\": \"") + spec.type + "\"";
  for (const dl::OptionSpec& o : spec.options) {
    if ((!o.required && !o.main) || extra.find(std::string("\"") + o.name + "\"") != std::string::npos) continue;
    std::string value = *o.suggested ? o.suggested : o.fallback;
    if (o.kind == dl::OptionKind::shape) value = "[-1]";
    text += std::string(", \"") + o.name + "\": " + value;
  }
  return text + extra + "}";
}

std::unique_ptr<dl::Layer> build(const std::string& description, std::vector<int> shape) {
  std::vector<int> declared;
  auto layer = dl::layer_from_json(dl::Json::parse(description), "layer", &declared);
  dl::Rng rng(1);
  layer->rng = &rng;
  layer->name = "l";
  layer->input_shape = shape;
  // A merge layer takes as many tensors as it needs at least.
  const dl::LayerSpec* spec = dl::find_layer_spec(layer->type());
  layer->output_shape = layer->build_many(std::vector<std::vector<int>>(spec ? spec->min_inputs : 1, shape));
  return layer;
}

}  // namespace

TEST_CASE("every catalog entry builds the layer it names, with the weights it lists") {
  CHECK(dl::layer_catalog().size() >= 12);
  for (const dl::LayerSpec& spec : dl::layer_catalog()) {
    CAPTURE(std::string(spec.type));
    auto layer = build(suggested_description(spec), input_for(spec));
    CHECK(layer->type() == spec.keras_class);
    CHECK(dl::find_layer_spec(spec.keras_class) == &spec);  // Keras' spelling finds it too
    std::vector<std::string> listed, built;
    for (const dl::WeightSpec& w : spec.weights) listed.push_back(w.name);
    for (const dl::Parameter& p : layer->parameters()) built.push_back(p.name);
    // A wrapper (TimeDistributed, Bidirectional) has the weights of the layer it wraps.
    const bool wrapper = std::any_of(spec.options.begin(), spec.options.end(),
                                     [](const dl::OptionSpec& o) { return o.kind == dl::OptionKind::layer; });
    if (wrapper)
      CHECK(!built.empty());
    else
      CHECK(built == listed);
    // With a flag off, its weight goes.
    for (const dl::WeightSpec& w : spec.weights) {
      if (!*w.when) continue;
      auto without = build(suggested_description(spec, std::string(", \"") + w.when + "\": false"), input_for(spec));
      for (const dl::Parameter& p : without->parameters()) CHECK(p.name != w.name);
    }
  }
}

TEST_CASE("every option of every layer refuses a value of the wrong kind, naming the option") {
  for (const dl::LayerSpec& spec : dl::layer_catalog()) {
    for (const dl::OptionSpec& o : spec.options) {
      CAPTURE(std::string(spec.type));
      CAPTURE(std::string(o.name));
      // A string where a number, flag, size, shape or penalty belongs; a number for a name.
      const bool named = o.kind == dl::OptionKind::activation || o.kind == dl::OptionKind::padding ||
                         o.kind == dl::OptionKind::initializer;
      const std::string bad = named ? "\"no_such_name\"" : "\"seven\"";
      const std::string text =
          "{\"layers\": [" + suggested_description(spec, std::string(", \"") + o.name + "\": " + bad) + "]}";
      try {
        dl::model_from_json(text);
        FAIL("accepted " << text);
      } catch (const dl::ModelBuildError& e) {
        CHECK(e.option == o.name);
        CHECK(std::string(e.what()).find(o.name) != std::string::npos);
      }
    }
  }
}

TEST_CASE("required options are asked for by name, and numbers are held to their range") {
  CHECK_THROWS_WITH_AS(dl::model_from_json(R"({"layers": [{"type": "leakyReLU", "alpha": -1, "inputShape": [3]}]})"),
                       doctest::Contains("alpha must be in [0, 1000]; got -1"), dl::ModelBuildError);
  CHECK_THROWS_WITH_AS(dl::model_from_json(R"({"layers": [{"type": "dense", "inputShape": [3]}]})"),
                       doctest::Contains("needs units, such as 16"), dl::ModelBuildError);
  CHECK_THROWS_WITH_AS(dl::model_from_json(R"({"layers": [{"type": "reLU", "maxValue": 0, "inputShape": [3]}]})"),
                       doctest::Contains("maxValue must be in"), dl::ModelBuildError);
}

TEST_CASE("an optimizer takes the options the catalog lists for it, and only those") {
  for (const dl::OptimizerSpec& o : dl::optimizer_catalog()) {
    std::string text = R"({"layers": [{"type": "dense", "units": 1, "inputShape": [2]}], "compile": {"loss": "mse",
                         "optimizer": {"type": ")" +
                       o.name + "\"";
    for (const auto& [name, value] : o.options) text += ", \"" + name + "\": " + value;
    CAPTURE(text);
    CHECK_NOTHROW(dl::model_from_json(text + "}}}"));
  }
  CHECK_THROWS_WITH_AS(dl::model_from_json(R"({"layers": [{"type": "dense", "units": 1, "inputShape": [2]}],
                              "compile": {"loss": "mse", "optimizer": {"type": "adam", "momentum": 0.9}}})"),
                       doctest::Contains("compile: optimizer (adam): unknown option \"momentum\""), dl::EngineError);
}

TEST_CASE("the catalog's JSON holds every layer, option, name list and model, and every model builds") {
  const dl::Json catalog = dl::Json::parse(dl::catalog_json());
  const dl::Json* layers = catalog.find("layers");
  REQUIRE(layers);
  REQUIRE(layers->items.size() == dl::layer_catalog().size());
  for (std::size_t i = 0; i < layers->items.size(); ++i) {
    const dl::LayerSpec& spec = dl::layer_catalog()[i];
    CHECK(layers->items[i].find("type")->text == spec.type);
    CHECK(layers->items[i].find("kerasClass")->text == spec.keras_class);
    CHECK(layers->items[i].find("options")->items.size() == spec.options.size());
  }
  for (const char* list : {"activations", "kerasActivations", "initializers", "paddings", "losses", "metrics"})
    CHECK(!catalog.find(list)->items.empty());
  const dl::Json* models = catalog.find("models");
  REQUIRE(models->items.size() == dl::model_catalog().size());
  std::set<std::string> names;
  for (const dl::ModelSpec& m : dl::model_catalog()) {
    CAPTURE(m.name);
    names.insert(m.name);
    auto model = dl::model_from_json(m.description);
    CHECK(model->compiled());
  }
  CHECK(names.count("mlp") + names.count("cnn") + names.count("regression") == 3);
  CHECK_THROWS_WITH_AS(dl::find_model_spec("vgg"), doctest::Contains("unknown model \"vgg\"; expected one of mlp"),
                       dl::EngineError);
}

TEST_CASE("the seeds' CNN counts the multiply-adds of its convolutions and dense layers") {
  auto model = dl::model_from_json(dl::find_model_spec("cnn").description);
  std::vector<double> counts;
  for (const auto& layer : model->layers()) counts.push_back(layer->multiply_adds());
  // 26x26x32 outputs of 3x3x1 products; 24x24x64 of 3x3x32; 9216 x 128; 128 x 10; the rest none.
  CHECK(counts == std::vector<double>{26 * 26 * 32 * 9, 24 * 24 * 64 * 9 * 32, 0, 0, 0, 9216 * 128, 0, 128 * 10});
}

TEST_CASE("snake_case_name gives the names Keras and TensorFlow.js give layers and options") {
  // The same cases as tests/node/catalog.test.mjs holds web/lib/catalog.js's snake() to.
  const std::pair<const char*, const char*> cases[] = {
      {"learningRate", "learning_rate"},
      {"categoricalCrossentropy", "categorical_crossentropy"},
      {"Conv2D", "conv2d"},
      {"MaxPooling2D", "max_pooling2d"},
      {"GlobalAveragePooling2D", "global_average_pooling2d"},
      {"LeakyReLU", "leaky_re_lu"},
      {"ELU", "elu"},
      {"PReLU", "p_re_lu"},
      {"SimpleRNN", "simple_rnn"},
      {"Conv2DTranspose", "conv2d_transpose"},
      {"l1L2", "l1_l2"},
      {"already_snake", "already_snake"},
      {"beta1", "beta1"},
      {"", ""},
  };
  for (const auto& [name, expected] : cases)
    CHECK_MESSAGE(dl::snake_case_name(name) == expected, "snake_case_name(\"", name, "\")");
}
