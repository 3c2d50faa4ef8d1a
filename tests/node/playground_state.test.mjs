// The playground's state outside the browser: its URL encoding round-trips and refuses bad
// values by name, the task checks explain mismatched outputs, and the code view's
// JavaScript runs as written (and trains) while its Keras code is valid Python.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { javascriptCode, kerasCode } from '../../web/src/playground/codegen.js';
import {
  PRESETS,
  completeState,
  decodeState,
  encodeState,
  layersFromConfigs,
  presetState,
  taskProblem,
} from '../../web/src/playground/state.js';
import * as dl from '../../web/lib/index.js';
import { projectRoot } from './engine.mjs';

// The state's layer types, options and names come from the engine's catalog.
await dl.ready();

test('every preset survives the trip through the address unchanged', () => {
  for (const name of Object.keys(PRESETS)) {
    const state = { ...presetState(name), l2: 0.001, validationSplit: 0.2, seed: 7, fromLogits: name === 'mlp' };
    const { state: back, problems } = decodeState(encodeState(state));
    assert.deepEqual(problems, [], name);
    assert.deepEqual(back, state, name);
  }
});

// What a tutorial author writes: a data set, perhaps layers, and nothing else.
const settingsOf = (query) => {
  const { state } = decodeState(query);
  return [state.loss, state.optimizer, state.learningRate, state.batchSize, state.epochs];
};

test('a data set and layers without a loss get the loss that fits the last layer and the task', () => {
  assert.deepEqual(settingsOf('data=spiral&layers=dense-12-relu~dense-12-relu~dense-1-sigmoid'), [
    'binaryCrossentropy',
    'adam',
    0.03,
    10,
    0,
  ]);
  assert.equal(decodeState('data=xor&layers=dense-8-tanh~dense-2-softmax').state.loss, 'categoricalCrossentropy');
  assert.equal(decodeState('data=plane&layers=dense-8-tanh~dense-1-linear').state.loss, 'meanSquaredError');
  assert.equal(decodeState('data=mnist&layers=flatten~dense-10-softmax').state.loss, 'categoricalCrossentropy');
  // Sparse only when asked; an explicit loss is kept even when it does not fit.
  assert.equal(
    decodeState('data=mnist&layers=flatten~dense-10-softmax&loss=sparseCategoricalCrossentropy').state.loss,
    'sparseCategoricalCrossentropy',
  );
  assert.equal(decodeState('data=circle&loss=meanSquaredError').state.loss, 'meanSquaredError');
});

test('a data set chosen without a preset brings a network and settings that learn it; explicit settings stay', () => {
  const spiral = decodeState('data=spiral').state;
  assert.deepEqual(
    spiral.layers.map((l) => `${l.units}-${l.activation}`),
    ['16-relu', '16-relu', '16-relu', '1-sigmoid'],
  );
  assert.deepEqual(settingsOf('data=circle'), ['binaryCrossentropy', 'adam', 0.03, 10, 0]);
  assert.deepEqual(decodeState('data=circle').state.layers, presetState('small').layers);
  assert.deepEqual(settingsOf('data=gaussianMixture'), ['meanSquaredError', 'adam', 0.03, 10, 0]);
  assert.equal(decodeState('data=gaussianMixture').state.layers.at(-1).activation, 'linear');
  assert.deepEqual(settingsOf('data=regression'), ['meanSquaredError', 'adam', 0.001, 32, 10]);
  assert.deepEqual(settingsOf(''), ['categoricalCrossentropy', 'adam', 0.001, 32, 1]);
  assert.deepEqual(settingsOf('data=circle&lr=0.5&epochs=3&batch=64'), ['binaryCrossentropy', 'adam', 0.5, 64, 3]);
  // The rate follows an optimizer chosen on purpose.
  assert.deepEqual(settingsOf('data=circle&optimizer=adadelta'), ['binaryCrossentropy', 'adadelta', 1, 10, 0]);
  assert.deepEqual(settingsOf('preset=cnn&optimizer=adam'), ['categoricalCrossentropy', 'adam', 0.001, 128, 1]);
  // A preset holds while its data set is the one chosen; another data set brings its own.
  assert.deepEqual(settingsOf('preset=cnn'), ['categoricalCrossentropy', 'adadelta', 1, 128, 1]);
  assert.deepEqual(settingsOf('preset=cnn&data=xor'), ['binaryCrossentropy', 'adam', 0.03, 10, 0]);
  // The 2D sets train until paused (epochs 0) at a speed a person can follow; the rest at
  // full speed; a speed or epochs in the address stay.
  assert.equal(decodeState('data=circle').state.speed, '300');
  assert.equal(decodeState('data=mnist').state.speed, 'full');
  assert.equal(decodeState('data=regression').state.speed, 'full');
  assert.deepEqual([decodeState('data=circle&speed=full&epochs=5').state].map((s) => [s.speed, s.epochs])[0], [
    'full',
    5,
  ]);
  assert.deepEqual(decodeState('data=circle&speed=fast').problems, [
    'speed "fast" is unknown; expected one of full, 1000, 300, 100, 30, 10, 3, 1',
  ]);
});

