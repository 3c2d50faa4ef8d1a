// model.apply(x, {training}) as TensorFlow.js has it. On symbolic tensors a model is its
// layers applied in turn (the same layer objects: a model inside a model). On Tensors it
// runs at once, recorded on the tape when a gradient is being taken, so that grad,
// variableGrads and minimize reach through it to its input and its weights (the engine's
// train/model_on_tape.h). Its weights then take part as tensors sharing the model's values
// (parameterTensor), so an optimizer's step updates the model.
import { openTapeIds, parameterKey, recordModel } from './gradients_tape.js';
import { show } from './show.js';
import { SymbolicTensor } from './symbolic_tensor.js';
import { Tensor, fill } from './tensor.js';
import { concat } from './tensor_ops.js';

const describe = (t) => t?.constructor?.name ?? typeof t;

// A symbolic graph model's layers applied again to `inputs`, in the order they were applied.
function inline(model, inputs) {
  if (!model.graph && !model.mixedState?.graph)
    return model.layerConfigs.reduce((t, layer) => layer.apply(t), inputs[0]);
  const made = new Map(model.inputs.map((t, i) => [t, inputs[i]]));
  const visit = (t) => {
    if (made.has(t)) return made.get(t);
    let out;
    if (t.whole) out = visit(t.whole)[t.part];
    else {
      // (A layer of several outputs gives them all; the graph's whole tensor stands for them.)
      const ins = t.inputs.map(visit);
      out = t.sourceLayer.apply(ins.length === 1 ? ins[0] : ins);
    }
    made.set(t, out);
    return out;
  };
  const outs = model.outputs.map(visit);
  return outs.length === 1 ? outs[0] : outs;
}

// The Tensors of x, one per input of the model, each checked against its input's shape.
function inputList(model, x) {
  const wanted = model.graph ? model.inputs.map((t) => t.shape.slice(1)) : [model.info?.inputShape ?? null];
  const list = Array.isArray(x)
    ? x
    : x && !(x instanceof Tensor) && typeof x === 'object' && model.byName
      ? model.byName(x, 'apply: x')
      : [x];
  if (list.length !== wanted.length || !list.every((t) => t instanceof Tensor))
    throw new Error(
      `apply: expected ${wanted.length === 1 ? 'a Tensor' : `${wanted.length} Tensors, one per input`}; got ${show(list.map(describe))}`,
    );
  list.forEach((t, i) => {
    t.check('apply');
    if (t.shape && wanted[i] && show(t.shape.slice(1)) !== show(wanted[i]))
      throw new Error(`apply: input ${i} has shape ${show(t.shape)}; the model takes ${show([null, ...wanted[i]])}`);
  });
  return list;
}

// Each output's shape without the batch, or null while the model is not built.
function outputShapes(model) {
  if (!model.info) return null;
  if (model.graph) return model.outputs.map((t) => t.shape?.slice(1));
  return [model.info.outputShape];
}

function applyToTensors(model, x, { training = false } = {}) {
  const built = model.wait('apply');
  const list = inputList(model, x);
  const rows = list[0].shape?.[0];
  // Several inputs travel side by side, as in predict; here by ops, so that a gradient
  // reaches each one.
  const flat = list.length === 1 ? [] : list.map((t) => t.reshape([t.shape[0], -1]));
  const packed = list.length === 1 ? list[0] : concat(flat, 1);
  flat.forEach((t) => t.dispose());
  const shapes = outputShapes(model);
  const width = shapes?.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0);
  const whole = shapes && rows !== undefined ? (shapes.length === 1 ? [rows, ...shapes[0]] : [rows, width]) : null;
  const out = new Tensor(whole);
  fill([out], [built, packed], 'applyModel', [model.id, packed.id, out.id, Boolean(training), openTapeIds()]);
  recordModel(packed, parameterKey(model), out);
  if (packed !== list[0]) packed.dispose();
  if (!shapes || shapes.length === 1) return out;
  // Several outputs: each one's columns, by ops too.
  let column = 0;
  const outs = shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const part = out.slice([0, column], [-1, size]);
    column += size;
    const shaped = part.reshape([-1, ...shape]);
    part.dispose();
    return shaped;
  });
  out.dispose();
  return outs;
}

// TensorFlow.js' model.apply(inputs, kwargs): kwargs.training as fit has it (dropout
// drops, batch normalization uses the batch's statistics).
export function applyModel(model, inputs, kwargs = {}) {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length && list.every((t) => t instanceof SymbolicTensor)) return inline(model, list);
  if (list.some((t) => t instanceof SymbolicTensor))
    throw new Error(`apply: expected symbolic tensors or Tensors, not a mix; got ${show(list.map(describe))}`);
  return applyToTensors(model, inputs, kwargs ?? {});
}

// A model's weight (a LayerVariable) as a Tensor sharing the model's values, freed by the
// caller; on the tape, linked to the model's applications.
export function parameterTensor(variable, what) {
  const t = new Tensor(variable.shape, 'float32');
  fill([t], [variable.model.wait(what)], 'parameterTensor', [variable.model.id, variable.index, t.id]);
  t.reachKey = parameterKey(variable.model);
  return t;
}
