// Weights and structure as TensorFlow.js' layers and models show them: a model's weights,
// trainableWeights and nonTrainableWeights (LayerVariables: name, shape, trainable, read,
// write), inputs, outputs, inputLayers, outputLayers and getLayer; a layer's getWeights,
// setWeights and trainable. The values stay in the engine: reading one makes a Tensor
// there, writing one copies a Tensor there (core_weights.js).
//
// A layer is a config object (config.js); once a model that uses it is built, its weights
// are that model's; models that share it share them (layer_homes.js). `trainable` changed on a layer of a
// built model takes effect at the model's next compile, as in Keras and TensorFlow.js:
// that compile makes the engine model again from the new flags, its weights kept.
import { shapeGraph } from './graph_shapes.js';
import { homeOf, leaveHome, shared, takeHome } from './layer_homes.js';
import { isCustomLayer, isProbing } from './layer_registry.js';
import { addedTo, buildIfShaped, buildPending } from './lazy_build.js';
import { show } from './show.js';
import { SymbolicTensor } from './symbolic_tensor.js';
import { Tensor, fill } from './tensor.js';

const trainableOf = new WeakMap(); // layer config -> its flag
const states = new WeakMap(); // model -> what is known of its built engine model
const builtModels = new Set(); // WeakRefs of the models built, for modelVariables

const layerLabel = (layer) => show(homeOf.get(layer)?.name ?? layer.name ?? layer.type);

// The members a layer config gets (not enumerable, so that configs serialize as before):
// `trainable` (true unless set; enumerable, and so in the config, once set), getWeights,
// setWeights, weights, trainableWeights and nonTrainableWeights.
export function addLayerMembers(layer) {
  // (A config's value other than true or false is left for the engine to refuse at build.)
  const given = layer.trainable;
  delete layer.trainable;
  trainableOf.set(layer, given ?? true);
  const define = (enumerable) =>
    Object.defineProperty(layer, 'trainable', {
      enumerable,
      configurable: true,
      get: () => trainableOf.get(layer),
      set: (value) => {
        if (typeof value !== 'boolean')
          throw new Error(`trainable: layer ${layerLabel(layer)} takes true or false; got ${show(value)}`);
        trainableOf.set(layer, value);
        define(true);
      },
    });
  define(given !== undefined);
  Object.defineProperties(layer, {
    getWeights: { value: () => layerVariables(layer, 'getWeights').map((w) => w.read()) },
    setWeights: { value: (tensors) => setLayerWeights(layer, tensors) },
    weights: { get: () => layerVariables(layer, 'weights') },
    trainableWeights: { get: () => layerVariables(layer, 'trainableWeights').filter((w) => w.trainable) },
    nonTrainableWeights: { get: () => layerVariables(layer, 'nonTrainableWeights').filter((w) => !w.trainable) },
  });
}

// The layer's weights (Tensors) where a built model holds them, else null.
export function builtWeights(layer) {
  try {
    return layer.getWeights?.() ?? null;
  } catch {
    return null; // (in no built model yet)
  }
}

// A copy of a layer config with its name, as a model lists its layers: the members act on
// the original layer.
export function namedCopy(layer, name) {
  // (A layer written in JavaScript is listed as itself: its members are its class's.)
  if (isCustomLayer(layer)) return layer;
  const copy = { ...layer, name };
  for (const key of Reflect.ownKeys(layer)) {
    const d = Object.getOwnPropertyDescriptor(layer, key);
    if (!d.enumerable || d.get) Object.defineProperty(copy, key, d);
  }
  return copy;
}

const flagOf = (layer) => (trainableOf.has(layer) ? trainableOf.get(layer) : layer.trainable) !== false;

// One weight of a built model, as TensorFlow.js' LayerVariable: read() and val give its
// current values as a new Tensor (with assign(tensor) to write it back); write(tensor)
// replaces them. A write is checked here (shape) and reaches the engine before any later
// call, so a later read, predict or fit sees it.
export class LayerVariable {
  constructor(model, index, { layer, name, shape, trainable }) {
    this.model = model;
    this.index = index;
    this.layerName = layer;
    this.name = `${layer}/${name}`;
    this.originalName = this.name;
    this.shape = shape;
    this.dtype = 'float32';
    this.statistic = !trainable; // batch normalization's moving mean and variance
  }

