// A Sequential that holds JavaScript layers (custom_layers.js) among the engine's: its runs
// of engine layers are engine models of their own, applied on the op tape
// (model_apply.js), and its JavaScript layers' call() runs between them, so that one
// forward is recorded whole and fit is optimizer.minimize over every weight, batch by
// batch, in TensorFlow.js' manner (its logs loss, acc, val_loss, val_acc). predict,
// evaluate, weights, summary and dispose act on the parts.
import { snake } from './catalog.js';
import { takeInputLayer } from './input_layer.js';
import { summary as mixedSummary } from './mixed_summary.js';
import { isCustomLayer, needThisThread } from './layer_registry.js';
import { LayerGraph, graphForward, runsAsLayers } from './mixed_graph.js';
import { Sequential } from './model.js';
import { train } from './optimizers.js';
import { show } from './show.js';
import { Tensor, dispose, keep, oneHot, tensor1d, tidy } from './tensor.js';

// Whether an engine layer's config has weights in a built model (weights.js' members).
function builtLayer(layer) {
  try {
    return Boolean(layer.weights);
  } catch {
    return false; // (not in a built model yet)
  }
}

// The parts: [{engine: Sequential} | {layer}], built in order (each run of engine layers
// made with its input shape, each JavaScript layer built by its build()).
export function parts(model, call) {
  const state = model.mixedState;
  if (state.parts) return state.parts;
  needThisThread(model, call);
  // The engine's layers get names unique in the whole model (each part would name its own
  // "dense" otherwise), as Keras names them: by type, "dense", "dense_1", ...
  const taken = new Set(model.layerConfigs.map((l) => l.name).filter(Boolean));
  for (const layer of model.layerConfigs) {
    if (isCustomLayer(layer) || layer.name) continue;
    const base = snake(layer.type);
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    layer.name = name;
  }
  const list = [];
  let shape = null;
  let run = [];
  const flush = () => {
    if (!run.length) return;
    if (shape && !run[0].inputShape && !run[0].batchInputShape) run[0].inputShape = shape;
    // Weights the layers have already (a model switched at compile to a custom loss) stay.
    const prior = run.map((layer) => (layer.getWeights && builtLayer(layer) ? layer.getWeights() : null));
    const engine = new Sequential({ layers: run, seed: model.seed + list.length });
    engine.wait(call);
    prior.forEach((w, i) => w?.length && run[i].setWeights(w));
    dispose(prior);
    shape = engine.info.outputShape;
    list.push({ engine });
    run = [];
  };
  try {
    for (const layer of model.layerConfigs) {
      if (!isCustomLayer(layer)) {
        run.push(layer);
        continue;
      }
      flush();
      const input = shape ?? layer.batchInputShape?.slice(1);
      if (!input)
        throw new Error(
          `${call}: the first layer (${show(layer.name)}) needs its input shape: inputShape or batchInputShape`,
        );
      layer.ensureBuilt([null, ...input]);
      const out = layer.computeOutputShape([null, ...input]);
      if (!Array.isArray(out) || out.length < 2)
        throw new Error(`${call}: ${show(layer.name)}.computeOutputShape gave ${show(out)}; expected [null, ...]`);
      shape = out.slice(1);
      list.push({ layer, outputShape: out });
    }
    flush();
  } catch (error) {
    list.forEach((p) => p.engine?.dispose());
    throw error;
  }
  state.parts = list;
  state.outputShape = shape;
  return list;
}

// The model's output for x: each part in turn, on the tape when a gradient is taken.
export function forward(model, x, training) {
  needThisThread(model, training ? 'fit' : 'predict');
  if (model.mixedState.graph) return graphForward(model, x, training);
  let t = x;
  for (const p of parts(model, 'forward'))
    t = p.engine ? p.engine.apply(t, { training }) : p.layer.call(t, { training });
  return t;
}

