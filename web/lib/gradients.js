// Gradients of any computation, as TensorFlow.js' core API takes them: grad, grads,
// valueAndGrad(s) of functions of tensors, and variables with variableGrads. The
// function runs with the engine's tape recording (engine/ops/tape.h); the gradients are
// the tape replayed in reverse, in the engine. Everything the function made but its
// result is disposed, as in TensorFlow.js.
import { engine } from './engine.js';
import { closeTape, dependsOn, openTape } from './gradients_tape.js';
import { show } from './show.js';
import { Tensor, dispose, fill, tidy, update } from './tensor.js';

const describe = (x) => (x instanceof Tensor ? `a ${x.dtype} Tensor` : (x?.constructor?.name ?? typeof x));

function checkSources(what, sources) {
  sources.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new Error(`${what}: input ${i} must be a Tensor; got ${describe(x)}`);
    x.check(what);
    if (x.dtype !== 'float32')
      throw new Error(
        `${what}: input ${i} is ${x.dtype}; gradients are taken with respect to float32 tensors (x.toFloat() makes one)`,
      );
  });
}

// Runs f with the tape recording and takes the gradients of its result (times dy, or of
// its sum) with respect to each source: {value, grads}, a grad null where the result does
// not depend on that source.
function taped(what, f, sources, dy) {
  checkSources(what, sources);
  const owner = sources[0]?.owner ?? engine();
  update([], [], 'startTape', [], { owner });
  const tape = openTape();
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
    update([], tape.made, 'stopTape', [], { owner, afterFailures: true });
    throw error;
  }
  closeTape(tape);
  const linked = sources.map((x) => dependsOn(tape, value.id, x.id));
  const grads = sources.map((x, i) => (linked[i] ? new Tensor(x.shape, 'float32') : null));
  const outs = grads.filter(Boolean);
  try {
    if (dy != null) {
      if (!(dy instanceof Tensor)) throw new Error(`${what}: dy must be a Tensor; got ${describe(dy)}`);
      if (value.shape && dy.shape && show(dy.shape) !== show(value.shape))
        throw new Error(`${what}: dy has shape ${show(dy.shape)}; f's result has shape ${show(value.shape)}`);
    }
    if (outs.length)
      fill(outs, [value, ...sources, ...(dy ? [dy] : [])], 'gradients', [
        value.id,
        sources.filter((x, i) => linked[i]).map((x) => x.id),
        outs.map((g) => g.id),
        dy?.id ?? null,
      ]);
  } catch (error) {
    dispose([value, outs]);
    throw error;
  } finally {
    update([], [...tape.made, ...outs], 'stopTape', [], { owner, afterFailures: true });
  }
  return { value, grads };
}

function noPath(what, i) {
  return new Error(
    `${what}: f's result does not depend on input ${i}, so it has no gradient there; make sure f computes its result from that input with tensor operations`,
  );
}

// Every grad, or an error naming the first input the result does not depend on.
function allGrads(what, { value, grads }) {
  const missing = grads.indexOf(null);
  if (missing >= 0) {
    dispose([value, grads.filter(Boolean)]);
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
    result.value.dispose();
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
    result.value.dispose();
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

export const variable = (initialValue, trainable, name, dtype) => new Variable(initialValue, trainable, name, dtype);

export function variableByName(name, what) {
  const v = variables.get(name);
  if (!v)
    throw new Error(`${what}: there is no variable named ${show(name)}; variables: ${show([...variables.keys()])}`);
  return v;
}

// TensorFlow.js' variableGrads: the value of f (a scalar) and its gradient with respect to
// each variable of varList (every trainable variable by default) it depends on, by name.
export function variableGrads(f, varList) {
  if (typeof f !== 'function') throw new Error(`variableGrads: expected a function; got ${describe(f)}`);
  const list = varList ?? [...variables.values()].filter((v) => v.trainable);
  if (!Array.isArray(list) || list.some((v) => !(v instanceof Variable)))
    throw new Error(`variableGrads: varList must be an array of variables; got ${show(varList)}`);
  if (!list.length) throw new Error('variableGrads: there are no trainable variables to take gradients for');
  const { value, grads: found } = taped('variableGrads', f, list, null);
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
  list.forEach((v, i) => {
    if (found[i]) byName[v.name] = found[i];
  });
  return { value, grads: byName };
}
