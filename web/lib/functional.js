// Keras' functional API as TensorFlow.js spells it: input() makes a symbolic tensor,
// layer.apply() joins layers into a graph, model({inputs, outputs}) makes a model of the
// graph that compiles, trains, evaluates and predicts as a Sequential does. The engine
// runs it on the same tape as a chain.
//
//   const x = dl.input({ shape: [784] });
//   const h = dl.layers.dense({ units: 64, activation: 'relu' }).apply(x);
//   const skip = dl.layers.add().apply([h, dl.layers.dense({ units: 64, activation: 'relu' }).apply(h)]);
//   const model = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 10, activation: 'softmax' }).apply(skip) });
//
// A model of several inputs takes a list of tensors (or an object by input name) wherever
// a Sequential takes one; they go to the engine side by side in one tensor. A model of
// several outputs takes its targets the same way, by output name (outputs.js).
import { layerSpec, optionSpec, snake } from './catalog.js';
import { Sequential } from './model.js';
import { compileOutputs, evaluateOutputs, packTargets, splitOutputs, splitValues } from './outputs.js';
import { show } from './show.js';
import { SymbolicTensor } from './symbolic_tensor.js';
import { Tensor, packColumns } from './tensor.js';
import { addLayerMembers, namedCopy } from './weights.js';

export { SymbolicTensor };

let inputCount = 0;

// TensorFlow.js' tf.input: shape without the batch, or batchShape with it. A dimension
// given as null varies from call to call (sequences of any length): see Model.
export function input({ shape, batchShape, name, dtype = 'float32' } = {}) {
  // (A number is a shape of one dimension, as TensorFlow.js takes it.)
  const dims = typeof shape === 'number' ? [shape] : (shape ?? batchShape?.slice(1));
  if (!Array.isArray(dims) || dims.length === 0 || dims.some((d) => d !== null && (!Number.isInteger(d) || d < 1)))
    throw new Error(
      `input: shape must be an array of positive whole numbers (or null for a length that varies) without the batch, such as [784] or [null, 16]; got ${show(shape ?? batchShape)}`,
    );
  if (dtype !== 'float32') throw new Error(`input: dtype ${show(dtype)} is not supported; expected "float32"`);
  return new SymbolicTensor({ shape: [null, ...dims], name: name ?? `input${++inputCount}`, dtype });
}

// Whether a tensor's shape (without the batch) fits a declared one, whose null dims take any size.
const fits = (got, want) => got.length === want.length && want.every((d, k) => d === null || d === got[k]);

// Unnamed layers get Keras' names by type ("dense", "dense_1", ...), skipping names taken.
function layerNames(layers, inputNames) {
  const names = new Map();
  const taken = new Set([...inputNames, ...layers.map((l) => l.name).filter(Boolean)]);
  const counts = new Map();
  for (const layer of layers) {
    if (layer.name) {
      names.set(layer, layer.name);
      continue;
    }
    const base = snake(layer.type);
    let n = counts.get(base) ?? 0;
    let name = n === 0 ? base : `${base}_${n}`;
    while (taken.has(name)) name = `${base}_${++n}`;
    counts.set(base, n + 1);
    taken.add(name);
    names.set(layer, name);
  }
  return names;
}

const WITHOUT_SHAPE = new Set(['inputShape', 'inputDim', 'batchInputShape', 'batchSize']);

