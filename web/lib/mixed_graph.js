// A graph model (dl.model) that holds JavaScript layers (custom_layers.js). Its engine
// layers each run as a model of one layer (layer.apply on Tensors, functional.js), shared
// by every model that holds the layer, as TensorFlow.js shares a layer's weights; its
// JavaScript layers' call() runs between them. A forward walks the graph on the op tape,
// so that compile, fit, evaluate and predict (mixed_model.js) and minimize over
// model.apply train it. A model of engine layers only that shares a layer with such a
// model (a decoder inside a VAE) runs this way too, on the same weights.
import { isCustomLayer, probing } from './layer_registry.js';
import { Model, SymbolicTensor, input } from './functional.js';
import { Sequential } from './model.js';
import { show } from './show.js';
import { Tensor, tidy, zeros } from './tensor.js';

// The layers of the graph that leads to `outputs`, each once, in the order they act.
export function graphLayers(outputs) {
  const seen = new Set();
  const layers = [];
  const visit = (t) => {
    if (seen.has(t)) return;
    seen.add(t);
    t.inputs.forEach(visit);
    if (t.sourceLayer && !layers.includes(t.sourceLayer)) layers.push(t.sourceLayer);
  };
  outputs.forEach(visit);
  return layers;
}

// The engine layers of graphs that hold JavaScript layers.
const shared = new WeakSet();

// Whether a graph runs as layers: it holds a JavaScript layer, or a layer such a graph holds.
export const runsAsLayers = (outputs) => graphLayers(outputs).some((l) => isCustomLayer(l) || shared.has(l));

// The shapes of symbolic tensors made by engine layers, which the engine works out: a model
// of the graph up to them is built (here, at once) and dropped.
export function inferShapes(list, what) {
  if (list.every((t) => t.shape)) return;
  // The engine layers between the last tensors of known shape (inputs, JavaScript layers'
  // outputs) and `list`, applied again from fresh inputs of those shapes.
  const roots = [];
  const copies = new Map();
  const visit = (t) => {
    if (copies.has(t)) return copies.get(t);
    let copy;
    if (t.shape && (!t.sourceLayer || isCustomLayer(t.sourceLayer))) {
      copy = input({ shape: t.shape.slice(1) });
      roots.push(copy);
    } else if (t.whole) copy = visit(t.whole)[t.part];
    else if (isCustomLayer(t.sourceLayer))
      throw new Error(`${what}: the output shape of ${show(t.sourceLayer.name)} is not known`);
    else {
      const ins = t.inputs.map(visit);
      copy = t.sourceLayer.apply(ins.length === 1 ? ins[0] : ins);
    }
    copies.set(t, copy);
    return copy;
  };
  const outs = list.map(visit);
  const probe = probing(() => new Model({ inputs: roots, outputs: outs }));
  try {
    probe.wait(what);
    if (!outs.every((t) => t.shape))
      throw new Error(
        `${what}: the shapes of its inputs are not known yet: the engine must run in this thread (call dl.ready({worker: false}) before making the graph)`,
      );
    list.forEach((t, i) => (t.shape ??= outs[i].shape));
  } finally {
    // (Built as a probe: weights.js left the layers' weights with the models that hold them.)
    probe.dispose();
  }
}

// The graph run on Tensors x (one per input), each layer applied in turn.
export function graphForward(model, x, training) {
  const list = Array.isArray(x) ? x : [x];
  if (list.length !== model.inputs.length || !list.every((t) => t instanceof Tensor))
    throw new Error(
      `apply: expected ${model.inputs.length} Tensor(s), one per input (${show(model.inputs.map((t) => t.name))}); got ${show(list.map((t) => t?.constructor?.name ?? typeof t))}`,
    );
  const values = new Map(model.inputs.map((t, i) => [t, list[i]]));
  const visit = (t) => {
    if (values.has(t)) return values.get(t);
    let out;
    if (t.whole) out = visit(t.whole)[t.part];
    else {
      const ins = t.inputs.map(visit);
      out = t.sourceLayer.apply(ins.length === 1 ? ins[0] : ins, { training });
    }
    values.set(t, out);
    return out;
  };
  const outs = model.outputs.map(visit);
  return outs.length === 1 ? outs[0] : outs;
}

export class LayerGraph extends Sequential {
  constructor({ inputs, outputs, name, seed = 0 }) {
    super({ seed });
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    if (![...ins, ...outs].every((t) => t instanceof SymbolicTensor))
      throw new Error('model: inputs and outputs must be symbolic tensors (from dl.input and layer.apply)');
    this.inputs = ins;
    this.outputs = outs;
    this.name = name ?? 'model';
    this.layerConfigs = graphLayers(outs);
    this.outputNames = outs.map((t) => t.sourceLayer?.name ?? t.name);
    for (const layer of this.layerConfigs) if (!isCustomLayer(layer)) shared.add(layer);
    this.mixedState = { parts: null, compiled: null, graph: true };
    // Every layer's weights made now (TensorFlow.js makes them with the model), by a
    // forward of one zero sample, so that minimize's default list of variables has them.
    if (this.owner.sync)
      tidy(
        () =>
          void graphForward(
            this,
            ins.map((t) => zeros([1, ...t.shape.slice(1)])),
            false,
          ),
      );
  }

  add() {
    throw new Error('add: a graph model is made whole by dl.model({inputs, outputs}); it takes no layers after');
  }

  get layers() {
    return this.layerConfigs;
  }

  getLayer(nameOrIndex) {
    const found =
      typeof nameOrIndex === 'number'
        ? this.layerConfigs[nameOrIndex]
        : this.layerConfigs.find((l) => l.name === nameOrIndex);
    if (!found) throw new Error(`getLayer: no layer ${show(nameOrIndex)}`);
    return found;
  }
}
