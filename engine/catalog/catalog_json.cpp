// The catalog as JSON, for the bindings (and so for every JavaScript part).
#include <cmath>
#include <sstream>

#include "catalog/catalog.h"
#include "core/names.h"
#include "core/tensor.h"
#include "train/losses.h"
#include "train/metrics.h"
#include "train/optimizers.h"

namespace dl {

namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& item : items) out += (out.size() > 1 ? "," : "") + quoted(item);
  return out + "]";
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "1e308" : "-1e308";
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

const char* kind_name(OptionKind kind) {
  switch (kind) {
    case OptionKind::whole: return "whole";
    case OptionKind::number: return "number";
    case OptionKind::flag: return "flag";
    case OptionKind::activation:
    case OptionKind::padding:
    case OptionKind::initializer:
    case OptionKind::choice: return "choice";
    case OptionKind::size: return "size";
    case OptionKind::shape: return "shape";
    case OptionKind::regularizer: return "regularizer";
    case OptionKind::constraint: return "constraint";
    case OptionKind::margins: return "margins";
    case OptionKind::axes: return "axes";
    case OptionKind::layer: return "layer";
  }
  return "?";
}

std::vector<std::string> choices(OptionKind kind) {
  switch (kind) {
    case OptionKind::activation: return activation_names();
    case OptionKind::padding: return {"valid", "same"};
    case OptionKind::initializer: return initializer_names();
    default: return {};
  }
}

std::string option_json(const OptionSpec& o) {
  std::ostringstream out;
  out << "{\"name\":" << quoted(o.name) << ",\"kind\":" << quoted(kind_name(o.kind)) << ",\"default\":" << o.fallback;
  if (o.kind == OptionKind::whole || o.kind == OptionKind::number || o.kind == OptionKind::size ||
      o.kind == OptionKind::axes)
    out << ",\"low\":" << number(o.low) << ",\"high\":" << number(o.high)
        << ",\"highOpen\":" << (o.high_open ? "true" : "false");
  if (o.kind == OptionKind::choice) {
    std::vector<std::string> names(o.choices.begin(), o.choices.end());
    out << ",\"choices\":" << list(names);
  } else if (!choices(o.kind).empty()) {
    out << ",\"choices\":" << list(choices(o.kind));
  }
  out << ",\"required\":" << (o.required ? "true" : "false") << ",\"main\":" << (o.main ? "true" : "false")
      << ",\"suggested\":" << (*o.suggested ? o.suggested : o.fallback)
      << ",\"keras\":" << (o.keras ? quoted(snake_case_name(o.name)) : "null")
      << ",\"sameAs\":" << (*o.same_as ? quoted(o.same_as) : "null")
      << ",\"kerasDefault\":" << (*o.keras_default ? o.keras_default : o.fallback) << ",\"help\":" << quoted(o.help)
      << "}";
  return out.str();
}

std::string layer_json(const LayerSpec& l) {
  std::ostringstream out;
  out << "{\"type\":" << quoted(l.type) << ",\"kerasClass\":" << quoted(l.keras_class) << ",\"help\":" << quoted(l.help)
      << ",\"options\":[";
  for (std::size_t i = 0; i < l.options.size(); ++i) out << (i ? "," : "") << option_json(l.options[i]);
  out << "],\"weights\":[";
  for (std::size_t i = 0; i < l.weights.size(); ++i)
    out << (i ? "," : "") << "{\"name\":" << quoted(l.weights[i].name) << ",\"shape\":" << quoted(l.weights[i].shape)
        << ",\"when\":" << (*l.weights[i].when ? quoted(l.weights[i].when) : "null") << "}";
  out << "],\"kerasFixed\":[";
  for (std::size_t i = 0; i < l.keras_fixed.size(); ++i) {
    const KerasFixed& f = l.keras_fixed[i];
    out << (i ? "," : "") << "{\"key\":" << quoted(f.key) << ",\"accepted\":[";
    for (std::size_t k = 0; k < f.accepted.size(); ++k) out << (k ? "," : "") << f.accepted[k];
    out << "],\"why\":" << quoted(f.why) << "}";
  }
  out << "],\"minInputs\":" << l.min_inputs << ",\"maxInputs\":" << l.max_inputs << ",\"moreOutputs\":";
  if (*l.more_outputs_when)
    out << "{\"when\":" << quoted(l.more_outputs_when) << ",\"value\":" << l.more_outputs_value
        << ",\"count\":" << l.more_outputs << "}";
  else
    out << "null";
  out << "}";
  return out.str();
}

}  // namespace

