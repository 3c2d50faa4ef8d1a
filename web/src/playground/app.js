// One playground: holds the state, the data set and the current model, runs training,
// and tells its panels what changed through events. The full page and the embeddable
// widget are both one Playground with a choice of panels.
import * as dl from '../../lib/layers_api.js';
import { show } from '../../lib/layers_api.js';
import { dataInfo, describe, ensureData, useCsvFile } from './datasets.js';
import { ROW_SETTINGS } from './techniques.js';
import {
  adoptModel,
  applyLive,
  archiveRun,
  buildStateModel,
  compileOptions,
  evaluate,
  keepWeights,
  startFit,
  weightsSnapshot,
} from './training.js';
import {
  ADDRESS_KEYS,
  DATA_SETS,
  DATA_SETTINGS,
  completeState,
  decodeState,
  defaultState,
  encodeState,
  editableCopy,
  paceOf,
  presetState,
  renumber,
  targetKind,
  taskProblem,
  VIEW_SETTINGS,
} from './state.js';

// Settings that change a model while it trains rather than making a new one.
const LIVE_SETTINGS = ['learningRate', 'epochs', 'speed'];

// Every playground on the page: when the (shared) engine dies they all stop, and a
// restart brings them all back.
const playgrounds = new Set();
let watchingEngine = false;

export async function restartEngine() {
  await dl.restart();
  await Promise.all([...playgrounds].map((p) => p.afterEngineRestart()));
}

