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
import { Sequential } from './index.js';

export const MAX_MODEL_JSON_BYTES = 16 << 20;
export const MAX_WEIGHT_BYTES = 256 << 20;
export const MAX_LINK_BYTES = 64 << 10;

export class ModelFormatError extends Error {}

function fail(message) {
  throw new ModelFormatError(`model file: ${message}`);
}

// table[key] when key is a string naming one of the table's own entries (never a member
// every object has, such as 'toString' or '__proto__'), else undefined.
const lookup = (table, key) => (typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined);

// ----- our layer descriptions <-> Keras layer configs -----

const pair = (v) => (Array.isArray(v) ? v : [v, v]);
const KERAS_ACTIVATIONS = new Set(['linear', 'relu', 'elu', 'sigmoid', 'tanh', 'softmax']);

function kerasActivation(name = 'linear', layer) {
  if (!KERAS_ACTIVATIONS.has(name)) fail(`layer ${layer}: activation '${name}' has no TensorFlow.js equivalent`);
  return name;
}

const TO_KERAS = {
  dense: (l) => [
    'Dense',
    { units: l.units, activation: kerasActivation(l.activation, l.name), use_bias: l.useBias ?? true },
  ],
  conv2d: (l) => [
    'Conv2D',
    {
      filters: l.filters,
      kernel_size: pair(l.kernelSize),
      strides: pair(l.strides ?? 1),
      padding: l.padding ?? 'valid',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: kerasActivation(l.activation, l.name),
      use_bias: l.useBias ?? true,
    },
  ],
  maxpooling2d: (l) => ['MaxPooling2D', pooling(l)],
  averagepooling2d: (l) => ['AveragePooling2D', pooling(l)],
  globalaveragepooling2d: () => ['GlobalAveragePooling2D', { data_format: 'channels_last' }],
  dropout: (l) => ['Dropout', { rate: l.rate }],
  flatten: () => ['Flatten', {}],
  reshape: (l) => ['Reshape', { target_shape: l.targetShape }],
  batchnormalization: (l) => [
    'BatchNormalization',
    {
      axis: -1,
      momentum: l.momentum ?? 0.99,
      epsilon: l.epsilon ?? 0.001,
      center: l.center ?? true,
      scale: l.scale ?? true,
    },
  ],
  activation: (l) => ['Activation', { activation: kerasActivation(l.activation, l.name) }],
};

function pooling(l) {
  const size = pair(l.poolSize ?? 2);
  return {
    pool_size: size,
    strides: pair(l.strides ?? size),
    padding: l.padding ?? 'valid',
    data_format: 'channels_last',
  };
}

const typeKey = (type) => type.toLowerCase().replaceAll('_', '');

function checkNumber(value, what, layer) {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(`layer ${layer}: ${what} must be a number; got ${JSON.stringify(value)}`);
  return value;
}

const FROM_KERAS = {
  Dense: (c) => ({ type: 'dense', units: c.units, activation: c.activation ?? 'linear', useBias: c.use_bias ?? true }),
  Conv2D: (c, name) => {
    if ((c.data_format ?? 'channels_last') !== 'channels_last')
      fail(`layer ${name}: only channels_last data is supported`);
    if (pair(c.dilation_rate ?? 1).some((d) => d !== 1)) fail(`layer ${name}: dilated convolutions are not supported`);
    return {
      type: 'conv2d',
      filters: c.filters,
      kernelSize: pair(c.kernel_size),
      strides: pair(c.strides ?? 1),
      padding: c.padding ?? 'valid',
      activation: c.activation ?? 'linear',
      useBias: c.use_bias ?? true,
    };
  },
  MaxPooling2D: (c) => ({
    type: 'maxPooling2d',
    poolSize: pair(c.pool_size ?? 2),
    strides: pair(c.strides ?? c.pool_size ?? 2),
    padding: c.padding ?? 'valid',
  }),
  AveragePooling2D: (c) => ({
    type: 'averagePooling2d',
    poolSize: pair(c.pool_size ?? 2),
    strides: pair(c.strides ?? c.pool_size ?? 2),
    padding: c.padding ?? 'valid',
  }),
  GlobalAveragePooling2D: () => ({ type: 'globalAveragePooling2d' }),
  Dropout: (c, name) => ({ type: 'dropout', rate: checkNumber(c.rate, 'rate', name) }),
  Flatten: () => ({ type: 'flatten' }),
  Reshape: (c) => ({ type: 'reshape', targetShape: c.target_shape }),
  BatchNormalization: (c, name) => {
    const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
    if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== 3 && axis[0] !== 1))
      fail(`layer ${name}: batch normalization over axis ${c.axis} is not supported; only the last axis`);
    return {
      type: 'batchNormalization',
      momentum: c.momentum ?? 0.99,
      epsilon: c.epsilon ?? 0.001,
      center: c.center ?? true,
      scale: c.scale ?? true,
    };
  },
  Activation: (c) => ({ type: 'activation', activation: c.activation }),
};

