// The Layer interface's defaults for layers of one input.
#include "layers/layer.h"

#include "core/error.h"
#include "kernels/activations.h"

namespace dl {

// Layers that do not end in an activation say so; the model then never fuses.
ActivationKind Layer::output_activation() const { return ActivationKind::linear; }

std::vector<int> Layer::build_many(const std::vector<std::vector<int>>& input_shapes) {
  if (input_shapes.size() != 1)
    fail(label(), " takes one input; it was given ", input_shapes.size(),
         input_shapes.empty() ? "" : ". Merge tensors first with a layer such as Add or Concatenate");
  return build(input_shapes[0]);
}

}  // namespace dl
