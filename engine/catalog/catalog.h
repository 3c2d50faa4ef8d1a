// The catalog: every layer type, activation, loss, optimizer and metric the engine knows,
// with each layer's options (types, defaults, ranges), weights and Keras names. It is the
// one place these are written: the model description reader builds layers from it, and
// the bindings hand it to JavaScript as data (catalog_json), from which the library's
// factories, the Keras importer and exporter, the page's builder and its addresses, the
// code view and the benchmark derive what they need.
//
// Adding a layer: its kernels (kernels/), its class (layers/), one entry in
// catalog/layers.cpp, its tests.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/options.h"
#include "kernels/activations.h"
#include "kernels/conv2d.h"
#include "layers/initializers.h"
#include "layers/layer.h"

namespace dl {

// What an option holds. activation, padding and initializer are names from their lists
// (a builder shows them as a choice); size is one whole number or [height, width].
// margins: one number, [height, width] or [[top, bottom], [left, right]] (ZeroPadding2D's padding).
// choice: one name of the option's own list (Conv1D's padding, Bidirectional's mergeMode).
// layer: a layer's description, as a model's layers are written (the layer a wrapper such
// as Bidirectional or TimeDistributed applies).
enum class OptionKind {
  whole,
  number,
  flag,
  activation,
  padding,
  initializer,
  size,
  shape,
  regularizer,
  constraint,
  margins,
  axes,
  choice,
  layer
};

// A fixed list in static storage (the catalog is constant data, built by the compiler).
template <typename T>
struct List {
  const T* items = nullptr;
  std::size_t count = 0;
  constexpr List() = default;
  template <std::size_t N>
  constexpr List(const T (&array)[N]) : items(array), count(N) {}
  constexpr List(const T* first, std::size_t n) : items(first), count(n) {}
  const T* begin() const { return items; }
  const T* end() const { return items + count; }
  std::size_t size() const { return count; }
  bool empty() const { return count == 0; }
  const T& operator[](std::size_t i) const { return items[i]; }
};

struct OptionSpec {
  const char* name;  // as TensorFlow.js spells it: "kernelSize"
  OptionKind kind;
  const char* fallback = "null";  // the default as JSON text; "null" when there is none
  double low = 0, high = 0;       // whole, number and size values must lie in [low, high]
  bool high_open = false;         // ... or in [low, high) when set
  bool required = false;
  bool main = false;           // what a builder shows and a page's address writes, in this order
  const char* suggested = "";  // JSON text a builder starts a new layer with ("" for the default)
  bool keras = true;           // in Keras' config, as the option's snake_case name
  const char* same_as = "";    // when not given, the value of this other option (pooling's strides)
  const char* help = "";
  // Keras 3's default as JSON text where it differs from TensorFlow.js' (`fallback`):
  // LSTM's recurrentActivation, GRU's resetAfter. Keras 3 files that leave the option out
  // mean this; the Keras code view writes the option whenever it differs from this.
  const char* keras_default = "";
  List<const char*> choices = {};  // a choice option's names; JSON null is written as "null"
};

// A value Keras' config may hold that this engine does not vary (data_format): an
// importer accepts only `accepted` (JSON texts), an exporter writes the first.
struct KerasFixed {
  const char* key;
  List<const char*> accepted;
  const char* why;  // the message when another value comes
};

// A weight as Keras names it, present when the flag option `when` is on ("": always).
struct WeightSpec {
  const char* name;
  const char* shape;
  const char* when;
};

class LayerArgs;

struct LayerSpec {
  const char* type;         // TensorFlow.js' factory name: "conv2d", "batchNormalization"
  const char* keras_class;  // Keras' class name, also Layer::type(): "Conv2D"
  const char* help;
  List<OptionSpec> options;
  List<WeightSpec> weights;
  List<KerasFixed> keras_fixed;
  std::unique_ptr<Layer> (*build)(const LayerArgs&);
  // How many tensors the layer takes: 1, or for the merge layers 2 (Subtract, Dot) or
  // from 2 (1 for Concatenate) up to kManyInputs.
  int min_inputs = 1;
  int max_inputs = 1;
  // Layers that give more tensors with an option (Layer::output_parts): when option
  // `more_outputs_when` holds the JSON value `more_outputs_value`, `more_outputs` more
  // (LSTM's returnState: 2, its states h and c). A graph names them "layer#1", "layer#2".
  const char* more_outputs_when = "";
  const char* more_outputs_value = "true";
  int more_outputs = 0;
};
constexpr int kManyInputs = 1 << 16;

List<LayerSpec> layer_catalog();
// The families of layer_catalog, each in its own file.
List<LayerSpec> recurrent_layer_specs();  // catalog/layers_recurrent.cpp
List<LayerSpec> sequence_layer_specs();   // catalog/layers_sequence.cpp: 1D convolutions, pooling, shapes
List<LayerSpec> attention_layer_specs();  // catalog/layers_attention.cpp: embeddings, normalization, attention
// A layer type in any spelling ("maxPooling2d", "MaxPooling2D", "max_pooling2d"), or null.
const LayerSpec* find_layer_spec(const std::string& type);

// An initializer or a constraint given as an object, TensorFlow.js' {className, config}
// (Keras' class_name; config keys in camelCase or snake_case): {"className":
// "VarianceScaling", "config": {"scale": 2, "mode": "fanIn"}}; a constraint also as a
// name ("nonNeg", "max_norm") with its defaults. Errors name `option` (catalog/weight_args.cpp).
Initializer initializer_from_json(const Json& value, const std::string& where, const std::string& option);
Constraint constraint_from_json(const Json& value, const std::string& where, const std::string& option);

// The options of one layer description, checked against its spec when made: unknown
// names, types, ranges and missing required options fail there, naming the option. A JSON
// null counts as not given.
class LayerArgs {
 public:
  LayerArgs(const Json& description, const LayerSpec& spec, const std::string& where);
  bool given(const std::string& name) const;
  int whole(const std::string& name) const;
  double number(const std::string& name) const;  // NaN when not given and without default
  bool flag(const std::string& name) const;
  ActivationKind activation(const std::string& name) const;
  Padding padding(const std::string& name) const;
  Initializer initializer(const std::string& name) const;
  std::pair<int, int> size(const std::string& name) const;  // {0, 0} when not given, without default
  std::vector<int> shape(const std::string& name) const;
  std::array<int, 4> margins(const std::string& name) const;    // {top, bottom, left, right}
  std::vector<int> axes(const std::string& name) const;         // one axis or a pair, in [low, high]
  std::string choice(const std::string& name) const;            // one of the option's choices
  std::unique_ptr<Layer> layer(const std::string& name) const;  // built from its description
  Regularizer regularizer(const std::string& name) const;
  Constraint constraint(const std::string& name) const;  // none when not given
  const std::string& where() const { return options_.where(); }
  // The description's members, for the common options (inputShape, name, ...).
  const Options& members() const { return options_; }