  // False for a statistic, or for every weight of a layer set trainable = false.
  get trainable() {
    return !this.statistic && flagOf(states.get(this.model).layerByName.get(this.layerName));
  }

  read() {
    const model = this.model.wait('read');
    const t = new Tensor(this.shape);
    fill([t], [model], 'weightInto', [this.model.id, this.index, t.id]);
    Object.defineProperty(t, 'assign', { value: (value) => void this.write(value) });
    return t;
  }

  get val() {
    return this.read();
  }

  write(tensor) {
    writeWeights(this.model, [this], [tensor], 'write');
    return this;
  }
}

// Checks `tensors` against `variables` (all of them before anything changes), then has the
// engine copy them in: at once where it runs in this thread, else in order with later calls.
function writeWeights(model, variables, tensors, call) {
  const built = model.wait(call);
  tensors.forEach((t, i) => {
    const what = `${call}: weight ${show(variables[i].name)}`;
    if (!(t instanceof Tensor))
      throw new Error(`${what} must be given a Tensor made with dl.tensor(); got ${t?.constructor?.name ?? typeof t}`);
    t.check(what);
    if (t.shape && show(t.shape) !== show(variables[i].shape))
      throw new Error(`${what} has shape ${show(variables[i].shape)}; got a tensor of shape ${show(t.shape)}`);
  });
  const args = [model.id, variables.map((v) => v.index), tensors.map((t) => t.id), call];
  const waits = [built, ...tensors];
  if (model.owner.sync && waits.every((w) => w.settled)) return model.owner.callSync('setWeightsFrom', ...args);
  const done = Promise.all(waits.map((w) => w.created)).then(() => model.owner.call('setWeightsFrom', ...args));
  done.catch(() => {});
  // Later calls on the model wait for it (model.js' wait and ready), so that they see it.
  const writing = Promise.all([model.writing, done]).then(
    () => {},
    () => {},
  );
  model.writing = writing;
  writing.then(() => model.writing === writing && (model.writing = null));
  // A tensor being copied is freed only after (dispose waits for its uses).
  for (const t of tensors) {
    t.uses.push(done);
    const over = () => t.uses.splice(t.uses.indexOf(done) >>> 0, 1);
    done.then(over, over);
  }
}

function setLayerWeights(layer, tensors) {
  const variables = layerVariables(layer, 'setWeights');
  if (!Array.isArray(tensors) || tensors.length !== variables.length)
    throw new Error(
      `setWeights: layer ${layerLabel(layer)} has ${variables.length} weights (${show(variables.map((v) => v.name))}); got ${Array.isArray(tensors) ? `a list of ${tensors.length}` : show(tensors?.constructor?.name ?? typeof tensors)}`,
    );
  writeWeights(homeOf.get(layer).model.deref(), variables, tensors, 'setWeights');
}

// A layer's weights in TensorFlow.js' order (the engine's: kernel, bias; gamma, beta,
// moving_mean, moving_variance). A Sequential not built yet is built now where the engine
// runs in this thread, as TensorFlow.js' is built once its first layer has an input shape.
function layerVariables(layer, call) {
  if (!homeOf.has(layer)) buildIfShaped(addedTo(layer));
  const home = homeOf.get(layer);
  if (!home?.model.deref())
    throw new Error(
      `${call}: layer ${layerLabel(layer)} is not built yet: its weights exist once a model that uses it is built (by compile, predict or summary; at once by dl.model() where the engine runs in this thread)`,
    );
  return variables(home.model.deref(), call).filter((v) => v.layerName === home.name);
}

