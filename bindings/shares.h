// Data-parallel training across engines (web/lib/team.js): the leader's fit session
// hands out rows of each batch with the current weights, helpers compute their rows'
// gradients, and the leader adds them before its one update. Free functions on the
// handles, bound as their methods.
#pragma once

#include <emscripten/val.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/show.h"
#include "handles.h"
#include "io/model_description.h"

namespace dl_bindings {

// Copies a Float32Array of exactly `n` values into out; `what` names it in the error.
inline void floats_from_js(const val& values, std::size_t n, float* out, const char* what) {
  if (!values.instanceof (val::global("Float32Array"))) dl::fail(what, ": expected a Float32Array");
  const double length = values["length"].as<double>();
  if (length != static_cast<double>(n)) dl::fail(what, ": expected ", n, " values; got ", dl::show(length));
  val(emscripten::typed_memory_view(n, out)).call<void>("set", values);
}

// Scratch buffer `k` (0: weights or gradients, 1: predictions, 2: statistics) of n
// floats, kept between calls: a batch's copies of every weight should not allocate and
// zero-fill megabytes each time. Each call's use ends before it returns.
inline float* scratch(int k, std::size_t n) {
  static std::vector<float> buffers[3];
  std::vector<float>& b = buffers[k];
  if (b.size() < n) b.resize(n);
  return b.data();
}

// ----- the leader's session -----

// The next batch's rows (0 once training is over).
inline int begin_batch(SessionHandle& s) {
  return guarded([&] { return s.session().begin_batch(); });
}

// Rows [begin, end) of the batch for a helper: {x, y} as Float32Arrays, the noise seed and
// sampleWeight (their rows' sample weights, a Float32Array, or null without).
inline val batch_share(SessionHandle& s, int begin, int end) {
  return guarded([&] {
    const dl::FitSession& f = s.session();
    if (begin < 0 || end > f.batch_x().rows() || begin >= end)
      dl::fail("batchShare: rows ", begin, " to ", end, " are not in the batch of ", f.batch_x().rows());
    const std::size_t xs = f.batch_x().size() / f.batch_x().rows(), ys = f.batch_y().size() / f.batch_y().rows();
    val out = val::object();
    out.set("x", floats_to_js(f.batch_x().data() + xs * begin, xs * (end - begin)));
    out.set("y", floats_to_js(f.batch_y().data() + ys * begin, ys * (end - begin)));
    out.set("noiseSeed", static_cast<double>(f.noise_seed()));
    const std::size_t ws = f.weight_steps();
    out.set("sampleWeight", ws ? floats_to_js(f.batch_weights().data() + ws * begin, ws * (end - begin)) : val::null());
    return out;
  });
}

inline void compute_share(SessionHandle& s, int begin, int end) {
  guarded([&] { s.session().compute_share(begin, end); });
}

// share: what shareGradients returned for rows [begin, end).
inline void add_share(SessionHandle& s, int begin, int end, val share) {
  guarded([&] {
    dl::Sequential& m = s.model();
    const std::size_t n_predictions = dl::shape_size(m.output_shape()) * std::max(0, end - begin);
    float* gradients = scratch(0, m.gradient_size());
    float* predictions = scratch(1, n_predictions);
    float* statistics = m.statistics_size() > 0 ? scratch(2, m.statistics_size()) : nullptr;
    floats_from_js(share["gradients"], m.gradient_size(), gradients, "addShare gradients");
    floats_from_js(share["predictions"], n_predictions, predictions, "addShare predictions");
    if (statistics) floats_from_js(share["statistics"], m.statistics_size(), statistics, "addShare statistics");
    s.session().add_share(begin, end, gradients, share["loss"].as<double>(), predictions, statistics);
  });
}

inline void finish_batch(SessionHandle& s) {
  guarded([&] { s.session().finish_batch(); });
}

// ----- every engine's model -----

// Every parameter's values, in one Float32Array.
inline val weights_flat(ModelHandle& h) {
  return guarded([&] {
    const std::size_t n = h.model().weight_size();
    float* out = scratch(0, n);
    h.model().read_weights(out);
    return floats_to_js(out, n);
  });
}

// Every parameter's values into `into`, a Float32Array of their count (one a helper sent
// back), so that a batch allocates no new buffer.
inline void weights_into(ModelHandle& h, val into) {
  guarded([&] {
    const std::size_t n = h.model().weight_size();
    if (!into.instanceof (val::global("Float32Array")) || into["length"].as<double>() != static_cast<double>(n))
      dl::fail("weightsInto: expected a Float32Array of ", n, " values");
    float* out = scratch(0, n);
    h.model().read_weights(out);
    into.call<void>("set", val(emscripten::typed_memory_view(n, out)));
  });
}

// `reuse`'s Float32Array under `key` when it has n values, else a new one; filled with data.
inline val floats_into(const val& reuse, const char* key, const float* data, std::size_t n) {
  if (reuse.isNull() || reuse.isUndefined()) return floats_to_js(data, n);
  val given = reuse[key];
  if (!given.instanceof (val::global("Float32Array")) || given["length"].as<double>() != static_cast<double>(n))
    return floats_to_js(data, n);
  given.call<void>("set", val(emscripten::typed_memory_view(n, data)));
  return given;
}

inline void set_weights_flat(ModelHandle& h, val values) {
  guarded([&] {
    const std::size_t n = h.model().weight_size();
    float* in = scratch(0, n);
    floats_from_js(values, n, in, "setWeightsFlat");
    h.model().write_weights(in);
  });
}

// A helper's part: the gradients of rows x, y (Float32Arrays) that start at first_row of a
// batch of batch_rows, with the leader's noise seed, fit options (for classWeight) and the
// rows' sample weights (batchShare's sampleWeight: a Float32Array, or null).
// Returns {loss, gradients, predictions, statistics (null without batch statistics)}; the
// gradients and predictions go into `reuse`'s arrays of those names when they fit (an
// earlier answer's, sent back), else into new ones.
inline val share_gradients(ModelHandle& h, val x_values, val y_values, int first_row, int batch_rows, double noise_seed,
                           const std::string& fit_options, val sample_weight, val reuse) {
  return guarded([&] {
    dl::Sequential& m = h.model();
    m.check_compiled("shareGradients");
    const std::vector<int> in = m.input_shape();
    const std::size_t per_row = dl::shape_size(in);
    const double x_length = x_values["length"].as<double>(), y_length = y_values["length"].as<double>();
    const int rows = static_cast<int>(x_length / per_row);
    if (rows < 1 || rows * per_row != x_length || std::fmod(y_length, rows) != 0)
      dl::fail("shareGradients: ", dl::show(x_length), " input values and ", dl::show(y_length),
               " targets are not whole rows of ", dl::shape_text(in));
    if (first_row < 0 || first_row + rows > batch_rows)
      dl::fail("shareGradients: rows ", first_row, " to ", first_row + rows, " are not in a batch of ", batch_rows);
    std::vector<int> x_shape{rows};
    x_shape.insert(x_shape.end(), in.begin(), in.end());
    dl::Tensor x(x_shape), y({rows, static_cast<int>(y_length / rows)}), predictions;
    floats_from_js(x_values, x.size(), x.data(), "shareGradients x");
    floats_from_js(y_values, y.size(), y.data(), "shareGradients y");
    const dl::FitOptions options = dl::fit_options_from_json(fit_options);
    m.set_noise_seed(static_cast<std::uint64_t>(noise_seed));
    const std::vector<float> scale = m.sample_scale(y, options.class_weight, batch_rows);
    std::vector<float> weights;
    if (!sample_weight.isNull() && !sample_weight.isUndefined()) {
      const double length = sample_weight["length"].as<double>();
      if (length < rows || std::fmod(length, rows) != 0)
        dl::fail("shareGradients: ", dl::show(length), " sample weights are not whole rows of ", rows);
      weights.resize(static_cast<std::size_t>(length));
      floats_from_js(sample_weight, weights.size(), weights.data(), "shareGradients sampleWeight");
      m.set_sample_weights(weights.data(), static_cast<int>(length / rows), first_row);
    }
    double loss = 0.0;
    try {
      loss = m.share_loss_and_gradients(x, y, scale.data(), first_row, &predictions);
    } catch (...) {
      m.set_sample_weights(nullptr, 0);
      throw;
    }
    m.set_sample_weights(nullptr, 0);
    float* gradients = scratch(0, m.gradient_size());
    float* statistics = m.statistics_size() > 0 ? scratch(2, m.statistics_size()) : nullptr;
    m.read_gradients(gradients);
    if (statistics) m.read_statistics(statistics);
    val out = val::object();
    out.set("loss", loss);
    out.set("gradients", floats_into(reuse, "gradients", gradients, m.gradient_size()));
    out.set("predictions", floats_into(reuse, "predictions", predictions.data(), predictions.size()));
    out.set("statistics", statistics ? floats_to_js(statistics, m.statistics_size()) : val::null());
    return out;
  });
}

}  // namespace dl_bindings
