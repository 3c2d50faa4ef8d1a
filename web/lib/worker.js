// The module Web Worker that runs the engine for a page, answering the page's Rpc
// (rpc.js): requests {id, method, args} (method is one of Core's CALLS, or 'init'), and
// notices {events, model} carrying fit's batch and epoch events, sent in bundles at most
// FLUSH_MS apart so that a fast model does not flood the page with messages. The same
// script runs a helper engine of a team (team.js): 'helper' with a MessagePort to the
// leader.
import { Core } from './core.js';
import { EngineStopped, dispatch } from './dispatch.js';
import { loadEngineModule } from './engine_loader.js';
import { serve } from './rpc.js';
import { serveTeam } from './team.js';

const FLUSH_MS = 40;
let core = null;
const flushes = new Set(); // each running fit's flush of its pending events

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

serve(
  self,
  async ({ method, args }) => {
    if (method === 'init') {
      core ??= new Core(await loadEngineModule({ engineUrl: args[0], simd: args[1], lite: args[2] }));
      return true;
    }
    if (method === 'helper') {
      const engine = await loadEngineModule({ engineUrl: args[0], simd: args[1], lite: args[2] });
      // A first product lets the compiler tier up before the first share is timed.
      engine.warmUpKernels();
      // A trap in a share is told to the leader (its answer) and to the page, which drops
      // this helper.
      serveTeam(args[3], engine, (error) => {
        self.postMessage({ fatal: error.message });
        self.close();
      });
      return true;
    }
    if (!core) throw new Error('the engine is not loaded yet');
    if (method === 'fit') {
      const { emit, flush } = fitEmitter(args[0]);
      flushes.add(flush);
      try {
        return await dispatch(core, method, args, emit);
      } finally {
        flushes.delete(flush);
        flush();
      }
    }
    const result = await dispatch(core, method, args);
    // Once paused, the batches already trained are told at once (not after whatever the
    // page asks next, which may take seconds).
    if (method === 'pause') flushes.forEach((f) => f());
    return result;
  },
  // A trap (abort, out of memory, a bug) leaves the engine unusable: its answer says so
  // (the page then fails every call) and the worker stops.
  { isFatal: (error) => error instanceof EngineStopped, onFatal: () => self.close() },
);
