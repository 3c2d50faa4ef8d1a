// "Download as a Keras project": a zip with the Keras script of the page's setup (train.py,
// reading data.npz), the exact data the page trained and tested on (data.npz: the same
// rows and split, images as bytes), the trained weights in TensorFlow.js' layers format
// (model/model.json, model/weights.bin), the Search panel's search when it has values to
// try (search.py: a loop, or KerasTuner's BayesianOptimization) and a README on running
// and converting them.
import { strToU8, zipSync } from 'fflate';

import * as dl from '../../lib/layers_api.js';
import { kerasCode } from './codegen.js';
import { searchKeras } from './codegen_search.js';
import { searchSpace } from './search_space.js';
import { sequenceArrays } from './codegen_sequences.js';

// The data set's four arrays as NumPy arrays: images as uint8 (n, height, width, channels), features as
// float32 (n, d); class labels as int32, regression targets as float32 (n,).
export function projectArrays(data, task) {
  if (data.vocabulary || data.series) return sequenceArrays(data);
  const labels = (values) => (task === 'classification' ? Int32Array.from(values, Number) : Float32Array.from(values));
  if (data.image)
    return {
      x_train: { values: data.trainImages, shape: [data.trainCount, ...data.imageShape] },
      y_train: { values: labels(data.trainLabels), shape: [data.trainCount] },
      x_test: { values: data.testImages, shape: [data.testCount, ...data.imageShape] },
      y_test: { values: labels(data.testLabels), shape: [data.testCount] },
    };
  const d = data.train.x.length / data.train.n;
  return {
    x_train: { values: Float32Array.from(data.train.x), shape: [data.train.n, d] },
    y_train: { values: labels(data.train.y), shape: [data.train.n] },
    x_test: { values: Float32Array.from(data.test.x), shape: [data.test.n, d] },
    y_test: { values: labels(data.test.y), shape: [data.test.n] },
  };
}

const readme = (script, search) =>
  [
    'A run of the deep learning playground, as a Keras project.',
    '',
    `  ${script}     the Keras script of the page's model and settings`,
    ...(search ? [`  search.py    the Search panel's ${search} search of it, and k-fold cross-validation`] : []),
    '  data.npz     the data it trained and tested on: x_train, y_train, x_test, y_test',
    "  model/       the page's trained weights, in TensorFlow.js' layers format",
    '',
    'Run it:  pip install keras tensorflow numpy  &&  python train.py',
    ...(search === 'bayesian' ? ['The search:  pip install keras-tuner  &&  python search.py'] : []),
    '',
    "Start from the page's trained weights (pip install tensorflowjs):",
    '  tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model/model.json playground.h5',
    "then model.load_weights('playground.h5') in train.py, before fit.",
    '',
  ].join('\n');

// app: a Playground with data and a model. Resolves with {bytes (the zip), files (its
// entries' names)}.
export async function kerasProject(app) {
  const data = app.data;
  if (!data || !app.model || app.problem) throw new Error(app.problem ?? 'The data and the model are still loading.');
  const info = { ...app.info, target: app.target };
  const artifacts = await dl.io.exportModel(app.model);
  const files = {
    'train.py': strToU8(kerasCode(app.state, info, { project: true })),
    // A .npz is itself a zip of .npy files; stored as is, it is read by numpy.load.
    'data.npz': [await dl.io.encodeNpz(projectArrays(data, app.task)), { level: 0 }],
    'model/model.json': strToU8(dl.io.modelJson(artifacts, 'weights.bin')),
    'model/weights.bin': new Uint8Array(artifacts.weightData),
  };
  // The search as the panel has it, if its fields hold values to try.
  const { space } = app.state.searchSpace ? searchSpace(app.state.searchSpace, app.state.searchMethod) : {};
  const method = space && app.state.searchMethod;
  if (space) {
    const search = {
      space,
      method,
      trials: app.state.searchTrials,
      epochs: app.state.searchEpochs,
      metric: app.task === 'classification' ? 'val_accuracy' : 'val_loss',
      k: 5,
    };
    files['search.py'] = strToU8(searchKeras(app.state, info, search, { project: true }));
  }
  files['README.txt'] = strToU8(readme('train.py', method));
  return { bytes: zipSync(files), files: Object.keys(files) };
}
