// The search panel's code views and its settings in the address: the JavaScript searches
// (grid, random, Bayesian) and cross-validates as written; the Keras is valid Python (a
// loop, or KerasTuner's BayesianOptimization); the search's fields round-trip.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { searchJavaScript, searchKeras } from '../../web/src/playground/codegen_search.js';
import { decodeState, encodeState } from '../../web/src/playground/state.js';
import * as dl from '../../web/lib/index.js';
import { projectRoot } from './engine.mjs';

// The state's layer types, options and names come from the engine's catalog.
await dl.ready();

test('the search panel’s code: the JavaScript searches and cross-validates as written; the Keras is valid Python', () => {
  const state = { ...decodeState('data=gaussians&noise=0.5&layers=dense-8-relu~dropout-0.2~dense-1-sigmoid').state };
  const info = { task: 'classification', classes: 2, inputShape: [2], target: 'binary' };
  const search = {
    space: { learningRate: { min: 0.001, max: 0.05, log: true }, units: [2, 8], rate: [0, 0.3], l2: [0, 0.001] },
    method: 'random',
    trials: 3,
    epochs: 5,
    metric: 'val_accuracy',
    k: 3,
  };
  const js = searchJavaScript(state, info, search, `${projectRoot}web/lib/index.js`);
  assert.match(js, /dl\.layers\.dense\(\{ units: \(params\.units \?\? 8\), activation: 'relu'/);
  assert.match(js, /dl\.layers\.dropout\(\{ rate: \(params\.rate \?\? 0\.2\) \}\)/);
  assert.match(js, /l2: \(params\.l2 \?\? 0\)/);
  assert.match(js, /optimizer: \{ type: 'adam', learningRate: \(params\.learningRate \?\? 0\.03\) \}/);
  const dir = mkdtempSync(join(tmpdir(), 'dlp-search-'));
  writeFileSync(join(dir, 'run.mjs'), js);
  const out = execFileSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8', timeout: 120000 });
  assert.equal(out.match(/^trial /gm)?.length, 3, out);
  assert.match(out, /^best \{"learningRate":[\d.]+,"units":\d,"rate":[\d.]+,"l2":[\d.]+\} [01]\.\d{4}$/m);
  assert.match(out, /^folds [01]\.\d{4} [01]\.\d{4} [01]\.\d{4} mean [01]\.\d{4} spread 0\.\d{4}$/m);
  const keras = searchKeras(state, info, search);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: keras });
  assert.match(keras, /layers\.Dense\(params\.get\('units', 8\), activation='relu'/);
  assert.match(keras, /trials = \[\{name: draw\(spec\) for name, spec in space\.items\(\)\} for _ in range\(3\)\]/);
  assert.match(keras, /space = \{'learning_rate': \(0\.001, 0\.05, True, False\), 'units': \[2, 8\]/);
  assert.match(js, /space: \{ learningRate: \{ min: 0\.001, max: 0\.05, log: true \}, units: \[2, 8\]/);
  const grid = searchKeras(state, info, { ...search, method: 'grid', space: { optimizer: ['adam', 'momentum'] } });
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: grid });
  assert.match(
    grid,
    /'momentum': lambda learning_rate: keras\.optimizers\.SGD\(learning_rate=learning_rate, momentum=0\.9\)/,
  );
  assert.match(grid, /itertools\.product/);
});

test('a Bayesian search as code: the JavaScript runs dl.search with the surrogate; the Keras is KerasTuner’s BayesianOptimization over the same space', () => {
  const state = { ...decodeState('data=gaussians&noise=0.5&layers=dense-8-relu~dropout-0.2~dense-1-sigmoid').state };
  const info = { task: 'classification', classes: 2, inputShape: [2], target: 'binary' };
  const search = {
    space: {
      learningRate: { min: 0.001, max: 0.1, log: true },
      units: { min: 2, max: 16, whole: true },
      batchSize: [16, 32],
      optimizer: ['adam', 'sgd'],
    },
    method: 'bayesian',
    trials: 6,
    epochs: 3,
    metric: 'val_accuracy',
    k: 2,
  };
  const js = searchJavaScript(state, info, search, `${projectRoot}web/lib/index.js`);
  assert.match(js, /method: 'bayesian',\n  trials: 6,/);
  assert.match(
    js,
    /space: \{ learningRate: \{ min: 0\.001, max: 0\.1, log: true \}, units: \{ min: 2, max: 16, whole: true \}/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'dlp-bayes-'));
  writeFileSync(join(dir, 'run.mjs'), js);
  const out = execFileSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8', timeout: 120000 });
  assert.equal(out.match(/^trial /gm)?.length, 6, out);
  const keras = searchKeras(state, info, search);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: keras });
  assert.match(keras, /^import keras_tuner$/m);
  assert.match(keras, /'learning_rate': hp\.Float\('learning_rate', 0\.001, 0\.1, sampling='log'\),/);
  assert.match(keras, /'units': hp\.Int\('units', 2, 16\),/);
  assert.match(keras, /'batch_size': hp\.Choice\('batch_size', \[16, 32\]\),/);
  assert.match(keras, /'optimizer': hp\.Choice\('optimizer', \['adam', 'sgd'\]\),/);
  assert.match(keras, /return model\.fit\(\*args, batch_size=params\.get\('batch_size', \d+\), \*\*kwargs\)/);
  assert.match(
    keras,
    /keras_tuner\.BayesianOptimization\(\n    PageModel\(\),\n    objective=keras_tuner\.Objective\('val_accuracy', direction='max'\),\n    max_trials=6,\n    num_initial_points=6,\n    seed=1,/,
  );
  // The search's settings round-trip through the address.
  const { state: back, problems } = decodeState(
    'data=xor&search=bayesian&trials=12&trialepochs=3&space=learningRate:0.0001..0.1;units:4,64&surrogate=units',
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(
    [back.searchMethod, back.searchTrials, back.searchEpochs, back.searchSpace, back.surrogateOf],
    ['bayesian', 12, 3, { learningRate: '0.0001..0.1', units: '4,64' }, 'units'],
  );
  assert.deepEqual(decodeState(encodeState(back)).state, back);
  assert.deepEqual(decodeState('space=momentum:0.9;learningRate:0..1').problems, [
    'space: "momentum" is not a parameter a search varies; expected name:values with a name of learningRate, batchSize, units, rate, optimizer, l2',
  ]);
  assert.match(
    decodeState('space=learningRate:0..1').problems[0],
    /space: Search: learning rate: a range is low\.\.high with low <= high, both above 0 \(a log scale\); got "0\.\.1"\./,
  );
  assert.match(
    decodeState('search=annealing').problems[0],
    /search "annealing" is unknown; expected one of grid, random, bayesian/,
  );
});
