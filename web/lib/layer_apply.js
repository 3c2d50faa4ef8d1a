// layer.apply(inputs, {initialState}): a symbolic tensor (or several) for symbolic inputs,
// joining the layer to a graph (functional.js); for Tensors, the layer run once on them in
// a model of its own (its weights made on the first such call and kept for later ones).
import { catalogLoaded, layerSpec, optionSpec } from './catalog.js';
import { input, model } from './functional.js';
import { show } from './show.js';
import { SymbolicTensor } from './symbolic_tensor.js';
import { Tensor } from './tensor.js';
import { Sequential } from './model.js';
import { builtWeights } from './weights.js';

const concreteModels = new WeakMap();
let ownSeeds = 1;

const RECURRENT = new Set(['simpleRNN', 'lstm', 'gru']);

export function applyLayer(layer, inputs, kwargs = {}) {
  // TensorFlow.js' initialState ([h] or, for an LSTM, [h, c]): the recurrent layer's
  // further inputs, as TensorFlow.js joins them.
  const { initialState, ...rest } = kwargs ?? {};
  if (initialState != null) {
    if (!RECURRENT.has(layer.type))
      throw new Error(`${layer.type}.apply: initialState is for the recurrent layers (simpleRNN, lstm, gru)`);
    const states = Array.isArray(initialState) ? initialState : [initialState];
    return applyLayer(layer, [...(Array.isArray(inputs) ? inputs : [inputs]), ...states], rest);
  }
  // TensorFlow.js' other arguments (mask, training) are not taken, but for training with
  // the core API (model.apply on the tape): refused rather than ignored.
  const given = Object.entries(kwargs ?? {}).filter(
    ([k, v]) => v !== undefined && !(k === 'training' && Sequential.prototype.apply),
  );
  if (given.length)
    throw new Error(
      `${layer.type}.apply: ${show(given[0][0])} is not supported; layers take only their inputs (and a recurrent layer its initialState)`,
    );
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0) throw new Error(`${layer.type}.apply: expected a tensor or a list of tensors; got []`);
  if (list.every((t) => t instanceof SymbolicTensor)) {
    const whole = new SymbolicTensor({ layer, inputs: list });
    const count = outputCount(layer);
    return count === 1 ? whole : Array.from({ length: count }, (_, k) => new SymbolicTensor({ layer, whole, part: k }));
  }
  if (!list.every((t) => t instanceof Tensor))
    throw new Error(
      `${layer.type}.apply: expected symbolic tensors (from dl.input or another apply) or Tensors, not a mix; got ${show(list.map((t) => t?.constructor?.name ?? typeof t))}`,
    );
  // A vector (TensorFlow.js' activation applied to tf.tensor([-2, 1, 0, 5])): one sample,
  // and the result without the batch axis.
  if (list.length === 1 && list[0].shape?.length === 1) {
    const one = list[0].reshape([1, list[0].shape[0]]);
    const out = applyLayer(layer, one, kwargs);
    const flat = Array.isArray(out) ? out.map((t) => t.reshape(t.shape.slice(1))) : out.reshape(out.shape.slice(1));
    [one, ...[out].flat()].forEach((t) => t.dispose());
    return flat;
  }
  // Per sample: the batch size may change from call to call, the weights stay.
  const key = JSON.stringify(list.map((t) => t.shape?.slice(1)));
  let cached = concreteModels.get(layer);
  if (!cached || cached.key !== key) {
    cached?.model.dispose();
    // Weights the layer has in another model stay its weights here (read before it moves).
    const prior = builtWeights(layer);
    const ins = list.map((t, i) => input({ shape: t.shape.slice(1), name: `x${i}` }));
    // Each layer's model its own seed, so that layers of one shape start apart.
    const outputs = applyLayer(layer, ins.length === 1 ? ins[0] : ins);
    cached = { key, model: model({ inputs: ins, outputs, seed: ownSeeds++ }) };
    if (prior?.length) layer.setWeights(prior);
    prior?.forEach((t) => t.dispose());
    // (The layer's own model: the engine runs it, whatever other models share the layer.)
    cached.model.oneLayer = true;
    concreteModels.set(layer, cached);
  }
  const x = list.length === 1 ? list[0] : list;
  // With the core API, on the tape (model_apply.js), so that gradients reach the weights.
  return cached.model.apply ? cached.model.apply(x, kwargs) : cached.model.predict(x);
}

// The options that make a layer give several tensors (the catalog's moreOutputs).
const MAY_GIVE_MORE = { returnState: true, mergeMode: null, returnAttentionScores: true };

// How many tensors an application of the layer gives: more than one when the option its
// catalog entry names has the value that asks for them (an LSTM's returnState: [output, h,
// c]; Bidirectional's mergeMode null: [forward, backward]).
export function outputCount(layer) {
  // Before the engine (and its catalog) is loaded, a graph of layers of one output can be
  // described; a layer set to give several waits for dl.ready().
  if (!catalogLoaded()) {
    const asks = Object.entries(MAY_GIVE_MORE).find(([k, v]) => layer[k] === v);
    if (asks)
      throw new Error(
        `${layer.type}.apply: with ${asks[0]}: ${show(asks[1])} the layer gives several tensors, which the engine's catalog says; await dl.ready() first`,
      );
    return 1;
  }
  const spec = layerSpec(layer.type);
  const more = spec?.moreOutputs;
  if (!more) return 1;
  const value = Object.hasOwn(layer, more.when) ? layer[more.when] : optionSpec(spec, more.when)?.default;
  return show(value ?? null) === show(more.value) ? 1 + more.count : 1;
}
