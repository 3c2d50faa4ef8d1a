// A Sequential holding JavaScript layers (mixed_model.js) as TensorFlow.js model artifacts:
// each JavaScript layer as {class_name: its className, config: getConfig()}, as
// TensorFlow.js saves one; the weights in layer order. Made again from artifacts by the
// classes dl.serialization.registerClass recorded (TensorFlow.js' fromConfig: new
// cls(config)). io/artifacts.js calls these through layer_registry.js.
import { camel, snake } from './catalog.js';
import { fail } from './io/errors.js';
import { GRAPH_CLASSES, graphFromTopology } from './io/functional_files.js';
import { kerasFlavour, toKeras } from './io/keras.js';
import { MAX_WEIGHT_BYTES } from './io/limits.js';
import { isCustomLayer, registeredClasses, renameKeys } from './layer_registry.js';
import { parts, weightsInLayerOrder } from './mixed_model.js';
import { Sequential } from './model.js';
import { train } from './optimizers.js';
import { show } from './show.js';
import { tensor } from './tensor.js';

// A JavaScript layer's entry in a file, as TensorFlow.js writes it.
const javaScriptEntry = (layer) => ({
  class_name: layer.constructor.className,
  config: renameKeys(layer.getConfig(), snake),
});

// An engine layer's entry, named `name` (its input shape is the model's to say).
function engineEntry(layer, name) {
  const { trainable = true, inputShape, batchInputShape, ...rest } = layer;
  const [className, config] = toKeras({ ...rest, name });
  return { class_name: className, config: { name, trainable, dtype: 'float32', ...config } };
}

// A graph model (mixed_graph.js' LayerGraph) as TensorFlow.js saves a tf.model: an
// InputLayer per input, each layer once with an inbound node per application, in the order
// they were applied; the weights layer by layer, named by the names the file gives.
async function exportGraph(model) {
  // The names the layers were given (every JavaScript layer has one) are kept; an engine
  // layer left unnamed is named by its type (its weights too, in the file).
  const names = new Map();
  const taken = new Set(model.inputs.map((t) => t.name));
  for (const layer of model.layerConfigs.filter((l) => l.name !== undefined)) {
    if (taken.has(layer.name))
      throw new Error(
        `save: two layers or inputs of the model are named ${show(layer.name)}; a saved model needs each name once`,
      );
    taken.add(layer.name);
    names.set(layer, layer.name);
  }
  for (const layer of model.layerConfigs.filter((l) => l.name === undefined)) {
    const base = snake(layer.type);
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    names.set(layer, name);
  }
  const refs = new Map(model.inputs.map((t) => [t, [t.name, 0, 0]]));
  const entries = new Map();
  for (const t of model.inputs) {
    const config = { batch_input_shape: t.shape, dtype: 'float32', sparse: false, name: t.name };
    entries.set(t, { name: t.name, class_name: 'InputLayer', config, inbound_nodes: [] });
  }
  const reached = new Set();
  const visit = (t) => {
    if (reached.has(t) || refs.has(t)) return;
    reached.add(t);
    t.inputs.forEach(visit);
  };
  model.outputs.forEach(visit);
  // (Symbolic tensors are made in the order of the apply() calls.)
  for (const t of [...reached].sort((a, b) => a.order - b.order)) {
    const name = names.get(t.sourceLayer);
    if (t.whole) {
      refs.set(t, [name, refs.get(t.whole)[1], t.part]);
      continue;
    }
    if (!entries.has(t.sourceLayer)) {
      const layer = t.sourceLayer;
      const entry = isCustomLayer(layer) ? javaScriptEntry(layer) : engineEntry(layer, name);
      entries.set(layer, { name, ...entry, inbound_nodes: [] });
    }
    const entry = entries.get(t.sourceLayer);
    refs.set(t, [name, entry.inbound_nodes.length, 0]);
    entry.inbound_nodes.push(t.inputs.map((i) => [...refs.get(i), {}]));
  }
  const specs = [];
  const chunks = [];
  for (const layer of model.layerConfigs) {
    const custom = isCustomLayer(layer);
    for (const w of layer.weights) {
      // An engine weight named after its layer in the file: <name>/kernel, <name>/bias, ...
      const own = custom ? w.originalName : `${names.get(layer)}/${w.name.slice(w.layerName.length + 1)}`;
      specs.push({ name: own, shape: w.shape, dtype: 'float32' });
      // (A JavaScript layer's variable itself; a copy of an engine layer's weight.)
      const t = custom ? w.val : w.read();
      chunks.push(await t.data());
      if (!custom) t.dispose();
    }
  }
  const topology = {
    class_name: 'Model',
    config: {
      name: model.name,
      layers: [...entries.values()],
      input_layers: model.inputs.map((t) => refs.get(t)),
      output_layers: model.outputs.map((t) => refs.get(t)),
    },
  };
  return artifactsOf(model, topology, specs, chunks);
}

