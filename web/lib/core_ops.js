// The engine calls behind the core API (tensor.js, gradients.js, optimizers.js): ops by
// the engine's op table, the tape and its gradients, variables' assignment and the
// optimizers of variables, and the packing of a model's several inputs or outputs. Each is
// a function of a Core (core.js) that dispatch.js runs by name, as it runs the Core's own
// methods.
import { planOp } from './ops.js';
import { show } from './show.js';

// TensorFlow.js' tensor operations (ops.js) by the engine's op table, into a new tensor
// outId; params: {args, scalar (a number as the second input), call: {engine, settings,
// shape} when the program knew the shapes and worked it out}.
function tensorOp(core, name, ids, outId, params, dtypes) {
  if (!core.engine.runOp)
    throw new Error(
      `${name}: tensor operations need the whole engine; this one was loaded with ready({lite: true}) (call dl.wholeEngine() first)`,
    );
  const inputs = ids.map((id) => core.tensor(id, name));
  const handles = inputs.map((t) => t.handle);
  const shapes = params.call ? null : inputs.map((t) => t.shape ?? t.handle.shape());
  if (params.scalar !== undefined) {
    handles.push(core.engine.scalarTensor(params.scalar));
    shapes?.push([]);
  }
  try {
    const { engine, settings, shape } = params.call ?? planOp(name, shapes, dtypes, params.args);
    const handle = core.engine.runOp(engine, handles, settings, params.tapes ?? []);
    core.tensors.set(outId, { handle, users: 0, shape });
    return shape;
  } finally {
    if (params.scalar !== undefined) handles.at(-1).delete();
  }
}

// A tensor outId of random values (engine/ops/random.h).
function randomTensor(core, kind, shape, a, b, seed, outId) {
  if (!core.engine.randomTensor)
    throw new Error('random tensors need the whole engine; this one was loaded with ready({lite: true})');
  core.tensors.set(outId, { handle: core.engine.randomTensor(kind, shape, a, b, seed), users: 0, shape });
}

// A tensor outId of a weight's first values (engine/layers/initializers.h): spec is the
// initializer as JSON text.
function initialTensor(core, spec, shape, seed, outId) {
  if (!core.engine.initialTensor)
    throw new Error('initializers need the whole engine; this one was loaded with ready({lite: true})');
  core.tensors.set(outId, { handle: core.engine.initialTensor(spec, shape, seed), users: 0, shape });
}

// A copy of tensor id as outId, made outside the tape (so no gradient flows through it).
function detachTensor(core, id, outId) {
  const t = core.tensor(id, 'customGrad');
  const shape = t.shape ?? t.handle.shape();
  core.createTensor(outId, shape, t.handle.read());
  return shape;
}

// Tape `id` of the engine (engine/ops/tape.h): the ops the program made for it while it
// was open are recorded, and forgotten once it stops.
function startTape(core, id) {
  if (!core.engine.startTape)
    throw new Error('gradients need the whole engine; this one was loaded with ready({lite: true})');
  core.engine.startTape(id);
}

function stopTape(core, id) {
  core.engine.stopTape?.(id);
}

// The gradients of target (times seed, or of its sum) with respect to each source, into
// new tensors outIds; a source the target does not depend on gets zeros.
function gradients(core, targetId, sourceIds, outIds, seedId, tapeId) {
  const target = core.tensor(targetId, 'gradients');
  const sources = sourceIds.map((id) => core.tensor(id, 'gradients'));
  const seed = seedId == null ? null : core.tensor(seedId, 'gradients').handle;
  const grads = core.engine.gradients(
    target.handle,
    sources.map((t) => t.handle),
    seed,
    tapeId,
  );
  outIds.forEach((outId, i) => {
    const shape = sources[i].shape ?? sources[i].handle.shape();
    // No gradient flows through round, floor, sign... : zeros, as TensorFlow.js gives.
    if (grads[i]) core.tensors.set(outId, { handle: grads[i], users: 0, shape });
    else core.createTensor(outId, shape, null);
  });
}

