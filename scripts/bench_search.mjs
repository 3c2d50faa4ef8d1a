// `npm run bench:search`: does Bayesian search save trials? For each seed, 30 random trials
// set a target (their best validation metric); then Bayesian search of the same seed and
// space runs until it reaches that target (at most 30 trials), and so does a fresh random
// search (another seed), since the first one's count is flattered by being the one that
// set the target. Printed: the trials each needed, per seed and over all, for two
// problems on real data:
//   mnist   the seeds' MLP on the MNIST subset (4,000 images to train, 2,000 to validate),
//           over the learning rate, the units of its Dense layers and the dropout rate
//   spiral  a 2D set (the spiral) with two tanh layers, over the learning rate, L2 and the
//           batch size
// With --json, one JSON object; --seeds N (10 by default), --only mnist|spiral.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import * as dl from '../web/lib/index.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const asJson = process.argv.includes('--json');
const log = (...args) => (asJson ? console.error(...args) : console.log(...args));
const seeds = Number(argument('--seeds', 10));
const only = argument('--only', null);
const BUDGET = 30;

await dl.ready();

// The first n images of an MNIST subset split, as tensors (pixels in 0..1, one-hot labels).
function mnist(split, n) {
  const dir = `${root}web/public/data/mnist-subset/`;
  const images = gunzipSync(readFileSync(`${dir}${split}-images-u8.gz.bin`)).subarray(0, n * 784);
  const labels = gunzipSync(readFileSync(`${dir}${split}-labels-u8.gz.bin`)).subarray(0, n);
  const y = new Float32Array(n * 10);
  labels.forEach((l, i) => (y[i * 10 + l] = 1));
  return [
    dl.tensor(
      Float32Array.from(images, (p) => p / 255),
      [n, 784],
    ),
    dl.tensor(y, [n, 10]),
  ];
}

