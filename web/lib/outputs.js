// Models of several outputs, as Keras compiles them and TensorFlow.js trains them:
// compile takes a loss per output (one name for all, a list, or an object by output
// name), lossWeights and metrics per output; y is a list of Tensors or an object by
// output name; predict gives one Tensor per output. The engine takes the targets side by
// side in one tensor and gives the predictions side by side (engine/train/outputs.cpp);
// this file packs and splits them. An output's name is its layer's, as TensorFlow.js
// keys them, and the logs name "<output>_loss" and "<output>_<metric>" as it does.
import { snake } from './catalog.js';
import { engineMetric } from './log_names.js';
import { show } from './show.js';
import { Tensor, fill, packColumns, takeColumns } from './tensor.js';

const isMap = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Tensor);

// One entry per output from a list (checked for length) or an object by output name
// (checked for unknown names; a missing name gets `missing(name)`); anything else is the
// entry of every output.
function perOutput(value, names, what, missing) {
  if (Array.isArray(value)) {
    if (value.length !== names.length)
      throw new Error(
        `compile: ${value.length} ${what} were given for a model of ${names.length} outputs (${show(names)}); expected one per output`,
      );
    return value;
  }
  if (isMap(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length)
      throw new Error(
        `compile: ${what} names output ${show(unknown[0])}, which the model does not have; its outputs are ${show(names)}`,
      );
    return names.map((name) => (name in value ? value[name] : missing(name)));
  }
  return names.map(() => value);
}

// compile's arguments for a model of several outputs, as the engine takes them; also
// keeps on the model what packing and evaluate need. Throws before anything changes.
export function compileOutputs(model, { loss, lossWeights, metrics = [], ...rest }) {
  const names = model.outputNames;
  if (loss === undefined || loss === null)
    throw new Error(`compile: needs a loss, one for every output or one per output (${show(names)})`);
  const losses = perOutput(loss, names, 'losses', (name) => {
    throw new Error(`compile: loss has no entry for output ${show(name)}; every output needs a loss`);
  });
  if (!losses.every((l) => typeof l === 'string'))
    throw new Error(`compile: each loss must be a name such as "meanSquaredError"; got ${show(loss)}`);
  const weights = lossWeights == null ? null : perOutput(lossWeights, names, 'loss weights', () => 1);
  if (weights && !weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0))
    throw new Error(`compile: lossWeights must be finite numbers >= 0, one per output; got ${show(lossWeights)}`);
  // TensorFlow.js: a list of names is every output's; a list of lists, or an object by
  // output name, gives each output its own.
  const nested = Array.isArray(metrics) && metrics.some((m) => Array.isArray(m));
  const lists =
    Array.isArray(metrics) && !nested ? names.map(() => metrics) : perOutput(metrics, names, 'metric lists', () => []);
  const perOutputMetrics = lists.map((m) => (Array.isArray(m) ? m : [m]));
  if (!perOutputMetrics.flat().every((m) => typeof m === 'string'))
    throw new Error(`compile: metrics must be names such as "accuracy"; got ${show(metrics)}`);
  const sparse = losses.map((l) => snake(l) === 'sparse_categorical_crossentropy');
  const logNames = [
    'loss',
    ...names.map((n) => `${n}_loss`),
    ...names.flatMap((n, k) => perOutputMetrics[k].map((m) => `${n}_${engineMetric(m)}`)),
  ];
  return {
    config: { ...rest, loss: losses, metrics: perOutputMetrics, ...(weights ? { lossWeights: weights } : {}) },
    spec: { sparse, logNames },
  };
}

// Each output's shape without the batch, once the engine has built the model (else null).
// A graph's are its output nodes' (an LSTM's state "lstm#1" is no layer of its own), for
// the lengths the model is made for now where its inputs vary.
function outputShapes(model) {
  if (!model.info) return null;
  if (model.graph)
    return model.graph.outputs.map(
      (name, k) => model.nodeShapes?.get(name) ?? model.outputs[k].shape?.slice(1) ?? null,
    );
  return model.outputNames.map((name) => model.info.layers.find((l) => l.name === name)?.outputShape ?? null);
}

