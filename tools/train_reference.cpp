// Trains a model described in one JSON file and prints its final weights as JSON, so
// that a Node test can run the same training through the WebAssembly build and compare.
// Input: {"model": {...}, "fit": {...}, "x": {"shape": [...], "values": [...]}, "y": {...}}
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "io/model_description.h"

namespace {

dl::Tensor tensor_from(const dl::Json& spec) {
  std::vector<int> shape;
  for (const dl::Json& d : spec.find("shape")->items) shape.push_back(static_cast<int>(d.number));
  std::vector<float> values;
  for (const dl::Json& v : spec.find("values")->items) values.push_back(static_cast<float>(v.number));
  return dl::Tensor(shape, values);
}

// Re-serializes a parsed JSON value; enough for the model and fit sections.
std::string to_text(const dl::Json& v) {
  std::ostringstream out;
  out.precision(17);
  switch (v.kind) {
    case dl::Json::Kind::null: out << "null"; break;
    case dl::Json::Kind::boolean: out << (v.boolean ? "true" : "false"); break;
    case dl::Json::Kind::number: out << v.number; break;
    case dl::Json::Kind::string: out << '"' << v.text << '"'; break;
    case dl::Json::Kind::array:
      out << '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) out << (i ? "," : "") << to_text(v.items[i]);
      out << ']';
      break;
    case dl::Json::Kind::object:
      out << '{';
      for (std::size_t i = 0; i < v.members.size(); ++i)
        out << (i ? "," : "") << '"' << v.members[i].first << "\":" << to_text(v.members[i].second);
      out << '}';
      break;
  }
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: train_reference run.json\n";
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    dl::Json run = dl::Json::parse(text.str());
    auto model = dl::model_from_json(to_text(*run.find("model")));
    model->fit(tensor_from(*run.find("x")), tensor_from(*run.find("y")),
               dl::fit_options_from_json(to_text(*run.find("fit"))));
    std::printf("[");
    bool first = true;
    for (const dl::Parameter& p : model->parameters()) {
      for (float w : p.value->values()) {
        std::printf("%s%.9g", first ? "" : ",", w);
        first = false;
      }
    }
    std::printf("]\n");
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
