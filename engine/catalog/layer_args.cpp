// Reading one layer description against its catalog entry.
#include <cmath>
#include <limits>

#include "catalog/catalog.h"
#include "core/names.h"
#include "core/show.h"
#include "io/model_description.h"

namespace dl {

namespace {

// "maxPooling2d", "MaxPooling2D" and "max_pooling2d" all become "maxpooling2d".
std::string type_key(const std::string& type) {
  std::string out;
  for (char ch : type)
    if (ch != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::vector<std::string> known_names(const LayerSpec& spec) {
  std::vector<std::string> names = LayerArgs::common();
  for (const OptionSpec& o : spec.options) names.push_back(o.name);
  return names;
}

std::string interval(const OptionSpec& o) {
  std::ostringstream out;
  out << "[" << o.low << ", " << o.high << (o.high_open ? ")" : "]");
  return out.str();
}

}  // namespace

const LayerSpec* find_layer_spec(const std::string& type) {
  const std::string key = type_key(type);
  for (const LayerSpec& spec : layer_catalog())
    if (type_key(spec.type) == key) return &spec;
  return nullptr;
}

const std::vector<std::string>& LayerArgs::common() {
  static const std::vector<std::string> names = {"type", "name", "inputShape", "inputDim", "trainable", "inputs"};
  return names;
}

LayerArgs::LayerArgs(const Json& description, const LayerSpec& spec, const std::string& where)
    : layer_(spec), options_(description, where, known_names(spec)) {
  for (const OptionSpec& o : spec.options) fallbacks_.push_back(Json::parse(o.fallback));
  for (const OptionSpec& o : spec.options) check(o);
}

const OptionSpec& LayerArgs::spec(const std::string& name) const {
  for (const OptionSpec& o : layer_.options)
    if (name == o.name) return o;
  fail("catalog: ", layer_.type, " has no option ", show(name));
}

const Json& LayerArgs::fallback(const OptionSpec& option) const {
  return fallbacks_[static_cast<std::size_t>(&option - layer_.options.begin())];
}

bool LayerArgs::given(const std::string& name) const {
  const Json* v = options_.get(name);
  return v && !v->is(Json::Kind::null);
}

// Every check happens here, once, so that the getters only read.
void LayerArgs::check(const OptionSpec& o) const {
  const std::string& at = where();
  if (!given(o.name)) {
    if (o.required)
      fail_option(o.name, at, ": needs ", o.name, ", such as ", *o.suggested ? o.suggested : o.fallback,
                  *o.help ? " (" : "", o.help, *o.help ? ")" : "");
    return;
  }
  switch (o.kind) {
    case OptionKind::whole: options_.whole(o.name, 0, static_cast<int>(o.low), static_cast<int>(o.high)); break;
    case OptionKind::number: {
      const double v = options_.number(o.name, 0);
      if (!(v >= o.low && (o.high_open ? v < o.high : v <= o.high)))
        fail_option(o.name, at, ": ", o.name, " must be in ", interval(o), "; got ", show(v));
      break;
    }
    case OptionKind::flag: options_.flag(o.name, false); break;
    case OptionKind::activation: activation(o.name); break;
    case OptionKind::padding: padding(o.name); break;
    case OptionKind::initializer: initializer(o.name); break;
    case OptionKind::size: options_.pair(o.name, 1); break;
    case OptionKind::shape: options_.shape(o.name, true); break;
    case OptionKind::regularizer: regularizer_from(options_, o.name); break;
    case OptionKind::constraint: constraint(o.name); break;
    case OptionKind::margins: margins(o.name); break;
    case OptionKind::axes: axes(o.name); break;
    case OptionKind::choice: choice(o.name); break;
    case OptionKind::layer: layer(o.name); break;
  }
}

int LayerArgs::whole(const std::string& name) const {
  const OptionSpec& o = spec(name);
  if (!given(name)) return static_cast<int>(fallback(o).number);
  return options_.whole(name, 0, static_cast<int>(o.low), static_cast<int>(o.high));
}

double LayerArgs::number(const std::string& name) const {
  const OptionSpec& o = spec(name);
  if (given(name)) return options_.number(name, 0);
  const Json& d = fallback(o);
  return d.is(Json::Kind::number) ? d.number : std::numeric_limits<double>::quiet_NaN();
}

bool LayerArgs::flag(const std::string& name) const {
  return given(name) ? options_.flag(name, false) : fallback(spec(name)).boolean;
}

ActivationKind LayerArgs::activation(const std::string& name) const {
  // Names the option when it is not the one called activation (recurrentActivation).
  const std::string at = name == "activation" ? where() : where() + ": " + name;
  return options_.named(name, fallback(spec(name)).text,
                        [&](const std::string& n) { return activation_from_name(n, at); });
}

Padding LayerArgs::padding(const std::string& name) const {
  const std::string& at = where();
  return options_.named(name, fallback(spec(name)).text,
                        [&](const std::string& n) { return padding_from_name(n, at); });
}

Initializer LayerArgs::initializer(const std::string& name) const {
  const std::string at = where() + ": " + name;
  const Json* v = options_.get(name);
  if (v && v->is(Json::Kind::object)) return initializer_from_json(*v, at, name);
  return options_.named(name, fallback(spec(name)).text,
                        [&](const std::string& n) { return initializer_from_name(n, at); });
}

Constraint LayerArgs::constraint(const std::string& name) const {
  const Json* v = options_.get(name);
  if (!v || v->is(Json::Kind::null)) return {};
  return constraint_from_json(*v, where() + ": " + name, name);
}

std::pair<int, int> LayerArgs::size(const std::string& name) const {
  const Json& d = fallback(spec(name));
  if (!given(name)) {
    const int n = d.is(Json::Kind::number) ? static_cast<int>(d.number) : 0;
    return {n, n};
  }
  return options_.pair(name, 0);
}

std::vector<int> LayerArgs::shape(const std::string& name) const { return options_.shape(name, true); }

std::array<int, 4> LayerArgs::margins(const std::string& name) const {
  const OptionSpec& o = spec(name);
  const Json* v = options_.get(name);
  const Json& given = v && !v->is(Json::Kind::null) ? *v : fallback(o);
  auto bad = [&]() {
    fail_option(name, where(), ": ", name, " must be a whole number from ", o.low, " to ", o.high,
                ", [height, width] or [[top, bottom], [left, right]] of them");
  };
  auto whole = [&](const Json& d) {
    if (!d.is(Json::Kind::number) || d.number != std::floor(d.number) || d.number < o.low || d.number > o.high) bad();
    return static_cast<int>(d.number);
  };
  if (given.is(Json::Kind::number)) {
    const int n = whole(given);
    return {n, n, n, n};
  }
  if (!given.is(Json::Kind::array) || given.items.size() != 2) bad();
  const Json& rows = given.items[0];
  const Json& columns = given.items[1];
  if (rows.is(Json::Kind::number) && columns.is(Json::Kind::number)) {
    const int h = whole(rows);
    const int w = whole(columns);
    return {h, h, w, w};
  }
  if (!rows.is(Json::Kind::array) || rows.items.size() != 2 || !columns.is(Json::Kind::array) ||
      columns.items.size() != 2)
    bad();
  return {whole(rows.items[0]), whole(rows.items[1]), whole(columns.items[0]), whole(columns.items[1])};
}

std::vector<int> LayerArgs::axes(const std::string& name) const {
  const OptionSpec& o = spec(name);
  const Json* v = options_.get(name);
  const Json& given = v && !v->is(Json::Kind::null) ? *v : fallback(o);
  auto whole = [&](const Json& d) {
    if (!d.is(Json::Kind::number) || d.number != std::floor(d.number) || d.number < o.low || d.number > o.high)
      fail_option(name, where(), ": ", name, " must be a whole number from ", o.low, " to ", o.high,
                  " or a pair of them; got ", show(given));
    return static_cast<int>(d.number);
  };
  if (given.is(Json::Kind::array)) {
    if (given.items.size() != 2)
      fail_option(name, where(), ": ", name, " must be one axis or a pair of axes; got ", show(given));
    return {whole(given.items[0]), whole(given.items[1])};
  }
  return {whole(given)};
}

std::string LayerArgs::choice(const std::string& name) const {
  const OptionSpec& o = spec(name);
  const Json* v = options_.get(name);
  const Json& given = v ? *v : fallback(o);
  const std::string text = given.is(Json::Kind::string) ? given.text : given.is(Json::Kind::null) ? "null" : "";
  std::string names;
  for (const char* c : o.choices) {
    if (text == c) return text;
    names += std::string(names.empty() ? "" : ", ") + c;
  }
  fail_option(name, where(), ": ", name, " must be one of ", names, "; got ", show(given));
}

std::unique_ptr<Layer> LayerArgs::layer(const std::string& name) const {
  const Json* v = options_.get(name);
  if (!v || !v->is(Json::Kind::object))
    fail_option(name, where(), ": ", name,
                " must be a layer's description, such as {\"type\": \"lstm\", \"units\": 8}; got ",
                v ? show(*v) : std::string("nothing"));
  return layer_from_json(*v, where() + ": " + name, nullptr);
}

Regularizer LayerArgs::regularizer(const std::string& name) const { return regularizer_from(options_, name); }

}  // namespace dl
