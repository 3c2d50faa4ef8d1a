// Bayesian search (web/lib/bayes.js, tuning.js): the Gaussian process against known
// functions, expected improvement against its definition, the space's encoding, and
// dl.search({method: 'bayesian'}) on real models: seeded, abortable, its first trials
// random search's, its surrogate handed to onTrial; bad input refused before any fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadApi } from './engine.mjs';
import { seededRandom } from '../../web/lib/data/random.js';

const dl = await loadApi();
const { gaussianProcess, expectedImprovement, encoding, encode, decode, surrogate } = dl.bayesian;

// A fitted process's worst |mean - f| / std over a grid, and its largest std there.
function check(process, code, f, grid) {
  let worst = 0;
  let widest = 0;
  for (const params of grid) {
    const { mean, std } = process.predict(encode(code, params));
    worst = Math.max(worst, Math.abs(mean - f(params)) / std);
    widest = Math.max(widest, std);
  }
  return { worst, widest };
}

test('a Gaussian process fitted to a known function predicts it within its stated uncertainty', () => {
  // One dimension: a wave on a slope, seven samples.
  const space = { x: { min: 0, max: 1 } };
  const code = encoding(space);
  const f = ({ x }) => Math.sin(6 * x) + 0.5 * x;
  const seen = [0.05, 0.2, 0.35, 0.5, 0.7, 0.85, 0.97].map((x) => ({ x }));
  const process = gaussianProcess(
    code,
    seen.map((p) => encode(code, p)),
    seen.map(f),
    { random: seededRandom(1) },
  );
  const grid = Array.from({ length: 101 }, (_, i) => ({ x: i / 100 }));
  const { worst, widest } = check(process, code, f, grid);
  assert.ok(worst < 2.5, `every point within 2.5 standard deviations: worst ${worst}`);
  assert.ok(widest < 0.5, `the uncertainty is informative (largest std ${widest})`);
  // At a sample the process is nearly certain and right.
  const at = process.predict(encode(code, { x: 0.5 }));
  assert.ok(Math.abs(at.mean - f({ x: 0.5 })) < 0.02 && at.std < 0.08, JSON.stringify(at));
  // Far from every sample it says it knows less: wider than at a sample.
  assert.ok(process.predict(encode(code, { x: 0 })).std > 2 * at.std);

  // Two dimensions on a log scale and a whole number, 30 random samples of a smooth bowl.
  const space2 = { rate: { min: 1e-4, max: 1, log: true }, units: { min: 4, max: 64, whole: true } };
  const code2 = encoding(space2);
  const g = ({ rate, units }) => -((Math.log10(rate) + 2) ** 2) - ((units - 30) / 20) ** 2;
  const random = seededRandom(3);
  const samples = Array.from({ length: 30 }, () => dl.bayesian.draw(space2, random));
  const process2 = gaussianProcess(
    code2,
    samples.map((p) => encode(code2, p)),
    samples.map(g),
    { random },
  );
  const grid2 = [];
  for (let i = 0; i <= 8; i++) for (const units of [4, 17, 30, 45, 64]) grid2.push({ rate: 10 ** (-4 + i / 2), units });
  const fit2 = check(process2, code2, g, grid2);
  assert.ok(fit2.worst < 3, `2D: every point within 3 standard deviations: worst ${fit2.worst}`);
  // Past 60 points a fit starts from the last one only (for speed): still within 3 std.
  const more = Array.from({ length: 80 }, () => dl.bayesian.draw(space2, random));
  const fitMore = (n, from) =>
    gaussianProcess(
      code2,
      more.slice(0, n).map((p) => encode(code2, p)),
      more.slice(0, n).map(g),
      { random, from },
    );
  const warm = fitMore(80, fitMore(79).theta);
  const fit80 = check(warm, code2, g, grid2);
  assert.ok(fit80.worst < 3 && fit80.widest < 0.5, `80 points, warm: ${JSON.stringify(fit80)}`);
  // Its length scales are fitted: the bowl is as wide in both coordinates of the cube.
  const [rateScale, unitsScale] = process2.hyperparameters.lengthScales;
  assert.ok(rateScale > 0.05 && unitsScale > 0.05, JSON.stringify(process2.hyperparameters));
});

