// The benchmark's two models, the seeds' MNIST MLP and CNN, as the engine's catalog holds
// them (layers in the format both our API and TensorFlow.js take, compile settings, batch
// size), and the floating-point operations one training sample costs.
import { catalogModel } from '../../lib/index.js';

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