test('a CSV file gets its layers and settings once its classes and rows are known', () => {
  const base = decodeState('data=csv').state;
  const before = completeState(base);
  assert.deepEqual(before.layers, base.layers, 'nothing is known before the file is read');
  const three = completeState(base, { info: { task: 'classification', classes: 3, rows: 160 } });
  assert.deepEqual(
    three.layers.map((l) => `${l.units}-${l.activation}`),
    ['16-relu', '3-softmax'],
  );
  assert.deepEqual(
    [three.loss, three.learningRate, three.batchSize, three.epochs],
    ['categoricalCrossentropy', 0.01, 16, 100],
  );
  const numbers = completeState(base, { info: { task: 'regression', rows: 40000 } });
  assert.deepEqual([numbers.loss, numbers.batchSize, numbers.epochs], ['meanSquaredError', 32, 1]);
});

test('an address written from a state keeps only what was chosen, and reads back the same state', () => {
  const { state, preset, explicit } = decodeState('preset=small&data=spiral&lr=0.01&seed=4');
  const written = encodeState(state, { preset, explicit });
  assert.equal(written, 'preset=small&data=spiral&lr=0.01&seed=4');
  assert.deepEqual(decodeState(written).state, state);
});

test('bad values in the address are named and skipped, the rest applies', () => {
  const { state, problems } = decodeState(
    'preset=small&batch=0&loss=hinge&seed=1.5&noise=0.2&layers=dense-4~dense-2-tanh',
  );
  assert.deepEqual(problems, [
    'loss "hinge" is unknown; expected one of categoricalCrossentropy, sparseCategoricalCrossentropy, binaryCrossentropy, meanSquaredError, meanAbsoluteError',
    'batch must be from 1 to 4096; got "0"',
    'seed must be a whole number; got "1.5"',
    'layer 1 (dense): expected 2 values (units, activation); got 1',
  ]);
  assert.equal(state.noise, 0.2);
  assert.equal(state.batchSize, presetState('small').batchSize);
  assert.deepEqual(state.layers, presetState('small').layers);
  assert.match(
    decodeState('preset=huge').problems[0],
    /unknown preset "huge"; expected one of mlp, cnn, small, regression/,
  );
  assert.match(
    decodeState('layers=dense-99999-relu').problems[0],
    /layer 1 \(dense\) units must be from 1 to 4096; got "99999"/,
  );
});

