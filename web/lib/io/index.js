// Models that outlive the tab. One format for everything: TensorFlow.js' layers format
// (model.json with a Keras-style topology and a weights manifest, plus one binary of
// float32 weights), so that our models load in TensorFlow.js and theirs in ours.
//
//   const artifacts = await dl.io.exportModel(model);          // {modelTopology, weightSpecs, weightData, trainingConfig}
//   const copy = await dl.io.importModel(artifacts);           // a new Sequential, compiled if the file says how
//   await dl.io.saveToBrowser(model, 'my model');              // IndexedDB
//   dl.io.downloadModel(model, 'my-model');                    // model.json + my-model.weights.bin
//   const m = await dl.io.loadFromFiles(input.files);          // the two files back
//   location.hash = await dl.io.modelToLink(model);            // small models: weights in the link
//
// Every loader checks the files before it builds anything: bad JSON, unknown layers
// (named), wrong dtypes, missing, extra, truncated or oversized weights each give a clear
// error, and no model is touched.
export { ModelFormatError } from './errors.js';
export {
  MAX_LINK_BYTES,
  MAX_MODEL_JSON_BYTES,
  MAX_WEIGHT_BYTES,
  exportModel,
  importModel,
  modelJson,
} from './artifacts.js';
export {
  deleteSavedModel,
  downloadModel,
  listSavedModels,
  loadFromBrowser,
  loadFromFiles,
  modelFromLink,
  modelToLink,
  saveToBrowser,
} from './storage.js';
export { withStore } from './idb.js';

// Arrays as a NumPy .npz file (the Keras project's data): resolves with its bytes. The zip
// code loads on first use, so that a page that never writes one does not download it.
export async function encodeNpz(arrays) {
  const { encodeNpz: encode } = await import('./npy.js');
  return encode(arrays);
}