// y as the engine takes it: the outputs' targets side by side, each sample's flattened
// (a class index for sparse_categorical_crossentropy). Returns {tensor, owned}.
export function packTargets(model, y, what) {
  const names = model.outputNames;
  if (isMap(y)) {
    const unknown = Object.keys(y).filter((k) => !names.includes(k));
    if (unknown.length)
      throw new Error(`${what}: no output is named ${show(unknown[0])}; the model's outputs are ${show(names)}`);
    const missing = names.filter((n) => !(n in y));
    if (missing.length)
      throw new Error(`${what}: no tensor for output ${show(missing[0])}; the model's outputs are ${show(names)}`);
  }
  const list = Array.isArray(y) ? y : isMap(y) ? names.map((n) => y[n]) : null;
  if (!list || list.length !== names.length || !list.every((t) => t instanceof Tensor))
    throw new Error(
      `${what} must be ${names.length} Tensors, one per output (${show(names)}), as a list or an object by output name; got ${list ? `${list.length} values` : show(y)}`,
    );
  const shapes = outputShapes(model);
  const sparse = model.outputSpec?.sparse ?? names.map(() => false);
  const widths = list.map((t, k) => {
    t.check(what);
    const shape = shapes?.[k];
    if (!shape) return null;
    const want = sparse[k] ? [] : shape;
    const got = t.shape?.slice(1);
    const fits = !got || JSON.stringify(got) === JSON.stringify(want) || (sparse[k] && JSON.stringify(got) === '[1]');
    if (!fits)
      throw new Error(
        `${what}: output ${show(names[k])} takes targets of shape ${show([null, ...want])}${sparse[k] ? ' (class indices)' : ''}; got ${show(t.shape)}`,
      );
    return sparse[k] ? 1 : shape.reduce((a, b) => a * b, 1);
  });
  const rows = new Set(list.map((t) => t.shape?.[0]).filter((n) => n !== undefined));
  if (rows.size > 1)
    throw new Error(`${what}: the outputs' targets have different numbers of samples: ${show([...rows])}`);
  const known = list.map((t, k) => {
    if (widths[k] !== null) return widths[k];
    if (t.shape) return t.shape.slice(1).reduce((a, b) => a * b, 1);
    throw new Error(`${what}: the model is not built yet and target ${k} has no known shape; await compile first`);
  });
  return { tensor: packColumns(list, known), owned: true };
}

// The packed predictions (N, sum of sizes) as one Tensor per output, each of its shape.
export function splitOutputs(model, packed) {
  const shapes = outputShapes(model);
  const parts = [];
  try {
    if (!shapes || shapes.some((s) => !s)) throw new Error('predict: the model is not built yet; await compile first');
    let column = 0;
    for (const shape of shapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      parts.push(takeColumns(packed, column, size, shape));
      column += size;
    }
    return parts;
  } catch (error) {
    parts.forEach((t) => t.dispose());
    throw error;
  } finally {
    packed.dispose();
  }
}

// predictValues' {shape, values} as one per output.
export function splitValues(model, { shape, values }) {
  const rows = shape[0];
  const width = values.length / Math.max(rows, 1);
  let column = 0;
  return outputShapes(model).map((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    const out = new Float32Array(rows * size);
    for (let r = 0; r < rows; r++) out.set(values.subarray(r * width + column, r * width + column + size), r * size);
    column += size;
    return { shape: [rows, ...s], values: out };
  });
}

// TensorFlow.js' evaluate for several outputs: scalar Tensors in the order of its
// metricsNames, [loss, <output>_loss for each output, <output>_<metric> ...]. (TF.js 4.22
// itself returns one more value in front, the first output's loss: a bug we do not copy.)
export function evaluateOutputs(model, x, y, batchSize) {
  const state = model.wait('evaluate', true);
  const names = model.outputSpec.logNames;
  const scalars = names.map(() => new Tensor([]));
  // The engine fills the loss, then the metrics in the order of their names (its logs are
  // sorted by name); the scalars are handed back in TensorFlow.js' order.
  const ids = ['loss', ...names.slice(1).sort()].map((name) => scalars[names.indexOf(name)].id);
  fill(scalars, [state, x, y], 'evaluateInto', [model.id, x.id, y.id, batchSize, ids]);
  return scalars;
}