// Variable id takes the values of tensor fromId (of the same size), as a new engine
// tensor: what the tape recorded of the old values stays as it was.
function assignTensor(core, id, fromId) {
  const target = core.tensor(id, 'assign');
  const from = core.tensor(fromId, 'assign');
  const shape = target.shape ?? target.handle.shape();
  const handle = core.engine.runOp('reshape', [from.handle], JSON.stringify({ shape }), []);
  target.handle.delete();
  target.handle = handle;
}

// One update of variables varIds (named `names`) by gradients gradIds, with optimizer
// `key` (made from config the first time; its state is kept per variable name).
function applyGradients(core, key, config, names, varIds, gradIds) {
  core.optimizers ??= new Map();
  let optimizer = core.optimizers.get(key);
  if (!optimizer) {
    optimizer = new core.engine.VariableOptimizer(JSON.stringify(config));
    core.optimizers.set(key, optimizer);
  }
  if (config.learningRate !== undefined) optimizer.setLearningRate(config.learningRate);
  optimizer.step(
    names,
    varIds.map((id) => core.tensor(id, 'applyGradients').handle),
    gradIds.map((id) => core.tensor(id, 'applyGradients').handle),
  );
}

function disposeOptimizer(core, key) {
  core.optimizers?.get(key)?.delete();
  core.optimizers?.delete(key);
}

// Model id's output for tensor xId (its inputs side by side for several) as a new tensor
// outId, recorded on the open tapes listed (engine/train/model_on_tape.h).
function applyModel(core, id, xId, outId, training, tapes) {
  if (!core.engine.applyModel)
    throw new Error(
      'apply: a model applied to tensors needs the whole engine; this one was loaded with ready({lite: true})',
    );
  const handle = core.engine.applyModel(core.model(id).handle, core.tensor(xId, 'apply').handle, training, tapes);
  const shape = handle.shape();
  core.tensors.set(outId, { handle, users: 0, shape });
  return shape;
}

// Weight number `index` of model id as tensor outId sharing its values (not a copy): a
// source of gradients through applyModel, and what an optimizer updates in place.
function parameterTensor(core, id, index, outId) {
  const all = core.engine.modelParameters(core.model(id).handle);
  const handle = all[index];
  all.forEach((h, i) => i !== index && h.delete());
  if (!handle) throw new Error(`parameter: the model has no weight number ${show(index)}`);
  const shape = handle.shape();
  core.tensors.set(outId, { handle, users: 0, shape });
  return shape;
}

// Tensors (n, ...) side by side as one (n, sum of their sizes per row), for the inputs or
// targets of a model of several; widths: each one's size per row.
function packColumns(core, ids, widths, outId) {
  const parts = ids.map((id) => core.tensor(id, 'pack').handle.read());
  const rows = parts[0].length / widths[0];
  parts.forEach((values, k) => {
    if (values.length !== rows * widths[k])
      throw new Error(`pack: tensor ${k} has ${values.length} values; expected ${rows} rows of ${widths[k]}`);
  });
  const total = widths.reduce((a, b) => a + b, 0);
  const out = new Float32Array(rows * total);
  for (let r = 0, at = 0; r < rows; r++)
    parts.forEach((values, k) => {
      out.set(values.subarray(r * widths[k], (r + 1) * widths[k]), at);
      at += widths[k];
    });
  core.createTensor(outId, [rows, total], out);
  return [rows, total];
}

// Columns column to column + size of packed tensor id (n, width), as a tensor of shape
// [n, ...shape]: one output of a model of several. Returns that shape.
function takeColumns(core, id, column, size, shape, outId) {
  const packed = core.tensor(id, 'unpack').handle;
  const values = packed.read();
  const rows = packed.shape()[0];
  const width = values.length / rows;
  const out = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * width + column, r * width + column + size), r * size);
  core.createTensor(outId, [rows, ...shape], out);
  return [rows, ...shape];
}

export const OP_CALLS = {
  tensorOp,
  randomTensor,
  initialTensor,
  detachTensor,
  startTape,
  stopTape,
  gradients,
  assignTensor,
  applyGradients,
  disposeOptimizer,
  packColumns,
  takeColumns,
  applyModel,
  parameterTensor,
};
