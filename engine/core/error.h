// The engine's one error type. Every check on user input throws EngineError with a
// message that names the layer or argument, what came, and what was expected; the
// bindings turn it into a JavaScript Error with the same text. A value the message quotes
// from a description, a call or the data is spelled by show() (core/show.h).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dl {

class EngineError : public std::runtime_error {
 public:
  explicit EngineError(const std::string& message) : std::runtime_error(message) {}
};

// An error about one option of a description (such as "units"), so that a caller can
// point at it.
class OptionError : public EngineError {
 public:
  OptionError(const std::string& message, std::string option) : EngineError(message), option(std::move(option)) {}
  std::string option;
};

// Builds a message from any streamable pieces: fail("layer ", name, " expects ", n).
template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  throw EngineError(out.str());
}

// The same, naming the option at fault.
template <typename... Parts>
[[noreturn]] void fail_option(const std::string& option, const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  throw OptionError(out.str(), option);
}

// "(None, 28, 28, 1)" style text for a per-sample shape, as Keras prints it.
inline std::string shape_text(const std::vector<int>& shape, bool with_batch = true) {
  std::ostringstream out;
  out << "(";
  bool first = true;
  if (with_batch) {
    out << "None";
    first = false;
  }
  for (int d : shape) {
    if (!first) out << ", ";
    out << d;
    first = false;
  }
  if (shape.size() == 1 && !with_batch) out << ",";
  out << ")";
  return out.str();
}

}  // namespace dl
