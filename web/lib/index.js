// The playground's JavaScript API, shaped after TensorFlow.js' layers API so that a
// TensorFlow.js tutorial's model code ports by changing the import:
//
//   import * as dl from './lib/index.js';
//   await dl.ready();
//   const model = dl.sequential({ layers: [dl.layers.dense({ units: 10, activation: 'softmax', inputShape: [784] })] });
//   model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
//   await model.fit(dl.tensor(xs, [n, 784]), dl.tensor(ys, [n, 10]), { epochs: 5, batchSize: 32 });
//
// In a browser the engine runs in a module Web Worker (every method that touches the
// engine returns a promise); in Node it runs in the caller's thread with the same API.
// Tensors and models hold engine memory until dispose(); a FinalizationRegistry frees
// what is garbage-collected without it.
import { LocalBackend, WorkerBackend } from './backends.js';
import { inNode } from './engine_loader.js';

export * as data from './data/index.js';
export * as io from './io.js';

let backend = null;
let starting = null;
let readyOptions = {};
const failureListeners = new Set();
let nextId = 1;
const fitListeners = new Map();

const registry = new FinalizationRegistry(({ kind, id, owner }) => {
  if (owner !== backend) return;
  owner.call(kind === 'model' ? 'disposeModel' : 'disposeTensor', id).catch(() => {});
});

// Loads the engine. Options: worker (default true in browsers, false in Node),
// engineUrl (folder of dl_engine_es.mjs), workerUrl, simd (true or false to choose the
// build; by default the runtime is asked). Resolves with {mode, simd}: where the engine
// runs and whether it uses WebAssembly SIMD. Calling it again returns the same.
export function ready(options = {}) {
  if (!starting) readyOptions = options;
  starting ??= (async () => {
    const useWorker = options.worker ?? !inNode;
    backend = useWorker ? await WorkerBackend.create(options) : await LocalBackend.create(options);
    backend.onEvents = (model, events) => fitListeners.get(model)?.(events);
    backend.onFailure = (error) => failureListeners.forEach((listener) => listener(error));
    const { simd } = await backend.call('info');
    return { mode: backend.mode, simd };
  })().catch((error) => {
    starting = null;
    throw error;
  });
  return starting;
}

function engine() {
  if (!backend) throw new Error('the engine is not loaded: call and await dl.ready() first');
  return backend;
}

// Calls listener(error) when the engine stops (its worker died, or it trapped). The
// models and tensors of that engine are gone; restart() starts a fresh one.
export function onEngineFailure(listener) {
  failureListeners.add(listener);
  return () => failureListeners.delete(listener);
}

// A fresh engine (a new worker in browsers) with the options ready() had. Models and
// tensors of the old one reject every call; build them again.
export async function restart() {
  backend?.terminate();
  backend = null;
  starting = null;
  return ready(readyOptions);
}

// Test hook: makes the engine trap, as an abort or running out of memory would.
export function trapEngineForTesting() {
  return engine().call('trapForTesting');
}

// Bytes the engine has allocated (heapInUse) and the size of WebAssembly memory.
export function memory() {
  return engine().call('memory');
}

// ----- tensors -----

function flatten(values, shape) {
  if (ArrayBuffer.isView(values)) return { flat: values, inferred: [values.length] };
  if (!Array.isArray(values)) throw new Error(`tensor: values must be a typed array or an array; got ${typeof values}`);
  const inferred = [];
  for (let level = values; Array.isArray(level); level = level[0]) inferred.push(level.length);
  const flat = values.flat(Infinity);
  if (flat.some((v) => typeof v !== 'number')) throw new Error('tensor: every value must be a number');
  return { flat, inferred: shape ? [flat.length] : inferred };
}

export class Tensor {
  constructor(shape) {
    this.shape = shape;
    this.size = shape.reduce((a, b) => a * b, 1);
    this.id = nextId++;
    this.disposed = false;
    this.owner = engine();
    registry.register(this, { kind: 'tensor', id: this.id, owner: this.owner }, this);
  }

  get rank() {
    return this.shape.length;
  }

  // A copy of the values.
  async data() {
    this.check('data');
    return this.owner.call('readTensor', this.id);
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    registry.unregister(this);
    this.owner.call('disposeTensor', this.id).catch(() => {});
  }

  check(call) {
    if (this.disposed) throw new Error(`${call}: this tensor has been disposed`);
  }
}

