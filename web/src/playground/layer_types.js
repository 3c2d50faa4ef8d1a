// The builder's layer types: every catalog layer type whose required options it can show
// as controls, and the builder's form of a layer (its type and the values of those
// options), made anew or read from a model made elsewhere.
import { camel, catalog, layerSpec } from '../../lib/layers_api.js';
import { checkValue } from './checks.js';

// What the builder shows of an option beyond the engine's range: a shorter label, and the
// largest value a page offers (the engine takes up to a million units; a page does not).
const LABELS = { kernelSize: 'kernel', poolSize: 'pool', strides: 'stride' };
const PAGE_MAX = { units: 4096, filters: 512, kernelSize: 15, poolSize: 8, strides: 8, rate: 0.95 };
const CONTROLS = { whole: 'int', size: 'int', number: 'number', choice: 'choice', flag: 'bool' };

// One option of a layer type as a control: {label, kind ('int', 'number', 'choice'), min,
// max, options, value (what a new layer starts with)}, or null when the builder has no
// control for its kind.
function control(option) {
  const kind = CONTROLS[option.kind];
  if (!kind) return null;
  const field = { label: LABELS[option.name] ?? option.name, kind, value: option.suggested };
  if (kind === 'bool') field.value = Boolean(option.suggested ?? option.default);
  else if (kind === 'choice') {
    field.options = option.choices.map(camel);
    if (typeof field.value === 'string') field.value = camel(field.value);
  } else {
    field.min = option.low;
    field.max = Math.min(option.high, PAGE_MAX[option.name] ?? Infinity);
    if (option.highOpen && !(option.name in PAGE_MAX)) field.max = option.high - 1e-6;
  }
  return field;
}

// The layer types the builder offers: every catalog type whose required options it can
// show. {type: {label, fields: [option names, in address order], controls: {name: control}}}
let builderTypes = null;
let builtFrom = null;
export function layerTypes() {
  if (builtFrom === catalog()) return builderTypes;
  builderTypes = {};
  for (const spec of catalog().layers) {
    const main = spec.options.filter((o) => o.main);
    const controls = Object.fromEntries(main.map((o) => [o.name, control(o)]));
    // Merge layers join two: the one before them and the one their `from` names (graph.js).
    const shown =
      (spec.maxInputs === 1 || spec.minInputs <= 2) &&
      Object.values(controls).every(Boolean) &&
      spec.options.every((o) => !o.required || o.main);
    if (shown) builderTypes[spec.type] = { label: spec.kerasClass, fields: main.map((o) => o.name), controls };
  }
  builtFrom = catalog();
  return builderTypes;
}

export const fieldSpec = (type, field) => layerTypes()[type].controls[field];

export function newLayer(type) {
  const layer = { type };
  for (const f of layerTypes()[type].fields) layer[f] = fieldSpec(type, f).value;
  return layer;
}

export const layer = (type, values) => ({ ...newLayer(type), ...values });

// A dense layer: the output layer a data set needs and the hidden layers of a 2D set.
export const denseLayer = (units, activation = 'relu') => layer('dense', { units, activation });
export const FLAT_OUTPUT_ADVICE = 'Add Flatten and a Dense layer.';

// The builder's layers for a model made elsewhere (a catalog model, a file, the browser or
// a link), or null when some layer cannot be shown (a type or option the builder lacks).
export function layersFromConfigs(configs) {
  if (!Array.isArray(configs) || configs.length === 0) return null;
  const types = layerTypes();
  const layers = [];
  for (const config of configs) {
    if (typeof config !== 'object' || config === null || !Object.hasOwn(types, config.type)) return null;
    const spec = layerSpec(config.type);
    const result = { type: config.type };
    for (const f of types[config.type].fields) {
      const option = spec.options.find((o) => o.name === f);
      let value = config[f] ?? (option.sameAs ? config[option.sameAs] : undefined) ?? option.default;
      value ??= fieldSpec(config.type, f).value;
      if (Array.isArray(value)) {
        if (value.some((v) => v !== value[0])) return null;
        value = value[0];
      }
      if (option.kind === 'choice') value = camel(String(value));
      try {
        result[f] = checkValue(f, fieldSpec(config.type, f), value);
      } catch {
        return null;
      }
    }
    // An option the builder does not show, set to other than its default: not shown here.
    // (The page sets penalties for the whole model, so a kernel's penalty is not one.)
    for (const option of spec.options)
      if (!option.main && option.kind !== 'regularizer' && (config[option.name] ?? option.default) !== option.default)
        return null;
    if (config.trainable === false) result.trainable = false;
    layers.push(result);
  }
  return layers;
}
