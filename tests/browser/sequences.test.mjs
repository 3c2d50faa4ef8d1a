// Text and sequences in the page, in real headless Chromium with the real engine and data:
// every sequence set opens with a model; the views show the engine's values (the answer
// equals a prediction, attention equals the scores the layer returns for the same
// weights, the LSTM's units its outputs, the loss per position the engine's loss);
// samples follow a prompt; your own text and CSV (broken files refused) train and survive
// a reload; the address carries it all. No console error, no request off the origin.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();
const open = (path, size) => openPlayground(harness, path, size);
const app = (page, f, arg) => page.evaluate(f, arg);

// Trains for `ms`, then pauses and waits for the views to show the paused model.
async function trainFor(page, ms) {
  await app(page, () => window.playground.app.train());
  await page.waitForTimeout(ms);
  await app(page, async () => {
    const a = window.playground.app;
    await a.pause();
    a.sequenceViews = null;
    a.textAnswer = null;
    a.refreshViews();
  });
  await page.waitForFunction(() => window.playground.app.sequenceViews && window.playground.app.textAnswer);
}

test('every sequence set opens with a fitting model and its panels; Fashion-MNIST names its classes', async () => {
  const { page, problems } = await open('?data=words');
  for (const data of [
    'kjv',
    'words',
    'addition',
    'reverse',
    'sort',
    'copy',
    'parity',
    'brackets',
    'sines',
    'fashion',
  ]) {
    await page.selectOption('.panel-data select[aria-label="data set"]', data);
    await page.waitForFunction(
      (d) => window.playground.app.data?.name === d && (window.playground.app.model || window.playground.app.problem),
      data,
    );
    const seen = await app(page, () => {
      const a = window.playground.app;
      return {
        problem: a.problem,
        text: !document.querySelector('[data-panel=text]').hidden,
        classNames: a.data.classNames ?? null,
      };
    });
    assert.equal(seen.problem, null, `${data}: ${seen.problem}`);
    assert.equal(seen.text, !['sines', 'fashion'].includes(data), `${data}: the Try-it panel`);
    if (data === 'fashion') assert.equal(seen.classNames[9], 'Ankle boot');
  }
  assert.deepEqual(problems, []);
});

