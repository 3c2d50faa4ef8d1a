// The playground's tables: data sets (with what each brings by default), the choices the
// settings offer, the builder's layer types and fields, and the presets (the seeds' models
// and a small TensorFlow-Playground-style network). Layer types, options, names and the
// seeds' models come from the engine's catalog (lib/catalog.js), read once it is loaded.
import { camel, catalog, catalogModel, optimizerDefaults, show } from '../../lib/layers_api.js';
import { denseLayer, layer, layersFromConfigs } from './layer_types.js';
import { SEQUENCE_DATA_SETS, SEQUENCE_PRESETS } from './sequence_presets.js';
import { SEARCH_DEFAULTS } from './search_space.js';

export * from './layer_types.js';

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
  csv: { label: 'Your CSV file', task: 'auto', csv: true, defaults: null },
  // The user's images (the Your images panel); classes, size and colour come with the set.
  images: { label: 'Your images', task: 'classification', image: true, user: true, defaults: null },
  ...SEQUENCE_DATA_SETS,
};

// How the page generates a 2D set and the regression set (the code views write the same).
export const TOY_OPTIONS = { points: 500, trainRatio: 0.5 };
export const REGRESSION_OPTIONS = { samples: 1000, inputs: 100, trainRatio: 0.8 };

// The settings' choices, in the JavaScript API's spelling: the engine's losses, and its
// optimizers with 'momentum' (SGD with momentum 0.9) after SGD.
export const losses = () => catalog().losses.map(camel);
export const optimizers = () =>
  catalog().optimizers.flatMap((o) => (o.name === 'sgd' ? ['sgd', 'momentum'] : [o.name]));

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
  // Sequences: steps per sample (a language model's context, a toy task's length, a
  // forecaster's window), and a toy task's difficulty (addition's digits, copy's delay).
  steps: 32,
  level: 3,
  textName: '', // the user's text, by the name it is kept under in the browser
  column: '', // the user's CSV column that is a series ('': the last numeric one)
  tokens: 'characters',
  language: 'en', // the word-style language model's language
  ...SEARCH_DEFAULTS, // the search panel's (search_space.js)
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
  get fashionCnn() {
    return { ...catalogPreset('cnn', 'fashion', 1), label: 'The seeds’ CNN on Fashion-MNIST' };
  },
};
Object.defineProperties(PRESETS, Object.getOwnPropertyDescriptors(SEQUENCE_PRESETS));

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