const clipped = (p) => p.clipByValue(1e-7, 1 - 1e-7);
const LOSSES = {
  meanSquaredError: (y, p) => y.sub(p).square().mean(),
  meanAbsoluteError: (y, p) => y.sub(p).abs().mean(),
  categoricalCrossentropy: (y, p) => y.mul(clipped(p).log()).sum(-1).neg().mean(),
  sparseCategoricalCrossentropy: (y, p) =>
    oneHot(y.reshape([-1]).toInt(), p.shape.at(-1))
      .mul(clipped(p).log())
      .sum(-1)
      .neg()
      .mean(),
  binaryCrossentropy: (y, p) => {
    const q = clipped(p);
    return y
      .mul(q.log())
      .add(y.neg().add(1).mul(q.neg().add(1).log()))
      .neg()
      .mean();
  },
};
LOSSES.mse = LOSSES.meanSquaredError;
LOSSES.mae = LOSSES.meanAbsoluteError;

function accuracy(y, p) {
  if (p.shape.at(-1) === 1) return p.greater(0.5).equal(y.greater(0.5)).toFloat().mean();
  const truth = y.shape.at(-1) === p.shape.at(-1) && y.rank === p.rank ? y.argMax(-1) : y.reshape([-1]).toInt();
  return p.argMax(-1).equal(truth).toFloat().mean();
}

export function compile(model, { optimizer = 'sgd', loss, metrics = [] } = {}) {
  const what = 'compile';
  needThisThread(model, what);
  const opt =
    typeof optimizer === 'string' ? train[optimizer]?.() : typeof optimizer?.minimize === 'function' ? optimizer : null;
  if (!opt)
    throw new Error(
      `${what}: optimizer ${show(optimizer)}; expected ${show(Object.keys(train))} or a dl.train optimizer`,
    );
  const lossFn = typeof loss === 'function' ? loss : LOSSES[loss];
  if (!lossFn)
    throw new Error(`${what}: loss ${show(loss)}; expected ${show(Object.keys(LOSSES))} or a function (yTrue, yPred)`);
  const list = (Array.isArray(metrics) ? metrics : [metrics]).map((m) => {
    if (m === 'accuracy' || m === 'acc') return { name: 'acc', fn: accuracy };
    if (typeof m === 'function') return { name: m.name || 'metric', fn: m };
    throw new Error(`${what}: metric ${show(m)}; expected "accuracy" or a function (yTrue, yPred)`);
  });
  if (!model.mixedState.graph) parts(model, what);
  model.mixedState.compiled = { optimizer: opt, loss: lossFn, metrics: list };
  model.mixedState.given = { optimizer: opt, loss, metrics: Array.isArray(metrics) ? metrics : [metrics] };
  return Promise.resolve();
}

function compiled(model, call) {
  const c = model.mixedState.compiled;
  if (!c) throw new Error(`${call}: the model is not compiled; call compile({optimizer, loss}) first`);
  return c;
}

// f applied to x, or to each of a list of inputs' tensors (a graph of several inputs).
const each = (x, f) => (Array.isArray(x) ? x.map(f) : f(x));

// The mean loss and metrics of x, y in batches, read: {loss, acc, ...}.
async function scores(model, x, y, batchSize, prefix = '') {
  const { loss, metrics } = compiled(model, 'evaluate');
  const n = y.shape[0];
  const sums = new Array(1 + metrics.length).fill(0);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const values = tidy(() => {
      const xb = each(x, (t) => t.slice(start, size));
      const yb = y.slice(start, size);
      const p = forward(model, xb, false);
      return [loss(yb, p), ...metrics.map((m) => m.fn(yb, p))];
    });
    const read = await Promise.all(values.map((t) => t.data()));
    dispose(values);
    read.forEach((v, k) => (sums[k] += v[0] * size));
  }
  const logs = { [`${prefix}loss`]: sums[0] / n };
  metrics.forEach((m, k) => (logs[`${prefix}${m.name}`] = sums[k + 1] / n));
  return logs;
}

const callbackList = (callbacks) => (Array.isArray(callbacks) ? callbacks : callbacks ? [callbacks] : []);
async function notify(list, name, ...args) {
  for (const c of list) await c[name]?.(...args);
}