test('output and loss mismatches are explained', () => {
  const mnist = { task: 'classification', classes: 10 };
  assert.equal(taskProblem(mnist, 'categoricalCrossentropy', [10]), null);
  assert.match(taskProblem(mnist, 'categoricalCrossentropy', [3]), /10 classes; the last layer outputs 3/);
  assert.match(taskProblem(mnist, 'categoricalCrossentropy', [13, 13, 8]), /must output a flat vector/);
  const circle = { task: 'classification', classes: 2 };
  assert.equal(taskProblem(circle, 'binaryCrossentropy', [1]), null);
  assert.match(taskProblem(circle, 'binaryCrossentropy', [2]), /needs one output/);
  assert.match(taskProblem(circle, 'categoricalCrossentropy', [1]), /use binaryCrossentropy/);
  const regression = { task: 'regression' };
  assert.match(taskProblem(regression, 'binaryCrossentropy', [1]), /choose meanSquaredError/);
  assert.match(taskProblem(regression, 'meanSquaredError', [4]), /Set its units to 1/);
});

test("a loaded model's layers come back into the builder when it can show them", () => {
  const layers = layersFromConfigs([
    {
      type: 'conv2d',
      filters: 6,
      kernelSize: [5, 5],
      strides: [1, 1],
      padding: 'same',
      activation: 'relu',
      inputShape: [28, 28, 1],
    },
    { type: 'maxPooling2d', poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'leaky_relu' },
  ]);
  assert.deepEqual(
    layers.map((l) => l.type),
    ['conv2d', 'maxPooling2d', 'flatten', 'dense'],
  );
  assert.equal(layers[0].kernelSize, 5);
  assert.equal(layers[3].activation, 'leakyRelu');
  assert.equal(layersFromConfigs([{ type: 'conv2d', filters: 2, kernelSize: [3, 5] }]), null, 'non-square kernel');
  assert.equal(layersFromConfigs([{ type: 'reshape', targetShape: [4] }]), null, 'no reshape in the builder');
});

// Runs the code view's JavaScript for a preset as its own Node program (in `cwd`).
function runJavaScript(state, info, cwd = undefined) {
  const code = javascriptCode(state, info, `${projectRoot}web/lib/index.js`);
  const dir = mkdtempSync(join(tmpdir(), 'dlp-code-'));
  writeFileSync(join(dir, 'run.mjs'), code);
  return execFileSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8', timeout: 120000, cwd });
}

test("the code view's JavaScript for MNIST runs under Node from the folder holding data/", () => {
  const info = { task: 'classification', classes: 10, inputShape: [28, 28, 1], target: 'onehot' };
  const out = runJavaScript(
    { ...presetState('mlp'), epochs: 1, only: [3, 5], per: 300 },
    info,
    `${projectRoot}web/public`,
  );
  const accuracy = Number(/accuracy: ([\d.]+)/.exec(out)?.[1]);
  assert.ok(accuracy > 0.9, `MNIST 3 vs 5 from the generated code: ${out}`);
  assert.match(out, /test loss: [\d.]+/);
});

test("the code view's JavaScript runs as written and trains the 2D and regression presets", () => {
  const small = presetState('small');
  const out = runJavaScript(small, { task: 'classification', classes: 2, inputShape: [2], target: 'binary' });
  const accuracy = Number(/accuracy: ([\d.]+)/.exec(out)?.[1]);
  assert.ok(accuracy > 0.9, `circle accuracy from the generated code: ${out}`);
  const regression = { ...presetState('regression'), epochs: 30 };
  const out2 = runJavaScript(regression, { task: 'regression', inputShape: [100], target: 'value' });
  const loss = Number(/loss: ([\d.e-]+)/.exec(out2)?.[1]);
  assert.ok(loss < 0.5, `regression test loss from the generated code: ${out2}`);
});

test("the code view's Keras code is valid Python for every preset", () => {
  const infos = {
    mlp: { task: 'classification', classes: 10, inputShape: [28, 28, 1], target: 'onehot' },
    cnn: { task: 'classification', classes: 10, inputShape: [28, 28, 1], target: 'onehot' },
    small: { task: 'classification', classes: 2, inputShape: [2], target: 'binary' },
    regression: { task: 'regression', inputShape: [100], target: 'value' },
  };
  for (const [name, info] of Object.entries(infos)) {
    const code = kerasCode({ ...presetState(name), l1: 0.01 }, info);
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code });
    if (name === 'mlp') {
      const logits = kerasCode({ ...presetState(name), fromLogits: true }, info);
      assert.match(logits, /loss=keras\.losses\.CategoricalCrossentropy\(from_logits=True\)/);
      execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: logits });
      assert.match(javascriptCode({ ...presetState(name), fromLogits: true }, info), /fromLogits: true/);
    }
    if (name === 'cnn') {
      assert.match(code, /layers\.Conv2D\(32, \(3, 3\), strides=\(1, 1\), padding='valid', activation='relu'/);
      assert.match(code, /keras\.optimizers\.Adadelta\(learning_rate=1\)/);
      assert.match(code, /loss='categorical_crossentropy'/);
    }
  }
});

