// How a backend reaches a Core: the calls it may make, by name, run the same way in the
// page's worker and in this thread; a WebAssembly trap becomes EngineStopped.
import { OP_CALLS } from './core_ops.js';
import { WEIGHT_CALLS } from './core_weights.js';
import { show } from './show.js';

// The calls a backend passes on to a Core, by name: its methods for the API and nothing
// else (tensor(), model(), release() and running() are its own helpers).
export const CALLS = new Set([
  'createTensor',
  'createTensorFromBytes',
  'writeTensor',
  'readTensor',
  'disposeTensor',
  'predictInto',
  'evaluateInto',
  'createModel',
  'describe',
  'compile',
  'fit',
  'pause',
  'resume',
  'step',
  'stop',
  'setLearningRate',
  'setPace',
  'learningRate',
  'trainOnBatch',
  'evaluate',
  'predict',
  'activations',
  'saliency',
  'augment',
  'unitGradient',
  'weights',
  'setWeights',
  'parameterStatistics',
  'summary',
  'multiplyAdds',
  'disposeModel',
  'trapForTesting',
  'info',
  'catalog',
  'classReport',
  'memory',
  'setTeam',
  'dropHelper',
  ...Object.keys(WEIGHT_CALLS),
  ...Object.keys(OP_CALLS),
]);

// A call by name: the Core's method, or a call of core_weights.js or core_ops.js.
function run(core, method, args) {
  if (Object.hasOwn(WEIGHT_CALLS, method)) return WEIGHT_CALLS[method](core, ...args);
  if (Object.hasOwn(OP_CALLS, method)) return OP_CALLS[method](core, ...args);
  return core[method](...args);
}

// Runs one call on `core`, the same for both backends: a name outside CALLS is refused;
// fit's batch and epoch events go to emit(event). A WebAssembly trap leaves the engine
// unusable: it becomes an EngineStopped error, which the backend makes final.
export async function dispatch(core, method, args, emit) {
  if (!CALLS.has(method)) throw new Error(`unknown engine call ${show(method)}`);
  try {
    return method === 'fit' ? await core.fit(...args, emit) : await run(core, method, args);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw new EngineStopped(error.message);
    throw error;
  }
}

// The same for a call that returns at once (every call but fit and step), in this thread.
export function dispatchSync(core, method, args) {
  if (!CALLS.has(method) || method === 'fit' || method === 'step')
    throw new Error(`engine call ${show(method)} cannot run synchronously`);
  try {
    return run(core, method, args);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw new EngineStopped(error.message);
    throw error;
  }
}

export class EngineStopped extends Error {
  constructor(reason) {
    super(`the engine stopped: ${reason}`);
  }
}
