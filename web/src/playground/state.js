// The playground's state: its encoding in the page's URL, the checks of every value, and
// its conversion to the JavaScript API's objects. The tables (data sets, layer types,
// presets) are in presets.js and what follows from them in defaults.js; both are
// re-exported here. Pure data and checks; nothing here draws.

import { data as dataSets, layerSpec, show, snake } from '../../lib/layers_api.js';
import { checkValue } from './checks.js';
import { TECHNIQUE_PARAMS } from './techniques.js';
import { SEARCH_PARAMS } from './search_space.js';
import { completeState } from './defaults.js';
import { LANGUAGES } from './sequence_presets.js';
import {
  CORES,
  DATA_SETS,
  FLAT_OUTPUT_ADVICE,
  SPEEDS,
  defaultState,
  fieldSpec,
  layerTypes,
  losses,
  optimizers,
  presetState,
} from './presets.js';

export * from './presets.js';
export { checkValue } from './checks.js';
export { completeState, suggestedLoss } from './defaults.js';
export { editableCopy, renumber } from './graph.js';

// ---- URL encoding ----
// ?data=mnist&layers=conv2d-32-3-1-valid-relu~flatten~dense-10-softmax&optimizer=adam&lr=0.001...

const PARAMS = {
  data: { key: 'data', kind: 'choice', options: Object.keys(DATA_SETS) },
  noise: { key: 'noise', kind: 'number', min: 0, max: 1 },
  optimizer: {
    key: 'optimizer',
    kind: 'choice',
    get options() {
      return optimizers();
    },
  },
  learningRate: { key: 'lr', kind: 'number', min: 1e-6, max: 10 },
  loss: {
    key: 'loss',
    kind: 'choice',
    get options() {
      return losses();
    },
  },
  batchSize: { key: 'batch', kind: 'int', min: 1, max: 4096 },
  // 0: until paused (the 2D sets' default); fit then runs for UNTIL_PAUSED epochs.
  epochs: { key: 'epochs', kind: 'int', min: 0, max: 1000 },
  l1: { key: 'l1', kind: 'number', min: 0, max: 1 },
  l2: { key: 'l2', kind: 'number', min: 0, max: 1 },
  validationSplit: { key: 'val', kind: 'number', min: 0, max: 0.9 },
  seed: { key: 'seed', kind: 'int', min: 0, max: 2 ** 31 - 1 },
  fromLogits: { key: 'logits', kind: 'bool' },
  features: { key: 'features', kind: 'list', options: Object.keys(dataSets.FEATURES) },
  // A 2D set's share of points for training, in percent.
  ratio: { key: 'ratio', kind: 'int', min: 10, max: 90 },
  // Sequences: steps per sample, and a toy task's difficulty (sequence_presets.js).
  steps: { key: 'steps', kind: 'int', min: 1, max: 256 },
  level: { key: 'level', kind: 'int', min: 1, max: 9 },
  // The user's text (by its name in this browser) and what its tokens are.
  textName: { key: 'text', kind: 'text', max: 100 },
  tokens: { key: 'tokens', kind: 'choice', options: ['characters', 'words'] },
  // The language whose words the word-style language model learns.
  language: { key: 'language', kind: 'choice', options: LANGUAGES },
  // The column of the user's CSV that is the series to forecast ('': the last numeric one).
  column: { key: 'column', kind: 'text', max: 100 },
  // The user's image set, by its name in this browser ('' for none).
  imageSet: { key: 'set', kind: 'text', max: 100 },
  // Batches per second at most while training ('full': as fast as the engine goes).
  speed: { key: 'speed', kind: 'choice', options: SPEEDS },
  // Cores training may use: 'auto' (every core) or a number (1: the engine's own worker only).
  cores: { key: 'cores', kind: 'choice', options: CORES },
  // The decision boundary's view: test points shown, classes discretized.
  showTest: { key: 'test', kind: 'bool' },
  discretize: { key: 'discretize', kind: 'bool' },
  ...TECHNIQUE_PARAMS,
  ...SEARCH_PARAMS,
};
// Settings that change only what is shown, how fast, or what a later model keeps: never a
// new model.
export const VIEW_SETTINGS = ['speed', 'cores', 'showTest', 'discretize', 'keep', ...Object.keys(SEARCH_PARAMS)];
// Settings that change the data (a new set is loaded or generated).
export const DATA_SETTINGS = [
  'data',
  'noise',
  'seed',
  'features',
  'ratio',
  'imageSet',
  'steps',
  'level',
  'textName',
  'tokens',
  'language',
  'column',
];
export const SETTING_RANGES = PARAMS;
// Every key the state may write in an address.
export const ADDRESS_KEYS = ['preset', 'layers', ...Object.values(PARAMS).map((p) => p.key)];

// A frozen layer (trainable: false) ends with '!': dense-128-relu!. A layer that takes an
// earlier layer's output (graph.js) says which: add-from2, dense-16-linear-from0.
export function encodeLayers(layers) {
  return layers
    .map(
      (l) =>
        [
          l.type,
          ...layerTypes()[l.type].fields.map((f) => l[f]),
          ...(l.from === undefined ? [] : [`from${l.from}`]),
        ].join('-') + (l.trainable === false ? '!' : ''),
    )
    .join('~');
}

