// Gradients of any computation, as TensorFlow.js' core API takes them: grad, grads,
// valueAndGrad(s) of functions of tensors, and variables with variableGrads. The
// function runs with the engine's tape recording (engine/ops/tape.h); the gradients are
// the tape replayed in reverse, in the engine. Everything the function made but its
// result is disposed, as in TensorFlow.js.
import { engine, newId } from './engine.js';
import { closeTape, dependsOn, openTape, parameterKey, recordCustom, recording } from './gradients_tape.js';
import { parameterTensor } from './model_apply.js';
import { show } from './show.js';
import { Tensor, dispose, fill, tidy, update } from './tensor.js';
import { addN } from './tensor_ops.js';
import { LayerVariable, modelVariables } from './weights.js';

const describe = (x) => (x instanceof Tensor ? `a ${x.dtype} Tensor` : (x?.constructor?.name ?? typeof x));

function checkSources(what, sources) {
  sources.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new Error(`${what}: input ${i} must be a Tensor; got ${describe(x)}`);
    x.check(what);
    if (!x.shape)
      throw new Error(
        `${what}: input ${i} is still being computed (its shape is not known yet); await its data() first`,
      );
    if (x.dtype !== 'float32')
      throw new Error(
        `${what}: input ${i} is ${x.dtype}; gradients are taken with respect to float32 tensors (x.toFloat() makes one)`,
      );
  });
}

// Runs f with the tape recording and takes the gradients of its result (times dy, or of
// its sum) with respect to each source: {value, grads}, a grad null where the result does
// not depend on that source. sources: Tensors, or a function of the tape that gives them
// once f has run (null for one f did not reach: a model's weights when f did not apply it).
function taped(what, f, given, dy) {
  if (typeof given !== 'function') checkSources(what, given);
  const owner = (typeof given === 'function' ? null : given[0]?.owner) ?? engine();
  // Tensors with ids from here on are made by f (the others are the caller's, not freed).
  const firstId = newId();
  const tape = openTape(firstId);
  update([], [], 'startTape', [tape.id], { owner });
  let value;
  try {
    value = tidy(() => {
      const y = f();
      if (y instanceof Promise) throw new Error(`${what}: f must not be async; it returned a Promise`);
      if (!(y instanceof Tensor)) throw new Error(`${what}: f must return a Tensor; got ${describe(y)}`);
      return y;
    });
  } catch (error) {
    closeTape(tape);
    update([], tape.made, 'stopTape', [tape.id], { owner, afterFailures: true });
    throw error;
  }
  closeTape(tape);
  const sources = typeof given === 'function' ? given(tape) : given;
  // (A model's weights are linked to its applications by the model's key: model_apply.js.)
  const linked = sources.map((x) => Boolean(x) && dependsOn(tape, value.id, x.reachKey ?? x.id));
  // Tensors made on the way (freed once done); what the custom ops keep for their gradients.
  const made = [...new Set(tape.customs.flatMap((c) => c.saved))];
  let grads = [];
  try {
    if (dy != null) {
      if (!(dy instanceof Tensor)) throw new Error(`${what}: dy must be a Tensor; got ${describe(dy)}`);
      if (value.shape && dy.shape && show(dy.shape) !== show(value.shape))
        throw new Error(`${what}: dy has shape ${show(dy.shape)}; f's result has shape ${show(value.shape)}`);
    }
    if (tape.customs.length) grads = throughCustoms(tape, value, sources, dy, made);
    else {
      grads = sources.map((x, i) => (linked[i] ? new Tensor(x.shape, 'float32') : null));
      const outs = grads.filter(Boolean);
      if (outs.length)
        fill(outs, [value, ...sources.filter(Boolean), ...(dy ? [dy] : [])], 'gradients', [
          value.id,
          sources.filter((x, i) => linked[i]).map((x) => x.id),
          outs.map((g) => g.id),
          dy?.id ?? null,
          tape.id,
        ]);
    }
  } catch (error) {
    dispose([value.id > firstId ? value : null, grads]);
    throw error;
  } finally {
    update([], [...tape.made, ...made, ...grads.filter(Boolean)], 'stopTape', [tape.id], {
      owner,
      afterFailures: true,
    });
    made.forEach((t) => (t.kept = false));
    dispose(made.filter((t) => t !== value));
  }
  return { value, grads, owned: value.id > firstId };
}