const WEIGHT_NAMES = {
  dense: (l) => ['kernel', ...((l.useBias ?? true) ? ['bias'] : [])],
  conv2d: (l) => ['kernel', ...((l.useBias ?? true) ? ['bias'] : [])],
  batchnormalization: (l) => [
    ...((l.scale ?? true) ? ['gamma'] : []),
    ...((l.center ?? true) ? ['beta'] : []),
    'moving_mean',
    'moving_variance',
  ],
};

// ----- export -----

// The model as TensorFlow.js model artifacts.
export async function exportModel(model) {
  const info = await model.build();
  const weights = await model.getWeights();
  const layers = model.layerConfigs.map((l, i) => {
    const name = info.layers[i].name;
    const [className, config] = TO_KERAS[typeKey(l.type)]({ ...l, name });
    const full = { name, trainable: true, dtype: 'float32', ...config };
    if (i === 0) full.batch_input_shape = [null, ...info.inputShape];
    return { class_name: className, config: full };
  });
  const weightSpecs = weights.map((w) => ({ name: `${w.layer}/${w.name}`, shape: w.shape, dtype: 'float32' }));
  const total = weights.reduce((sum, w) => sum + w.values.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    data.set(w.values, offset);
    offset += w.values.length;
  }
  const artifacts = {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'dl-playground',
    convertedBy: null,
    weightSpecs,
    weightData: data.buffer,
  };
  if (model.compileConfig) artifacts.trainingConfig = trainingConfig(model.compileConfig);
  artifacts.userDefinedMetadata = { seed: model.seed };
  return artifacts;
}

// TensorFlow.js' optimizer classes and settings, complete (it reads no defaults).
function tfjsOptimizer(spec) {
  const o = typeof spec === 'string' ? { type: spec } : spec;
  const type = String(o.type).toLowerCase();
  const lr = o.learningRate ?? (type === 'sgd' ? 0.01 : 0.001);
  const eps = o.epsilon ?? 1e-7;
  switch (type) {
    case 'sgd':
      return o.momentum
        ? {
            class_name: 'Momentum',
            config: { learningRate: lr, momentum: o.momentum, useNesterov: Boolean(o.nesterov) },
          }
        : { class_name: 'SGD', config: { learningRate: lr } };
    case 'adam':
      return {
        class_name: 'Adam',
        config: { learningRate: lr, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: eps },
      };
    case 'rmsprop':
      return {
        class_name: 'RMSProp',
        config: { learningRate: lr, decay: o.rho ?? 0.9, momentum: o.momentum ?? 0, epsilon: eps, centered: false },
      };
    case 'adagrad':
      return {
        class_name: 'Adagrad',
        config: { learningRate: lr, initialAccumulatorValue: o.initialAccumulatorValue ?? 0.1 },
      };
    case 'adadelta':
      return { class_name: 'Adadelta', config: { learningRate: lr, rho: o.rho ?? 0.95, epsilon: eps } };
    default:
      fail(`optimizer '${o.type}' has no TensorFlow.js equivalent`);
  }
}

// The training configuration in Keras' form: loss in snake_case, the optimizer as
// TensorFlow.js names it.
function trainingConfig({ optimizer, loss, metrics, fromLogits }) {
  const snake = String(loss).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return {
    loss: snake,
    metrics,
    optimizer_config: tfjsOptimizer(optimizer),
    ...(fromLogits ? { from_logits: true } : {}),
  };
}

// model.json text for artifacts, naming the weights file.
export function modelJson(artifacts, weightsFile = 'weights.bin') {
  const { weightSpecs, weightData, ...rest } = artifacts;
  return JSON.stringify({ ...rest, weightsManifest: [{ paths: [weightsFile], weights: weightSpecs }] });
}

// ----- import -----