std::string catalog_json() {
  std::ostringstream out;
  out << "{\"layers\":[";
  const List<LayerSpec> layers = layer_catalog();
  for (std::size_t i = 0; i < layers.size(); ++i) out << (i ? "," : "") << layer_json(layers[i]);
  out << "],\"activations\":" << list(activation_names()) << ",\"kerasActivations\":"
      << list({"linear", "relu", "elu", "sigmoid", "tanh", "softmax", "hard_sigmoid", "softplus", "softsign", "selu",
               "gelu", "gelu_new", "swish", "mish"})
      << ",\"initializers\":" << list(initializer_names()) << ",\"paddings\":" << list({"valid", "same"})
      << ",\"losses\":" << list(loss_names()) << ",\"optimizers\":[";
  const auto& optimizers = optimizer_catalog();
  for (std::size_t i = 0; i < optimizers.size(); ++i) {
    out << (i ? "," : "") << "{\"name\":" << quoted(optimizers[i].name)
        << ",\"kerasClass\":" << quoted(optimizers[i].keras_class)
        << ",\"tfjsClass\":" << quoted(optimizers[i].tfjs_class) << ",\"options\":{";
    for (std::size_t k = 0; k < optimizers[i].options.size(); ++k)
      out << (k ? "," : "") << quoted(optimizers[i].options[k].first) << ":" << optimizers[i].options[k].second;
    out << "},\"tfjsNames\":{";
    for (std::size_t k = 0; k < optimizers[i].tfjs_names.size(); ++k)
      out << (k ? "," : "") << quoted(optimizers[i].tfjs_names[k].first) << ":"
          << quoted(optimizers[i].tfjs_names[k].second);
    out << "}}";
  }
  out << "],\"schedules\":[";
  const auto& schedules = schedule_catalog();
  for (std::size_t i = 0; i < schedules.size(); ++i) {
    out << (i ? "," : "") << "{\"name\":" << quoted(schedules[i].name)
        << ",\"kerasClass\":" << quoted(schedules[i].keras_class) << ",\"options\":{";
    for (std::size_t k = 0; k < schedules[i].options.size(); ++k)
      out << (k ? "," : "") << quoted(schedules[i].options[k].first) << ":" << schedules[i].options[k].second;
    out << "},\"kerasNames\":{";
    for (std::size_t k = 0; k < schedules[i].keras_names.size(); ++k)
      out << (k ? "," : "") << quoted(schedules[i].keras_names[k].first) << ":"
          << quoted(schedules[i].keras_names[k].second);
    out << "}}";
  }
  out << "],\"metrics\":[";
  const auto& metrics = metric_names();
  for (std::size_t i = 0; i < metrics.size(); ++i) out << (i ? "," : "") << list(metrics[i]);
  out << "],\"models\":[";
  const auto& models = model_catalog();
  for (std::size_t i = 0; i < models.size(); ++i)
    out << (i ? "," : "") << "{\"name\":" << quoted(models[i].name) << ",\"label\":" << quoted(models[i].label)
        << ",\"batchSize\":" << models[i].batch_size << ",\"data\":" << quoted(models[i].data)
        << ",\"description\":" << models[i].description << "}";
  // The engine's limits, so that the library refuses an absurd size before it allocates.
  out << "],\"limits\":{\"tensorValues\":" << kMaxTensorValues << "}}";
  return out.str();
}

}  // namespace dl