  // The options every layer takes besides its own.
  static const std::vector<std::string>& common();

 private:
  const OptionSpec& spec(const std::string& name) const;
  const Json& fallback(const OptionSpec& option) const;
  void check(const OptionSpec& option) const;

  const LayerSpec& layer_;
  Options options_;
  std::vector<Json> fallbacks_;  // parsed OptionSpec::fallback, in the spec's order
};

// An optimizer with the options it takes and their defaults (optimizer_defaults).
struct OptimizerSpec {
  std::string name;
  std::string keras_class;                                   // "RMSprop"
  std::string tfjs_class;                                    // TensorFlow.js' class in a saved model: "RMSProp"
  std::vector<std::pair<std::string, std::string>> options;  // camelCase name, default as JSON text
  // Options TensorFlow.js' saved config names otherwise ({"rho", "decay"}).
  std::vector<std::pair<std::string, std::string>> tfjs_names;
};
const std::vector<OptimizerSpec>& optimizer_catalog();

// A learning-rate schedule: its name, Keras' class (a schedule given to the optimizer, or
// the ReduceLROnPlateau callback), its options with their defaults (camelCase name, JSON
// text) and, for each, the Keras argument it becomes.
struct ScheduleSpec {
  std::string name;
  std::string keras_class;
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<std::pair<std::string, std::string>> keras_names;
};
const std::vector<ScheduleSpec>& schedule_catalog();
const ScheduleSpec& find_schedule_spec(const std::string& name);

// A model of the seed documents and of the tests, as a description the reader takes.
struct ModelSpec {
  std::string name, label, description;  // description: JSON with layers and compile
  int batch_size;
  std::string data;  // "mnist" (28x28x1 images, one-hot targets) or "regression" (100 inputs)
};
const std::vector<ModelSpec>& model_catalog();
const ModelSpec& find_model_spec(const std::string& name);

// The whole catalog as JSON: {layers, activations, kerasActivations, initializers,
// paddings, losses, optimizers, metrics, models}.
std::string catalog_json();

}  // namespace dl
