// Layers written in JavaScript, as TensorFlow.js' guides write them: a class that extends
// dl.layers.Layer with build(inputShape) (its weights by addWeight), call(inputs, kwargs)
// (tensor operations, run by the engine's op table and recorded on its tape, so that the
// layer's gradients come from the tape), computeOutputShape and getConfig, and
// dl.serialization.registerClass so that a saved model can make it again. Such a layer
// joins a Sequential (mixed_model.js) or is applied on its own.
import { Variable, variableTaken } from './gradients.js';
import { registeredClasses } from './layer_registry.js';
import { inferShapes } from './mixed_graph.js';
import { show } from './show.js';
import { SymbolicTensor } from './symbolic_tensor.js';
import { Tensor, dispose } from './tensor.js';
import { initialValues } from './initializers.js';

const counts = new Map();
const snakeName = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

// Initial values of a weight: an initializer's name ("glorotUniform", "he_normal"), an
// object of dl.initializers, or any object with apply(shape).
function initialValue(initializer, shape, what) {
  if (initializer && typeof initializer.apply === 'function' && !initializer.className)
    return initializer.apply(shape, 'float32');
  return initialValues(initializer ?? 'glorotUniform', shape, what);
}

// A weight of a JavaScript layer, as TensorFlow.js' LayerVariable: read(), write(tensor),
// and the Variable that holds it (val), which gradients and optimizers use.
class LayerWeight {
  constructor(variable, trainable) {
    this.val = variable;
    this.name = variable.name;
    this.shape = variable.shape;
    this.dtype = 'float32';
    this.ownTrainable = trainable;
  }

  get trainable() {
    return this.val.trainable;
  }

  read() {
    return this.val;
  }

  write(value) {
    this.val.assign(value);
    return this;
  }
}

export class Layer {
  constructor(config = {}) {
    const className = this.constructor.className ?? this.constructor.name;
    const base = snakeName(className);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    this.name = config.name ?? (n ? `${base}_${n}` : base);
    this.trainableFlag = config.trainable ?? true;
    this.batchInputShape = config.batchInputShape ?? (config.inputShape ? [null, ...config.inputShape] : null);
    this.built = false;
    this.layerWeights = [];
    this.supportsMasking = false;
  }

  static get className() {
    return this.name;
  }

  // What sequential() and the graph builder see: the class's name.
  get type() {
    return this.constructor.className;
  }

  get trainable() {
    return this.trainableFlag;
  }

  set trainable(value) {
    this.trainableFlag = Boolean(value);
    for (const w of this.layerWeights) w.val.trainable = this.trainableFlag && w.ownTrainable;
  }

  build() {
    this.built = true;
  }

  call(inputs) {
    return inputs;
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  getConfig() {
    const config = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) config.batchInputShape = this.batchInputShape;
    return config;
  }

  // TensorFlow.js' hook for callbacks around call; nothing to do here.
  invokeCallHook() {}

  addWeight(name, shape, dtype = 'float32', initializer = 'glorotUniform', regularizer = null, trainable = true) {
    const what = `${this.name}.addWeight`;
    if (typeof name !== 'string' || !name)
      throw new Error(`${what}: name must be a non-empty string; got ${show(name)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0))
      throw new Error(`${what}: shape must be an array of positive whole numbers; got ${show(shape)}`);
    if (dtype !== 'float32' && dtype != null) throw new Error(`${what}: dtype must be "float32"; got ${show(dtype)}`);
    if (regularizer)
      throw new Error(`${what}: regularizers of JavaScript layers are not supported; add the term to the loss`);
    const initial = initialValue(initializer ?? 'glorotUniform', shape, what);
    // Unique among the page's variables (a model loaded while its original lives has the
    // same layer names); saved under the layer's own.
    const own = `${this.name}/${name}`;
    let key = own;
    for (let k = 1; variableTaken(key); k++) key = `${own}_${k}`;
    const v = new Variable(initial, trainable && this.trainable, key);
    initial.dispose();
    const weight = new LayerWeight(v, trainable);
    weight.originalName = own;
    this.layerWeights.push(weight);
    return weight;
  }

  get weights() {
    return this.layerWeights;
  }

  get trainableWeights() {
    return this.layerWeights.filter((w) => w.trainable);
  }

  get nonTrainableWeights() {
    return this.layerWeights.filter((w) => !w.trainable);
  }

  getWeights() {
    return this.layerWeights.map((w) => w.val.clone());
  }

  setWeights(tensors) {
    if (!Array.isArray(tensors) || tensors.length !== this.layerWeights.length)
      throw new Error(
        `setWeights: layer ${show(this.name)} has ${this.layerWeights.length} weights; got ${Array.isArray(tensors) ? tensors.length : show(tensors)}`,
      );
    tensors.forEach((t, i) => this.layerWeights[i].write(t));
  }

  countParams() {
    return this.layerWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  }

  // Builds the layer for this input shape ([null, ...] as TensorFlow.js gives it) once.
  ensureBuilt(inputShape) {
    if (this.built) return;
    this.build(inputShape);
    this.built = true;
  }

  // On symbolic tensors: a node of a graph, its shape by computeOutputShape; on Tensors:
  // call(), after build() the first time.
  apply(inputs, kwargs = {}) {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = list.map((t) => t?.shape);
    const given = Array.isArray(inputs) ? shapes : shapes[0];
    if (list.every((t) => t instanceof SymbolicTensor)) {
      // (Engine layers' symbolic outputs get their shapes from the engine, here and now.)
      inferShapes(list, `${this.name}.apply`);
      const known = Array.isArray(inputs) ? list.map((t) => t.shape) : list[0].shape;
      this.ensureBuilt(known);
      const shape = this.computeOutputShape(known);
      return new SymbolicTensor({ shape, layer: this, inputs: list });
    }
    if (!list.every((t) => t instanceof Tensor))
      throw new Error(
        `${this.name}.apply: expected Tensors or symbolic tensors; got ${show(list.map((t) => t?.constructor?.name ?? typeof t))}`,
      );
    this.ensureBuilt(given);
    return this.call(inputs, kwargs ?? {});
  }

  dispose() {
    dispose(this.layerWeights.map((w) => w.val));
    this.layerWeights = [];
    this.built = false;
  }
}

// dl.serialization.registerClass: the classes a saved model's layers are made from again.
const registered = registeredClasses;

export const serialization = {
  registerClass(cls) {
    if (typeof cls !== 'function' || !(cls.prototype instanceof Layer))
      throw new Error(`registerClass: expected a class that extends dl.layers.Layer; got ${show(cls?.name ?? cls)}`);
    const name = cls.className;
    if (typeof name !== 'string' || !name) throw new Error('registerClass: the class needs a static className');
    registered.set(name, cls);
    return cls;
  },
};

// The registered class of this name, or null.
export const registeredClass = (name) => registered.get(name) ?? null;

export { isCustomLayer } from './layer_registry.js';
