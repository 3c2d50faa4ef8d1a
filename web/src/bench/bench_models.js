// The two classic models of the benchmark, in the layer format both our API and
// TensorFlow.js take, and the floating-point operations one training sample costs.

export const MLP_LAYERS = [
  { type: 'flatten', inputShape: [28, 28, 1] },
  { type: 'dense', units: 128, activation: 'relu' },
  { type: 'dense', units: 10, activation: 'softmax' },
];

export const CNN_LAYERS = [
  { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] },
  { type: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2 },
  { type: 'dropout', rate: 0.25 },
  { type: 'flatten' },
  { type: 'dense', units: 128, activation: 'relu' },
  { type: 'dropout', rate: 0.5 },
  { type: 'dense', units: 10, activation: 'softmax' },
];

// Multiply-adds count 2 flops. Forward, then backward: the weight gradient costs as much
// as the forward product, and so does the input gradient, which the first layer skips.
// Element-wise work (activations, pooling, the optimizer) is not counted.
export function flopsPerSample(layers) {
  let shape = layers[0].inputShape;
  let total = 0;
  let first = true;
  for (const l of layers) {
    let product = 0;
    if (l.type === 'conv2d') {
      const [h, w, c] = shape;
      const k = l.kernelSize;
      shape = [h - k + 1, w - k + 1, l.filters];
      product = 2 * shape[0] * shape[1] * l.filters * k * k * c;
    } else if (l.type === 'maxPooling2d') {
      shape = [Math.floor(shape[0] / l.poolSize), Math.floor(shape[1] / l.poolSize), shape[2]];
    } else if (l.type === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    } else if (l.type === 'dense') {
      product = 2 * shape[0] * l.units;
      shape = [l.units];
    }
    if (product) {
      total += product * (first ? 2 : 3);
      first = false;
    }
  }
  return total;
}
