// Reading model descriptions. Each reader checks member names and value types and says
// where in the description a problem is ("layers[2] (dense): units must be ...").
#include "io/model_description.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <tuple>

#include "catalog/catalog.h"
#include "core/error.h"
#include "core/show.h"
#include "io/options.h"

namespace dl {

std::unique_ptr<Layer> layer_from_json(const Json& spec, const std::string& where, std::vector<int>* input_shape) {
  if (!spec.is(Json::Kind::object)) fail(where, ": expected a layer object; got ", Json::kind_name(spec.kind));
  const Json* type_json = spec.find("type");
  if (!type_json || !type_json->is(Json::Kind::string)) fail(where, ": needs a \"type\" such as \"dense\"");
  const LayerSpec* type = find_layer_spec(type_json->text);
  if (!type) {
    std::string known;
    for (const LayerSpec& l : layer_catalog()) known += std::string(known.empty() ? "" : ", ") + l.type;
    fail(where, ": unknown layer type ", show(type_json->text), "; expected one of ", known);
  }
  const LayerArgs args(spec, *type, where + " (" + type_json->text + ")");
  std::unique_ptr<Layer> layer = type->build(args);
  const Options& common = args.members();
  // Keras' Dense(10, input_dim=100) is inputShape [100]. (A wrapped layer has none.)
  if (input_shape) {
    *input_shape = common.shape("inputShape");
    // (Embedding's inputDim is its own option, the number of ids, not a shape.)
    const bool own_input_dim = std::any_of(type->options.begin(), type->options.end(),
                                           [](const OptionSpec& o) { return std::string(o.name) == "inputDim"; });
    if (common.has("inputDim") && !own_input_dim) *input_shape = {common.whole("inputDim", 0, 1, 1 << 24)};
    // Keras 2's and TensorFlow.js' Embedding(input_length=T) as a first layer takes (None, T).
    if (input_shape->empty() && args.given("inputLength")) *input_shape = {args.whole("inputLength")};
  }
  layer->name = common.text("name", "");
  layer->trainable = common.flag("trainable", true);
  return layer;
}

OptimizerConfig optimizer_from_json(const Json& spec) {
  if (spec.is(Json::Kind::string)) return optimizer_defaults(optimizer_from_name(spec.text, "compile: optimizer"));
  if (!spec.is(Json::Kind::object))
    fail("compile: optimizer: expected a name or an object; got ", Json::kind_name(spec.kind));
  const Json* type = spec.find("type");
  const OptimizerKind kind =
      optimizer_from_name(type && type->is(Json::Kind::string) ? type->text : "", "compile: optimizer type");
  // The options this optimizer takes, as the catalog lists them.
  std::vector<std::string> known = {"type"};
  for (const OptimizerSpec& o : optimizer_catalog())
    if (o.name == optimizer_name(kind))
      for (const auto& option : o.options) known.push_back(option.first);
  const std::string where = std::string("compile: optimizer (") + optimizer_name(kind) + ")";
  Options o(spec, where, known);
  OptimizerConfig c = optimizer_defaults(kind);
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
  Options o(spec, "compile", {"optimizer", "loss", "fromLogits", "metrics", "lossWeights"});
  CompileOptions c;
  const Json* opt = o.get("optimizer");
  c.optimizer = opt ? optimizer_from_json(*opt) : optimizer_defaults(OptimizerKind::sgd);
  const Json* loss = o.get("loss");
  if (!loss) fail("compile: needs a loss such as \"categorical_crossentropy\"");
  // A model of several outputs takes a list: one loss per output, in the outputs' order.
  if (loss->is(Json::Kind::array)) {
    for (const Json& name : loss->items) {
      if (!name.is(Json::Kind::string)) fail("compile: losses must be names; got ", Json::kind_name(name.kind));
      c.losses.push_back(loss_from_name(name.text, "compile"));
    }
    if (c.losses.empty()) fail("compile: loss is an empty list; expected one loss per output");
    c.loss = c.losses[0];
  } else {
    c.loss = loss_from_name(o.text("loss", ""), "compile");
  }
  c.from_logits = o.flag("fromLogits", false);
  if (const Json* w = o.get("lossWeights")) {
    if (!w->is(Json::Kind::array)) fail("compile: lossWeights must be an array of numbers, one per output");
    for (const Json& v : w->items) {
      if (!v.is(Json::Kind::number)) fail("compile: lossWeights must be numbers; got ", Json::kind_name(v.kind));
      c.loss_weights.push_back(v.number);
    }
  }
  auto names = [](const Json& list, std::vector<std::string>& out) {
    for (const Json& name : list.items) {
      if (!name.is(Json::Kind::string)) fail("compile: metrics must be names; got ", Json::kind_name(name.kind));
      out.push_back(name.text);
    }
  };
  if (const Json* m = o.get("metrics")) {
    if (!m->is(Json::Kind::array)) fail("compile: metrics must be an array of names such as [\"accuracy\"]");
    // A list of lists: the metrics of each output, in the outputs' order.
    const bool nested = !m->items.empty() && m->items[0].is(Json::Kind::array);
    for (const Json& item : m->items) {
      if (!nested) continue;
      if (!item.is(Json::Kind::array)) fail("compile: metrics per output must be arrays of names");
      c.output_metrics.emplace_back();
      names(item, c.output_metrics.back());
    }
    if (!nested) names(*m, c.metrics);
  }
  return c;
}

std::unique_ptr<Sequential> model_from_json(const std::string& text) {
  Json doc = Json::parse(text);
  Options o(doc, "model", {"seed", "inputs", "layers", "outputs", "compile"});
  double seed = o.number("seed", 0);
  if (seed < 0 || seed != std::floor(seed) || seed > 9007199254740991.0)
    fail("model: seed must be a whole number >= 0; got ", show(seed));
  const Json* layers = o.get("layers");
  if (!layers || !layers->is(Json::Kind::array) || layers->items.empty())
    fail("model: needs a non-empty \"layers\" array; a model with no layers cannot be built");
  auto model = std::make_unique<Sequential>(static_cast<std::uint64_t>(seed));
  if (o.has("inputs") || o.has("outputs")) {
    if (!o.has("inputs") || !o.has("outputs"))
      fail("model: a graph needs both \"inputs\" and \"outputs\"; only ", o.has("inputs") ? "inputs" : "outputs",
           " given");
    graph_from_json(*model, *o.get("inputs"), *layers, *o.get("outputs"));
    if (const Json* c = o.get("compile")) model->compile(compile_options_from_json(*c));
    return model;
  }
  for (std::size_t i = 0; i < layers->items.size(); ++i) {
    if (layers->items[i].is(Json::Kind::object) && (layers->items[i].find("inputs") || layers->items[i].find("apply")))
      fail("layers[", i,
           "]: has \"inputs\" or \"apply\", which only a graph takes; give the model \"inputs\" and "
           "\"outputs\" too");
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
  Options o(
      doc, "fit",
      {"epochs", "batchSize", "shuffle", "validationSplit", "classWeight", "earlyStopping", "augment", "schedule"});
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
      if (key.empty() || *end != '\0') fail("fit: classWeight key ", show(key), " is not a class index");
      if (!value.is(Json::Kind::number)) fail("fit: classWeight for class ", show(key), " must be a number");
      f.class_weight[static_cast<int>(k)] = static_cast<float>(value.number);
    }
  }
  if (const Json* es = o.get("earlyStopping")) {
    Options e(*es, "fit: earlyStopping",
              {"monitor", "patience", "minDelta", "restoreBestWeights", "mode", "baseline", "verbose"});
    f.early_stopping.monitor = e.text("monitor", "val_loss");
    f.early_stopping.mode = e.text("mode", "auto");
    if (f.early_stopping.mode != "auto" && f.early_stopping.mode != "min" && f.early_stopping.mode != "max")
      fail("fit: earlyStopping mode must be \"auto\", \"min\" or \"max\"; got ", show(f.early_stopping.mode));
    if (const Json* b = e.get("baseline"); b && !b->is(Json::Kind::null))
      f.early_stopping.baseline = e.number("baseline", 0.0);
    f.early_stopping.patience = e.whole("patience", 0, 0, 1000000);
    f.early_stopping.min_delta = e.number("minDelta", 0.0);
    f.early_stopping.restore_best_weights = e.flag("restoreBestWeights", false);
  }
  if (const Json* aug = o.get("augment")) {
    Options a(*aug, "fit: augment", {"shift", "rotation", "zoom", "imageShape"});
    f.augmentation.max_shift = static_cast<float>(a.number("shift", 0.0));
    f.augmentation.max_rotation = static_cast<float>(a.number("rotation", 0.0));
    f.augmentation.max_zoom = static_cast<float>(a.number("zoom", 0.0));
    if (!(f.augmentation.max_zoom >= 0 && f.augmentation.max_zoom <= 0.5))
      fail("fit: augment zoom must be from 0 to 0.5 (a factor from 1 - zoom to 1 + zoom); got ",
           show(f.augmentation.max_zoom));
    f.augmentation.image_shape = a.shape("imageShape");
    if (f.augmentation.max_shift > 8 || f.augmentation.max_rotation > 180)
      fail("fit: augment allows shifts up to 8 pixels and rotations up to 180 degrees; got shift ",
           show(f.augmentation.max_shift), ", rotation ", show(f.augmentation.max_rotation));
  }
  if (const Json* sc = o.get("schedule")) f.schedule = schedule_from_json(*sc);
  return f;
}