function parseModelJson(text) {
  if (typeof text !== 'string') return text;
  if (text.length > MAX_MODEL_JSON_BYTES)
    fail(`model.json is ${text.length} bytes; the limit is ${MAX_MODEL_JSON_BYTES}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`model.json is not valid JSON (${error.message})`);
  }
}

// Our layer descriptions from a Keras/TensorFlow.js Sequential topology.
function layersFromTopology(topology) {
  const model = topology?.model_config ?? topology;
  if (!model || typeof model !== 'object') fail('modelTopology is missing');
  if (model.class_name !== 'Sequential')
    fail(`only Sequential models are supported; this one is ${JSON.stringify(model.class_name)}`);
  const list = Array.isArray(model.config) ? model.config : model.config?.layers;
  if (!Array.isArray(list) || list.length === 0) fail('the Sequential model has no layers');
  let inputShape = null;
  const layers = [];
  for (const [i, layer] of list.entries()) {
    if (!layer || typeof layer !== 'object' || Array.isArray(layer))
      fail(`layer ${i} must be an object with class_name and config; got ${JSON.stringify(layer)}`);
    if (layer.config !== undefined && (typeof layer.config !== 'object' || layer.config === null))
      fail(`layer ${i}: config must be an object; got ${JSON.stringify(layer.config)}`);
    const config = layer.config ?? {};
    if (config.name !== undefined && typeof config.name !== 'string')
      fail(`layer ${i}: name must be a string; got ${JSON.stringify(config.name)}`);
    const name = config.name ?? `layer ${i}`;
    const given = config.batch_input_shape ?? config.batch_shape;
    const shape = Array.isArray(given) ? given : undefined;
    if (layer.class_name === undefined)
      fail(
        `layer ${i}${config.name ? ` (${config.name})` : ''} has no class_name, the key that names its type (such as "Dense")`,
      );
    if (layer.class_name === 'InputLayer') {
      inputShape = shape?.slice(1) ?? null;
      continue;
    }
    const convert = lookup(FROM_KERAS, layer.class_name);
    if (!convert)
      fail(
        `layer ${name} is a ${typeof layer.class_name === 'string' ? layer.class_name : JSON.stringify(layer.class_name)}, which this playground does not support (supported: ${Object.keys(FROM_KERAS).join(', ')})`,
      );
    const ours = { ...convert(config, name), name };
    if (layers.length === 0) {
      const first = shape?.slice(1) ?? inputShape;
      if (!Array.isArray(first) || first.some((d) => !Number.isInteger(d) || d < 1))
        fail(`the first layer (${name}) needs a known input shape; got ${JSON.stringify(first)}`);
      ours.inputShape = first;
    }
    layers.push(ours);
  }
  return layers;
}

// Weight arrays in our order, from the specs and the binary; checks every one.
function weightsFor(layers, specs, data) {
  if (!Array.isArray(specs)) fail('the weights manifest is missing');
  if (!(data instanceof ArrayBuffer)) fail('the weights binary is missing');
  if (data.byteLength > MAX_WEIGHT_BYTES)
    fail(`the weights are ${data.byteLength} bytes; the limit is ${MAX_WEIGHT_BYTES}`);
  const byName = new Map();
  let offset = 0;
  for (const spec of specs) {
    if (!spec || typeof spec.name !== 'string' || !Array.isArray(spec.shape))
      fail('a weights manifest entry has no name or shape');
    // TensorFlow.js appends the optimizer's state (group "optimizer", some of it int32)
    // when asked to save it; a fresh optimizer starts here, so those bytes are skipped.
    const optimizerState = spec.group === 'optimizer';
    const width = lookup({ float32: 4, int32: 4 }, spec.dtype);
    if (!width || (!optimizerState && spec.dtype !== 'float32'))
      fail(`weight ${spec.name} has dtype ${spec.dtype}; only float32 is supported`);
    if (spec.quantization) fail(`weight ${spec.name} is quantized; quantized weights are not supported`);
    if (spec.shape.some((d) => !Number.isInteger(d) || d < 0))
      fail(`weight ${spec.name} has shape ${JSON.stringify(spec.shape)}`);
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * width;
    if (offset + bytes > data.byteLength)
      fail(
        `the weights binary is truncated: it holds ${data.byteLength} bytes, but ${spec.name} ends at byte ${offset + bytes}`,
      );
    if (!optimizerState)
      byName.set(spec.name.replace(/:0$/, ''), {
        shape: spec.shape,
        values: new Float32Array(data.slice(offset, offset + bytes)),
      });
    offset += bytes;
  }
  if (offset !== data.byteLength)
    fail(`the weights binary holds ${data.byteLength} bytes; the manifest describes ${offset}`);
  const ordered = [];
  for (const layer of layers) {
    for (const weight of WEIGHT_NAMES[typeKey(layer.type)]?.(layer) ?? []) {
      const key = `${layer.name}/${weight}`;
      const found = byName.get(key);
      if (!found) fail(`missing weights for layer ${layer.name}: ${weight} (expected an entry named ${key})`);
      ordered.push({ key, ...found });
      byName.delete(key);
    }
  }
  if (byName.size) fail(`the weights file has weights no layer takes: ${[...byName.keys()].join(', ')}`);
  return ordered;
}

// A new model from TensorFlow.js artifacts ({modelTopology, weightSpecs, weightData,
// trainingConfig}) or from {modelJson, weights} as they come from files. Compiled when the
// artifacts carry a training configuration.
export async function importModel(input) {
  let artifacts = input;
  if (input?.modelJson !== undefined) {
    const json = parseModelJson(input.modelJson);
    const manifest = json?.weightsManifest;
    const specs = Array.isArray(manifest) ? manifest.flatMap((group) => group?.weights ?? []) : undefined;
    artifacts = { ...json, weightSpecs: specs, weightData: input.weights };
  }
  const layers = layersFromTopology(artifacts?.modelTopology);
  const weights = weightsFor(layers, artifacts.weightSpecs, artifacts.weightData);
  const model = new Sequential({ layers, seed: artifacts.userDefinedMetadata?.seed ?? 0 });
  try {
    await model.build();
    const expected = await model.getWeights();
    expected.forEach((w, i) => {
      const got = weights[i];
      if (got.shape.join(',') !== w.shape.join(','))
        fail(`${got.key} has shape [${got.shape}]; the layer needs [${w.shape}]`);
    });
    await model.setWeights(weights.map((w) => w.values));
    const training = artifacts.trainingConfig;
    if (training?.loss) {
      const optimizer = training.optimizer_config ? ourOptimizer(training.optimizer_config) : 'sgd';
      // Keras writes metrics as a list, TensorFlow.js sometimes as an object of lists.
      const metrics = Array.isArray(training.metrics) ? training.metrics : Object.values(training.metrics ?? {}).flat();
      await model.compile({ optimizer, loss: training.loss, metrics, fromLogits: Boolean(training.from_logits) });
    }
    return model;
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

// An optimizer as TensorFlow.js or Keras saved it, as ours.
function ourOptimizer(saved) {
  if (typeof saved !== 'object' || Array.isArray(saved))
    fail(`the optimizer must be an object with class_name and config; got ${JSON.stringify(saved)}`);
  const className = saved.class_name;
  const config = saved.config ?? {};
  if (typeof config !== 'object') fail(`the optimizer's config must be an object; got ${JSON.stringify(config)}`);
  const names = {
    sgd: 'sgd',
    momentum: 'sgd',
    adam: 'adam',
    rmsprop: 'rmsprop',
    adagrad: 'adagrad',
    adadelta: 'adadelta',
  };
  const type = lookup(names, String(className).toLowerCase());
  if (!type)
    fail(`optimizer ${className} is not supported (supported: SGD, Momentum, Adam, RMSprop, Adagrad, Adadelta)`);
  const keys = {
    learning_rate: 'learningRate',
    lr: 'learningRate',
    beta_1: 'beta1',
    beta_2: 'beta2',
    initial_accumulator_value: 'initialAccumulatorValue',
    decay: 'rho',
    useNesterov: 'nesterov',
  };
  const out = { type };
  for (const [key, value] of Object.entries(config)) {
    const name = keys[key] ?? key;
    if (
      ['learningRate', 'momentum', 'nesterov', 'beta1', 'beta2', 'rho', 'epsilon', 'initialAccumulatorValue'].includes(
        name,
      )
    )
      out[name] = value;
  }
  return out;
}

// ----- the browser: IndexedDB, files, links -----

const DB_NAME = 'dl-playground';
const STORE = 'models';

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`IndexedDB: ${request.error?.message ?? 'cannot open the database'}`));
  });
}

