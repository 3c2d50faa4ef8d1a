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
export {
  engineMemory,
  memory,
  onEngineFailure,
  ready,
  restart,
  wholeEngine,
  setReadyDefaults,
  setWorkers,
  trapEngineForTesting,
} from './engine.js';
export { engineCount } from './backends.js';
// The engine's catalog (layer types, options and defaults, activations, losses,
// optimizers, the seeds' models) and the one camelCase <-> snake_case conversion.
export { camel, catalog, catalogModel, layerSpec, optimizerDefaults, snake } from './catalog.js';
// How every error message quotes a value from a file, an address or a call: its JSON, cut
// to a readable length, with what JSON cannot spell (undefined, NaN, cycles) spelled too.
export { show } from './show.js';
export {
  Tensor,
  abs,
  add,
  argMax,
  argMin,
  augment,
  cast,
  clone,
  concat,
  dispose,
  div,
  equal,
  exp,
  expandDims,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  max,
  mean,
  min,
  mul,
  neg,
  notEqual,
  oneHot,
  ones,
  prod,
  reshape,
  scalar,
  slice,
  softmax,
  sqrt,
  square,
  squeeze,
  sub,
  sum,
  tensor,
  tensor1d,
  tensor2d,
  tensor3d,
  tensor4d,
  tensorFromBytes,
  tidy,
  zeros,
} from './tensor.js';
export { callbacks, layers, regularizers, schedules, train } from './config.js';
export { Sequential, sequential } from './model.js';
export { Model, SymbolicTensor, input, model } from './functional.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as metrics from './metrics.js';
export * as util from './util.js';
export { crossValidate, search, searchTrials } from './tuning.js';
export { copyLeadingWeights, replaceHead } from './transfer.js';
