// Padding names and the output geometry of one spatial axis.
#include "kernels/conv2d.h"

#include "core/error.h"
#include "core/show.h"

namespace dl {

Padding padding_from_name(const std::string& name, const std::string& where) {
  if (name == "valid") return Padding::valid;
  if (name == "same") return Padding::same;
  fail(where, ": unknown padding ", show(name), "; expected valid or same");
}

const char* padding_name(Padding p) { return p == Padding::valid ? "valid" : "same"; }

AxisGeometry axis_geometry(int in, int k, int stride, Padding padding, const std::string& where, const char* axis) {
  AxisGeometry a;
  if (padding == Padding::valid) {
    if (k > in)
      fail(where, ": the window of ", k, " is larger than the input's ", axis, " of ", in,
           " with \"valid\" padding; use a smaller window or padding \"same\"");
    a.out = (in - k) / stride + 1;
  } else {
    a.out = (in + stride - 1) / stride;
    const int total = std::max((a.out - 1) * stride + k - in, 0);
    a.pad_before = total / 2;
  }
  return a;
}

}  // namespace dl
