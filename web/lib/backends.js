// Two ways to reach a Core with the same asynchronous interface: call(method, ...args)
// returning a promise, and fit events delivered to onEvents(model, events).
// LocalBackend runs the engine in this thread (Node, or a page that asks for it);
// WorkerBackend runs it in a module Web Worker and talks to it by messages.
import { Core } from './core.js';
import { EngineStopped, dispatch, dispatchSync } from './dispatch.js';
import { loadEngineModule } from './engine_loader.js';

export class LocalBackend {
  static async create(options) {
    return new LocalBackend(new Core(await loadEngineModule(options)));
  }

  constructor(core) {
    this.core = core;
    this.mode = 'local';
    this.sync = true;
    this.onEvents = null;
  }

  // For synchronous reads (dataSync) and the work they wait on: the call runs now.
  callSync(method, ...args) {
    if (this.failure) throw this.failure;
    try {
      return dispatchSync(this.core, method, args);
    } catch (error) {
      throw this.stopped(error);
    }
  }

  callTransferring(method, transfer, ...args) {
    return this.call(method, ...args);
  }

  async call(method, ...args) {
    if (this.failure) throw this.failure;
    try {
      return await dispatch(this.core, method, args, (event) => this.onEvents?.(args[0], [event]));
    } catch (error) {
      throw this.stopped(error);
    }
  }

  // A trap leaves the engine unusable, as a dead worker would be: every later call fails.
  stopped(error) {
    if (error instanceof EngineStopped && !this.failure) {
      this.failure = error;
      this.onFailure?.(error);
    }
    return error;
  }

  terminate() {}
}

export class WorkerBackend {
  static async create({ engineUrl, workerUrl, simd } = {}) {
    // Written out in full so that the bundler recognizes the worker and bundles it.
    const worker = workerUrl
      ? new Worker(workerUrl, { type: 'module' })
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const backend = new WorkerBackend(worker);
    const { defaultEngineUrl } = await import('./engine_loader.js');
    await backend.call('init', engineUrl ?? defaultEngineUrl(), simd);
    return backend;
  }

  constructor(worker) {
    this.worker = worker;
    this.mode = 'worker';
    this.sync = false;
    this.onEvents = null;
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null;
    worker.onmessage = ({ data }) => {
      if (data.fatal) {
        this.fail(new Error(data.fatal));
        return;
      }
      if (data.events) {
        this.onEvents?.(data.model, data.events);
        return;
      }
      const call = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.error !== undefined) call?.reject(Object.assign(new Error(data.error), data.details));
      else call?.resolve(data.result);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(new Error(`the engine worker failed: ${event.message ?? 'unknown error'}`));
    };
  }

  // The worker is gone: every waiting call and every later one fails with `error`.
  fail(error) {
    if (this.failure) return;
    this.failure = error;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
    this.worker.terminate();
    this.onFailure?.(error);
  }

  call(method, ...args) {
    return this.callTransferring(method, [], ...args);
  }

  // As call, handing the listed ArrayBuffers to the worker instead of copying them.
  callTransferring(method, transfer, ...args) {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args }, transfer);
    });
  }

  terminate() {
    this.worker.terminate();
  }
}
