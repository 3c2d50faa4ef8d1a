// The benchmark's two models, the seeds' MNIST MLP and CNN, as the engine's catalog holds
// them (layers in the format both our API and TensorFlow.js take, compile settings, batch
// size), and the floating-point operations one training sample costs.
import { catalogModel } from '../../lib/layers_api.js';

// {layers, compile: {optimizer, loss}, batchSize} of 'mlp' or 'cnn'; the catalog must be
// loaded (dl.ready(), or setCatalog with a Core's catalog()).
export function benchModel(name) {
  const { layers, compile, batchSize } = catalogModel(name);
  return { layers, compile: { optimizer: compile.optimizer, loss: compile.loss }, batchSize };
}

// From a built model's multiply-adds per layer (as the engine counts them). Multiply-adds
// count 2 flops. Forward, then backward: the weight gradient costs as much as the forward
// product, and so does the input gradient, which the first such layer skips. Element-wise
// work (activations, pooling, the optimizer) is not counted.
export function flopsPerSample(multiplyAddsPerLayer) {
  let total = 0;
  let first = true;
  for (const multiplyAdds of multiplyAddsPerLayer) {
    if (!multiplyAdds) continue;
    total += 2 * multiplyAdds * (first ? 2 : 3);
    first = false;
  }
  return total;
}

// The residual model: a small ResNet on MNIST, built with either library's functional API
// (ours or TensorFlow.js'): a 3x3 convolution to 16 channels, two residual blocks (3x3
// convolution, batch normalization, ReLU, 3x3 convolution, batch normalization, the block's
// input added, ReLU), global average pooling and a softmax over the 10 digits.
export function residualNet(lib) {
  const input = lib.input({ shape: [28, 28, 1], name: 'image' });
  const conv = () => lib.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' });
  let x = lib.layers.activation({ activation: 'relu' }).apply(conv().apply(input));
  for (let block = 0; block < 2; block++) {
    let y = lib.layers.batchNormalization().apply(conv().apply(x));
    y = lib.layers.activation({ activation: 'relu' }).apply(y);
    y = lib.layers.batchNormalization().apply(conv().apply(y));
    x = lib.layers.activation({ activation: 'relu' }).apply(lib.layers.add().apply([x, y]));
  }
  const pooled = lib.layers.globalAveragePooling2d().apply(x);
  const output = lib.layers.dense({ units: 10, activation: 'softmax' }).apply(pooled);
  return lib.model({ inputs: input, outputs: output });
}

export const RESIDUAL = { compile: { optimizer: 'adam', loss: 'categoricalCrossentropy' }, batchSize: 64 };

// The sequence models, built with either library's functional API where it has the layers.
// Both read 64 characters of a 65-symbol vocabulary and predict the next character at
// every step (a language model's loss: sparse cross-entropy per step).
export const SEQUENCE = { steps: 64, vocabulary: 65, batchSize: 32 };

// char-LSTM: Embedding(65, 32), LSTM(128) returning every step, Dense(65) per step.
// (The recurrent gates use the logistic sigmoid, as PyTorch and Keras 3.)
export function charLstm(lib) {
  const ids = lib.input({ shape: [SEQUENCE.steps], name: 'ids' });
  let x = lib.layers.embedding({ inputDim: SEQUENCE.vocabulary, outputDim: 32 }).apply(ids);
  x = lib.layers.lstm({ units: 128, returnSequences: true, recurrentActivation: 'sigmoid' }).apply(x);
  const next = lib.layers.dense({ units: SEQUENCE.vocabulary, activation: 'softmax' }).apply(x);
  return lib.model({ inputs: ids, outputs: next });
}

// tiny GPT: token and learned position embeddings (width 64), 2 pre-norm blocks (4 heads
// of 16, causal self-attention, an MLP of 256 with GELU, each added to its input), a last
// layer normalization and Dense(65) per step. Ours only: TensorFlow.js has no attention.
export function tinyGpt(lib) {
  const width = 64;
  const ids = lib.input({ shape: [SEQUENCE.steps], name: 'ids' });
  const tokens = lib.layers.embedding({ inputDim: SEQUENCE.vocabulary, outputDim: width }).apply(ids);
  const positions = lib.layers.positionEmbedding({ sequenceLength: SEQUENCE.steps }).apply(tokens);
  let x = lib.layers.add().apply([tokens, positions]);
  const norm = (t) => lib.layers.layerNormalization({ epsilon: 1e-5 }).apply(t);
  for (let block = 0; block < 2; block++) {
    const h = norm(x);
    const attended = lib.layers.multiHeadAttention({ numHeads: 4, keyDim: 16, useCausalMask: true }).apply([h, h]);
    x = lib.layers.add().apply([x, attended]);
    let m = lib.layers.dense({ units: 4 * width, activation: 'gelu' }).apply(norm(x));
    m = lib.layers.dense({ units: width }).apply(m);
    x = lib.layers.add().apply([x, m]);
  }
  const next = lib.layers.dense({ units: SEQUENCE.vocabulary, activation: 'softmax' }).apply(norm(x));
  return lib.model({ inputs: ids, outputs: next });
}

// Multiply-adds per token of the two models' forward pass, counted from their shapes
// (T = 64 steps, V = 65, d = 64): the bench's FLOP count is 2 x 3 x this (forward, and the
// two products of the backward pass), less the input gradient the embedding does not need.
//   char-LSTM: LSTM 32*512 + 128*512, Dense 128*65; the LSTM's input gradient (32*512)
//     is not needed.
//   tiny GPT, per block: q, k, v and output projections 4*d*d, scores and their weighted
//     sum T*d (every query against all T keys, as the kernels compute them before the
//     causal mask), MLP 2*d*4d; the head d*V.
export function sequenceFlopsPerToken(model) {
  const { steps: T, vocabulary: V } = SEQUENCE;
  if (model === 'char_lstm') return 2 * (3 * (32 * 512 + 128 * 512 + 128 * V) - 32 * 512);
  const d = 64;
  const block = 4 * d * d + 2 * T * d + 2 * d * 4 * d;
  return 2 * 3 * (2 * block + d * V);
}
