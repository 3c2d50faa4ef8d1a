// Layers written in JavaScript in headless Chromium. With the engine in the page's thread
// (ready({worker: false})) a Sequential and a graph holding one train, save and load
// again with the same outputs; in the playground's default worker mode, making such a
// model is refused with an error that says how, and the page keeps working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openPlayground, startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

// Runs in the page: dl is the library's module. Returns what the test checks.
async function program(dl) {
  class Scale extends dl.layers.Layer {
    build(inputShape) {
      this.scale = this.addWeight('scale', [inputShape[inputShape.length - 1]], 'float32', dl.initializers.ones());
    }
    call(inputs) {
      return dl.tidy(() => (Array.isArray(inputs) ? inputs[0] : inputs).mul(this.scale.read()));
    }
    static get className() {
      return 'PageScale';
    }
  }
  dl.serialization.registerClass(Scale);
  const xs = dl.tensor(
    Array.from({ length: 64 * 4 }, (_, i) => Math.sin(i * 0.37)),
    [64, 4],
  );
  const labels = Array.from({ length: 64 }, (_, i) => (Math.sin(i * 1.48) > 0 ? 1 : 0));
  const ys = dl.oneHot(dl.tensor1d(labels, 'int32'), 2);
  const sequential = dl.sequential();
  sequential.add(dl.layers.dense({ units: 8, activation: 'tanh', inputShape: [4] }));
  sequential.add(new Scale());
  sequential.add(dl.layers.dense({ units: 2, activation: 'softmax' }));
  const input = dl.input({ shape: [4] });
  const hidden = new Scale({ name: 'graph_scale' }).apply(
    dl.layers.dense({ units: 8, activation: 'relu' }).apply(input),
  );
  const graph = dl.model({
    inputs: input,
    outputs: dl.layers.dense({ units: 2, activation: 'softmax' }).apply(hidden),
  });
  const out = {};
  for (const [name, model] of Object.entries({ sequential, graph })) {
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(xs, ys, { epochs: 8, batchSize: 16 });
    let saved = null;
    await model.save(dl.io.withSaveHandler(async (artifacts) => void (saved = artifacts)));
    const loaded = await dl.loadLayersModel(dl.io.fromMemory(saved));
    const [a, b] = [model.predict(xs), loaded.predict(xs)];
    const [va, vb] = [await a.data(), await b.data()];
    out[name] = {
      loss: history.history.loss,
      gap: Math.max(...va.map((v, i) => Math.abs(v - vb[i]))),
      topology: saved.modelTopology.class_name,
    };
    dl.dispose([a, b]);
    loaded.dispose();
    model.dispose();
  }
  dl.dispose([xs, ys]);
  return out;
}

test('in a page with the engine in its thread, a Sequential and a graph of JavaScript layers train, save and load again', async () => {
  // A page without the playground, so that this program is the one that starts the engine
  // (the library's own file; a browser asks such a page for a favicon).
  const page = await harness.browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  await page.goto(new URL('lib/index.js', harness.url).href);
  const result = await page.evaluate(
    `(async () => { const dl = await import('/lib/index.js'); const { mode } = await dl.ready({ worker: false, engineUrl: new URL('/engine/', location.href).href }); return { mode, ...(await (${program.toString()})(dl)) }; })()`,
  );
  assert.equal(result.mode, 'local');
  for (const [name, topology] of [
    ['sequential', 'Sequential'],
    ['graph', 'Model'],
  ]) {
    const { loss, gap } = result[name];
    assert.equal(result[name].topology, topology);
    assert.ok(loss.at(-1) < loss[0], `${name}: the loss fell, ${loss}`);
    assert.ok(gap < 1e-6, `${name}: loaded, its outputs differ by ${gap}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('in the playground’s worker mode, a model with a JavaScript layer is refused, saying how; the page keeps working', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=small&epochs=5&speed=full');
  const messages = await page.evaluate(`(async () => {
    const dl = await import('/lib/index.js');
    class Twice extends dl.layers.Layer {
      call(inputs) { return (Array.isArray(inputs) ? inputs[0] : inputs).mul(2); }
      static get className() { return 'Twice'; }
    }
    const model = dl.sequential();
    model.add(dl.layers.dense({ units: 3, inputShape: [2] }));
    model.add(new Twice());
    const attempt = async (m) => {
      try {
        m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
        await m.fit(dl.zeros([4, 2]), dl.zeros([4, 3]));
        return 'trained';
      } catch (error) {
        return error.message;
      }
    };
    // And a graph whose JavaScript layer takes the input itself (its shape known at once).
    const x = dl.input({ shape: [2] });
    const graph = dl.model({ inputs: x, outputs: dl.layers.dense({ units: 3 }).apply(new Twice().apply(x)) });
    return [await attempt(model), await attempt(graph)];
  })()`);
  for (const message of messages)
    assert.match(
      message,
      /compile: a model with JavaScript layers needs the engine in this thread: call dl\.ready\(\{worker: false\}\)/,
    );
  // The page's own model still trains.
  await page.click('.btn-train');
  await page.waitForFunction(() => window.playground.app.trainState === 'done', null, { timeout: 60000 });
  assert.ok((await page.evaluate(() => window.playground.app.testAccuracy)) > 0.5);
  assert.deepEqual(problems, []);
  await page.close();
});
