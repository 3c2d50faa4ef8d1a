// The playground's state: data set, layer stack and training settings, the presets, and
// the state's encoding in the page's URL. Pure data and checks; nothing here draws.

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
};

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear', 'softmax', 'elu', 'leakyRelu'];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta'];
export const LOSSES = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
];

// Each editable field of a layer: its kind, range and default.
export const FIELDS = {
  units: { label: 'units', kind: 'int', min: 1, max: 4096, value: 16 },
  filters: { label: 'filters', kind: 'int', min: 1, max: 512, value: 8 },
  kernelSize: { label: 'kernel', kind: 'int', min: 1, max: 15, value: 3 },
  poolSize: { label: 'pool', kind: 'int', min: 1, max: 8, value: 2 },
  strides: { label: 'stride', kind: 'int', min: 1, max: 8, value: 1 },
  padding: { label: 'padding', kind: 'choice', options: ['valid', 'same'], value: 'valid' },
  activation: { label: 'activation', kind: 'choice', options: ACTIVATIONS, value: 'relu' },
  rate: { label: 'rate', kind: 'number', min: 0, max: 0.95, value: 0.25 },
};

// The layer types the builder offers, with their fields in URL order.
export const LAYER_TYPES = {
  dense: { label: 'Dense', fields: ['units', 'activation'] },
  conv2d: { label: 'Conv2D', fields: ['filters', 'kernelSize', 'strides', 'padding', 'activation'] },
  maxPooling2d: { label: 'MaxPooling2D', fields: ['poolSize', 'strides', 'padding'] },
  averagePooling2d: { label: 'AveragePooling2D', fields: ['poolSize', 'strides', 'padding'] },
  dropout: { label: 'Dropout', fields: ['rate'] },
  flatten: { label: 'Flatten', fields: [] },
  batchNormalization: { label: 'BatchNormalization', fields: [] },
};

export function newLayer(type) {
  const layer = { type };
  for (const f of LAYER_TYPES[type].fields) layer[f] = FIELDS[f].value;
  if (type.endsWith('Pooling2d')) layer.strides = 2;
  return layer;
}

const layer = (type, values) => ({ ...newLayer(type), ...values });

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
};

// The seeds' models and a small TensorFlow-Playground-style network.
export const PRESETS = {
  mlp: {
    label: 'MNIST MLP (seeds)',
    data: 'mnist',
    layers: [layer('flatten'), layer('dense', { units: 128 }), layer('dense', { units: 10, activation: 'softmax' })],
    settings: { optimizer: 'adam', learningRate: 0.001, loss: 'categoricalCrossentropy', batchSize: 32, epochs: 1 },
  },
  cnn: {
    label: 'MNIST CNN (seeds)',
    data: 'mnist',
    layers: [
      layer('conv2d', { filters: 32 }),
      layer('conv2d', { filters: 64 }),
      layer('maxPooling2d'),
      layer('dropout', { rate: 0.25 }),
      layer('flatten'),
      layer('dense', { units: 128 }),
      layer('dropout', { rate: 0.5 }),
      layer('dense', { units: 10, activation: 'softmax' }),
    ],
    settings: { optimizer: 'adadelta', learningRate: 1, loss: 'categoricalCrossentropy', batchSize: 128, epochs: 1 },
  },
  small: {
    label: 'Small 2D MLP',
    data: 'circle',
    layers: [
      layer('dense', { units: 4, activation: 'tanh' }),
      layer('dense', { units: 2, activation: 'tanh' }),
      layer('dense', { units: 1, activation: 'sigmoid' }),
    ],
    settings: { optimizer: 'adam', learningRate: 0.03, loss: 'binaryCrossentropy', batchSize: 10, epochs: 40 },
  },
  regression: {
    label: 'Regression MLP (seeds)',
    data: 'regression',
    layers: [layer('dense', { units: 32 }), layer('dense', { units: 1, activation: 'linear' })],
    settings: { optimizer: 'adam', learningRate: 0.001, loss: 'meanSquaredError', batchSize: 32, epochs: 10 },
  },
};

export function presetState(name) {
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : null;
  if (!preset) throw new Error(`unknown preset '${name}'; expected one of ${Object.keys(PRESETS).join(', ')}`);
  return {
    ...SETTINGS,
    ...preset.settings,
    data: preset.data,
    layers: preset.layers.map((l) => ({ ...l })),
  };
}

