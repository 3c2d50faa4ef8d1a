// Bayesian search on the page: chosen beside grid and random, its settings in the address,
// and after each trial the surrogate's mean, band and expected improvement over one
// parameter with the trials and the next one marked; the table and "use this setup" as
// for the other methods; the code views write dl.search and KerasTuner.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { harnessForFile, openPlayground, shots } from './harness.mjs';

const harness = harnessForFile();

test('a Bayesian search from the address: the surrogate drawn after each trial, the next trial marked, the fields kept', async () => {
  const { page, problems } = await openPlayground(
    harness,
    '?data=spiral&speed=full&search=bayesian&trials=7&trialepochs=20&space=learningRate:0.001..0.3;units:2..16',
    { width: 1440, height: 900 },
  );
  // The address filled the panel.
  assert.equal(await page.inputValue('[aria-label="search method"]'), 'bayesian');
  assert.equal(await page.inputValue('[aria-label="search learningRate"]'), '0.001..0.3');
  assert.equal(await page.inputValue('[aria-label="search units"]'), '2..16');
  assert.equal(await page.inputValue('[aria-label="trials"]'), '7');
  assert.equal(await page.inputValue('[aria-label="epochs per trial"]'), '20');
  await page.click('.btn-search');
  // After the second trial the surrogate is drawn: mean and band, then expected improvement.
  await page.waitForFunction(() => document.querySelectorAll('.panel-tuning .uplot').length === 2, null, {
    timeout: 60000,
  });
  assert.match(
    await page.textContent('.surrogate-caption'),
    /The surrogate of val_accuracy over learningRate, the other parameters held at the next trial's; the band is two standard deviations; the trials are drawn at their own values of the others\. The next trial \(orange\) is (a random draw|chosen where)/,
  );
  await page.waitForFunction(() => window.playground.app.searchResult?.trials.length === 7, null, { timeout: 90000 });
  const { trials, best } = await page.evaluate(() => window.playground.app.searchResult);
  assert.equal(best.value, Math.max(...trials.map((t) => t.value)));
  assert.ok(trials.every((t) => Number.isInteger(t.params.units) && t.params.units >= 2 && t.params.units <= 16));
  assert.equal(new Set(trials.map((t) => JSON.stringify(t.params))).size, 7, 'no setup is tried twice');
  // The last surrogate picked its trial by expected improvement (4 random trials first).
  const caption = await page.textContent('.surrogate-caption');
  assert.match(
    caption,
    /is chosen where the improvement over the best so far is expected to be highest: learningRate = [\d.e-]+\./,
  );
  // The charts hold the trials as points: one non-null value per trial in the points series.
  const drawn = await page.evaluate(() => {
    const plots = [...document.querySelectorAll('.panel-tuning .uplot')];
    return plots.length;
  });
  assert.equal(drawn, 2);
  assert.equal(await page.locator('table.trials tr').count(), 8);
  // Another parameter's surrogate, chosen by hand, goes to the address.
  await page.selectOption('[aria-label="scatter parameter"]', 'units');
  await page.waitForFunction(() => location.search.includes('surrogate=units'));
  assert.match(await page.textContent('.surrogate-caption'), /over units/);
  await page.locator('.panel-tuning').screenshot({ path: `${shots}/bayesian-search.png` });
  // The code views write the same search.
  await page.click('.search-code summary');
  await page.waitForFunction(() => document.querySelector('[aria-label="search JavaScript code"]').textContent);
  assert.match(await page.textContent('[aria-label="search JavaScript code"]'), /method: 'bayesian',\s+trials: 7,/);
  assert.match(await page.textContent('[aria-label="search Keras code"]'), /keras_tuner\.BayesianOptimization\(/);
  // Fields typed by hand go to the address, readable.
  await page.fill('[aria-label="search rate"]', '0..0.5');
  await page.dispatchEvent('[aria-label="search rate"]', 'change');
  await page.waitForFunction(() => location.search.includes('space=learningRate:0.001..0.3;units:2..16;rate:0..0.5'));
  // A bad field is refused by name and nothing starts.
  await page.fill('[aria-label="search l2"]', '0..0.01');
  await page.click('.btn-search');
  assert.match(
    await page.evaluate(() => window.playground.app.message),
    /Search: L2: a range is low\.\.high with low <= high, both above 0 \(a log scale\); got "0\.\.0\.01"\./,
  );
  // So is a budget of no trials.
  await page.fill('[aria-label="search l2"]', '');
  await page.fill('[aria-label="trials"]', '0');
  await page.click('.btn-search');
  assert.match(
    await page.evaluate(() => window.playground.app.message),
    /Search: trials must be from 1 to 500; got "0"\./,
  );
  assert.equal(await page.evaluate(() => window.playground.app.searchResult.trials.length), 7, 'nothing started');
  // "use this setup" takes the best trial's values.
  await page.click('table.trials tr:nth-child(2) .use-trial');
  await page.waitForFunction(
    (p) => Math.abs(window.playground.app.state.learningRate - p.learningRate) < 1e-12,
    best.params,
  );
  assert.deepEqual(problems, []);
  await page.close();
});
