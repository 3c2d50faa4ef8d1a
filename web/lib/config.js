// Layer, optimizer, regularizer and callback configurations as TensorFlow.js' factories
// make them: plain objects that sequential() and compile() take.

function layerFactory(type) {
  return (config = {}) => {
    if (typeof config !== 'object' || config === null) throw new Error(`layers.${type}: config must be an object`);
    return { ...config, type };
  };
}

export const layers = {
  dense: layerFactory('dense'),
  conv2d: layerFactory('conv2d'),
  maxPooling2d: layerFactory('maxPooling2d'),
  averagePooling2d: layerFactory('averagePooling2d'),
  globalAveragePooling2d: layerFactory('globalAveragePooling2d'),
  batchNormalization: layerFactory('batchNormalization'),
  dropout: layerFactory('dropout'),
  flatten: layerFactory('flatten'),
  reshape: layerFactory('reshape'),
  activation: layerFactory('activation'),
};

// TensorFlow.js' optimizer constructors; the result can be passed to compile().
export const train = {
  sgd: (learningRate) => ({ type: 'sgd', learningRate }),
  momentum: (learningRate, momentum, useNesterov = false) => ({
    type: 'sgd',
    learningRate,
    momentum,
    nesterov: useNesterov,
  }),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) => ({
    type: 'adam',
    learningRate,
    beta1,
    beta2,
    epsilon,
  }),
  rmsprop: (learningRate, decay = 0.9, momentum = 0, epsilon = 1e-7) => ({
    type: 'rmsprop',
    learningRate,
    rho: decay,
    momentum,
    epsilon,
  }),
  adagrad: (learningRate, initialAccumulatorValue = 0.1) => ({
    type: 'adagrad',
    learningRate,
    initialAccumulatorValue,
  }),
  adadelta: (learningRate = 0.001, rho = 0.95, epsilon = 1e-7) => ({ type: 'adadelta', learningRate, rho, epsilon }),
};

export const regularizers = {
  l1: ({ l1 = 0.01 } = {}) => ({ l1, l2: 0 }),
  l2: ({ l2 = 0.01 } = {}) => ({ l1: 0, l2 }),
  l1l2: ({ l1 = 0.01, l2 = 0.01 } = {}) => ({ l1, l2 }),
};

export const callbacks = {
  earlyStopping: ({ monitor = 'val_loss', patience = 0, minDelta = 0, restoreBestWeights = false } = {}) => ({
    earlyStopping: { monitor, patience, minDelta, restoreBestWeights },
  }),
};
