// TensorFlow.js' ways to save and load a model: model.save(handler or URL) and
// loadLayersModel(handler or URL), with the handlers io.withSaveHandler(fn),
// io.fromMemory(artifacts), io.http(url) and io.browserFiles(files), the URL schemes of
// io/routes.js (indexeddb://, localstorage://, downloads://, file:// in Node, http(s)://),
// and io.listModels, removeModel, copyModel and moveModel. The routes load on first use.
import * as io from './io/index.js';
import { show } from './show.js';

const routes = () => import('./io/routes.js');

// TensorFlow.js' IO routers: functions of a URL that give a handler (or null), asked
// before the schemes this library knows.
const routers = { save: [], load: [] };
export const registerSaveRouter = (router) => void routers.save.push(router);
export const registerLoadRouter = (router) => void routers.load.push(router);
const handlersFor = (kind, url, options) =>
  typeof url === 'string' ? routers[kind].map((route) => route(url, options)).filter(Boolean) : [];
export const getSaveHandlers = (url) => handlersFor('save', url);
export const getLoadHandlers = (url, options) => handlersFor('load', url, options);

export async function saveModel(model, handlerOrUrl) {
  const artifacts = await io.exportModel(model);
  const [routed] = handlersFor('save', handlerOrUrl);
  const handler = routed ?? handlerOrUrl;
  if (typeof handler?.save === 'function') return handler.save(artifacts);
  return (await routes()).saveTo(handlerOrUrl, artifacts);
}

// options: {requestInit, weightPathPrefix, fetchFunc} for http(s):// as TensorFlow.js takes them.
export async function loadLayersModel(handlerOrUrl, options = {}) {
  const [routed] = handlersFor('load', handlerOrUrl, options);
  if (routed) handlerOrUrl = routed;
  if (typeof handlerOrUrl?.load === 'function') return io.importModel(await handlerOrUrl.load());
  if (handlerOrUrl === undefined || handlerOrUrl === null)
    throw new Error(`loadLayersModel: expected a URL or an IO handler; got ${show(handlerOrUrl)}`);
  return io.importModel(await (await routes()).loadFrom(handlerOrUrl, options));
}

export const withSaveHandler = (save) => ({
  save: async (artifacts) =>
    (await save(artifacts)) ?? { modelArtifactsInfo: (await routes()).artifactsInfo(artifacts) },
});

// TensorFlow.js' fromMemory: artifacts, or (modelTopology, weightSpecs, weightData).
export const fromMemory = (artifacts, weightSpecs, weightData) => ({
  load: async () => (artifacts?.modelTopology ? artifacts : { modelTopology: artifacts, weightSpecs, weightData }),
});

const later =
  (name) =>
  async (...args) =>
    (await routes())[name](...args);
export const listModels = later('listModels');
export const removeModel = later('removeModel');
export const copyModel = later('copyModel');
export const moveModel = later('moveModel');

// Handlers made at once, as TensorFlow.js makes them; their work loads the routes.
export const http = (url, options) => ({
  save: async (artifacts) => (await routes()).http(url, options).save(artifacts),
  load: async () => (await routes()).http(url, options).load(),
});
export const browserFiles = (files) => ({ load: async () => (await routes()).browserFiles(files).load() });