async function withStore(mode, action) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(new Error(`IndexedDB: ${transaction.error?.message ?? 'the request failed'}`));
    });
  } finally {
    db.close();
  }
}

function checkName(name) {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200)
    throw new Error('save: the name must be 1 to 200 characters');
}

export async function saveToBrowser(model, name) {
  checkName(name);
  const artifacts = await exportModel(model);
  await withStore('readwrite', (store) => store.put({ artifacts, savedAt: new Date().toISOString() }, name));
}

export async function loadFromBrowser(name) {
  const record = await withStore('readonly', (store) => store.get(name));
  if (!record) throw new Error(`load: no model is saved under the name '${name}'`);
  return importModel(record.artifacts);
}

export async function listSavedModels() {
  const names = await withStore('readonly', (store) => store.getAllKeys());
  return names.map(String);
}

export async function deleteSavedModel(name) {
  await withStore('readwrite', (store) => store.delete(name));
}

// Offers model.json and NAME.weights.bin as downloads.
export async function downloadModel(model, name = 'model') {
  const artifacts = await exportModel(model);
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
    fail(`${json.name} is ${json.size} bytes; the limit is ${MAX_MODEL_JSON_BYTES}`);
  if (bin.size > MAX_WEIGHT_BYTES) fail(`${bin.name} is ${bin.size} bytes; the limit is ${MAX_WEIGHT_BYTES}`);
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