const PROBLEMS = {
  mnist: () => {
    // The subset's images are grouped by class: 4,000 of the training split, spread evenly.
    const [xAll, yAll] = mnist('train', 10000);
    const rows = dl.tensor(
      Int32Array.from({ length: 4000 }, (_, i) => (i % 10) * 1000 + Math.floor(i / 10)),
      [4000],
      'int32',
    );
    const [x, y] = [dl.gather(xAll, rows), dl.gather(yAll, rows)];
    const [xVal, yVal] = mnist('test', 2000);
    return {
      data: { x, y, xVal, yVal },
      space: {
        learningRate: { min: 1e-5, max: 0.1, log: true },
        units: { min: 16, max: 512, log: true, whole: true },
        rate: { min: 0, max: 0.7 },
      },
      makeModel: (p) => {
        const model = dl.sequential({
          seed: 1,
          layers: [
            dl.layers.dense({ units: p.units, activation: 'relu', inputShape: [784] }),
            dl.layers.dropout({ rate: p.rate }),
            dl.layers.dense({ units: p.units, activation: 'relu' }),
            dl.layers.dropout({ rate: p.rate }),
            dl.layers.dense({ units: 10, activation: 'softmax' }),
          ],
        });
        model.compile({
          optimizer: dl.train.rmsprop(p.learningRate),
          loss: 'categoricalCrossentropy',
          metrics: ['accuracy'],
        });
        return model;
      },
      fitOptions: () => ({ epochs: 1, batchSize: 128 }),
    };
  },
  spiral: () => {
    const toy = dl.data.toyDataset('spiral', { points: 600, noise: 0.1, seed: 7 });
    return {
      data: {
        x: dl.tensor(toy.train.x, [toy.train.n, 2]),
        y: dl.tensor(toy.train.y, [toy.train.n, 1]),
        xVal: dl.tensor(toy.test.x, [toy.test.n, 2]),
        yVal: dl.tensor(toy.test.y, [toy.test.n, 1]),
      },
      space: {
        learningRate: { min: 1e-4, max: 0.3, log: true },
        l2: { min: 1e-6, max: 0.1, log: true },
        batchSize: { min: 4, max: 256, log: true, whole: true },
      },
      makeModel: (p) => {
        const l2 = () => dl.regularizers.l2({ l2: p.l2 });
        const model = dl.sequential({
          seed: 1,
          layers: [
            dl.layers.dense({ units: 16, activation: 'tanh', inputShape: [2], kernelRegularizer: l2() }),
            dl.layers.dense({ units: 16, activation: 'tanh', kernelRegularizer: l2() }),
            dl.layers.dense({ units: 1, activation: 'sigmoid' }),
          ],
        });
        model.compile({ optimizer: dl.train.adam(p.learningRate), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
        return model;
      },
      fitOptions: (p) => ({ epochs: 100, batchSize: p.batchSize }),
    };
  },
};

// The 1-based trial at which `values` first reach `target`, or null.
const reach = (values, target) => {
  const i = values.findIndex((v) => v >= target);
  return i < 0 ? null : i + 1;
};

const rows = [];
for (const [name, make] of Object.entries(PROBLEMS)) {
  if (only && only !== name) continue;
  const problem = make();
  const run = async (method, seed, target) => {
    const controller = new AbortController();
    const started = performance.now();
    const result = await dl.search({
      ...problem,
      method,
      trials: BUDGET,
      seed,
      metric: 'val_accuracy',
      signal: controller.signal,
      onTrial: (trial) => target !== undefined && trial.value >= target && controller.abort(),
    });
    return { values: result.trials.map((t) => t.value), seconds: (performance.now() - started) / 1000 };
  };
  for (let seed = 1; seed <= seeds; seed++) {
    const random = await run('random', seed);
    const target = Math.max(...random.values);
    const bayesian = await run('bayesian', seed, target);
    const fresh = await run('random', seed + 1000, target);
    const row = {
      problem: name,
      seed,
      target,
      random_trials: reach(random.values, target),
      bayesian_trials: reach(bayesian.values, target),
      fresh_random_trials: reach(fresh.values, target),
      bayesian_best: Math.max(...bayesian.values),
      random_seconds: random.seconds,
      bayesian_seconds: bayesian.seconds,
    };
    rows.push(row);
    log(
      `${name} seed ${seed}: target ${target.toFixed(4)}; random reached it at trial ${row.random_trials}, Bayesian at ${row.bayesian_trials ?? `none of ${BUDGET} (best ${row.bayesian_best.toFixed(4)})`}, a fresh random search at ${row.fresh_random_trials ?? 'none'} (${random.seconds.toFixed(1)} s, ${bayesian.seconds.toFixed(1)} s)`,
    );
  }
  Object.values(problem.data).forEach((t) => t.dispose());
}

// Trials to the target over the seeds; a search that never reached it counts as its whole
// budget plus one (so the mean cannot flatter it).
const summary = Object.keys(PROBLEMS)
  .filter((name) => !only || only === name)
  .map((name) => {
    const mine = rows.filter((r) => r.problem === name);
    const mean = (key) => mine.reduce((a, r) => a + (r[key] ?? BUDGET + 1), 0) / mine.length;
    const median = (key) =>
      [...mine.map((r) => r[key] ?? BUDGET + 1)].sort((a, b) => a - b)[Math.floor(mine.length / 2)];
    return {
      problem: name,
      seeds: mine.length,
      random_mean: mean('random_trials'),
      random_median: median('random_trials'),
      bayesian_mean: mean('bayesian_trials'),
      bayesian_median: median('bayesian_trials'),
      bayesian_reached: mine.filter((r) => r.bayesian_trials !== null).length,
      fresh_mean: mean('fresh_random_trials'),
      fresh_median: median('fresh_random_trials'),
      fresh_reached: mine.filter((r) => r.fresh_random_trials !== null).length,
    };
  });

if (asJson) console.log(JSON.stringify({ search: rows, summary }));
else {
  console.log('\ntrials to reach the best of 30 random trials (mean, median, seeds that reached it)');
  console.log('                          that random search   Bayesian            a fresh random search');
  const cells = (s, key) => `${s[`${key}_mean`].toFixed(1)}, ${s[`${key}_median`]}`.padEnd(20);
  for (const s of summary)
    console.log(
      `  ${s.problem.padEnd(7)} ${String(s.seeds).padStart(3)} seeds        ${cells(s, 'random')} ${`${cells(s, 'bayesian').trim()}, ${s.bayesian_reached}`.padEnd(20)}${cells(s, 'fresh').trim()}, ${s.fresh_reached}`,
    );
}
process.exit(0);
