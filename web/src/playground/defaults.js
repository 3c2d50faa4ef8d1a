// What follows from the data set, the preset and the last layer for every setting that
// was not set on purpose: the network, the optimizer and its rate, batch size, epochs, the
// loss and the training speed.
import { sequenceShape } from './sequence_presets.js';
import {
  DATA_SETS,
  IMAGE_CNN_SETTINGS,
  PRESETS,
  WATCH_SPEED,
  denseLayer,
  imageCnnLayers,
  presetState,
} from './presets.js';

// Training settings for a CSV file of `rows` training rows: about a thousand updates.
function csvSettings(rows) {
  const batchSize = rows < 2000 ? 16 : 32;
  const epochs = Math.min(200, Math.max(1, Math.ceil((1000 * batchSize) / Math.max(1, rows))));
  return { optimizer: 'adam', learningRate: 0.01, batchSize, epochs };
}

// The last layer a data set needs: one sigmoid unit for two classes, a softmax over more,
// one linear unit for a number.
function outputLayer({ task, classes, vocabulary }) {
  if (task === 'regression') return denseLayer(1, 'linear');
  if (task === 'sequence') return denseLayer(vocabulary, 'softmax');
  if (classes === 2) return denseLayer(1, 'sigmoid');
  return denseLayer(classes, 'softmax');
}

// The loss that fits a task and a last layer: mean squared error for a number, binary
// cross-entropy for one output, categorical cross-entropy for one output per class.
export function suggestedLoss(task, layers) {
  if (task === 'regression') return 'meanSquaredError';
  if (task === 'sequence') return 'sparseCategoricalCrossentropy';
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
    const hidden = data.hidden?.map((units) => denseLayer(units)) ?? from.layers.slice(0, -1);
    suggested = { ...from, layers: [...hidden, outputLayer(data)] };
  } else if (data.imageShape && data.classes) {
    // About 400 updates, however few the images (a handful of drawings trains as long).
    const epochs = Math.min(100, Math.max(15, Math.ceil((400 * IMAGE_CNN_SETTINGS.batchSize) / (data.rows || 1))));
    suggested = { ...IMAGE_CNN_SETTINGS, epochs, layers: imageCnnLayers(data.imageShape[0], data.classes) };
  } else if (known && data.rows) {
    suggested = { ...csvSettings(data.rows), layers: [denseLayer(16), outputLayer(data)] };
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
  if (data.vocabulary && !explicit.has('layers')) fitToData(result.layers, sequenceShape(state.data, result, info));
  if (!explicit.has('loss') && known) result.loss = suggestedLoss(data.task, result.layers);
  // The 2D sets train slowly enough to watch the boundary form; the rest at full speed.
  if (!explicit.has('speed')) result.speed = data.planar ? WATCH_SPEED : 'full';
  // The user's images: a fifth of each class to test on, a fifth of the rest to validate on.
  if (!explicit.has('ratio')) result.ratio = data.user ? 80 : 50;
  if (!explicit.has('validationSplit')) result.validationSplit = data.user ? 0.2 : 0;
  return result;
}

// A sequence preset's layers made to fit the data set's shapes (in place): the
// embedding's ids, a position embedding's length, a RepeatVector's answer steps.
function fitToData(layers, { vocabulary, inSteps, outSteps }) {
  for (const l of layers) {
    if (l.type === 'embedding') l.inputDim = vocabulary;
    if (l.type === 'positionEmbedding') l.sequenceLength = inSteps;
    if (l.type === 'repeatVector' && outSteps) l.n = outSteps;
  }
}
