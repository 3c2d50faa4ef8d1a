// Errors across the JavaScript boundary. A failed call does not throw into JavaScript: it
// keeps its message (and, for a model whose layer cannot be built, where) and returns an
// empty value; web/lib/engine_loader.js asks after every call and throws the Error.
#pragma once

#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "io/model_description.h"

namespace dl_bindings {

using emscripten::val;

// Why not throw: a JavaScript exception thrown from C++ would unwind through
// Embind's frames without running their destructors, leaking the argument copies (a
// std::string per refused model or compile call) and the memory of a refused handle.
inline std::string g_error_message;
inline bool g_failed = false;
// Where a model description failed, when it was a layer: its index, the option at fault
// and the layers built before it.
struct ErrorPlace {
  bool known = false;
  int layer_index = 0;
  std::string option;
  std::vector<dl::LayerSummary> built;
};
inline ErrorPlace g_error_place;

// Runs f; any C++ exception becomes the pending error, and the result an empty value.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  using Result = decltype(f());
  try {
    return f();
  } catch (const std::bad_alloc&) {
    g_error_message = "out of memory: the model or data set is too large for this browser tab";
  } catch (const dl::ModelBuildError& e) {
    g_error_message = e.what();
    g_error_place = {true, e.layer_index, e.option, e.built};
  } catch (const std::exception& e) {
    g_error_message = e.what();
  } catch (...) {
    g_error_message = "unknown engine error";
  }
  g_failed = true;
  if constexpr (std::is_same_v<Result, val>)
    return val::undefined();
  else if constexpr (!std::is_void_v<Result>)
    return Result{};
}

inline bool has_error() { return g_failed; }

// The pending error's message; clears it.
inline std::string take_error() {
  g_failed = false;
  std::string message;
  message.swap(g_error_message);
  return message;
}

// Where the last error was, as {layerIndex, option, layers: [{name, type, outputShape,
// parameters}]}, or undefined; clears it.
inline val take_error_place() {
  if (!g_error_place.known) return val::undefined();
  val out = val::object();
  out.set("layerIndex", g_error_place.layer_index);
  out.set("option", g_error_place.option);
  val layers = val::array();
  for (const dl::LayerSummary& l : g_error_place.built) {
    val s = val::object();
    s.set("name", l.name);
    s.set("type", l.type);
    s.set("outputShape", val::array(l.output_shape));
    s.set("parameters", static_cast<double>(l.parameters));
    layers.call<void>("push", s);
  }
  out.set("layers", layers);
  g_error_place = {};
  return out;
}

}  // namespace dl_bindings
