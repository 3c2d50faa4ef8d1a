// Data-parallel training: several engines, one batch. The engine that runs fit (the
// leader) cuts each batch into shares; each helper engine (in its own Web Worker, or a
// worker thread in Node) gets its rows and the current weights over a MessagePort and
// sends back their gradients, predictions and batch statistics; the leader adds them to
// its own share's and makes the one update. Buffers are transferred, not shared, so this
// works on any page, without cross-origin isolation.
//
// Whether a batch is worth splitting is measured while training (SplitChooser): a small
// model or batch stays on one engine when the messages cost more than the halved work.

import { Rpc, serve, transferables } from './rpc.js';
import { show } from './show.js';

// ----- the leader's side -----

export class Team {
  // ports: one MessagePort per helper.
  constructor(ports) {
    this.links = ports.map((port) => new Link(port));
  }

  // Helpers that have not failed.
  get helpers() {
    return this.links.filter((link) => !link.failure);
  }

  // Helper `index` is gone (its worker died): its waiting and later requests fail.
  drop(index) {
    this.links[index]?.fail(new Error('the helper worker stopped'));
  }

  close() {
    for (const link of this.links) {
      link.fail(new Error('the team was closed'));
      link.port.close?.();
    }
  }
}

// The leader's end of one helper's port: its requests, and which models it has built.
class Link {
  constructor(port) {
    this.port = port;
    this.rpc = new Rpc(port);
    this.models = new Map(); // model key -> the description object this helper has built
  }

  get failure() {
    return this.rpc.failure;
  }

  request(message, transfer = []) {
    return this.rpc.request(message, transfer);
  }

  fail(error) {
    this.rpc.fail(error);
  }

  // The helper's copy of model `key` is built from `model` (the leader's description and
  // compile options) unless it already is.
  prepare(key, model) {
    if (this.models.get(key) === model) return Promise.resolve();
    this.models.set(key, model);
    const built = this.request({ type: 'model', key, description: model.description, compile: model.compile });
    built.catch(() => this.models.delete(key));
    return built;
  }

  // Frees the helper's copy of model `key`.
  forget(key) {
    if (!this.models.delete(key)) return;
    this.request({ type: 'drop', key }).catch(() => {});
  }

  // Posted at once (before the leader starts its own share), after the model's copy is
  // built (its request goes first on the same port).
  share(key, model, message) {
    const prepared = this.prepare(key, model);
    const transfer = transferables(message);
    const result = this.request({ type: 'share', key, ...message }, transfer);
    result.catch(() => {}); // a failed build rejects both; the build's error is the one told
    return prepared.then(() => result);
  }
}

// Row bounds of `parts` shares of a batch of `rows`: [0, b1, ..., rows]. The leader's
// share (the first) has `lead` rows, the others split the rest evenly; by default all alike.
export function cutRows(rows, parts, lead = rows / parts) {
  const rest = (rows - lead) / (parts - 1 || 1);
  return Array.from({ length: parts + 1 }, (_, k) => (k === 0 ? 0 : Math.round(lead + rest * (k - 1))));
}

// How many rows the leader takes so that it and its helpers finish together. A helper's
// share costs what the leader's would plus a delay (its messages, copying the weights in
// and the gradients out), which the leader learns from how long it waits for the answers
// after its own share: the delay is worth delay/perRow rows, which the leader takes over,
// shared among the helpers. Measurements are damped (an average of the last ones), so one
// slow answer does not move the cut far; when the leader did not wait at all, the helpers
// may have had time to spare, and the delay is taken at a quarter of what it can be at most,
// so that the cut creeps back.
export class ShareBalance {
  constructor() {
    this.delayMs = 0;
  }

  lead(rows, parts) {
    const perRow = this.perRowMs;
    const extra = perRow > 0 ? this.delayMs / perRow : 0;
    const lead = Math.round((rows + (parts - 1) * extra) / parts);
    return Math.min(rows - (parts - 1), Math.max(1, lead));
  }

