// What the program knows of the engine's tape while a gradient is being taken: the ops
// made (which tensors each read and made), so that whether a result depends on a source
// is known at once, before the engine has run them (in a Web Worker it runs them later),
// and so that the tape is stopped only once every one has run.
import { differentiable } from './ops.js';

const open = [];
let nextId = 1;

// The ids of the open tapes, for the engine to record an op on (none: it records nothing).
export const openTapeIds = () => open.map((tape) => tape.id);

// Called by every op (tensor_ops.js): written into each open tape.
export function recordOp(name, inputs, out) {
  for (const tape of open) {
    tape.made.push(out);
    if (differentiable(name)) tape.links.push({ inputs: inputs.map((t) => t.id), out: out.id });
  }
}

// A customGrad op (gradients.js) made while a tape is open: its result depends on its
// inputs through gradFunc, not through the ops that computed it.
// saved: tensors it keeps for its gradient. They, its result and its inputs that the
// function being differentiated made live until the outermost tape is done, which frees
// them (its result is freed then only if the function did not return it).
export function recordCustom(inputs, out, saved, backward) {
  const made = [...inputs.filter((t) => t.id > open[0].firstId && !t.kept), out];
  made.forEach((t) => (t.kept = true));
  open.forEach((tape, k) => {
    tape.made.push(out);
    tape.links.push({ inputs: inputs.map((t) => t.id), out: out.id, custom: true });
    tape.customs.push({ inputs, out, backward, saved: k === 0 ? [...saved, ...made] : [] });
  });
}

// A model applied to x (its weights together one source, `key`: see parameterKey).
export function recordModel(x, key, out) {
  for (const tape of open) {
    tape.made.push(out);
    tape.links.push({ inputs: [x.id, key], out: out.id });
  }
}

// What the tape's links name a model's weights by.
export const parameterKey = (model) => `model ${model.id}`;

export const recording = () => open.length > 0;

// firstId: tensors with larger ids are made while it is open.
export function openTape(firstId) {
  const tape = { id: nextId++, firstId, made: [], links: [], customs: [] };
  open.push(tape);
  return tape;
}

export function closeTape(tape) {
  const at = open.indexOf(tape);
  if (at >= 0) open.splice(at, 1);
}

// Whether tensor targetId was computed from sourceId through ops that pass a gradient
// (engineOnly: through the engine's ops alone, not customGrad's).
export function dependsOn(tape, targetId, sourceId, engineOnly = false) {
  const reached = new Set([sourceId]);
  for (const { inputs, out, custom } of tape.links)
    if (!(engineOnly && custom) && inputs.some((id) => reached.has(id))) reached.add(out);
  return reached.has(targetId);
}
