// TensorFlow.js' optimizers (train.sgd, train.adam, ...): a configuration compile() takes,
// and an object that updates variables, as in TensorFlow.js' core API:
// minimize(() => loss), computeGradients and applyGradients. The update rules and state
// are the engine's (engine/train/variable_optimizer.h), the same rules fit uses.
import { engine } from './engine.js';
import { tensorsOf, variableByName, variableGrads } from './gradients.js';
import { show } from './show.js';
import { Tensor, dispose, update } from './tensor.js';
import { LayerVariable } from './weights.js';

let nextKey = 1;
const keys = new WeakMap();
// Each optimizer's last update (a promise where the engine runs elsewhere).
const lastSteps = new WeakMap();
const failures = new WeakMap();

// Its own enumerable members are its configuration ({type, learningRate, ...}), which
// compile() reads; a program may change learningRate between steps.
export class Optimizer {
  constructor(config) {
    Object.assign(this, config);
  }

  // The loss f returns (a scalar) minimized by one step over varList (every trainable
  // variable by default); returns the loss when returnCost, else null.
  minimize(f, returnCost = false, varList) {
    const { value, grads } = this.computeGradients(f, varList);
    this.applyGradients(grads);
    dispose(grads);
    if (returnCost) return value;
    // (A variable returned as the loss stays.)
    if (!value.kept) value.dispose();
    return null;
  }

  computeGradients(f, varList) {
    return variableGrads(f, varList);
  }

  // One update of each variable named by its gradient: {name: Tensor} or [{name, tensor}].
  applyGradients(variableGradients) {
    // A missing gradient (null) is skipped, as in TensorFlow.js.
    const pairs = (
      Array.isArray(variableGradients)
        ? variableGradients.map((entry) => [entry?.name, entry?.tensor])
        : Object.entries(variableGradients ?? {})
    ).filter(([, g]) => g != null);
    const vars = pairs.map(([name]) => variableByName(name, 'applyGradients', variableGradients));
    const gradients = pairs.map(([name, g], k) => {
      if (!(g instanceof Tensor))
        throw new Error(`applyGradients: the gradient of ${show(name)} must be a Tensor; got ${show(g)}`);
      g.check('applyGradients');
      if (g.shape && vars[k].shape && show(g.shape) !== show(vars[k].shape))
        throw new Error(
          `applyGradients: the gradient of ${show(name)} has shape ${show(g.shape)}; the variable's shape is ${show(vars[k].shape)}`,
        );
      return g;
    });
    if (!vars.length) return;
    if (!keys.has(this)) keys.set(this, nextKey++);
    // A model's weights are updated through tensors sharing their values.
    const made = [];
    const targets = tensorsOf(vars, 'applyGradients', made);
    const args = [
      keys.get(this),
      { ...this },
      // (Its state is kept by name: a model's weight's names its model too.)
      vars.map((v) => (v instanceof LayerVariable ? `${v.name} of model ${v.model.id}` : v.name)),
      targets.map((v) => v.id),
      gradients.map((g) => g.id),
    ];
    try {
      update(targets, [...targets, ...gradients], 'applyGradients', args);
    } finally {
      dispose(made);
    }
  }

  // Frees the optimizer's state in the engine (its moments, accumulators).
  dispose() {
    if (keys.has(this))
      engine()
        .call('disposeOptimizer', keys.get(this))
        .catch(() => {});
    keys.delete(this);
  }
}

// Without the undefined members, so that the engine fills in its defaults.
const given = (config) => new Optimizer(Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)));

// TensorFlow.js' optimizer constructors.
export const train = {
  sgd: (learningRate) => given({ type: 'sgd', learningRate }),
  momentum: (learningRate, momentum, useNesterov) =>
    given({ type: 'sgd', learningRate, momentum, nesterov: useNesterov }),
  adam: (learningRate, beta1, beta2, epsilon) => given({ type: 'adam', learningRate, beta1, beta2, epsilon }),
  rmsprop: (learningRate, decay, momentum, epsilon) =>
    given({ type: 'rmsprop', learningRate, rho: decay, momentum, epsilon }),
  adagrad: (learningRate, initialAccumulatorValue) => given({ type: 'adagrad', learningRate, initialAccumulatorValue }),
  adadelta: (learningRate, rho, epsilon) => given({ type: 'adadelta', learningRate, rho, epsilon }),
};
