// TensorFlow.js' ways to save and load a model, over io/ (TensorFlow.js' layers format):
// model.save(handler or URL) and loadLayersModel(handler or URL), with the handlers
// io.withSaveHandler(fn) and io.fromMemory(artifacts), and the URL schemes indexeddb://
// (the browser's store) and downloads:// (model.json and its weights file).
import * as io from './io/index.js';
import { show } from './show.js';

const SCHEMES = ['indexeddb://', 'downloads://'];

function schemeOf(url, what) {
  const scheme = typeof url === 'string' && SCHEMES.find((s) => url.startsWith(s));
  if (!scheme)
    throw new Error(
      `${what}: expected an IO handler (io.withSaveHandler, io.fromMemory) or a URL starting with ${SCHEMES.join(' or ')}; got ${show(url)}`,
    );
  return [scheme, url.slice(scheme.length)];
}

// A SaveResult as TensorFlow.js gives it.
function saveResult(artifacts) {
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
      weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
      weightDataBytes: artifacts.weightData.byteLength,
    },
  };
}

export async function saveModel(model, handlerOrUrl) {
  if (typeof handlerOrUrl?.save === 'function') return handlerOrUrl.save(await io.exportModel(model));
  const [scheme, name] = schemeOf(handlerOrUrl, 'save');
  if (scheme === 'indexeddb://') await io.saveToBrowser(model, name);
  else await io.downloadModel(model, name);
  return saveResult(await io.exportModel(model));
}

export async function loadLayersModel(handlerOrUrl) {
  if (typeof handlerOrUrl?.load === 'function') return io.importModel(await handlerOrUrl.load());
  const [scheme, name] = schemeOf(handlerOrUrl, 'loadLayersModel');
  if (scheme !== 'indexeddb://')
    throw new Error(`loadLayersModel: ${scheme} is for saving; load from files with io.loadFromFiles`);
  return io.loadFromBrowser(name);
}

export const withSaveHandler = (save) => ({
  save: async (artifacts) => (await save(artifacts)) ?? saveResult(artifacts),
});

// TensorFlow.js' fromMemory: artifacts, or (modelTopology, weightSpecs, weightData).
export const fromMemory = (artifacts, weightSpecs, weightData) => ({
  load: async () => (artifacts?.modelTopology ? artifacts : { modelTopology: artifacts, weightSpecs, weightData }),
});
