// Choosing a model by its validation score, as the seeds teach: k-fold cross-validation
// (k models, each validated on one part of the data and trained on the rest) and
// hyperparameter search (a grid of every combination, or random draws, under a budget of
// trials), each trial a fresh model trained with the caller's settings.
import { seededRandom, shuffle } from './data/random.js';
import { tensor } from './tensor.js';
import { show } from './show.js';

// {values, shape}: a data set's samples as one flat typed array, its first dimension n.
function checkData(data, what, call) {
  if (!data || !ArrayBuffer.isView(data.values) || !Array.isArray(data.shape) || data.shape.length < 1)
    throw new Error(`${call}: ${what} must be {values: a typed array, shape: [n, ...]}`);
  const size = data.shape.reduce((a, b) => a * b, 1);
  if (size !== data.values.length)
    throw new Error(`${call}: ${what} has ${data.values.length} values; its shape ${show(data.shape)} holds ${size}`);
}

// The rows `rows` of data as an engine tensor.
function rowsTensor(data, rows) {
  const size = data.values.length / data.shape[0];
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => {
    for (let j = 0; j < size; j++) out[i * size + j] = data.values[r * size + j];
  });
  return tensor(out, [rows.length, ...data.shape.slice(1)]);
}

// The value of `metric` ('val_accuracy', 'val_loss', ...) after a fit: its last epoch's.
const last = (history, metric) => history.history[metric]?.at(-1);

// makeModel(): a fresh compiled Sequential; x, y: {values, shape}; k folds of a shuffled
// order (seed); fit: fit's options (epochs, batchSize...); metric: what is reported.
// Resolves with {folds: [{validationRows, value, history}], mean, std}; onFold(fold) is
// called after each.
export async function crossValidate({ makeModel, x, y, k = 5, fit = {}, metric = 'val_loss', seed = 1, onFold } = {}) {
  if (typeof makeModel !== 'function')
    throw new Error('crossValidate: makeModel must be a function returning a compiled model');
  checkData(x, 'x', 'crossValidate');
  checkData(y, 'y', 'crossValidate');
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new Error(`crossValidate: x has ${show(n)} samples, y ${show(y.shape[0])}`);
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new Error(`crossValidate: k must be a whole number from 2 to ${n}; got ${show(k)}`);
  const order = shuffle(
    Array.from({ length: n }, (_, i) => i),
    seededRandom(seed),
  );
  const folds = [];
  for (let f = 0; f < k; f++) {
    const start = Math.floor((f * n) / k);
    const end = Math.floor(((f + 1) * n) / k);
    const validationRows = order.slice(start, end);
    const trainRows = [...order.slice(0, start), ...order.slice(end)];
    const tensors = [
      rowsTensor(x, trainRows),
      rowsTensor(y, trainRows),
      rowsTensor(x, validationRows),
      rowsTensor(y, validationRows),
    ];
    const model = makeModel(f);
    try {
      const history = await model.fit(tensors[0], tensors[1], { ...fit, validationData: [tensors[2], tensors[3]] });
      const value = last(history, metric);
      if (value === undefined) throw new Error(`crossValidate: the fit did not report ${show(metric)}`);
      const fold = { fold: f, validationRows, value, history: history.history };
      folds.push(fold);
      await onFold?.(fold);
    } finally {
      await model.dispose();
      tensors.forEach((t) => t.dispose());
    }
  }
  const values = folds.map((f) => f.value);
  const mean = values.reduce((a, b) => a + b, 0) / k;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / k);
  return { folds, mean, std };
}

// The combinations of a search space {name: [values]} (grid), or `trials` random draws
// where a parameter may also be {min, max, log?, whole?} (random).
export function searchTrials(space, { method = 'grid', trials = 10, seed = 1 } = {}) {
  const names = Object.keys(space ?? {});
  if (!names.length) throw new Error('search: the space must name at least one parameter');
  for (const [name, spec] of Object.entries(space)) {
    const list = Array.isArray(spec) && spec.length > 0;
    const range =
      spec &&
      typeof spec === 'object' &&
      Number.isFinite(spec.min) &&
      Number.isFinite(spec.max) &&
      spec.max >= spec.min;
    if (!list && !(range && method === 'random'))
      throw new Error(
        `search: ${name} must be a non-empty list of values${method === 'random' ? ' or {min, max, log}' : ' (a grid takes lists)'}; got ${show(spec)}`,
      );
  }
  if (method === 'grid')
    return names.reduce((combos, name) => combos.flatMap((c) => space[name].map((v) => ({ ...c, [name]: v }))), [{}]);
  if (method !== 'random') throw new Error(`search: method must be 'grid' or 'random'; got ${show(method)}`);
  const random = seededRandom(seed);
  return Array.from({ length: trials }, () => {
    const params = {};
    for (const name of names) {
      const spec = space[name];
      if (Array.isArray(spec)) params[name] = spec[Math.floor(random() * spec.length)];
      else {
        const t = random();
        let v = spec.log
          ? Math.exp(Math.log(spec.min) + t * (Math.log(spec.max) - Math.log(spec.min)))
          : spec.min + t * (spec.max - spec.min);
        if (spec.whole) v = Math.round(v);
        params[name] = v;
      }
    }
    return params;
  });
}

// makeModel(params): a fresh compiled model for one trial; fitOptions(params): its fit
// options (epochs, batchSize...); data: {x, y, xVal, yVal} as Tensors. Trials run one after
// another; onTrial(trial, trials so far) after each; signal (an AbortSignal) stops between
// trials. Resolves with {trials: [{params, value, history}], best} (best: the highest
// value, or lowest for a metric ending in 'loss' or 'error').
export async function search({
  space,
  method = 'grid',
  trials = 10,
  seed = 1,
  makeModel,
  fitOptions = () => ({}),
  data,
  metric = 'val_accuracy',
  onTrial,
  signal,
} = {}) {
  if (typeof makeModel !== 'function') throw new Error('search: makeModel must be a function of the parameters');
  if (!data?.x || !data?.y || !data?.xVal || !data?.yVal)
    throw new Error('search: data must be {x, y, xVal, yVal}, Tensors');
  const lower = /loss$|error$/.test(metric);
  const done = [];
  let best = null;
  for (const params of searchTrials(space, { method, trials, seed })) {
    if (signal?.aborted) break;
    const model = makeModel(params);
    try {
      const history = await model.fit(data.x, data.y, {
        ...fitOptions(params),
        validationData: [data.xVal, data.yVal],
      });
      const value = last(history, metric);
      if (value === undefined) throw new Error(`search: the fit did not report ${show(metric)}`);
      const trial = { index: done.length, params, value, history: history.history };
      done.push(trial);
      if (!best || (lower ? value < best.value : value > best.value)) best = trial;
      await onTrial?.(trial, done);
    } finally {
      await model.dispose();
    }
  }
  return { trials: done, best, aborted: Boolean(signal?.aborted) };
}