export function decodeLayers(text) {
  if (!text) throw new Error('layers: the list is empty');
  return text.split('~').map((written, i) => {
    const frozen = written.endsWith('!');
    const part = frozen ? written.slice(0, -1) : written;
    // A negative value (Concatenate's axis -1) is written with its sign: concatenate--1.
    const [type, ...values] = part
      .split('-')
      .reduce((out, v, k, all) => (all[k - 1] === '' && k > 1 ? [...out.slice(0, -1), `-${v}`] : [...out, v]), []);
    const source = /^from(\d+)$/.exec(values.at(-1) ?? '');
    if (source) values.pop();
    const types = layerTypes();
    const spec = Object.hasOwn(types, type) ? types[type] : null;
    if (!spec)
      throw new Error(`layer ${i + 1}: unknown type ${show(type)}; expected one of ${Object.keys(types).join(', ')}`);
    if (values.length !== spec.fields.length)
      throw new Error(
        `layer ${i + 1} (${type}): expected ${spec.fields.length} values (${spec.fields.join(', ')}); got ${values.length}`,
      );
    const result = { type };
    spec.fields.forEach(
      (f, k) => (result[f] = checkValue(`layer ${i + 1} (${type}) ${f}`, fieldSpec(type, f), values[k])),
    );
    if (source) {
      const from = Number(source[1]);
      if (from > i)
        throw new Error(
          `layer ${i + 1} (${type}): from${from} names a later layer; a layer takes the input (from0)${i > 0 ? ` or layers 1 to ${i}` : ''}`,
        );
      result.from = from;
    }
    if (frozen) result.trainable = false;
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
  for (const [name, spec] of Object.entries(PARAMS))
    if (written(name)) params.set(spec.key, spec.format ? spec.format(state[name]) : String(state[name]));
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

// ---- From state to the JavaScript API's objects ----

export const lossSnake = (loss) => snake(loss);

// Layer configurations for dl.sequential: the first gets the data's input shape, kernels
// get the L1/L2 penalty.
export function layerConfigs(state, inputShape) {
  const regularize = state.l1 > 0 || state.l2 > 0;
  return state.layers.map((l, i) => {
    const config = { type: l.type };
    for (const f of layerTypes()[l.type].fields) config[f] = l[f];
    if (l.trainable === false) config.trainable = false;
    if (i === 0) config.inputShape = [...inputShape];
    if (regularize && layerSpec(l.type).options.some((o) => o.name === 'kernelRegularizer'))
      config.kernelRegularizer = { l1: state.l1, l2: state.l2 };
    return config;
  });
}

export function optimizerConfig(state) {
  if (state.optimizer === 'momentum') return { type: 'sgd', learningRate: state.learningRate, momentum: 0.9 };
  return { type: state.optimizer, learningRate: state.learningRate };
}

// The metric a task is trained and shown with: accuracy for classes (per step for an
// answer per step), the mean absolute error for numbers.
export const metricOf = (task) => (task === 'classification' || task === 'sequence' ? 'accuracy' : 'mae');

// How the labels are handed to the loss: 'onehot' (classes wide), 'binary' (one 0/1
// column), 'index' (one class index) or 'value' (regression).
export function targetKind(task, loss, outputs) {
  if (task === 'regression') return 'value';
  if (task === 'sequence') return 'index';
  if (loss === 'sparseCategoricalCrossentropy') return 'index';
  return outputs === 1 ? 'binary' : 'onehot';
}

// Whether the built stack fits the data and the loss; returns a sentence or null.
export function taskProblem({ task, classes, outSteps }, loss, outputShape) {
  if (task === 'sequence') return sequenceProblem(classes, outSteps, loss, outputShape);
  if (outputShape.length !== 1)
    return `The last layer outputs shape (${outputShape.join(', ')}); it must output a flat vector. ${FLAT_OUTPUT_ADVICE}`;
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

// A model that answers per step: [steps, classes] out, one class index per step.
function sequenceProblem(classes, steps, loss, outputShape) {
  const [t, k] = outputShape;
  if (outputShape.length !== 2)
    return `This data set has an answer at each of ${steps} steps; the last layer outputs shape (${outputShape.join(', ')}). Let the recurrent layers return sequences (or repeat the summary with RepeatVector), and end with Dense over the ${classes} symbols.`;
  if (t !== steps)
    return `The answer has ${steps} steps; the last layer outputs ${t}. ${t > steps ? 'Fewer' : 'More'} steps are needed: a RepeatVector's n, or the input's steps.`;
  if (k !== classes)
    return `The data has ${classes} symbols; the last layer outputs ${k} values per step. Set its units to ${classes}.`;
  if (loss !== 'sparseCategoricalCrossentropy')
    return `An answer per step is one symbol's index: choose sparseCategoricalCrossentropy (${loss} is chosen).`;
  return null;
}
