// The playground's tables: data sets (with what each brings by default), the choices the
// settings offer, the builder's layer types and fields, and the presets (the seeds' models
// and a small TensorFlow-Playground-style network). Layer types, options, names and the
// seeds' models come from the engine's catalog (lib/catalog.js), read once it is loaded.
import { camel, catalog, catalogModel, layerSpec, optimizerDefaults, show } from '../../lib/index.js';
import { checkValue } from './checks.js';

// Each data set with what it brings when nothing else is asked for (`defaults`): the preset
// whose hidden layers (or `hidden`: units of ReLU layers) and training settings learn it
// in seconds (the output layer is made to fit the data), or, for a CSV file, settings
// sized to its rows once it is read.
export const DATA_SETS = {
  mnist: { label: 'MNIST digits (10,000 images)', task: 'classification', classes: 10, image: true, defaults: 'mlp' },
  mnistFull: {
    label: 'MNIST digits, all 60,000 (11 MB)',
    task: 'classification',
    classes: 10,
    image: true,
    defaults: 'mlp',
  },
  circle: { label: '2D: circle', task: 'classification', classes: 2, planar: true, defaults: 'small' },
  xor: { label: '2D: exclusive or', task: 'classification', classes: 2, planar: true, defaults: 'small' },
  gaussians: { label: '2D: two Gaussians', task: 'classification', classes: 2, planar: true, defaults: 'small' },
  // The small preset's 4-2 network reaches about 69% on the spiral; three layers of 16
  // reach 85-98% in the same 40 epochs.
  spiral: {
    label: '2D: spiral',
    task: 'classification',
    classes: 2,
    planar: true,
    defaults: 'small',
    hidden: [16, 16, 16],
  },
  plane: { label: '2D regression: plane', task: 'regression', planar: true, defaults: 'small' },
  gaussianMixture: { label: '2D regression: Gaussian mixture', task: 'regression', planar: true, defaults: 'small' },
  regression: { label: 'Regression: 100 inputs', task: 'regression', defaults: 'regression' },
  csv: { label: 'Your CSV file', task: 'auto', defaults: null },
  // The user's images (the Your images panel); classes, size and colour come with the set.
  images: { label: 'Your images', task: 'classification', image: true, user: true, defaults: null },
};

// How the page generates a 2D set and the regression set (the code views write the same).
export const TOY_OPTIONS = { points: 500, trainRatio: 0.5 };
export const REGRESSION_OPTIONS = { samples: 1000, inputs: 100, trainRatio: 0.8 };

// The settings' choices, in the JavaScript API's spelling: the engine's losses, and its
// optimizers with 'momentum' (SGD with momentum 0.9) after SGD.
export const losses = () => catalog().losses.map(camel);
export const optimizers = () =>
  catalog().optimizers.flatMap((o) => (o.name === 'sgd' ? ['sgd', 'momentum'] : [o.name]));

// What the builder shows of an option beyond the engine's range: a shorter label, and the
// largest value a page offers (the engine takes up to a million units; a page does not).
const LABELS = { kernelSize: 'kernel', poolSize: 'pool', strides: 'stride' };
const PAGE_MAX = { units: 4096, filters: 512, kernelSize: 15, poolSize: 8, strides: 8, rate: 0.95 };
const CONTROLS = { whole: 'int', size: 'int', number: 'number', choice: 'choice' };

