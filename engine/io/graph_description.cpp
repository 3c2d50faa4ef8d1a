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
// shared layer after its first. Layers come in an order in which every tensor exists
// before a layer takes it, as Keras and TensorFlow.js write them. Everything is checked
// before anything is built: names, references, cycles, and that every input and layer
// leads to an output.
#include <map>
#include <set>

#include "catalog/catalog.h"
#include "core/error.h"
#include "core/show.h"
#include "io/model_description.h"
#include "io/options.h"

namespace dl {

namespace {

struct Entry {
  std::string where;    // "layers[2] (dense)"
  std::string name;     // the layer's name
  std::string tensor;   // its output tensor's name
  std::string applies;  // for an application of an earlier layer: its name
  std::vector<std::string> inputs;
};

std::vector<std::string> tensor_names(const Json& list, const std::string& where, const char* what) {
  if (!list.is(Json::Kind::array) || list.items.empty())
    fail(where, ": ", what, " must be a non-empty array of tensor names such as [\"dense_1\"]; got ", show(list));
  std::vector<std::string> names;
  for (const Json& item : list.items) {
    if (!item.is(Json::Kind::string) || item.text.empty())
      fail(where, ": ", what, " must hold tensor names (strings); got ", show(item));
    names.push_back(item.text);
  }
  return names;
}

// The path from `to` back to `from` through the entries' inputs, when there is one.
bool path(const std::map<std::string, const Entry*>& by_tensor, const std::string& from, const std::string& to,
          std::vector<std::string>& trail, std::set<std::string>& seen) {
  if (from == to) {
    trail.push_back(to);
    return true;
  }
  if (!seen.insert(from).second) return false;
  auto it = by_tensor.find(from);
  if (it == by_tensor.end()) return false;
  for (const std::string& in : it->second->inputs)
    if (path(by_tensor, in, to, trail, seen)) {
      trail.push_back(from);
      return true;
    }
  return false;
}

}  // namespace

void graph_from_json(Sequential& model, const Json& inputs, const Json& layers, const Json& outputs) {
  // Inputs.
  if (!inputs.is(Json::Kind::array) || inputs.items.empty())
    fail("model: inputs must be a non-empty array such as [{\"name\": \"x\", \"shape\": [784]}]; got ", show(inputs));
  std::map<std::string, std::string> defined;  // tensor name -> where it is defined
  std::vector<std::pair<std::string, std::vector<int>>> input_list;
  for (std::size_t i = 0; i < inputs.items.size(); ++i) {
    const std::string where = "inputs[" + std::to_string(i) + "]";
    Options o(inputs.items[i], where, {"name", "shape", "dtype"});
    const std::string name = o.text("name", "");
    if (name.empty()) fail(where, ": needs a name, which layers' inputs refer to");
    if (o.text("dtype", "float32") != "float32")
      fail(where, ": dtype ", show(o.text("dtype", "")), " is not supported; expected \"float32\"");
    std::vector<int> shape = o.shape("shape");
    if (shape.empty()) fail(where, " (", show(name), "): needs a shape such as [784], without the batch dimension");
    for (int d : shape)
      if (d < 1) fail(where, " (", show(name), "): shape ", shape_text(shape), " must hold positive sizes");
    if (!defined.emplace(name, where).second)
      fail(where, ": the name ", show(name), " is already used by ", defined[name], "; names must be unique");
    input_list.push_back({name, shape});
  }

  // Layers: names, references and order, all before anything is built.
  if (!layers.is(Json::Kind::array) || layers.items.empty())
    fail("model: needs a non-empty \"layers\" array; a model with no layers cannot be built");
  std::vector<Entry> entries;
  std::map<std::string, int> applications;  // layer name -> applications so far
  std::map<std::string, const Json*> specs;
  for (std::size_t i = 0; i < layers.items.size(); ++i) {
    const Json& item = layers.items[i];
    Entry e;
    e.where = "layers[" + std::to_string(i) + "]";
    if (!item.is(Json::Kind::object)) fail(e.where, ": expected a layer object; got ", Json::kind_name(item.kind));
    if (item.find("apply")) {
      Options o(item, e.where, {"apply", "inputs"});
      e.applies = o.text("apply", "");
      auto count = applications.find(e.applies);
      if (count == applications.end())
        fail(e.where, ": applies ", show(e.applies), ", which is not a layer defined before it");
      e.name = e.applies;
      e.tensor = e.applies + ":" + std::to_string(count->second++);
      e.where += " (apply " + e.applies + ")";
    } else {
      const Json* type = item.find("type");
      e.where += " (" + (type && type->is(Json::Kind::string) ? type->text : std::string("?")) + ")";
      const Json* name = item.find("name");
      if (!name || !name->is(Json::Kind::string) || name->text.empty())
        fail(e.where, ": a layer of a graph needs a name, which other layers' inputs and the outputs refer to");
      e.name = e.tensor = name->text;
      if (item.find("inputShape") || item.find("input_shape") || item.find("inputDim") || item.find("input_dim"))
        fail(e.where, ": ", show(e.name), " has an input shape; in a graph, shapes come from the model's inputs");
      applications[e.name] = 1;
      specs[e.name] = &item;
    }
    const Json* in = item.find("inputs");
    if (!in) fail(e.where, ": ", show(e.name), " needs \"inputs\": the tensors it takes, such as [\"dense_1\"]");
    e.inputs = tensor_names(*in, e.where, "inputs");
    if (defined.count(e.tensor))
      fail(e.where, ": the name ", show(e.tensor), " is already used by ", defined[e.tensor], "; names must be unique");
    defined.emplace(e.tensor, e.where);
    entries.push_back(e);
  }
  std::map<std::string, const Entry*> by_tensor;
  for (const Entry& e : entries) by_tensor[e.tensor] = &e;
  std::set<std::string> seen_tensors;
  for (const auto& input : input_list) seen_tensors.insert(input.first);
  for (const Entry& e : entries) {
    for (const std::string& ref : e.inputs) {
      if (seen_tensors.count(ref)) continue;
      if (ref == e.tensor) fail(e.where, ": ", show(e.tensor), " takes its own output; a model's graph has no cycles");
      if (!by_tensor.count(ref)) {
        std::string known;
        for (const auto& [name, where] : defined) known += (known.empty() ? "" : ", ") + show(name);
        fail(e.where, ": input ", show(ref), " names no tensor of the model; expected one of ", known);
      }
      std::vector<std::string> trail;
      std::set<std::string> seen;
      if (path(by_tensor, ref, e.tensor, trail, seen)) {
        std::string cycle;
        for (auto t = trail.rbegin(); t != trail.rend(); ++t) cycle += (cycle.empty() ? "" : " -> ") + show(*t);
        fail(e.where, ": the layers form a cycle: ", cycle, " -> ", show(ref), "; a model's graph has no cycles");
      }
      fail(e.where, ": input ", show(ref), " is used before it exists (", by_tensor[ref]->where,
           " makes it); list each layer after the layers whose tensors it takes");
    }
    seen_tensors.insert(e.tensor);
  }

  // Outputs, and that everything leads to one.
  const std::vector<std::string> output_names = tensor_names(outputs, "model", "outputs");
  for (const std::string& out : output_names)
    if (!by_tensor.count(out)) {
      if (defined.count(out)) fail("model: output ", show(out), " is an input; an output must be a layer's");
      fail("model: output ", show(out), " names no tensor of the model");
    }
  std::set<std::string> useful(output_names.begin(), output_names.end());
  for (auto e = entries.rbegin(); e != entries.rend(); ++e)
    if (useful.count(e->tensor)) useful.insert(e->inputs.begin(), e->inputs.end());
  for (const auto& input : input_list)
    if (!useful.count(input.first))
      fail("model: input ", show(input.first), " reaches no output; every input must lead to one of ", show(outputs));
  for (const Entry& e : entries)
    if (!useful.count(e.tensor))
      fail(e.where, ": ", show(e.tensor), " leads to no output; every layer must lead to one of ", show(outputs));

  // Build.
  std::map<std::string, int> node;
  for (const auto& [name, shape] : input_list) node[name] = model.add_input(name, shape);
  std::map<std::string, Layer*> built;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    try {
      std::vector<int> in;
      for (const std::string& ref : e.inputs) in.push_back(node.at(ref));
      if (!e.applies.empty()) {
        node[e.tensor] = model.apply(*built.at(e.applies), in);
        continue;
      }
      const Json& spec = *specs.at(e.name);
      const LayerSpec* type = spec.find("type") && spec.find("type")->is(Json::Kind::string)
                                  ? find_layer_spec(spec.find("type")->text)
                                  : nullptr;
      if (type && (static_cast<int>(in.size()) < type->min_inputs || static_cast<int>(in.size()) > type->max_inputs))
        fail(e.where, ": ", show(e.name), " (", type->keras_class, ") takes ",
             type->min_inputs == type->max_inputs ? std::to_string(type->min_inputs)
             : type->max_inputs == kManyInputs
                 ? "at least " + std::to_string(type->min_inputs)
                 : std::to_string(type->min_inputs) + " to " + std::to_string(type->max_inputs),
             " input", type->max_inputs == 1 ? "" : "s", "; it was given ", in.size(), " (",
             show(spec.find("inputs") ? *spec.find("inputs") : spec), ")");
      std::vector<int> unused_shape;
      std::unique_ptr<Layer> layer = layer_from_json(spec, e.where, &unused_shape);
      Layer* raw = layer.get();
      node[e.tensor] = model.add_layer(std::move(layer), in);
      built[e.name] = raw;
    } catch (const EngineError& error) {
      const auto* about = dynamic_cast<const OptionError*>(&error);
      std::vector<LayerSummary> done;
      for (const auto& l : model.layers()) done.push_back({l->name, l->type(), l->output_shape, l->parameter_count()});
      const std::string message = error.what();
      throw ModelBuildError(message.rfind(e.where, 0) == 0 ? message : e.where + ": " + message, static_cast<int>(i),
                            about ? about->option : "", std::move(done));
    }
  }
  std::vector<int> out;
  for (const std::string& name : output_names) out.push_back(node.at(name));
  model.set_outputs(out);
}

}  // namespace dl
