// Small data sets as in TensorFlow Playground, generated and split with a seed:
// classification (circle, xor, gaussians, spiral) and regression (plane, gaussianMixture)
// on 2D points in [-6, 6], optional feature transforms of the two coordinates, and a
// regression task like the seeds' Keras example (100 inputs, one output).
import { seededRandom, shuffle } from './random.js';
import { show } from '../show.js';

export const CLASSIFICATION_SETS = ['circle', 'xor', 'gaussians', 'spiral'];
export const REGRESSION_SETS = ['plane', 'gaussianMixture'];

// Feature transforms of a point (x1, x2), by the names the page shows.
export const FEATURES = {
  x1: (a) => a,
  x2: (a, b) => b,
  'x1^2': (a) => a * a,
  'x2^2': (a, b) => b * b,
  'x1*x2': (a, b) => a * b,
  'sin(x1)': (a) => Math.sin(a),
  'sin(x2)': (a, b) => Math.sin(b),
  'cos(x1)': (a) => Math.cos(a),
  'cos(x2)': (a, b) => Math.cos(b),
};

// Each generator returns [x1, x2, label] triples; noise is from 0 (none) to 1.
const generators = {
  circle(n, noise, random) {
    const points = [];
    for (let i = 0; i < n; i++) {
      const inside = i % 2 === 0;
      const r = inside ? random.uniform(0, 2.5) : random.uniform(3.5, 5);
      const angle = random.uniform(0, 2 * Math.PI);
      const x = r * Math.sin(angle) + random.uniform(-5, 5) * noise;
      const y = r * Math.cos(angle) + random.uniform(-5, 5) * noise;
      points.push([x, y, inside ? 1 : 0]);
    }
    return points;
  },
  xor(n, noise, random) {
    const points = [];
    for (let i = 0; i < n; i++) {
      // Kept a little away from the axes, where the class would be a coin toss.
      const away = (v) => v + (v > 0 ? 0.3 : -0.3);
      const x = away(random.uniform(-5, 5));
      const y = away(random.uniform(-5, 5));
      points.push([x + random.uniform(-5, 5) * noise, y + random.uniform(-5, 5) * noise, x * y >= 0 ? 1 : 0]);
    }
    return points;
  },
  gaussians(n, noise, random) {
    const spread = 0.5 + 3.5 * noise;
    const points = [];
    for (let i = 0; i < n; i++) {
      const label = i % 2;
      const centre = label ? 2 : -2;
      points.push([centre + random.normal() * spread, centre + random.normal() * spread, label]);
    }
    return points;
  },
  spiral(n, noise, random) {
    const points = [];
    const half = Math.floor(n / 2);
    for (let i = 0; i < n; i++) {
      const label = i < half ? 1 : 0;
      const k = label ? i : i - half;
      const count = label ? half : n - half;
      const r = (k / count) * 5;
      const t = 1.75 * (k / count) * 2 * Math.PI + (label ? 0 : Math.PI);
      points.push([
        r * Math.sin(t) + random.uniform(-1, 1) * noise,
        r * Math.cos(t) + random.uniform(-1, 1) * noise,
        label,
      ]);
    }
    return points;
  },
  plane(n, noise, random) {
    const points = [];
    for (let i = 0; i < n; i++) {
      const x = random.uniform(-6, 6);
      const y = random.uniform(-6, 6);
      points.push([x, y, (x + y) / 12 + random.uniform(-1, 1) * noise]);
    }
    return points;
  },
  gaussianMixture(n, noise, random) {
    const bumps = [
      [-4, 2.5, 1],
      [0, 2.5, -1],
      [4, 2.5, 1],
      [-4, -2.5, -1],
      [0, -2.5, 1],
      [4, -2.5, -1],
    ];
    const points = [];
    for (let i = 0; i < n; i++) {
      const x = random.uniform(-6, 6);
      const y = random.uniform(-6, 6);
      let v = 0;
      for (const [cx, cy, sign] of bumps) v += sign * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 2);
      points.push([x, y, v + random.uniform(-1, 1) * noise]);
    }
    return points;
  },
};

