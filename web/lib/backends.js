// Two ways to reach a Core with the same asynchronous interface: call(method, ...args)
// returning a promise, and fit events delivered to onEvents(model, events).
// LocalBackend runs the engine in this thread (Node, or a page that asks for it);
// WorkerBackend runs it in a module Web Worker and talks to it by messages. Either may
// have helper engines for data-parallel fit (team.js): Web Workers beside the page's
// engine worker, or worker threads in Node (node_team.js).
import { Core } from './core.js';
import { EngineStopped, dispatch, dispatchSync } from './dispatch.js';
import { inNode, loadEngineModule, loadEngineModuleNow } from './engine_loader.js';
import { Rpc } from './rpc.js';
import { show } from './show.js';

// The engines fit may use for `workers`: a number >= 1, or 'auto' for every core (at
// most MAX_ENGINES).
const MAX_ENGINES = 8;
export function engineCount(workers, cores) {
  if (workers === 'auto' || workers === undefined) return Math.max(1, Math.min(cores || 1, MAX_ENGINES));
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= 64))
    throw new Error(`workers must be 'auto' or a whole number from 1 to 64; got ${show(workers)}`);
  return workers;
}

export class LocalBackend {
  // The engine at once, in Node (engine_loader.js' loadEngineModuleNow), alone; or null.
  static createNow(options) {
    const module = loadEngineModuleNow(options);
    if (!module) return null;
    const backend = new LocalBackend(new Core(module));
    backend.options = options;
    return backend;
  }

  static async create(options) {
    const backend = new LocalBackend(new Core(await loadEngineModule(options)));
    backend.options = options;
    await backend.setWorkers(options.workers ?? 1);
    return backend;
  }

  // Helper engines in worker threads (Node), so that fit uses `workers` engines in all. In
  // a page (ready({worker: false})) the engine runs in the page's thread alone.
  async setWorkers(workers) {
    if (!inNode) {
      engineCount(workers, 1);
      return 1;
    }
    const { availableParallelism } = await import(/* @vite-ignore */ ['node', 'os'].join(':'));
    const count = engineCount(workers, availableParallelism());
    this.helpers?.stop();
    this.helpers = null;
    this.core.setTeam([]);
    if (count > 1) {
      const { startHelpers } = await import(/* @vite-ignore */ new URL('node_team.js', import.meta.url).href);
      // A thread that exits is dropped from the team it belongs to, if that is still the one.
      const helpers = await startHelpers(count - 1, this.options, (index) => {
        if (this.helpers === helpers) this.core.dropHelper(index);
      });
      this.helpers = helpers;
      this.core.setTeam(helpers.ports);
    }
    return this.core.engines();
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

  terminate() {
    this.helpers?.stop();
    this.core.setTeam([]);
  }
}

export class WorkerBackend {
  static async create({ engineUrl, workerUrl, simd, workers, lite = false } = {}) {
    const backend = new WorkerBackend(WorkerBackend.startWorker(workerUrl));
    const { defaultEngineUrl } = await import('./engine_loader.js');
    // (Helper engines load the same module as the leader: models cross between them.)
    backend.engineArgs = [engineUrl ?? defaultEngineUrl(), simd, lite];
    backend.workerUrl = workerUrl;
    await backend.call('init', ...backend.engineArgs);
    // The helpers start with the first fit (or setWorkers), not now: a page's first widget
    // becomes interactive without downloading and compiling the engine a second time.
    backend.wanted = workers ?? 'auto';
    backend.plannedWorkers = engineCount(backend.wanted, globalThis.navigator?.hardwareConcurrency);
    return backend;
  }

  static startWorker(workerUrl) {
    // Written out in full so that the bundler recognizes the worker and bundles it.
    return workerUrl
      ? new Worker(workerUrl, { type: 'module' })
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  }

  // Helper engines, each in its own Web Worker with a MessagePort to the engine worker, so
  // that fit uses `workers` engines in all ('auto': one per core). A helper that cannot
  // start, or stops later, is left out; fit then computes its shares itself.
  async setWorkers(workers) {
    const count = engineCount(workers, globalThis.navigator?.hardwareConcurrency);
    this.wanted = workers;
    this.helpersStarted = true;
    for (const helper of this.helpers ?? []) helper.terminate();
    this.helpers = [];
    const ports = [];
    const started = await Promise.all(
      Array.from({ length: count - 1 }, async () => {
        const helper = WorkerBackend.startWorker(this.workerUrl);
        const channel = new MessageChannel();
        // After this one call the helper only speaks on the port, and says {fatal} here if
        // its engine traps (before the answer, the start fails).
        const entry = { helper, port: channel.port1, stopped: () => {} };
        let starting = null;
        const rpc = new Rpc(helper, {
          onNotice: (data) => data.fatal && (starting ? starting(new Error(data.fatal)) : entry.stopped()),
        });
        try {
          await new Promise((resolve, reject) => {
            starting = reject;
            helper.onerror = (event) => reject(new Error(event.message ?? 'the helper worker failed'));
            rpc
              .request({ method: 'helper', args: [...this.engineArgs, channel.port2] }, [channel.port2])
              .then(resolve, reject);
          });
          starting = null;
        } catch {
          helper.terminate();
          return null;
        }
        return entry;
      }),
    );
    for (const entry of started.filter(Boolean)) {
      const index = ports.length;
      entry.stopped = (event) => {
        event?.preventDefault?.();
        entry.helper.terminate();
        this.call('dropHelper', index).catch(() => {});
      };
      entry.helper.onerror = entry.stopped;
      this.helpers.push(entry.helper);
      ports.push(entry.port);
    }
    await this.callTransferring('setTeam', ports, ports);
    return 1 + ports.length;
  }

  constructor(worker) {
    this.worker = worker;
    this.mode = 'worker';
    this.sync = false;
    this.onEvents = null;
    this.failure = null;
    // Besides answers the worker sends fit's events; a fatal answer (its engine trapped)
    // ends it.
    this.rpc = new Rpc(worker, {
      onNotice: (data) => data.events && this.onEvents?.(data.model, data.events),
      onFatal: (error) => this.fail(error),
    });
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(new Error(`the engine worker failed: ${event.message ?? 'unknown error'}`));
    };
  }

  // The worker is gone: every waiting call and every later one fails with `error`.
  fail(error) {
    if (this.failure) return;
    this.failure = error;
    this.rpc.fail(error);
    this.worker.terminate();
    for (const helper of this.helpers ?? []) helper.terminate();
    this.onFailure?.(error);
  }

  // The first fit starts the helpers first; calls made meanwhile wait behind it, in order.
  call(method, ...args) {
    if (method === 'fit' && !this.helpersStarted) {
      this.helpersStarted = true;
      const gate = this.setWorkers(this.wanted)
        .catch(() => {})
        .then(() => {
          if (this.gate === gate) this.gate = null;
        });
      this.gate = gate;
    }
    if (this.gate) return this.gate.then(() => this.callTransferring(method, [], ...args));
    return this.callTransferring(method, [], ...args);
  }

  // As call, handing the listed ArrayBuffers to the worker instead of copying them.
  callTransferring(method, transfer, ...args) {
    return this.rpc.request({ method, args }, transfer);
  }

  terminate() {
    this.worker.terminate();
    for (const helper of this.helpers ?? []) helper.terminate();
  }
}
