// The catalog's layers over sequences and their shapes: 1D convolutions and pooling, global pooling, upsampling, transposed convolution, cropping and padding.
#include "catalog/catalog.h"

namespace dl {

List<LayerSpec> sequence_layer_specs() { return {}; }

}  // namespace dl
