// Loss names, with the short aliases Keras accepts.
#include "losses.h"

#include "error.h"

namespace dl {

namespace {
struct Named {
  const char* name;
  LossKind kind;
};
const Named kLosses[] = {
    {"mean_squared_error", LossKind::mean_squared_error},
    {"mean_absolute_error", LossKind::mean_absolute_error},
    {"binary_crossentropy", LossKind::binary_crossentropy},
    {"categorical_crossentropy", LossKind::categorical_crossentropy},
    {"sparse_categorical_crossentropy", LossKind::sparse_categorical_crossentropy},
};
}  // namespace

LossKind loss_from_name(const std::string& name, const std::string& where) {
  if (name == "mse") return LossKind::mean_squared_error;
  if (name == "mae") return LossKind::mean_absolute_error;
  std::string known;
  for (const Named& n : kLosses) {
    if (name == n.name) return n.kind;
    known += known.empty() ? "" : ", ";
    known += n.name;
  }
  fail(where, ": unknown loss '", name, "'; expected one of ", known, " (or mse, mae)");
}

const char* loss_name(LossKind kind) {
  for (const Named& n : kLosses)
    if (n.kind == kind) return n.name;
  return "?";
}

}  // namespace dl