  // ownRows took ownMs here; then the leader waited waitMs for its helpers, whose shares
  // had helperRows rows each.
  record(ownRows, ownMs, waitMs, helperRows) {
    if (ownRows < 1 || ownMs <= 0) return;
    this.perRowMs = ownMs / ownRows;
    // The helpers took ownMs + waitMs for helperRows: their delay over the leader's pace.
    const seen = ownMs + waitMs - helperRows * this.perRowMs;
    this.delayMs = 0.8 * this.delayMs + 0.2 * Math.max(0, waitMs > 0.1 ? seen : seen * 0.25);
  }
}

const SILENT_MS = 5000;

// Runs the next batch of `session` (fit's, in a Core): split among the team's helpers
// when `chooser` says so. `entry` is the Core's model entry ({handle, blueprint: {description,
// compile}}). Returns the number of engines that computed it.
export async function runBatch({ session, entry, key, team, chooser, options, limit, clock }) {
  const start = clock();
  const rows = session.beginBatch();
  const helpers = (team?.helpers ?? []).slice(0, Math.max(0, limit - 1));
  const split = chooser.split(rows, helpers.length + 1);
  if (split) {
    await shareBatch({
      session,
      handle: entry.handle,
      key,
      model: entry.blueprint,
      helpers,
      rows,
      options,
      spare: entry.spare,
      balance: chooser.balance,
    });
  } else {
    session.computeShare(0, rows);
    session.finishBatch();
  }
  chooser.record(split, clock() - start, rows);
  return split ? helpers.length + 1 : 1;
}

// One batch of `session` (already begun, `rows` rows) shared with the team's helpers:
// the leader computes the first share while they compute theirs. A share whose helper
// fails is computed here instead, on a spare copy of the model (spare(): a ModelHandle of
// this engine), and that helper is not asked again.
export async function shareBatch({ session, handle, key, model, helpers, rows, options, spare, balance }) {
  const bounds = cutRows(rows, helpers.length + 1, balance?.lead(rows, helpers.length + 1));
  const calls = helpers.map((link, k) => {
    const [begin, end] = [bounds[k + 1], bounds[k + 2]];
    const { x, y, noiseSeed, sampleWeight } = session.batchShare(begin, end);
    // The buffers this helper sent back last time carry this batch's weights there and
    // its gradients and predictions back (all transferred), so that no batch allocates
    // them anew: fresh buffers of that size cost more than the copies (V8's collector).
    const kept = link.buffers;
    link.buffers = null;
    const weights = weightsFor(handle, kept?.weights);
    const reuse = kept && { gradients: kept.gradients, predictions: kept.predictions };
    const message = { weights, x, y, first: begin, rows, seed: noiseSeed, options, sampleWeight, reuse };
    return link.share(key, model, message).then(
      (result) => ({ begin, end, result }),
      () => ({ begin, end, result: null }),
    );
  });
  const start = Date.now();
  const ownStart = performance.now();
  session.computeShare(0, bounds[1]);
  const ownMs = performance.now() - ownStart;
  // A helper that has not answered long after the leader's own share took is taken for
  // dead (a worker can end without a word, as when its tab runs out of memory).
  const patience = Math.max(SILENT_MS, 20 * (Date.now() - start));
  const timers = [];
  const answers = calls.map((call, k) =>
    Promise.race([
      call,
      new Promise((resolve) => timers.push(setTimeout(resolve, patience))).then(() => {
        helpers[k].fail(new Error(`the helper did not answer within ${patience} ms`));
        return { begin: bounds[k + 1], end: bounds[k + 2], result: null };
      }),
    ]),
  );
  const answered = await Promise.all(answers);
  timers.forEach(clearTimeout);
  if (answered.every((a) => a.result))
    balance?.record(bounds[1], ownMs, performance.now() - ownStart - ownMs, bounds[2] - bounds[1]);
  for (let [k, { begin, end, result }] of answered.entries()) {
    if (!result) {
      const { x, y, noiseSeed, sampleWeight } = session.batchShare(begin, end);
      const copy = spare();
      copy.setWeightsFlat(handle.weightsFlat()); // unchanged until finishBatch
      result = copy.shareGradients(x, y, begin, rows, noiseSeed, options, sampleWeight, null);
    }
    session.addShare(begin, end, result);
    if (result.weights)
      helpers[k].buffers = { weights: result.weights, gradients: result.gradients, predictions: result.predictions };
  }
  session.finishBatch();
}

