// The page's sequence sets and presets, driven as the page drives them (a Playground in
// Node, the real engine and the built data): each preset trains on its set; the code
// views' JavaScript reproduces the page's run to the last digit; the Keras project's
// data.npz holds the samples and the vocabulary as numpy reads them; the address carries
// steps and level; a shape that does not fit says what to change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import * as dl from '../../web/lib/index.js';
import { Playground } from '../../web/src/playground/app.js';
import { javascriptCode, kerasCode } from '../../web/src/playground/codegen.js';
import { setMnistFolder } from '../../web/src/playground/datasets.js';
import { projectArrays } from '../../web/src/playground/keras_project.js';
import { decodeState, encodeState } from '../../web/src/playground/state.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const publicDir = join(root, 'web/public');
await dl.ready();
setMnistFolder(`file://${publicDir}/data/text/`, 'text');

async function trainedApp(preset, patch = {}) {
  const app = new Playground();
  await app.usePreset(preset);
  if (Object.keys(patch).length) await app.update(patch);
  assert.equal(app.problem, null, `${preset}: ${app.problem}`);
  const evaluated = new Promise((resolve) => app.addEventListener('evaluated', (e) => resolve(e.detail)));
  await app.train();
  return { app, evaluation: await evaluated };
}

// Each preset on its own set, one epoch (the toy tasks a few): better than chance.
const CASES = [
  ['wordConv1d', { epochs: 2 }, (e) => e.accuracy > 0.6, 'accuracy over 7 languages (chance 0.14)'],
  ['wordGru', { epochs: 1 }, (e) => e.accuracy > 0.4, 'accuracy over 7 languages'],
  ['brackets', { epochs: 1 }, (e) => e.accuracy > 0.8, 'accuracy (chance 0.5)'],
  ['tagger', { epochs: 2 }, (e) => e.accuracy > 0.9, 'running parity per step'],
  ['forecaster', { epochs: 3 }, (e) => e.mae < 0.4, 'mean absolute error of scaled values'],
  ['addition', { epochs: 1, level: 2 }, (e) => e.accuracy > 0.3, 'accuracy per answer digit'],
];
for (const [preset, patch, good, what] of CASES)
  test(`the ${preset} preset learns its set in the page: ${what}`, async () => {
    const { app, evaluation } = await trainedApp(preset, patch);
    assert.ok(good(evaluation), JSON.stringify(evaluation));
    await app.model.dispose();
  });

test('the language model presets build on the Bible: a character LSTM and a tiny GPT, the answer per character', async () => {
  for (const preset of ['charLstm', 'tinyGpt']) {
    const app = new Playground();
    await app.usePreset(preset);
    assert.equal(app.problem, null);
    assert.equal(app.data.vocabulary.size, 64);
    assert.deepEqual(app.layers.at(-1).outputShape, [64, 64]);
    assert.equal(app.state.loss, 'sparseCategoricalCrossentropy');
    await app.model.dispose();
  }
});

test('the JavaScript code view of a sequence set reproduces the page’s run exactly', async () => {
  for (const preset of ['wordConv1d', 'forecaster']) {
    const { app, evaluation } = await trainedApp(preset, { epochs: 1 });
    const info = { ...app.info, target: app.target };
    const code = javascriptCode(app.state, info, join(root, 'web/lib/index.js'));
    const file = join(mkdtempSync(join(tmpdir(), 'seq-code-')), 'run.mjs');
    writeFileSync(file, code);
    const printed = execFileSync('node', [file], { cwd: publicDir, encoding: 'utf8' });
    const loss = Number(/test loss: ([\d.e-]+)/.exec(printed)[1]);
    assert.ok(Math.abs(loss - evaluation.loss) < 1e-6, `${preset}: code ${loss}, page ${evaluation.loss}`);
    const python = kerasCode(app.state, info);
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: python });
    await app.model.dispose();
  }
});