// The engine's description of the graph from inputs to outputs (io/graph_description.cpp).
function describe(inputs, outputs, seed) {
  const applications = [];
  const seen = new Set();
  const visit = (t, path) => {
    if (seen.has(t)) return;
    if (path.has(t)) throw new Error('model: the graph has a cycle');
    if (t.whole) {
      visit(t.whole, path);
      seen.add(t);
      return;
    }
    if (!t.sourceLayer) {
      if (!inputs.includes(t))
        throw new Error(
          `model: the outputs depend on input ${show(t.name)}, which is not among the model's inputs (${show(inputs.map((i) => i.name))})`,
        );
      seen.add(t);
      return;
    }
    path.add(t);
    t.inputs.forEach((i) => visit(i, path));
    path.delete(t);
    seen.add(t);
    applications.push(t);
  };
  outputs.forEach((t) => visit(t, new Set()));
  // In the order of the apply() calls, so that a shared layer's k-th application is "name:k".
  applications.sort((a, b) => a.order - b.order);
  const layers = [...new Set(applications.map((t) => t.sourceLayer))];
  const names = layerNames(
    layers,
    inputs.map((t) => t.name),
  );
  const tensorName = new Map(inputs.map((t) => [t, t.name]));
  // Output k of a layer of several: "lstm#k" (engine/io/graph_description.cpp).
  const nameOf = (t) => (t.whole ? `${tensorName.get(t.whole)}#${t.part}` : tensorName.get(t));
  const calls = new Map();
  const entries = applications.map((t) => {
    const layer = t.sourceLayer;
    const name = names.get(layer);
    const call = calls.get(layer) ?? 0;
    calls.set(layer, call + 1);
    tensorName.set(t, call === 0 ? name : `${name}:${call}`);
    const from = t.inputs.map(nameOf);
    if (call > 0) return { apply: name, inputs: from };
    // A layer's own option of that name (Embedding's inputDim) is not a shape.
    const own = (k) => layerSpec(layer.type) && optionSpec(layerSpec(layer.type), k);
    const config = Object.fromEntries(Object.entries(layer).filter(([k]) => !WITHOUT_SHAPE.has(k) || own(k)));
    return { ...config, name, inputs: from };
  });
  for (const t of inputs) if (!seen.has(t)) throw new Error(`model: input ${show(t.name)} reaches no output`);
  return {
    description: {
      seed,
      inputs: inputs.map((t) => ({ name: t.name, shape: t.shape.slice(1) })),
      layers: entries,
      outputs: outputs.map(nameOf),
    },
    layers,
    names,
  };
}

// A model of a graph (Keras' Functional, TensorFlow.js' LayersModel). An input declared
// with a null dimension (shape [null, 16]: sequences of any length) takes any size there:
// the engine model is made for the sizes of the tensors a call gives (1 until a call gives
// any) and made again, its weights, compile and optimizer state kept, when a call gives
// others (core_weights.js' reshapeModel). Weights whose shape would change with such a
// size are refused then, naming the layer's weight.
export class Model extends Sequential {
  constructor({ inputs, outputs, name, seed = 0 }) {
    super({ seed });
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    for (const [what, list] of [
      ['inputs', ins],
      ['outputs', outs],
    ])
      if (list.length === 0 || !list.every((t) => t instanceof SymbolicTensor))
        throw new Error(
          `model: ${what} must be symbolic tensors (from dl.input and layer.apply); got ${show(list.map((t) => t?.constructor?.name ?? typeof t))}`,
        );
    for (const t of ins)
      if (t.sourceLayer)
        throw new Error(`model: inputs must come from dl.input(); one comes from a ${t.sourceLayer.type}`);
    const { description, layers, names } = describe(ins, outs, seed);
    for (const l of layers) if (!Object.hasOwn(l, 'getWeights')) addLayerMembers(l); // (plain configs: files)
    // As TensorFlow.js names them: the output layers' names, which key y, losses and logs.
    // An output k > 0 of a layer of several is "<layer>_<k>".
    this.outputNames = outs.map((t) => {
      const name = names.get(t.sourceLayer) ?? t.name;
      return t.part ? `${name}_${t.part}` : name;
    });
    this.graph = description;
    this.inputs = ins;
    this.outputs = outs;
    this.name = name ?? 'model';
    this.layerConfigs = layers;
    this.layerNames = names;
    // The sizes the engine model is made for: the declared ones, 1 where null.
    this.varies = ins.some((t) => t.shape.includes(null, 1));
    this.lengths = ins.map((t) => t.shape.slice(1).map((d) => d ?? 1));
    // Built at once where the engine runs in this thread, so that every symbolic tensor of
    // the graph has its shape (weights.js); a build error still surfaces at first use.
    if (this.owner.sync) this.build();
  }

  add() {
    throw new Error('add: a graph model is made whole by dl.model({inputs, outputs}); it takes no layers after');
  }

  description(lengths = this.lengths) {
    const inputs = this.graph.inputs.map((entry, i) => ({ ...entry, shape: lengths[i] }));
    return { ...this.graph, inputs, seed: this.seed };
  }

  // Sizes one more than now where an input varies: a graph made for them tells which of
  // its tensors' dimensions vary with the inputs' (weights.js' shapeGraph).
  otherLengths() {
    return this.inputs.map((t, i) => t.shape.slice(1).map((d, k) => d ?? this.lengths[i][k] + 1));
  }