// The gradient of target (times seed) with respect to source, by the engine's tape.
function gradientOf(tape, target, source, seed, made) {
  const out = new Tensor(source.shape, 'float32');
  made.push(out);
  fill([out], [target, source, ...(seed ? [seed] : [])], 'gradients', [
    target.id,
    [source.id],
    [out.id],
    seed?.id ?? null,
    tape.id,
  ]);
  return out;
}

// The sum of the gradients of each pending {target, seed} that depends on source, or null.
function summed(tape, pending, source, made) {
  const parts = pending
    .filter((p) => dependsOn(tape, p.target.id, source.reachKey ?? source.id, true))
    .map((p) => gradientOf(tape, p.target, source, p.seed, made));
  if (parts.length < 2) return parts[0] ?? null;
  const total = addN(parts);
  made.push(total);
  return total;
}

// Gradients through customGrad ops: the engine's tape takes them up to each custom op's
// result (last made first), its gradFunc takes them on to its inputs, and from there the
// tape again; a source's gradient is the sum over every path.
function throughCustoms(tape, value, sources, dy, made) {
  const pending = [{ target: value, seed: dy ?? null }];
  for (const custom of [...tape.customs].reverse()) {
    const dout = summed(tape, pending, custom.out, made);
    if (!dout) continue;
    const start = newId();
    const dxs = tidy(() => custom.backward(dout));
    // gradFunc's own tensors are freed once used; what it returns of others' is not.
    made.push(...dxs.filter((t) => t.id > start));
    custom.inputs.forEach((x, i) => pending.push({ target: x, seed: dxs[i] }));
  }
  return sources.map((x) => {
    if (!x) return null;
    const g = summed(tape, pending, x, made);
    // What is returned is not freed with the rest.
    if (g) made.splice(made.indexOf(g), 1);
    return g;
  });
}

// TensorFlow.js' customGrad: f(...inputs, save) returns {value, gradFunc(dy, saved)}, and
// the op's gradient with respect to each input is gradFunc's (a Tensor or one per input).
export function customGrad(f) {
  if (typeof f !== 'function') throw new Error(`customGrad: expected a function; got ${describe(f)}`);
  return (...inputs) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new Error(`customGrad: input ${i} must be a Tensor; got ${describe(x)}`);
    });
    let saved = [];
    const save = (tensors) => {
      if (!Array.isArray(tensors) || !tensors.every((t) => t instanceof Tensor))
        throw new Error(`customGrad: save takes an array of Tensors; got ${show(tensors)}`);
      saved = tensors;
    };
    const result = f(...inputs, save);
    if (!(result?.value instanceof Tensor) || typeof result.gradFunc !== 'function')
      throw new Error(
        `customGrad: f must return {value: Tensor, gradFunc: (dy, saved) => gradients}; got ${show(Object.keys(result ?? {}))}`,
      );
    if (!recording()) return result.value;
    // Outside the tape's reach: a copy of the value that the tape does not link to f's ops.
    const out = new Tensor(result.value.shape, result.value.dtype);
    fill([out], [result.value], 'detachTensor', [result.value.id, out.id]);
    if (!saved.includes(result.value) && !inputs.includes(result.value)) result.value.dispose();
    // What f saved and made lives until the gradient has been taken (the tape frees it).
    const own = saved.filter((t) => !inputs.includes(t));
    own.forEach((t) => (t.kept = true));
    recordCustom(inputs, out, own, (dy) => {
      const grads = result.gradFunc(dy, saved);
      const list = Array.isArray(grads) ? grads : [grads];
      if (list.length !== inputs.length || !list.every((g) => g instanceof Tensor))
        throw new Error(
          `customGrad: gradFunc must return one Tensor per input (${inputs.length}); got ${show(list.map(describe))}`,
        );
      return list;
    });
    return out;
  };
}

