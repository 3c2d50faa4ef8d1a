// The first widget's engine (dl_engine_es_lite): the catalog's families of sequence layers
// as empty lists. Linked before the engine's library, these definitions stand in for
// layers_recurrent.cpp, layers_sequence.cpp and layers_attention.cpp, whose layers' code
// the linker then never pulls in: a smaller download for a page whose models need only
// the image and merge layers. Not part of the engine's library (CMakeLists.txt).
#include "catalog/catalog.h"

namespace dl {

List<LayerSpec> recurrent_layer_specs() { return {}; }
List<LayerSpec> sequence_layer_specs() { return {}; }
List<LayerSpec> attention_layer_specs() { return {}; }

}  // namespace dl