  // The inputs as declared: a dimension that varies is null.
  declaredInputs() {
    return this.graph.inputs;
  }

  // For a model whose inputs vary: the engine model made for the sizes of `list` (one
  // Tensor per input), checked against the declared shapes.
  takeLengths(list, what) {
    const shapes = list.map((t, i) => {
      const want = this.inputs[i].shape.slice(1);
      const got = t.shape?.slice(1);
      if (!got)
        throw new Error(
          `${what}: the shape of input ${show(this.inputs[i].name)} is not known yet; await its data first`,
        );
      if (!fits(got, want))
        throw new Error(
          `${what}: input ${show(this.inputs[i].name)} has shape ${show(t.shape)}; expected ${show([null, ...want])}`,
        );
      return got;
    });
    if (show(shapes) === show(this.lengths)) return;
    const before = this.lengths;
    this.lengths = shapes;
    if (!this.built) return; // (made for them when first built)
    const description = this.description();
    if (this.owner.sync && this.info && !this.writing) {
      try {
        this.info = this.owner.callSync('reshapeModel', this.id, description, what);
      } catch (error) {
        this.lengths = before; // (the engine model is as it was)
        throw error;
      }
      this.nodeShapes = new Map(this.owner.callSync('graphNodes', this.id).map((n) => [n.name, n.shape]));
      return;
    }
    this.built = Promise.all([this.built, this.writing])
      .then(() => this.owner.call('reshapeModel', this.id, description, what))
      .then(async (info) => {
        const nodes = await this.owner.call('graphNodes', this.id);
        this.nodeShapes = new Map(nodes.map((n) => [n.name, n.shape]));
        return (this.info = info);
      });
    this.built.catch(() => {});
  }

  // The layers in the order they first act; each config carries its name.
  get layers() {
    return this.layerConfigs.map((l) => namedCopy(l, this.layerNames.get(l)));
  }

  getLayer(nameOrIndex) {
    const all = this.layers;
    const found = typeof nameOrIndex === 'number' ? all[nameOrIndex] : all.find((l) => l.name === nameOrIndex);
    if (!found)
      throw new Error(`getLayer: no layer ${show(nameOrIndex)}; the model has ${show(all.map((l) => l.name))}`);
    return found;
  }

  // x as the engine takes it: one tensor, or for several inputs a list (or an object by
  // input name) of tensors laid side by side, each sample's values flattened.
  pack(x, what) {
    if (this.inputs.length === 1) {
      const tensor = Array.isArray(x) && x.length === 1 ? x[0] : x;
      if (this.varies && tensor instanceof Tensor) this.takeLengths([tensor], what);
      return { tensor, owned: false };
    }
    const list = Array.isArray(x)
      ? x
      : x && typeof x === 'object' && !(x instanceof Tensor)
        ? this.byName(x, what)
        : null;
    if (!list || list.length !== this.inputs.length || !list.every((t) => t instanceof Tensor))
      throw new Error(
        `${what} must be ${this.inputs.length} Tensors, one per input (${show(this.inputs.map((t) => t.name))}), as a list or an object by name; got ${show(x)}`,
      );
    list.forEach((t, i) => {
      t.check(what);
      const want = this.inputs[i].shape.slice(1);
      if (t.shape && !fits(t.shape.slice(1), want))
        throw new Error(
          `${what}: input ${show(this.inputs[i].name)} has shape ${show(t.shape)}; expected ${show([null, ...want])}`,
        );
    });
    if (this.varies) this.takeLengths(list, what);
    const rows = new Set(list.map((t) => t.shape?.[0]).filter((n) => n !== undefined));
    if (rows.size > 1) throw new Error(`${what}: the inputs have different numbers of samples: ${show([...rows])}`);
    // (By each input's size, so that a tensor whose shape is not known yet packs too.)
    const widths = this.lengths.map((shape) => shape.reduce((a, b) => a * b, 1));
    return { tensor: packColumns(list, widths), owned: true };
  }

  byName(x, what) {
    const missing = this.inputs.filter((t) => !(t.name in x)).map((t) => t.name);
    if (missing.length)
      throw new Error(`${what}: no tensor for input ${show(missing)}; got keys ${show(Object.keys(x))}`);
    return this.inputs.map((t) => x[t.name]);
  }

