// Bidirectional's glue: both directions share the input and the mask; the backward copy
// draws its dropout masks from a seed of its own.
#include "layers/bidirectional.h"

#include <algorithm>

#include "core/error.h"
#include "core/names.h"
#include "core/show.h"

namespace dl {

namespace {

RecurrentOptions reversed(RecurrentOptions o) {
  o.go_backwards = !o.go_backwards;
  return o;
}

// y: (N, T, u) -> the same with the steps in the opposite order, in place.
void reverse_steps(Tensor& y, int steps, int units) {
  const std::size_t per_row = static_cast<std::size_t>(steps) * units;
  for (int n = 0; n < y.rows(); ++n)
    for (int a = 0, b = steps - 1; a < b; ++a, --b)
      std::swap_ranges(y.data() + n * per_row + static_cast<std::size_t>(a) * units,
                       y.data() + n * per_row + static_cast<std::size_t>(a + 1) * units,
                       y.data() + n * per_row + static_cast<std::size_t>(b) * units);
}

}  // namespace

MergeMode merge_mode_from_name(const std::string& name) {
  if (name == "concat") return MergeMode::concat;
  if (name == "sum") return MergeMode::sum;
  if (name == "mul") return MergeMode::mul;
  if (name == "ave") return MergeMode::ave;
  if (name == "null" || name.empty()) return MergeMode::none;
  fail("Bidirectional: mergeMode must be one of concat, sum, mul, ave, null; got ", show(name));
}

BidirectionalLayer::BidirectionalLayer(const RecurrentOptions& options, MergeMode mode, const std::string& inner_name)
    : forward_(options), backward_(reversed(options)), mode_(mode), inner_name_(inner_name) {
  if (inner_name_.empty()) inner_name_ = snake_case_name(forward_.type());
  if (options.return_state)
    fail("Bidirectional: a wrapped layer with returnState is not supported yet; got ", inner_name_,
         " with returnState true");
}

std::vector<int> BidirectionalLayer::build(const std::vector<int>& shape) {
  forward_.name = name + "/forward_" + inner_name_;
  backward_.name = name + "/backward_" + inner_name_;
  forward_.rng = backward_.rng = rng;
  std::vector<int> out;
  try {
    out = forward_.build(shape);
    backward_.build(shape);
  } catch (const EngineError& e) {
    fail(label(), ": ", e.what());
  }
  input_shape = shape;
  forward_.output_shape = backward_.output_shape = out;
  if (mode_ == MergeMode::concat) out.back() *= 2;
  if (mode_ == MergeMode::none) {
    std::size_t size = 1;
    for (int d : out) size *= d;
    return {static_cast<int>(2 * size)};
  }
  return out;
}

std::vector<std::vector<int>> BidirectionalLayer::output_parts() const {
  if (mode_ != MergeMode::none) return {};
  return {forward_.output_shape, forward_.output_shape};
}

void BidirectionalLayer::pass_settings(RecurrentLayer& layer, std::uint64_t seed) {
  layer.masks = masks;
  layer.noise_seed = seed;
  layer.first_row = first_row;
  layer.call = call;
  layer.accumulate_gradients = accumulate_gradients;
}

void BidirectionalLayer::forward(const Tensor& x, Tensor& y, bool training) {
  if (static_cast<int>(calls_.size()) <= call) calls_.resize(call + 1);
  Call& c = calls_[call];
  const RecurrentOptions& o = forward_.options();
  const int steps = input_shape[0], u = o.units, per = o.return_sequences ? steps * u : u;
  c.forward_y.resize({x.rows(), per});
  c.backward_y.resize({x.rows(), per});
  pass_settings(forward_, noise_seed);
  pass_settings(backward_, noise_seed ^ 0x6A09E667F3BCC909ull);
  forward_.forward(x, c.forward_y, training);
  backward_.forward(x, c.backward_y, training);
  if (o.return_sequences) reverse_steps(c.backward_y, steps, u);
  const float* f = c.forward_y.data();
  const float* b = c.backward_y.data();
  float* out = y.data();
  for (int n = 0; n < x.rows(); ++n) {
    const std::size_t at = static_cast<std::size_t>(n) * per;
    if (mode_ == MergeMode::none) {
      std::copy_n(f + at, per, out + 2 * at);
      std::copy_n(b + at, per, out + 2 * at + per);
      continue;
    }
    if (mode_ == MergeMode::concat) {
      // The last axis joined: each step's (or the one) u values, forward then backward.
      const int rows = per / u;
      for (int r = 0; r < rows; ++r) {
        std::copy_n(f + at + static_cast<std::size_t>(r) * u, u, out + 2 * at + static_cast<std::size_t>(r) * 2 * u);
        std::copy_n(b + at + static_cast<std::size_t>(r) * u, u,
                    out + 2 * at + static_cast<std::size_t>(r) * 2 * u + u);
      }
      continue;
    }
    for (int j = 0; j < per; ++j) {
      const float fv = f[at + j], bv = b[at + j];
      out[at + j] = mode_ == MergeMode::sum ? fv + bv : mode_ == MergeMode::mul ? fv * bv : 0.5f * (fv + bv);
    }
  }
}

void BidirectionalLayer::backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx) {
  Call& c = calls_.at(call);
  const RecurrentOptions& o = forward_.options();
  const int steps = input_shape[0], u = o.units, per = o.return_sequences ? steps * u : u;
  Tensor df({x.rows(), per}), db({x.rows(), per});
  const float* g = dy.data();
  for (int n = 0; n < x.rows(); ++n) {
    const std::size_t at = static_cast<std::size_t>(n) * per;
    if (mode_ == MergeMode::none) {
      std::copy_n(g + 2 * at, per, df.data() + at);
      std::copy_n(g + 2 * at + per, per, db.data() + at);
      continue;
    }
    if (mode_ == MergeMode::concat) {
      const int rows = per / u;
      for (int r = 0; r < rows; ++r) {
        std::copy_n(g + 2 * at + static_cast<std::size_t>(r) * 2 * u, u,
                    df.data() + at + static_cast<std::size_t>(r) * u);
        std::copy_n(g + 2 * at + static_cast<std::size_t>(r) * 2 * u + u, u,
                    db.data() + at + static_cast<std::size_t>(r) * u);
      }
      continue;
    }
    for (int j = 0; j < per; ++j) {
      const float gv = g[at + j];
      const float fv = c.forward_y[at + j], bv = c.backward_y[at + j];
      df[at + j] = mode_ == MergeMode::sum ? gv : mode_ == MergeMode::mul ? gv * bv : 0.5f * gv;
      db[at + j] = mode_ == MergeMode::sum ? gv : mode_ == MergeMode::mul ? gv * fv : 0.5f * gv;
    }
  }
  // The backward copy's output was put back in time order; its gradient goes back too.
  if (o.return_sequences) reverse_steps(db, steps, u);
  pass_settings(forward_, noise_seed);
  pass_settings(backward_, noise_seed ^ 0x6A09E667F3BCC909ull);
  Tensor backward_dx;
  if (dx) backward_dx = Tensor(x.shape());
  forward_.backward(x, c.forward_y, df, dx);
  backward_.backward(x, c.backward_y, db, dx ? &backward_dx : nullptr);
  if (dx)
    for (std::size_t i = 0; i < dx->size(); ++i) (*dx)[i] += backward_dx[i];
}

std::vector<Parameter> BidirectionalLayer::parameters() {
  std::vector<Parameter> p;
  for (RecurrentLayer* layer : {&forward_, &backward_})
    for (Parameter q : layer->parameters()) {
      q.name = (layer == &forward_ ? "forward_" : "backward_") + inner_name_ + "/" + q.name;
      p.push_back(q);
    }
  return p;
}

}  // namespace dl
