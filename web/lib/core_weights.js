// The engine calls behind weight objects (weights.js): one weight read into a tensor,
// some weights written from tensors, a layer's weights copied from one model to another
// (layer_homes.js), a model rebuilt with its weights (for a change of a layer's
// `trainable`, or for inputs of another length), and the graph's node shapes. Each is a function of a Core (core.js)
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

// The weights of layers pairs[k][0] of model fromId
// copied into layers pairs[k][1] of model toId, all or none.
function copyLayerWeights(core, fromId, toId, pairs) {
  const source = new Map(
    core
      .model(fromId)
      .handle.weights()
      .map((w) => [`${w.layer}/${w.name}`, w]),
  );
  const target = core.model(toId).handle;
  const current = target.weights();
  const fromName = new Map(pairs.map(([a, b]) => [b, a]));
  const values = current.map((w) => {
    if (!fromName.has(w.layer)) return w.values;
    const key = `${fromName.get(w.layer)}/${w.name}`;
    const src = source.get(key);
    if (!src || show(src.shape) !== show(w.shape))
      throw new Error(
        `layer ${show(w.layer)} is used by two models with weights of different shapes: ${show(w.name)} is ${show(w.shape)} in one and ${show(src?.shape ?? null)} in the other; a layer shared by models must take inputs of the same shape in each`,
      );
    return src.values;
  });
  target.setWeights(values);
}

// [{name, layer, inputs, shape}] for every node of the model's graph (shapes without the batch).
function graphNodes(core, id) {
  return core.model(id).handle.graph().nodes;
}

// The same for a model made from `description` and dropped (a graph's shapes for inputs
// of other lengths, functional.js).
function graphShapes(core, description) {
  const handle = new core.engine.Model(JSON.stringify(description));
  try {
    return handle.graph().nodes;
  } finally {
    handle.delete();
  }
}

// The model made again from `description`, a graph whose inputs have other lengths where
// it declared them null (functional.js): its weights, compile and optimizer state kept.
function reshapeModel(core, id, description, call) {
  const entry = core.model(id);
  if (entry.fit)
    throw new Error(`${call}: the model is training; inputs of another length must wait for the fit to end`);
  const old = entry.handle;
  const handle = new core.engine.Model(JSON.stringify(description));
  try {
    handle.setWeights(old.weights().map((w) => w.values));
    if (entry.blueprint) {
      handle.compile(JSON.stringify(entry.blueprint.compile));
      handle.takeOptimizer(old);
    }
  } catch (error) {
    handle.delete();
    throw new Error(
      `${call}: the model cannot take inputs of shapes ${show(description.inputs.map((i) => [null, ...i.shape]))}: its weights would change shape (a layer's weights depend on a length declared null, such as a dense layer after a flatten): ${error.message}`,
    );
  }
  old.delete();
  entry.spareHandle?.delete();
  Object.assign(entry, {
    handle,
    description,
    spareHandle: null,
    blueprint: entry.blueprint && { ...entry.blueprint, description },
  });
  for (const link of core.team?.helpers ?? []) link.forget(id);
  return core.describe(id);
}

export const WEIGHT_CALLS = {
  weightSpecs,
  weightInto,
  setWeightsFrom,
  rebuildModel,
  graphNodes,
  graphShapes,
  reshapeModel,
  copyLayerWeights,
};
