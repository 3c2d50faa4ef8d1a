// The engine's objects by id, and the training loop. Core runs wherever the engine runs:
// in the page's Web Worker, or in the caller's thread (Node). Its methods take and return
// plain data (numbers, strings, objects, Float32Arrays) so that they can cross postMessage.
// Everything but fit is synchronous; fit steps one batch at a time and yields to the event
// loop between batches, so pause, resume, step, stop and new hyperparameters take effect
// between two batches.

import { fitTensors, withLibraryFitOptions } from './fit_options.js';
import { Team, runBatch, splitting } from './team.js';
import { CATCH_UP_MS, Meter, SLICE_MS, checkPace, now, yieldToEventLoop } from './timing.js';

export class Core {
  constructor(engine) {
    this.engine = engine;
    this.tensors = new Map();
    this.models = new Map();
    this.team = null; // helper engines for data-parallel fit (team.js)
  }

  // ports: one MessagePort per helper engine (serveTeam on the other end); [] for none.
  setTeam(ports) {
    this.team?.close();
    this.team = ports.length ? new Team(ports) : null;
  }

  // Helper `index` of the team stopped: fit computes its shares here from now on.
  dropHelper(index) {
    this.team?.drop(index);
  }

  // Engines fit can use: this one and its helpers.
  engines() {
    return 1 + (this.team?.helpers.length ?? 0);
  }

  tensor(id, what = 'tensor') {
    const t = this.tensors.get(id);
    if (!t) throw new Error(`${what}: this tensor was disposed or never created`);
    return t;
  }

  model(id) {
    const m = this.models.get(id);
    if (!m) throw new Error('this model was disposed or never created');
    return m;
  }

  // A scalar (shape []) has rank 0 where the engine has its op table (so that the ops'
  // shapes are TensorFlow.js'), and is one value of shape [1] in the first widget's engine.
  createTensor(id, shape, values) {
    if (!shape.length && this.engine.scalarTensor) {
      this.tensors.set(id, { handle: this.engine.scalarTensor(values ? values[0] : 0), users: 0, shape });
      return;
    }
    const handle = new this.engine.Tensor(shape.length ? shape : [1]);
    try {
      if (values) handle.write(values, 0);
    } catch (error) {
      handle.delete();
      throw error;
    }
    this.tensors.set(id, { handle, users: 0, shape });
  }

  // predict into a new tensor outId; returns its shape.
  predictInto(id, xId, outId, batchSize, probabilities) {
    const { shape, values } = this.predict(id, xId, batchSize, probabilities);
    this.createTensor(outId, shape, values);
    return shape;
  }

  // evaluate, with the loss and each metric also as scalar tensors outIds (in that order).
  evaluateInto(id, xId, yId, batchSize, outIds) {
    const report = this.evaluate(id, xId, yId, batchSize);
    const values = [report.loss, ...Object.values(report.metrics)];
    outIds.forEach((outId, i) => this.createTensor(outId, [], Float32Array.of(values[i] ?? NaN)));
    return report;
  }

  // bytes: a Uint8Array; each value enters the engine as byte * scale.
  createTensorFromBytes(id, shape, bytes, scale) {
    const handle = new this.engine.Tensor(shape);
    try {
      handle.writeBytes(bytes, 0, scale);
    } catch (error) {
      handle.delete();
      throw error;
    }
    this.tensors.set(id, { handle, users: 0 });
  }

  writeTensor(id, values, offset) {
    this.tensor(id).handle.write(values, offset);
  }

  readTensor(id) {
    return this.tensor(id).handle.read();
  }

  // A tensor a running fit reads is freed when that fit ends.
  disposeTensor(id) {
    const t = this.tensors.get(id);
    if (!t) return;
    this.tensors.delete(id);
    if (t.users > 0) t.disposeWhenFree = true;
    else t.handle.delete();
  }

  release(used) {
    for (const t of used) {
      t.users -= 1;
      if (t.users === 0 && t.disposeWhenFree) t.handle.delete();
    }
  }

  createModel(id, description) {
    const handle = new this.engine.Model(JSON.stringify(description));
    // blueprint: what a helper engine builds its copy from; spare(): a copy in this engine, for
    // a share whose helper failed.
    const entry = { handle, fit: null, description, blueprint: null, spareHandle: null };
    entry.spare = () => {
      if (!entry.spareHandle) {
        entry.spareHandle = new this.engine.Model(JSON.stringify(entry.description));
        entry.spareHandle.compile(JSON.stringify(entry.blueprint.compile));
      }
      return entry.spareHandle;
    };
    this.models.set(id, entry);
    return this.describe(id);
  }

