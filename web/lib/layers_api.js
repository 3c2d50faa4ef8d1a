// The layers API the page and its widgets use: everything index.js has but TensorFlow.js'
// core API (the operations, gradients, variables, optimizers' minimize, losses), so that
// a tutorial page's first widget downloads less (the first widget's engine has no op
// table to run them anyway). Programs import index.js.
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
  augment,
  dispose,
  keep,
  oneHot,
  ones,
  scalar,
  tensor,
  tensor1d,
  tensor2d,
  tensor3d,
  tensor4d,
  tensorFromBytes,
  tidy,
  zeros,
} from './tensor.js';
export { callbacks, layers, regularizers, schedules } from './config.js';
// A training log by either spelling ("val_accuracy" finds TensorFlow.js' "val_acc").
export { logValue, tfjsLogName } from './log_names.js';
export { Sequential, sequential } from './model.js';
export { Model, SymbolicTensor, input, model } from './functional.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as metrics from './metrics.js';
export * as util from './util.js';
export { crossValidate, search, searchTrials } from './tuning.js';
export * as bayesian from './bayes.js';
export { copyLeadingWeights, replaceHead } from './transfer.js';
