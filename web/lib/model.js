// The Sequential model: layers, compile, fit (stepped in the engine, with pause, step,
// resume and stop), evaluate, predict and introspection.
import { exampleFactories } from './catalog.js';
import { takeInputLayer } from './input_layer.js';
import { noSampleWeight } from './sample_weight.js';
import { engine, newId, registry } from './engine.js';
import { engineMetric, logNaming } from './log_names.js';
import { runFit } from './model_fit.js';
import { maximizeActivation } from './maximize.js';
import { replaceHead } from './transfer.js';
import { summary } from './model_summary.js';
import { Tensor, fill, idOf } from './tensor.js';
import { MODEL_MEMBERS, addLayerMembers, applyTrainable, followLayers, releaseLayers, whenBuilt } from './weights.js';
import { noteAdded } from './lazy_build.js';

function checkTensor(t, what) {
  if (!(t instanceof Tensor))
    throw new Error(`${what} must be a Tensor made with dl.tensor(); got ${t?.constructor?.name ?? typeof t}`);
  t.check(what);
}

export class Sequential {
  constructor({ layers: initial = [], seed = 0 } = {}) {
    this.layerConfigs = [];
    this.seed = seed;
    this.id = newId();
    this.owner = engine();
    this.built = null;
    this.training = null;
    this.disposed = false;
    initial.forEach((l) => this.add(l));
  }

  add(layer) {
    if (takeInputLayer(this, layer)) return;
    if (this.built)
      throw new Error('add: the model is already built (by compile, summary or predict); add layers first');
    if (typeof layer !== 'object' || layer === null || typeof layer.type !== 'string')
      throw new Error(`add: expected a layer made by ${exampleFactories()}`);
    if (!Object.hasOwn(layer, 'getWeights')) addLayerMembers(layer); // (a plain config)
    this.layerConfigs.push(layer);
    noteAdded(layer, this);
  }

  // What the engine builds: a chain; a graph model (functional.js) gives its graph.
  description() {
    return { seed: this.seed, layers: this.layerConfigs };
  }

  // Creates the engine model on first use; its errors (shapes, names) surface here. Where
  // the engine runs in this thread it is made at once (so that predict can be read with
  // dataSync).
  build() {
    if (this.disposed) return Promise.reject(new Error('this model has been disposed'));
    if (!this.built) {
      const description = this.description();
      const made = (info) => {
        registry.register(this, { kind: 'model', id: this.id, owner: this.owner }, this);
        this.info = info;
        return whenBuilt(this, info);
      };
      if (this.owner.sync) {
        try {
          this.built = Promise.resolve(made(this.owner.callSync('createModel', this.id, description)));
        } catch (error) {
          this.buildError = error;
          this.built = Promise.reject(error);
        }
      } else {
        this.built = this.owner.call('createModel', this.id, description).then(made);
      }
      this.built.catch(() => {});
    }
    return this.built;
  }

  // Returns a promise; not awaiting it is fine, as in TensorFlow.js: a compile error is
  // then reported by the next call that needs the compiled model.
  compile({ optimizer = 'sgd', loss, metrics = [], fromLogits = false, lossWeights } = {}) {
    applyTrainable(this);
    const config = { optimizer, loss, metrics, fromLogits, ...(lossWeights ? { lossWeights } : {}) };
    this.compileConfig = config;
    // (The engine's spelling of each metric, "MSE" is "mse", once its catalog is loaded.)
    const spell = (m) => (typeof m === 'string' ? engineMetric(m) : Array.isArray(m) ? m.map(spell) : m);
    const engineConfig = () => ({ ...config, metrics: Array.isArray(metrics) ? metrics.map(spell) : metrics });
    this.compiledNow = false;
    const built = this.build();
    if (this.owner.sync && this.info) {
      try {
        this.owner.callSync('compile', this.id, engineConfig());
        this.compiled = Promise.resolve();
        this.compiledNow = true;
      } catch (error) {
        this.compiled = Promise.reject(error);
      }
    } else {
      this.compiled = built.then(() => this.owner.call('compile', this.id, engineConfig()));
      const compiled = this.compiled;
      // Once compiled, what waits for it can run at once (dataSync of evaluate).
      compiled.then(
        () => (this.compiledNow = this.compiled === compiled),
        () => {},
      );
    }
    this.compiled.catch(() => {});
    return this.compiled;
  }

  // What a tensor computed from this model waits for: its engine model (compiled).
  wait(call, compiled = false) {
    if (this.disposed) throw new Error(`${call}: this model has been disposed`);
    const built = this.build();
    // Known at once where the engine runs in this thread: thrown, as TensorFlow.js does.
    if (this.buildError) throw this.buildError;
    if (compiled && !this.compiled)
      throw new Error(`${call}: the model is not compiled; call compile({optimizer, loss}) first`);
    followLayers(this);
    const created = compiled ? this.compiled : built;
    // A weight write still on its way to a worker's engine (weights.js) goes first.
    if (this.writing) return { settled: false, created: Promise.all([created, this.writing]) };
    return { settled: compiled ? this.compiledNow : Boolean(this.info), created };
  }

