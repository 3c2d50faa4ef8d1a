// Our layer, optimizer and training descriptions <-> the Keras/TensorFlow.js ones, in
// both directions, with the names of each layer's weights.
import { camel, catalog, layerSpec, optimizerSpec, snake, wrappedName } from '../catalog.js';
import { fail, lookup } from './errors.js';
import { show } from '../show.js';

// Layers that act only while training and hold no weights: at inference the model is the
// same without them, so the importers leave them out (and say which in importNotes).
export const TRAINING_ONLY = [
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
];

const pair = (v) => (Array.isArray(v) ? v : [v, v]);
// ZeroPadding2D's padding as Keras saves it: ((top, bottom), (left, right)).
const margins = (v) =>
  Array.isArray(v)
    ? v.map((side) => (Array.isArray(side) ? side : [side, side]))
    : [
        [v, v],
        [v, v],
      ];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isActivation = (option) => option.kind === 'choice' && same(option.choices, catalog().activations);

// One of our layer descriptions (with its name) as Keras' [class_name, config]: every
// option the catalog maps to Keras, at its default when the layer leaves it out, and the
// values Keras' config holds that the engine does not vary.
// null as a value of its own, not "the default": a choice among which null is one
// (Bidirectional's mergeMode null gives both directions).
const keepsNull = (option, value) => value === null && option.kind === 'choice' && option.choices.includes('null');

export function toKeras(layer) {
  const spec = layerSpec(layer.type);
  if (!spec) fail(`layer ${show(layer.name)}: unknown layer type ${show(layer.type)}`);
  const config = {};
  for (const option of spec.options) {
    if (!option.keras) continue;
    let value = keepsNull(option, layer[option.name]) ? null : (layer[option.name] ?? option.default);
    if (option.kind === 'size' && value !== null) value = pair(value);
    if (option.kind === 'margins' && value !== null) value = margins(value);
    // A wrapper's layer (TimeDistributed, Bidirectional) is Keras' {class_name, config}.
    if (option.kind === 'layer' && value !== null) {
      // Named as the engine names it, since Bidirectional's weights carry the name.
      const [className, inner] = toKeras(value);
      value = { class_name: className, config: { name: wrappedName(value), ...inner } };
    }
    if (isActivation(option) && value !== null) {
      value = snake(value);
      if (!catalog().kerasActivations.includes(value))
        fail(`layer ${show(layer.name)}: activation ${show(layer[option.name])} has no TensorFlow.js equivalent`);
    }
    config[option.keras] = value;
  }
  for (const fixed of spec.kerasFixed) config[fixed.key] = fixed.accepted[0];
  return [spec.kerasClass, config];
}

// Who wrote a topology, which decides what its left-out options and 'hard_sigmoid' mean:
// 'tfjs' (TensorFlow.js and our files: keras_version 'tfjs-layers ...', or none), 'keras2'
// (tf.keras' to_json: keras_version '2.x') or 'keras3' (keras_version '3.x', or a .keras
// file's config.json, which has no version but a `module` beside each class_name).
export function kerasFlavour(topology) {
  const model = topology?.model_config ?? topology;
  const version = topology?.keras_version ?? model?.keras_version;
  if (typeof version === 'string') {
    if (version.startsWith('tfjs')) return 'tfjs';
    if (/^3\./.test(version)) return 'keras3';
    if (/^[12]\./.test(version)) return 'keras2';
  }
  return typeof model?.module === 'string' ? 'keras3' : 'tfjs';
}

// Keras 3's hard_sigmoid is relu6(x + 3) / 6, ours (TensorFlow.js' and Keras 2's)
// clip(0.2 x + 0.5, 0, 1): a Keras 3 file's is our hard_sigmoid_keras.
const KERAS3_ACTIVATIONS = { hard_sigmoid: 'hard_sigmoid_keras' };

