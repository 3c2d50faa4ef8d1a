// TensorFlow.js' model URLs and handlers: where model.save(url) writes and
// loadLayersModel(url) reads TensorFlow.js' artifacts ({modelTopology, weightSpecs,
// weightData, trainingConfig, ...}), by scheme:
//   indexeddb://name     this browser's IndexedDB (storage.js)
//   localstorage://name  this browser's localStorage, in TensorFlow.js' own keys, so that
//                        a model either library saved there loads in the other
//   downloads://name     name.json and name.weights.bin offered as downloads (save only)
//   file://path          Node: path/model.json and path/weights.bin (load: a model.json)
//   http(s)://...        save: a POST of model.json and model.weights.bin as form data;
//                        load: model.json and every weight file its manifest names
// and io.listModels, removeModel, copyModel and moveModel over the browser's two stores.
import { show } from '../show.js';
import { fail } from './errors.js';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, artifactsInfo, modelJson } from './limits.js';
import { browserArtifacts, downloadArtifacts } from './storage.js';

export { artifactsInfo };

// A model.json's text (from `where`) parsed and checked: JSON, with a topology and a
// weights manifest; and the weight files it names, in order.
export function parseLayersJson(text, where) {
  if (text.length > MAX_MODEL_JSON_BYTES)
    fail(`${where} is ${text.length} bytes; the limit is ${MAX_MODEL_JSON_BYTES}`);
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`${where} is not JSON: ${error.message}`);
  }
  if (!json?.modelTopology || !Array.isArray(json.weightsManifest))
    fail(`${where} has no modelTopology and weightsManifest; is it a layers model?`);
  return { json, paths: json.weightsManifest.flatMap((group) => group?.paths ?? []) };
}

// Artifacts from a parsed model.json and the bytes of its weight files, in order.
export function joinArtifacts(json, parts) {
  const total = parts.reduce((a, part) => a + part.length, 0);
  if (total > MAX_WEIGHT_BYTES) fail(`the weights are ${total} bytes; the limit is ${MAX_WEIGHT_BYTES}`);
  const weightData = new Uint8Array(total);
  parts.reduce((at, part) => (weightData.set(part, at), at + part.length), 0);
  const { weightsManifest, ...rest } = json;
  return {
    ...rest,
    weightSpecs: weightsManifest.flatMap((group) => group?.weights ?? []),
    weightData: weightData.buffer,
  };
}

// The name after a store's scheme: 1 to 200 characters.
function storeName(name, url) {
  if (!name || name.length > 200) throw new Error(`io: a model's name is 1 to 200 characters; got ${show(url)}`);
  return name;
}

// ---- localStorage, in TensorFlow.js' keys ----

const LOCAL_PREFIX = 'tensorflowjs_models';
const localKeys = (name) =>
  Object.fromEntries(
    ['info', 'model_topology', 'weight_specs', 'weight_data', 'model_metadata'].map((k) => [
      k,
      `${LOCAL_PREFIX}/${name}/${k}`,
    ]),
  );

function localStore() {
  if (typeof localStorage === 'undefined') throw new Error('io: localstorage:// needs a browser (localStorage)');
  return localStorage;
}