test('a column of your CSV as a series: the page trains on it and the JavaScript code view reproduces the run', async () => {
  const rows = ['day,visitors,rain'];
  for (let t = 0; t < 400; t++)
    rows.push(`2025-${t},${(200 + 60 * Math.sin((2 * Math.PI * t) / 7) + 0.1 * t).toFixed(1)},${(t * 7) % 3}`);
  const csvText = rows.join('\n');
  const app = new Playground();
  await app.usePreset('forecaster');
  app.csv = { name: 'visits.csv', text: csvText, serial: 1 };
  await app.update({ data: 'myseries', column: 'visitors', epochs: 1 });
  assert.equal(app.problem, null);
  assert.equal(app.data.column, 'visitors');
  assert.deepEqual(app.data.columns, ['visitors', 'rain']);
  assert.equal(app.data.train.n + app.data.test.n, 400 - 2 * 32);
  const evaluated = new Promise((resolve) => app.addEventListener('evaluated', (e) => resolve(e.detail)));
  await app.train();
  const evaluation = await evaluated;
  const info = { ...app.info, target: app.target };
  const code = javascriptCode(app.state, info, join(root, 'web/lib/index.js'));
  assert.match(code, /const csvText = await file\.text\(\);/);
  const file = join(mkdtempSync(join(tmpdir(), 'seq-csv-')), 'run.mjs');
  writeFileSync(file, code.replace('await file.text()', JSON.stringify(csvText)));
  const printed = execFileSync('node', [file], { cwd: publicDir, encoding: 'utf8' });
  const loss = Number(/test loss: ([\d.e-]+)/.exec(printed)[1]);
  assert.ok(Math.abs(loss - evaluation.loss) < 1e-6, `code ${loss}, page ${evaluation.loss}`);
  // An unknown column is refused by name, with the columns there are.
  await app.update({ column: 'temperature' });
  assert.match(
    app.problem ?? app.dataError?.message ?? '',
    /column "temperature" not found; the columns are \["day","visitors","rain"\]/,
  );
  await app.model?.dispose();
});

test('a Keras project’s data.npz holds the samples as ids and the vocabulary as numpy reads them', async () => {
  const app = new Playground();
  await app.usePreset('addition');
  const arrays = projectArrays(app.data, app.task);
  const dir = mkdtempSync(join(tmpdir(), 'seq-npz-'));
  writeFileSync(join(dir, 'data.npz'), await dl.io.encodeNpz(arrays));
  const read = execFileSync(
    '/usr/bin/python3',
    [
      '-c',
      `import numpy as np
d = np.load('${dir}/data.npz')
v = ''.join(chr(c) for c in d['vocabulary'])
print(d['x_train'].dtype, d['x_train'].shape, d['y_train'].shape, repr(v[1:]))
print(''.join(v[i] for i in d['x_train'][0]), '->', ''.join(v[i] for i in d['y_train'][0]))`,
    ],
    { encoding: 'utf8' },
  ).split('\n');
  assert.match(read[0], /^int32 \(20000, 7\) \(20000, 4\) '[ ()+0-9_]{15}'$/);
  const [question, answer] = read[1].split(' -> ');
  const [a, b] = question.trim().split('+').map(Number);
  assert.equal(Number(answer.trim()), a + b, `the first sample reads ${read[1]}`);
  await app.model.dispose();
});

test('steps and level travel in the address; out of range they are refused by name; a model that does not fit says what to change', async () => {
  const app = new Playground();
  await app.usePreset('addition');
  await app.update({ level: 4 });
  const query = encodeState(app.state, { preset: app.preset, explicit: app.explicit });
  assert.match(query, /level=4/);
  const back = decodeState(query);
  assert.equal(back.state.level, 4);
  assert.deepEqual(back.problems, []);
  // The preset's RepeatVector follows the answer's length (4 digits and a carry: 5).
  assert.equal(app.state.layers.find((l) => l.type === 'repeatVector').n, 5);
  assert.deepEqual(app.layers.at(-1).outputShape, [5, 16]);
  assert.match(decodeState('preset=addition&level=12').problems.join(), /level must be from 1 to 9; got "12"/);
  assert.match(decodeState('data=kjv&steps=0').problems.join(), /steps must be from 1 to 256/);
  // Layers set on purpose are kept: one step short of the answer is said.
  await app.editLayers((layers) => (layers.find((l) => l.type === 'repeatVector').n = 3));
  assert.match(app.problem, /The answer has 5 steps; the last layer outputs 3/);
  await app.model?.dispose();
});

test('new words in a language’s style: a character LSTM over one language’s words, one per line, samples new words', async () => {
  const app = new Playground();
  await app.update({ data: 'wordStyle', language: 'it', steps: 16, epochs: 2 });
  assert.equal(app.problem, null);
  // Italian's letters (accents included) and the line break; the model is fitted to them.
  const { tokens } = app.data.vocabulary;
  assert.ok(tokens.includes('\n') && tokens.includes('à'), tokens.join(''));
  assert.equal(app.state.layers[0].inputDim, tokens.length);
  assert.deepEqual(app.layers.at(-1).outputShape, [16, tokens.length]);
  const evaluated = new Promise((resolve) => app.addEventListener('evaluated', (e) => resolve(e.detail)));
  await app.train();
  const { loss } = await evaluated;
  assert.ok(
    loss < Math.log(tokens.length) * 0.75,
    `loss ${loss} against ${Math.log(tokens.length)} for a uniform guess`,
  );
  const { generate } = await import('../../web/src/playground/sequence_text.js');
  const words = (await generate(app.model, app, '', { count: 200, temperature: 0.7 })).split('\n').filter(Boolean);
  assert.ok(words.length >= 10, JSON.stringify(words));
  assert.match(encodeState(app.state, { preset: null, explicit: app.explicit }), /language=it/);
  await app.model.dispose();
});
