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
  decodeState,
  encodeState,
  layersFromConfigs,
  presetState,
  taskProblem,
} from '../../web/src/playground/state.js';
import { projectRoot } from './engine.mjs';

test('every preset survives the trip through the address unchanged', () => {
  for (const name of Object.keys(PRESETS)) {
    const state = { ...presetState(name), l2: 0.001, validationSplit: 0.2, seed: 7, fromLogits: name === 'mlp' };
    const { state: back, problems } = decodeState(encodeState(state));
    assert.deepEqual(problems, [], name);
    assert.deepEqual(back, state, name);
  }
});

test('bad values in the address are named and skipped, the rest applies', () => {
  const { state, problems } = decodeState(
    'preset=small&batch=0&loss=hinge&seed=1.5&noise=0.2&layers=dense-4~dense-2-tanh',
  );
  assert.deepEqual(problems, [
    "loss 'hinge' is unknown; expected one of categoricalCrossentropy, sparseCategoricalCrossentropy, binaryCrossentropy, meanSquaredError, meanAbsoluteError",
    'batch must be from 1 to 4096; got 0',
    'seed must be a whole number; got 1.5',
    'layer 1 (dense): expected 2 values (units, activation); got 1',
  ]);
  assert.equal(state.noise, 0.2);
  assert.equal(state.batchSize, presetState('small').batchSize);
  assert.deepEqual(state.layers, presetState('small').layers);
  assert.match(
    decodeState('preset=huge').problems[0],
    /unknown preset 'huge'; expected one of mlp, cnn, small, regression/,
  );
  assert.match(
    decodeState('layers=dense-99999-relu').problems[0],
    /layer 1 \(dense\) units must be from 1 to 4096; got 99999/,
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

// Runs the code view's JavaScript for a preset as its own Node program.
function runJavaScript(state, info) {
  const code = javascriptCode(state, info, `${projectRoot}web/lib/index.js`);
  const dir = mkdtempSync(join(tmpdir(), 'dlp-code-'));
  writeFileSync(join(dir, 'run.mjs'), code);
  return execFileSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8', timeout: 120000 });
}

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
