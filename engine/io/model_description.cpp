// Reading model descriptions. Each reader checks member names and value types and says
// where in the description a problem is ("layers[2] (dense): units must be ...").
#include "io/model_description.h"

#include <cctype>
#include <cmath>
#include <initializer_list>
#include <tuple>

#include "core/error.h"
#include "layers/activation.h"
#include "layers/batch_normalization.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/pooling.h"
#include "layers/reshape.h"

namespace dl {

namespace {

// "learningRate" -> "learning_rate", so both spellings name the same option.
std::string snake(const std::string& key) {
  std::string out;
  for (char ch : key) {
    if (std::isupper(static_cast<unsigned char>(ch))) {
      out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else {
      out += ch;
    }
  }
  return out;
}

// Reads the members of one JSON object, each known by its camelCase name.
class Options {
 public:
  Options(const Json& object, std::string where, std::initializer_list<const char*> known)
      : object_(object), where_(std::move(where)) {
    if (!object.is(Json::Kind::object)) fail(where_, ": expected an object; got ", Json::kind_name(object.kind));
    for (const auto& [key, value] : object.members) {
      bool ok = false;
      std::string list;
      for (const char* k : known) {
        ok = ok || key == k || key == snake(k);
        list += list.empty() ? "" : ", ";
        list += k;
      }
      if (!ok) fail_option(key, where_, ": unknown option '", key, "'; expected one of ", list);
    }
  }

  const Json* get(const char* key) const {
    const Json* v = object_.find(key);
    return v ? v : object_.find(snake(key));
  }
  bool has(const char* key) const { return get(key) != nullptr; }

  double number(const char* key, double fallback) const {
    const Json* v = get(key);
    if (!v) return fallback;
    if (!v->is(Json::Kind::number))
      fail_option(key, where_, ": ", key, " must be a number; got ", Json::kind_name(v->kind));
    return v->number;
  }
  int whole(const char* key, int fallback, int low, int high) const {
    double v = number(key, fallback);
    if (v != std::floor(v) || v < low || v > high)
      fail_option(key, where_, ": ", key, " must be a whole number from ", low, " to ", high, "; got ", v);
    return static_cast<int>(v);
  }
  bool flag(const char* key, bool fallback) const {
    const Json* v = get(key);
    if (!v) return fallback;
    if (!v->is(Json::Kind::boolean))
      fail_option(key, where_, ": ", key, " must be true or false; got ", Json::kind_name(v->kind));
    return v->boolean;
  }
  std::string text(const char* key, const std::string& fallback) const {
    const Json* v = get(key);
    if (!v) return fallback;
    if (!v->is(Json::Kind::string))
      fail_option(key, where_, ": ", key, " must be a string; got ", Json::kind_name(v->kind));
    return v->text;
  }
  // A size given as one number or as [height, width], as Keras' kernel_size.
  std::pair<int, int> pair(const char* key, int fallback) const {
    const Json* v = get(key);
    if (!v) return {fallback, fallback};
    auto size = [&](const Json& d) {
      if (!d.is(Json::Kind::number) || d.number != std::floor(d.number) || d.number < 1 || d.number > 4096)
        fail_option(key, where_, ": ", key, " must be a whole number from 1 to 4096 or a pair of them");
      return static_cast<int>(d.number);
    };
    if (v->is(Json::Kind::array)) {
      if (v->items.size() != 2) fail_option(key, where_, ": ", key, " must be one number or a pair [height, width]");
      return {size(v->items[0]), size(v->items[1])};
    }
    const int n = size(*v);
    return {n, n};
  }
  std::vector<int> shape(const char* key, bool allow_unknown = false) const {
    const Json* v = get(key);
    if (!v) return {};
    if (!v->is(Json::Kind::array) || v->items.empty())
      fail_option(key, where_, ": ", key, " must be a non-empty array of positive whole numbers");
    std::vector<int> out;
    for (const Json& d : v->items) {
      const bool unknown = allow_unknown && d.is(Json::Kind::number) && d.number == -1;
      if (!unknown &&
          (!d.is(Json::Kind::number) || d.number != std::floor(d.number) || d.number < 1 || d.number > (1 << 24)))
        fail_option(key, where_, ": ", key, " must hold positive whole numbers (at most 16777216)",
                    allow_unknown ? ", and at most one -1" : "");
      out.push_back(static_cast<int>(d.number));
    }
    return out;
  }
  // A name (an activation, a padding, an initializer) read by `parse`, whose error then
  // names this option.
  template <typename Parse>
  auto named(const char* key, const std::string& fallback, Parse parse) const {
    const std::string name = text(key, fallback);
    try {
      return parse(name);
    } catch (const OptionError&) {
      throw;
    } catch (const EngineError& e) {
      throw OptionError(e.what(), key);
    }
  }
  const std::string& where() const { return where_; }

 private:
  const Json& object_;
  std::string where_;
};

Regularizer regularizer_from(const Options& o, const char* key) {
  const Json* v = o.get(key);
  Regularizer r;
  if (!v || v->is(Json::Kind::null)) return r;
  Options reg(*v, o.where() + " " + key, {"l1", "l2"});
  r.l1 = static_cast<float>(reg.number("l1", 0.0));
  r.l2 = static_cast<float>(reg.number("l2", 0.0));
  if (r.l1 < 0 || r.l2 < 0) fail_option(key, o.where(), ": ", key, " rates must be >= 0");
  return r;
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

std::unique_ptr<Layer> layer_from_json(const Json& spec, const std::string& where, std::vector<int>* input_shape) {
  if (!spec.is(Json::Kind::object)) fail(where, ": expected a layer object; got ", Json::kind_name(spec.kind));
  const Json* type_json = spec.find("type");
  if (!type_json || !type_json->is(Json::Kind::string)) fail(where, ": needs a \"type\" such as \"dense\"");
  // "maxPooling2d", "MaxPooling2D" and "max_pooling2d" all name the same layer.
  std::string type;
  for (char ch : lower(type_json->text))
    if (ch != '_') type += ch;
  const std::string at = where + " (" + type_json->text + ")";
  std::unique_ptr<Layer> layer;
  if (type == "dense") {
    Options o(spec, at,
              {"type", "name", "inputShape", "units", "activation", "useBias", "kernelInitializer", "biasInitializer",
               "kernelRegularizer", "biasRegularizer"});
    DenseOptions d;
    d.units = o.whole("units", 0, 1, 1 << 20);
    d.activation = o.named("activation", "linear", [&](const std::string& n) { return activation_from_name(n, at); });
    d.use_bias = o.flag("useBias", true);
    d.kernel_initializer = o.named("kernelInitializer", "glorot_uniform",
                                   [&](const std::string& n) { return initializer_from_name(n, at); });
    d.bias_initializer =
        o.named("biasInitializer", "zeros", [&](const std::string& n) { return initializer_from_name(n, at); });
    d.kernel_regularizer = regularizer_from(o, "kernelRegularizer");
    d.bias_regularizer = regularizer_from(o, "biasRegularizer");
    layer = std::make_unique<DenseLayer>(d);
    *input_shape = o.shape("inputShape");
    // Keras' Dense(10, input_dim=100) is inputShape [100].
    if (o.has("inputDim")) *input_shape = {o.whole("inputDim", 0, 1, 1 << 24)};
    layer->name = o.text("name", "");
  } else if (type == "dropout") {
    Options o(spec, at, {"type", "name", "inputShape", "rate"});
    double rate = o.number("rate", -1);
    if (!o.has("rate")) fail_option("rate", at, ": needs a rate in [0, 1)");
    if (!(rate >= 0 && rate < 1)) fail_option("rate", at, ": rate must be in [0, 1); got ", rate);
    layer = std::make_unique<DropoutLayer>(static_cast<float>(rate));
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else if (type == "flatten") {
    Options o(spec, at, {"type", "name", "inputShape"});
    layer = std::make_unique<FlattenLayer>();
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else if (type == "activation") {
    Options o(spec, at, {"type", "name", "inputShape", "activation"});
    if (!o.has("activation")) fail_option("activation", at, ": needs an activation such as \"relu\"");
    layer = std::make_unique<ActivationLayer>(
        o.named("activation", "", [&](const std::string& n) { return activation_from_name(n, at); }));
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else if (type == "conv2d") {
    Options o(spec, at,
              {"type", "name", "inputShape", "filters", "kernelSize", "strides", "padding", "activation", "useBias",
               "kernelInitializer", "biasInitializer", "kernelRegularizer", "biasRegularizer"});
    Conv2DOptions c;
    c.filters = o.whole("filters", 0, 1, 1 << 16);
    if (!o.has("kernelSize")) fail_option("kernelSize", at, ": needs a kernelSize, such as 3 or [3, 3]");
    std::tie(c.kernel_h, c.kernel_w) = o.pair("kernelSize", 3);
    std::tie(c.stride_h, c.stride_w) = o.pair("strides", 1);
    c.padding = o.named("padding", "valid", [&](const std::string& n) { return padding_from_name(n, at); });
    c.activation = o.named("activation", "linear", [&](const std::string& n) { return activation_from_name(n, at); });
    c.use_bias = o.flag("useBias", true);
    c.kernel_initializer = o.named("kernelInitializer", "glorot_uniform",
                                   [&](const std::string& n) { return initializer_from_name(n, at); });
    c.bias_initializer =
        o.named("biasInitializer", "zeros", [&](const std::string& n) { return initializer_from_name(n, at); });
    c.kernel_regularizer = regularizer_from(o, "kernelRegularizer");
    c.bias_regularizer = regularizer_from(o, "biasRegularizer");
    layer = std::make_unique<Conv2DLayer>(c);
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else if (type == "maxpooling2d" || type == "averagepooling2d") {
    Options o(spec, at, {"type", "name", "inputShape", "poolSize", "strides", "padding"});
    PoolOptions p;
    std::tie(p.pool_h, p.pool_w) = o.pair("poolSize", 2);
    std::tie(p.stride_h, p.stride_w) = o.pair("strides", 0);
    if (!o.has("strides")) p.stride_h = p.stride_w = 0;
    p.padding = o.named("padding", "valid", [&](const std::string& n) { return padding_from_name(n, at); });
    layer = std::make_unique<Pooling2DLayer>(type == "maxpooling2d", p);
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else if (type == "globalaveragepooling2d") {
    Options o(spec, at, {"type", "name", "inputShape"});
    layer = std::make_unique<GlobalAveragePooling2DLayer>();
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else if (type == "reshape") {
    Options o(spec, at, {"type", "name", "inputShape", "targetShape"});
    if (!o.has("targetShape")) fail_option("targetShape", at, ": needs a targetShape, such as [28, 28, 1]");
    layer = std::make_unique<ReshapeLayer>(o.shape("targetShape", true));
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else if (type == "batchnormalization") {
    Options o(spec, at, {"type", "name", "inputShape", "momentum", "epsilon", "center", "scale"});
    layer = std::make_unique<BatchNormalizationLayer>(static_cast<float>(o.number("momentum", 0.99)),
                                                      static_cast<float>(o.number("epsilon", 0.001)),
                                                      o.flag("center", true), o.flag("scale", true));
    *input_shape = o.shape("inputShape");
    layer->name = o.text("name", "");
  } else {
    fail(where, ": unknown layer type '", type_json->text,
         "'; expected one of dense, conv2d, maxPooling2d, averagePooling2d, globalAveragePooling2d, dropout, flatten, "
         "reshape, batchNormalization, activation");
  }
  return layer;
}

OptimizerConfig optimizer_from_json(const Json& spec) {
  if (spec.is(Json::Kind::string)) return optimizer_defaults(optimizer_from_name(spec.text, "compile: optimizer"));
  Options o(
      spec, "compile: optimizer",
      {"type", "learningRate", "momentum", "nesterov", "beta1", "beta2", "rho", "epsilon", "initialAccumulatorValue"});
  OptimizerConfig c = optimizer_defaults(optimizer_from_name(o.text("type", ""), "compile: optimizer type"));
  c.learning_rate = static_cast<float>(o.number("learningRate", c.learning_rate));
  c.momentum = static_cast<float>(o.number("momentum", c.momentum));
  c.nesterov = o.flag("nesterov", c.nesterov);
  c.beta_1 = static_cast<float>(o.number("beta1", c.beta_1));
  c.beta_2 = static_cast<float>(o.number("beta2", c.beta_2));
  c.rho = static_cast<float>(o.number("rho", c.rho));
  c.epsilon = static_cast<float>(o.number("epsilon", c.epsilon));
  c.initial_accumulator_value = static_cast<float>(o.number("initialAccumulatorValue", c.initial_accumulator_value));
  check_optimizer_config(c);
  return c;
}

CompileOptions compile_options_from_json(const Json& spec) {
  Options o(spec, "compile", {"optimizer", "loss", "fromLogits", "metrics"});
  CompileOptions c;
  const Json* opt = o.get("optimizer");
  c.optimizer = opt ? optimizer_from_json(*opt) : optimizer_defaults(OptimizerKind::sgd);
  if (!o.has("loss")) fail("compile: needs a loss such as \"categorical_crossentropy\"");
  c.loss = loss_from_name(o.text("loss", ""), "compile");
  c.from_logits = o.flag("fromLogits", false);
  if (const Json* m = o.get("metrics")) {
    if (!m->is(Json::Kind::array)) fail("compile: metrics must be an array of names such as [\"accuracy\"]");
    for (const Json& name : m->items) {
      if (!name.is(Json::Kind::string)) fail("compile: metrics must be names; got ", Json::kind_name(name.kind));
      c.metrics.push_back(name.text);
    }
  }
  return c;
}

std::unique_ptr<Sequential> model_from_json(const std::string& text) {
  Json doc = Json::parse(text);
  Options o(doc, "model", {"seed", "layers", "compile"});
  double seed = o.number("seed", 0);
  if (seed < 0 || seed != std::floor(seed) || seed > 9007199254740991.0)
    fail("model: seed must be a whole number >= 0; got ", seed);
  const Json* layers = o.get("layers");
  if (!layers || !layers->is(Json::Kind::array) || layers->items.empty())
    fail("model: needs a non-empty \"layers\" array; a model with no layers cannot be built");
  auto model = std::make_unique<Sequential>(static_cast<std::uint64_t>(seed));
  for (std::size_t i = 0; i < layers->items.size(); ++i) {
    try {
      std::vector<int> input_shape;
      auto layer = layer_from_json(layers->items[i], "layers[" + std::to_string(i) + "]", &input_shape);
      model->add(std::move(layer), input_shape);
    } catch (const EngineError& e) {
      const auto* about = dynamic_cast<const OptionError*>(&e);
      std::vector<LayerSummary> built;
      for (const auto& l : model->layers())
        built.push_back({l->name, l->type(), l->output_shape, l->parameter_count()});
      throw ModelBuildError(e.what(), static_cast<int>(i), about ? about->option : "", std::move(built));
    }
  }
  if (const Json* c = o.get("compile")) model->compile(compile_options_from_json(*c));
  return model;
}

FitOptions fit_options_from_json(const std::string& text) {
  Json doc = text.empty() ? Json::parse("{}") : Json::parse(text);
  Options o(doc, "fit",
            {"epochs", "batchSize", "shuffle", "validationSplit", "classWeight", "earlyStopping", "augment"});
  FitOptions f;
  f.epochs = o.whole("epochs", 1, 1, 1000000);
  f.batch_size = o.whole("batchSize", 32, 1, 1 << 24);
  f.shuffle = o.flag("shuffle", true);
  f.validation_split = o.number("validationSplit", 0.0);
  if (const Json* cw = o.get("classWeight")) {
    if (!cw->is(Json::Kind::object)) fail("fit: classWeight must be an object such as {\"0\": 1, \"1\": 5}");
    for (const auto& [key, value] : cw->members) {
      char* end = nullptr;
      long k = std::strtol(key.c_str(), &end, 10);
      if (key.empty() || *end != '\0') fail("fit: classWeight key '", key, "' is not a class index");
      if (!value.is(Json::Kind::number)) fail("fit: classWeight for class ", key, " must be a number");
      f.class_weight[static_cast<int>(k)] = static_cast<float>(value.number);
    }
  }
  if (const Json* es = o.get("earlyStopping")) {
    Options e(*es, "fit: earlyStopping", {"monitor", "patience", "minDelta", "restoreBestWeights"});
    f.early_stopping.monitor = e.text("monitor", "val_loss");
    f.early_stopping.patience = e.whole("patience", 0, 0, 1000000);
    f.early_stopping.min_delta = e.number("minDelta", 0.0);
    f.early_stopping.restore_best_weights = e.flag("restoreBestWeights", false);
  }
  if (const Json* aug = o.get("augment")) {
    Options a(*aug, "fit: augment", {"shift", "rotation", "imageShape"});
    f.augmentation.max_shift = static_cast<float>(a.number("shift", 0.0));
    f.augmentation.max_rotation = static_cast<float>(a.number("rotation", 0.0));
    f.augmentation.image_shape = a.shape("imageShape");
    if (f.augmentation.max_shift > 8 || f.augmentation.max_rotation > 180)
      fail("fit: augment allows shifts up to 8 pixels and rotations up to 180 degrees; got shift ",
           f.augmentation.max_shift, ", rotation ", f.augmentation.max_rotation);
  }
  return f;
}

}  // namespace dl