// Every weight of a built model, in the engine's order.
function variables(model, call) {
  model.wait(call);
  const state = states.get(model);
  if (!state) throw new Error(`${call}: the model is not built yet; await model.build() first`);
  if (!state.specs) {
    if (!model.owner.sync) throw new Error(`${call}: the model is not built yet; await model.build() first`);
    state.specs = model.owner.callSync('weightSpecs', model.id);
  }
  state.variables ??= state.specs.map((spec, i) => new LayerVariable(model, i, spec));
  return state.variables;
}

// The weights of every model built and not disposed whose weights are known (at once where
// the engine runs in this thread): what TensorFlow.js counts among its variables.
export function modelVariables(call) {
  buildPending();
  const out = [];
  for (const ref of builtModels) {
    const model = ref.deref();
    if (!model || model.disposed) builtModels.delete(ref);
    else if (states.get(model)?.specs || (model.owner.sync && model.info))
      // (A layer several models share counts once: in the model whose copy is current.)
      out.push(...variables(model, call).filter((v) => isHome(model, v.layerName)));
  }
  return out;
}

const trainableFirst = (list) => [...list.filter((w) => w.trainable), ...list.filter((w) => !w.trainable)];

// The layers of a built model with their engine names, in order.
function namedLayers(model, info) {
  return model.layerConfigs.map((layer, i) => ({ layer, name: model.layerNames?.get(layer) ?? info.layers[i].name }));
}

// Called with the engine's description once a model is built: its layers now point to it,
// and a graph model's symbolic tensors get their shapes. Returns info, or where the
// engine runs in a worker a promise of it once the weights' shapes are known too.
export function whenBuilt(model, info) {
  // (A model built only to learn shapes, mixed_graph.js, leaves the layers' weights where they are.)
  if (isProbing()) model.probe = true;
  if (model.probe) {
    if (model.owner.sync && model.graph) shapeGraph(model, model.owner.callSync('graphNodes', model.id));
    return info;
  }
  if (!states.has(model)) builtModels.add(new WeakRef(model));
  const layers = namedLayers(model, info);
  takeHome(model, layers);
  const state = {
    layers,
    layerByName: new Map(layers.map(({ layer, name }) => [name, layer])),
    built: layers.map(({ layer }) => flagOf(layer)),
    specs: null,
    variables: null,
    structure: null,
  };
  states.set(model, state);
  // A graph whose inputs vary: its shapes for other lengths tell which dimensions vary.
  const other = model.graph && model.varies ? model.description(model.otherLengths()) : null;
  if (model.owner.sync) {
    if (model.graph)
      shapeGraph(
        model,
        model.owner.callSync('graphNodes', model.id),
        other && model.owner.callSync('graphShapes', other),
      );
    return info;
  }
  return Promise.all([
    model.owner.call('weightSpecs', model.id),
    model.graph ? model.owner.call('graphNodes', model.id) : null,
    other && model.owner.call('graphShapes', other),
  ]).then(([specs, nodes, otherNodes]) => {
    state.specs = specs;
    if (nodes) shapeGraph(model, nodes, otherNodes);
    return info;
  });
}

// Before a model runs: the current weights of its layers that another model used since.
export function followLayers(model) {
  const state = states.get(model);
  if (state && !model.probe) takeHome(model, state.layers);
}

// Before a model is freed: its layers' weights move to another model that holds them.
export function releaseLayers(model) {
  const state = states.get(model);
  if (!state) return null;
  const holders = (layer) =>
    [...builtModels]
      .map((ref) => ref.deref())
      .flatMap(
        (m) =>
          states
            .get(m)
            ?.layers.filter((l) => l.layer === layer)
            .map(({ name }) => ({ model: m, name })) ?? [],
      );
  return leaveHome(model, state.layers, holders);
}

function isHome(model, layerName) {
  const layer = states.get(model).layerByName.get(layerName);
  return !layer || !shared(layer) || homeOf.get(layer)?.model.deref() === model;
}

