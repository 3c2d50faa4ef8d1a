// One layer, one set of weights, however many models hold it (as in TensorFlow.js: the
// encoder and decoder models made from the layers of a trained seq2seq model predict with
// its weights). Each engine model keeps its own copy of its layers' weights; a layer's
// home is the model whose copy is current. A model about to run (and one just built)
// takes in the current weights of its layers at home elsewhere and becomes their home,
// so that copies are made only when models take turns. A home that is disposed hands its
// layers to another model that holds them.

// layer config -> {model: WeakRef, name}: the model whose copy is current, and the
// layer's name there (held weakly, so that a layer kept does not keep its model alive).
export const homeOf = new WeakMap();

// Layer objects (dl.layers.dense(...), with apply) share their weights; a plain config
// ({type: 'dense', units: 8}) is a recipe, and each model made from it gets weights of its own.
export const shared = (layer) => typeof layer.apply === 'function';

const live = (model) => model && !model.disposed && model.info;

// Makes `model` the home of `layers` ([{layer, name}], its layers with their names in it),
// first copying each layer's weights from its current home where that is another model.
// The copy is made at once where the engine runs in this thread, else in order with later
// calls (the model waits for it as for a weight write); core_weights.js' copyLayerWeights
// makes it.
export function takeHome(model, layers) {
  const moves = new Map(); // home model -> [[its name for the layer, model's name]]
  for (const { layer, name } of layers) {
    const home = homeOf.get(layer);
    const from = home?.model.deref();
    if (shared(layer) && from !== model && live(from) && from.owner === model.owner) {
      if (!moves.has(from)) moves.set(from, []);
      moves.get(from).push([home.name, name]);
    }
    homeOf.set(layer, { model: new WeakRef(model), name });
  }
  for (const [from, pairs] of moves) copyFrom(from, model, pairs);
}

// Returns a promise of the copy where it is not made at once.
function copyFrom(from, model, pairs) {
  const args = [from.id, model.id, pairs];
  if (model.owner.sync && !from.writing && !model.writing) {
    model.owner.callSync('copyLayerWeights', ...args);
    return null;
  }
  const done = Promise.all([from.writing, model.writing]).then(() => model.owner.call('copyLayerWeights', ...args));
  const writing = done.then(
    () => {},
    () => {},
  );
  model.writing = writing;
  writing.then(() => model.writing === writing && (model.writing = null));
  return writing;
}

// Before `model` is freed: its layers that another live model holds (`holders(layer)`
// lists them as [{model, name}]) move there with their current weights. Resolves once
// the copies are made.
export async function leaveHome(model, layers, holders) {
  const copies = [];
  for (const { layer, name } of layers) {
    if (homeOf.get(layer)?.model.deref() !== model) continue;
    if (!shared(layer)) continue;
    const next = holders(layer).find((h) => h.model !== model && live(h.model) && h.model.owner === model.owner);
    if (!next) continue; // (its weights go with the model: reading them says so)
    homeOf.set(layer, { model: new WeakRef(next.model), name: next.name });
    copies.push(copyFrom(model, next.model, [[name, next.name]]));
  }
  await Promise.all(copies);
}