  // Each layer's forward multiply-adds per sample, for FLOP counts.
  multiplyAdds(id) {
    return this.model(id).handle.multiplyAdds();
  }

  describe(id) {
    const { handle } = this.model(id);
    return { layers: handle.layers(), inputShape: handle.inputShape(), outputShape: handle.outputShape() };
  }

  compile(id, options) {
    const entry = this.model(id);
    entry.handle.compile(JSON.stringify(options));
    entry.blueprint = { description: entry.description, compile: options };
    entry.spareHandle?.delete();
    entry.spareHandle = null;
  }

  // options: the engine's fit options plus validationData: [xId, yId] or [xId, yId, weightsId]
  // and sampleWeight (an id; fit_options.js' fitTensors). emit(event) is called
  // with {type: 'batch', ...} after every batch and {type: 'epoch', ...} after every epoch;
  // if it returns a promise, training waits for it. A loss that turns NaN or infinite ends
  // training with {type: 'diverged', epoch, batch}, the weights set back to the last finite
  // ones. Resolves with {history, diverged}. With helper engines (setTeam), batches are
  // split among at most `workers` engines when measured faster (splitBatches 'auto'), or
  // always, or never; each batch event says how many engines computed it (`cores`).
  async fit(id, xId, yId, options, emit) {
    const entry = this.model(id);
    if (entry.fit) throw new Error('fit: this model is already training; stop it or wait for it to end');
    const { validationData, startPaused, pace = null, workers, splitBatches, ...rest } = options ?? {};
    checkPace(pace, 'fit');
    const { chooser, limit } = splitting(workers, splitBatches);
    const lookUp = (tensorId, what) => this.tensor(tensorId, what);
    const { engineOptions, used, handles } = fitTensors(lookUp, xId, yId, validationData, rest);
    const teamOptions = JSON.stringify(engineOptions);
    const session = withLibraryFitOptions(() =>
      entry.handle.fitSession(used[0].handle, used[1].handle, teamOptions, ...handles),
    );
    // pace: batches per second at most (so that a person can watch), or null for full speed.
    const control = { session, paused: Boolean(startPaused), stopped: false, steps: [], wake: null, pace };
    const meter = new Meter();
    entry.fit = control;
    used.forEach((t) => (t.users += 1));
    let diverged = null;
    try {
      let sliceStart = now();
      let due = now();
      while (!session.finished()) {
        if (control.stopped) {
          session.stop();
          if (session.epochEnded()) await emit?.({ type: 'epoch', ...session.lastEpoch() });
          break;
        }
        if (control.paused && control.steps.length === 0) {
          await new Promise((resolve) => (control.wake = resolve));
          control.wake = null;
          sliceStart = now();
          meter.restart();
          continue;
        }
        const stepRequest = control.paused ? control.steps.shift() : null;
        const cores = await runBatch({
          session,
          entry,
          key: id,
          team: this.team,
          chooser,
          options: teamOptions,
          limit,
          clock: now,
        });
        if (session.diverged()) {
          const { epoch, batch } = session.lastBatch();
          diverged = { epoch, batch };
          await emit?.({ type: 'diverged', epoch, batch });
          break;
        }
        const batch = session.lastBatch();
        batch.cores = cores;
        meter.add(batch.samples);
        batch.samplesPerSecond = meter.samplesPerSecond;
        batch.batchMs = meter.batchMs;
        await emit?.({ type: 'batch', ...batch });
        if (session.epochEnded()) await emit?.({ type: 'epoch', ...session.lastEpoch() });
        stepRequest?.resolve(batch);
        // With a pace, each batch has its time slot: `due` is when the next may start. A
        // timer wakes later than asked (4 ms at least once nested), so slots missed are
        // made up by running batches back to back, up to CATCH_UP_MS behind.
        due = Math.max(due + 1000 / (control.pace ?? Infinity), now() - CATCH_UP_MS);
        const wait = control.pace && !control.paused ? due - now() : 0;
        if (wait > 1) {
          // Pause, stop and a new pace end the wait early.
          await new Promise((resolve) => {
            control.wake = resolve;
            setTimeout(resolve, wait);
          });
          control.wake = null;
          sliceStart = now();
        } else if (control.paused || now() - sliceStart > SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = now();
        }
      }
      return { history: session.history(), diverged };
    } finally {
      this.release(used);
      for (const request of control.steps) request.reject(new Error('step: the fit ended before this step ran'));
      session.delete();
      entry.fit = null;
    }
  }

