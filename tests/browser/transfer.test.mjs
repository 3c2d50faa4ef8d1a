// Transfer learning by hand in the page: an MLP trained on the digits 0-4 gets a new head
// over its frozen base, the data becomes a few images of each of 5-9 (the base's weights
// kept across the change), and only the head trains.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();

// The first layer's kernel, every value.
const firstKernel = (page) =>
  page.evaluate(async () => Array.from((await window.playground.app.model.getWeights())[0].values));

test('transfer by hand: train on 0-4, new head, 20 images of each of 5-9 with the base kept and frozen', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=mlp&only=0-4&epochs=1&speed=full', {
    width: 1440,
    height: 900,
  });
  const panel = '.panel-transfer';
  assert.match(await page.textContent(panel), /Training on 5,0\d\d samples of classes 0-4; testing on 1,0\d\d\./);
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 120000 });
  const base = await firstKernel(page);
  assert.equal(await page.inputValue('[aria-label="layers in the new head"]'), '1', 'the last Dense layer');

  await page.click('.btn-new-head');
  await page.waitForFunction(() => /new\. Trained weights are kept/.test(window.playground.app.message ?? ''));
  const frozen = await page.evaluate(() => window.playground.app.model.layerConfigs.map((l) => l.trainable ?? true));
  assert.deepEqual(frozen.slice(-1), [true], 'the head trains');
  assert.ok(
    frozen.slice(0, -1).every((t) => t === false),
    `the base is frozen: ${frozen}`,
  );
  assert.equal(await page.isChecked('[aria-label="keep trained weights"]'), true);
  assert.deepEqual(await firstKernel(page), base, 'the base keeps its trained weights');
  assert.match(page.url(), /keep=true/);

  await page.fill('[aria-label="classes to train and test on"]', '5-9');
  await page.press('[aria-label="classes to train and test on"]', 'Enter');
  await page.waitForFunction(() => window.playground.app.state.only?.length === 5 && window.playground.app.model);
  await page.fill('[aria-label="training samples per class"]', '20');
  await page.press('[aria-label="training samples per class"]', 'Enter');
  await page.waitForFunction(() => window.playground.app.data?.trainCount === 100 && window.playground.app.model);
  assert.match(
    await page.textContent(panel),
    /Training on 100 samples of classes 5-9, at most 20 of each; testing on [\d,]+\./,
  );
  assert.match(
    await page.evaluate(() => window.playground.app.message),
    /Kept the trained weights of all \d+ layers\./,
  );
  assert.match(page.url(), /only=5-9&per=20/);
  const testLabels = await page.evaluate(() => [...new Set(window.playground.app.data.testLabels)].sort());
  assert.deepEqual(testLabels, [5, 6, 7, 8, 9], 'the test set has the same classes');

  await page.evaluate(() => window.playground.app.update({ epochs: 20, batchSize: 10 }));
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 120000 });
  assert.deepEqual(await firstKernel(page), base, 'the frozen base did not train');
  const accuracy = await page.evaluate(() =>
    (window.playground.app.run ?? window.playground.app.runs.at(-1)).vacc.at(-1),
  );
  console.log(`transfer by hand on 5-9 from 100 images: ${accuracy}`);
  assert.ok(accuracy > 0.45, `test accuracy on 5-9 with the new head (chance: 0.2): ${accuracy}`);

  // Without keep, a change of data starts afresh; Reset always does.
  await page.uncheck('[aria-label="keep trained weights"]');
  await page.click('.btn-reset');
  await page.waitForFunction(() => window.playground.app.model && window.playground.app.trainState === 'idle');
  assert.notDeepEqual(await firstKernel(page), base, 'Reset gives fresh weights');
  // A class the set does not have is refused with its reason.
  await page.fill('[aria-label="classes to train and test on"]', '12');
  await page.press('[aria-label="classes to train and test on"]', 'Enter');
  await page.waitForFunction(() => /no training samples of classes 12/.test(window.playground.app.problem ?? ''));
  // The panel says it once it has drawn again after the problem was set.
  await page.waitForFunction(
    (selector) => /Data: no training samples/.test(document.querySelector(selector).textContent),
    panel,
  );
  assert.match(await page.textContent(panel), /Data: no training samples of classes 12; the set's classes are 0 to 9/);
  await page.locator(panel).screenshot({ path: `${shots}/transfer.png` });
  assert.deepEqual(problems, []);
  await page.close();
});
