// The engine's lifecycle: loading it (in a module Web Worker in browsers, in the caller's
// thread in Node), its failure and restart, and what tensors and models share: the current
// backend, ids, the registry that frees what is garbage-collected without dispose(), and
// the listeners of fit's events.
import { LocalBackend, WorkerBackend } from './backends.js';
import { setCatalog } from './catalog.js';
import { inNode } from './engine_loader.js';

let backend = null;
let starting = null;
let readyOptions = {};
const failureListeners = new Set();
let nextId = 1;
// Fit's batch and epoch events, by model id.
export const fitListeners = new Map();

export const registry = new FinalizationRegistry(({ kind, id, owner }) => {
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
    setCatalog(await backend.call('catalog'));
    return { mode: backend.mode, simd };
  })().catch((error) => {
    starting = null;
    throw error;
  });
  return starting;
}

export function engine() {
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

// A fresh id for a tensor or model.
export const newId = () => nextId++;