// A Keras layer (class name and config) as our description; refuses a class the catalog
// lacks and a fixed value (data_format, dilation_rate, ...) other than the accepted. `name`
// is how messages name the layer (its name in the file quoted, or its index). `flavour`
// (kerasFlavour) says who wrote the file: for Keras (2 or 3; true also means Keras) an
// option left out means Keras 3's default where it differs from TensorFlow.js' (LSTM's
// recurrent activation, GRU's reset_after); for Keras 3, 'hard_sigmoid' is Keras 3's.
// keras_hub's layers may come as their registered name ('keras_hub>PositionEmbedding').
export function fromKeras(givenClass, config, name, flavour = 'tfjs') {
  const kerasDefaults = flavour === true || flavour === 'keras2' || flavour === 'keras3';
  const className = typeof givenClass === 'string' ? givenClass.replace(/^keras_(hub|nlp)>/, '') : givenClass;
  const spec = typeof className === 'string' ? layerSpec(className) : null;
  if (!spec || spec.kerasClass !== className)
    fail(
      `layer ${name} is a ${show(givenClass)}, which this playground does not support (supported: ${catalog()
        .layers.map((l) => l.kerasClass)
        .join(
          ', ',
        )}; a layer written in JavaScript is read once its class is registered with dl.serialization.registerClass)`,
    );
  for (const fixed of spec.kerasFixed) {
    const value = config[fixed.key];
    if (value !== undefined && value !== null && !fixed.accepted.some((a) => same(a, value)))
      fail(`layer ${name}: ${fixed.why} (${fixed.key} is ${show(value)})`);
  }
  const ours = { type: spec.type };
  // A frozen layer stays frozen (Keras' and TensorFlow.js' trainable=False).
  if (config.trainable === false) ours.trainable = false;
  for (const option of spec.options) {
    const value = option.keras ? lookup(config, option.keras) : undefined;
    if (keepsNull(option, value)) {
      ours[option.name] = null;
      continue;
    }
    if (value === undefined || value === null) {
      if (kerasDefaults && option.keras && !same(option.kerasDefault, option.default))
        ours[option.name] = option.kerasDefault;
      continue;
    }
    if (option.kind === 'layer') {
      if (typeof value !== 'object' || typeof value.class_name !== 'string')
        fail(`layer ${name}: ${option.keras} must be a layer as {class_name, config}; got ${show(value)}`);
      ours[option.name] = fromKeras(value.class_name, value.config ?? {}, `${name}'s ${option.keras}`, flavour);
      // Its name names Bidirectional's weights (forward_<name>/kernel).
      if (typeof value.config?.name === 'string') ours[option.name].name = value.config.name;
      continue;
    }
    if (flavour === 'keras3' && isActivation(option) && typeof value === 'string')
      ours[option.name] = KERAS3_ACTIVATIONS[snake(value)] ?? value;
    else ours[option.name] = option.kind === 'size' ? pair(value) : value;
  }
  return ours;
}

// An optimizer as TensorFlow.js saves it: its class and every setting, complete (it reads
// no defaults), under TensorFlow.js' names; both come from the catalog. TensorFlow.js' SGD
// has no momentum: SGD with momentum is its Momentum class.
function tfjsOptimizer(given) {
  const o = typeof given === 'string' ? { type: given } : given;
  const spec = optimizerSpec(o.type);
  if (!spec) fail(`optimizer ${show(o.type)} has no TensorFlow.js equivalent`);
  const config = {};
  for (const [name, fallback] of Object.entries(spec.options))
    config[spec.tfjsNames[name] ?? name] = o[name] ?? fallback;
  if (spec.name === 'sgd')
    return config.momentum
      ? { class_name: 'Momentum', config: { ...config, useNesterov: Boolean(config.useNesterov) } }
      : { class_name: 'SGD', config: { learningRate: config.learningRate } };
  return { class_name: spec.tfjsClass, config };
}

// The training configuration in Keras' form: loss in snake_case (a list, one per output,
// for several outputs), the optimizer as TensorFlow.js names it. Several outputs' metrics
// are one list when every output has the same (Keras applies such a list to each), else an
// object by output name; loss weights other than 1 are written as Keras writes them
// (TensorFlow.js 4.22 refuses to load loss_weights).
export function trainingConfig({ optimizer, loss, metrics, lossWeights, fromLogits }, outputNames = null) {
  const perOutput = Array.isArray(loss);
  const same = perOutput && metrics.every((m) => JSON.stringify(m) === JSON.stringify(metrics[0]));
  return {
    loss: perOutput ? loss.map(snake) : snake(loss),
    metrics: !perOutput
      ? metrics
      : same
        ? (metrics[0] ?? [])
        : Object.fromEntries(outputNames.map((name, k) => [name, metrics[k]])),
    ...(lossWeights && lossWeights.some((w) => w !== 1) ? { loss_weights: lossWeights } : {}),
    optimizer_config: tfjsOptimizer(optimizer),
    ...(fromLogits ? { from_logits: true } : {}),
  };
}

// An optimizer as TensorFlow.js or Keras saved it, as ours.
export function ourOptimizer(saved) {
  if (typeof saved !== 'object' || Array.isArray(saved))
    fail(`the optimizer must be an object with class_name and config; got ${show(saved)}`);
  const className = saved.class_name;
  const config = saved.config ?? {};
  if (typeof config !== 'object') fail(`the optimizer's config must be an object; got ${show(config)}`);
  // Ours, Keras' and TensorFlow.js' class names (and TensorFlow.js' Momentum, an SGD).
  const key = String(className).toLowerCase();
  const spec =
    key === 'momentum'
      ? optimizerSpec('sgd')
      : catalog().optimizers.find((o) => [o.name, o.kerasClass, o.tfjsClass].some((n) => n.toLowerCase() === key));
  if (!spec)
    fail(
      `optimizer ${show(className)} is not supported (supported: ${catalog()
        .optimizers.map((o) => o.kerasClass)
        .join(', ')}, and TensorFlow.js' Momentum)`,
    );
  // A setting by our name, Keras' snake_case (lr is Keras' old learning_rate) or
  // TensorFlow.js' name. The settings this optimizer takes are the catalog's list; Keras'
  // others (amsgrad, centered, weight_decay, ...) have no counterpart and are left out.
  const fromTfjs = Object.fromEntries(Object.entries(spec.tfjsNames).map(([ours, theirs]) => [theirs, ours]));
  const out = { type: spec.name };
  for (const [name, value] of Object.entries(config)) {
    const ours = fromTfjs[name] ?? (name === 'lr' ? 'learningRate' : camel(name));
    if (Object.hasOwn(spec.options, ours)) out[ours] = value;
  }
  return out;
}
