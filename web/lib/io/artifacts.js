// Model artifacts in TensorFlow.js' layers format: export (topology, weight specs, one
// binary of float32 weights, training configuration) and import, which checks every part
// before it builds anything.
import { Sequential } from '../model.js';
import { fail, lookup } from './errors.js';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES } from './limits.js';
import { catalog, weightNames } from '../catalog.js';
import { GRAPH_CLASSES, graphFromTopology, graphTopology } from './functional_files.js';
import { TRAINING_ONLY, fromKeras, kerasFlavour, ourOptimizer, toKeras, trainingConfig } from './keras.js';
import { show } from '../show.js';
import { mixedFiles } from '../layer_registry.js';

// A Sequential's topology as TensorFlow.js saves a tf.sequential.
function sequentialTopology(model, info) {
  const layers = model.layerConfigs.map((l, i) => {
    const name = info.layers[i].name;
    const { trainable = true, ...rest } = l;
    const [className, config] = toKeras({ ...rest, name });
    const full = { name, trainable, dtype: 'float32', ...config };
    if (i === 0) full.batch_input_shape = [null, ...info.inputShape];
    return { class_name: className, config: full };
  });
  return {
    class_name: 'Sequential',
    config: { name: 'sequential', layers },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

// The model as TensorFlow.js model artifacts; a graph model (dl.model) as TensorFlow.js
// saves a tf.model (functional_files.js).
export async function exportModel(model) {
  // A model of JavaScript layers (the core API's mixed_files.js).
  if (model.mixedState) return mixedFiles.exportModel(model);
  const info = await model.build();
  const weights = await model.weightEntries();
  const weightSpecs = weights.map((w) => ({ name: `${w.layer}/${w.name}`, shape: w.shape, dtype: 'float32' }));
  const total = weights.reduce((sum, w) => sum + w.values.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    data.set(w.values, offset);
    offset += w.values.length;
  }
  const artifacts = {
    modelTopology: model.graph ? graphTopology(model) : sequentialTopology(model, info),
    format: 'layers-model',
    generatedBy: 'dl-playground',
    convertedBy: null,
    weightSpecs,
    weightData: data.buffer,
  };
  if (model.compileConfig) artifacts.trainingConfig = trainingConfig(model.compileConfig, model.outputNames);
  artifacts.userDefinedMetadata = { seed: model.seed };
  return artifacts;
}

function parseModelJson(text) {
  if (typeof text !== 'string') return text;
  if (text.length > MAX_MODEL_JSON_BYTES)
    fail(`model.json is ${text.length} bytes; the limit is ${MAX_MODEL_JSON_BYTES}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`model.json is not valid JSON (${error.message})`);
  }
}

// From a Keras/TensorFlow.js topology: our layers, and make(), which makes the model (a
// Sequential, or a graph model for the classes of functional models) in the engine;
// `notes` gets a line for each layer left out.
function modelFromTopology(topology, seed, notes, softmaxAxes) {
  const model = topology?.model_config ?? topology;
  if (!model || typeof model !== 'object') fail('modelTopology is missing');
  // Keras' files leave out options at Keras' defaults, and Keras 3's hard_sigmoid differs.
  const flavour = kerasFlavour(topology);
  if (GRAPH_CLASSES.includes(model.class_name)) return graphFromTopology(model, seed, notes, softmaxAxes, flavour);
  if (model.class_name !== 'Sequential')
    fail(
      `the model's class_name is ${show(model.class_name ?? null)}; expected ${show(['Sequential', ...GRAPH_CLASSES])}`,
    );
  const layers = layersFromTopology(model, notes, softmaxAxes, flavour);
  return { layers, make: () => new Sequential({ layers, seed }) };
}

// Our layer descriptions from a Sequential topology.
function layersFromTopology(model, notes, softmaxAxes, flavour) {
  const list = Array.isArray(model.config) ? model.config : model.config?.layers;
  if (!Array.isArray(list) || list.length === 0) fail('the Sequential model has no layers');
  let inputShape = null;
  const layers = [];
  for (const [i, layer] of list.entries()) {
    if (!layer || typeof layer !== 'object' || Array.isArray(layer))
      fail(`layer ${i} must be an object with class_name and config; got ${show(layer)}`);
    if (layer.config !== undefined && (typeof layer.config !== 'object' || layer.config === null))
      fail(`layer ${i}: config must be an object; got ${show(layer.config)}`);
    const config = layer.config ?? {};
    if (config.name !== undefined && typeof config.name !== 'string')
      fail(`layer ${i}: name must be a string; got ${show(config.name)}`);
    const name = config.name ?? `layer ${i}`;
    // How messages name the layer: by its name in the file, quoted, or by its index.
    const shown = config.name === undefined ? String(i) : show(config.name);
    const given = config.batch_input_shape ?? config.batch_shape;
    const shape = Array.isArray(given) ? given : undefined;
    if (layer.class_name === undefined)
      fail(
        `layer ${i}${config.name ? ` (${show(config.name)})` : ''} has no class_name, the key that names its type (such as "${catalog().layers[0].kerasClass}")`,
      );
    if (layer.class_name === 'InputLayer' || TRAINING_ONLY.includes(layer.class_name)) {
      if (layers.length === 0 && shape) inputShape = shape.slice(1);
      if (layer.class_name !== 'InputLayer')
        notes.push(`${name} (${layer.class_name}) left out: it acts only while training and holds no weights`);
      continue;
    }
    // A Softmax layer is the softmax activation (over the last axis, the only one we have).
    let [className, layerConfig] = [layer.class_name, config];
    if (className === 'Softmax') {
      // TensorFlow.js writes the axis as a number (1 for the last axis of a (batch, n) output).
      const axis = [config.axis ?? -1].flat();
      if (axis.length !== 1 || !Number.isInteger(axis[0]))
        fail(`layer ${shown}: a Softmax over axes ${show(config.axis)}; only the last axis is supported`);
      softmaxAxes.push({ index: layers.length, axis: axis[0], shown });
      [className, layerConfig] = ['Activation', { ...config, activation: 'softmax' }];
    }
    const ours = { ...fromKeras(className, layerConfig, shown, flavour), name };
    if (layers.length === 0) {
      const first = shape?.slice(1) ?? inputShape;
      if (!Array.isArray(first) || first.some((d) => !Number.isInteger(d) || d < 1))
        fail(`the first layer (layer ${shown}) needs a known input shape; got ${show(first)}`);
      ours.inputShape = first;
    }
    layers.push(ours);
  }
  return layers;
}

// Weight arrays in our order, from the specs and the binary; checks every one.
function weightsFor(layers, specs, data) {
  if (!Array.isArray(specs)) fail('the weights manifest is missing');
  if (!(data instanceof ArrayBuffer)) fail('the weights binary is missing');
  if (data.byteLength > MAX_WEIGHT_BYTES)
    fail(`the weights are ${data.byteLength} bytes; the limit is ${MAX_WEIGHT_BYTES}`);
  const byName = new Map();
  let offset = 0;
  for (const spec of specs) {
    if (!spec || typeof spec.name !== 'string' || !Array.isArray(spec.shape))
      fail('a weights manifest entry has no name or shape');
    // TensorFlow.js appends the optimizer's state (group "optimizer", some of it int32)
    // when asked to save it; a fresh optimizer starts here, so those bytes are skipped.
    const optimizerState = spec.group === 'optimizer';
    const width = lookup({ float32: 4, int32: 4 }, spec.dtype);
    if (!width || (!optimizerState && spec.dtype !== 'float32'))
      fail(`weight ${show(spec.name)} has dtype ${show(spec.dtype)}; only "float32" is supported`);
    if (spec.quantization) fail(`weight ${show(spec.name)} is quantized; quantized weights are not supported`);
    if (spec.shape.some((d) => !Number.isInteger(d) || d < 0))
      fail(`weight ${show(spec.name)} has shape ${show(spec.shape)}`);
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * width;
    if (offset + bytes > data.byteLength)
      fail(
        `the weights binary is truncated: it holds ${data.byteLength} bytes, but ${show(spec.name)} ends at byte ${offset + bytes}`,
      );
    if (!optimizerState)
      byName.set(spec.name.replace(/:0$/, ''), {
        shape: spec.shape,
        values: new Float32Array(data.slice(offset, offset + bytes)),
      });
    offset += bytes;
  }
  if (offset !== data.byteLength)
    fail(`the weights binary holds ${data.byteLength} bytes; the manifest describes ${offset}`);
  const ordered = [];
  for (const layer of layers) {
    for (const weight of weightNames(layer)) {
      const key = `${layer.name}/${weight}`;
      const found = byName.get(key);
      if (!found)
        fail(`missing weights for layer ${show(layer.name)}: ${weight} (expected an entry named ${show(key)})`);
      ordered.push({ key, ...found });
      byName.delete(key);
    }
  }
  if (byName.size) fail(`the weights file has weights no layer takes: ${show([...byName.keys()])}`);
  return ordered;
}

// A new model from TensorFlow.js artifacts ({modelTopology, weightSpecs, weightData,
// trainingConfig}) or from {modelJson, weights} as they come from files. Compiled when the
// artifacts carry a training configuration; its importNotes name the layers left out.
export async function importModel(input) {
  let artifacts = input;
  if (input?.modelJson !== undefined) {
    const json = parseModelJson(input.modelJson);
    const manifest = json?.weightsManifest;
    const specs = Array.isArray(manifest) ? manifest.flatMap((group) => group?.weights ?? []) : undefined;
    artifacts = { ...json, weightSpecs: specs, weightData: input.weights };
  }
  return fromArtifacts(artifacts, true);
}

// A new model, with fresh weights, from a topology alone (TensorFlow.js'
// tf.models.modelFromJSON): Keras' model.to_json(), a .keras file's config.json, or a
// model.json; text or parsed. Compiled when it carries a training configuration.
export async function modelFromJSON(json) {
  const parsed = parseModelJson(json);
  if (!parsed || typeof parsed !== 'object') fail(`expected a model topology object; got ${show(parsed ?? null)}`);
  return fromArtifacts({ ...parsed, modelTopology: parsed.modelTopology ?? parsed }, false);
}

async function fromArtifacts(artifacts, withWeights) {
  if (mixedFiles.holds?.(artifacts.modelTopology))
    return mixedFiles.importModel(artifacts, withWeights, (topology, notes) =>
      layersFromTopology(topology, notes, [], kerasFlavour(topology)),
    );
  const notes = [];
  const softmaxAxes = [];
  const seed = artifacts.userDefinedMetadata?.seed ?? 0;
  const { layers, make } = modelFromTopology(artifacts.modelTopology, seed, notes, softmaxAxes);
  const weights = withWeights ? weightsFor(layers, artifacts.weightSpecs, artifacts.weightData) : null;
  const model = make();
  // What the import changed, for the caller to show (layers left out).
  model.importNotes = notes;
  try {
    const built = await model.build();
    for (const { index, name, axis, shown } of softmaxAxes) {
      const layer = name === undefined ? built.layers[index] : built.layers.find((l) => l.name === name);
      const rank = layer.outputShape.length;
      if (axis !== -1 && axis !== rank)
        fail(`layer ${shown}: a Softmax over axis ${axis}; only the last axis (-1 or ${rank}) is supported`);
    }
    if (weights) {
      const expected = await model.weightEntries();
      expected.forEach((w, i) => {
        const got = weights[i];
        if (got.key !== `${w.layer}/${w.name}`)
          fail(`weight ${i} is ${show(got.key)}; the model takes ${show(`${w.layer}/${w.name}`)} there`);
        if (got.shape.join(',') !== w.shape.join(','))
          fail(`${show(got.key)} has shape [${got.shape}]; the layer needs [${w.shape}]`);
      });
      await model.setWeights(weights.map((w) => w.values));
    }
    const training = artifacts.trainingConfig;
    if (training?.loss) {
      const optimizer = training.optimizer_config ? ourOptimizer(training.optimizer_config) : 'sgd';
      // Keras writes metrics as a list, TensorFlow.js sometimes as an object of lists: by
      // output name, which a model of several outputs takes as it is.
      const several = (model.outputs?.length ?? 1) > 1;
      const metrics =
        Array.isArray(training.metrics) || several ? training.metrics : Object.values(training.metrics ?? {}).flat();
      const lossWeights = training.loss_weights ?? undefined;
      await model.compile({
        optimizer,
        loss: training.loss,
        metrics: metrics ?? [],
        fromLogits: Boolean(training.from_logits),
        ...(lossWeights ? { lossWeights } : {}),
      });
    }
    return model;
  } catch (error) {
    await model.dispose();
    throw error;
  }
}
