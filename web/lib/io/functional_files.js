// Graph models (dl.model) in model files: the topology TensorFlow.js writes for a
// LayersModel (class "Model"), and a dl.model from the topology of a TensorFlow.js, Keras 2
// or Keras 3 functional model (class "Model" or "Functional").
//
// A layer's `inbound_nodes` lists its applications; an application names the tensors it
// takes as [layer, node index, tensor index], where node k of a layer is its k-th
// application (our tensor "layer:k", "layer" for k = 0) and an InputLayer's only node is
// its input. TensorFlow.js and Keras 2 write an application as a list of
// [layer, node, tensor, kwargs]; Keras 3 as {"args": [...], "kwargs": {...}} whose args hold
// {"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, tensor]}}.
// The layers of a file need not come in the order their applications run (a shared layer
// is listed once, before the layers its later applications take), so the applications are
// put in order here; everything is checked before anything is built.
import { fail } from './errors.js';
import { TRAINING_ONLY, fromKeras, kerasFlavour, toKeras } from './keras.js';
import { layerObject } from '../config.js';
import { Model, input } from '../functional.js';
import { applyLayer } from '../layer_apply.js';
import { isCustomLayer, layerFromFile, mixedFiles } from '../layer_registry.js';
import { show } from '../show.js';

export const GRAPH_CLASSES = ['Model', 'Functional'];

