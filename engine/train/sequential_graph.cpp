// Building a model's graph: a chain layer by layer (add), or inputs, layers applied to
// nodes, shared layers applied again, and the outputs. Each call that throws adds nothing.
#include "core/error.h"
#include "core/names.h"
#include "core/show.h"
#include "train/sequential.h"

namespace dl {

void Sequential::name_layer(Layer& layer) const {
  if (layer.name.empty()) {
    const std::string base = snake_case_name(layer.type());
    int count = 0;
    for (const auto& l : layers_)
      if (snake_case_name(l->type()) == base) ++count;
    auto taken = [&](const std::string& name) {
      for (const auto& l : layers_)
        if (l->name == name) return true;
      return false;
    };
    std::string name = count == 0 ? base : base + "_" + std::to_string(count);
    while (taken(name)) name = base + "_" + std::to_string(++count);
    layer.name = name;
    return;
  }
  for (const auto& l : layers_)
    if (l->name == layer.name)
      fail("add: a layer named ", show(layer.name), " is already in the model; names must be unique");
  for (int i : graph_.inputs())
    if (graph_.nodes()[i].name == layer.name)
      fail("add: ", show(layer.name), " names both an input and a layer; names must be unique");
}

void Sequential::add(std::unique_ptr<Layer> layer, const std::vector<int>& input_shape) {
  if (!layer) fail("add: the layer is missing");
  if (graph_.inputs().size() > 1 || graph_.outputs().size() > 1)
    fail("add: the model is a graph of several inputs or outputs; add appends to a chain only");
  const std::size_t before = graph_.nodes().size();
  int from;
  if (layers_.empty()) {
    if (input_shape.empty())
      fail("add: the first layer (", layer->type(), ") needs an input shape, such as inputShape: [784]");
    for (int d : input_shape)
      if (d <= 0)
        fail("add: input shape ", shape_text(input_shape), " has a dimension <= 0; every dimension must be positive");
    name_layer(*layer);
    from = graph_.add_input(layer->name + "_input", input_shape);
  } else {
    from = graph_.outputs().at(0);
    const std::vector<int>& previous = graph_.nodes()[from].shape;
    if (!input_shape.empty() && input_shape != previous)
      fail("add: ", layer->type(), " was given input shape ", shape_text(input_shape),
           " but the previous layer outputs ", shape_text(previous));
    name_layer(*layer);
  }
  layer->rng = &rng_;
  try {
    const int node = graph_.add_node(layer.get(), {from});
    if (!layer->output_parts().empty())
      fail("add: ", layer->label(), " gives ", layer->output_parts().size(),
           " outputs (returnState, or the attention scores); a chain takes layers of one output. Use the "
           "functional API (dl.input, apply, dl.model)");
    graph_.set_outputs({node});
  } catch (...) {
    graph_.truncate(before);
    throw;
  }
  layers_.push_back(std::move(layer));
  optimizer_.reset();  // the parameter list changed: compile again
}

int Sequential::add_input(const std::string& name, const std::vector<int>& shape) {
  for (const auto& l : layers_)
    if (l->name == name) fail("input ", show(name), " has the name of a layer; names must be unique");
  optimizer_.reset();
  return graph_.add_input(name, shape);
}

int Sequential::add_layer(std::unique_ptr<Layer> layer, const std::vector<int>& inputs) {
  if (!layer) fail("the layer is missing");
  name_layer(*layer);
  layer->rng = &rng_;
  const int node = graph_.add_node(layer.get(), inputs);
  layers_.push_back(std::move(layer));
  optimizer_.reset();
  return node;
}

int Sequential::apply(Layer& layer, const std::vector<int>& inputs) {
  bool owned = false;
  for (const auto& l : layers_) owned = owned || l.get() == &layer;
  if (!owned) fail(layer.label(), " is not in this model; add it with add_layer first");
  return graph_.add_node(&layer, inputs);
}

void Sequential::set_outputs(const std::vector<int>& outputs) {
  if (outputs.empty()) fail("the model has no output; it needs at least one");
  for (std::size_t k = 0; k < outputs.size(); ++k)
    for (std::size_t j = 0; j < k; ++j)
      if (outputs[j] == outputs[k] && outputs[k] >= 0 && outputs[k] < static_cast<int>(graph_.nodes().size()))
        fail("output ", show(graph_.nodes()[outputs[k]].name), " is listed twice; each output must be another tensor");
  for (int o : outputs)
    if (o >= 0 && o < static_cast<int>(graph_.nodes().size()) && !graph_.nodes()[o].layer)
      fail("output ", show(graph_.nodes()[o].name), " is an input; an output must be a layer's");
  graph_.set_outputs(outputs);
  outputs_.clear();
  optimizer_.reset();
}

Layer& Sequential::output_layer() const { return *graph_.nodes()[graph_.outputs().at(0)].layer; }

}  // namespace dl
