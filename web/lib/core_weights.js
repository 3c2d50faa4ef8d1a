// The engine calls behind weight objects (weights.js): one weight read into a tensor,
// some weights written from tensors, a model rebuilt with its weights (for a change of a
// layer's `trainable`), and the graph's node shapes. Each is a function of a Core (core.js)
// that dispatch.js runs by name, as it runs the Core's own methods.
import { show } from './show.js';

// [{layer, name, shape, trainable}] for every parameter, in the engine's order.
function weightSpecs(core, id) {
  return core
    .model(id)
    .handle.weights()
    .map(({ layer, name, shape, trainable }) => ({ layer, name, shape, trainable }));
}

// Weight number `index` of model `id` copied into a new tensor outId; returns its shape.
function weightInto(core, id, index, outId) {
  const weight = core.model(id).handle.weights()[index];
  if (!weight) throw new Error(`read: the model has no weight number ${show(index)}`);
  core.createTensor(outId, weight.shape, weight.values);
  return weight.shape;
}

// Weights number indices[k] take the values of tensors tensorIds[k], all or none: every
// shape is checked before the model changes. `call` names the caller in errors.
function setWeightsFrom(core, id, indices, tensorIds, call) {
  const { handle } = core.model(id);
  const current = handle.weights();
  const values = current.map((w) => w.values);
  indices.forEach((index, k) => {
    const weight = current[index];
    if (!weight) throw new Error(`${call}: the model has no weight number ${show(index)}`);
    const t = core.tensor(tensorIds[k], call);
    const shape = t.shape ?? t.handle.shape();
    if (show(shape) !== show(weight.shape))
      throw new Error(
        `${call}: weight ${show(`${weight.layer}/${weight.name}`)} has shape ${show(weight.shape)}; got a tensor of shape ${show(shape)}`,
      );
    values[index] = t.handle.read();
  });
  handle.setWeights(values);
}

// The model made again from `description` (the same layers, some with another
// `trainable`), its weights and statistics kept; the compile that follows makes a new
// optimizer, as Keras' compile does. Helper engines forget their copies of the old one.
function rebuildModel(core, id, description) {
  const entry = core.model(id);
  if (entry.fit) throw new Error('compile: the model is training; stop the fit first');
  const values = entry.handle.weights().map((w) => w.values);
  const handle = new core.engine.Model(JSON.stringify(description));
  try {
    handle.setWeights(values);
  } catch (error) {
    handle.delete();
    throw error;
  }
  entry.handle.delete();
  entry.spareHandle?.delete();
  Object.assign(entry, { handle, description, blueprint: null, spareHandle: null });
  for (const link of core.team?.helpers ?? []) link.forget(id);
  return core.describe(id);
}

// [{name, layer, inputs, shape}] for every node of the model's graph (shapes without the batch).
function graphNodes(core, id) {
  return core.model(id).handle.graph().nodes;
}

export const WEIGHT_CALLS = { weightSpecs, weightInto, setWeightsFrom, rebuildModel, graphNodes };
