// What a learner sees from the sequence presets, measured in the page in headless
// Chromium (issue: text and sequences in the page): the character LSTM's and the tiny
// GPT's validation loss per character after 1 and 5 minutes on the Bible and the share of
// real words in samples after 5 minutes; the word-language classifiers' held-out
// accuracy; addition's exact-match accuracy on held-out sums; the seeds' CNN on
// Fashion-MNIST after one epoch. Prints one line per figure.
//   node scripts/sequence_quality.mjs [--minutes 5] [only these: lm words addition fashion]
import { startHarness } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const minutesAt = args.indexOf('--minutes');
const MINUTES = minutesAt >= 0 ? Number(args.splice(minutesAt, 2)[1]) : 5;
const only = new Set(args);
const wanted = (name) => only.size === 0 || only.has(name);

const harness = await startHarness([], { hmr: false, watch: null });
const say = (line) => console.log(line);

async function open(query) {
  const page = await harness.browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(MINUTES * 60000 + 600000);
  await page.goto(new URL(`?${query}`, harness.url).href);
  await page.waitForFunction(() => window.playground?.state === 'ready' && window.playground.app.model);
  return page;
}

// Trains until paused, reading the latest validation loss at each mark (in minutes).
async function lossAt(page, marks) {
  await page.evaluate(() => {
    const app = window.playground.app;
    window.epochs = [];
    app.addEventListener('epoch', (e) => window.epochs.push({ at: performance.now(), loss: e.detail.logs.val_loss }));
    window.started = performance.now();
    return app.train();
  });
  const figures = [];
  for (const minutes of marks) {
    // (The harness limits one wait to two minutes: this waits in steps.)
    while ((await page.evaluate(() => performance.now() - window.started)) < minutes * 60000)
      await new Promise((resolve) => setTimeout(resolve, 2000));
    figures.push(await page.evaluate(() => ({ loss: window.epochs.at(-1)?.loss, epochs: window.epochs.length })));
  }
  await page.evaluate(() => window.playground.app.pause());
  return figures;
}

// Samples of 400 characters at temperature 0.8; the share of their words (runs of letters)
// that occur in the Bible.
async function realWords(page) {
  return page.evaluate(async () => {
    const app = window.playground.app;
    const { generate } = await import('/src/playground/sequence_text.js');
    const corpus = new Set();
    for (let s = 0; s < app.data.train.n; s += 1) {
      const window = app.data.vocabulary.decode(
        app.data.train.x.subarray(s * app.data.inSteps, (s + 1) * app.data.inSteps),
      );
      for (const w of window.split(/[^A-Za-z]+/).slice(1, -1)) corpus.add(w.toLowerCase());
    }
    const samples = [];
    for (const prompt of ['And God said', 'In the beginning', 'And the LORD'])
      samples.push(await generate(app.model, app, prompt, { count: 400, temperature: 0.8 }));
    const words = samples
      .join(' ')
      .split(/[^A-Za-z]+/)
      .filter((w) => w.length > 0);
    const real = words.filter((w) => corpus.has(w.toLowerCase())).length;
    return { share: real / words.length, words: words.length, sample: samples[0].slice(0, 200) };
  });
}

if (wanted('lm'))
  for (const preset of ['charLstm', 'tinyGpt']) {
    const page = await open(`preset=${preset}&epochs=1000`);
    const [one, five] = await lossAt(page, [1, MINUTES]);
    const words = await realWords(page);
    say(
      `${preset}: validation loss per character ${one.loss?.toFixed(3)} after 1 min (${one.epochs} epochs), ${five.loss?.toFixed(3)} after ${MINUTES} min (${five.epochs} epochs); real words in samples ${(100 * words.share).toFixed(1)}% of ${words.words}`,
    );
    say(`  sample: ${JSON.stringify(words.sample)}`);
    await page.close();
  }

// Trains a preset for its epochs and reads the test evaluation.
async function evaluated(query) {
  const page = await open(query);
  await page.evaluate(() => {
    const app = window.playground.app;
    const started = performance.now();
    app.addEventListener(
      'evaluated',
      (e) => (window.result = { ...e.detail, seconds: (performance.now() - started) / 1000 }),
    );
    app.train();
  });
  // (The harness limits one wait to two minutes: this waits in steps.)
  while (!(await page.evaluate(() => window.result))) await new Promise((resolve) => setTimeout(resolve, 2000));
  return { page, result: await page.evaluate(() => window.result) };
}

if (wanted('words'))
  for (const preset of ['wordGru', 'wordConv1d']) {
    const { page, result } = await evaluated(`preset=${preset}`);
    say(
      `${preset}: held-out accuracy ${(100 * result.accuracy).toFixed(1)}% over 7 languages (chance 14.3%) in ${result.seconds.toFixed(0)} s`,
    );
    await page.close();
  }

if (wanted('addition')) {
  const { page, result } = await evaluated('preset=addition');
  const exact = await page.evaluate(async () => {
    const app = window.playground.app;
    const d = app.data;
    const { tensor } = await import('/lib/index.js');
    const x = tensor(d.test.x, [d.test.n, d.inSteps]);
    const { values, shape } = await app.model.predictValues(x, { batchSize: 256 });
    x.dispose();
    const [n, steps, classes] = shape;
    let right = 0;
    for (let i = 0; i < n; i++) {
      let all = true;
      for (let t = 0; t < steps && all; t++) {
        const row = values.subarray((i * steps + t) * classes, (i * steps + t + 1) * classes);
        all = row.indexOf(Math.max(...row)) === d.test.y[i * steps + t];
      }
      right += all;
    }
    return right / n;
  });
  say(
    `addition (3 digits): exact-match accuracy on held-out sums ${(100 * exact).toFixed(1)}% (per digit ${(100 * result.accuracy).toFixed(1)}%) in ${result.seconds.toFixed(0)} s`,
  );
  await page.close();
}

if (wanted('fashion'))
  for (const data of ['fashion', 'fashionFull']) {
    const { page, result } = await evaluated(`preset=fashionCnn&data=${data}&epochs=1`);
    say(
      `Fashion-MNIST ${data === 'fashion' ? 'subset' : 'full'}, the seeds' CNN, one epoch: test accuracy ${(100 * result.accuracy).toFixed(1)}% in ${result.seconds.toFixed(0)} s`,
    );
    await page.close();
  }

await harness.close();
