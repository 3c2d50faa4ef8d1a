// The playground's JavaScript API, shaped after TensorFlow.js' layers API so that a
// TensorFlow.js tutorial's model code ports by changing the import:
//
//   import * as dl from './lib/index.js';
//   await dl.ready();
//   const model = dl.sequential({ layers: [dl.layers.dense({ units: 10, activation: 'softmax', inputShape: [784] })] });
//   model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
//   await model.fit(dl.tensor(xs, [n, 784]), dl.tensor(ys, [n, 10]), { epochs: 5, batchSize: 32 });
//
// Programs run the engine in the caller's thread, in Node and in a page, unless they ask
// for a Web Worker (ready({worker: true}), where every read is a promise, and fit may use
// every core): TensorFlow.js' synchronous reads (dataSync, arraySync, bufferSync) then
// work in a page as they do there, and fit yields to the page between slices of batches,
// as TensorFlow.js' yieldEvery does. The playground's own library (layers_api.js) keeps
// its worker. Tensors and models hold engine memory until dispose(); a
// FinalizationRegistry frees what is garbage-collected without it.
export * from './layers_api.js';
import { setReadyDefaults as setDefaults } from './engine.js';
setDefaults({ worker: false });
import { layers as engineLayers } from './config.js';
import { Layer } from './custom_layers.js';
import { Sequential } from './model.js';
import { applyModel } from './model_apply.js';
import { recording } from './gradients_tape.js';
import { graphModel, installMixed } from './mixed_model.js';
import { installTfjsWeights } from './tfjs_model_weights.js';
import { model as engineModel } from './functional.js';
import { exportMixed, holdsJavaScriptLayers, importMixed } from './mixed_files.js';
import { mixedFiles } from './layer_registry.js';
import * as ioFunctions from './io/index.js';
import * as tfjsIo from './tfjs_io.js';
import { evaluateDataset, fitDataset } from './fit_dataset.js';
// TensorFlow.js' operations, computed by the engine's op table (ops.js, tensor_ops.js).
export {
  abs,
  add,
  addN,
  argMax,
  argMin,
  atan2,
  avgPool,
  cast,
  ceil,
  clipByValue,
  clone,
  concat,
  conv2d,
  cos,
  div,
  elu,
  equal,
  erf,
  exp,
  expandDims,
  expm1,
  fillTensor as fill,
  floor,
  gather,
  greater,
  greaterEqual,
  isNaN,
  leakyRelu,
  less,
  lessEqual,
  linspace,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  logSoftmax,
  logSumExp,
  matMul,
  max,
  maxPool,
  maximum,
  mean,
  min,
  minimum,
  mod,
  mul,
  multinomial,
  neg,
  nextFrame,
  notEqual,
  onesLike,
  pad,
  pow,
  prod,
  range,
  reciprocal,
  relu,
  relu6,
  reshape,
  round,
  rsqrt,
  selu,
  sigmoid,
  sign,
  sin,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squaredDifference,
  squeeze,
  step,
  sub,
  sum,
  tanh,
  tile,
  transpose,
  where,
  zerosLike,
} from './tensor_ops.js';
export { dot, moments, norm, split, stack, unstack } from './tensor_built.js';
export { randomNormal, randomUniform, truncatedNormal } from './tensor_random.js';
export { TensorBuffer, buffer, print } from './tensor_buffer.js';
// dl.data with TensorFlow.js' Dataset API (the page's library has the rest of dl.data).
import { data as layersData } from './layers_api.js';
import * as datasets from './data/dataset.js';
import { csv } from './data/csv_dataset.js';
export const data = { ...layersData, ...datasets, csv };
// dl.metrics with TensorFlow.js' metric functions (tfjs_metrics.js) beside the curves.
import { metrics as layersMetrics } from './layers_api.js';
import * as tfjsMetrics from './tfjs_metrics.js';
export const metrics = { ...layersMetrics, ...tfjsMetrics };
import { env } from './environment.js';
export { enableDebugMode, enableProdMode, env, getBackend, setBackend, version } from './environment.js';
// Gradients of any computation, variables and the optimizers that update them.
export {
  Variable,
  customGrad,
  grad,
  grads,
  valueAndGrad,
  valueAndGrads,
  variable,
  variableGrads,
} from './gradients.js';
import { Optimizer, train as engineTrain } from './optimizers.js';
export { Optimizer };
// TensorFlow.js' other names: tf.train.Optimizer, tf.LayersModel (the class Sequential and
// Model share, for instanceof), tf.ENV, tf.models.modelFromJSON; tf.browser's pixels.
export const train = { ...engineTrain, Optimizer };
export const LayersModel = Sequential;
export const ENV = env();
export const models = { modelFromJSON: (json) => ioFunctions.modelFromJSON(json) };
export * as browser from './browser_pixels.js';
export * as losses from './losses.js';

// model.apply(inputs, {training}) on symbolic tensors, or on Tensors with its gradients
// (model_apply.js); a page that loads only the layers API (layers_api.js) goes without.
Object.defineProperty(Sequential.prototype, 'apply', {
  value(inputs, kwargs) {
    return applyModel(this, inputs, kwargs);
  },
  writable: true,
  configurable: true,
});
// predict while a gradient is being taken (in variableGrads, grad, minimize) is apply, as
// TensorFlow.js' predict is made of differentiable operations.
const enginePredict = Sequential.prototype.predict;
Object.defineProperty(Sequential.prototype, 'predict', {
  value(x, options) {
    return recording() && !this.mixedState ? applyModel(this, x) : enginePredict.call(this, x, options);
  },
  writable: true,
  configurable: true,
});
installMixed();
// TensorFlow.js' getWeights and setWeights: Tensors in model.weights' order.
installTfjsWeights(Sequential.prototype);
Object.assign(mixedFiles, {
  exportModel: exportMixed,
  importModel: importMixed,
  holds: holdsJavaScriptLayers,
  graph: (config) => model(config),
});

// dl.layers with dl.layers.Layer, the class JavaScript layers extend (custom_layers.js),
// and dl.serialization.registerClass.
export const layers = new Proxy(engineLayers, {
  get: (target, key) => (key === 'Layer' ? Layer : target[key]),
});
export { serialization } from './custom_layers.js';
export { Callback, CustomCallback } from './callback_classes.js';
// TensorFlow.js' initializers and constraints, as layer options and for addWeight.
export { constraints, initializers } from './initializers.js';
// dl.model of JavaScript layers (mixed_graph.js), else the engine's graph model.
export const model = graphModel(engineModel);

// TensorFlow.js' save and load (tfjs_io.js): model.save, loadLayersModel, and dl.io with
// TensorFlow.js' handlers and model management besides its own.
// TensorFlow.js' fitDataset and evaluateDataset (fit_dataset.js) likewise.
for (const [name, value] of Object.entries({
  save(handlerOrUrl) {
    return tfjsIo.saveModel(this, handlerOrUrl);
  },
  fitDataset(dataset, args) {
    return fitDataset(this, dataset, args);
  },
  evaluateDataset(dataset, args) {
    return evaluateDataset(this, dataset, args);
  },
}))
  Object.defineProperty(Sequential.prototype, name, { value, writable: true, configurable: true });
export { loadLayersModel } from './tfjs_io.js';
export const io = {
  ...ioFunctions,
  ...Object.fromEntries(Object.entries(tfjsIo).filter(([name]) => !['saveModel', 'loadLayersModel'].includes(name))),
  browserHTTPRequest: tfjsIo.http,
};
