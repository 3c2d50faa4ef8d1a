// Layer, optimizer, regularizer and callback configurations as TensorFlow.js' factories
// make them: plain objects that sequential() and compile() take.

import { catalog, catalogLoaded, layerSpec } from './catalog.js';
import { input } from './functional.js';
import { applyLayer } from './layer_apply.js';
import { inputLayer } from './input_layer.js';
import { show } from './show.js';
import { addLayerMembers } from './weights.js';

// A layer of this config (its type among its keys), as layers.<type> makes one and a file's
// graph is read: apply() joins it to a graph (layer_apply.js; not enumerable, so not in its
// config), getClassName() (Keras' class name, as TensorFlow.js gives it); getWeights,
// setWeights, trainable, ... (weights.js).
export function layerObject(layer) {
  Object.defineProperty(layer, 'apply', { value: (inputs, kwargs) => applyLayer(layer, inputs, kwargs) });
  Object.defineProperty(layer, 'getClassName', { value: () => layerSpec(layer.type)?.kerasClass ?? layer.type });
  addLayerMembers(layer);
  return layer;
}

// layers.<type>(config) for every layer type of the engine's catalog, spelled as
// TensorFlow.js spells its factories (layers.dense, layers.leakyReLU). The names come from
// the catalog; before the engine is loaded any name makes a description, and the engine
// says at build time whether it knows it.
const REFUSED = new Set(['then', 'toJSON', 'constructor']);
// TensorFlow.js' other names of layer types.
const ALIASES = {
  globalMaxPool1d: 'globalMaxPooling1d',
  globalMaxPool2d: 'globalMaxPooling2d',
  maxPool1d: 'maxPooling1d',
  maxPool2d: 'maxPooling2d',
  avgPool1d: 'averagePooling1d',
  avgPooling1d: 'averagePooling1d',
  avgPool2d: 'averagePooling2d',
  avgPooling2d: 'averagePooling2d',
};

export const layers = new Proxy(
  {},
  {
    get(target, name) {
      if (typeof name !== 'string' || REFUSED.has(name)) return undefined;
      if (name === 'inputLayer') return inputLayer;
      if (name === 'input') return input; // (TensorFlow.js' tf.layers.input is tf.input)
      const type = ALIASES[name] ?? name;
      return (config = {}) => {
        if (catalogLoaded() && !layerSpec(type))
          throw new Error(
            `layers.${type}: unknown layer type; expected one of ${catalog()
              .layers.map((l) => l.type)
              .join(', ')}`,
          );
        if (typeof config !== 'object' || config === null) throw new Error(`layers.${type}: config must be an object`);
        return layerObject({ ...config, type });
      };
    },
    has: (target, type) => typeof type === 'string' && catalogLoaded() && Boolean(layerSpec(type)),
    ownKeys: () => (catalogLoaded() ? catalog().layers.map((l) => l.type) : []),
    getOwnPropertyDescriptor: (target, type) =>
      typeof type === 'string' && catalogLoaded() && layerSpec(type)
        ? { configurable: true, enumerable: true, value: layers[type] }
        : undefined,
  },
);

export const regularizers = {
  l1: ({ l1 = 0.01 } = {}) => ({ l1, l2: 0 }),
  l2: ({ l2 = 0.01 } = {}) => ({ l1: 0, l2 }),
  l1l2: ({ l1 = 0.01, l2 = 0.01 } = {}) => ({ l1, l2 }),
};

// TensorFlow.js' EarlyStopping arguments (verbose is taken and ignored: fit prints nothing).
const EARLY_STOPPING = ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights'];

export const callbacks = {
  // TensorFlow.js' earlyStopping({monitor, minDelta, patience, mode, baseline,
  // restoreBestWeights}): mode 'auto' (accuracies up, the rest down), 'min' or 'max';
  // baseline: what the monitored value must beat at all. The engine checks the values.
  earlyStopping: (args = {}) => {
    const unknown = Object.keys(args ?? {}).find((k) => !EARLY_STOPPING.includes(k));
    if (unknown !== undefined)
      throw new Error(
        `callbacks.earlyStopping: unknown argument ${show(unknown)}; expected one of ${EARLY_STOPPING.join(', ')}`,
      );
    const { monitor = 'val_loss', patience = 0, minDelta = 0, restoreBestWeights = false, mode = 'auto' } = args;
    const baseline = args.baseline ?? null;
    return {
      earlyStopping: {
        monitor,
        patience,
        minDelta,
        restoreBestWeights,
        mode,
        ...(baseline === null ? {} : { baseline }),
      },
    };
  },
  // Keras' ReduceLROnPlateau (min_lr is minRate here); the engine fills what is not given.
  reduceLROnPlateau: (options = {}) => ({ schedule: { type: 'reduce_on_plateau', ...options } }),
};

// Learning-rate schedules for fit's `schedule` option, as Keras' optimizer schedules
// (stepDecay is Keras' ExponentialDecay with staircase=True); the engine checks the
// options by name and fills the rest from its catalog.
export const schedules = {
  stepDecay: (options = {}) => ({ type: 'step_decay', ...options }),
  exponentialDecay: (options = {}) => ({ type: 'exponential_decay', ...options }),
  cosineDecay: (options = {}) => ({ type: 'cosine_decay', ...options }),
};