export const defaultState = () => presetState('mlp');

// ---- URL encoding ----
// ?data=mnist&layers=conv2d-32-3-1-valid-relu~flatten~dense-10-softmax&optimizer=adam&lr=0.001...

const PARAMS = {
  data: { key: 'data', kind: 'choice', options: Object.keys(DATA_SETS) },
  noise: { key: 'noise', kind: 'number', min: 0, max: 1 },
  optimizer: { key: 'optimizer', kind: 'choice', options: OPTIMIZERS },
  learningRate: { key: 'lr', kind: 'number', min: 1e-6, max: 10 },
  loss: { key: 'loss', kind: 'choice', options: LOSSES },
  batchSize: { key: 'batch', kind: 'int', min: 1, max: 4096 },
  epochs: { key: 'epochs', kind: 'int', min: 1, max: 1000 },
  l1: { key: 'l1', kind: 'number', min: 0, max: 1 },
  l2: { key: 'l2', kind: 'number', min: 0, max: 1 },
  validationSplit: { key: 'val', kind: 'number', min: 0, max: 0.9 },
  seed: { key: 'seed', kind: 'int', min: 0, max: 2 ** 31 - 1 },
  fromLogits: { key: 'logits', kind: 'bool' },
};
export const SETTING_RANGES = PARAMS;
// Every key the state may write in an address.
export const ADDRESS_KEYS = ['preset', 'layers', ...Object.values(PARAMS).map((p) => p.key)];