// {type, ...the options the catalog lists for that type}.
LearningRateSchedule schedule_from_json(const Json& doc) {
  if (!doc.is(Json::Kind::object)) fail("fit: schedule must be an object such as {\"type\": \"cosine_decay\"}");
  const Json* type = doc.find("type");
  if (!type || !type->is(Json::Kind::string)) fail("fit: schedule needs a type (a name such as \"cosine_decay\")");
  const ScheduleSpec& spec = find_schedule_spec(type->text);
  std::vector<std::string> known{"type"};
  for (const auto& option : spec.options) known.push_back(option.first);
  Options o(doc, "fit: schedule " + spec.name, known);
  LearningRateSchedule s;
  s.kind = schedule_from_name(spec.name);
  s.decay_steps = o.whole("decaySteps", static_cast<int>(s.decay_steps), 1, 1 << 30);
  s.decay_rate = o.number("decayRate", s.decay_rate);
  s.alpha = o.number("alpha", s.alpha);
  s.monitor = o.text("monitor", s.monitor);
  s.factor = o.number("factor", s.factor);
  s.patience = o.whole("patience", s.patience, 0, 1000000);
  s.min_delta = o.number("minDelta", s.min_delta);
  s.min_rate = o.number("minRate", s.min_rate);
  return s;
}

}  // namespace dl
