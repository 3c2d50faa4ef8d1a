// MultiHeadAttention: the checks of the options and inputs, Keras' weights, the masks and
// the dropout of the attention weights, around the attention_* kernels.
#include "layers/multi_head_attention.h"

#include <algorithm>

#include "core/show.h"

namespace dl {

std::vector<int> MultiHeadAttentionLayer::build_many(const std::vector<std::vector<int>>& shapes) {
  const MultiHeadAttentionOptions& o = options_;
  if (o.num_heads <= 0) fail(label(), ": numHeads must be a positive whole number; got ", o.num_heads);
  if (o.key_dim <= 0) fail(label(), ": keyDim must be a positive whole number; got ", o.key_dim);
  if (o.value_dim < 0) fail(label(), ": valueDim must be a positive whole number; got ", o.value_dim);
  if (o.output_shape < 0) fail(label(), ": outputShape must be a positive whole number; got ", o.output_shape);
  if (!(o.dropout >= 0.0f && o.dropout < 1.0f)) fail(label(), ": dropout must be in [0, 1); got ", show(o.dropout));
  const int extra = o.attention_mask_input ? 1 : 0;
  const int count = static_cast<int>(shapes.size());
  if (count < 2 + extra || count > 3 + extra)
    fail(label(), " takes query, value",
         o.attention_mask_input ? ", an optional key and the attention mask" : " and an optional key", ": ", 2 + extra,
         " or ", 3 + extra, " inputs; it was given ", count);
  has_key_ = count == 3 + extra;
  const char* names[] = {"query", "value", "key"};
  for (int i = 0; i < 2 + (has_key_ ? 1 : 0); ++i)
    if (shapes[i].size() != 2)
      fail(label(), ": the ", names[i], " must be a sequence of shape (None, steps, features); got ",
           shape_text(shapes[i]), ". Only Keras' default attentionAxes (the steps) is supported");
  tq_ = shapes[0][0], dq_ = shapes[0][1];
  tv_ = shapes[1][0], dv_ = shapes[1][1];
  dk_ = has_key_ ? shapes[2][1] : dv_;
  if (has_key_ && shapes[2][0] != tv_)
    fail(label(), ": the key has ", shapes[2][0], " steps and the value ", tv_, "; they must have the same steps");
  if (o.attention_mask_input && shapes.back() != std::vector<int>{tq_, tv_})
    fail(label(), ": with attentionMask the last input is the mask, of shape (None, ", tq_, ", ", tv_,
         ") (query steps, value steps); got ", shape_text(shapes.back()));
  if (o.value_dim == 0) options_.value_dim = o.key_dim;
  out_ = o.output_shape > 0 ? o.output_shape : dq_;
  const int h = o.num_heads, k = o.key_dim, v = options_.value_dim;
  for (auto [a, b] : {std::pair<int, int>{dq_, h * k}, {dk_, h * k}, {dv_, h * v}, {h * v, out_}})
    if (static_cast<std::uint64_t>(a) * b > kMaxTensorValues)
      fail(label(), ": a kernel of ", a, " x ", b, " is past the limit of ", kMaxTensorValues, " values per tensor");
  shape_size({h, tq_, tv_});
  // Keras' fans for a kernel of rank 3, (a, b, c): fan_in = a * b, fan_out = a * c.
  auto make = [&](Tensor& w, Tensor& g, std::vector<int> shape, int fan_in, int fan_out, bool bias) {
    w = Tensor(shape);
    g = Tensor(shape, 0.0f);
    initialize(w, bias ? o.bias_initializer : o.kernel_initializer, fan_in, fan_out, *rng);
  };
  make(wq_, gwq_, {dq_, h, k}, dq_ * h, dq_ * k, false);
  make(wk_, gwk_, {dk_, h, k}, dk_ * h, dk_ * k, false);
  make(wv_, gwv_, {dv_, h, v}, dv_ * h, dv_ * v, false);
  make(wo_, gwo_, {h, v, out_}, h * v, h * out_, false);
  if (o.use_bias) {
    make(bq_, gbq_, {h, k}, h, k, true);
    make(bk_, gbk_, {h, k}, h, k, true);
    make(bv_, gbv_, {h, v}, h, v, true);
    make(bo_, gbo_, {out_}, h * v, out_, true);
  }
  if (!o.return_attention_scores) return {tq_, out_};
  return {tq_ * out_ + h * tq_ * tv_};
}

std::vector<std::vector<int>> MultiHeadAttentionLayer::output_parts() const {
  if (!options_.return_attention_scores) return {};
  return {{tq_, out_}, {options_.num_heads, tq_, tv_}};
}

double MultiHeadAttentionLayer::multiply_adds() const {
  const double h = options_.num_heads, k = options_.key_dim, v = options_.value_dim;
  return tq_ * dq_ * h * k + tv_ * (dk_ * h * k + dv_ * h * v) + h * tq_ * tv_ * (k + v) + tq_ * h * v * out_;
}

AttentionSize MultiHeadAttentionLayer::size(int batch) const {
  AttentionSize z;
  z.batch = batch, z.tq = tq_, z.tv = tv_, z.dq = dq_, z.dk = dk_, z.dv = dv_;
  z.heads = options_.num_heads, z.key_dim = options_.key_dim, z.value_dim = options_.value_dim, z.out = out_;
  return z;
}

AttentionWeights<float> MultiHeadAttentionLayer::weights() const {
  const bool b = options_.use_bias;
  return {wq_.data(), b ? bq_.data() : nullptr, wk_.data(), b ? bk_.data() : nullptr,
          wv_.data(), b ? bv_.data() : nullptr, wo_.data(), b ? bo_.data() : nullptr};
}

void MultiHeadAttentionLayer::forward_many(const std::vector<const Tensor*>& xs, Tensor& y, bool training) {
  if (static_cast<int>(calls_.size()) <= call) calls_.resize(call + 1);
  CallState& c = calls_[call];
  const int n = xs[0]->rows();
  const AttentionSize z = size(n);
  const Tensor* key = has_key_ ? xs[2] : xs[1];
  auto mask_of = [&](std::size_t i) -> const float* {
    return i < masks.size() && masks[i] ? masks[i]->data() : nullptr;
  };
  const float* given = options_.attention_mask_input ? xs.back()->data() : nullptr;
  c.masked = attention_mask(mask_of(0), mask_of(1), has_key_ ? mask_of(2) : nullptr, given, options_.use_causal_mask, n,
                            tq_, tv_, c.mask);
  c.dropped = training && options_.dropout > 0.0f;
  const std::size_t scores = static_cast<std::size_t>(options_.num_heads) * tq_ * tv_;
  if (c.dropped) {
    // Each sample's mask from (noise_seed, its row) alone, as DropoutLayer draws them.
    c.drop.resize(n * scores);
    const float keep = 1.0f - options_.dropout, scale = 1.0f / keep;
    for (int r = 0; r < n; ++r) {
      Rng row(noise_seed + 0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(first_row + r));
      for (std::size_t i = 0; i < scores; ++i) c.drop[r * scores + i] = row.uniform() < keep ? scale : 0.0f;
    }
  }
  const bool parts = options_.return_attention_scores;
  const std::size_t result = static_cast<std::size_t>(tq_) * out_;
  if (parts) y_.resize(n * result);
  attention_forward(z, xs[0]->data(), key->data(), xs[1]->data(), weights(), c.masked ? c.mask.data() : nullptr,
                    c.dropped ? c.drop.data() : nullptr, c.state, parts ? y_.data() : y.data());
  if (!parts) return;
  for (int r = 0; r < n; ++r) {
    float* out = y.data() + r * (result + scores);
    std::copy_n(y_.data() + r * result, result, out);
    std::copy_n(c.state.p.data() + r * scores, scores, out + result);
  }
}

void MultiHeadAttentionLayer::backward_many(const std::vector<const Tensor*>& xs, const Tensor&, Tensor& dy,
                                            const std::vector<Tensor*>& dxs) {
  const CallState& c = calls_.at(call);
  const int n = xs[0]->rows();
  const Tensor* key = has_key_ ? xs[2] : xs[1];
  const bool parts = options_.return_attention_scores;
  const std::size_t result = static_cast<std::size_t>(tq_) * out_;
  const std::size_t scores = static_cast<std::size_t>(options_.num_heads) * tq_ * tv_;
  if (parts) {
    dy_.resize(n * result);
    dscores_.resize(n * scores);
    for (int r = 0; r < n; ++r) {
      const float* d = dy.data() + r * (result + scores);
      std::copy_n(d, result, dy_.data() + r * result);
      std::copy_n(d + result, scores, dscores_.data() + r * scores);
    }
  }
  const bool b = options_.use_bias;
  const AttentionGrads<float> g{gwq_.data(), b ? gbq_.data() : nullptr, gwk_.data(), b ? gbk_.data() : nullptr,
                                gwv_.data(), b ? gbv_.data() : nullptr, gwo_.data(), b ? gbo_.data() : nullptr};
  float* dxq = dxs[0] ? dxs[0]->data() : nullptr;
  float* dxv = dxs[1] ? dxs[1]->data() : nullptr;
  // Without a key input, the value is the key too: the kernel sums both gradients into dxv.
  float* dxk = has_key_ ? (dxs[2] ? dxs[2]->data() : nullptr) : dxv;
  attention_backward(size(n), xs[0]->data(), key->data(), xs[1]->data(), weights(), c.dropped ? c.drop.data() : nullptr,
                     c.state, parts ? dy_.data() : dy.data(), parts ? dscores_.data() : nullptr, g, dxq, dxk, dxv,
                     accumulate_gradients);
  if (options_.attention_mask_input && dxs.back()) dxs.back()->values().assign(dxs.back()->size(), 0.0f);
}

std::vector<Parameter> MultiHeadAttentionLayer::parameters() {
  const Regularizer& kr = options_.kernel_regularizer;
  const Regularizer& br = options_.bias_regularizer;
  const bool b = options_.use_bias;
  std::vector<Parameter> p{{"query/kernel", &wq_, &gwq_, kr}};
  if (b) p.push_back({"query/bias", &bq_, &gbq_, br});
  p.push_back({"key/kernel", &wk_, &gwk_, kr});
  if (b) p.push_back({"key/bias", &bk_, &gbk_, br});
  p.push_back({"value/kernel", &wv_, &gwv_, kr});
  if (b) p.push_back({"value/bias", &bv_, &gbv_, br});
  p.push_back({"attention_output/kernel", &wo_, &gwo_, kr});
  if (b) p.push_back({"attention_output/bias", &bo_, &gbo_, br});
  return p;
}

}  // namespace dl
