// The builder's graphs outside the browser (web/src/playground/graph.js): layers that take
// an earlier layer's output and merges in the address, the checks of such a list, the
// numbering that follows moved layers, wrapping a span as a residual block or a branch
// (with a projection when shapes differ), a loaded graph model back into the builder, and
// the code views' functional style, whose JavaScript runs as written and trains.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { javascriptCode, kerasCode } from '../../web/src/playground/codegen.js';
import { replaceType } from '../../web/src/playground/panels/builder_graph.js';
import { searchJavaScript, searchKeras } from '../../web/src/playground/codegen_search.js';
import {
  editableCopy,
  graphProblem,
  layersFromGraph,
  renumber,
  stateModel,
  wrapBlock,
} from '../../web/src/playground/graph.js';
import { decodeState, encodeState, layerConfigs, presetState } from '../../web/src/playground/state.js';
import * as dl from '../../web/lib/index.js';
import { projectRoot } from './engine.mjs';

await dl.ready();

const SPIRAL = { task: 'classification', classes: 2, inputShape: [2], target: 'binary' };
const python = (code) =>
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code });
const runNode = (code) => {
  const dir = mkdtempSync(join(tmpdir(), 'dlp-graph-'));
  writeFileSync(join(dir, 'run.mjs'), code);
  return execFileSync(process.execPath, [join(dir, 'run.mjs')], { encoding: 'utf8', timeout: 180000 });
};

test('a graph in the address: from<k> after the values, merges, frozen layers; a chain’s address is unchanged', () => {
  const query =
    'data=spiral&layers=dense-16-tanh~dense-16-tanh!~add-from1~dense-8-linear-from0~concatenate--1-from3~dense-1-sigmoid';
  const { state, problems } = decodeState(query);
  assert.deepEqual(problems, []);
  assert.deepEqual(state.layers.slice(1, 5), [
    { type: 'dense', units: 16, activation: 'tanh', trainable: false },
    { type: 'add', from: 1 },
    { type: 'dense', units: 8, activation: 'linear', from: 0 },
    { type: 'concatenate', axis: -1, from: 3 },
  ]);
  assert.equal(decodeState(encodeState(state)).state.layers.length, 6);
  assert.deepEqual(decodeState(encodeState(state)).state.layers, state.layers);
  const residual = presetState('deepResidual');
  assert.deepEqual(decodeState(encodeState(residual)).state.layers, residual.layers);
  assert.match(
    new URLSearchParams(encodeState(residual)).get('layers'),
    /^dense-16-tanh~dense-16-tanh~dense-16-tanh~add-from1~/,
  );
  assert.equal(
    new URLSearchParams(encodeState(presetState('small'))).get('layers'),
    'dense-4-tanh~dense-2-tanh~dense-1-sigmoid',
  );
  const bad = decodeState('data=spiral&layers=dense-16-tanh~add-from7~dense-1-sigmoid');
  assert.deepEqual(bad.problems, [
    'layer 2 (add): from7 names a later layer; a layer takes the input (from0) or layers 1 to 1',
  ]);
});

test('a list that cannot be a graph is explained, naming the layer', () => {
  const d = (units, activation = 'tanh') => ({ type: 'dense', units, activation });
  assert.equal(graphProblem([d(4), d(4), { type: 'add', from: 1 }, d(1)]), null);
  assert.deepEqual(graphProblem([d(4), { type: 'add' }, d(1)]), {
    index: 1,
    message: 'Add joins the layer before it with another: choose which in its "joins" control.',
  });
  assert.deepEqual(graphProblem([d(4), d(4, 'relu'), { ...d(1), from: 1 }]), {
    index: 1,
    message: 'its output goes nowhere: no later layer takes it. Remove it, or let a layer take it.',
  });
  assert.equal(graphProblem([d(4), { ...d(1), from: 3 }]).index, 1);
});

test('moving, adding and removing layers keeps each from pointing at the same layer', () => {
  const layers = presetState('deepResidual').layers.slice(0, 7);
  const moved = editableCopy(layers);
  moved.splice(1, 0, { type: 'dropout', rate: 0.1 });
  renumber(moved);
  assert.deepEqual(
    moved.map((l) => l.from),
    [undefined, undefined, undefined, undefined, 1, undefined, undefined, 5],
  );
  const removed = editableCopy(layers);
  removed.splice(0, 1);
  renumber(removed);
  assert.equal(removed[2].from, undefined, 'a reference to a removed layer is dropped');
  assert.equal(removed[5].from, 3);
});