// One option of a layer type as a control: {label, kind ('int', 'number', 'choice'), min,
// max, options, value (what a new layer starts with)}, or null when the builder has no
// control for its kind.
function control(option) {
  const kind = CONTROLS[option.kind];
  if (!kind) return null;
  const field = { label: LABELS[option.name] ?? option.name, kind, value: option.suggested };
  if (kind === 'choice') {
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

const SETTINGS = {
  data: 'mnist',
  noise: 0,
  optimizer: 'adam',
  learningRate: 0.001,
  loss: 'categoricalCrossentropy',
  batchSize: 32,
  epochs: 1,
  l1: 0,
  l2: 0,
  validationSplit: 0,
  seed: 1,
  fromLogits: false,
  features: ['x1', 'x2'], // a 2D set's inputs: transforms of the point (lib/data/toy.js)
  ratio: 50, // a 2D set's (or the user's images') share for training, in percent
  imageSet: '', // the user's image set, by the name it is kept under in the browser
  speed: 'full',
  cores: 'auto', // engines a batch may be split among (dl.ready's workers): 'auto' is every core
  showTest: false,
  discretize: false,
  // The seeds' techniques (techniques.js in panels): early stopping, a learning-rate
  // schedule, class weights, an imbalanced training set and resampling.
  stop: 'off',
  patience: 5,
  restore: true,
  schedule: null,
  weights: 'none',
  imbalance: null,
  resample: 'none',
  augment: null,
  only: null, // transfer learning: some classes only, at most `per` training samples of each
  per: 0,
  keep: false, // a new model keeps the trained weights of the layers it shares with the old
};

// The training speeds a page offers, in batches per second at most; WATCH_SPEED is the 2D
// sets' default (a boundary forms over a few seconds), epochs 0 trains until paused (for
// UNTIL_PAUSED epochs at most, the engine's limit).
export const SPEEDS = ['full', '1000', '300', '100', '30', '10', '3', '1'];
// How many cores training may use; 'auto' follows navigator.hardwareConcurrency.
export const CORES = ['auto', '1', '2', '3', '4', '6', '8'];
export const WATCH_SPEED = '300';
export const UNTIL_PAUSED = 1000000;
export const paceOf = (speed) => (speed === 'full' ? null : Number(speed));

// A model of the engine's catalog (the seeds' models) as a preset: its layers in the
// builder's form, its optimizer, rate, loss and batch size.
function catalogPreset(name, data, epochs) {
  const model = catalogModel(name);
  const optimizer =
    typeof model.compile.optimizer === 'string' ? { type: model.compile.optimizer } : model.compile.optimizer;
  return {
    label: model.label,
    data,
    get layers() {
      return layersFromConfigs(model.layers);
    },
    settings: {
      optimizer: optimizer.type,
      learningRate: optimizer.learningRate ?? optimizerDefaults(optimizer.type).learningRate,
      loss: camel(model.compile.loss),
      batchSize: model.batchSize,
      epochs,
    },
  };
}

const DEEP_SETTINGS = { optimizer: 'adam', learningRate: 0.003, loss: 'binaryCrossentropy', batchSize: 10, epochs: 0 };

// The seeds' models (from the engine), a small TensorFlow-Playground-style network, and a
// deep plain network beside its residual twin.
export const PRESETS = {
  get mlp() {
    return catalogPreset('mlp', 'mnist', 1);
  },
  get cnn() {
    return catalogPreset('cnn', 'mnist', 1);
  },
  small: {
    label: 'Small 2D MLP',
    data: 'circle',
    get layers() {
      return [denseLayer(4, 'tanh'), denseLayer(2, 'tanh'), denseLayer(1, 'sigmoid')];
    },
    settings: { optimizer: 'adam', learningRate: 0.03, loss: 'binaryCrossentropy', batchSize: 10, epochs: 0 },
  },
  get regression() {
    return catalogPreset('regression', 'regression', 10);
  },
  // Why skip connections matter: 19 hidden tanh layers on the spiral stall near chance, the
  // first layers' gradients about 1e-4 of the last's; the same layers in residual blocks
  // (each pair's input added to its output) reach 95-99% in 20 epochs.
  deepPlain: {
    label: 'Deep plain net: 20 Dense layers (spiral)',
    data: 'spiral',
    get layers() {
      return [...Array.from({ length: 19 }, () => denseLayer(16, 'tanh')), denseLayer(1, 'sigmoid')];
    },
    settings: DEEP_SETTINGS,
  },
  deepResidual: {
    label: 'Its residual twin: the same with skips (spiral)',
    data: 'spiral',
    get layers() {
      const blocks = Array.from({ length: 9 }, (_, b) => [
        denseLayer(16, 'tanh'),
        denseLayer(16, 'tanh'),
        { type: 'add', from: 3 * b + 1 },
      ]);
      return [denseLayer(16, 'tanh'), ...blocks.flat(), denseLayer(1, 'sigmoid')];
    },
    settings: DEEP_SETTINGS,
  },
};

// A CNN for the user's images of `size` pixels square: two (three from 64 pixels) blocks
// of 3x3 convolution and 2x2 pooling, a small dense layer, and the classes' softmax.
export function imageCnnLayers(size, classes) {
  const block = (filters) => [
    layer('conv2d', { filters, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }),
    layer('maxPooling2d', { poolSize: 2, strides: 2, padding: 'valid' }),
  ];
  return [
    ...block(16),
    ...block(32),
    ...(size >= 64 ? block(32) : []),
    layer('flatten'),
    denseLayer(64),
    classes === 2 ? denseLayer(1, 'sigmoid') : denseLayer(classes, 'softmax'),
  ];
}
export const IMAGE_CNN_SETTINGS = { optimizer: 'adam', learningRate: 0.002, batchSize: 16 };

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

export function presetState(name) {
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : null;
  if (!preset) throw new Error(`unknown preset ${show(name)}; expected one of ${Object.keys(PRESETS).join(', ')}`);
  return {
    ...SETTINGS,
    ...preset.settings,
    data: preset.data,
    layers: preset.layers.map((l) => ({ ...l })),
  };
}

export const defaultState = () => presetState('mlp');