// The model's weights in `buffer` when it fits, else in a new array.
function weightsFor(handle, buffer) {
  if (buffer) {
    try {
      handle.weightsInto(buffer);
      return buffer;
    } catch {
      // (another model's size: a new one)
    }
  }
  return handle.weightsFlat();
}

// ----- a helper's side -----

// Answers the leader's requests on `port` with `engine` (a loaded engine module): builds
// its copy of each model, computes shares (their arrays transferred), forgets models. A
// trap ends the helper.
export function serveTeam(port, engine, onFatal = () => {}) {
  const models = new Map();
  const answer = ({ type, key, ...data }) => {
    if (type === 'model') {
      const handle = new engine.Model(JSON.stringify(data.description));
      try {
        handle.compile(JSON.stringify(data.compile));
      } catch (error) {
        handle.delete();
        throw error;
      }
      models.get(key)?.delete();
      models.set(key, handle);
      return true;
    }
    if (type === 'share') {
      const handle = models.get(key);
      if (!handle) throw new Error(`the helper has no model ${show(key)}`);
      handle.setWeightsFlat(data.weights);
      const result = handle.shareGradients(
        data.x,
        data.y,
        data.first,
        data.rows,
        data.seed,
        data.options,
        data.sampleWeight ?? null,
        data.reuse ?? null,
      );
      // The weights' buffer goes back for the next batch's weights.
      return { ...result, weights: data.weights };
    }
    if (type === 'drop') {
      models.get(key)?.delete();
      models.delete(key);
      return true;
    }
    throw new Error(`unknown team request ${show(type)}`);
  };
  serve(port, answer, { isFatal: (error) => error instanceof WebAssembly.RuntimeError, onFatal });
}

// ----- when to split -----

// The measurement: after the first WARM batches (first calls, the compiler tiering up),
// PROBE batches split and PROBE alone, the faster per row (the median) is kept for the
// next REPROBE batches, then measured again. A batch of fewer than 2 * MIN_ROWS rows is
// never split. mode 'always' and 'never' skip the measurement (for tests and benchmarks).
const WARM = 2;
const PROBE = 3;
const REPROBE = 400;
const MIN_ROWS = 4;

// fit's options workers (at most this many engines) and splitBatches, checked: {chooser,
// limit}.
export function splitting(workers = Infinity, splitBatches = 'auto') {
  if (!(workers >= 1)) throw new Error(`fit: workers must be a number >= 1; got ${show(workers)}`);
  if (!['auto', 'always', 'never'].includes(splitBatches))
    throw new Error(`fit: splitBatches must be 'auto', 'always' or 'never'; got ${show(splitBatches)}`);
  return { chooser: new SplitChooser(splitBatches), limit: workers };
}

export class SplitChooser {
  constructor(mode = 'auto') {
    this.mode = mode;
    this.count = 0;
    this.times = { split: [], alone: [] };
    this.choice = 'alone';
    this.balance = new ShareBalance();
  }

  // Whether the next batch of `rows` is split among `engines` (the leader included).
  split(rows, engines) {
    if (engines < 2 || rows < 2 * MIN_ROWS || this.mode === 'never') return false;
    if (this.mode === 'always') return true;
    const phase = this.count % (WARM + 2 * PROBE + REPROBE);
    if (phase < WARM) return false;
    if (phase < WARM + PROBE) return true;
    if (phase < WARM + 2 * PROBE) return false;
    return this.choice === 'split';
  }

  // The time a batch took (compute only, not the pace's waits).
  record(split, ms, rows) {
    const phase = this.count % (WARM + 2 * PROBE + REPROBE);
    this.count += 1;
    if (this.mode !== 'auto' || phase < WARM || phase >= WARM + 2 * PROBE) return;
    this.times[split ? 'split' : 'alone'].push(ms / rows);
    if (phase === WARM + 2 * PROBE - 1) {
      const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
      this.choice = median(this.times.split) < median(this.times.alone) ? 'split' : 'alone';
      this.times = { split: [], alone: [] };
    }
  }
}