function noPath(what, i) {
  return new Error(
    `${what}: f's result does not depend on input ${i}, so it has no gradient there; make sure f computes its result from that input with tensor operations`,
  );
}

// Every grad, or an error naming the first input the result does not depend on.
function allGrads(what, { value, grads, owned }) {
  const missing = grads.indexOf(null);
  if (missing >= 0) {
    dispose([owned ? value : null, grads.filter(Boolean)]);
    throw noPath(what, missing);
  }
  return grads;
}

// TensorFlow.js' grad: f of one tensor -> (x, dy) => the gradient of f at x.
export function grad(f) {
  if (typeof f !== 'function') throw new Error(`grad: expected a function; got ${describe(f)}`);
  return (x, dy) => {
    const result = taped('grad', () => f(x), [x], dy);
    const [g] = allGrads('grad', result);
    if (result.owned) result.value.dispose();
    return g;
  };
}

// TensorFlow.js' grads: f of several tensors -> (args, dy) => one gradient per argument.
export function grads(f) {
  if (typeof f !== 'function') throw new Error(`grads: expected a function; got ${describe(f)}`);
  return (args, dy) => {
    if (!Array.isArray(args)) throw new Error(`grads: expected an array of Tensors; got ${describe(args)}`);
    const result = taped('grads', () => f(...args), args, dy);
    const list = allGrads('grads', result);
    if (result.owned) result.value.dispose();
    return list;
  };
}

export function valueAndGrad(f) {
  if (typeof f !== 'function') throw new Error(`valueAndGrad: expected a function; got ${describe(f)}`);
  return (x, dy) => {
    const result = taped('valueAndGrad', () => f(x), [x], dy);
    return { value: result.value, grad: allGrads('valueAndGrad', result)[0] };
  };
}

export function valueAndGrads(f) {
  if (typeof f !== 'function') throw new Error(`valueAndGrads: expected a function; got ${describe(f)}`);
  return (args, dy) => {
    if (!Array.isArray(args)) throw new Error(`valueAndGrads: expected an array of Tensors; got ${describe(args)}`);
    const result = taped('valueAndGrads', () => f(...args), args, dy);
    return { value: result.value, grads: allGrads('valueAndGrads', result) };
  };
}

// The variables by name, as TensorFlow.js registers them.
const variables = new Map();
let unnamed = 0;

export class Variable extends Tensor {
  constructor(initialValue, trainable = true, name, dtype) {
    if (!(initialValue instanceof Tensor))
      throw new Error(`variable: the initial value must be a Tensor; got ${describe(initialValue)}`);
    initialValue.check('variable');
    const key = name ?? `variable${unnamed++}`;
    if (typeof key !== 'string') throw new Error(`variable: name must be a string; got ${show(name)}`);
    if (variables.has(key))
      throw new Error(`variable: there is a variable named ${show(key)} already; dispose it or choose another name`);
    super(initialValue.shape, dtype ?? initialValue.dtype);
    this.name = key;
    this.trainable = Boolean(trainable);
    this.kept = true;
    variables.set(key, this);
    const args = ['cast', [initialValue.id], this.id, { args: [this.dtype] }, [initialValue.dtype]];
    fill([this], [initialValue], 'tensorOp', args);
  }

  // Takes newValue's values (a Tensor of the variable's shape and dtype).
  assign(newValue) {
    this.check('assign');
    if (!(newValue instanceof Tensor)) throw new Error(`assign: expected a Tensor; got ${describe(newValue)}`);
    newValue.check('assign');
    if (newValue.dtype !== this.dtype)
      throw new Error(`assign: the new value is ${newValue.dtype}; variable ${show(this.name)} is ${this.dtype}`);
    if (this.shape && newValue.shape && show(newValue.shape) !== show(this.shape))
      throw new Error(
        `assign: the new value has shape ${show(newValue.shape)}; variable ${show(this.name)} has shape ${show(this.shape)}`,
      );
    update([this], [this, newValue], 'assignTensor', [this.id, newValue.id]);
  }

