// The output geometry of a 1D convolution, as Keras computes it.
#include "kernels/conv1d.h"

#include "core/error.h"

namespace dl {

Conv1DGeometry conv1d_geometry(int t, int c, int k, int f, int stride, int dilation, Padding1D padding,
                               const std::string& where) {
  Conv1DGeometry g;
  g.t = t;
  g.c = c;
  g.k = k;
  g.f = f;
  g.stride = stride;
  g.dilation = dilation;
  const int span = g.span();
  switch (padding) {
    case Padding1D::valid:
      if (span > t)
        fail(where, ": the kernel covers ", span, " steps", dilation > 1 ? " (dilated)" : "",
             ", more than the input's ", t, " with padding \"valid\"; use a shorter kernel or padding \"same\"");
      g.out = (t - span) / stride + 1;
      break;
    case Padding1D::same:
      g.out = (t + stride - 1) / stride;
      g.pad_left = std::max((g.out - 1) * stride + span - t, 0) / 2;
      break;
    case Padding1D::causal:
      // The sequence with (K-1)*dilation zeros before it, then a valid convolution.
      g.out = (t - 1) / stride + 1;
      g.pad_left = span - 1;
      break;
  }
  return g;
}

}  // namespace dl
