// The builder's graphs: a list of layers where a layer may take its input from an earlier
// one instead of the one before it (`from`: a layer number, 0 for the model's input), and
// a merge layer (Add, Concatenate, ...) joins the layer before it with layer `from`. A list
// without `from` is the plain chain it always was. Here: the checks of such a list, the
// renumbering when layers move, the residual block and branch the builder wraps around a
// span of layers, and the JavaScript API's model of the list.
import * as dl from '../../lib/layers_api.js';
import { layersFromConfigs } from './presets.js';

// A layer that joins tensors (a recurrent layer's further inputs, its initial states, are
// no join).
const STARTED_FROM_STATES = new Set(['simpleRNN', 'lstm', 'gru']);
export const isMerge = (type) => {
  const spec = dl.layerSpec(type);
  return (spec?.maxInputs ?? 1) > 1 && !STARTED_FROM_STATES.has(spec.type);
};
export const isGraph = (layers) => layers.some((l) => l.from !== undefined);
// Whether the list needs a graph model: a layer with `from`, or a merge (which, without
// one, is refused by graphProblem).
export const needsGraph = (layers) => layers.some((l) => l.from !== undefined || isMerge(l.type));

// The layer numbers (0: the input) whose outputs layer index i takes.
export function sourcesOf(layers, i) {
  const l = layers[i];
  if (isMerge(l.type)) return l.from === undefined ? [i] : [i, l.from];
  return [l.from ?? i];
}

// Why the list cannot be built as a graph: {index (of the layer at fault), message}; null
// when it can.
export function graphProblem(layers) {
  const used = new Set();
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const label = dl.layerSpec(l.type)?.kerasClass ?? l.type;
    if (l.from !== undefined && !(Number.isInteger(l.from) && l.from >= 0 && l.from <= i))
      return {
        index: i,
        message: `${label} takes layer ${l.from}'s output; it can take the input (0)${i > 0 ? ` or layers 1 to ${i}` : ''}.`,
      };
    if (isMerge(l.type) && l.from === undefined)
      return {
        index: i,
        message: `${label} joins the layer before it with another: choose which in its "joins" control.`,
      };
    sourcesOf(layers, i).forEach((k) => used.add(k));
  }
  for (let k = 1; k < layers.length; k++)
    if (!used.has(k))
      return {
        index: k - 1,
        message: 'its output goes nowhere: no later layer takes it. Remove it, or let a layer take it.',
      };
  return null;
}

// A copy of the list to edit whose `from` numbers follow the layers when they are moved,
// added or removed: call renumber(copy) after the edit. A reference to a removed layer
// is dropped (a merge then asks which layer to join).
const origin = new WeakMap();
export function editableCopy(layers) {
  return layers.map((l, i) => {
    const c = { ...l };
    origin.set(c, { index: i, from: l.from });
    return c;
  });
}
export function renumber(copy) {
  const place = new Map();
  copy.forEach((l, i) => origin.has(l) && place.set(origin.get(l).index + 1, i + 1));
  for (const l of copy) {
    const o = origin.get(l);
    // New layers, and `from` set by the edit itself, are in the new numbering already.
    if (!o || l.from !== o.from || l.from === undefined) continue;
    if (l.from === 0) continue;
    if (place.has(l.from)) l.from = place.get(l.from);
    else delete l.from;
  }
  return copy;
}

// Flat width or [height, width, channels] of a layer number's output (0: the input).
const shapeAt = (shapes, inputShape, k) => (k === 0 ? inputShape : shapes[k - 1]?.outputShape);

