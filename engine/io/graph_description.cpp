// Reading a graph model's description: its inputs, its layers each with the tensors it
// takes, layers applied again (shared weights), and its outputs.
//
// {"inputs": [{"name": "pixels", "shape": [784]}],
//  "layers": [{"type": "dense", "units": 64, "name": "hidden", "inputs": ["pixels"]},
//             {"type": "dense", "units": 64, "name": "more", "inputs": ["hidden"]},
//             {"type": "add", "name": "skip", "inputs": ["hidden", "more"]},
//             {"apply": "more", "inputs": ["skip"]},
//             {"type": "dense", "units": 10, "name": "out", "inputs": ["more:1"]}],
//  "outputs": ["out"]}
//
// A tensor is named by its layer (or input), with ":k" for the k-th application of a
// shared layer after its first, and "#j" for output j of a layer of several (an LSTM with
// returnState: "lstm#0" its output, "lstm#1" and "lstm#2" its states). Layers come in an order in which every tensor
// exists before a layer takes it, as Keras and TensorFlow.js write them. Everything is checked before anything is
// built: names, references, cycles, and that every input and layer leads to an output.
#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "catalog/catalog.h"
#include "core/error.h"
#include "core/show.h"
#include "io/model_description.h"
#include "io/options.h"

namespace dl {

namespace {

// One entry of "layers", or an input (index < 0 in `item`). Names are looked up by linear
// search: graphs are small, and plain vectors keep the module small too.
struct Entry {
  std::string where;        // "layers[2] (dense)"
  std::string name;         // the layer's name
  std::string tensor;       // its output tensor's name
  int applies = -1;         // for an application of an earlier layer: that layer's entry
  int item = -1;            // its index in "layers"
  std::vector<int> inputs;  // entries (inputs first, then layers) whose tensors it takes
  std::vector<int> parts;   // per input: which output of its layer ("#j"), or -1
  std::vector<int> shape;   // an input's
};

// Messages are pieces joined here, once: string views of literals and of the few values
// spelled by show(), which keeps each check small in the WebAssembly module.
[[noreturn]] void refuse(const std::string& where, std::initializer_list<std::string_view> pieces) {
  std::string message = where + ": ";
  for (std::string_view piece : pieces) message.append(piece);
  fail(message);
}

std::vector<std::string> tensor_names(const Json& list, const std::string& where, const char* what) {
  if (!list.is(Json::Kind::array) || list.items.empty())
    refuse(where, {what, " must be a non-empty array of tensor names such as [\"dense_1\"]; got ", show(list)});
  std::vector<std::string> names;
  for (const Json& item : list.items) {
    if (!item.is(Json::Kind::string) || item.text.empty())
      refuse(where, {what, " must hold tensor names (strings); got ", show(item)});
    names.push_back(item.text);
  }
  return names;
}

int find_tensor(const std::vector<Entry>& all, const std::string& name) {
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].tensor == name) return static_cast<int>(i);
  return -1;
}

// "lstm#2" -> {"lstm", 2}; a name without "#j" -> {name, -1}.
std::pair<std::string, int> split_part(const std::string& name) {
  const std::size_t at = name.rfind('#');
  if (at == std::string::npos || at + 1 == name.size() || name.size() - at > 6) return {name, -1};
  for (std::size_t i = at + 1; i < name.size(); ++i)
    if (name[i] < '0' || name[i] > '9') return {name, -1};
  return {name.substr(0, at), std::stoi(name.substr(at + 1))};
}

// The node of tensor t, or of its output `part` (a layer of several outputs must be named
// with one); `what` says who takes it, for messages.
int part_node(Sequential& model, int node, int part, const std::string& where, const std::string& what) {
  const Node& n = model.graph().nodes()[node];
  const std::size_t parts = n.layer ? n.layer->output_parts().size() : 0;
  if (part < 0 && parts > 0)
    refuse(where,
           {what, " ", show(n.name), ", which gives ", std::to_string(parts), " outputs; name one of them, from ",
            show(n.name + "#0"), " to ", show(n.name + "#" + std::to_string(parts - 1))});
  return part < 0 ? node : model.add_part(node, part);
}

// Whether `to` can be reached from `from` by following inputs; the way back into `trail`.
bool reaches(const std::vector<Entry>& all, int from, int to, std::vector<int>& trail, std::vector<char>& seen) {
  if (from == to) {
    trail.push_back(to);
    return true;
  }
  if (seen[from]) return false;
  seen[from] = 1;
  for (int in : all[from].inputs)
    if (in >= 0 && reaches(all, in, to, trail, seen)) {
      trail.push_back(from);
      return true;
    }
  return false;
}

}  // namespace