test('expected improvement: zero where the surrogate is certain and below the best, its integral elsewhere', () => {
  assert.equal(expectedImprovement(0.5, 0, 1), 0);
  assert.equal(expectedImprovement(1, 0, 1), 0);
  assert.equal(expectedImprovement(1.5, 0, 1), 0.5);
  assert.equal(expectedImprovement(0.9, 0, 1, 0.01), 0);
  // E[max(0, Y - best)] for Y ~ N(mean, std), by the midpoint rule over +-10 std.
  const integral = (mean, std, best) => {
    const steps = 200000;
    const h = (20 * std) / steps;
    let sum = 0;
    for (let i = 0; i < steps; i++) {
      const y = mean - 10 * std + (i + 0.5) * h;
      sum += Math.max(0, y - best) * (Math.exp(-0.5 * ((y - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI))) * h;
    }
    return sum;
  };
  for (const [mean, std, best] of [
    [0, 1, 0],
    [0.2, 0.1, 0.5],
    [0.9, 0.05, 0.8],
    [-3, 2, 1],
  ]) {
    const ei = expectedImprovement(mean, std, best);
    assert.ok(Math.abs(ei - integral(mean, std, best)) < 1e-6, `EI(${mean}, ${std}, ${best}) = ${ei}`);
  }
  // More uncertainty, more expected improvement below the best.
  assert.ok(expectedImprovement(0, 0.2, 1) < expectedImprovement(0, 0.5, 1));
  // A process fitted to exact values: at a sample below the best, EI is as good as zero.
  const space = { x: { min: 0, max: 1 } };
  const code = encoding(space);
  const xs = [0, 0.25, 0.5, 0.75, 1];
  const process = gaussianProcess(
    code,
    xs.map((x) => encode(code, { x })),
    xs.map((x) => x * (1 - x)),
    { random: seededRandom(2) },
  );
  const { mean, std } = process.predict(encode(code, { x: 0.25 }));
  assert.ok(
    expectedImprovement(mean, std, 0.25) < 1e-3,
    `EI at a sample below the best: ${expectedImprovement(mean, std, 0.25)}`,
  );
});

test('the space as a unit cube: log scales, whole numbers rounded, choices one-hot', () => {
  const space = {
    rate: { min: 1e-4, max: 1e-1, log: true },
    units: { min: 8, max: 64, whole: true },
    optimizer: ['adam', 'sgd', 'rmsprop'],
  };
  const code = encoding(space);
  assert.equal(code.size, 5);
  const point = encode(code, { rate: 10 ** -2.5, units: 36, optimizer: 'sgd' });
  assert.ok(Math.abs(point[0] - 0.5) < 1e-12 && Math.abs(point[1] - 0.5) < 1e-12, JSON.stringify([...point]));
  assert.deepEqual([...point.slice(2)], [0, 1, 0]);
  const back = decode(code, Float64Array.from([0.5, 0.51, 0.1, 0.2, 0.7]));
  assert.deepEqual({ ...back, rate: +back.rate.toPrecision(6) }, { rate: 0.00316228, units: 37, optimizer: 'rmsprop' });
});

// A tiny classifier of the XOR set for trials; every fit it makes is counted.
const fits = { count: 0 };
function classifier(p) {
  const model = dl.sequential({
    seed: 2,
    layers: [
      dl.layers.dense({ units: p.units ?? 6, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({
    optimizer: dl.train.adam(p.learningRate ?? 0.05),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  const fit = model.fit.bind(model);
  model.fit = (...args) => {
    fits.count++;
    return fit(...args);
  };
  return model;
}

function xor() {
  const toy = dl.data.toyDataset('xor', { points: 200, noise: 0.1, seed: 5 });
  return {
    x: dl.tensor(toy.train.x, [toy.train.n, 2]),
    y: dl.tensor(toy.train.y, [toy.train.n, 1]),
    xVal: dl.tensor(toy.test.x, [toy.test.n, 2]),
    yVal: dl.tensor(toy.test.y, [toy.test.n, 1]),
  };
}

test('Bayesian search: random first trials, then the surrogate picks; seeded, reproducible and abortable', async () => {
  const data = xor();
  const space = { learningRate: { min: 1e-3, max: 0.3, log: true }, units: { min: 1, max: 12, whole: true } };
  const heard = [];
  const options = {
    space,
    method: 'bayesian',
    trials: 8,
    seed: 4,
    makeModel: classifier,
    fitOptions: () => ({ epochs: 8, batchSize: 20 }),
    data,
  };
  const result = await dl.search({ ...options, onTrial: (trial, all, next) => heard.push({ trial, next }) });
  assert.equal(result.trials.length, 8);
  // The first four (max(3, parameters + 2)) are random search's draws of that seed.
  const random = dl.searchTrials(space, { method: 'random', trials: 8, seed: 4 });
  assert.deepEqual(
    result.trials.slice(0, 4).map((t) => t.params),
    random.slice(0, 4),
  );
  assert.notDeepEqual(
    result.trials.slice(4).map((t) => t.params),
    random.slice(4),
    'then the surrogate chooses',
  );
  assert.equal(heard[0].next, null, 'no surrogate from one trial');
  assert.deepEqual(
    heard.slice(1).map((h) => h.next.chosenBy),
    [
      'random draw',
      'random draw',
      'expected improvement',
      'expected improvement',
      'expected improvement',
      'expected improvement',
      'expected improvement',
    ],
  );
  // Each next trial is the one the surrogate named, and no trial is run twice.
  for (let i = 1; i < 7; i++) assert.deepEqual(result.trials[i + 1].params, heard[i].next.params);
  assert.equal(new Set(result.trials.map((t) => JSON.stringify(t.params))).size, 8);
  for (const t of result.trials)
    assert.ok(Number.isInteger(t.params.units) && t.params.learningRate >= 1e-3 && t.params.learningRate <= 0.3);
  // The surrogate's slice over a parameter: its mean, std and expected improvement, the
  // next trial at the highest expected improvement among the slice's points (or at it).
  const last = heard.at(-2).next;
  const slice = last.slice('learningRate', 32);
  assert.equal(slice.x.length, 32);
  assert.ok(slice.std.every((s) => s >= 0) && slice.ei.every((e) => e >= 0));
  assert.ok(
    last.expectedImprovement(last.params) >= Math.max(...slice.ei) * 0.999,
    'the next trial maximizes expected improvement',
  );
  assert.throws(
    () => last.slice('momentum'),
    /"momentum" is not a parameter of the space; expected one of learningRate, units/,
  );
  // The same seed gives the same search.
  const again = await dl.search(options);
  assert.deepEqual(
    again.trials.map((t) => [t.params, t.value]),
    result.trials.map((t) => [t.params, t.value]),
  );
  // Aborted after the third trial: three trials, and aborted says so.
  const controller = new AbortController();
  const stopped = await dl.search({
    ...options,
    signal: controller.signal,
    onTrial: (t) => t.index === 2 && controller.abort(),
  });
  assert.deepEqual([stopped.trials.length, stopped.aborted], [3, true]);
  Object.values(data).forEach((t) => t.dispose());
});

test('Bayesian search minimizes a loss and takes lists of choices', async () => {
  const data = xor();
  const result = await dl.search({
    space: { learningRate: { min: 1e-3, max: 0.3, log: true }, units: [2, 8] },
    method: 'bayesian',
    trials: 6,
    initialTrials: 2,
    makeModel: classifier,
    fitOptions: () => ({ epochs: 6, batchSize: 20 }),
    data,
    metric: 'val_loss',
  });
  const values = result.trials.map((t) => t.value);
  assert.equal(result.best.value, Math.min(...values));
  assert.ok(result.trials.every((t) => [2, 8].includes(t.params.units)));
  // The surrogate of a loss is in the loss' own units: near each trial's value.
  const s = surrogate({ learningRate: { min: 1e-3, max: 0.3, log: true }, units: [2, 8] }, result.trials, {
    lower: true,
    random: seededRandom(1),
  });
  for (const t of result.trials)
    assert.ok(Math.abs(s.predict(t.params).mean - t.value) < 0.1 + 3 * s.predict(t.params).std);
  Object.values(data).forEach((t) => t.dispose());
});

test('a bad search is refused by name before any model is trained', async () => {
  const data = xor();
  const base = { method: 'bayesian', trials: 4, makeModel: classifier, data, fitOptions: () => ({ epochs: 1 }) };
  const before = fits.count;
  const cases = [
    [{ space: {} }, /search: the space must name at least one parameter; got \{\}/],
    [
      { space: { learningRate: { min: 0.1, max: 0.01 } } },
      /learningRate's range must have min <= max, both numbers; got \{"min":0\.1,"max":0\.01\}/,
    ],
    [
      { space: { learningRate: { min: 0, max: 0.1, log: true } } },
      /learningRate's range is on a log scale, so its min must be above 0; got \{"min":0,"max":0\.1,"log":true\}/,
    ],
    [{ space: { units: [2, 4] }, trials: 0 }, /trials must be a whole number from 1 to 100000; got 0/],
    [{ space: { units: [] } }, /units must be a non-empty list of values or \{min, max, log, whole\}; got \[\]/],
    [
      { space: { units: [2, 4] }, method: 'annealing' },
      /method must be 'grid', 'random' or 'bayesian'; got "annealing"/,
    ],
    [
      { space: { units: [2, 4] }, metric: 'val_auc' },
      /the models report loss, accuracy, acc, val_loss, val_accuracy, val_acc; the metric "val_auc" is not among them/,
    ],
    [{ space: { units: [2, 4] }, initialTrials: 0 }, /initialTrials must be a whole number of at least 1; got 0/],
  ];
  for (const [options, pattern] of cases) await assert.rejects(dl.search({ ...base, ...options }), pattern);
  assert.throws(
    () => dl.searchTrials({ units: [2, 4] }, { method: 'bayesian' }),
    /a Bayesian search picks each trial from the results so far/,
  );
  assert.equal(fits.count, before, 'no model was trained');
  Object.values(data).forEach((t) => t.dispose());
});
