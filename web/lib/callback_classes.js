// TensorFlow.js' callback classes, for programs (index.js): fit calls an object's hooks
// whatever made it.
// TensorFlow.js' Callback, a class whose hooks (onTrainBegin, onEpochBegin, onBatchBegin,
// onBatchEnd, onEpochEnd, onTrainEnd) a program overrides, and CustomCallback({hooks}).
const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onYield'];
export class Callback {
  setParams(params) {
    this.params = params;
  }

  setModel(model) {
    this.model = model;
  }
}
export class CustomCallback extends Callback {
  constructor(args = {}) {
    super();
    for (const name of HOOKS) if (typeof args?.[name] === 'function') this[name] = args[name];
  }
}