// Checks one value against its field; returns the value or throws naming what was wrong.
export function checkValue(name, spec, raw) {
  if (spec.kind === 'bool') {
    if ([true, 'true', '1'].includes(raw)) return true;
    if ([false, 'false', '0'].includes(raw)) return false;
    throw new Error(`${name} must be true or false; got '${raw}'`);
  }
  if (spec.kind === 'choice') {
    if (!spec.options.includes(raw))
      throw new Error(`${name} '${raw}' is unknown; expected one of ${spec.options.join(', ')}`);
    return raw;
  }
  const value = typeof raw === 'number' ? raw : raw === '' || raw == null ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number; got '${raw}'`);
  if (spec.kind === 'int' && !Number.isInteger(value)) throw new Error(`${name} must be a whole number; got ${raw}`);
  if (value < spec.min || value > spec.max)
    throw new Error(`${name} must be from ${spec.min} to ${spec.max}; got ${raw}`);
  return value;
}

export function encodeLayers(layers) {
  return layers.map((l) => [l.type, ...LAYER_TYPES[l.type].fields.map((f) => l[f])].join('-')).join('~');
}

export function decodeLayers(text) {
  if (!text) throw new Error('layers: the list is empty');
  return text.split('~').map((part, i) => {
    const [type, ...values] = part.split('-');
    const spec = Object.hasOwn(LAYER_TYPES, type) ? LAYER_TYPES[type] : null;
    if (!spec)
      throw new Error(`layer ${i + 1}: unknown type '${type}'; expected one of ${Object.keys(LAYER_TYPES).join(', ')}`);
    if (values.length !== spec.fields.length)
      throw new Error(
        `layer ${i + 1} (${type}): expected ${spec.fields.length} values (${spec.fields.join(', ')}); got ${values.length}`,
      );
    const result = { type };
    spec.fields.forEach((f, k) => (result[f] = checkValue(`layer ${i + 1} (${type}) ${f}`, FIELDS[f], values[k])));
    return result;
  });
}

// The address of a state. With `choice` ({preset, explicit}) only what was chosen is
// written (the preset, the data set and the settings set on purpose), since the rest
// follows from them (completeState); without it, every setting.
export function encodeState(state, choice = null) {
  const params = new URLSearchParams();
  const written = (name) => !choice || name === 'data' || choice.explicit.has(name);
  if (choice?.preset) params.set('preset', choice.preset);
  for (const [name, spec] of Object.entries(PARAMS)) if (written(name)) params.set(spec.key, String(state[name]));
  if (written('layers')) params.set('layers', encodeLayers(state.layers));
  return params.toString();
}

// Reads a state from a query string. Problems are collected (the rest of the state still
// loads) so that the page can say what it skipped. Returns {state, problems, preset,
// explicit}: the preset named, the settings the address sets (a Set of names); what it
// leaves out follows from the data set, the preset and the last layer (completeState).
export function decodeState(query) {
  const params = new URLSearchParams(query);
  const problems = [];
  let preset = null;
  if (params.has('preset')) {
    try {
      presetState(params.get('preset'));
      preset = params.get('preset');
    } catch (error) {
      problems.push(error.message);
    }
  }
  const state = preset ? presetState(preset) : defaultState();
  const explicit = new Set();
  for (const [name, spec] of Object.entries(PARAMS)) {
    if (!params.has(spec.key)) continue;
    try {
      state[name] = checkValue(spec.key, spec, params.get(spec.key));
      explicit.add(name);
    } catch (error) {
      problems.push(error.message);
    }
  }
  if (params.has('layers')) {
    try {
      state.layers = decodeLayers(params.get('layers'));
      explicit.add('layers');
    } catch (error) {
      problems.push(error.message);
    }
  }
  explicit.delete('data');
  return { state: completeState(state, { preset, explicit }), problems, preset, explicit };
}

// ---- What follows from the data set, the preset and the last layer ----

// Training settings for a CSV file of `rows` training rows: about a thousand updates.
function csvSettings(rows) {
  const batchSize = rows < 2000 ? 16 : 32;
  const epochs = Math.min(200, Math.max(1, Math.ceil((1000 * batchSize) / Math.max(1, rows))));
  return { optimizer: 'adam', learningRate: 0.01, batchSize, epochs };
}

// The last layer a data set needs: one sigmoid unit for two classes, a softmax over more,
// one linear unit for a number.
function outputLayer({ task, classes }) {
  if (task === 'regression') return layer('dense', { units: 1, activation: 'linear' });
  if (classes === 2) return layer('dense', { units: 1, activation: 'sigmoid' });
  return layer('dense', { units: classes, activation: 'softmax' });
}

// The loss that fits a task and a last layer: mean squared error for a number, binary
// cross-entropy for one output, categorical cross-entropy for one output per class.
export function suggestedLoss(task, layers) {
  if (task === 'regression') return 'meanSquaredError';
  const last = layers.findLast((l) => l.units !== undefined || l.filters !== undefined);
  return last?.units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy';
}

// The state with every setting that was not set on purpose filled in from the data set
// (or from the preset, while its data set is the one chosen) and the last layer.
// info: what is known of the data beyond DATA_SETS (a CSV file's task, classes and rows).
export function completeState(state, { preset = null, explicit = new Set(), info = {} } = {}) {
  const data = { ...DATA_SETS[state.data], ...info };
  const known = data.task !== 'auto';
  let suggested = null;
  if (preset && PRESETS[preset].data === state.data) suggested = presetState(preset);
  else if (data.defaults) {
    const from = presetState(data.defaults);
    const hidden = data.hidden?.map((units) => layer('dense', { units })) ?? from.layers.slice(0, -1);
    suggested = { ...from, layers: [...hidden, outputLayer(data)] };
  } else if (known && data.rows) {
    suggested = { ...csvSettings(data.rows), layers: [layer('dense', { units: 16 }), outputLayer(data)] };
  }
  const result = { ...state, layers: state.layers.map((l) => ({ ...l })) };
  if (suggested) {
    for (const name of ['layers', 'optimizer', 'batchSize', 'epochs'])
      if (!explicit.has(name))
        result[name] = name === 'layers' ? suggested.layers.map((l) => ({ ...l })) : suggested[name];
    // The rate follows an optimizer chosen on purpose: Adadelta's is 1 (as in Keras and the
    // seeds); another optimizer in place of Adadelta starts from Adam's 0.001.
    if (!explicit.has('learningRate')) {
      if (result.optimizer === suggested.optimizer) result.learningRate = suggested.learningRate;
      else if (result.optimizer === 'adadelta') result.learningRate = 1;
      else result.learningRate = suggested.optimizer === 'adadelta' ? 0.001 : suggested.learningRate;
    }
  }
  if (!explicit.has('loss') && known) result.loss = suggestedLoss(data.task, result.layers);
  return result;
}

// ---- From state to the JavaScript API's objects ----

const LOSS_SNAKE = {
  categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  binaryCrossentropy: 'binary_crossentropy',
  meanSquaredError: 'mean_squared_error',
  meanAbsoluteError: 'mean_absolute_error',
};
export const lossSnake = (loss) => LOSS_SNAKE[loss];

// The model's outputs as probabilities: unchanged, or through a sigmoid (one output) or a
// softmax (per row) when the loss takes logits.
export function probabilities(values, outputs, fromLogits) {
  if (!fromLogits) return values;
  const p = new Float32Array(values.length);
  if (outputs === 1) {
    values.forEach((v, i) => (p[i] = 1 / (1 + Math.exp(-v))));
    return p;
  }
  for (let row = 0; row < values.length / outputs; row++) {
    let max = -Infinity;
    for (let c = 0; c < outputs; c++) max = Math.max(max, values[row * outputs + c]);
    let sum = 0;
    for (let c = 0; c < outputs; c++) sum += p[row * outputs + c] = Math.exp(values[row * outputs + c] - max);
    for (let c = 0; c < outputs; c++) p[row * outputs + c] /= sum;
  }
  return p;
}

// Layer configurations for dl.sequential: the first gets the data's input shape, kernels
// get the L1/L2 penalty.
export function layerConfigs(state, inputShape) {
  const regularize = state.l1 > 0 || state.l2 > 0;
  return state.layers.map((l, i) => {
    const config = { type: l.type };
    for (const f of LAYER_TYPES[l.type].fields) config[f] = l[f];
    if (i === 0) config.inputShape = [...inputShape];
    if (regularize && (l.type === 'dense' || l.type === 'conv2d'))
      config.kernelRegularizer = { l1: state.l1, l2: state.l2 };
    return config;
  });
}

export function optimizerConfig(state) {
  if (state.optimizer === 'momentum') return { type: 'sgd', learningRate: state.learningRate, momentum: 0.9 };
  return { type: state.optimizer, learningRate: state.learningRate };
}

// How the labels are handed to the loss: 'onehot' (classes wide), 'binary' (one 0/1
// column), 'index' (one class index) or 'value' (regression).
export function targetKind(task, loss, outputs) {
  if (task === 'regression') return 'value';
  if (loss === 'sparseCategoricalCrossentropy') return 'index';
  return outputs === 1 ? 'binary' : 'onehot';
}

// Whether the built stack fits the data and the loss; returns a sentence or null.
export function taskProblem({ task, classes }, loss, outputShape) {
  if (outputShape.length !== 1)
    return `The last layer outputs shape (${outputShape.join(', ')}); it must output a flat vector. Add Flatten and a Dense layer.`;
  const k = outputShape[0];
  if (task === 'regression') {
    if (k !== 1)
      return `This data set has one number to predict per sample; the last layer outputs ${k}. Set its units to 1.`;
    if (!loss.startsWith('mean'))
      return `${loss} needs classes; for a number to predict choose meanSquaredError or meanAbsoluteError.`;
    return null;
  }
  if (loss === 'binaryCrossentropy' && k !== 1)
    return `binaryCrossentropy needs one output (the probability of class 1); the last layer outputs ${k}.`;
  if (k === 1 && classes !== 2)
    return `The data has ${classes} classes; one output can only tell two apart. Set the last layer's units to ${classes}.`;
  if (k !== 1 && k !== classes)
    return `The data has ${classes} classes; the last layer outputs ${k} values. Set its units to ${classes}.`;
  if (k === 1 && loss.endsWith('ategoricalCrossentropy'))
    return `${loss} needs one output per class; with one sigmoid output use binaryCrossentropy.`;
  return null;
}

// The builder's layers for a model made elsewhere (loaded from a file, the browser or a
// link), or null when some layer cannot be shown (a type or option the builder lacks).
export function layersFromConfigs(configs) {
  const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  if (!Array.isArray(configs) || configs.length === 0) return null;
  const layers = [];
  for (const config of configs) {
    if (typeof config !== 'object' || config === null || !Object.hasOwn(LAYER_TYPES, config.type)) return null;
    const spec = LAYER_TYPES[config.type];
    if (!spec) return null;
    const layer = { type: config.type };
    for (const f of spec.fields) {
      let value =
        config[f] ?? (f === 'strides' && config.type.endsWith('Pooling2d') ? config.poolSize : FIELDS[f].value);
      if (Array.isArray(value)) {
        if (value.some((v) => v !== value[0])) return null;
        value = value[0];
      }
      if (f === 'activation') value = camel(String(value));
      try {
        layer[f] = checkValue(f, FIELDS[f], value);
      } catch {
        return null;
      }
    }
    layers.push(layer);
  }
  return layers;
}
