// A Sequential built before its first use where TensorFlow.js' would be built already (it
// builds one once its first layer has an input shape): when a layer's weights are read
// (weights.js) or a gradient is taken over every variable (variableGrads). Only where the
// engine runs in this thread, and only a model whose first layer has its input shape.
const owners = new WeakMap();
const unbuilt = new Set();

// Sequential.add: the layer joined this model (not built yet).
export function noteAdded(layer, model) {
  if (!owners.has(layer)) unbuilt.add(new WeakRef(model));
  owners.set(layer, new WeakRef(model));
}

export const addedTo = (layer) => owners.get(layer)?.deref();

export function buildIfShaped(model) {
  const first = model?.layerConfigs[0];
  const shaped = first && (first.inputShape || first.batchInputShape || first.inputDim);
  if (shaped && model.owner.sync && !model.built && !model.mixedState && !model.disposed) model.build();
}

// Every such model not built yet (one that cannot build yet has no variables).
export function buildPending() {
  for (const ref of unbuilt) {
    unbuilt.delete(ref);
    try {
      buildIfShaped(ref.deref());
    } catch {
      // (its error comes from the call that needs it)
    }
  }
}
