// Loss names, with the short aliases Keras accepts.
#include "train/losses.h"

#include "core/names.h"

namespace dl {

namespace {
const Named<LossKind> kLosses[] = {
    {"categorical_crossentropy", LossKind::categorical_crossentropy},
    {"sparse_categorical_crossentropy", LossKind::sparse_categorical_crossentropy},
    {"binary_crossentropy", LossKind::binary_crossentropy},
    {"mean_squared_error", LossKind::mean_squared_error},
    {"mean_absolute_error", LossKind::mean_absolute_error},
};
}  // namespace

LossKind loss_from_name(const std::string& name, const std::string& where) {
  if (name == "mse" || name == "MSE") return LossKind::mean_squared_error;
  if (name == "mae" || name == "MAE") return LossKind::mean_absolute_error;
  return kind_from_name(kLosses, name, where, "loss");
}

const char* loss_name(LossKind kind) { return name_of_kind(kLosses, kind); }
std::vector<std::string> loss_names() { return names_of(kLosses); }

}  // namespace dl
