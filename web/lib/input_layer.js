// TensorFlow.js' tf.layers.inputLayer for a Sequential model: not a layer of its own here
// but the input shape of the layer added after it (so model.layers does not list it;
// TensorFlow.js' lists an input layer added this way).
import { show } from './show.js';

// TensorFlow.js' inputLayer({inputShape} or {batchInputShape}), for a Sequential: the
// shape its next layer takes (takeInputLayer).
const INPUT_LAYER = Symbol('inputLayer');
export function inputLayer(config = {}) {
  const { inputShape, batchInputShape, name, dtype, batchSize, sparse, ...rest } = config ?? {};
  const shape = inputShape ?? batchInputShape?.slice(1);
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined)
    throw new Error(`layers.inputLayer: unknown option ${show(unknown)}; expected inputShape or batchInputShape`);
  if (!Array.isArray(shape) || !shape.every((d) => d === null || (Number.isInteger(d) && d > 0)))
    throw new Error(
      `layers.inputLayer: needs inputShape (or batchInputShape) as an array of whole numbers > 0; got ${show(config)}`,
    );
  return { [INPUT_LAYER]: true, inputShape: shape, name };
}

// Sequential.add's first step: an input layer is kept as the shape of the layer added
// next (true: taken); a first layer without its own input shape gets it.
export function takeInputLayer(model, layer) {
  if (layer?.[INPUT_LAYER]) {
    if (model.layerConfigs.length || model.declaredInput)
      throw new Error('add: an inputLayer must come first in a sequential model');
    model.declaredInput = layer.inputShape;
    return true;
  }
  const shape = model.declaredInput;
  if (shape && model.layerConfigs.length === 0) {
    if (typeof layer?.call === 'function' && 'batchInputShape' in layer) layer.batchInputShape ??= [null, ...shape];
    else if (layer && !layer.inputShape && !layer.batchInputShape) layer.inputShape = shape;
  }
  return false;
}
