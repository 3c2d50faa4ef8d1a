// TensorFlow.js' model.getWeights(trainableOnly), model.setWeights(tensors) and
// model.trainable, for programs (index.js installs them; the page's library keeps
// getWeights as model.weightEntries()). Weights are Tensors in the order of model.weights
// (trainable weights first), read at once where the engine runs in this thread; each also
// carries the fields of weightEntries() ({layer, name, values}), so that code written for
// that form reads the same. With the engine in a Web Worker, getWeights gives
// weightEntries()' promise, as reads there are promises. setWeights takes Tensors, the
// Float32Arrays of weightEntries() in its order, or a promise of either (another model's
// getWeights() in a worker, passed on as snake-dqn copies its network).
import { show } from './show.js';
import { Tensor } from './tensor.js';
import { followLayers } from './weights.js';

// A weight's Tensor with weightEntries()' fields: its layer's name, its own ("kernel")
// and its values (read when asked).
function described(tensor, variable) {
  return Object.defineProperties(tensor, {
    layer: { value: variable.layerName, configurable: true },
    name: { value: variable.name.slice(variable.layerName.length + 1), configurable: true },
    values: { get: () => tensor.dataSync(), configurable: true },
  });
}

export function installTfjsWeights(proto) {
  const ownGet = proto.getWeights;
  proto.getWeights = function (trainableOnly = false) {
    if (this.mixedState || !this.owner.sync) return ownGet.call(this, trainableOnly);
    const list = trainableOnly === true ? this.trainableWeights : this.weights;
    return list.map((v) => described(v.read(), v));
  };
  // model.trainable = false freezes every layer of the model for the models compiled after
  // (a GAN's combined model trains the generator, not the discriminator); the model
  // itself, compiled before, still trains them until its next compile: Keras' rule, which
  // mnist-acgan follows (TensorFlow.js freezes the model's own layers at once).
  Object.defineProperty(proto, 'trainable', {
    configurable: true,
    get() {
      return this.trainableFlag ?? true;
    },
    set(value) {
      if (typeof value !== 'boolean') throw new Error(`trainable: a model takes true or false; got ${show(value)}`);
      this.trainableFlag = value;
      for (const layer of this.layerConfigs) layer.trainable = value;
    },
  });
  const ownSet = proto.setWeights;
  proto.setWeights = function (weights) {
    // (snake-dqn's copyWeights passes another model's getWeights() on: a promise here.)
    // Later calls on the model wait for it, as for a weight write. (The layers' weights
    // are this model's from now on: layer_homes.js.)
    if (weights instanceof Promise) {
      this.wait('setWeights');
      followLayers(this);
      const done = Promise.all([weights, this.built, this.writing]).then(([list]) => {
        if (Array.isArray(list) && list.length > 0 && list.every((w) => w instanceof Tensor))
          return proto.setWeights.call(this, list);
        const values = Array.isArray(list) ? list.map((w) => (ArrayBuffer.isView(w) ? w : w?.values)) : [];
        if (values.length === 0 || values.some((v) => !(v instanceof Float32Array)))
          throw new Error('setWeights: the promise must give Float32Arrays or {values} objects, one per weight');
        return this.owner.call('setWeights', this.id, values);
      });
      const writing = done.then(
        () => {},
        () => {},
      );
      this.writing = writing;
      writing.then(() => this.writing === writing && (this.writing = null));
      return done;
    }
    const tensors = Array.isArray(weights) && weights.length > 0 && weights.every((w) => w instanceof Tensor);
    if (this.mixedState || !tensors) return ownSet.call(this, weights);
    const all = this.weights;
    if (weights.length !== all.length)
      throw new Error(
        `setWeights: the model has ${all.length} weights (${show(all.map((w) => w.name))}); got ${weights.length} tensors`,
      );
    // Every shape checked before any weight changes.
    all.forEach((v, i) => {
      if (weights[i].shape && show(weights[i].shape) !== show(v.shape))
        throw new Error(
          `setWeights: weight ${i} (${show(v.name)}) has shape ${show(v.shape)}; got a tensor of shape ${show(weights[i].shape)}`,
        );
    });
    all.forEach((v, i) => v.write(weights[i]));
  };
}