// TensorFlow.js' fit: epochs of shuffled batches, each one minimize step of the loss;
// validationSplit takes the last rows, as Keras does.
export async function fit(model, x, y, args = {}) {
  const { epochs = 1, batchSize = 32, shuffle = true, validationSplit = 0, validationData, initialEpoch = 0 } = args;
  const { optimizer, loss, metrics } = compiled(model, 'fit');
  const n = y.shape[0];
  for (const t of [x].flat()) {
    if (!(t instanceof Tensor))
      throw new Error(
        `fit: x must be a Tensor or a list of Tensors, one per input; got ${show(t?.constructor?.name ?? typeof t)}`,
      );
    if (t.shape[0] !== n) throw new Error(`fit: x has ${t.shape[0]} samples and y ${n}; expected as many`);
  }
  const held = validationData ? 0 : Math.floor(n * validationSplit);
  const rows = n - held;
  const [xs, ys] = held ? [each(x, (t) => t.slice(0, rows)), y.slice(0, rows)] : [x, y];
  const [xv, yv] = validationData ?? (held ? [each(x, (t) => t.slice(rows)), y.slice(rows)] : []);
  const list = callbackList(args.callbacks);
  const history = { epoch: [], history: {} };
  model.stopTraining = false;
  try {
    await run();
  } finally {
    if (held) dispose([xs, ys, xv, yv]);
  }
  return history;

  async function run() {
    await notify(list, 'onTrainBegin');
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await notify(list, 'onEpochBegin', epoch);
      const order = [...Array(rows).keys()];
      if (shuffle)
        for (let i = rows - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
      const sums = new Array(1 + metrics.length).fill(0);
      for (let start = 0, batch = 0; start < rows && !model.stopTraining; start += batchSize, batch++) {
        const size = Math.min(batchSize, rows - start);
        const index = tensor1d(order.slice(start, start + size), 'int32');
        const [xb, yb] = [each(xs, (t) => t.gather(index)), ys.gather(index)];
        let measured = [];
        let step = null;
        let read;
        try {
          step = optimizer.computeGradients(() => {
            const p = forward(model, xb, true);
            measured = metrics.map((m) => keep(m.fn(yb, p)));
            return loss(yb, p);
          });
          optimizer.applyGradients(step.grads);
          read = await Promise.all([step.value, ...measured].map((t) => t.data()));
        } finally {
          dispose([step?.grads, step?.value, measured, index, xb, yb]);
        }
        read.forEach((v, k) => (sums[k] += v[0] * size));
        const logs = { batch, size, loss: read[0][0] };
        metrics.forEach((m, k) => (logs[m.name] = read[k + 1][0]));
        await notify(list, 'onBatchEnd', batch, logs);
      }
      const logs = { loss: sums[0] / rows };
      metrics.forEach((m, k) => (logs[m.name] = sums[k + 1] / rows));
      if (xv) Object.assign(logs, await scores(model, xv, yv, batchSize, 'val_'));
      history.epoch.push(epoch);
      for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
      await notify(list, 'onEpochEnd', epoch, logs);
    }
    await notify(list, 'onTrainEnd');
  }
}

export function predict(model, x) {
  return tidy(() => forward(model, x, false));
}

// TensorFlow.js' evaluate: the loss, or [loss, ...metrics], as scalars.
export function evaluate(model, x, y) {
  const { loss, metrics } = compiled(model, 'evaluate');
  const out = tidy(() => {
    const p = forward(model, x, false);
    return [loss(y, p), ...metrics.map((m) => m.fn(y, p))];
  });
  return out.length === 1 ? out[0] : out;
}

// Every weight in layer order: the engine parts' LayerVariables and the JavaScript
// layers' weights (each with name, shape, read(), write()).
export function weights(model) {
  const all = weightsInLayerOrder(model);
  // TensorFlow.js' order: the trainable weights first.
  return [...all.filter((w) => w.trainable), ...all.filter((w) => !w.trainable)];
}

export function weightsInLayerOrder(model) {
  if (model.mixedState.graph) return model.layerConfigs.flatMap((l) => l.weights);
  return parts(model, 'weights').flatMap((p) =>
    p.engine ? p.engine.layerConfigs.flatMap((l) => l.weights) : p.layer.weights,
  );
}

export function disposeModel(model) {
  // (A graph's engine layers stay with the other models that share them.)
  if (model.mixedState.graph) for (const l of model.layerConfigs) if (isCustomLayer(l)) l.dispose();
  for (const p of model.mixedState.parts ?? []) {
    if (p.engine) p.engine.dispose();
    else p.layer.dispose();
  }
  model.mixedState.parts = null;
  model.disposed = true;
}

