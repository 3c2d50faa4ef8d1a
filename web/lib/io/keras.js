// Our layer, optimizer and training descriptions <-> the Keras/TensorFlow.js ones, in
// both directions, with the names of each layer's weights.
import { fail, lookup } from './errors.js';

const pair = (v) => (Array.isArray(v) ? v : [v, v]);
const KERAS_ACTIVATIONS = new Set(['linear', 'relu', 'elu', 'sigmoid', 'tanh', 'softmax']);

function kerasActivation(name = 'linear', layer) {
  if (!KERAS_ACTIVATIONS.has(name)) fail(`layer ${layer}: activation '${name}' has no TensorFlow.js equivalent`);
  return name;
}

export const TO_KERAS = {
  dense: (l) => [
    'Dense',
    { units: l.units, activation: kerasActivation(l.activation, l.name), use_bias: l.useBias ?? true },
  ],
  conv2d: (l) => [
    'Conv2D',
    {
      filters: l.filters,
      kernel_size: pair(l.kernelSize),
      strides: pair(l.strides ?? 1),
      padding: l.padding ?? 'valid',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      activation: kerasActivation(l.activation, l.name),
      use_bias: l.useBias ?? true,
    },
  ],
  maxpooling2d: (l) => ['MaxPooling2D', pooling(l)],
  averagepooling2d: (l) => ['AveragePooling2D', pooling(l)],
  globalaveragepooling2d: () => ['GlobalAveragePooling2D', { data_format: 'channels_last' }],
  dropout: (l) => ['Dropout', { rate: l.rate }],
  flatten: () => ['Flatten', {}],
  reshape: (l) => ['Reshape', { target_shape: l.targetShape }],
  batchnormalization: (l) => [
    'BatchNormalization',
    {
      axis: -1,
      momentum: l.momentum ?? 0.99,
      epsilon: l.epsilon ?? 0.001,
      center: l.center ?? true,
      scale: l.scale ?? true,
    },
  ],
  activation: (l) => ['Activation', { activation: kerasActivation(l.activation, l.name) }],
};

function pooling(l) {
  const size = pair(l.poolSize ?? 2);
  return {
    pool_size: size,
    strides: pair(l.strides ?? size),
    padding: l.padding ?? 'valid',
    data_format: 'channels_last',
  };
}

export const typeKey = (type) => type.toLowerCase().replaceAll('_', '');

function checkNumber(value, what, layer) {
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(`layer ${layer}: ${what} must be a number; got ${JSON.stringify(value)}`);
  return value;
}

export const FROM_KERAS = {
  Dense: (c) => ({ type: 'dense', units: c.units, activation: c.activation ?? 'linear', useBias: c.use_bias ?? true }),
  Conv2D: (c, name) => {
    if ((c.data_format ?? 'channels_last') !== 'channels_last')
      fail(`layer ${name}: only channels_last data is supported`);
    if (pair(c.dilation_rate ?? 1).some((d) => d !== 1)) fail(`layer ${name}: dilated convolutions are not supported`);
    return {
      type: 'conv2d',
      filters: c.filters,
      kernelSize: pair(c.kernel_size),
      strides: pair(c.strides ?? 1),
      padding: c.padding ?? 'valid',
      activation: c.activation ?? 'linear',
      useBias: c.use_bias ?? true,
    };
  },
  MaxPooling2D: (c) => ({
    type: 'maxPooling2d',
    poolSize: pair(c.pool_size ?? 2),
    strides: pair(c.strides ?? c.pool_size ?? 2),
    padding: c.padding ?? 'valid',
  }),
  AveragePooling2D: (c) => ({
    type: 'averagePooling2d',
    poolSize: pair(c.pool_size ?? 2),
    strides: pair(c.strides ?? c.pool_size ?? 2),
    padding: c.padding ?? 'valid',
  }),
  GlobalAveragePooling2D: () => ({ type: 'globalAveragePooling2d' }),
  Dropout: (c, name) => ({ type: 'dropout', rate: checkNumber(c.rate, 'rate', name) }),
  Flatten: () => ({ type: 'flatten' }),
  Reshape: (c) => ({ type: 'reshape', targetShape: c.target_shape }),
  BatchNormalization: (c, name) => {
    const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
    if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== 3 && axis[0] !== 1))
      fail(`layer ${name}: batch normalization over axis ${c.axis} is not supported; only the last axis`);
    return {
      type: 'batchNormalization',
      momentum: c.momentum ?? 0.99,
      epsilon: c.epsilon ?? 0.001,
      center: c.center ?? true,
      scale: c.scale ?? true,
    };
  },
  Activation: (c) => ({ type: 'activation', activation: c.activation }),
};

export const WEIGHT_NAMES = {
  dense: (l) => ['kernel', ...((l.useBias ?? true) ? ['bias'] : [])],
  conv2d: (l) => ['kernel', ...((l.useBias ?? true) ? ['bias'] : [])],
  batchnormalization: (l) => [
    ...((l.scale ?? true) ? ['gamma'] : []),
    ...((l.center ?? true) ? ['beta'] : []),
    'moving_mean',
    'moving_variance',
  ],
};

function tfjsOptimizer(spec) {
  const o = typeof spec === 'string' ? { type: spec } : spec;
  const type = String(o.type).toLowerCase();
  const lr = o.learningRate ?? (type === 'sgd' ? 0.01 : 0.001);
  const eps = o.epsilon ?? 1e-7;
  switch (type) {
    case 'sgd':
      return o.momentum
        ? {
            class_name: 'Momentum',
            config: { learningRate: lr, momentum: o.momentum, useNesterov: Boolean(o.nesterov) },
          }
        : { class_name: 'SGD', config: { learningRate: lr } };
    case 'adam':
      return {
        class_name: 'Adam',
        config: { learningRate: lr, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: eps },
      };
    case 'rmsprop':
      return {
        class_name: 'RMSProp',
        config: { learningRate: lr, decay: o.rho ?? 0.9, momentum: o.momentum ?? 0, epsilon: eps, centered: false },
      };
    case 'adagrad':
      return {
        class_name: 'Adagrad',
        config: { learningRate: lr, initialAccumulatorValue: o.initialAccumulatorValue ?? 0.1 },
      };
    case 'adadelta':
      return { class_name: 'Adadelta', config: { learningRate: lr, rho: o.rho ?? 0.95, epsilon: eps } };
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
  const out = { type };
  for (const [key, value] of Object.entries(config)) {
    const name = keys[key] ?? key;
    if (
      ['learningRate', 'momentum', 'nesterov', 'beta1', 'beta2', 'rho', 'epsilon', 'initialAccumulatorValue'].includes(
        name,
      )
    )
      out[name] = value;
  }
  return out;
}