// Events: 'state' (settings changed), 'data' (a data set loaded), 'model' (a fresh or
// loaded model is current; detail {problem}), 'batch' and 'epoch' (training progress),
// 'train-state' ('idle', 'training', 'paused', 'done'), 'refresh' (weights changed: views
// redraw), 'status' (a message for the user).
export class Playground extends EventTarget {
  // state: a complete state; preset: the preset it came from (or null); explicit: the names
  // of the settings chosen on purpose (the rest follow the data set, preset and last layer).
  constructor({ state, preset = null, explicit = new Set(), urlSync = false } = {}) {
    super();
    this.state = state ?? defaultState();
    this.preset = state ? preset : 'mlp';
    this.explicit = new Set(explicit);
    this.urlSync = urlSync;
    this.data = null;
    this.dataKey = null;
    this.model = null;
    this.layers = [];
    this.problem = null;
    this.layerError = null;
    this.trainState = 'idle';
    this.runs = []; // the session's finished runs, newest last (the charts show a few)
    this.runCount = 0;
    this.run = null;
    this.csv = null;
    this.generation = 0;
    this.refreshTimer = 0;
    this.engineDown = false;
    this.evaluation = null; // the last evaluation on the test set (training.js)
    // What the views last showed (their panels write it, tests read it).
    this.padPrediction = null;
    this.surfaceDrawnFor = null;
    this.surfaceChecksum = null;
    this.lastSurface = () => null;
    this.saliencyShown = null;
    // On a 2D set, every layer's output over the input plane, as the boundary panel last
    // sampled it ({model, grid, points, maps}); the network view draws its units from it.
    this.unitMaps = null;
    this.networkTiles = 0; // how many units the network view last drew as heatmaps
    this.networkEdges = []; // the network view's lines that each stand for one weight
    this.refreshMs = 60; // while training, the views redraw at most this often
    this.lastRefresh = -Infinity;
    playgrounds.add(this);
    if (!watchingEngine) {
      watchingEngine = true;
      dl.onEngineFailure((error) => playgrounds.forEach((p) => p.engineStopped(error)));
    }
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  say(message, kind = 'info') {
    this.message = message;
    this.emit('status', { message, kind });
  }

  static fromUrl(search) {
    const { state, problems, preset, explicit } = decodeState(search);
    const app = new Playground({ state, preset, explicit, urlSync: true });
    app.urlProblems = problems;
    return app;
  }

  get info() {
    return this.data ?? describe(this.state.data, this.state);
  }

  // Changes settings chosen on purpose (they stay when the data set changes); structural
  // changes make a fresh model, a learning rate change while training applies at once.
  async update(patch) {
    for (const name of Object.keys(patch)) if (name !== 'data') this.explicit.add(name);
    await this.apply(patch);
  }

  // Changes the layer stack: `change` edits a copy of the layers in place.
  editLayers(change) {
    const layers = editableCopy(this.state.layers);
    change(layers);
    return this.update({ layers: renumber(layers) });
  }

  // A preset's whole setup; its settings follow the data set again once another is chosen.
  async usePreset(name) {
    const state = presetState(name);
    this.preset = name;
    this.explicit = new Set();
    await this.apply(state);
  }

  // What a CSV file adds to what DATA_SETS knows: its task, classes and rows.
  get dataInfo() {
    return dataInfo(this.data, this.state);
  }

  completed(state) {
    return completeState(state, { preset: this.preset, explicit: this.explicit, info: this.dataInfo });
  }

  async apply(patch) {
    const before = this.state;
    this.state = this.completed({ ...before, ...patch });
    this.writeUrl();
    const keys = Object.keys(patch);
    // What is shown and the speed never need a new model; the rate and the epochs do not while one trains.
    const live =
      keys.every((k) => VIEW_SETTINGS.includes(k)) ||
      (this.model && this.trainState !== 'idle' && keys.every((k) => LIVE_SETTINGS.includes(k)));
    if (!live) {
      this.layers = [];
      this.layerError = null;
    }
    this.emit('state', { live });
    if (live) return applyLive(this, patch);
    const dataChanged = [...DATA_SETTINGS, ...ROW_SETTINGS].some(
      (k) => k in patch && JSON.stringify(patch[k]) !== JSON.stringify(before[k]),
    );
    await this.rebuild({ reloadData: dataChanged });
  }

  writeUrl() {
    if (!this.urlSync) return;
    // Other parameters of the address (such as ?mnist=) stay as they are.
    const url = new URL(location.href);
    for (const key of ADDRESS_KEYS) url.searchParams.delete(key);
    const written = encodeState(this.state, { preset: this.preset, explicit: this.explicit });
    for (const [key, value] of new URLSearchParams(written)) url.searchParams.set(key, value);
    // Layer lists (~ !) and search spaces (: ;) stay readable.
    url.search = url.searchParams.toString().replace(/%(7E|21|3A|3B)/g, (_, hex) => String.fromCharCode(`0x${hex}`));
    history.replaceState(null, '', url);
  }

  // A CSV file becomes the data set (datasets.js).
  setCsv(file, data = 'csv') {
    return useCsvFile(this, file, data);
  }

  // Makes a new model from the state (after stopping any training) and compiles it; with
  // the keep setting (unless `fresh`) it keeps the trained weights of the layers it shares.
  async rebuild({ reloadData = false, fresh = false } = {}) {
    this.writeUrl();
    const ticket = ++this.generation;
    await this.stopTraining();
    archiveRun(this);
    // Forces a fresh load; the old set stays referenced until then, so that it is freed.
    if (reloadData) this.dataKey = null;
    const old = this.model;
    this.model = null;
    const kept = old && this.state.keep && !fresh ? await weightsSnapshot(old).catch(() => null) : null;
    await old?.dispose().catch(() => {});
    this.problem = null;
    this.layerError = null;
    let data = null;
    try {
      data = await ensureData(this);
    } catch (error) {
      if (ticket !== this.generation) return;
      this.problem = `Data: ${error.message}`;
    }
    if (ticket !== this.generation) return;
    // A CSV file's classes and rows are known now: what follows from them is filled in.
    const completed = this.completed(this.state);
    if (JSON.stringify(completed) !== JSON.stringify(this.state)) {
      this.state = completed;
      this.writeUrl();
      this.emit('state', { live: false });
    }
    const info = data ?? this.info;
    if (!info.inputShape) {
      this.layers = [];
      this.emit('model', { problem: this.problem });
      return;
    }
    const result = await buildStateModel(this.state, info.inputShape);
    if (ticket !== this.generation) {
      await result.model?.dispose();
      return;
    }
    if (result.error) {
      this.layers = result.layers;
      this.layerError = { index: result.index, option: result.error.option || null, message: result.error.message };
      this.problem ??= `Layer ${result.index + 1}: ${result.error.message}`;
      this.emit('model', { problem: this.problem });
      return;
    }
    this.layers = result.built.layers;
    const task = data?.task ?? info.task;
    const outputShape = result.built.outputShape;
    this.problem ??= task === 'auto' ? null : taskProblem({ ...info, task }, this.state.loss, outputShape);
    this.target = targetKind(task, this.state.loss, outputShape[0]);
    const model = result.model;
    try {
      if (kept) await keepWeights(this, kept, model);
      await model.compile(compileOptions(this.state, task));
    } catch (error) {
      this.problem ??= error.message;
    }
    if (ticket !== this.generation) {
      await model.dispose();
      return;
    }
    this.model = model;
    this.setTrainState('idle');
    this.emit('model', { problem: this.problem });
    this.refreshViews();
  }

  // A model from elsewhere (saved in the browser, files, a link) becomes the current one.
  adoptModel(model) {
    return adoptModel(this, model);
  }

  setTrainState(state) {
    this.trainState = state;
    this.emit('train-state', { state });
  }

  // Batches per second at most while training (null: full speed), from the speed setting:
  // slow enough to watch the boundary and the charts change, or as fast as the engine goes.
  get pace() {
    return paceOf(this.state.speed);
  }

  // Asks the views to redraw from the model, at most every `interval` milliseconds.
  refreshViews(interval = 0) {
    // Counted from the last redraw, so that a steady stream of batches gets one redraw
    // every `interval` (not every interval plus the wait for the next batch).
    const due = Math.max(performance.now(), this.lastRefresh + interval);
    if (this.refreshTimer) {
      if (due >= this.refreshDue) return;
      clearTimeout(this.refreshTimer);
    }
    this.refreshDue = due;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = 0;
      this.lastRefresh = performance.now();
      this.weightsCopy = null;
      if (this.model) this.emit('refresh');
    }, due - performance.now());
  }

  // The model's weights, copied out of the engine once per refresh however many views ask.
  weights(model = this.model) {
    if (!this.weightsCopy || this.weightsCopy.model !== model)
      this.weightsCopy = { model, values: model.weightEntries() };
    return this.weightsCopy.values;
  }

  // Starts or resumes training. Returns true once it runs, or false when it cannot (the
  // reason is said and kept in this.problem or this.message).
  async train() {
    if (!this.model || this.problem) {
      this.say(this.problem ?? 'The model is still being built.', 'error');
      return false;
    }
    if (this.trainState === 'paused') {
      await this.model.resume();
      this.setTrainState('training');
      return true;
    }
    if (this.trainState === 'training') return true;
    await this.startFit(false);
    return this.trainState === 'training' || this.trainState === 'done';
  }

  // Starts fit and resolves once the engine has the fit command (not when it ends).
  startFit(startPaused) {
    return startFit(this, startPaused);
  }

  async pause() {
    if (this.trainState !== 'training') return;
    await this.model.pause();
    this.setTrainState('paused');
    this.refreshViews();
    // The test-set views show where the paused model stands (on images that takes seconds
    // and the epochs' validation on the test set says as much, so it waits to be asked).
    if (!this.isImages) this.evaluate().catch(() => {});
  }

  // One batch: starts a paused fit when none is running.
  async step() {
    if (!this.model || this.problem) return;
    if (this.trainState === 'training') await this.pause();
    if (this.trainState !== 'paused') await this.startFit(true);
    if (this.trainState !== 'paused') return;
    const event = await this.model.step().catch((error) => this.say(error.message, 'error'));
    this.refreshViews();
    return event;
  }

  async stopTraining() {
    if (!this.fitting) return;
    const fit = this.fitting;
    this.model?.stop();
    if (this.trainState === 'paused') await this.model?.resume().catch(() => {});
    await fit.catch(() => {});
  }

  // Fresh weights for the same settings; the finished run stays on the charts, faint.
  async reset() {
    await this.rebuild({ fresh: true });
    this.say('The network has fresh weights.');
  }

  // After the engine restarted: every engine object is gone.
  engineStopped(error) {
    this.generation++;
    this.engineDown = true;
    this.model = null;
    this.fitting = null;
    const what = error.message.charAt(0).toUpperCase() + error.message.slice(1);
    this.problem = `${what}. Your settings are kept; restart the engine to go on.`;
    this.setTrainState('idle');
    this.emit('model', { problem: this.problem });
  }

  async afterEngineRestart() {
    this.engineDown = false;
    this.model = null;
    this.data?.forgetTensors();
    this.fitting = null;
    this.setTrainState('idle');
    await this.rebuild();
  }

  // Evaluates the model on the test set (see training.js); emits 'evaluated'.
  evaluate() {
    return evaluate(this);
  }

  // The test image the probing views look at.
  choose(index) {
    const count = this.data?.testCount ?? 0;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      this.say(`Test image numbers go from 0 to ${count - 1}; got ${show(index)}.`, 'error');
      return;
    }
    this.chosenImage = index;
    this.emit('choose', { index });
  }

  get task() {
    return this.data?.task ?? this.info.task;
  }

  get isImages() {
    return Boolean(DATA_SETS[this.state.data]?.image);
  }
}
