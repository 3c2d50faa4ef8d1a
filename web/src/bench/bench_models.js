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
