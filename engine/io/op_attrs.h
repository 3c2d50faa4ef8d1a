// An op's settings from the JSON the JavaScript API sends ({"axes": [1], "keepDims":
// true}); unknown keys and values of the wrong kind are refused by name.
#pragma once

#include <string>

#include "ops/op.h"

namespace dl::ops {

// "" gives the defaults.
Attrs attrs_from_json(const std::string& text);

}  // namespace dl::ops