test('a small GPT on the Bible: the answer, the attention heads and the loss per position are the engine’s', async () => {
  const layers = [
    'embedding-64-32-false',
    'positionEmbedding-16',
    'add-from1',
    'layerNormalization',
    'multiHeadAttention-2-16-true-from4',
    'add-from3',
    'dense-64-softmax',
  ].join('~');
  const { page, problems } = await open(`?data=kjv&steps=16&batch=32&layers=${layers}`, { width: 1440, height: 900 });
  await trainFor(page, 3000);
  await page.fill('.panel-text textarea', 'And God said, Let');
  await page.waitForFunction(() => window.playground.app.textAnswer?.text === 'And God said, Let');
  await page.waitForFunction(() => window.playground.app.sequenceViews?.text === 'And God said, Let');
  const check = await app(page, async () => {
    const a = window.playground.app;
    const dl = await import('/lib/index.js');
    const { encodeText } = await import('/src/playground/sequence_text.js');
    const { ids } = encodeText(a, a.typedText);
    const x = dl.tensor(ids, [1, ids.length]);
    const predicted = await a.model.predictValues(x, { probabilities: true });
    const answerDifference = Math.max(...predicted.values.map((v, i) => Math.abs(v - a.textAnswer.values[i])));
    // The same first five layers with the scores returned, given the model's weights.
    const input = dl.input({ shape: [16] });
    const tokens = dl.layers.embedding({ inputDim: 64, outputDim: 32 }).apply(input);
    const positions = dl.layers.positionEmbedding({ sequenceLength: 16 }).apply(tokens);
    const sum = dl.layers.add().apply([positions, tokens]);
    const normed = dl.layers.layerNormalization().apply(sum);
    const [, scores] = dl.layers
      .multiHeadAttention({ numHeads: 2, keyDim: 16, useCausalMask: true, returnAttentionScores: true })
      .apply([normed, normed]);
    const probe = dl.model({ inputs: input, outputs: scores });
    const weights = await a.model.getWeights();
    await probe.setWeights(weights.slice(0, (await probe.getWeights()).length));
    const engine = await probe.predictValues(x);
    const shown = a.sequenceViews.attention[0].heads.flatMap((h) => Array.from(h));
    const attentionDifference = Math.max(...shown.map((v, i) => Math.abs(v - engine.values[i])));
    // The loss per position, averaged, against the engine's loss on the same 64 samples.
    const d = a.data;
    const xs = dl.tensor(d.test.x.subarray(0, 64 * 16), [64, 16]);
    const ys = dl.tensor(d.test.y.subarray(0, 64 * 16), [64, 16]);
    const { loss } = await a.model.evaluateMetrics(xs, ys, { batchSize: 64 });
    const mean = a.sequenceViews.positions.loss.reduce((s, v) => s + v, 0) / 16;
    await probe.dispose();
    [x, xs, ys].forEach((t) => t.dispose());
    return {
      answerDifference,
      attentionDifference,
      lossDifference: Math.abs(mean - loss),
      heads: a.sequenceViews.attention[0].heads.length,
      canvases: document.querySelectorAll('.attention-layer canvas').length,
      embedding: a.sequenceViews.embedding.points.length,
      columns: document.querySelectorAll('.next-grid .grid-row:first-child .cell.read').length,
    };
  });
  assert.ok(check.answerDifference < 1e-6, JSON.stringify(check));
  assert.ok(check.attentionDifference < 1e-5, JSON.stringify(check));
  assert.ok(check.lossDifference < 1e-4, JSON.stringify(check));
  assert.equal(check.heads, 2);
  assert.equal(check.canvases, 2);
  assert.equal(check.embedding, 64 * 2);
  assert.equal(check.columns, 16, 'the last 16 characters, as the model reads them');
  // Hovering a character shades what it reads; a causal head never reads a later one.
  await page.hover('.token-strip span:nth-child(5)');
  const shade = await app(page, () =>
    [...document.querySelectorAll('.attention-layer .token-strip span')].map((s) => s.style.background),
  );
  assert.ok(
    shade.slice(0, 5).some((b) => b && !b.includes('0.000')),
    shade.slice(0, 6).join(' | '),
  );
  assert.ok(
    shade.slice(5).every((b) => b.includes(', 0)') || b.includes('0.000')),
    shade.slice(5).join(' | '),
  );
  await page.screenshot({ path: `${shots}/seq-1-gpt-1440.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test('a character LSTM: its units are the engine’s outputs, the gates show, a clicked unit finds its characters; samples follow the prompt', async () => {
  const { page, problems } = await open('?preset=charLstm&steps=24', { width: 390, height: 844 });
  await trainFor(page, 4000);
  const units = await app(page, async () => {
    const a = window.playground.app;
    const dl = await import('/lib/index.js');
    const { encodeText } = await import('/src/playground/sequence_text.js');
    const { ids, length } = encodeText(a, a.typedText);
    const x = dl.tensor(ids, [1, ids.length]);
    const lstm = (await a.model.activations(x)).find((o) => o.layer === 'lstm');
    x.dispose();
    const view = a.sequenceViews.units[0];
    return {
      gates: view.gates,
      difference: Math.max(...view.values.map((v, i) => Math.abs(v - lstm.values[i]))),
      length,
    };
  });
  assert.ok(units.gates, 'the gates were recomputed and matched the outputs');
  assert.ok(units.difference < 1e-6, JSON.stringify(units));
  await page.selectOption('.unit-layer select', 'f');
  await page.waitForFunction(() => window.playground.app.sequenceViews?.units[0].kind === 'f');
  const forget = await app(page, () => Array.from(window.playground.app.sequenceViews.units[0].values));
  assert.ok(
    forget.every((v) => v >= 0 && v <= 1),
    'a gate is between 0 and 1',
  );
  await page.click('.unit-layer canvas', { position: { x: 5, y: 5 } });
  await page.waitForFunction(() => window.playground.app.unitFinds);
  assert.equal(await page.locator('.unit-finds li').count(), 8);
  // Temperature 0 writes the same text twice; it follows the prompt.
  await page.fill('.panel-text input[aria-label=prompt]', 'And the LORD');
  await page.$eval('.panel-text input[aria-label=temperature]', (range) => {
    range.value = '0';
    range.dispatchEvent(new Event('input'));
  });
  // A sample the training began may still be being written: it ends first.
  await page.waitForFunction(() => !window.playground.app.sampling);
  await app(page, () => (window.playground.app.lastSample = null));
  const before = await page.locator('.samples li').count();
  await page.click('.panel-text >> text=Generate');
  await page.waitForFunction(() => window.playground.app.lastSample);
  const first = await app(page, () => window.playground.app.lastSample.text);
  await app(page, () => (window.playground.app.lastSample = null));
  await page.click('.panel-text >> text=Generate');
  await page.waitForFunction(() => window.playground.app.lastSample);
  assert.equal(await app(page, () => window.playground.app.lastSample.text), first);
  assert.equal(first.length, 120);
  assert.equal(await page.locator('.samples li').count(), before + 2);
  assert.match(await page.locator('.samples li').first().innerText(), /^after [\d.]+ epochs\nAnd the LORD/);
  await page.screenshot({ path: `${shots}/seq-2-lstm-390.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test('your text and your labelled texts: broken files are refused with the reason, good ones train and stay after a reload', async () => {
  const { page, problems } = await open('?data=words');
  const file = (name, bytes) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(bytes) });
  const input = '.panel-texts input[type=file]';
  const report = () => page.locator('.panel-texts [role=status]').innerText();
  const refused = [
    [file('empty.txt', []), /"empty.txt" is empty/],
    [file('image.txt', [0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), /not text: it holds a zero byte/],
    [file('latin.txt', [0x63, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65]), /not UTF-8 text/],
    [file('one.csv', Buffer.from('text,label\nnice,a\ngood,a\n')), /has 1 label; a classifier needs at least 2/],
    [file('short.txt', Buffer.from('too short')), /has 9 characters; a language model needs at least 200/],
  ];
  for (const [bad, message] of refused) {
    await page.setInputFiles(input, bad);
    await page.waitForFunction(
      (m) => new RegExp(m).test(document.querySelector('.panel-texts [role=status]').textContent),
      message.source,
    );
    assert.equal(await app(page, () => window.playground.app.state.data), 'words', 'nothing changed');
  }
  const story = 'Il était une fois une petite fille de village, la plus jolie qu’on eût su voir. '.repeat(20);
  await page.setInputFiles(input, file('conte.txt', Buffer.from(story)));
  await page.waitForFunction(() => window.playground.app.data?.name === 'mytext' && window.playground.app.model);
  assert.match(await report(), /Kept "conte": 1,600 characters/);
  assert.equal(await app(page, () => window.playground.app.data.vocabulary.tokens.includes('é')), true);
  const reviews = [
    'text,label',
    ...Array.from({ length: 30 }, (_, i) => (i % 2 ? `"a dull, slow film ${i}",bad` : `a lovely film ${i},good`)),
  ];
  await page.setInputFiles(input, file('reviews.csv', Buffer.from(reviews.join('\n'))));
  await page.waitForFunction(() => window.playground.app.data?.name === 'mylabels' && window.playground.app.model);
  await app(page, () => window.playground.app.update({ epochs: 30 }));
  await app(page, () => window.playground.app.train());
  await page.waitForFunction(() => window.playground.app.trainState === 'done');
  await page.fill('.panel-text textarea', 'a lovely film');
  await page.waitForFunction(() => window.playground.app.textAnswer?.text === 'a lovely film');
  const answer = await app(page, () => Array.from(window.playground.app.textAnswer.values));
  assert.ok(answer[0] > 0.5, `“a lovely film” is good: ${answer}`);
  assert.match(page.url(), /data=mylabels/);
  assert.match(page.url(), /text=reviews/);
  // A reload reads the kept text by the name in the address.
  await page.reload();
  await page.waitForFunction(() => window.playground?.app?.data?.name === 'mylabels' && window.playground.app.model);
  assert.equal(await page.locator('.text-list li').count(), 2);
  assert.deepEqual(await app(page, () => window.playground.app.data.classNames), ['good', 'bad']);
  await page.screenshot({ path: `${shots}/seq-3-your-text.png`, fullPage: true });
  assert.deepEqual(problems, []);
});

test('the address carries a toy task with its length and difficulty; the toy task shows inputs, targets and answers', async () => {
  const { page, problems } = await open('?preset=addition&level=2&epochs=3');
  assert.deepEqual(await app(page, () => window.playground.app.layers.at(-1).outputShape), [3, 16]);
  await app(page, () => window.playground.app.train());
  await page.waitForFunction(() => window.playground.app.trainState === 'done');
  await page.waitForFunction(() => document.querySelectorAll('.toy-examples tr').length === 7);
  const row = await page.locator('.toy-examples tr').nth(1).innerText();
  const [question, target] = row.split('\t');
  const [a, b] = question.trim().split('+').map(Number);
  assert.equal(Number(target.trim()), a + b, row);
  const address = page.url();
  assert.match(address, /preset=addition/);
  assert.match(address, /level=2/);
  const copy = await open(new URL(address).search, { width: 390, height: 844 });
  assert.equal(await app(copy.page, () => window.playground.app.state.level), 2);
  await copy.page.screenshot({ path: `${shots}/seq-4-addition-390.png`, fullPage: true });
  assert.deepEqual([...problems, ...copy.problems], []);
});
