// The README's screenshots of the page, into web/screenshots/: a 2D set training, MNIST
// with the CNN while a digit is drawn, one convolution output worked out, the tiny GPT's
// text views after a minute on the Bible, and the forecaster's view on the sines (wide and
// on a phone). Run with
// `npm run screenshots` after a build; each is looked at before it is committed.
import { mkdirSync } from 'node:fs';

import { openPlayground, root, startHarness } from '../tests/browser/harness.mjs';

const out = `${root}web/screenshots`;
mkdirSync(out, { recursive: true });
const harness = await startHarness();

// Draws a digit 7 on the pad with the mouse.
async function drawSeven(page) {
  await page.locator('canvas.pad').scrollIntoViewIfNeeded();
  const box = await page.locator('canvas.pad').boundingBox();
  const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
  await page.mouse.move(...at(0.3, 0.22));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.22), { steps: 8 });
  await page.mouse.move(...at(0.45, 0.82), { steps: 12 });
  await page.mouse.up();
  await page.waitForTimeout(800);
}

try {
  // The spiral, every feature on, training until paused: after five seconds.
  const spiral = await openPlayground(
    harness,
    '?data=spiral&features=x1,x2,x1%5E2,x2%5E2,x1*x2,sin(x1),sin(x2)&layers=dense-8-tanh~dense-8-tanh~dense-1-sigmoid',
    { width: 1440, height: 900 },
  );
  await spiral.page.click('.btn-train');
  await spiral.page.waitForTimeout(5000);
  await spiral.page.screenshot({ path: `${out}/page-2d.png` });
  await spiral.page.close();

  // The seeds' CNN after some batches, paused, while a 7 is drawn.
  const cnn = await openPlayground(harness, '?preset=cnn', { width: 1440, height: 900 });
  await cnn.page.click('.btn-train');
  await cnn.page.waitForFunction(() => window.playground.app.run?.x.length >= 25, null, { timeout: 180000 });
  await cnn.page.click('.btn-pause');
  await drawSeven(cnn.page);
  await cnn.page.evaluate(() => window.scrollTo(0, 0));
  await cnn.page.screenshot({ path: `${out}/page-mnist.png` });
  await cnn.page.click('.panel-filters .conv-layer >> nth=0 >> .maps canvas >> nth=3');
  await cnn.page.waitForFunction(() => window.playground.app.unitDetailShown);
  await cnn.page.locator('.unit-detail').screenshot({ path: `${out}/conv-detail.png` });
  await cnn.page.close();
  // The tiny GPT after a minute of training, paused, with a sentence typed.
  const gpt = await openPlayground(harness, '?preset=tinyGpt&epochs=1000', { width: 1440, height: 900 });
  await gpt.page.click('.btn-train');
  await gpt.page.waitForTimeout(60000);
  await gpt.page.click('.btn-pause');
  await gpt.page.fill('.panel-text textarea', 'And God said unto Moses, Go in unto Pharaoh');
  await gpt.page.waitForTimeout(3000);
  await gpt.page.locator('[data-panel=text]').screenshot({ path: `${out}/text-try-it.png` });
  await gpt.page.locator('.attention-views').screenshot({ path: `${out}/text-attention.png` });
  await gpt.page.close();
  // The LSTM forecaster after 3 epochs on the sines, on a wide screen and on a phone.
  for (const [width, height, name] of [
    [1440, 900, 'forecast'],
    [390, 844, 'forecast-phone'],
  ]) {
    const forecaster = await openPlayground(harness, '?preset=forecaster&epochs=3', { width, height });
    await forecaster.page.click('.btn-train');
    await forecaster.page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 120000 });
    const done = await forecaster.page.evaluate(() => {
      window.playground.app.refreshViews();
      return performance.now();
    });
    await forecaster.page.waitForFunction((t) => window.playground.app.forecastView?.started > t, done);
    await forecaster.page.locator('[data-panel=forecast]').screenshot({ path: `${out}/${name}.png` });
    await forecaster.page.close();
  }
  console.log(`screenshots in ${out}`);
} finally {
  await harness.close();
}
