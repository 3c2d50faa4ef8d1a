// Transfer learning: a new Sequential that keeps the first layers of a trained one (their
// weights copied, frozen if asked) and puts new layers after them; and the copy of the
// weights two models share in their first layers, which the page uses to keep what a
// model learned when its head is edited.
import { show } from './show.js';

// Each layer of a built model: its type and activation, output shape and weights.
async function layersOf(model) {
  const info = await model.layerInfo();
  const weights = await model.weightEntries();
  return info.map((l, i) => ({
    type: model.layerConfigs[i]?.type,
    activation: model.layerConfigs[i]?.activation ?? null,
    outputShape: l.outputShape.join(),
    weights: weights.filter((w) => w.layer === l.name),
  }));
}

// Whether two layers are the same but for their weights' values and `trainable`.
const sameLayer = (a, b) =>
  a.type === b.type &&
  a.activation === b.activation &&
  a.outputShape === b.outputShape &&
  a.weights.length === b.weights.length &&
  a.weights.every((w, k) => w.shape.join() === b.weights[k].shape.join());

// Copies `from`'s weights into `to` for their first layers, as far as both have the same
// layers (type, activation, output shape and weight shapes; `trainable` may differ).
// `limit` stops earlier. Resolves with the number of leading layers whose weights came
// from `from` (0: nothing changed).
export async function copyLeadingWeights(from, to, { limit = Infinity } = {}) {
  const [a, b] = await Promise.all([layersOf(from), layersOf(to)]);
  let shared = 0;
  while (shared < Math.min(limit, a.length, b.length) && sameLayer(a[shared], b[shared])) shared++;
  if (!shared) return 0;
  await to.setWeights(b.flatMap((layer, i) => (i < shared ? a[i] : layer).weights.map((w) => w.values)));
  return shared;
}

// model: a built Sequential (trained, loaded or preset). Returns a new, uncompiled
// Sequential of its layers but the last `remove`, with their weights, frozen unless
// freeze is false, followed by the layers of `add` (fresh weights from `seed`).
export async function replaceHead(model, { remove = 1, add = [], freeze = true, seed = model.seed } = {}) {
  if (model.graph)
    throw new Error(
      'replaceHead: works on Sequential models; for a graph model (dl.model), apply new layers to the symbolic tensor of the layer to keep and make a new dl.model',
    );
  const count = model.layerConfigs.length;
  if (!Number.isInteger(remove) || remove < 0 || remove >= count)
    throw new Error(
      `replaceHead: remove must be a whole number of layers from 0 to ${count - 1} (the model has ${count}); got ${show(remove)}`,
    );
  if (!Array.isArray(add)) throw new Error('replaceHead: add must be an array of layers (dl.layers.dense(...), ...)');
  await model.layerInfo(); // built, so that its weights can be read
  const kept = model.layerConfigs.slice(0, count - remove).map((l) => (freeze ? { ...l, trainable: false } : { ...l }));
  const next = new model.constructor({ seed, layers: [...kept, ...add] });
  try {
    await copyLeadingWeights(model, next, { limit: kept.length });
  } catch (error) {
    await next.dispose();
    throw new Error(`replaceHead: ${error.message}`);
  }
  return next;
}