test("a 2D set's input features come from the address and are refused by name when unknown", () => {
  const { state, problems } = decodeState('?data=circle&features=x1^2,x2^2');
  assert.deepEqual(problems, []);
  assert.deepEqual(state.features, ['x1^2', 'x2^2']);
  assert.match(encodeState(state), /features=x1%5E2%2Cx2%5E2/);
  const bad = decodeState('?data=circle&features=x1,x3');
  assert.deepEqual(bad.problems, [
    'features: "x3" unknown; expected some of x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2), cos(x1), cos(x2)',
  ]);
  assert.deepEqual(bad.state.features, ['x1', 'x2']);
  assert.match(decodeState('?features=x1,x1').problems[0], /each may be chosen once/);
});

test('the techniques live in the address and in both code views, and the JavaScript runs as written', () => {
  const query =
    'data=gaussians&noise=0.5&imbalance=1:10&resample=over&weights=balanced&stop=val_loss&patience=2' +
    '&schedule=cosine_decay-200-0.1&epochs=30&speed=full';
  const { state, problems } = decodeState(query);
  assert.deepEqual(problems, []);
  assert.deepEqual(state.imbalance, { classes: [1], keep: 10 });
  assert.deepEqual(state.schedule, { type: 'cosine_decay', decaySteps: 200, alpha: 0.1 });
  assert.deepEqual(decodeState(encodeState(state)).state, state, 'the address round-trips');
  const info = { task: 'classification', classes: 2, inputShape: [2], target: 'binary' };
  const js = javascriptCode(state, info);
  assert.match(
    js,
    /dl\.data\.imbalance\(rows\.map\(\(r\) => train\.y\[r\]\), \{ classes: \[1\], keep: 10, seed: 1 \}\)/,
  );
  assert.match(js, /dl\.data\.resample\(.*\{ mode: 'over', seed: 1 \}\)/);
  assert.match(js, /schedule: dl\.schedules\.cosineDecay\(\{ decaySteps: 200, alpha: 0\.1 \}\)/);
  assert.match(js, /dl\.callbacks\.earlyStopping\(\{ monitor: 'val_loss', patience: 2, restoreBestWeights: true \}\)/);
  assert.match(js, /classWeight: dl\.data\.balancedClassWeights\(Array\.from\(data\.train\.y\)\)/);
  const out = runJavaScript(state, info);
  assert.match(out, /accuracy: 0\.\d+/, `the generated code trained: ${out}`);
  const keras = kerasCode(state, info);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: keras });
  assert.match(keras, /learning_rate=keras\.optimizers\.schedules\.CosineDecay\(0\.03, decay_steps=200, alpha=0\.1\)/);
  assert.match(keras, /EarlyStopping\(monitor='val_loss', patience=2, restore_best_weights=True\)/);
  assert.match(keras, /keep = ~np\.isin\(labels, \[1\]\) \| \(rng\.random\(len\(labels\)\) < 0\.1\)/);
  assert.match(keras, /class_weight=class_weight/);
  // Reduce on plateau is a callback in both; given weights are a dictionary.
  const plateau = { ...state, schedule: { type: 'reduce_on_plateau', patience: 3 }, weights: '0:1,1:4' };
  const kerasPlateau = kerasCode(plateau, info);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: kerasPlateau });
  assert.match(
    kerasPlateau,
    /ReduceLROnPlateau\(monitor='val_loss', factor=0\.1, patience=3, min_delta=0\.0001, min_lr=0\)/,
  );
  assert.match(kerasPlateau, /class_weight=\{0: 1, 1: 4\}/);
  assert.match(javascriptCode(plateau, info), /dl\.callbacks\.reduceLROnPlateau\(\{ patience: 3 \}\)/);
  // Augmentation: Keras' preprocessing layers after the input; fit's augment in JavaScript.
  const augmented = decodeState('preset=cnn&augment=2-10-0.1').state;
  const imageInfo = { task: 'classification', classes: 10, inputShape: [28, 28, 1], target: 'onehot' };
  const kerasAugmented = kerasCode(augmented, imageInfo);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: kerasAugmented });
  assert.match(kerasAugmented, /keras\.Input\(shape=\(28, 28, 1\)\),\n {4}layers\.RandomTranslation\(0\.0714, 0\.0714/);
  assert.match(javascriptCode(augmented, imageInfo), /augment: \{ shift: 2, rotation: 10, zoom: 0\.1 \}/);
  // On MNIST the images are taken row by row.
  const digits = decodeState('preset=mlp&imbalance=3,8:5').state;
  assert.match(
    javascriptCode(digits, { task: 'classification', classes: 10, inputShape: [28, 28, 1], target: 'onehot' }),
    /Object\.assign\(train, \{ images: dl\.data\.takeRows\(train\.images, 784, rows\)/,
  );
  // Transfer learning's subset: some classes, a few samples of each; the test set keeps the classes.
  const subset = decodeState('preset=cnn&only=5-7,9&per=50&keep=1').state;
  assert.deepEqual([subset.only, subset.per, subset.keep], [[5, 6, 7, 9], 50, true]);
  assert.match(encodeState(subset), /only=5-7%2C9&per=50&keep=true/);
  assert.deepEqual(decodeState(encodeState(subset)).state, subset, 'the address round-trips');
  const kerasSubset = kerasCode(subset, imageInfo);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: kerasSubset });
  assert.match(
    kerasSubset,
    /classes = \[5, 6, 7, 9\]\nrows = np\.sort\(np\.concatenate\(\[np\.flatnonzero\(labels == c\)\[:50\] for c in classes\]\)\)/,
  );
  assert.match(kerasSubset, /x_test, y_test = x_test\[test_rows\], y_test\[test_rows\]/);
  const jsSubset = javascriptCode(subset, imageInfo);
  assert.match(
    jsSubset,
    /let rows = dl\.data\.classSubset\(train\.labels, \{ classes: \[5, 6, 7, 9\], perClass: 50 \}\);/,
  );
  assert.match(jsSubset, /const testRows = dl\.data\.classSubset\(test\.labels, \{ classes: \[5, 6, 7, 9\] \}\);/);
  const few = decodeState('data=gaussians&noise=0.5&only=0,1&per=40&epochs=20&speed=full').state;
  const fewOut = runJavaScript(few, info);
  assert.match(fewOut, /accuracy: (0\.\d+|1)\b/, `the generated code with a subset trained: ${fewOut}`);
  // Bad values are named and skipped.
  assert.deepEqual(decodeState('preset=mlp&only=9-5&per=-1').problems, [
    'only must be all or class numbers and ranges such as 5-9 or 0,2,4-6; got "9-5"',
    'per must be from 0 to 100000; got "-1"',
  ]);
  assert.match(decodeState('preset=mlp&augment=2-10').problems[0], /augment must be none or shift-rotation-zoom/);
  assert.deepEqual(decodeState('data=circle&schedule=linear&weights=heavy&imbalance=a:b&resample=both').problems, [
    'schedule "linear" is unknown; expected none or one of step_decay, exponential_decay, cosine_decay, reduce_on_plateau',
    'weights must be none, balanced or class:weight pairs such as 0:1,1:5; got "heavy"',
    'imbalance must be none or classes:percent kept, such as 1,3:10; got "a:b"',
    'resample "both" is unknown; expected one of none, over, under',
  ]);
});