const toBase64 = (buffer) => {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;

const localStorageRoute = {
  async save(name, artifacts) {
    const store = localStore();
    const keys = localKeys(name);
    const info = artifactsInfo(artifacts);
    const { modelTopology, weightSpecs, weightData, ...metadata } = artifacts;
    try {
      store.setItem(keys.info, JSON.stringify(info));
      store.setItem(keys.model_topology, JSON.stringify(modelTopology));
      store.setItem(keys.weight_specs, JSON.stringify(weightSpecs));
      store.setItem(keys.weight_data, toBase64(weightData));
      store.setItem(keys.model_metadata, JSON.stringify(metadata));
    } catch (error) {
      Object.values(keys).forEach((k) => store.removeItem(k));
      throw new Error(
        `io: localstorage://${name} could not be saved (${error.message}); the model is ${info.weightDataBytes} bytes of weights`,
      );
    }
    return info;
  },
  async load(name) {
    const store = localStore();
    const keys = localKeys(name);
    const info = store.getItem(keys.info);
    if (info === null) throw new Error(`io: no model is saved at localstorage://${name}`);
    const read = (key) => {
      const text = store.getItem(key);
      if (text === null) fail(`localstorage://${name} has no ${key.split('/').at(-1)}`);
      return text;
    };
    return {
      ...JSON.parse(store.getItem(keys.model_metadata) ?? '{}'),
      modelTopology: JSON.parse(read(keys.model_topology)),
      weightSpecs: JSON.parse(read(keys.weight_specs)),
      weightData: fromBase64(read(keys.weight_data)),
    };
  },
  async list() {
    const store = localStore();
    const found = {};
    for (let i = 0; i < store.length; i++) {
      const match = new RegExp(`^${LOCAL_PREFIX}/(.+)/info$`).exec(store.key(i));
      if (match) found[match[1]] = JSON.parse(store.getItem(store.key(i)));
    }
    return found;
  },
  async remove(name) {
    const store = localStore();
    const keys = localKeys(name);
    const info = store.getItem(keys.info);
    if (info === null) throw new Error(`io: no model is saved at localstorage://${name}`);
    Object.values(keys).forEach((k) => store.removeItem(k));
    return JSON.parse(info);
  },
};

// ---- IndexedDB (storage.js keeps the artifacts and the date) ----

const indexedDbRoute = {
  async save(name, artifacts) {
    await browserArtifacts.write(name, artifacts);
    return artifactsInfo(artifacts);
  },
  async load(name) {
    const artifacts = await browserArtifacts.read(name);
    if (!artifacts) throw new Error(`io: no model is saved at indexeddb://${name}`);
    return artifacts;
  },
  list: () => browserArtifacts.list(),
  async remove(name) {
    const artifacts = await browserArtifacts.read(name);
    if (!artifacts) throw new Error(`io: no model is saved at indexeddb://${name}`);
    await browserArtifacts.remove(name);
    return artifactsInfo(artifacts);
  },
};

// ---- files in Node ----

const nodeFiles = () => import(/* @vite-ignore */ new URL('node_files.js', import.meta.url).href);
const fileRoute = {
  save: async (path, artifacts) => (await nodeFiles()).saveFiles(path, artifacts),
  load: async (path) => (await nodeFiles()).loadFiles(path),
};

// ---- HTTP ----

// The weights of a model.json at `url`: every file its manifest names, in order, joined.
export async function fetchArtifacts(url, { requestInit, weightPathPrefix, fetchFunc = globalThis.fetch } = {}) {
  const get = async (address, what) => {
    let response;
    try {
      response = await fetchFunc(address, requestInit);
    } catch (error) {
      throw new Error(`io: ${what} could not be fetched from ${show(String(address))}: ${error.message}`);
    }
    if (!response.ok)
      throw new Error(`io: ${what} at ${show(String(address))} answered ${response.status} ${response.statusText}`);
    return response;
  };
  const where = `model.json at ${show(String(url))}`;
  const { json, paths } = parseLayersJson(await (await get(url, 'model.json')).text(), where);
  const base = weightPathPrefix ?? new URL('.', new URL(url, globalThis.location?.href)).href;
  const parts = [];
  for (const path of paths)
    parts.push(new Uint8Array(await (await get(new URL(path, base).href, 'a weight file')).arrayBuffer()));
  return joinArtifacts(json, parts);
}

// TensorFlow.js' io.http(url, options): a handler that POSTs (save) and fetches (load).
export function http(url, { requestInit = {}, weightPathPrefix, fetchFunc = globalThis.fetch } = {}) {
  if (typeof url !== 'string' || !url) throw new Error(`io.http: expected a URL; got ${show(url)}`);
  return {
    async save(artifacts) {
      const form = new FormData();
      form.append(
        'model.json',
        new Blob([modelJson(artifacts, './model.weights.bin')], { type: 'application/json' }),
        'model.json',
      );
      form.append(
        'model.weights.bin',
        new Blob([artifacts.weightData], { type: 'application/octet-stream' }),
        'model.weights.bin',
      );
      const response = await fetchFunc(url, { method: 'POST', ...requestInit, body: form });
      if (!response.ok)
        throw new Error(`io: saving to ${show(url)} answered ${response.status} ${response.statusText}`);
      return { modelArtifactsInfo: artifactsInfo(artifacts), responses: [response] };
    },
    load: () => fetchArtifacts(url, { requestInit, weightPathPrefix, fetchFunc }),
  };
}

// ---- the schemes ----

const STORES = { 'indexeddb://': indexedDbRoute, 'localstorage://': localStorageRoute };
const SCHEMES = ['indexeddb://', 'localstorage://', 'downloads://', 'file://', 'http://', 'https://'];

// {scheme, rest} of a URL, or an error naming the schemes.
function parse(url, call) {
  const scheme = typeof url === 'string' && SCHEMES.find((s) => url.startsWith(s));
  if (!scheme)
    throw new Error(
      `${call}: expected an IO handler (io.withSaveHandler, io.fromMemory, io.http, io.browserFiles) or a URL starting with ${SCHEMES.join(', ')}; got ${show(url)}`,
    );
  return { scheme, rest: url.slice(scheme.length) };
}

// Saves artifacts at a URL; resolves with TensorFlow.js' SaveResult.
export async function saveTo(url, artifacts) {
  const { scheme, rest } = parse(url, 'save');
  if (STORES[scheme]) return { modelArtifactsInfo: await STORES[scheme].save(storeName(rest, url), artifacts) };
  if (scheme === 'downloads://') {
    downloadArtifacts(artifacts, rest || 'model');
    return { modelArtifactsInfo: artifactsInfo(artifacts) };
  }
  if (scheme === 'file://') return { modelArtifactsInfo: await fileRoute.save(rest, artifacts) };
  return http(url).save(artifacts);
}

// The artifacts at a URL.
export async function loadFrom(url, options = {}) {
  const { scheme, rest } = parse(url, 'loadLayersModel');
  if (STORES[scheme]) return STORES[scheme].load(storeName(rest, url));
  if (scheme === 'downloads://')
    throw new Error('loadLayersModel: downloads:// is for saving; load the files with io.browserFiles');
  if (scheme === 'file://') return fileRoute.load(rest);
  return fetchArtifacts(url, options);
}

// ---- the browser's stores, as TensorFlow.js' model management has them ----

const available = (scheme) =>
  scheme === 'indexeddb://' ? typeof indexedDB !== 'undefined' : typeof localStorage !== 'undefined';

// {url: ModelArtifactsInfo} of every model saved in this browser's stores.
export async function listModels() {
  const all = {};
  for (const [scheme, route] of Object.entries(STORES)) {
    if (!available(scheme)) continue;
    for (const [name, info] of Object.entries(await route.list())) all[`${scheme}${name}`] = info;
  }
  return all;
}

function storeOf(url, call) {
  const { scheme, rest } = parse(url, call);
  if (!STORES[scheme])
    throw new Error(`${call}: ${show(url)} is not in this browser's stores; expected indexeddb:// or localstorage://`);
  return [STORES[scheme], storeName(rest, url)];
}

// Removes a saved model; resolves with its ModelArtifactsInfo.
export async function removeModel(url) {
  const [route, name] = storeOf(url, 'removeModel');
  return route.remove(name);
}

// Copies (or moves) a saved model to another URL of the stores; resolves with its info.
export async function copyModel(source, destination) {
  const [from, fromName] = storeOf(source, 'copyModel');
  const [to, toName] = storeOf(destination, 'copyModel');
  return to.save(toName, await from.load(fromName));
}

export async function moveModel(source, destination) {
  if (source === destination) throw new Error(`moveModel: the source and the destination are both ${show(source)}`);
  const info = await copyModel(source, destination);
  await removeModel(source);
  return info;
}

// TensorFlow.js' io.browserFiles([model.json, ...weight files]): a handler that loads
// them, each weight file found by the name the manifest gives it.
export function browserFiles(files) {
  const list = Array.from(files ?? []);
  return {
    async load() {
      const json = list.find((f) => /\.json$/i.test(f?.name ?? ''));
      if (!json) fail(`io.browserFiles: expected a model.json among the files; got ${show(list.map((f) => f?.name))}`);
      const { json: model, paths } = parseLayersJson(await json.text(), show(json.name));
      const parts = [];
      for (const path of paths) {
        const name = path.split('/').at(-1);
        const file = list.find((f) => f !== json && f.name === name);
        if (!file) fail(`io.browserFiles: the weight file ${show(name)} that ${show(json.name)} names was not given`);
        parts.push(new Uint8Array(await file.arrayBuffer()));
      }
      return joinArtifacts(model, parts);
    },
  };
}
