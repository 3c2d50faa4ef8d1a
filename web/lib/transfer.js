// Transfer learning: a new Sequential that keeps the first layers of a trained one (their
// weights copied, frozen if asked) and puts new layers after them; and the copy of the
// weights two models share in their first layers, which the page uses to keep what a
// model learned when its head is edited.
// A layer's description without what does not change its weights' meaning.
const sameLayer = (a, b) => {
  const strip = ({ trainable, name, ...rest }) => JSON.stringify(rest, Object.keys(rest).sort());
  return strip(a) === strip(b);
};

// Each layer's weights of a built model: [[{name, shape, values}, ...] per layer].
async function weightsByLayer(model) {
  const names = (await model.layerInfo()).map((l) => l.name);
  const byLayer = names.map(() => []);
  for (const w of await model.getWeights()) byLayer[names.indexOf(w.layer)].push(w);
  return byLayer;
}

// Copies `from`'s weights into `to` for their first layers, as far as both describe the
// same layers (type and options; `trainable` may differ) with weights of the same shapes.
// `limit` stops earlier. Resolves with the number of leading layers whose weights came
// from `from` (0: nothing changed).
export async function copyLeadingWeights(from, to, { limit = Infinity } = {}) {
  const [source, target] = await Promise.all([weightsByLayer(from), weightsByLayer(to)]);
  const a = from.layerConfigs;
  const b = to.layerConfigs;
  let shared = 0;
  while (
    shared < Math.min(limit, source.length, target.length, a.length, b.length) &&
    sameLayer(a[shared], b[shared]) &&
    source[shared].length === target[shared].length &&
    source[shared].every((w, k) => w.shape.join() === target[shared][k].shape.join())
  )
    shared++;
  if (!shared) return 0;
  const values = target.flatMap((ws, i) => (i < shared ? source[i] : ws).map((w) => w.values));
  await to.setWeights(values);
  return shared;
}

// model: a built Sequential (trained, loaded or preset). Returns a new, uncompiled
// Sequential of its layers but the last `remove`, with their weights, frozen unless
// freeze is false, followed by the layers of `add` (fresh weights from `seed`).
export async function replaceHead(model, { remove = 1, add = [], freeze = true, seed = model.seed } = {}) {
  const count = model.layerConfigs.length;
  if (!Number.isInteger(remove) || remove < 0 || remove >= count)
    throw new Error(
      `replaceHead: remove must be a whole number of layers from 0 to ${count - 1} (the model has ${count}); got ${remove}`,
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
