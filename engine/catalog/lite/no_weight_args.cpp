// The first widget's engine (dl_engine_es_lite): initializers by name only, and no weight
// constraints. Linked before the engine's library, these definitions stand in for
// catalog/weight_args.cpp and layers/constraints.cpp, whose code the linker then leaves
// out. A page that gives such an object loads the whole engine (dl.wholeEngine()).
#include "catalog/catalog.h"

namespace dl {

Initializer initializer_from_json(const Json&, const std::string& where, const std::string& option) {
  throw OptionError(where +
                        ": an initializer given as {className, config} needs the whole engine (dl.wholeEngine()); " +
                        "this one takes names such as \"heNormal\"",
                    option);
}

Constraint constraint_from_json(const Json&, const std::string& where, const std::string& option) {
  throw OptionError(where + ": constraints need the whole engine (dl.wholeEngine())", option);
}

// (No layer of this engine has a constraint: the reading above refuses them.)
void apply_constraint(const Constraint&, Tensor&) {}

}  // namespace dl
