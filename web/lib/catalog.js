// The engine's catalog (engine/catalog/ in C++): every layer type with its options
// (kinds, defaults, ranges, what a builder shows), weights and Keras names; the
// activations, losses, optimizers with their defaults, metrics, and the seeds' models. It
// comes with ready(); the factories, the Keras importer and exporter, the page's builder
// and addresses, the code view and the benchmark all read it here rather than spelling
// names of their own.

import { show } from './show.js';

let current = null;

// "maxPooling2d", "MaxPooling2D" and "max_pooling2d" name the same layer, as in the engine.
export const typeKey = (type) => String(type).toLowerCase().replaceAll('_', '');
// The one camelCase <-> snake_case conversion of the library: "leaky_relu" <-> "leakyRelu",
// "categorical_crossentropy" <-> "categoricalCrossentropy", "beta_1" -> "beta1"; and the
// names Keras and TensorFlow.js give layers after their class, "MaxPooling2D" ->
// "max_pooling2d", "LeakyReLU" -> "leaky_re_lu", "ELU" -> "elu": an underscore before a
// capital that follows a small letter or starts a word (a capital followed by a small
// letter or a digit), except at the start or after an underscore. snake() is the twin of
// the engine's snake_case_name (engine/core/names.h); tests hold both to one table of
// cases and to every option name of the catalog.
export const camel = (name) => String(name).replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
export const snake = (name) =>
  String(name).replace(/[A-Z]/g, (c, i, s) => {
    const startsWord = /[a-z0-9]/.test(s[i + 1] ?? '');
    return (i > 0 && s[i - 1] !== '_' && (/[a-z]/.test(s[i - 1]) || startsWord) ? '_' : '') + c.toLowerCase();
  });

export function setCatalog(data) {
  const byKey = new Map();
  for (const layer of data.layers) {
    byKey.set(typeKey(layer.type), layer);
    byKey.set(typeKey(layer.kerasClass), layer);
  }
  current = { ...data, byKey };
}

// What loads the engine at once where it can be (Node; engine.js sets it).
let loadNow = () => {};
export const setCatalogLoader = (load) => (loadNow = load);

// The catalog; the engine must be loaded (await dl.ready(); in Node it is loaded now).
export function catalog() {
  if (!current) loadNow();
  if (!current) throw new Error('the engine is not loaded: call and await dl.ready() first');
  return current;
}

export const catalogLoaded = () => current !== null || (loadNow(), current !== null);

// "dl.layers.dense(), dl.layers.conv2d(), ..." from the catalog, for messages.
export const exampleFactories = () =>
  catalogLoaded()
    ? `${catalog()
        .layers.slice(0, 2)
        .map((l) => `dl.layers.${l.type}()`)
        .join(', ')}, ...`
    : 'a dl.layers factory';

// A layer type's entry in any spelling (ours or Keras'), or null.
export function layerSpec(type) {
  return catalog().byKey.get(typeKey(type)) ?? null;
}

// The option `name` of a layer's entry, or undefined.
export const optionSpec = (spec, name) => spec.options.find((o) => o.name === name);

// A layer's option value, or its default when the layer does not set it.
export function optionValue(layer, name) {
  const spec = layerSpec(layer.type);
  return layer[name] ?? optionSpec(spec, name)?.default ?? null;
}

// A wrapped layer's name (Bidirectional's layer): its own, or as the engine names it by
// default, Keras' snake_case class name ("lstm", "simple_rnn").
export const wrappedName = (layer) => layer.name ?? snake(layerSpec(layer.type)?.kerasClass ?? layer.type);

// The names of a layer's weights as Keras names them, in the engine's order.
export function weightNames(layer) {
  const spec = layerSpec(layer.type);
  // A wrapper's weights are its layer's under a prefix: Bidirectional's "forward_*" is
  // forward_<the layer's name>/kernel, ...; TimeDistributed's "*" its layer's as they are.
  const wrapped = spec?.options.find((o) => o.kind === 'layer');
  const inner = wrapped ? layer[wrapped.name] : null;
  return (spec?.weights ?? [])
    .filter((w) => !w.when || optionValue(layer, w.when))
    .flatMap((w) =>
      w.name === '*' && inner
        ? weightNames(inner)
        : w.name.includes('*') && inner
          ? weightNames(inner).map((n) => `${w.name.replace('*', wrappedName(inner))}/${n}`)
          : [w.name],
    );
}

// An optimizer's entry ({name, kerasClass, tfjsClass, options, tfjsNames}), or null.
export function optimizerSpec(name) {
  return catalog().optimizers.find((o) => o.name === String(name).toLowerCase()) ?? null;
}

// An optimizer's options with their defaults ({learningRate, ...}), or null.
export const optimizerDefaults = (name) => optimizerSpec(name)?.options ?? null;

// A model of the catalog ('mlp', 'cnn', 'regression', ...) as {layers, compile, batchSize}.
export function catalogModel(name) {
  const model = catalog().models.find((m) => m.name === name);
  if (!model)
    throw new Error(
      `unknown model ${show(name)}; expected one of ${catalog()
        .models.map((m) => m.name)
        .join(', ')}`,
    );
  return { ...model.description, batchSize: model.batchSize, label: model.label, data: model.data };
}
