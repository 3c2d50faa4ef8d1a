// Models that outlive the tab, in the browser: IndexedDB, downloaded files, links.
import { fail } from './errors.js';
import { withStore as idbStore } from './idb.js';
import { show } from '../show.js';
import { exportModel, importModel } from './artifacts.js';
import { MAX_LINK_BYTES, MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, artifactsInfo, modelJson } from './limits.js';

const DB_NAME = 'dl-playground';
const STORE = 'models';

const withStore = (mode, action) => idbStore(DB_NAME, STORE, mode, action);

function checkName(name) {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200)
    throw new Error('save: the name must be 1 to 200 characters');
}

export async function saveToBrowser(model, name) {
  checkName(name);
  await browserArtifacts.write(name, await exportModel(model));
}

export async function loadFromBrowser(name) {
  const artifacts = await browserArtifacts.read(name);
  if (!artifacts) throw new Error(`load: no model is saved under the name ${show(name)}`);
  return importModel(artifacts);
}

export async function listSavedModels() {
  const names = await withStore('readonly', (store) => store.getAllKeys());
  return names.map(String);
}

export async function deleteSavedModel(name) {
  await withStore('readwrite', (store) => store.delete(name));
}

// The artifacts saved in IndexedDB under a name (routes.js' indexeddb://).
export const browserArtifacts = {
  read: async (name) => (await withStore('readonly', (store) => store.get(name)))?.artifacts ?? null,
  write: (name, artifacts) =>
    withStore('readwrite', (store) => store.put({ artifacts, savedAt: new Date().toISOString() }, name)),
  remove: (name) => withStore('readwrite', (store) => store.delete(name)),
  // {name: ModelArtifactsInfo} of every saved model.
  async list() {
    const names = await withStore('readonly', (store) => store.getAllKeys());
    const found = {};
    for (const name of names) {
      const record = await withStore('readonly', (store) => store.get(name));
      found[name] = artifactsInfo(record.artifacts, new Date(record.savedAt));
    }
    return found;
  },
};

// Offers model.json and NAME.weights.bin as downloads.
export async function downloadModel(model, name = 'model') {
  return downloadArtifacts(await exportModel(model), name);
}

export function downloadArtifacts(artifacts, name = 'model') {
  const files = [
    [`${name}.json`, new Blob([modelJson(artifacts, `${name}.weights.bin`)], { type: 'application/json' })],
    [`${name}.weights.bin`, new Blob([artifacts.weightData], { type: 'application/octet-stream' })],
  ];
  for (const [file, blob] of files) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = file;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  return files.map(([file]) => file);
}

// A model from the two files a user picked: one .json, one binary.
export async function loadFromFiles(files) {
  const list = Array.from(files ?? []);
  const json = list.find((f) => /\.json$/i.test(f.name));
  const bin = list.find((f) => !/\.json$/i.test(f.name));
  if (!json || !bin) fail('choose both files: the model .json and its weights .bin');
  if (json.size > MAX_MODEL_JSON_BYTES)
    fail(`${show(json.name)} is ${json.size} bytes; the limit is ${MAX_MODEL_JSON_BYTES}`);
  if (bin.size > MAX_WEIGHT_BYTES) fail(`${show(bin.name)} is ${bin.size} bytes; the limit is ${MAX_WEIGHT_BYTES}`);
  return importModel({ modelJson: await json.text(), weights: await bin.arrayBuffer() });
}

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const toBase64Url = (bytes) => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

const fromBase64Url = (text) => {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

// A trained small model as text for a link's fragment: the model.json and the weights,
// deflated and base64url-encoded. Refuses models whose text would pass MAX_LINK_BYTES.
export async function modelToLink(model) {
  const artifacts = await exportModel(model);
  const json = new TextEncoder().encode(modelJson(artifacts));
  const weights = new Uint8Array(artifacts.weightData);
  const packed = new Uint8Array(4 + json.length + weights.length);
  new DataView(packed.buffer).setUint32(0, json.length);
  packed.set(json, 4);
  packed.set(weights, 4 + json.length);
  const text = toBase64Url(await deflate(packed));
  if (text.length > MAX_LINK_BYTES)
    throw new Error(
      `link: this model needs ${Math.ceil(text.length / 1024)} KB in a link; the limit is ${MAX_LINK_BYTES / 1024} KB. Save it to the browser or a file instead.`,
    );
  return text;
}

export async function modelFromLink(text) {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_LINK_BYTES)
    fail('the link does not hold a model');
  let packed;
  try {
    packed = await inflate(fromBase64Url(text));
  } catch {
    fail('the link is damaged: its model does not decode');
  }
  if (packed.length < 4) fail('the link is damaged: it is too short');
  const jsonLength = new DataView(packed.buffer, packed.byteOffset).getUint32(0);
  if (4 + jsonLength > packed.length) fail('the link is damaged: it is truncated');
  const json = new TextDecoder().decode(packed.subarray(4, 4 + jsonLength));
  const weights = packed.slice(4 + jsonLength).buffer;
  return importModel({ modelJson: json, weights });
}
