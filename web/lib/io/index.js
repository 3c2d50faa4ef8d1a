// Models that outlive the tab. One format for everything: TensorFlow.js' layers format
// (model.json with a Keras-style topology and a weights manifest, plus one binary of
// float32 weights), so that our models load in TensorFlow.js and theirs in ours.
//
//   const artifacts = await dl.io.exportModel(model);          // {modelTopology, weightSpecs, weightData, trainingConfig}
//   const copy = await dl.io.importModel(artifacts);           // a new model, compiled if the file says how
//   const fresh = await dl.io.modelFromJSON(kerasJson);        // a model.to_json() or config.json, fresh weights
//   await dl.io.saveToBrowser(model, 'my model');              // IndexedDB
//   dl.io.downloadModel(model, 'my-model');                    // model.json + my-model.weights.bin
//   const m = await dl.io.loadFromFiles(input.files);          // the two files back
//   location.hash = await dl.io.modelToLink(model);            // small models: weights in the link
//
// Every loader checks the files before it builds anything: bad JSON, unknown layers
// (named), wrong dtypes, missing, extra, truncated or oversized weights each give a clear
// error, and no model is touched.
export { ModelFormatError } from './errors.js';
export { MAX_LINK_BYTES, MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, modelJson } from './limits.js';
export { withStore } from './idb.js';

// The readers and writers load on first use (every one returns a promise), so that a page
// that never saves or loads a model does not download them.
const artifacts = () => import('./artifacts.js');
const storage = () => import('./storage.js');
const later =
  (load, name) =>
  async (...args) =>
    (await load())[name](...args);
export const exportModel = later(artifacts, 'exportModel');
export const importModel = later(artifacts, 'importModel');
export const modelFromJSON = later(artifacts, 'modelFromJSON');
export const saveToBrowser = later(storage, 'saveToBrowser');
export const loadFromBrowser = later(storage, 'loadFromBrowser');
export const listSavedModels = later(storage, 'listSavedModels');
export const deleteSavedModel = later(storage, 'deleteSavedModel');
export const downloadModel = later(storage, 'downloadModel');
export const loadFromFiles = later(storage, 'loadFromFiles');
export const modelToLink = later(storage, 'modelToLink');
export const modelFromLink = later(storage, 'modelFromLink');

// Arrays as a NumPy .npz file (the Keras project's data): resolves with its bytes.
export const encodeNpz = later(() => import('./npy.js'), 'encodeNpz');