// The layers that wrap layers a..b (1-based, inclusive) as a block joined by `merge`
// ('add' or 'concatenate'): the merge after b takes b's output and the block's input
// (layer a - 1's output). When Add's two shapes differ, a projection of the block's input
// (a linear Dense, or a 1x1 Conv2D with the stride that matches) comes before it.
// Returns {layers, note} or {problem}.
export function wrapBlock(layers, shapes, inputShape, a, b, merge) {
  if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 1 && b >= a && b <= layers.length))
    return { problem: `A block spans layers 1 to ${layers.length}, first before last; got ${a} to ${b}.` };
  const from = shapeAt(shapes, inputShape, a - 1);
  const to = shapeAt(shapes, inputShape, b);
  if (!from || !to) return { problem: 'The shapes are not known yet: fix the model first.' };
  const same = from.join() === to.join();
  const copy = editableCopy(layers);
  const inserted = [];
  let note = null;
  if (merge === 'concatenate') {
    const fits = from.length === to.length && from.slice(0, -1).join() === to.slice(0, -1).join();
    if (!fits)
      return {
        problem: `Concatenate joins outputs that differ only in their last axis; ${a > 1 ? `layer ${a - 1}` : 'the input'} gives (${from.join(', ')}) and layer ${b} gives (${to.join(', ')}).`,
      };
    inserted.push({ type: 'concatenate', axis: -1, from: a - 1 });
  } else if (same) {
    inserted.push({ type: 'add', from: a - 1 });
  } else {
    const projection = projectionLayer(from, to, a - 1);
    if (!projection)
      return {
        problem: `Add needs equal shapes; ${a > 1 ? `layer ${a - 1}` : 'the input'} gives (${from.join(', ')}) and layer ${b} gives (${to.join(', ')}), and no Dense or 1x1 Conv2D projection turns one into the other.`,
      };
    inserted.push(projection, { type: 'add', from: b });
    note = `The shapes differ, (${from.join(', ')}) and (${to.join(', ')}): a ${projection.type === 'dense' ? 'Dense' : '1x1 Conv2D'} projection of the block's input (layer ${b + 1}) is added to layer ${b}'s output.`;
  }
  // The layer after b now takes the merge's output; `from` numbers past b move along.
  copy.splice(b, 0, ...inserted);
  return { layers: renumber(copy), note };
}

function projectionLayer(from, to, source) {
  if (from.length === 1 && to.length === 1) return { type: 'dense', units: to[0], activation: 'linear', from: source };
  if (from.length !== 3 || to.length !== 3) return null;
  const stride = from[0] / to[0];
  if (!Number.isInteger(stride) || from[1] / to[1] !== stride || Math.ceil(from[0] / stride) !== to[0]) return null;
  return {
    type: 'conv2d',
    filters: to[2],
    kernelSize: 1,
    strides: stride,
    padding: 'valid',
    activation: 'linear',
    from: source,
  };
}

// The JavaScript API's model of the builder's layers (configs: their layer configurations,
// state.js' layerConfigs): a Sequential, or a graph model when the list needs one.
export function stateModel(configs, layers, inputShape, seed) {
  if (!needsGraph(layers)) return dl.sequential({ seed, layers: configs });
  return graphModel(configs, layers, inputShape, seed);
}

// Each config applied to its sources.
function graphModel(configs, layers, inputShape, seed) {
  const tensors = [dl.input({ shape: inputShape, name: 'input' })];
  configs.forEach((config, i) => {
    const sources = sourcesOf(layers, i).map((k) => tensors[k]);
    tensors.push(dl.layers[config.type](config).apply(sources.length === 1 ? sources[0] : sources));
  });
  return dl.model({ inputs: tensors[0], outputs: tensors.at(-1), seed });
}

// The builder's layers for a graph model made elsewhere (a file, the browser): its
// description (functional.js) when every layer acts once, on the layer before it or on
// one `from` (a merge: on the layer before it and one other), toward one output; else null.
export function layersFromGraph(description) {
  const { inputs, layers, outputs } = description;
  if (inputs.length !== 1 || outputs.length !== 1 || layers.some((l) => !l.type)) return null;
  const number = new Map([[inputs[0].name, 0]]);
  layers.forEach((l, i) => number.set(l.name, i + 1));
  if (number.get(outputs[0]) !== layers.length) return null;
  const shown = layersFromConfigs(layers);
  if (!shown) return null;
  for (let i = 0; i < layers.length; i++) {
    const sources = layers[i].inputs.map((name) => number.get(name));
    if (sources.some((k) => k === undefined || k > i)) return null;
    if (isMerge(layers[i].type)) {
      if (sources.length !== 2 || sources[0] !== i) return null;
      shown[i].from = sources[1];
    } else if (sources.length !== 1) return null;
    else if (sources[0] !== i) shown[i].from = sources[0];
  }
  return graphProblem(shown) ? null : shown;
}
