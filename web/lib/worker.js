// The module Web Worker that runs the engine for a page. Messages in: {id, method, args}
// (method is one of Core's CALLS, or 'init'). Messages out: {id, result} or {id, error, details}, and
// {events, model} carrying fit's batch and epoch events, sent in bundles at most FLUSH_MS
// apart so that a fast model does not flood the page with messages. The same script runs
// a helper engine of a team (team.js): 'helper' with a MessagePort to the leader.
import { Core } from './core.js';
import { EngineStopped, dispatch } from './dispatch.js';
import { loadEngineModule } from './engine_loader.js';
import { serveTeam } from './team.js';

const FLUSH_MS = 40;
let core = null;
const flushes = new Set(); // each running fit's flush of its pending events

// The Float32Arrays in a result, to transfer rather than copy.
function transferables(value, found = []) {
  if (ArrayBuffer.isView(value)) found.push(value.buffer);
  else if (Array.isArray(value)) value.forEach((v) => transferables(v, found));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => transferables(v, found));
  return found;
}

// Batches events: the first event after a flush schedules the next flush FLUSH_MS later;
// epoch ends and steps taken while paused go out at once.
function fitEmitter(model) {
  let pending = [];
  let timer = null;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (pending.length) self.postMessage({ model, events: pending });
    pending = [];
  };
  const emit = (event) => {
    pending.push(event);
    if (event.type === 'epoch' || core.models.get(model)?.fit?.paused) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  };
  return { emit, flush };
}

self.onmessage = async ({ data: { id, method, args } }) => {
  try {
    let result;
    if (method === 'init') {
      core ??= new Core(await loadEngineModule({ engineUrl: args[0], simd: args[1] }));
      result = true;
    } else if (method === 'helper') {
      const engine = await loadEngineModule({ engineUrl: args[0], simd: args[1] });
      // A first product lets the compiler tier up before the first share is timed.
      engine.warmUpKernels();
      serveTeam(args[2], engine, (error) => {
        self.postMessage({ fatal: error.message });
        self.close();
      });
      result = true;
    } else if (!core) {
      throw new Error('the engine is not loaded yet');
    } else if (method === 'fit') {
      const { emit, flush } = fitEmitter(args[0]);
      flushes.add(flush);
      try {
        result = await dispatch(core, method, args, emit);
      } finally {
        flushes.delete(flush);
        flush();
      }
    } else {
      result = await dispatch(core, method, args);
      // Once paused, the batches already trained are told at once (not after whatever
      // the page asks next, which may take seconds).
      if (method === 'pause') flushes.forEach((f) => f());
    }
    self.postMessage({ id, result }, transferables(result));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A trap (abort, out of memory, a bug) leaves the engine unusable: say so and stop.
    if (error instanceof EngineStopped) {
      self.postMessage({ fatal: message });
      self.close();
      return;
    }
    // What the engine says about where the error is (a layer's index, an option) goes too.
    self.postMessage({ id, error: message, details: error instanceof Error ? { ...error } : undefined });
  }
};
