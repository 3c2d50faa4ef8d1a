// The classes of JavaScript layers (custom_layers.js) by className, as
// dl.serialization.registerClass records them, and how models holding such layers are
// saved and made again (mixed_files.js, set when the core API is loaded): io/artifacts.js
// reads them here without loading the core API itself.
import { camel } from './catalog.js';

export const registeredClasses = new Map();
// (graph: makes a dl.model of JavaScript layers, mixed_graph.js' LayerGraph.)
export const mixedFiles = { exportModel: null, importModel: null, holds: null, graph: null };

// A config's keys (and those of objects in it) renamed, as TensorFlow.js writes a
// JavaScript layer's config in snake_case and reads it back in camelCase.
export function renameKeys(value, rename) {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}

// The JavaScript layer a file's entry describes (TensorFlow.js' fromConfig: new
// cls(config)), or null when className is not a registered class.
export function layerFromFile(className, config) {
  const cls = registeredClasses.get(className);
  return cls ? new cls(renameKeys(config ?? {}, camel)) : null;
}

// Whether a layer is written in JavaScript (a dl.layers.Layer), not an engine layer's config.
export const isCustomLayer = (layer) =>
  typeof layer?.call === 'function' && typeof layer?.computeOutputShape === 'function';

// Runs make() (which makes a model) with every model built meanwhile marked a probe: a model
// built only to learn shapes (mixed_graph.js), which takes no layer's weights over.
let probes = 0;
export function probing(make) {
  probes++;
  try {
    return make();
  } finally {
    probes--;
  }
}
export const isProbing = () => probes > 0;

// Throws unless the engine runs in this thread, as a model holding JavaScript layers needs:
// their build takes shapes that only the engine works out, at once.
export function needThisThread(model, call) {
  if (model.owner?.sync) return;
  if ((model.owner?.target ?? model.owner)?.mode === 'worker')
    throw new Error(
      `${call}: a model with JavaScript layers needs the engine in this thread: call dl.ready({worker: false}) before making it`,
    );
  throw new Error(`${call}: the engine is still loading; await dl.ready() first`);
}
