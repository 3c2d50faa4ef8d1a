// TensorFlow.js' initializers and constraints, as objects a layer's options take
// (kernelInitializer: dl.initializers.varianceScaling({scale: 2}), kernelConstraint:
// dl.constraints.maxNorm({maxValue: 3})): each is {className, config}, what TensorFlow.js
// serializes and what the engine reads (engine/catalog/weight_args.cpp), so a layer made
// with one draws its weights in the engine. An initializer's apply(shape) gives the first
// values of a weight of that shape (a JavaScript layer's addWeight uses it), drawn by the
// engine as its layers draw them; a constraint's apply(w) gives w constrained, as the
// engine applies it after every update in fit.
import { show } from './show.js';
import { Tensor, fill, tidy } from './tensor.js';
import { seedOf } from './tensor_random.js';

// The values of a weight of `shape` for an initializer given as a name ("heNormal",
// "he_normal") or {className, config}; seeded by config.seed, else at random.
export function initialValues(initializer, shape, what = 'initializer') {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`${what}: shape must be an array of whole numbers >= 1; got ${show(shape)}`);
  const spec =
    typeof initializer === 'string' ? initializer : { className: initializer?.className, config: initializer?.config };
  const out = new Tensor(shape);
  try {
    fill([out], [], 'initialTensor', [
      JSON.stringify(spec),
      shape,
      seedOf(initializer?.config?.seed ?? undefined, what),
      out.id,
    ]);
  } catch (error) {
    throw new Error(`${what}: ${error.message}`);
  }
  return out;
}

class Initializer {
  constructor(className, config) {
    this.className = className;
    this.config = config;
  }

  apply(shape) {
    return initialValues(this, shape, `initializers.${this.className}`);
  }

  getClassName() {
    return this.className;
  }

  getConfig() {
    return { ...this.config };
  }
}

const INITIALIZERS = {
  zeros: 'Zeros',
  ones: 'Ones',
  constant: 'Constant',
  randomNormal: 'RandomNormal',
  randomUniform: 'RandomUniform',
  truncatedNormal: 'TruncatedNormal',
  varianceScaling: 'VarianceScaling',
  glorotUniform: 'GlorotUniform',
  glorotNormal: 'GlorotNormal',
  heNormal: 'HeNormal',
  heUniform: 'HeUniform',
  leCunNormal: 'LeCunNormal',
  leCunUniform: 'LeCunUniform',
  orthogonal: 'Orthogonal',
  identity: 'Identity',
};

// dl.initializers.varianceScaling({scale, mode, distribution, seed}) and the rest; the
// engine checks the arguments by name when a layer is built or apply() is called.
export const initializers = Object.fromEntries(
  Object.entries(INITIALIZERS).map(([name, className]) => [
    name,
    (config = {}) => {
      if (typeof config !== 'object' || config === null)
        throw new Error(`initializers.${name}: expected an object of arguments; got ${show(config)}`);
      return new Initializer(className, { ...config });
    },
  ]),
);

const CONSTRAINTS = {
  maxNorm: ['MaxNorm', { maxValue: 2, axis: 0 }],
  unitNorm: ['UnitNorm', { axis: 0 }],
  nonNeg: ['NonNeg', {}],
  minMaxNorm: ['MinMaxNorm', { minValue: 0, maxValue: 1, rate: 1, axis: 0 }],
};

// w rescaled so that each norm over `axis` becomes wanted(norm).
const rescaled = (w, axis, wanted) =>
  tidy(() => {
    const norms = w.square().sum(axis, true).sqrt();
    return w.mul(wanted(norms).div(norms.add(1e-7)));
  });

class Constraint {
  constructor(className, config) {
    this.className = className;
    this.config = config;
  }

  apply(w) {
    const { maxValue, minValue, rate, axis } = this.config;
    switch (this.className) {
      case 'NonNeg':
        return w.relu();
      case 'UnitNorm':
        return rescaled(w, axis, (n) => n.mul(0).add(1));
      case 'MaxNorm':
        return rescaled(w, axis, (n) => n.clipByValue(0, maxValue));
      default:
        return rescaled(w, axis, (n) =>
          n
            .clipByValue(minValue, maxValue)
            .mul(rate)
            .add(n.mul(1 - rate)),
        );
    }
  }

  getClassName() {
    return this.className;
  }

  getConfig() {
    return { ...this.config };
  }
}

// dl.constraints.maxNorm({maxValue, axis}), unitNorm({axis}), nonNeg(), minMaxNorm({minValue,
// maxValue, rate, axis}), with TensorFlow.js' defaults.
export const constraints = Object.fromEntries(
  Object.entries(CONSTRAINTS).map(([name, [className, defaults]]) => [
    name,
    (config = {}) => {
      const unknown = Object.keys(config ?? {}).filter((k) => !(k in defaults));
      if (typeof config !== 'object' || config === null || unknown.length)
        throw new Error(
          `constraints.${name}: unknown argument ${show(unknown[0] ?? config)}; expected ${Object.keys(defaults).join(', ') || 'none'}`,
        );
      return new Constraint(className, { ...defaults, ...config });
    },
  ]),
);