export async function exportMixed(model) {
  if (model.mixedState.graph) return exportGraph(model);
  const layers = [];
  const specs = [];
  const chunks = [];
  for (const p of parts(model, 'exportModel')) {
    if (p.engine) {
      const { info } = p.engine;
      p.engine.layerConfigs.forEach((layer, i) => {
        const entry = engineEntry(layer, info.layers[i].name);
        if (!layers.length) entry.config.batch_input_shape = [null, ...info.inputShape];
        layers.push(entry);
      });
      for (const w of await p.engine.weightEntries()) {
        specs.push({ name: `${w.layer}/${w.name}`, shape: w.shape, dtype: 'float32' });
        chunks.push(w.values);
      }
    } else {
      layers.push(javaScriptEntry(p.layer));
      for (const w of p.layer.weights) {
        specs.push({ name: w.originalName ?? w.name, shape: w.shape, dtype: 'float32' });
        chunks.push(await w.val.data());
      }
    }
  }
  return artifactsOf(model, { class_name: 'Sequential', config: { name: 'sequential', layers } }, specs, chunks);
}

// The artifacts of a model of this topology, whose weights (as specs) hold these values.
function artifactsOf(model, topology, specs, chunks) {
  const data = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    data.set(c, offset);
    offset += c.length;
  }
  return {
    modelTopology: {
      ...topology,
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'dl-playground',
    convertedBy: null,
    weightSpecs: specs,
    weightData: data.buffer,
    userDefinedMetadata: { seed: model.seed },
    ...trainingOf(model),
  };
}

