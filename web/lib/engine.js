// The engine's lifecycle: loading it (in a module Web Worker in browsers, in the caller's
// thread in Node), its failure and restart, and what tensors and models share: the current
// backend, ids, the registry that frees what is garbage-collected without dispose(), and
// the listeners of fit's events.
import { LocalBackend, WorkerBackend } from './backends.js';
import { setCatalog, setCatalogLoader } from './catalog.js';
import { inNode } from './engine_loader.js';

let backend = null;
let starting = null;
let readyOptions = {};
const failureListeners = new Set();
let nextId = 1;
// Fit's batch and epoch events, by model id.
export const fitListeners = new Map();

// Tensors alive in JavaScript (made and not yet disposed), for memory().
const live = { tensors: 0, bytes: 0 };
export function countTensors(tensors, bytes) {
  live.tensors += tensors;
  live.bytes += bytes;
}

export const registry = new FinalizationRegistry(({ kind, id, owner, bytes }) => {
  if (kind === 'tensor') countTensors(-1, -bytes);
  const target = owner.target ?? owner;
  if (target !== backend) return;
  target.call(kind === 'model' ? 'disposeModel' : 'disposeTensor', id).catch(() => {});
});

// Loads the engine. Options: worker (in browsers true for the page's library, layers_api.js,
// and false for programs, index.js, so that dataSync works as in TensorFlow.js; false in Node),
// engineUrl (folder of dl_engine_es.mjs), workerUrl, simd (true or false to choose the
// build; by default the runtime is asked), workers (engines fit may split batches among:
// 'auto', one per core up to 8, is the default in browsers; 1 in Node). Resolves with
// {mode, simd, workers}: where the engine runs, whether it uses WebAssembly SIMD, and how
// many engines it has. Calling it again returns the same.
export function ready(given = {}) {
  const options = { ...defaults, ...given };
  // Started already (in Node, by a program's first call): another number of engines is
  // still taken.
  if (starting && given.workers !== undefined && given.workers !== readyOptions.workers)
    return starting.then(async (info) => ({ ...info, workers: await setWorkers(given.workers) }));
  if (!starting) readyOptions = options;
  starting ??= (async () => {
    const useWorker = options.worker ?? !inNode;
    const started = useWorker ? await WorkerBackend.create(options) : await LocalBackend.create(options);
    listen(started);
    const { simd, workers } = await started.call('info');
    setCatalog(await started.call('catalog'));
    backend = started;
    return { mode: backend.mode, simd, workers: started.plannedWorkers ?? workers };
  })().catch((error) => {
    starting = null;
    pending = null;
    throw error;
  });
  return starting;
}

function listen(started) {
  started.onEvents = (model, events) => fitListeners.get(model)?.(events);
  started.onFailure = (error) => failureListeners.forEach((listener) => listener(error));
}

// In Node, a program that makes a tensor or a model before calling ready() (as
// TensorFlow.js programs do) gets the engine loaded at once with ready()'s defaults, so
// that it can be read synchronously; null where that cannot be (then engine() waits).
function startNow() {
  if (!inNode || starting || (defaults.workers ?? 1) !== 1) return null;
  const options = { ...defaults };
  const started = LocalBackend.createNow(options);
  if (!started) return null;
  listen(started);
  const { simd, workers } = started.callSync('info');
  setCatalog(started.callSync('catalog'));
  readyOptions = options;
  backend = started;
  starting = Promise.resolve({ mode: backend.mode, simd, workers });
  return backend;
}

setCatalogLoader(() => startNow());

// Options ready() starts from, each setting kept until set again (the built folder's
// dl.js sets where the engine is; index.js, the programs' API, that it runs in the page's
// thread).
let defaults = {};
export function setReadyDefaults(options) {
  defaults = { ...defaults, ...options };
}

// Stands for the engine while it loads, as TensorFlow.js lets a program make tensors and
// models before its backend is up: calls are passed on, in the order they were made, once
// it is loaded (or fail with the reason it could not load).
class PendingBackend {
  constructor(start) {
    this.mode = 'loading';
    this.target = null;
    this.waiting = 0;
    this.tail = start.then(() => {
      this.target = backend;
    });
    this.tail.catch(() => {});
  }

  // Synchronous calls only once loaded and every earlier call has been passed on.
  get sync() {
    return Boolean(this.target?.sync) && this.waiting === 0;
  }

  callSync(method, ...args) {
    if (!this.sync) throw new Error(`${method}: the engine is still loading; await dl.ready() first`);
    return this.target.callSync(method, ...args);
  }

  call(method, ...args) {
    return this.callTransferring(method, [], ...args);
  }

  callTransferring(method, transfer, ...args) {
    let result;
    this.waiting += 1;
    this.tail = this.tail.then(
      () => {
        this.waiting -= 1;
        result = this.target.callTransferring(method, transfer, ...args);
        result.catch(() => {});
      },
      (error) => {
        this.waiting -= 1;
        throw error;
      },
    );
    this.tail.catch(() => {});
    return this.tail.then(() => result);
  }
}
let pending = null;

// The backend tensors and models use. Before dl.ready() has been called (or while it
// runs), starts loading the engine with ready()'s defaults and returns a stand-in that
// passes calls on once it is up.
export function engine() {
  if (backend) return backend;
  if (!starting && startNow()) return backend;
  if (!starting) ready(readyOptions).catch(() => {});
  pending ??= new PendingBackend(starting);
  return pending;
}

// Whether the engine is loaded and runs in this thread, so that tensors can be read
// synchronously; if not, why not (for messages naming the async form).
export function syncReadBlocker(owner) {
  if (owner.sync) return null;
  if (owner.mode === 'loading') return 'the engine is still loading (await dl.ready() first)';
  return "the engine runs in a Web Worker here (the page's library, or ready({worker: true})), which can only be read asynchronously";
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
  pending = null;
  return ready(readyOptions);
}

// The whole engine where ready({lite: true}) loaded the smaller one (whose catalog lacks
// the sequence layers): a restart without lite; models and tensors of the lite engine are
// gone. Resolves as ready() does, at once when the whole engine runs already.
export async function wholeEngine() {
  await ready(readyOptions);
  if (!readyOptions.lite) return ready(readyOptions);
  readyOptions = { ...readyOptions, lite: false };
  return restart();
}

// Sets how many engines fit may split batches among ('auto' or a number >= 1; 1 turns
// the helpers off). Models and tensors stay. Resolves with the number running.
export async function setWorkers(workers) {
  await ready(readyOptions);
  readyOptions = { ...readyOptions, workers };
  return backend.setWorkers(workers);
}

// Test hook: makes the engine trap, as an abort or running out of memory would.
export function trapEngineForTesting() {
  return engine().call('trapForTesting');
}

// TensorFlow.js' memory(): the tensors made and not yet disposed (or garbage-collected)
// and their bytes (4 per value), at once.
export function memory() {
  return { numTensors: live.tensors, numDataBuffers: live.tensors, numBytes: live.bytes, unreliable: false };
}

// What the engine itself holds: bytes allocated (heapInUse) and the size of WebAssembly
// memory.
export function engineMemory() {
  return engine().call('memory');
}

// A fresh id for a tensor or model.
export const newId = () => nextId++;