  async ready(call) {
    if (this.disposed) throw new Error(`${call}: this model has been disposed`);
    await this.build();
    followLayers(this);
    await this.writing;
  }

  async readyCompiled(call) {
    await this.ready(call);
    if (!this.compiled) throw new Error(`${call}: the model is not compiled; call compile({optimizer, loss}) first`);
    await this.compiled;
  }

  // TensorFlow.js' fit arguments (docs/api.md has them all): epochs, batchSize,
  // validationSplit, validationData ([x, y] or [x, y, sampleWeight]), shuffle, classWeight,
  // sampleWeight (Keras': (N) or (N, T), see fit_options.js), initialEpoch, callbacks
  // (objects with onTrainBegin, onEpochBegin, onBatchEnd(batch, logs, info), onEpochEnd,
  // onTrainEnd, onDiverged({epoch, batch}), or dl.callbacks entries); ours: startPaused,
  // pace, augment, schedule, workers and splitBatches. A loss that turns NaN or infinite
  // stops training with the last finite weights (the result's `diverged`). Ignored as
  // fit_options.js says. pause, resume, step and stop called while fit is still starting
  // wait for it to start.
  async fit(x, y, args = {}) {
    let posted;
    const starting = (this.fitStarting = new Promise((resolve) => (posted = resolve)));
    const made = []; // sample weights made from arrays, disposed after
    try {
      return await this.runFit(x, y, args, posted, made);
    } finally {
      posted();
      if (this.fitStarting === starting) this.fitStarting = null;
      made.forEach((t) => t.dispose());
    }
  }

  runFit(x, y, args, posted, made) {
    return runFit(this, x, y, args, posted, made);
  }

  // The log names as TensorFlow.js writes them for the compiled metrics (log_names.js).
  get logNaming() {
    const config = this.compileConfig;
    if (!config) return null;
    if (this.namedFor !== config) {
      const several = this.outputSpec && this.outputNames?.length > 1;
      this.naming = logNaming(config.metrics, several ? this.outputNames : null);
      this.namedFor = config;
    }
    return this.naming;
  }

  // TensorFlow.js' metricsNames: "loss", then the compiled metrics' log names.
  get metricsNames() {
    return this.logNaming?.names;
  }

  // TensorFlow.js' flag: setting it ends fit after the current batch.
  set stopTraining(value) {
    if (value) this.stop();
  }

  stop() {
    Promise.resolve(this.fitStarted()).then(() => {
      if (this.training) this.owner.call('stop', this.id).catch(() => {});
    });
  }

  // fit's start, for calls that must come after it; not from its onTrainBegin callbacks,
  // which run before it starts.
  fitStarted() {
    return this.beginning ? null : this.fitStarting;
  }

  async pause() {
    await this.fitStarted();
    return this.owner.call('pause', this.id);
  }

  async resume() {
    await this.fitStarted();
    return this.owner.call('resume', this.id);
  }

  // While paused: trains exactly one batch; resolves with that batch's event.
  async step() {
    await this.fitStarted();
    return this.owner.call('step', this.id);
  }

  // While fit runs: at most `pace` batches per second (so that views can be watched), or
  // null for full speed. fit takes the same as its `pace` option.
  async setPace(pace) {
    await this.ready('setPace');
    return this.owner.call('setPace', this.id, pace);
  }

  async setLearningRate(rate) {
    await this.readyCompiled('setLearningRate');
    return this.owner.call('setLearningRate', this.id, rate);
  }

  async learningRate() {
    await this.readyCompiled('learningRate');
    return this.owner.call('learningRate', this.id);
  }

  // TensorFlow.js' trainOnBatch: one update on x and y; resolves with the loss, or with
  // [loss, ...metrics] in metricsNames' order when compiled with metrics.
  async trainOnBatch(x, y) {
    await this.readyCompiled('trainOnBatch');
    const xId = await idOf(x, 'trainOnBatch: x');
    const logs = await this.owner.call('trainOnBatch', this.id, xId, await idOf(y, 'trainOnBatch: y'));
    const values = this.logNaming.engine.map((name) => logs[name]);
    return values.length === 1 ? values[0] : values;
  }

  // TensorFlow.js' evaluate: the loss as a scalar Tensor, or [loss, ...metrics] when the
  // model was compiled with metrics; returned at once, computed in the engine.
  // evaluateMetrics gives the whole report.
  evaluate(x, y, { batchSize = 32, sampleWeight } = {}) {
    noSampleWeight(sampleWeight, 'evaluate');
    const model = this.wait('evaluate', true);
    checkTensor(x, 'evaluate: x');
    checkTensor(y, 'evaluate: y');
    const scalars = [0, ...this.compileConfig.metrics].map(() => new Tensor([]));
    fill(scalars, [model, x, y], 'evaluateInto', [this.id, x.id, y.id, batchSize, scalars.map((t) => t.id)]);
    return scalars.length === 1 ? scalars[0] : scalars;
  }

