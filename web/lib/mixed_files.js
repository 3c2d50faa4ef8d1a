// A Sequential holding JavaScript layers (mixed_model.js) as TensorFlow.js model artifacts:
// each JavaScript layer as {class_name: its className, config: getConfig()}, as
// TensorFlow.js saves one; the weights in layer order. Made again from artifacts by the
// classes dl.serialization.registerClass recorded (TensorFlow.js' fromConfig: new
// cls(config)). io/artifacts.js calls these through layer_registry.js.
import { camel, snake } from './catalog.js';
import { fail } from './io/errors.js';
import { toKeras } from './io/keras.js';
import { MAX_WEIGHT_BYTES } from './io/limits.js';
import { registeredClasses } from './layer_registry.js';
import { parts } from './mixed_model.js';
import { Sequential } from './model.js';
import { train } from './optimizers.js';
import { show } from './show.js';
import { tensor } from './tensor.js';

// A config's keys (and those of objects in it) renamed, as TensorFlow.js writes a
// JavaScript layer's config in snake_case and reads it back in camelCase.
function renameKeys(value, rename) {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k), renameKeys(v, rename)]));
}

export async function exportMixed(model) {
  const layers = [];
  const specs = [];
  const chunks = [];
  for (const p of parts(model, 'exportModel')) {
    if (p.engine) {
      const { info } = p.engine;
      p.engine.layerConfigs.forEach((layer, i) => {
        // (The input shape a run of engine layers was given is the model's to say.)
        const { trainable = true, inputShape, batchInputShape, ...rest } = layer;
        const [className, config] = toKeras({ ...rest, name: info.layers[i].name });
        const full = { name: info.layers[i].name, trainable, dtype: 'float32', ...config };
        if (!layers.length) full.batch_input_shape = [null, ...info.inputShape];
        layers.push({ class_name: className, config: full });
      });
      for (const w of await p.engine.getWeights()) {
        specs.push({ name: `${w.layer}/${w.name}`, shape: w.shape, dtype: 'float32' });
        chunks.push(w.values);
      }
    } else {
      layers.push({ class_name: p.layer.constructor.className, config: renameKeys(p.layer.getConfig(), snake) });
      for (const w of p.layer.weights) {
        specs.push({ name: w.originalName ?? w.name, shape: w.shape, dtype: 'float32' });
        chunks.push(await w.val.data());
      }
    }
  }
  const data = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    data.set(c, offset);
    offset += c.length;
  }
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential', layers },
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

// layersFromTopology: io/artifacts.js' reader of the engine's layers, for one at a time.
export async function importMixed(artifacts, withWeights, layersFromTopology) {
  const topology = artifacts.modelTopology.model_config ?? artifacts.modelTopology;
  if (topology.class_name !== 'Sequential')
    fail(`JavaScript layers are read in Sequential models; this model's class_name is ${show(topology.class_name)}`);
  const list = Array.isArray(topology.config) ? topology.config : topology.config.layers;
  const model = new Sequential({ seed: artifacts.userDefinedMetadata?.seed ?? 0 });
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
    const all = parts(model, 'importModel');
    if (withWeights) {
      const values = readWeights(artifacts.weightSpecs, artifacts.weightData);
      // By name where the file names every weight as the layers do (TensorFlow.js lists a
      // model's trainable weights first), else in the file's order.
      const byName = new Map(values.map((w) => [w.name.replace(/:0$/, ''), w]));
      const wanted = [];
      for (const p of all)
        if (p.engine) for (const e of await p.engine.getWeights()) wanted.push(`${e.layer}/${e.name}`);
        else for (const weight of p.layer.weights) wanted.push(weight.originalName);
      const named = wanted.every((name) => byName.has(name));
      let k = 0;
      const next = (shape, name) => {
        const w = named ? byName.get(name) : values[k];
        k++;
        if (!w) fail(`the weights file ends before ${show(name)}`);
        if (show(w.shape) !== show(shape))
          fail(`${show(w.name)} has shape ${show(w.shape)}; ${show(name)} needs ${show(shape)}`);
        return w;
      };
      for (const p of all) {
        if (p.engine) {
          const expected = await p.engine.getWeights();
          await p.engine.setWeights(expected.map((e) => next(e.shape, `${e.layer}/${e.name}`).values));
        } else
          for (const weight of p.layer.weights) {
            const w = next(weight.shape, weight.originalName);
            const t = tensor(w.values, w.shape);
            weight.write(t);
            t.dispose();
          }
      }
      if (k !== values.length) fail(`the weights file has ${values.length - k} weights no layer takes`);
    }
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