function checkOptions(name, { points, noise, trainRatio, features }) {
  if (!Object.hasOwn(generators, name))
    throw new Error(
      `toy data: unknown set ${show(name)}; expected one of ${[...CLASSIFICATION_SETS, ...REGRESSION_SETS].join(', ')}`,
    );
  if (!Number.isInteger(points) || points < 2 || points > 100000)
    throw new Error(`toy data: points must be a whole number from 2 to 100000; got ${show(points)}`);
  if (!(noise >= 0 && noise <= 1)) throw new Error(`toy data: noise must be from 0 to 1; got ${show(noise)}`);
  if (!(trainRatio > 0 && trainRatio < 1))
    throw new Error(`toy data: trainRatio must be between 0 and 1; got ${show(trainRatio)}`);
  const unknown = features.filter((f) => !Object.hasOwn(FEATURES, f));
  if (unknown.length || features.length === 0)
    throw new Error(
      `toy data: unknown features ${unknown.map((f) => show(f)).join(', ') || '(none given)'}; expected some of ${Object.keys(FEATURES).join(', ')}`,
    );
}

function toArrays(points, features) {
  const d = features.length;
  const x = new Float32Array(points.length * d);
  const y = new Float32Array(points.length);
  points.forEach(([a, b, label], i) => {
    features.forEach((f, j) => (x[i * d + j] = FEATURES[f](a, b)));
    y[i] = label;
  });
  return { x, y, n: points.length, points: points.map(([a, b]) => [a, b]) };
}

// {name, task, features, inputShape, train: {x, y, n, points}, test: {...}}; x rows hold
// the chosen features of each point, y its class (0/1) or value.
export function toyDataset(
  name,
  { points = 400, noise = 0, trainRatio = 0.5, seed = 1, features = ['x1', 'x2'] } = {},
) {
  checkOptions(name, { points, noise, trainRatio, features });
  const random = seededRandom(seed);
  const all = shuffle(generators[name](points, noise, random), random);
  const nTrain = Math.max(1, Math.min(points - 1, Math.round(points * trainRatio)));
  return {
    name,
    task: REGRESSION_SETS.includes(name) ? 'regression' : 'classification',
    features: [...features],
    inputShape: [features.length],
    train: toArrays(all.slice(0, nTrain), features),
    test: toArrays(all.slice(nTrain), features),
  };
}

// The seeds' small regression: `inputs` features in [-1, 1], one target that mixes a
// fixed random linear part with a non-linear one, plus noise.
export function regressionDataset({ samples = 1000, inputs = 100, noise = 0.05, trainRatio = 0.8, seed = 1 } = {}) {
  if (!Number.isInteger(samples) || samples < 2 || samples > 1e6)
    throw new Error(`regression data: samples must be from 2 to 1000000; got ${show(samples)}`);
  if (!Number.isInteger(inputs) || inputs < 1 || inputs > 10000)
    throw new Error(`regression data: inputs must be from 1 to 10000; got ${show(inputs)}`);
  const random = seededRandom(seed);
  const weights = Array.from({ length: inputs }, () => random.normal() / Math.sqrt(inputs));
  const x = new Float32Array(samples * inputs);
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    let linear = 0;
    for (let j = 0; j < inputs; j++) {
      const v = random.uniform(-1, 1);
      x[i * inputs + j] = v;
      linear += weights[j] * v;
    }
    y[i] = linear + 0.5 * Math.sin(3 * x[i * inputs]) + noise * random.normal();
  }
  const nTrain = Math.max(1, Math.min(samples - 1, Math.round(samples * trainRatio)));
  const split = (from, to) => ({ x: x.slice(from * inputs, to * inputs), y: y.slice(from, to), n: to - from });
  return {
    name: 'regression',
    task: 'regression',
    inputShape: [inputs],
    train: split(0, nTrain),
    test: split(nTrain, samples),
  };
}
