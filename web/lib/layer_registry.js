// The classes of JavaScript layers (custom_layers.js) by className, as
// dl.serialization.registerClass records them, and how models holding such layers are
// saved and made again (mixed_files.js, set when the core API is loaded): io/artifacts.js
// reads them here without loading the core API itself.
export const registeredClasses = new Map();
export const mixedFiles = { exportModel: null, importModel: null, holds: null };

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