const OPTIMIZER_CLASSES = { sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSProp', adagrad: 'Adagrad', adadelta: 'Adadelta' };

// The training configuration TensorFlow.js saves, when the loss and metrics have names.
function trainingOf(model) {
  const given = model.mixedState.given;
  if (typeof given?.loss !== 'string') return {};
  const { type = 'sgd', learningRate } = given.optimizer;
  return {
    trainingConfig: {
      loss: snake(given.loss),
      metrics: given.metrics.filter((m) => typeof m === 'string'),
      optimizer_config: {
        class_name: OPTIMIZER_CLASSES[type],
        config: learningRate ? { learning_rate: learningRate } : {},
      },
    },
  };
}

// The weights' values in the order of the manifest, each checked.
function readWeights(specs, data) {
  if (!Array.isArray(specs)) fail('the weights manifest is missing');
  if (!(data instanceof ArrayBuffer)) fail('the weights binary is missing');
  if (data.byteLength > MAX_WEIGHT_BYTES)
    fail(`the weights are ${data.byteLength} bytes; the limit is ${MAX_WEIGHT_BYTES}`);
  let offset = 0;
  const out = specs.map((spec) => {
    if (spec?.dtype !== 'float32' || !Array.isArray(spec.shape))
      fail(`weight ${show(spec?.name)}: expected a float32 weight with a shape; got ${show(spec)}`);
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * 4;
    if (offset + bytes > data.byteLength)
      fail(`the weights binary is truncated: ${show(spec.name)} ends at byte ${offset + bytes} of ${data.byteLength}`);
    const values = new Float32Array(data.slice(offset, offset + bytes));
    offset += bytes;
    return { name: spec.name, shape: spec.shape, values };
  });
  if (offset !== data.byteLength)
    fail(`the weights binary holds ${data.byteLength} bytes; the manifest describes ${offset}`);
  return out;
}

// Whether a topology names a registered JavaScript layer class.
export function holdsJavaScriptLayers(topology) {
  const model = topology?.model_config ?? topology;
  const list = Array.isArray(model?.config) ? model.config : model?.config?.layers;
  return Array.isArray(list) && list.some((l) => registeredClasses.has(l?.class_name));
}

// A Sequential of the topology's layers: each JavaScript layer made by its registered
// class, each engine layer read by layersFromTopology (io/artifacts.js' reader, for one
// at a time).
function sequentialOf(topology, seed, layersFromTopology) {
  const list = Array.isArray(topology.config) ? topology.config : topology.config.layers;
  const model = new Sequential({ seed });
  try {
    list.forEach((entry, i) => {
      const cls = registeredClasses.get(entry?.class_name);
      if (cls) return model.add(new cls(renameKeys(entry.config ?? {}, camel)));
      // (Read as the first layer of a model of its own, its input shape then dropped.)
      const config = { ...entry.config, batch_input_shape: entry.config?.batch_input_shape ?? [null, 1] };
      const [layer] = layersFromTopology({ class_name: 'Sequential', config: { layers: [{ ...entry, config }] } }, []);
      if (!layer) return;
      if (i > 0 || !entry.config?.batch_input_shape) delete layer.inputShape;
      model.add(layer);
    });
    parts(model, 'importModel');
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

// The file's weights into the model's, by name where the file names every weight as the
// layers do (TensorFlow.js lists a model's trainable weights first), else in the file's
// order (layer by layer).
function assignWeights(model, artifacts) {
  const values = readWeights(artifacts.weightSpecs, artifacts.weightData);
  const byName = new Map(values.map((w) => [w.name.replace(/:0$/, ''), w]));
  const list = weightsInLayerOrder(model);
  const nameOf = (w) => w.originalName ?? w.name;
  const named = list.every((w) => byName.has(nameOf(w)));
  list.forEach((weight, k) => {
    const w = named ? byName.get(nameOf(weight)) : values[k];
    if (!w) fail(`the weights file ends before ${show(nameOf(weight))}`);
    if (show(w.shape) !== show(weight.shape))
      fail(`${show(w.name)} has shape ${show(w.shape)}; ${show(nameOf(weight))} needs ${show(weight.shape)}`);
    const t = tensor(w.values, w.shape);
    weight.write(t);
    t.dispose();
  });
  if (list.length < values.length) fail(`the weights file has ${values.length - list.length} weights no layer takes`);
}

// A graph model of the topology's layers (its JavaScript layers freed if it cannot be made).
function graphOf(artifacts, topology, seed, notes) {
  const softmaxAxes = [];
  const { layers, make } = graphFromTopology(topology, seed, notes, softmaxAxes, kerasFlavour(artifacts.modelTopology));
  try {
    for (const { axis, shown } of softmaxAxes)
      if (axis !== -1)
        fail(`layer ${shown}: a Softmax over axis ${axis}; beside JavaScript layers only the last axis (-1) is read`);
    return make();
  } catch (error) {
    for (const layer of layers) if (isCustomLayer(layer)) layer.dispose();
    throw error;
  }
}

// A Sequential or a graph model (class Model or Functional) holding JavaScript layers.
export async function importMixed(artifacts, withWeights, layersFromTopology) {
  const topology = artifacts.modelTopology.model_config ?? artifacts.modelTopology;
  const graph = GRAPH_CLASSES.includes(topology.class_name);
  if (!graph && topology.class_name !== 'Sequential')
    fail(
      `JavaScript layers are read in Sequential and graph models (${show(GRAPH_CLASSES)}); this model's class_name is ${show(topology.class_name)}`,
    );
  const seed = artifacts.userDefinedMetadata?.seed ?? 0;
  const notes = [];
  const model = graph ? graphOf(artifacts, topology, seed, notes) : sequentialOf(topology, seed, layersFromTopology);
  // What the import changed, for the caller to show (layers left out).
  model.importNotes = notes;
  try {
    if (withWeights) assignWeights(model, artifacts);
    const training = artifacts.trainingConfig;
    if (training?.loss) {
      const { class_name: name = 'sgd', config = {} } = training.optimizer_config ?? {};
      const make = train[String(name).toLowerCase()];
      if (!make) fail(`the optimizer ${show(name)} is not one of ${show(Object.keys(train))}`);
      await model.compile({
        optimizer: make(config.learning_rate ?? config.learningRate),
        loss: camel(training.loss),
        metrics: training.metrics ?? [],
      });
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