  running(id, call) {
    const control = this.model(id).fit;
    if (!control) throw new Error(`${call}: the model is not training; start fit first`);
    return control;
  }

  pause(id) {
    this.running(id, 'pause').paused = true;
  }

  resume(id) {
    const control = this.running(id, 'resume');
    control.paused = false;
    control.wake?.();
  }

  // At most `pace` batches per second from now on (null: as fast as the engine goes).
  setPace(id, pace) {
    checkPace(pace, 'setPace');
    const control = this.running(id, 'setPace');
    control.pace = pace;
    control.wake?.();
  }

  // While paused: runs exactly one batch and resolves with its event.
  step(id) {
    const control = this.running(id, 'step');
    if (!control.paused) throw new Error('step: training is running; pause it before stepping one batch');
    return new Promise((resolve, reject) => {
      control.steps.push({ resolve, reject });
      control.wake?.();
    });
  }

  stop(id) {
    const control = this.models.get(id)?.fit;
    if (!control) return;
    control.stopped = true;
    control.wake?.();
  }

  setLearningRate(id, rate) {
    this.model(id).handle.setLearningRate(rate);
  }

  learningRate(id) {
    return this.model(id).handle.learningRate();
  }

  trainOnBatch(id, xId, yId) {
    return this.model(id).handle.trainOnBatch(
      this.tensor(xId, 'trainOnBatch: x').handle,
      this.tensor(yId, 'trainOnBatch: y').handle,
    );
  }

  evaluate(id, xId, yId, batchSize) {
    return this.model(id).handle.evaluate(
      this.tensor(xId, 'evaluate: x').handle,
      this.tensor(yId, 'evaluate: y').handle,
      batchSize,
    );
  }

  predict(id, xId, batchSize, probabilities = false) {
    const { handle } = this.model(id);
    const x = this.tensor(xId, 'predict: x').handle;
    return probabilities ? handle.predictProbabilities(x, batchSize) : handle.predict(x, batchSize);
  }

  activations(id, xId) {
    return this.model(id).handle.activations(this.tensor(xId, 'activations: x').handle);
  }

  saliency(id, xId, outputIndex) {
    return this.model(id).handle.inputGradient(this.tensor(xId, 'saliency: x').handle, outputIndex);
  }

  unitGradient(id, xId, layer, unit) {
    return this.model(id).handle.unitGradient(this.tensor(xId, 'unitGradient: x').handle, layer, unit);
  }

  augment(xId, options, seed) {
    return this.tensor(xId, 'augment: x').handle.augmented(JSON.stringify(options ?? {}), seed);
  }

  weights(id) {
    return this.model(id).handle.weights();
  }

  setWeights(id, values) {
    this.model(id).handle.setWeights(values);
  }

  parameterStatistics(id, bins) {
    return this.model(id).handle.parameterStatistics(bins);
  }

  summary(id) {
    return this.model(id).handle.summary();
  }

  disposeModel(id) {
    const entry = this.models.get(id);
    if (!entry) return;
    if (entry.fit) throw new Error('dispose: the model is training; stop the fit first');
    entry.handle.delete();
    entry.spareHandle?.delete();
    for (const link of this.team?.helpers ?? []) link.forget(id);
    this.models.delete(id);
  }

  // Makes the engine trap, as an abort or an out-of-memory would: for recovery tests.
  trapForTesting() {
    this.engine.trapForTesting();
  }

  info() {
    return { simd: this.engine.simd === 'wasm-simd128', workers: this.engines() };
  }

  // Per-class scores from true and predicted classes (engine/train/metrics.cpp).
  classReport(labels, predictions, classes) {
    return this.engine.classReport(labels, predictions, classes);
  }

  // The engine's catalog of layers, options and names (catalog.js).
  catalog() {
    return JSON.parse(this.engine.catalog());
  }

  memory() {
    return { heapInUse: this.engine.heapInUse(), heapSize: this.engine.HEAP8.length };
  }
}
