// A TensorFlow Playground address (its `#activation=tanh&...&networkShape=4,2` hash) as this
// page's settings, so that a link from there opens the same setup here: data set, noise,
// share of training data, input features, hidden layers and their activation, learning
// rate, batch size, regularization, the seed and the boundary's view toggles. What has no
// counterpart here is listed, never dropped without a word.
import { show } from '../../lib/layers_api.js';

// Their keys and the values a missing key has there.
const THEIR_DEFAULTS = {
  activation: 'tanh',
  regularization: 'none',
  batchSize: '10',
  dataset: 'circle',
  regDataset: 'reg-plane',
  learningRate: '0.03',
  regularizationRate: '0',
  noise: '0',
  networkShape: '4,2',
  percTrainData: '50',
  problem: 'classification',
};
const DATA = { circle: 'circle', xor: 'xor', gauss: 'gaussians', spiral: 'spiral' };
const REGRESSION_DATA = { 'reg-plane': 'plane', 'reg-gauss': 'gaussianMixture' };
const FEATURE_KEYS = {
  x: 'x1',
  y: 'x2',
  xSquared: 'x1^2',
  ySquared: 'x2^2',
  xTimesY: 'x1*x2',
  sinX: 'sin(x1)',
  sinY: 'sin(x2)',
  cosX: 'cos(x1)',
  cosY: 'cos(x2)',
};
// Keys that change nothing a network learns (the page's look, its tutorials).
const VIEW_ONLY = ['collectStats', 'tutorial', 'hideText'];
const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'];

// Whether a hash looks like TensorFlow Playground's: their network shape or data set keys.
export function isTensorflowPlaygroundHash(hash) {
  const params = new URLSearchParams(String(hash).replace(/^#/, ''));
  return params.has('networkShape') || params.has('dataset') || params.has('regDataset');
}

// {query, problems, differences}: the query string of this page for their hash; problems
// name what could not be taken over (and why), differences what works differently here.
export function fromTensorflowPlayground(hash) {
  const given = new URLSearchParams(String(hash).replace(/^#/, ''));
  const get = (key) => (given.has(key) && given.get(key).trim() !== '' ? given.get(key) : THEIR_DEFAULTS[key]);
  const problems = [];
  const out = new URLSearchParams();
  const number = (key, min, max) => {
    const value = Number(get(key));
    if (Number.isFinite(value) && value >= min && value <= max) return value;
    problems.push(`${key}=${show(get(key))}: expected a number from ${min} to ${max}`);
    return null;
  };

  const regression = get('problem') === 'regression';
  if (!['classification', 'regression'].includes(get('problem')))
    problems.push(`problem=${show(get('problem'))}: expected classification or regression`);
  const [key, table] = regression ? ['regDataset', REGRESSION_DATA] : ['dataset', DATA];
  const data = Object.hasOwn(table, get(key)) ? table[get(key)] : undefined;
  if (data) out.set('data', data);
  else problems.push(`${key}=${show(get(key))}: expected one of ${Object.keys(table).join(', ')}`);

  // Their noise is a percentage (0 to 50), the share of training data too.
  const noise = number('noise', 0, 100);
  if (noise !== null) out.set('noise', String(noise / 100));
  const ratio = number('percTrainData', 10, 90);
  if (ratio !== null) out.set('ratio', String(Math.round(ratio)));

  // A flag there is on unless it says false; x1 and x2 are on when not given.
  const on = (key, otherwise) =>
    given.has(key) && given.get(key).trim() !== '' ? given.get(key) !== 'false' : otherwise;
  const features = Object.entries(FEATURE_KEYS)
    .filter(([k, f]) => on(k, f === 'x1' || f === 'x2'))
    .map(([, f]) => f);
  if (features.length) out.set('features', features.join(','));
  else problems.push('no input feature was on; x1 and x2 are used');

  let activation = get('activation');
  if (!ACTIVATIONS.includes(activation)) {
    problems.push(`activation=${show(activation)}: expected one of ${ACTIVATIONS.join(', ')}; tanh is used`);
    activation = 'tanh';
  }
  // An empty shape there is no hidden layer at all.
  const shape = (given.has('networkShape') ? given.get('networkShape') : THEIR_DEFAULTS.networkShape)
    .split(',')
    .filter((v) => v.trim() !== '')
    .map(Number);
  const hidden = shape.filter((n) => Number.isInteger(n) && n >= 1 && n <= 4096);
  if (hidden.length !== shape.length)
    problems.push(`networkShape=${show(get('networkShape'))}: expected whole numbers of units from 1 to 4096`);
  const output = regression ? 'dense-1-linear' : 'dense-1-sigmoid';
  out.set('layers', [...hidden.map((n) => `dense-${n}-${activation}`), output].join('~'));

  const rate = number('learningRate', 1e-6, 10);
  if (rate !== null) out.set('lr', String(rate));
  const batch = number('batchSize', 1, 4096);
  if (batch !== null) out.set('batch', String(Math.round(batch)));
  out.set('optimizer', 'sgd');
  out.set('loss', regression ? 'meanSquaredError' : 'binaryCrossentropy');

  const regularization = get('regularization');
  const strength = number('regularizationRate', 0, 1);
  if (regularization === 'L1' || regularization === 'L2') {
    if (strength !== null) out.set(regularization.toLowerCase(), String(strength));
  } else if (regularization !== 'none') {
    problems.push(`regularization=${show(regularization)}: expected none, L1 or L2`);
  }

  // Their seed is any text; here it is a whole number, the same for the same text.
  if (given.has('seed')) {
    let seed = 0;
    for (const c of given.get('seed')) seed = (seed * 31 + c.charCodeAt(0)) % 2147483647;
    out.set('seed', String(seed));
  }
  out.set('test', String(on('showTestData', false)));
  out.set('discretize', String(on('discretize', false)));
  if (on('initZero', false)) problems.push('initZero: weights here always start random (Glorot uniform)');

  const flags = ['showTestData', 'discretize', 'initZero'];
  const known = new Set([...Object.keys(THEIR_DEFAULTS), ...Object.keys(FEATURE_KEYS), ...flags, 'seed', ...VIEW_ONLY]);
  for (const k of given.keys()) if (!known.has(k)) problems.push(`${show(k)}: not a TensorFlow Playground setting`);

  const differences = [
    regression
      ? 'the output unit is linear as there'
      : 'the output is one sigmoid unit trained with binary cross-entropy (there: tanh with squared error), so that it reads as a probability',
    'training runs until paused, at 300 batches a second (Speed sets it)',
  ];
  return { query: out.toString().replace(/%7E/g, '~').replace(/%2C/g, ','), problems, differences };
}