  // Several outputs: a loss per output (a name for all, a list, or an object by output
  // name), lossWeights and metrics per output (outputs.js).
  compile(config = {}) {
    const perOutput = (typeof config.loss === 'object' && config.loss !== null) || config.lossWeights != null;
    if (this.outputs.length === 1 && !perOutput) return super.compile(config);
    const { config: engineConfig, spec } = compileOutputs(this, config);
    if (this.outputs.length === 1) {
      // One output: a weight of 1 changes nothing; another would scale the loss, which the
      // learning rate does as well.
      const [weight = 1] = engineConfig.lossWeights ?? [];
      if (weight !== 1)
        throw new Error(
          `compile: a model of one output takes a loss weight of 1 only (scale the learning rate instead); got ${show(config.lossWeights)}`,
        );
      const { lossWeights, ...one } = engineConfig;
      return super.compile({ ...one, loss: engineConfig.loss[0], metrics: engineConfig.metrics[0] });
    }
    this.outputSpec = spec;
    return super.compile(engineConfig);
  }

  // y as the engine takes it: one output's Tensor as given; several outputs' targets side
  // by side (outputs.js).
  packY(y, what) {
    if (this.outputs.length > 1) return packTargets(this, y, what);
    return { tensor: Array.isArray(y) && y.length === 1 ? y[0] : y, owned: false };
  }

  // Runs `run` on x (and y, unless undefined) packed, freeing the packings when it is done.
  withPacked(call, x, y, run) {
    const packed = [];
    const take = ({ tensor, owned }) => {
      if (owned) packed.push(tensor);
      return tensor;
    };
    const free = () => packed.forEach((t) => t.dispose());
    let result;
    try {
      const tx = take(this.pack(x, `${call}: x`));
      result = run(tx, y === undefined ? undefined : take(this.packY(y, `${call}: y`)));
    } catch (error) {
      free();
      throw error;
    }
    if (result instanceof Promise) return result.finally(free);
    free();
    return result;
  }

  async fit(x, y, args = {}) {
    if (this.outputs.length > 1) await this.readyCompiled('fit');
    const packed = [];
    try {
      const take = ({ tensor, owned }) => {
        if (owned) packed.push(tensor);
        return tensor;
      };
      const tx = take(this.pack(x, 'fit: x'));
      const ty = take(this.packY(y, 'fit: y'));
      let validation = args.validationData;
      if (Array.isArray(validation) && validation.length === 2)
        validation = [
          take(this.pack(validation[0], 'fit: validation x')),
          take(this.packY(validation[1], 'fit: validation y')),
        ];
      return await super.fit(tx, ty, { ...args, ...(validation ? { validationData: validation } : {}) });
    } finally {
      packed.forEach((t) => t.dispose());
    }
  }

  // Several outputs: a list of Tensors, one per output, in the order of `outputs`.
  predict(x, options) {
    const out = this.withPacked('predict', x, undefined, (t) => super.predict(t, options));
    if (this.outputs.length === 1) return out;
    if (!this.info) {
      out.dispose();
      throw new Error('predict: the model of several outputs is still being built; await compile() first');
    }
    return splitOutputs(this, out);
  }

  // Several outputs: scalars in TensorFlow.js' order, [loss, each output's loss, each
  // output's metrics].
  evaluate(x, y, options = {}) {
    if (this.outputs.length === 1)
      return this.withPacked('evaluate', x, y, (tx, ty) => super.evaluate(tx, ty, options));
    this.wait('evaluate', true);
    return this.withPacked('evaluate', x, y, (tx, ty) => evaluateOutputs(this, tx, ty, options.batchSize ?? 32));
  }

  async trainOnBatch(x, y) {
    if (this.outputs.length > 1) await this.readyCompiled('trainOnBatch');
    return this.withPacked('trainOnBatch', x, y, (tx, ty) => super.trainOnBatch(tx, ty));
  }

  async evaluateMetrics(x, y, options) {
    if (this.outputs.length > 1) await this.readyCompiled('evaluateMetrics');
    return this.withPacked('evaluateMetrics', x, y, (tx, ty) => super.evaluateMetrics(tx, ty, options));
  }

  // Several outputs: a list of {shape, values}, one per output.
  async predictValues(x, options) {
    const values = await this.withPacked('predictValues', x, undefined, (t) => super.predictValues(t, options));
    return this.outputs.length === 1 ? values : splitValues(this, values);
  }
}

// TensorFlow.js' tf.model({inputs, outputs, name}).
export function model(config = {}) {
  return new Model(config);
}