void graph_from_json(Sequential& model, const Json& inputs, const Json& layers, const Json& outputs) {
  std::vector<Entry> all;  // the inputs, then the layers' entries
  if (!inputs.is(Json::Kind::array) || inputs.items.empty())
    refuse("model",
           {"inputs must be a non-empty array such as [{\"name\": \"x\", \"shape\": [784]}]; got ", show(inputs)});
  auto claim = [&](const Entry& e) {
    const int taken = find_tensor(all, e.tensor);
    if (taken >= 0)
      refuse(e.where,
             {"the name ", show(e.tensor), " is already used by ", all[taken].where, "; names must be unique"});
  };
  for (std::size_t i = 0; i < inputs.items.size(); ++i) {
    Entry e;
    e.where = "inputs[" + std::to_string(i) + "]";
    Options o(inputs.items[i], e.where, {"name", "shape", "dtype"});
    e.name = e.tensor = o.text("name", "");
    if (e.name.empty()) refuse(e.where, {"needs a name, which layers' inputs refer to"});
    if (o.text("dtype", "float32") != "float32")
      refuse(e.where, {"dtype ", show(o.text("dtype", "")), " is not supported; expected \"float32\""});
    e.shape = o.shape("shape");
    if (e.shape.empty()) refuse(e.where, {show(e.name), " needs a shape such as [784], without the batch dimension"});
    claim(e);
    all.push_back(e);
  }
  const int input_count = static_cast<int>(all.size());

  // Layers: names, references and order, all before anything is built.
  if (!layers.is(Json::Kind::array) || layers.items.empty())
    refuse("model", {"needs a non-empty \"layers\" array; a model with no layers cannot be built"});
  std::vector<std::vector<std::string>> refs;
  std::vector<int> applications(layers.items.size(), 0);  // per layer entry: applications so far
  for (std::size_t i = 0; i < layers.items.size(); ++i) {
    const Json& item = layers.items[i];
    Entry e;
    e.item = static_cast<int>(i);
    e.where = "layers[" + std::to_string(i) + "]";
    if (!item.is(Json::Kind::object)) refuse(e.where, {"expected a layer object; got ", Json::kind_name(item.kind)});
    if (item.find("apply")) {
      Options o(item, e.where, {"apply", "inputs"});
      e.name = o.text("apply", "");
      for (int k = input_count; k < static_cast<int>(all.size()); ++k)
        if (all[k].applies < 0 && all[k].name == e.name) e.applies = k;
      if (e.applies < 0) refuse(e.where, {"applies ", show(e.name), ", which is not a layer defined before it"});
      e.tensor = e.name + ":" + std::to_string(applications[all[e.applies].item]++);
      e.where += " (apply " + e.name + ")";
    } else {
      const Json* type = item.find("type");
      e.where += " (" + (type && type->is(Json::Kind::string) ? type->text : std::string("?")) + ")";
      const Json* name = item.find("name");
      if (!name || !name->is(Json::Kind::string) || name->text.empty())
        refuse(e.where, {"a layer of a graph needs a name, which other layers' inputs and the outputs refer to"});
      e.name = e.tensor = name->text;
      // (Embedding's inputDim is its own option, the number of ids, not a shape.)
      const LayerSpec* spec = type && type->is(Json::Kind::string) ? find_layer_spec(type->text) : nullptr;
      const bool own_input_dim =
          spec && std::any_of(spec->options.begin(), spec->options.end(),
                              [](const OptionSpec& o) { return std::string(o.name) == "inputDim"; });
      for (const char* key : {"inputShape", "input_shape", "inputDim", "input_dim"})
        if (item.find(key) && !(own_input_dim && std::string(key) == "inputDim"))
          refuse(e.where, {show(e.name), " has an input shape; in a graph, shapes come from the model's inputs"});
      applications[i] = 1;
    }
    const Json* in = item.find("inputs");
    if (!in) refuse(e.where, {show(e.name), " needs \"inputs\": the tensors it takes, such as [\"dense_1\"]"});
    refs.push_back(tensor_names(*in, e.where, "inputs"));
    claim(e);
    all.push_back(e);
  }
  // References: each to a tensor made before, never to itself or to a later one.
  for (int k = input_count; k < static_cast<int>(all.size()); ++k) {
    Entry& e = all[k];
    for (const std::string& full : refs[k - input_count]) {
      const auto [ref, part] = split_part(full);
      const int t = find_tensor(all, ref);
      if (t == k) refuse(e.where, {show(e.tensor), " takes its own output; a model's graph has no cycles"});
      if (t < 0) {
        std::string known;
        for (const Entry& other : all) known += (known.empty() ? "" : ", ") + show(other.tensor);
        refuse(e.where, {"input ", show(full), " names no tensor of the model; expected one of ", known});
      }
      e.inputs.push_back(t);
      e.parts.push_back(part);
    }
  }
  for (int k = input_count; k < static_cast<int>(all.size()); ++k)
    for (int t : all[k].inputs) {
      if (t < k) continue;
      std::vector<int> trail;
      std::vector<char> seen(all.size(), 0);
      if (reaches(all, t, k, trail, seen)) {
        std::string cycle;
        for (auto it = trail.rbegin(); it != trail.rend(); ++it)
          cycle += (cycle.empty() ? "" : " -> ") + show(all[*it].tensor);
        refuse(all[k].where,
               {"the layers form a cycle: ", cycle, " -> ", show(all[t].tensor), "; a model's graph has no cycles"});
      }
      refuse(all[k].where, {"input ", show(all[t].tensor), " is used before it exists (", all[t].where,
                            " makes it); list each layer after the layers whose tensors it takes"});
    }

  // Outputs, and that everything leads to one.
  std::vector<int> out, out_parts;
  for (const std::string& full : tensor_names(outputs, "model", "outputs")) {
    const auto [name, part] = split_part(full);
    const int t = find_tensor(all, name);
    if (t < 0) refuse("model", {"output ", show(name), " names no tensor of the model"});
    if (t < input_count) refuse("model", {"output ", show(name), " is an input; an output must be a layer's"});
    out.push_back(t);
    out_parts.push_back(part);
  }
  std::vector<char> useful(all.size(), 0);
  for (int t : out) useful[t] = 1;
  for (int k = static_cast<int>(all.size()) - 1; k >= 0; --k)
    if (useful[k])
      for (int t : all[k].inputs) useful[t] = 1;
  for (int k = 0; k < static_cast<int>(all.size()); ++k) {
    if (useful[k]) continue;
    if (k < input_count)
      refuse("model",
             {"input ", show(all[k].name), " reaches no output; every input must lead to one of ", show(outputs)});
    refuse(all[k].where, {show(all[k].tensor), " leads to no output; every layer must lead to one of ", show(outputs)});
  }

  // Build.
  std::vector<int> node(all.size(), -1);
  std::vector<Layer*> built(all.size(), nullptr);
  for (int k = 0; k < input_count; ++k) node[k] = model.add_input(all[k].name, all[k].shape);
  for (int k = input_count; k < static_cast<int>(all.size()); ++k) {
    const Entry& e = all[k];
    try {
      std::vector<int> in;
      for (std::size_t j = 0; j < e.inputs.size(); ++j)
        in.push_back(part_node(model, node[e.inputs[j]], e.parts[j], e.where, "it takes"));
      if (e.applies >= 0) {
        node[k] = model.apply(*built[e.applies], in);
        continue;
      }
      const Json& spec = layers.items[e.item];
      std::vector<int> unused_shape;
      // (layer_from_json adds the type to where itself.)
      const std::string where = "layers[" + std::to_string(e.item) + "]";
      std::unique_ptr<Layer> layer = layer_from_json(spec, where, &unused_shape);
      const LayerSpec* type = find_layer_spec(layer->type());
      const int given = static_cast<int>(in.size());
      if (type && (given < type->min_inputs || given > type->max_inputs)) {
        const std::string least = std::to_string(type->min_inputs), most = std::to_string(type->max_inputs);
        const bool one = type->min_inputs == type->max_inputs, many = type->max_inputs == kManyInputs;
        refuse(e.where,
               {show(e.name), " (", type->keras_class, ") takes ", many ? "at least " : "", least,
                one || many ? "" : " to ", one || many ? "" : most, type->max_inputs == 1 ? " input" : " inputs",
                "; it was given ", std::to_string(given), " (", show(*spec.find("inputs")), ")"});
      }
      built[k] = layer.get();
      node[k] = model.add_layer(std::move(layer), in);
    } catch (const EngineError& error) {
      const auto* about = dynamic_cast<const OptionError*>(&error);
      std::vector<LayerSummary> done;
      for (const auto& l : model.layers()) done.push_back({l->name, l->type(), l->output_shape, l->parameter_count()});
      const std::string message = error.what();
      throw ModelBuildError(message.rfind(e.where, 0) == 0 ? message : e.where + ": " + message, e.item,
                            about ? about->option : "", std::move(done));
    }
  }
  std::vector<int> out_nodes;
  for (std::size_t j = 0; j < out.size(); ++j)
    out_nodes.push_back(part_node(model, node[out[j]], out_parts[j], "model", "an output is"));
  model.set_outputs(out_nodes);
}

}  // namespace dl
