// What the sequence views compute from the engine's values: a recurrent layer's gates and
// cell state step by step, an attention layer's scores per head, a 2D projection of an
// embedding table, the loss at each position, and sampling the next symbol. Each works on
// the weights (getWeights) and a layer's input (activations) of the model being trained;
// tests check them against the engine's own outputs (the LSTM's steps, the attention
// scores a layer returns with returnAttentionScores).

const ACTIVATIONS = {
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  // TensorFlow.js' hard sigmoid (the page's default recurrent activation, as TF.js').
  hardSigmoid: (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)),
  hard_sigmoid: (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)),
  // Keras 3's: relu6(x + 3) / 6.
  hardSigmoidKeras: (v) => Math.min(1, Math.max(0, (v + 3) / 6)),
  tanh: Math.tanh,
  relu: (v) => Math.max(0, v),
  linear: (v) => v,
};

export const activationOf = (name) => ACTIVATIONS[name] ?? null;

// An LSTM's steps over x ([steps, inputs], row-major): per step the gates i, f, o, the
// candidate g, the cell state c and the output h ([steps, units] each). Weights as Keras
// and TF.js lay them out: kernel [inputs, 4 units], recurrent [units, 4 units], bias
// [4 units], gates in the order i, f, c, o. Null when an activation is not known here.
export function lstmSteps(x, steps, { kernel, recurrent, bias }, units, options = {}) {
  const act = activationOf(options.activation ?? 'tanh');
  const gate = activationOf(options.recurrentActivation ?? 'hardSigmoid');
  if (!act || !gate) return null;
  const inputs = x.length / steps;
  const four = 4 * units;
  const out = {};
  for (const k of ['i', 'f', 'g', 'o', 'c', 'h']) out[k] = new Float32Array(steps * units);
  const h = new Float64Array(units);
  const c = new Float64Array(units);
  const z = new Float64Array(four);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < four; j++) z[j] = bias ? bias[j] : 0;
    for (let a = 0; a < inputs; a++) {
      const v = x[t * inputs + a];
      if (v !== 0) for (let j = 0; j < four; j++) z[j] += v * kernel[a * four + j];
    }
    for (let a = 0; a < units; a++) {
      const v = h[a];
      if (v !== 0) for (let j = 0; j < four; j++) z[j] += v * recurrent[a * four + j];
    }
    for (let u = 0; u < units; u++) {
      const i = gate(z[u]);
      const f = gate(z[units + u]);
      const g = act(z[2 * units + u]);
      const o = gate(z[3 * units + u]);
      c[u] = f * c[u] + i * g;
      h[u] = o * act(c[u]);
      const at = t * units + u;
      out.i[at] = i;
      out.f[at] = f;
      out.g[at] = g;
      out.o[at] = o;
      out.c[at] = c[u];
      out.h[at] = h[u];
    }
  }
  return out;
}

// Attention scores per head for queries and keys from x ([steps, width]): softmax of
// (x Wq + bq)(x Wk + bk)^T / sqrt(keyDim), later keys masked when causal. Weights as
// Keras lays them out: kernel [width, heads, keyDim], bias [heads, keyDim]. Returns one
// Float32Array [steps, steps] (query rows, key columns) per head.
export function attentionScores(query, key, steps, weights, heads, keyDim, causal) {
  const project = (x, kernel, bias) => {
    const width = x.length / steps;
    const out = new Float64Array(steps * heads * keyDim);
    for (let t = 0; t < steps; t++)
      for (let j = 0; j < heads * keyDim; j++) {
        let sum = bias ? bias[j] : 0;
        for (let a = 0; a < width; a++) sum += x[t * width + a] * kernel[a * heads * keyDim + j];
        out[t * heads * keyDim + j] = sum;
      }
    return out;
  };
  const q = project(query, weights.queryKernel, weights.queryBias);
  const k = project(key, weights.keyKernel, weights.keyBias);
  const scale = 1 / Math.sqrt(keyDim);
  return Array.from({ length: heads }, (_, head) => {
    const scores = new Float32Array(steps * steps);
    const row = new Float64Array(steps);
    for (let i = 0; i < steps; i++) {
      let max = -Infinity;
      const last = causal ? i : steps - 1;
      for (let j = 0; j <= last; j++) {
        let dot = 0;
        for (let d = 0; d < keyDim; d++) dot += q[(i * heads + head) * keyDim + d] * k[(j * heads + head) * keyDim + d];
        row[j] = dot * scale;
        max = Math.max(max, row[j]);
      }
      let total = 0;
      for (let j = 0; j <= last; j++) total += row[j] = Math.exp(row[j] - max);
      for (let j = 0; j <= last; j++) scores[i * steps + j] = row[j] / total;
    }
    return scores;
  });
}

