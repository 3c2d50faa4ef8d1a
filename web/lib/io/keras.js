// Our layer, optimizer and training descriptions <-> the Keras/TensorFlow.js ones, in
// both directions, with the names of each layer's weights.
import { catalog, layerSpec, optimizerDefaults, snake } from '../catalog.js';
import { fail, lookup } from './errors.js';

const pair = (v) => (Array.isArray(v) ? v : [v, v]);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isActivation = (option) => option.kind === 'choice' && same(option.choices, catalog().activations);

// One of our layer descriptions (with its name) as Keras' [class_name, config]: every
// option the catalog maps to Keras, at its default when the layer leaves it out, and the
// values Keras' config holds that the engine does not vary.
export function toKeras(layer) {
  const spec = layerSpec(layer.type);
  if (!spec) fail(`layer ${layer.name}: unknown layer type '${layer.type}'`);
  const config = {};
  for (const option of spec.options) {
    if (!option.keras) continue;
    let value = layer[option.name] ?? option.default;
    if (option.kind === 'size' && value !== null) value = pair(value);
    if (isActivation(option) && value !== null) {
      value = snake(value);
      if (!catalog().kerasActivations.includes(value))
        fail(`layer ${layer.name}: activation '${layer[option.name]}' has no TensorFlow.js equivalent`);
    }
    config[option.keras] = value;
  }
  for (const fixed of spec.kerasFixed) config[fixed.key] = fixed.accepted[0];
  return [spec.kerasClass, config];
}

// A Keras layer (class name and config) as our description; refuses a class the catalog
// lacks and a fixed value (data_format, dilation_rate, ...) other than the accepted.
export function fromKeras(className, config, name) {
  const spec = typeof className === 'string' ? layerSpec(className) : null;
  if (!spec || spec.kerasClass !== className)
    fail(
      `layer ${name} is a ${typeof className === 'string' ? className : JSON.stringify(className)}, which this playground does not support (supported: ${catalog()
        .layers.map((l) => l.kerasClass)
        .join(', ')})`,
    );
  for (const fixed of spec.kerasFixed) {
    const value = config[fixed.key];
    if (value !== undefined && value !== null && !fixed.accepted.some((a) => same(a, value)))
      fail(`layer ${name}: ${fixed.why} (${fixed.key} is ${JSON.stringify(value)})`);
  }
  const ours = { type: spec.type };
  for (const option of spec.options) {
    const value = option.keras ? lookup(config, option.keras) : undefined;
    if (value === undefined || value === null) continue;
    ours[option.name] = option.kind === 'size' ? pair(value) : value;
  }
  return ours;
}

function tfjsOptimizer(spec) {
  const o = typeof spec === 'string' ? { type: spec } : spec;
  const type = String(o.type).toLowerCase();
  const defaults = optimizerDefaults(type);
  if (!defaults) fail(`optimizer '${o.type}' has no TensorFlow.js equivalent`);
  // Every setting, complete: TensorFlow.js reads no defaults.
  const v = { ...defaults, ...o };
  const lr = v.learningRate;
  switch (type) {
    case 'sgd':
      return v.momentum
        ? {
            class_name: 'Momentum',
            config: { learningRate: lr, momentum: v.momentum, useNesterov: Boolean(v.nesterov) },
          }
        : { class_name: 'SGD', config: { learningRate: lr } };
    case 'adam':
      return { class_name: 'Adam', config: { learningRate: lr, beta1: v.beta1, beta2: v.beta2, epsilon: v.epsilon } };
    case 'rmsprop':
      return {
        class_name: 'RMSProp',
        config: { learningRate: lr, decay: v.rho, momentum: v.momentum, epsilon: v.epsilon, centered: false },
      };
    case 'adagrad':
      return {
        class_name: 'Adagrad',
        config: { learningRate: lr, initialAccumulatorValue: v.initialAccumulatorValue },
      };
    case 'adadelta':
      return { class_name: 'Adadelta', config: { learningRate: lr, rho: v.rho, epsilon: v.epsilon } };
    default:
      fail(`optimizer '${o.type}' has no TensorFlow.js equivalent`);
  }
}

// The training configuration in Keras' form: loss in snake_case, the optimizer as
// TensorFlow.js names it.
export function trainingConfig({ optimizer, loss, metrics, fromLogits }) {
  const snake = String(loss).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return {
    loss: snake,
    metrics,
    optimizer_config: tfjsOptimizer(optimizer),
    ...(fromLogits ? { from_logits: true } : {}),
  };
}

// model.json text for artifacts, naming the weights file.

// An optimizer as TensorFlow.js or Keras saved it, as ours.
export function ourOptimizer(saved) {
  if (typeof saved !== 'object' || Array.isArray(saved))
    fail(`the optimizer must be an object with class_name and config; got ${JSON.stringify(saved)}`);
  const className = saved.class_name;
  const config = saved.config ?? {};
  if (typeof config !== 'object') fail(`the optimizer's config must be an object; got ${JSON.stringify(config)}`);
  const names = {
    sgd: 'sgd',
    momentum: 'sgd',
    adam: 'adam',
    rmsprop: 'rmsprop',
    adagrad: 'adagrad',
    adadelta: 'adadelta',
  };
  const type = lookup(names, String(className).toLowerCase());
  if (!type)
    fail(`optimizer ${className} is not supported (supported: SGD, Momentum, Adam, RMSprop, Adagrad, Adadelta)`);
  const keys = {
    learning_rate: 'learningRate',
    lr: 'learningRate',
    beta_1: 'beta1',
    beta_2: 'beta2',
    initial_accumulator_value: 'initialAccumulatorValue',
    decay: 'rho',
    useNesterov: 'nesterov',
  };
  // The settings this optimizer takes (the catalog's list); Keras' others (amsgrad,
  // centered, weight_decay, ...) have no counterpart here and are left out.
  const takes = new Set(Object.keys(optimizerDefaults(type)));
  const out = { type };
  for (const [key, value] of Object.entries(config)) {
    const name = keys[key] ?? key;
    if (takes.has(name)) out[name] = value;
  }
  return out;
}