  dispose() {
    if (variables.get(this.name) === this) variables.delete(this.name);
    super.dispose();
  }
}

// Whether a variable of this name exists (custom_layers.js names its weights apart).
export const variableTaken = (name) => variables.has(name);

export const variable = (initialValue, trainable, name, dtype) => new Variable(initialValue, trainable, name, dtype);

// What variableGrads returned its gradients for: {name: variable}, by the object it returned.
const gradientsOf = new WeakMap();

// The variable `name` names: in `grads` when variableGrads made it, else one made with
// dl.variable or a model's weight (a LayerVariable).
export function variableByName(name, what, grads) {
  const v = gradientsOf.get(grads)?.[name] ?? variables.get(name) ?? modelVariables(what).find((w) => w.name === name);
  if (!v)
    throw new Error(
      `${what}: there is no variable named ${show(name)}; variables: ${show([...variables.keys(), ...modelVariables(what).map((w) => w.name)])}`,
    );
  return v;
}

// The tensors standing for variables on the tape: a Variable itself; a model's weight as a
// Tensor sharing its values, made for the call (`made`, freed by the caller).
export function tensorsOf(list, what, made) {
  return list.map((v) => {
    if (v instanceof Variable) return v;
    const t = parameterTensor(v, what);
    made.push(t);
    return t;
  });
}

// TensorFlow.js' variableGrads: the value of f (a scalar) and its gradient with respect to
// each variable of varList (every trainable variable by default) it depends on, by name.
export function variableGrads(f, varList) {
  if (typeof f !== 'function') throw new Error(`variableGrads: expected a function; got ${describe(f)}`);
  const given = varList ?? [...variables.values(), ...modelVariables('variableGrads')];
  if (!Array.isArray(given) || given.some((v) => !(v instanceof Variable || v instanceof LayerVariable)))
    throw new Error(`variableGrads: varList must be an array of variables; got ${show(varList)}`);
  // As in TensorFlow.js, only trainable variables get gradients.
  const list = given.filter((v) => v.trainable);
  const whole = list.find((v) => v.dtype !== 'float32');
  if (whole)
    throw new Error(
      `variableGrads: variable ${show(whole.name)} is ${whole.dtype}; gradients are taken of float32 variables (make it with trainable false)`,
    );
  if (!list.length) throw new Error('variableGrads: there are no trainable variables to take gradients for');
  checkSources(
    'variableGrads',
    list.filter((v) => v instanceof Variable),
  );
  const made = [];
  let value, found;
  try {
    // A model's weights take part only where f applied the model (no tensors made else).
    const reached = (tape, v) => tape.links.some((l) => l.inputs.includes(parameterKey(v.model)));
    const sources = (tape) =>
      list.map((v) => (v instanceof Variable ? v : reached(tape, v) ? tensorsOf([v], 'variableGrads', made)[0] : null));
    ({ value, grads: found } = taped('variableGrads', f, sources, null));
  } finally {
    dispose(made);
  }
  if (value.shape && value.rank !== 0) {
    dispose([value, found.filter(Boolean)]);
    throw new Error(`variableGrads: f must return a scalar (the loss); got shape ${show(value.shape)}`);
  }
  if (found.every((g) => g === null)) {
    value.dispose();
    throw new Error(
      `variableGrads: f's result depends on none of the variables ${show(list.map((v) => v.name))}; make sure f computes its loss from them`,
    );
  }
  const byName = {};
  const named = {};
  list.forEach((v, i) => {
    if (!found[i]) return;
    // (Two models' layers may have the same names: the later one's weight is told apart.)
    let name = v.name;
    for (let k = 2; name in byName; k++) name = `${v.name}#${k}`;
    byName[name] = found[i];
    named[name] = v;
  });
  gradientsOf.set(byName, named);
  return { value, grads: byName };
}