test('wrapping a span: Add when the shapes agree, a projection when they differ, Concatenate along the last axis', () => {
  const d = (units) => ({ type: 'dense', units, activation: 'relu' });
  const layers = [d(16), d(16), d(8), { type: 'dense', units: 1, activation: 'sigmoid' }];
  const shapes = [[16], [16], [8], [1]].map((outputShape) => ({ outputShape }));
  assert.deepEqual(wrapBlock(layers, shapes, [2], 2, 2, 'add').layers.slice(1, 4), [
    d(16),
    { type: 'add', from: 1 },
    d(8),
  ]);
  const projected = wrapBlock(layers, shapes, [2], 2, 3, 'add');
  assert.deepEqual(projected.layers.slice(3, 5), [
    { type: 'dense', units: 8, activation: 'linear', from: 1 },
    { type: 'add', from: 3 },
  ]);
  assert.match(projected.note, /a Dense projection of the block's input \(layer 4\) is added to layer 3's output/);
  assert.deepEqual(wrapBlock(layers, shapes, [2], 1, 3, 'concatenate').layers[3], {
    type: 'concatenate',
    axis: -1,
    from: 0,
  });
  assert.match(wrapBlock(layers, shapes, [2], 3, 2, 'add').problem, /first before last; got 3 to 2/);
  const maps = [
    [14, 14, 8],
    [7, 7, 16],
  ].map((outputShape) => ({ outputShape }));
  const conv = [{ type: 'conv2d' }, { type: 'conv2d' }, { type: 'flatten' }];
  assert.deepEqual(wrapBlock(conv, maps, [14, 14, 8], 1, 2, 'add').layers[2], {
    type: 'conv2d',
    filters: 16,
    kernelSize: 1,
    strides: 2,
    padding: 'valid',
    activation: 'linear',
    from: 0,
  });
  assert.match(wrapBlock(conv, maps, [14, 14, 8], 1, 2, 'concatenate').problem, /differ only in their last axis/);
});

test('the builder’s graph builds, and a loaded graph model comes back into the builder as the same list', async () => {
  const state = decodeState(
    'data=spiral&layers=dense-8-relu~dense-8-relu~add-from1~dense-4-linear-from0~concatenate--1-from3~dense-1-sigmoid',
  ).state;
  const model = stateModel(layerConfigs(state, [2]), state.layers, [2], 1);
  const built = await model.build();
  assert.deepEqual(
    built.layers.map((l) => [l.type, l.outputShape]),
    [
      ['Dense', [8]],
      ['Dense', [8]],
      ['Add', [8]],
      ['Dense', [4]],
      ['Concatenate', [12]],
      ['Dense', [1]],
    ],
  );
  assert.deepEqual(layersFromGraph(model.graph), state.layers);
  await model.dispose();
  const chain = stateModel(layerConfigs(presetState('small'), [2]), presetState('small').layers, [2], 1);
  assert.equal(chain.graph, undefined, 'a chain stays a Sequential');
  await chain.dispose();
  // A shared layer or two inputs: not a list the builder can show.
  const x = dl.input({ shape: [2] });
  const shared = dl.layers.dense({ units: 2 });
  const twice = dl.model({ inputs: x, outputs: shared.apply(shared.apply(x)) });
  assert.equal(layersFromGraph(twice.graph), null);
});

test('the code views write a graph in the functional style; the JavaScript trains the residual twin as written', () => {
  const state = { ...presetState('deepResidual'), epochs: 30 };
  const keras = kerasCode(state, SPIRAL);
  python(keras);
  assert.match(keras, /^h0 = keras\.Input\(shape=\(2,\)\)$/m);
  assert.match(keras, /^h4 = layers\.Add\(\)\(\[h3, h1\]\)$/m);
  assert.match(keras, /^model = keras\.Model\(h0, h29\)$/m);
  const js = javascriptCode(state, SPIRAL, `${projectRoot}web/lib/index.js`);
  assert.match(js, /^const h4 = dl\.layers\.add\(\)\.apply\(\[h3, h1\]\);$/m);
  const out = runNode(js);
  const accuracy = Number(/accuracy: ([\d.]+)/.exec(out)?.[1]);
  assert.ok(accuracy > 0.85, `the residual twin on the spiral from the generated code: ${out}`);
});

test('the search panel’s code for a graph: the JavaScript searches as written; the Keras is valid Python', () => {
  const state = decodeState('data=gaussians&layers=dense-8-relu~dense-8-relu~add-from1~dense-1-sigmoid').state;
  const search = {
    space: { learningRate: [0.01, 0.03] },
    method: 'grid',
    trials: 2,
    epochs: 3,
    metric: 'val_accuracy',
    k: 2,
  };
  const js = searchJavaScript(state, SPIRAL, search, `${projectRoot}web/lib/index.js`);
  assert.match(js, /const h3 = dl\.layers\.add\(\)\.apply\(\[h2, h1\]\);/);
  const out = runNode(js);
  assert.equal(out.match(/^trial /gm)?.length, 2, out);
  const keras = searchKeras(state, SPIRAL, search);
  python(keras);
  assert.match(keras, /^ {4}h3 = layers\.Add\(\)\(\[h2, h1\]\)$/m);
});

test('a layer given another type in the builder keeps the references to it, and its own when it means the same', () => {
  const layers = decodeState('data=spiral&layers=dense-8-relu~dense-8-relu~add-from1~dense-1-sigmoid').state.layers;
  const first = editableCopy(layers);
  replaceType(first[0], 'dropout');
  renumber(first);
  assert.deepEqual(first[0], { type: 'dropout', rate: 0.25 });
  assert.equal(first[2].from, 1, 'the Add still joins layer 1');
  const merge = editableCopy(layers);
  replaceType(merge[2], 'concatenate');
  assert.deepEqual(merge[2], { type: 'concatenate', axis: -1, from: 1 });
  replaceType(merge[2], 'dense');
  assert.equal(merge[2].from, undefined, 'a Dense takes the layer before it');
});