  // {loss, metrics, and for classification: classes, confusionMatrix, precision, recall, f1, rocAuc}
  async evaluateMetrics(x, y, { batchSize = 32 } = {}) {
    await this.readyCompiled('evaluateMetrics');
    return this.owner.call(
      'evaluate',
      this.id,
      await idOf(x, 'evaluateMetrics: x'),
      await idOf(y, 'evaluateMetrics: y'),
      batchSize,
    );
  }

  // TensorFlow.js' predict: the outputs for every row of x, as a Tensor returned at once
  // and computed in the engine (read it with data(), array() or dataSync()).
  // probabilities: for a model compiled with fromLogits, the probabilities its outputs
  // stand for (softmax, or sigmoid for one output) instead of the logits.
  predict(x, { batchSize = 32, probabilities = false } = {}) {
    const model = this.wait('predict');
    checkTensor(x, 'predict: x');
    const out = new Tensor(this.info && x.shape ? [x.shape[0], ...this.info.outputShape] : null);
    fill([out], [model, x], 'predictInto', [this.id, x.id, out.id, batchSize, Boolean(probabilities)]);
    return out;
  }

  // The same read at once: {shape, values}.
  async predictValues(x, { batchSize = 32, probabilities = false } = {}) {
    await this.ready('predictValues');
    return this.owner.call('predict', this.id, await idOf(x, 'predictValues: x'), batchSize, Boolean(probabilities));
  }

  // [{layer, name, shape, values}] for every kernel, bias and statistic, in the engine's
  // order (each layer's in turn). getWeights is this in the page's library; programs get
  // TensorFlow.js' getWeights (tfjs_model_weights.js).
  async weightEntries() {
    await this.ready('getWeights');
    return this.owner.call('weights', this.id);
  }

  getWeights() {
    return this.weightEntries();
  }

  // Replaces every weight: an array of Float32Arrays (or {values}) in weightEntries() order.
  // Checked whole first; a rejected call changes nothing.
  async setWeights(weights) {
    await this.ready('setWeights');
    const values = weights.map((w) => (ArrayBuffer.isView(w) ? w : w?.values));
    if (values.some((v) => !(v instanceof Float32Array)))
      throw new Error('setWeights: expected Float32Arrays or {values: Float32Array} objects, one per weight');
    return this.owner.call('setWeights', this.id, values);
  }

  // [{layer, shape, values}]: every layer's output for x, in inference mode.
  async activations(x) {
    await this.ready('activations');
    return this.owner.call('activations', this.id, await idOf(x, 'activations: x'));
  }

  // {shape, values}: the gradient of output number outputIndex with respect to x.
  async saliency(x, outputIndex) {
    await this.ready('saliency');
    return this.owner.call('saliency', this.id, await idOf(x, 'saliency: x'), outputIndex);
  }

  // {shape, values}: the gradient of unit `unit` of layer number `layer` (a channel's mean
  // over its map) with respect to x.
  async unitGradient(x, layer, unit) {
    await this.ready('unitGradient');
    return this.owner.call('unitGradient', this.id, await idOf(x, 'unitGradient: x'), layer, unit);
  }

  // What the network "wants to see": gradient ascent on the input from noise towards a
  // large value of one unit (maximize.js). Resolves with {shape, values, value}.
  maximizeActivation(options = {}) {
    return maximizeActivation(this, options);
  }

  // Transfer learning (transfer.js): a new, uncompiled model of this one's layers but the
  // last `remove`, with their trained weights and frozen (unless freeze is false), then `add`.
  replaceHead(options = {}) {
    return replaceHead(this, options);
  }

  // [{layer, name, weights: stats, gradients: stats}], stats = {mean, std, min, max, histogram}.
  async layerStatistics({ bins = 20 } = {}) {
    await this.ready('layerStatistics');
    return this.owner.call('parameterStatistics', this.id, bins);
  }

  // [{name, type, outputShape, parameters}]
  async layerInfo() {
    await this.ready('layerInfo');
    return (await this.build()).layers;
  }

  // The Keras-style table (model_summary.js).
  summary(...args) {
    return summary(this, args);
  }

  // Frees the engine model; a running fit is stopped first.
  async dispose() {
    if (this.disposed) return;
    this.disposed = true;
    await this.fitStarted();
    if (this.training) {
      this.stop();
      await this.training.catch(() => {});
    }
    if (!this.built) return;
    registry.unregister(this);
    await this.built.then(
      async () => {
        await releaseLayers(this);
        return this.owner.call('disposeModel', this.id);
      },
      () => {},
    );
  }
}

// weights, trainableWeights, nonTrainableWeights, inputs, outputs, layers, getLayer, ... (weights.js)
Object.defineProperties(Sequential.prototype, MODEL_MEMBERS);

export function sequential(config) {
  return new Sequential(config);
}
