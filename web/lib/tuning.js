// Choosing a model by its validation score, as the seeds teach: k-fold cross-validation
// (k models, each validated on one part of the data and trained on the rest) and
// hyperparameter search (a grid of every combination, or random draws, under a budget of
// trials), each trial a fresh model trained with the caller's settings.
import { logValue } from './log_names.js';
import { seededRandom, shuffle } from './data/random.js';
import { draw, surrogate } from './bayes.js';
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
const last = (history, metric) => logValue(history.history, metric)?.at(-1);

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

// Checks a search space for `method`; throws naming the parameter and what was wrong.
function checkSpace(space, method, trials) {
  if (!['grid', 'random', 'bayesian'].includes(method))
    throw new Error(`search: method must be 'grid', 'random' or 'bayesian'; got ${show(method)}`);
  const names = Object.keys(space ?? {});
  if (!space || typeof space !== 'object' || !names.length)
    throw new Error(`search: the space must name at least one parameter; got ${show(space)}`);
  for (const [name, spec] of Object.entries(space)) {
    if (Array.isArray(spec) && spec.length > 0) continue;
    const range = spec && typeof spec === 'object' && !Array.isArray(spec) && 'min' in spec && 'max' in spec;
    if (!range || method === 'grid')
      throw new Error(
        `search: ${name} must be a non-empty list of values${method === 'grid' ? ' (a grid takes lists)' : ' or {min, max, log, whole}'}; got ${show(spec)}`,
      );
    if (!Number.isFinite(spec.min) || !Number.isFinite(spec.max) || spec.max < spec.min)
      throw new Error(`search: ${name}'s range must have min <= max, both numbers; got ${show(spec)}`);
    if (spec.log && !(spec.min > 0))
      throw new Error(`search: ${name}'s range is on a log scale, so its min must be above 0; got ${show(spec)}`);
  }
  if (method !== 'grid' && !(Number.isInteger(trials) && trials >= 1 && trials <= 100000))
    throw new Error(`search: trials must be a whole number from 1 to 100000; got ${show(trials)}`);
}

// The combinations of a search space {name: [values]} (grid), or `trials` random draws
// where a parameter may also be {min, max, log?, whole?} (random). A Bayesian search's
// trials depend on the results so far: search() picks them as it goes.
export function searchTrials(space, { method = 'grid', trials = 10, seed = 1 } = {}) {
  checkSpace(space, method, trials);
  if (method === 'bayesian')
    throw new Error(
      "searchTrials: a Bayesian search picks each trial from the results so far; run it with search({method: 'bayesian'})",
    );
  const names = Object.keys(space);
  if (method === 'grid')
    return names.reduce((combos, name) => combos.flatMap((c) => space[name].map((v) => ({ ...c, [name]: v }))), [{}]);
  const random = seededRandom(seed);
  return Array.from({ length: trials }, () => draw(space, random));
}

// The metrics a compiled model's fit reports (loss and its compiled metrics, with val_ for
// validation), or null where they cannot be told before a fit (a metric function).
function reported(model) {
  const metrics = model?.compileConfig?.metrics ?? [];
  const list = Array.isArray(metrics) ? metrics : [metrics];
  if (!model?.compileConfig || !list.every((m) => typeof m === 'string')) return null;
  const names = ['loss', ...list.flatMap((m) => (['acc', 'accuracy'].includes(m) ? ['accuracy', 'acc'] : [m]))];
  return [...names, ...names.map((n) => `val_${n}`)];
}

// makeModel(params): a fresh compiled model for one trial; fitOptions(params): its fit
// options (epochs, batchSize...); data: {x, y, xVal, yVal} as Tensors. Trials run one after
// another; onTrial(trial, trials so far, surrogate) after each (surrogate: a Bayesian
// search's model of the metric and its next trial, bayes.js; else null); signal (an
// AbortSignal) stops between trials. A Bayesian search draws `initialTrials` at random (the
// same draws as a random search of that seed) and then picks each trial by expected
// improvement. Resolves with {trials: [{params, value, history}], best} (best: the highest
// value, or lowest for a metric ending in 'loss' or 'error').
export async function search({
  space,
  method = 'grid',
  trials = 10,
  seed = 1,
  initialTrials,
  makeModel,
  fitOptions = () => ({}),
  data,
  metric = 'val_accuracy',
  onTrial,
  signal,
} = {}) {
  checkSpace(space, method, trials);
  if (typeof makeModel !== 'function') throw new Error('search: makeModel must be a function of the parameters');
  if (!data?.x || !data?.y || !data?.xVal || !data?.yVal)
    throw new Error('search: data must be {x, y, xVal, yVal}, Tensors');
  const initial = initialTrials ?? Math.max(3, Object.keys(space).length + 2);
  if (method === 'bayesian' && !(Number.isInteger(initial) && initial >= 1))
    throw new Error(`search: initialTrials must be a whole number of at least 1; got ${show(initialTrials)}`);
  const lower = /loss$|error$/.test(metric);
  // Random draws and the surrogate's own choices come from two seeded streams.
  const draws = seededRandom(seed);
  const choices = seededRandom(seed ^ 0x5bd1e995);
  const planned = method === 'grid' ? searchTrials(space) : null;
  const count = planned ? planned.length : trials;
  const done = [];
  let best = null;
  let upcoming = null;
  let next = null;
  for (let i = 0; i < count; i++) {
    if (signal?.aborted) break;
    const params = planned?.[i] ?? upcoming ?? draw(space, draws);
    const model = makeModel(params);
    try {
      const names = i === 0 ? reported(model) : null;
      if (names && !names.includes(metric))
        throw new Error(`search: the models report ${names.join(', ')}; the metric ${show(metric)} is not among them`);
      const history = await model.fit(data.x, data.y, {
        ...fitOptions(params),
        validationData: [data.xVal, data.yVal],
      });
      const value = last(history, metric);
      if (value === undefined) throw new Error(`search: the fit did not report ${show(metric)}`);
      const trial = { index: done.length, params, value, history: history.history };
      done.push(trial);
      if (!best || (lower ? value < best.value : value > best.value) || !Number.isFinite(best.value)) best = trial;
      // A Bayesian search's next trial: drawn while the first trials are random, else where
      // the surrogate expects the most improvement.
      if (method === 'bayesian') {
        const drawn = done.length < Math.min(initial, count) ? draw(space, draws) : null;
        next = surrogate(space, done, { lower, random: choices, next: drawn, from: next?.theta });
        upcoming = drawn ?? next?.params ?? null;
        if (next) next.chosenBy = drawn ? 'random draw' : 'expected improvement';
      }
      await onTrial?.(trial, done, next);
    } finally {
      await model.dispose();
    }
  }
  return { trials: done, best, aborted: Boolean(signal?.aborted) };
}