// The two main directions of the rows of a [rows, width] table (power iteration on the
// covariance, the second after taking out the first): each row's coordinates [rows, 2] and
// the share of the variance each direction explains.
export function project2d(table, rows, width, iterations = 100) {
  const mean = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let a = 0; a < width; a++) mean[a] += table[r * width + a] / rows;
  const centred = Float64Array.from(table, (v, i) => v - mean[i % width]);
  const covariance = new Float64Array(width * width);
  for (let r = 0; r < rows; r++)
    for (let a = 0; a < width; a++) {
      const va = centred[r * width + a];
      for (let b = 0; b < width; b++) covariance[a * width + b] += (va * centred[r * width + b]) / rows;
    }
  const total = Array.from({ length: width }, (_, a) => covariance[a * width + a]).reduce((s, v) => s + v, 0) || 1;
  const directions = [];
  const shares = [];
  for (let d = 0; d < 2; d++) {
    let v = Float64Array.from({ length: width }, (_, a) => Math.sin(a * 12.9898 + d * 78.233) + 0.5);
    let value = 0;
    for (let it = 0; it < iterations; it++) {
      for (const u of directions) {
        const dot = v.reduce((s, x, a) => s + x * u[a], 0);
        v = v.map((x, a) => x - dot * u[a]);
      }
      const w = new Float64Array(width);
      for (let a = 0; a < width; a++) for (let b = 0; b < width; b++) w[a] += covariance[a * width + b] * v[b];
      value = Math.hypot(...w);
      if (value === 0) break;
      v = w.map((x) => x / value);
    }
    directions.push(v);
    shares.push(value / total);
  }
  const points = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++)
    for (let d = 0; d < 2; d++) {
      let s = 0;
      for (let a = 0; a < width; a++) s += centred[r * width + a] * directions[d][a];
      points[r * 2 + d] = s;
    }
  return { points, shares };
}

// The cross-entropy at each position, averaged over samples: probabilities [n, steps,
// classes] against one class index per step [n, steps].
export function lossPerPosition(probabilities, targets, n, steps, classes) {
  const loss = new Float64Array(steps);
  const right = new Float64Array(steps);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < steps; t++) {
      const row = probabilities.subarray((i * steps + t) * classes, (i * steps + t + 1) * classes);
      const target = targets[i * steps + t];
      loss[t] -= Math.log(Math.max(row[target], 1e-7)) / n;
      let best = 0;
      for (let k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
      right[t] += (best === target) / n;
    }
  return { loss: Array.from(loss), accuracy: Array.from(right) };
}

// The k most likely classes of a probability row: [{id, p}], most likely first.
export function topK(row, k) {
  return Array.from(row, (p, id) => ({ id, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k);
}

// The next symbol drawn from a probability row at a temperature (0: the most likely),
// among the topK most likely (0: all); `random` gives numbers in [0, 1). Id 0 (padding)
// is never drawn.
export function sampleNext(row, { temperature = 1, topK: k = 0, random = Math.random } = {}) {
  const candidates = Array.from(row, (p, id) => ({ id, p }))
    .filter((c) => c.id !== 0 && c.p > 0)
    .sort((a, b) => b.p - a.p);
  if (candidates.length === 0) return 1;
  if (temperature <= 0) return candidates[0].id;
  const kept = k > 0 ? candidates.slice(0, k) : candidates;
  const weights = kept.map((c) => Math.exp(Math.log(c.p) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let pick = random() * total;
  for (let i = 0; i < kept.length; i++) if ((pick -= weights[i]) <= 0) return kept[i].id;
  return kept.at(-1).id;
}