// Before a compile: when a layer's trainable changed since the engine model was made, it
// is made again with the new flags (its weights kept).
export function applyTrainable(model) {
  const state = states.get(model);
  if (!state) return;
  const now = state.layers.map(({ layer }) => flagOf(layer));
  if (show(now) === show(state.built)) return;
  for (const entry of model.graph?.layers ?? []) {
    const layer = state.layerByName.get(entry.name);
    if (!layer || entry.apply) continue;
    if (flagOf(layer)) delete entry.trainable;
    else entry.trainable = false;
  }
  const description = model.description();
  if (model.owner.sync && model.info) {
    model.info = model.owner.callSync('rebuildModel', model.id, description);
    state.built = now;
  } else
    model.built = model.built
      .then(() => model.owner.call('rebuildModel', model.id, description))
      .then((info) => {
        state.built = now;
        return (model.info = info);
      });
}

// A Sequential's structure as symbolic tensors: its input, then each layer's output.
function chain(model) {
  const state = states.get(model);
  if (state.structure) return state.structure;
  const { layers, inputShape } = model.info;
  const first = new SymbolicTensor({ shape: [null, ...inputShape], name: `${state.layers[0].name}_input` });
  let last = first;
  state.layers.forEach(({ layer, name }, i) => {
    last = new SymbolicTensor({ shape: [null, ...layers[i].outputShape], name, layer, inputs: [last] });
  });
  state.structure = { inputs: [first], outputs: [last] };
  return state.structure;
}

// What a model's structure members need: a built model (built now where the engine runs
// in this thread, as summary() would).
function built(model, call) {
  model.wait(call);
  if (!states.has(model)) throw new Error(`${call}: the model is not built yet; await model.build() first`);
  return model;
}

const INPUTS = Symbol('inputs');
const OUTPUTS = Symbol('outputs');

// The members both model classes have (a graph model sets its inputs and outputs itself).
export const MODEL_MEMBERS = {
  // (Configurable: the core API's models of JavaScript layers give their own, mixed_model.js.)
  weights: { configurable: true, get: weightsOf('weights', (all) => trainableFirst(all)) },
  trainableWeights: { configurable: true, get: weightsOf('trainableWeights', (all) => all.filter((w) => w.trainable)) },
  nonTrainableWeights: {
    configurable: true,
    get: weightsOf('nonTrainableWeights', (all) => all.filter((w) => !w.trainable)),
  },
  inputs: {
    get() {
      return this[INPUTS] ?? chain(built(this, 'inputs')).inputs;
    },
    set(value) {
      this[INPUTS] = value;
    },
  },
  outputs: {
    get() {
      return this[OUTPUTS] ?? chain(built(this, 'outputs')).outputs;
    },
    set(value) {
      this[OUTPUTS] = value;
    },
  },
  // TensorFlow.js' InputLayers, as plain descriptions.
  inputLayers: {
    get() {
      return this.inputs.map((t) => ({ name: t.name, type: 'inputLayer', batchInputShape: t.shape }));
    },
  },
  outputLayers: {
    get() {
      const { layers } = states.get(built(this, 'outputLayers'));
      return this.outputs.map((t) => namedCopy(t.sourceLayer, layers.find((l) => l.layer === t.sourceLayer).name));
    },
  },
  // A Sequential's layers, with the names the engine gave them once built.
  layers: {
    get() {
      const named = states.get(this)?.layers;
      return this.layerConfigs.map((layer, i) => namedCopy(layer, named?.[i].name ?? layer.name));
    },
  },
  getLayer: {
    writable: true, // (models of JavaScript layers give their own: mixed_model.js)
    value(nameOrIndex) {
      // Built now where the engine runs in this thread, so that default names are known.
      if (!states.has(this) && this.owner.sync) this.wait('getLayer');
      const all = this.layers;
      const found = typeof nameOrIndex === 'number' ? all[nameOrIndex] : all.find((l) => l.name === nameOrIndex);
      if (!found)
        throw new Error(`getLayer: no layer ${show(nameOrIndex)}; the model has ${show(all.map((l) => l.name))}`);
      return found;
    },
  },
};

function weightsOf(call, pick) {
  return function () {
    return pick(variables(this, call));
  };
}
