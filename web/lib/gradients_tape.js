// What the program knows of the engine's tape while a gradient is being taken: the ops
// made (which tensors each read and made), so that whether a result depends on a source
// is known at once, before the engine has run them (in a Web Worker it runs them later),
// and so that the tape is stopped only once every one has run.
import { differentiable } from './ops.js';

const open = [];

// Called by every op (tensor_ops.js): written into each open tape.
export function recordOp(name, inputs, out) {
  for (const tape of open) {
    tape.made.push(out);
    if (differentiable(name)) tape.links.push({ inputs: inputs.map((t) => t.id), out: out.id });
  }
}

export function openTape() {
  const tape = { made: [], links: [] };
  open.push(tape);
  return tape;
}

export function closeTape(tape) {
  const at = open.indexOf(tape);
  if (at >= 0) open.splice(at, 1);
}

// Whether tensor targetId was computed from sourceId through ops that pass a gradient.
export function dependsOn(tape, targetId, sourceId) {
  const reached = new Set([sourceId]);
  for (const { inputs, out } of tape.links) if (inputs.some((id) => reached.has(id))) reached.add(out);
  return reached.has(targetId);
}