// A tensor in engine memory from a typed array or (nested) array, with an optional shape.
// The values are copied once into WebAssembly memory; the engine reads them in place.
export function tensor(values, shape) {
  const { flat, inferred } = flatten(values, shape);
  const dims = shape ?? inferred;
  if (!Array.isArray(dims) || dims.length === 0 || dims.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`tensor: shape must be an array of whole numbers >= 1; got ${JSON.stringify(dims)}`);
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== flat.length)
    throw new Error(`tensor: shape [${dims}] holds ${size} values but ${flat.length} were given`);
  const t = new Tensor(dims);
  const copy = flat instanceof Float32Array ? flat : Float32Array.from(flat);
  t.created = t.owner.call('createTensor', t.id, dims, copy);
  t.created.catch(() => {});
  return t;
}

// A tensor from bytes (pixels, labels), each value entering the engine as byte * scale:
// the bytes cross to the engine and become floats there, with no float copy of the whole
// set in JavaScript. transfer: hand the bytes' buffer to the worker (it becomes unusable
// here) instead of copying it.
export function tensorFromBytes(bytes, shape, { scale = 1 / 255, transfer = false } = {}) {
  if (!(bytes instanceof Uint8Array))
    throw new Error(`tensorFromBytes: bytes must be a Uint8Array; got ${bytes?.constructor?.name ?? typeof bytes}`);
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`tensorFromBytes: shape must be an array of whole numbers >= 1; got ${JSON.stringify(shape)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== bytes.length)
    throw new Error(`tensorFromBytes: shape [${shape}] holds ${size} values but ${bytes.length} bytes were given`);
  const t = new Tensor(shape);
  t.created = t.owner.callTransferring(
    'createTensorFromBytes',
    transfer ? [bytes.buffer] : [],
    t.id,
    shape,
    bytes,
    scale,
  );
  t.created.catch(() => {});
  return t;
}

// One-hot rows for class indices: labels (n) -> tensor (n, classes).
export function oneHot(labels, classes) {
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`oneHot: classes must be a whole number >= 1; got ${classes}`);
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i];
    if (!Number.isInteger(k) || k < 0 || k >= classes)
      throw new Error(
        `oneHot: label ${k} at index ${i} is outside the classes; expected a whole number from 0 to ${classes - 1}`,
      );
    out[i * classes + k] = 1;
  }
  return tensor(out, [labels.length, classes]);
}

export const tensor1d = (values) => tensor(values, [values.length]);
export const tensor2d = (values, shape) => tensor(values, shape);

async function idOf(t, what) {
  if (!(t instanceof Tensor)) throw new Error(`${what} must be a Tensor made with dl.tensor(); got ${typeof t}`);
  t.check(what);
  await t.created;
  return t.id;
}

// ----- layers, optimizers, regularizers, callbacks -----

function layerFactory(type) {
  return (config = {}) => {
    if (typeof config !== 'object' || config === null) throw new Error(`layers.${type}: config must be an object`);
    return { ...config, type };
  };
}

export const layers = {
  dense: layerFactory('dense'),
  conv2d: layerFactory('conv2d'),
  maxPooling2d: layerFactory('maxPooling2d'),
  averagePooling2d: layerFactory('averagePooling2d'),
  globalAveragePooling2d: layerFactory('globalAveragePooling2d'),
  batchNormalization: layerFactory('batchNormalization'),
  dropout: layerFactory('dropout'),
  flatten: layerFactory('flatten'),
  reshape: layerFactory('reshape'),
  activation: layerFactory('activation'),
};

// TensorFlow.js' optimizer constructors; the result can be passed to compile().
export const train = {
  sgd: (learningRate) => ({ type: 'sgd', learningRate }),
  momentum: (learningRate, momentum, useNesterov = false) => ({
    type: 'sgd',
    learningRate,
    momentum,
    nesterov: useNesterov,
  }),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) => ({
    type: 'adam',
    learningRate,
    beta1,
    beta2,
    epsilon,
  }),
  rmsprop: (learningRate, decay = 0.9, momentum = 0, epsilon = 1e-7) => ({
    type: 'rmsprop',
    learningRate,
    rho: decay,
    momentum,
    epsilon,
  }),
  adagrad: (learningRate, initialAccumulatorValue = 0.1) => ({
    type: 'adagrad',
    learningRate,
    initialAccumulatorValue,
  }),
  adadelta: (learningRate = 0.001, rho = 0.95, epsilon = 1e-7) => ({ type: 'adadelta', learningRate, rho, epsilon }),
};

export const regularizers = {
  l1: ({ l1 = 0.01 } = {}) => ({ l1, l2: 0 }),
  l2: ({ l2 = 0.01 } = {}) => ({ l1: 0, l2 }),
  l1l2: ({ l1 = 0.01, l2 = 0.01 } = {}) => ({ l1, l2 }),
};

export const callbacks = {
  earlyStopping: ({ monitor = 'val_loss', patience = 0, minDelta = 0, restoreBestWeights = false } = {}) => ({
    earlyStopping: { monitor, patience, minDelta, restoreBestWeights },
  }),
};

// ----- the model -----

export class Sequential {
  constructor({ layers: initial = [], seed = 0 } = {}) {
    this.layerConfigs = [];
    this.seed = seed;
    this.id = nextId++;
    this.owner = engine();
    this.built = null;
    this.training = null;
    this.disposed = false;
    initial.forEach((l) => this.add(l));
  }

  add(layer) {
    if (this.built)
      throw new Error('add: the model is already built (by compile, summary or predict); add layers first');
    if (typeof layer !== 'object' || layer === null || typeof layer.type !== 'string')
      throw new Error('add: expected a layer made by dl.layers.dense(), dl.layers.dropout(), ...');
    this.layerConfigs.push(layer);
  }

  // Creates the engine model on first use; its errors (shapes, names) surface here.
  build() {
    if (this.disposed) return Promise.reject(new Error('this model has been disposed'));
    if (!this.built) {
      this.built = this.owner
        .call('createModel', this.id, { seed: this.seed, layers: this.layerConfigs })
        .then((info) => {
          registry.register(this, { kind: 'model', id: this.id, owner: this.owner }, this);
          this.info = info;
          return info;
        });
      this.built.catch(() => {});
    }
    return this.built;
  }

  // Returns a promise; not awaiting it is fine, as in TensorFlow.js: a compile error is
  // then reported by the next call that needs the compiled model.
  compile({ optimizer = 'sgd', loss, metrics = [], fromLogits = false } = {}) {
    this.compileConfig = { optimizer, loss, metrics, fromLogits };
    this.compiled = this.build().then(() =>
      this.owner.call('compile', this.id, { optimizer, loss, metrics, fromLogits }),
    );
    this.compiled.catch(() => {});
    return this.compiled;
  }

  async ready(call) {
    if (this.disposed) throw new Error(`${call}: this model has been disposed`);
    await this.build();
  }

  async readyCompiled(call) {
    await this.ready(call);
    if (!this.compiled) throw new Error(`${call}: the model is not compiled; call compile({optimizer, loss}) first`);
    await this.compiled;
  }

  // TensorFlow.js' fit arguments: epochs, batchSize, validationSplit, validationData
  // ([x, y]), shuffle, classWeight, callbacks (an object or an array of objects with
  // onTrainBegin, onEpochBegin, onBatchEnd(batch, logs, info), onEpochEnd(epoch, logs),
  // onTrainEnd, onDiverged({epoch, batch}); or dl.callbacks.earlyStopping(...)); and
  // startPaused. When the loss turns NaN or infinite, training stops with the weights of
  // the last finite batch and the result's `diverged` says where ({epoch, batch}).
  async fit(x, y, args = {}) {
    await this.readyCompiled('fit');
    if (this.training) throw new Error('fit: this model is already training; stop it or wait for it to end');
    const { callbacks: given = [], validationData, ...rest } = args;
    const list = Array.isArray(given) ? given : [given];
    const options = { ...rest };
    for (const c of list) if (c?.earlyStopping) options.earlyStopping = c.earlyStopping;
    const xId = await idOf(x, 'fit: x');
    const yId = await idOf(y, 'fit: y');
    if (validationData) {
      if (!Array.isArray(validationData) || validationData.length !== 2)
        throw new Error('fit: validationData must be [x, y], two Tensors');
      options.validationData = [
        await idOf(validationData[0], 'fit: validation x'),
        await idOf(validationData[1], 'fit: validation y'),
      ];
    }
    const call = async (name, ...values) => {
      for (const c of list) if (typeof c?.[name] === 'function') await c[name](...values);
    };
    let epochStarted = -1;
    fitListeners.set(this.id, async (events) => {
      for (const e of events) {
        if (e.type === 'batch') {
          if (e.epoch !== epochStarted) {
            epochStarted = e.epoch;
            await call('onEpochBegin', e.epoch);
          }
          const { epoch, batches, samples, samplesPerSecond, batchMs } = e;
          const info = { epoch, batches, samples, samplesPerSecond, batchMs };
          await call('onBatchEnd', e.batch, e.logs, info);
        } else if (e.type === 'epoch') {
          await call('onEpochEnd', e.epoch, e.logs);
        } else if (e.type === 'diverged') {
          await call('onDiverged', { epoch: e.epoch, batch: e.batch });
        }
      }
    });
    await call('onTrainBegin');
    this.training = this.owner.call('fit', this.id, xId, yId, options);
    try {
      const { history, diverged } = await this.training;
      const epochs = history.loss?.length ?? 0;
      await call('onTrainEnd');
      return { epoch: Array.from({ length: epochs }, (_, i) => i), history, diverged };
    } finally {
      this.training = null;
      fitListeners.delete(this.id);
    }
  }

  // TensorFlow.js' flag: setting it ends fit after the current batch.
  set stopTraining(value) {
    if (value) this.stop();
  }

  stop() {
    if (this.training) this.owner.call('stop', this.id).catch(() => {});
  }

  pause() {
    return this.owner.call('pause', this.id);
  }

  resume() {
    return this.owner.call('resume', this.id);
  }

  // While paused: trains exactly one batch; resolves with that batch's event.
  step() {
    return this.owner.call('step', this.id);
  }

  async setLearningRate(rate) {
    await this.readyCompiled('setLearningRate');
    return this.owner.call('setLearningRate', this.id, rate);
  }

  async learningRate() {
    await this.readyCompiled('learningRate');
    return this.owner.call('learningRate', this.id);
  }

  async trainOnBatch(x, y) {
    await this.readyCompiled('trainOnBatch');
    return this.owner.call('trainOnBatch', this.id, await idOf(x, 'trainOnBatch: x'), await idOf(y, 'trainOnBatch: y'));
  }

  // {loss, metrics, and for classification: classes, confusionMatrix, precision, recall, f1, rocAuc}
  async evaluate(x, y, { batchSize = 32 } = {}) {
    await this.readyCompiled('evaluate');
    return this.owner.call('evaluate', this.id, await idOf(x, 'evaluate: x'), await idOf(y, 'evaluate: y'), batchSize);
  }

  // {shape, values}: the outputs for every row of x.
  async predict(x, { batchSize = 32 } = {}) {
    await this.ready('predict');
    return this.owner.call('predict', this.id, await idOf(x, 'predict: x'), batchSize);
  }

  // [{layer, name, shape, values}] for every kernel and bias.
  async getWeights() {
    await this.ready('getWeights');
    return this.owner.call('weights', this.id);
  }

  // Replaces every weight: an array of Float32Arrays (or {values}) in getWeights() order.
  // Checked whole first; a rejected call changes nothing.
  async setWeights(weights) {
    await this.ready('setWeights');
    const values = weights.map((w) => (ArrayBuffer.isView(w) ? w : w?.values));
    if (values.some((v) => !(v instanceof Float32Array)))
      throw new Error('setWeights: expected Float32Arrays or {values: Float32Array} objects, one per weight');
    return this.owner.call('setWeights', this.id, values);
  }

  // [{layer, shape, values}]: every layer's output for x, in inference mode.
  async activations(x) {
    await this.ready('activations');
    return this.owner.call('activations', this.id, await idOf(x, 'activations: x'));
  }

  // {shape, values}: the gradient of output number outputIndex with respect to x.
  async saliency(x, outputIndex) {
    await this.ready('saliency');
    return this.owner.call('saliency', this.id, await idOf(x, 'saliency: x'), outputIndex);
  }

  // [{layer, name, weights: stats, gradients: stats}], stats = {mean, std, min, max, histogram}.
  async layerStatistics({ bins = 20 } = {}) {
    await this.ready('layerStatistics');
    return this.owner.call('parameterStatistics', this.id, bins);
  }

  // [{name, type, outputShape, parameters}]
  async layerInfo() {
    await this.ready('layerInfo');
    return (await this.build()).layers;
  }

  // The Keras-style table; printed with printFn (console.log by default, as TensorFlow.js).
  async summary({ printFn = console.log } = {}) {
    await this.ready('summary');
    const text = await this.owner.call('summary', this.id);
    printFn?.(text);
    return text;
  }

  // Frees the engine model; a running fit is stopped first.
  async dispose() {
    if (this.disposed) return;
    this.disposed = true;
    if (this.training) {
      this.stop();
      await this.training.catch(() => {});
    }
    if (!this.built) return;
    registry.unregister(this);
    await this.built.then(
      () => this.owner.call('disposeModel', this.id),
      () => {},
    );
  }
}

export function sequential(config) {
  return new Sequential(config);
}