// Sequential's members, for a model that holds a JavaScript layer (once one is added).
const MIXED = {
  compile,
  fit,
  predict,
  evaluate,
  summary: (model, ...args) => mixedSummary(model, parts, ...args),
  dispose: disposeModel,
  // TensorFlow.js' getWeights (Tensors, copies) and setWeights, in the order of weights.
  getWeights: (model) => weights(model).map((w) => (w.val ? w.val.clone() : w.read())),
  setWeights: (model, tensors) => {
    const all = weights(model);
    if (!Array.isArray(tensors) || tensors.length !== all.length)
      throw new Error(`setWeights: the model has ${all.length} weights; got ${show(tensors?.length ?? tensors)}`);
    all.forEach((w, i) => w.write(tensors[i]));
  },
  getLayer: (model, nameOrIndex) => {
    if (!model.mixedState.graph) parts(model, 'getLayer');
    const all = model.layerConfigs;
    const found = typeof nameOrIndex === 'number' ? all[nameOrIndex] : all.find((l) => l.name === nameOrIndex);
    if (!found)
      throw new Error(`getLayer: no layer ${show(nameOrIndex)}; the model has ${show(all.map((l) => l.name))}`);
    return found;
  },
};

export function installMixed() {
  const proto = Sequential.prototype;
  const baseAdd = proto.add;
  proto.add = function (layer) {
    if (!isCustomLayer(layer)) return baseAdd.call(this, layer);
    takeInputLayer(this, layer);
    if (this.built || this.mixedState?.parts)
      throw new Error('add: the model is already built (by compile, summary or predict); add layers first');
    this.mixedState ??= { parts: null, compiled: null };
    this.layerConfigs.push(layer);
  };
  // A graph model of engine layers that a graph of JavaScript layers shares runs as layers
  // too, on the shared weights.
  const mixed = (model) => {
    if (!model.mixedState && model.graph && !model.oneLayer && !model.probe && runsAsLayers(model.outputs))
      model.mixedState = { parts: null, compiled: null, graph: true };
    return Boolean(model.mixedState);
  };
  // A loss or metric written as a function of tensors (TensorFlow.js' custom losses)
  // makes any model train this way, from its compile on.
  const baseCompile = proto.compile;
  proto.compile = function (config = {}) {
    const custom = [config.loss, ...[config.metrics ?? []].flat()].some((f) => typeof f === 'function');
    if (custom && !mixed(this)) {
      if (this.oneLayer) throw new Error('compile: a layer’s own model takes the engine’s losses');
      this.mixedState = { parts: null, compiled: null, graph: Boolean(this.graph) };
    }
    return mixed(this) ? compile(this, config) : baseCompile.call(this, config);
  };
  for (const [name, fn] of Object.entries(MIXED)) {
    if (name === 'compile') continue;
    const base = proto[name];
    proto[name] = function (...args) {
      return mixed(this) ? fn(this, ...args) : base.apply(this, args);
    };
  }
  for (const name of ['weights', 'trainableWeights', 'nonTrainableWeights']) {
    const base = Object.getOwnPropertyDescriptor(proto, name);
    const pick = {
      weights: () => true,
      trainableWeights: (w) => w.trainable,
      nonTrainableWeights: (w) => !w.trainable,
    }[name];
    Object.defineProperty(proto, name, {
      configurable: true,
      get() {
        return this.mixedState ? weights(this).filter(pick) : base.get.call(this);
      },
    });
  }
  // A model with a JavaScript layer among sequential()'s initial layers: added one by one.
  const baseApply = proto.apply;
  proto.apply = function (inputs, kwargs) {
    const symbolic = [inputs].flat().some((t) => !(t instanceof Tensor));
    if (symbolic || !mixed(this)) return baseApply.call(this, inputs, kwargs);
    return forward(this, inputs, Boolean(kwargs?.training));
  };
}

// dl.model: a LayerGraph when the graph holds a JavaScript layer or shares one's layers.
export const graphModel = (base) => (config) =>
  runsAsLayers([config?.outputs ?? []].flat()) ? new LayerGraph(config) : base(config);