// The topology of a graph model as TensorFlow.js' tf.model() saves it: an InputLayer per
// input, each layer once with one inbound node per application, inputs and outputs as
// [layer, node, tensor].
export function graphTopology(model) {
  const { layers, outputs } = model.description();
  // (As declared: null where an input's length varies.)
  const inputs = model.declaredInputs();
  const refs = new Map(); // our tensor name -> [layer, node index, tensor index]
  const entries = new Map(); // layer name -> its entry in the file
  for (const { name, shape } of inputs) {
    refs.set(name, [name, 0, 0]);
    const config = { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, name };
    entries.set(name, { name, class_name: 'InputLayer', config, inbound_nodes: [] });
  }
  // "lstm#2" (output 2 of a layer of several) is [lstm, node, 2].
  const ref = (t) => {
    const [base, part] = t.split('#');
    const [layer, node] = refs.get(base);
    return [layer, node, part === undefined ? 0 : Number(part)];
  };
  for (const { inputs: from, apply, ...layer } of layers) {
    const node = from.map((t) => [...ref(t), {}]);
    if (apply !== undefined) {
      const entry = entries.get(apply);
      const k = entry.inbound_nodes.length;
      refs.set(`${apply}:${k}`, [apply, k, 0]);
      entry.inbound_nodes.push(node);
      continue;
    }
    const { trainable = true, ...rest } = layer;
    const [className, config] = toKeras(rest);
    refs.set(layer.name, [layer.name, 0, 0]);
    entries.set(layer.name, {
      name: layer.name,
      class_name: className,
      config: { name: layer.name, trainable, dtype: 'float32', ...config },
      inbound_nodes: [node],
    });
  }
  return {
    class_name: 'Model',
    config: {
      name: model.name,
      layers: [...entries.values()],
      input_layers: inputs.map((t) => refs.get(t.name)),
      output_layers: outputs.map(ref),
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

const isWhole = (v) => Number.isInteger(v) && v >= 0;
const key = (layer, node) => JSON.stringify([layer, node]);
// How messages name an application: the layer, and the node when it is not the first.
const nodeName = (layer, node) => (node === 0 ? show(layer) : `${show(layer)} (node ${node})`);

// [layer, node index, tensor index] (a fourth member, Keras 2's kwargs, is ignored).
function readRef(ref, where) {
  if (!Array.isArray(ref) || ref.length < 3 || typeof ref[0] !== 'string' || !isWhole(ref[1]) || !isWhole(ref[2]))
    fail(
      `${where}: expected a tensor as [layer name, node index, tensor index], such as ["dense", 0, 0]; got ${show(ref)}`,
    );
  return { layer: ref[0], node: ref[1], tensor: ref[2] };
}

// The keras_history of every Keras 3 tensor in a node's args (lists, tuples, dicts).
function kerasTensors(value, found = []) {
  if (Array.isArray(value)) value.forEach((v) => kerasTensors(v, found));
  else if (value && typeof value === 'object') {
    if (value.class_name === '__keras_tensor__') found.push(value.config?.keras_history);
    else Object.values(value).forEach((v) => kerasTensors(v, found));
  }
  return found;
}

// The tensors one application takes, in either node format.
function readNode(node, where) {
  if (Array.isArray(node)) {
    if (node.length === 0) fail(`${where} takes no tensors; expected a list of [layer, node index, tensor index]`);
    return node.map((ref, i) => readRef(ref, `${where}, tensor ${i}`));
  }
  if (node && typeof node === 'object' && 'args' in node) {
    const history = kerasTensors(node.args);
    if (history.length === 0) fail(`${where}: its args hold no "__keras_tensor__"; got ${show(node.args)}`);
    if (kerasTensors(node.kwargs ?? {}).length)
      fail(`${where} passes tensors in kwargs ${show(node.kwargs)}; expected tensors only in args`);
    return history.map((h, i) => readRef(h, `${where}, tensor ${i} (keras_history)`));
  }
  fail(
    `${where}: expected a list of [layer, node index, tensor index, kwargs] (TensorFlow.js, Keras 2) or {"args": [...], "kwargs": {}} (Keras 3); got ${show(node)}`,
  );
}

// input_layers / output_layers: one [layer, node, tensor], a list of them, or a dict.
function readEnds(value, where) {
  if (Array.isArray(value) && typeof value[0] === 'string') return [readRef(value, where)];
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
  if (list.length === 0)
    fail(
      `config.${where} must list the model's ${where.split('_')[0]}s as [layer name, node index, tensor index]; got ${show(value)}`,
    );
  return list.map((v, i) => readRef(v, `config.${where}[${i}]`));
}

const INPUT_DTYPES = ['float32', 'int32', 'int64'];

// An InputLayer's shape without the batch, from any of the spellings of its batch shape.
function inputShape(layer) {
  const c = layer.config;
  const given = c.batch_input_shape ?? c.batchInputShape ?? c.batch_shape;
  const dims = Array.isArray(given) ? given.slice(1) : null;
  if (!dims || dims.length === 0 || dims.some((d) => d !== null && (!Number.isInteger(d) || d < 1)))
    fail(
      `InputLayer ${show(layer.name)} needs a shape: batch_input_shape (or batch_shape) such as [null, 784], null where a length varies; got ${show(given ?? null)}`,
    );
  // Integer inputs are ids (Embedding's): the engine holds them as float32, exact to 2^24.
  if (typeof c.dtype === 'string' && !INPUT_DTYPES.includes(c.dtype))
    fail(`InputLayer ${show(layer.name)} has dtype ${show(c.dtype)}; only ${show(INPUT_DTYPES)} are supported`);
  return dims;
}

// Every layer of the file by name, with its applications read; refuses what is malformed.
function readLayers(list) {
  const byName = new Map();
  for (const [i, entry] of list.entries()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      fail(`layer ${i} must be an object with class_name, config and inbound_nodes; got ${show(entry)}`);
    const config = entry.config ?? {};
    if (typeof config !== 'object' || Array.isArray(config))
      fail(`layer ${i}: config must be an object; got ${show(entry.config)}`);
    const name = entry.name ?? config.name;
    if (typeof name !== 'string' || name === '')
      fail(`layer ${i} has no name; in a graph model every layer needs one, which inbound nodes refer to`);
    if (byName.has(name))
      fail(
        `layer ${i}: the name ${show(name)} is already used by layer ${byName.get(name).index}; names must be unique`,
      );
    if (typeof entry.class_name !== 'string')
      fail(
        `layer ${show(name)} has no class_name, the key that names its type (such as "Dense"); got ${show(entry.class_name ?? null)}`,
      );
    const nodes = entry.inbound_nodes ?? [];
    if (!Array.isArray(nodes))
      fail(`layer ${show(name)}: inbound_nodes must be a list of the layer's applications; got ${show(nodes)}`);
    const isInput = entry.class_name === 'InputLayer';
    if (isInput && nodes.length) fail(`InputLayer ${show(name)} has inbound nodes ${show(nodes)}; expected []`);
    if (!isInput && nodes.length === 0)
      fail(`layer ${show(name)} has no inbound nodes: it is never applied; expected at least one application`);
    const layer = { index: i, name, className: entry.class_name, config, isInput };
    layer.nodes = nodes.map((node, k) => readNode(node, `layer ${show(name)}, inbound node ${k}`));
    byName.set(name, layer);
  }
  return byName;
}

// The applications in an order that runs: each after the tensors it takes and after the
// same layer's earlier applications (so that node k becomes our "layer:k").
function applicationOrder(byName, outputs) {
  const order = [];
  const state = new Map(); // key -> 'open' while its inputs are visited, then 'done'
  const trail = [];
  const visit = (name, node) => {
    const layer = byName.get(name);
    const id = key(name, node);
    if (layer.isInput || state.get(id) === 'done') return;
    if (state.get(id) === 'open') {
      const from = trail.findIndex((t) => t.id === id);
      const cycle = [...trail.slice(from), { name, node }].map((t) => nodeName(t.name, t.node)).join(' -> ');
      fail(`the layers form a cycle: ${cycle}; a model's graph has no cycles`);
    }
    state.set(id, 'open');
    trail.push({ id, name, node });
    if (node > 0) visit(name, node - 1);
    for (const ref of layer.nodes[node]) visit(ref.layer, ref.node);
    trail.pop();
    state.set(id, 'done');
    order.push({ layer, node });
  };
  outputs.forEach((ref) => visit(ref.layer, ref.node));
  for (const layer of byName.values()) layer.nodes.forEach((_, k) => visit(layer.name, k));
  // Every application must feed an output (Keras and TensorFlow.js write only those).
  const live = new Set();
  const stack = outputs.map((ref) => ref);
  while (stack.length) {
    const { layer, node } = stack.pop();
    const id = key(layer, node);
    if (live.has(id) || byName.get(layer).isInput) continue;
    live.add(id);
    stack.push(...byName.get(layer).nodes[node]);
  }
  const dead = order.find(({ layer, node }) => !live.has(key(layer.name, node)));
  if (dead)
    fail(
      `layer ${nodeName(dead.layer.name, dead.node)} leads to no output; every layer must lead to one of ${show(outputs.map((r) => r.layer))}`,
    );
  return order;
}

// From a "Model"/"Functional" topology: our layers (in the order the model's getWeights
// lists them) and make(), which makes the dl.model; nothing is made in the engine until
// then, so that the caller can check the weights first. `notes` gets a line for each layer
// left out (training-only layers pass their input on); `softmaxAxes` the Softmax layers
// whose axis the caller checks once shapes are known.
export function graphFromTopology(topology, seed, notes = [], softmaxAxes = [], flavour = kerasFlavour(topology)) {
  const kind = show(topology.class_name);
  const config = topology.config;
  if (!config || typeof config !== 'object' || !Array.isArray(config.layers) || config.layers.length === 0)
    fail(
      `the ${kind} model has no layers: config.layers must be a non-empty list; got ${show(config?.layers ?? null)}`,
    );
  const inputs = readEnds(config.input_layers, 'input_layers');
  const outputs = readEnds(config.output_layers, 'output_layers');
  const byName = readLayers(config.layers);
  const inputNames = inputs.map((r) => r.layer);

  // Every reference names a layer and one of its nodes (its outputs are checked once the
  // layer is made: tensorOf).
  const check = (ref, where) => {
    const source = byName.get(ref.layer);
    if (!source)
      fail(
        `${where} takes ${show(ref.layer)}, which is not a layer of the model; expected one of ${show([...byName.keys()])}`,
      );
    const count = source.isInput ? 1 : source.nodes.length;
    if (ref.node >= count)
      fail(
        `${where} takes node ${ref.node} of ${show(ref.layer)}, which has ${count} node${count > 1 ? 's' : ''}; expected a node index from 0 to ${count - 1}`,
      );
    if (source.isInput && !inputNames.includes(ref.layer))
      fail(`${where} takes InputLayer ${show(ref.layer)}, which is not among the model's inputs ${show(inputNames)}`);
  };
  inputs.forEach((ref, i) => {
    check(ref, `config.input_layers[${i}]`);
    if (!byName.get(ref.layer).isInput)
      fail(
        `config.input_layers[${i}] names ${show(ref.layer)}, a ${byName.get(ref.layer).className}; expected an InputLayer`,
      );
  });
  outputs.forEach((ref, i) => {
    check(ref, `config.output_layers[${i}]`);
    if (byName.get(ref.layer).isInput)
      fail(`config.output_layers[${i}] names InputLayer ${show(ref.layer)}; an output must be a layer's`);
  });
  for (const layer of byName.values())
    layer.nodes.forEach((node, k) => node.forEach((ref) => check(ref, `layer ${show(layer.name)}, inbound node ${k}`)));
  const order = applicationOrder(byName, outputs);

  // Our layers, each made once (so that its applications share its weights).
  const ours = new Map();
  const ourLayer = (layer) => {
    if (ours.has(layer.name)) return ours.get(layer.name);
    const shown = show(layer.name);
    let [className, layerConfig] = [layer.className, layer.config];
    // A JavaScript layer of a registered class; null: a training-only layer, which passes
    // its input on.
    let made = layerFromFile(className, layerConfig);
    if (!made && TRAINING_ONLY.includes(className))
      notes.push(`${layer.name} (${className}) left out: it acts only while training and holds no weights`);
    else if (!made) {
      if (className === 'Softmax') {
        const axis = [layerConfig.axis ?? -1].flat();
        if (axis.length !== 1 || !Number.isInteger(axis[0]))
          fail(`layer ${shown}: a Softmax over axes ${show(layerConfig.axis)}; only the last axis is supported`);
        softmaxAxes.push({ name: layer.name, axis: axis[0], shown });
        [className, layerConfig] = ['Activation', { ...layerConfig, activation: 'softmax' }];
      }
      made = layerObject({ ...fromKeras(className, layerConfig, shown, flavour), name: layer.name });
    }
    ours.set(layer.name, made);
    return made;
  };
  const tensors = new Map(
    inputs.map((ref) => [key(ref.layer, 0), input({ shape: inputShape(byName.get(ref.layer)), name: ref.layer })]),
  );
  // Output `ref.tensor` of an application: one of a layer of several (an LSTM's states).
  const tensorOf = (ref, where) => {
    const made = tensors.get(key(ref.layer, ref.node));
    const list = Array.isArray(made) ? made : [made];
    if (ref.tensor >= list.length)
      fail(
        `${where} takes output ${ref.tensor} of ${nodeName(ref.layer, ref.node)}, which gives ${list.length === 1 ? 'one output; expected tensor index 0' : `${list.length} outputs; expected a tensor index from 0 to ${list.length - 1}`}`,
      );
    return list[ref.tensor];
  };
  try {
    for (const { layer, node } of order) {
      const from = layer.nodes[node].map((ref, i) => tensorOf(ref, `layer ${nodeName(layer.name, node)}, tensor ${i}`));
      const made = ourLayer(layer);
      if (!made && from.length !== 1)
        fail(`layer ${nodeName(layer.name, node)} (${layer.className}) takes ${from.length} tensors; expected one`);
      const applied = isCustomLayer(made)
        ? made.apply(from.length === 1 ? from[0] : from)
        : made && applyLayer(made, from);
      tensors.set(key(layer.name, node), made ? applied : from[0]);
    }
  } catch (error) {
    // (JavaScript layers made before a failure are freed: their weights are variables.)
    for (const made of ours.values()) if (isCustomLayer(made)) made.dispose();
    throw error;
  }
  // (A graph of JavaScript layers runs as layers: mixed_graph.js.)
  const custom = [...ours.values()].some(isCustomLayer);
  const make = () => {
    try {
      return (custom ? mixedFiles.graph : (config) => new Model(config))({
        inputs: inputs.map((ref) => tensors.get(key(ref.layer, 0))),
        outputs: outputs.map((ref, i) => tensorOf(ref, `config.output_layers[${i}]`)),
        name: typeof config.name === 'string' ? config.name : undefined,
        seed,
      });
    } catch (error) {
      fail(`the ${kind} model: ${error.message}`);
    }
  };
  return { layers: [...new Set(order.map(({ layer }) => ours.get(layer.name)).filter(Boolean))], make };
}
