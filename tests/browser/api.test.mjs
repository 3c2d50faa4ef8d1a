// The JavaScript API in headless Chromium, with the engine in its module Web Worker:
// train, pause, step, change the learning rate, read activations, resume and stop, while
// a PerformanceObserver watches the page's main thread for long tasks.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openPage, startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

test('training through the worker can be paused, stepped, re-tuned, inspected and resumed without long tasks', async () => {
  // The page with its smallest preset, settled, so that only the API's own work is measured.
  const { page, problems } = await openPage(harness, '?preset=small');
  await page.waitForFunction(() => window.playground?.state === 'ready' && window.playground.app.model, null, {
    timeout: 30000,
  });
  const result = await page.evaluate(async () => {
    const dl = await import('/lib/index.js');
    const { mode, simd } = await dl.ready();
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const flat = (ws) => ws.flatMap((w) => Array.from(w.values));
    const waitFor = async (test) => {
      for (let i = 0; i < 400 && !test(); i++) await sleep(25);
    };

    const n = 6000;
    const x = new Float32Array(n * 2);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const k = i % 3;
      x[2 * i] = Math.cos(2.1 * k) + 0.3 * Math.sin(7.3 * i);
      x[2 * i + 1] = Math.sin(2.1 * k) + 0.3 * Math.cos(5.1 * i);
      y[i] = k;
    }
    const model = dl.sequential({
      seed: 2,
      layers: [
        dl.layers.dense({ units: 64, activation: 'relu', inputShape: [2] }),
        dl.layers.dense({ units: 64, activation: 'relu' }),
        dl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: dl.train.sgd(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const tx = dl.tensor(x, [n, 2]);
    const ty = dl.tensor(y, [n]);
    const probe = dl.tensor([[0.5, -0.5]]);

    const longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({
      type: 'longtask',
    });
    let batches = 0;
    let epochs = 0;
    let lastInfo = null;
    const fitting = model.fit(tx, ty, {
      epochs: 1000,
      batchSize: 8,
      callbacks: {
        onBatchEnd: (batch, logs, info) => {
          batches += 1;
          lastInfo = info;
        },
        onEpochEnd: () => (epochs += 1),
      },
    });
    await waitFor(() => batches > 50);
    await model.pause();
    await sleep(150);
    const atPause = batches;
    await sleep(200);
    const pausedHeld = batches === atPause;
    const stepEvent = await model.step();
    await model.step();
    await sleep(100);
    const stepped = batches - atPause;

    await model.setLearningRate(0);
    const before = flat(await model.getWeights());
    await model.step();
    const frozen = JSON.stringify(flat(await model.getWeights())) === JSON.stringify(before);
    const rate = await model.learningRate();
    await model.setLearningRate(0.05);
    const activations = await model.activations(probe);

    await model.resume();
    const resumedAt = batches;
    await sleep(1500);
    const afterResume = batches - resumedAt;
    model.stop();
    const history = await fitting;

    let workerError = null;
    try {
      await model.predict(dl.tensor([[1, 2, 3]])).data();
    } catch (e) {
      workerError = e instanceof Error ? e.message : `not an Error: ${e}`;
    }
    await model.dispose();
    [tx, ty, probe].forEach((t) => t.dispose());
    return {
      mode,
      simd,
      pausedHeld,
      stepped,
      stepLoss: stepEvent.logs.loss,
      frozen,
      rate,
      activationShapes: activations.map((a) => [a.layer, a.shape]),
      afterResume,
      epochsInHistory: history.history.loss.length,
      epochs,
      lastInfo,
      longTasks,
      workerError,
    };
  });
  assert.equal(result.mode, 'worker');
  assert.equal(result.simd, true, 'Chromium has WebAssembly SIMD, and the SIMD build was chosen');
  assert.ok(result.pausedHeld, 'no batch ran while paused');
  assert.equal(result.stepped, 2, 'two steps ran exactly two batches');
  assert.ok(Number.isFinite(result.stepLoss));
  assert.ok(result.frozen, 'with learning rate 0 a step leaves the weights unchanged');
  assert.equal(result.rate, 0);
  assert.deepEqual(result.activationShapes, [
    ['dense', [1, 64]],
    ['dense_1', [1, 64]],
    ['dense_2', [1, 3]],
  ]);
  assert.ok(result.afterResume > 100, `only ${result.afterResume} batches in 1.5 s after resume`);
  assert.ok(result.epochsInHistory >= 1);
  assert.ok(result.lastInfo.samplesPerSecond > 0 && result.lastInfo.batchMs > 0, JSON.stringify(result.lastInfo));
  assert.deepEqual(result.longTasks, [], 'no main-thread task of 50 ms or more while training');
  assert.match(result.workerError, /predict: x has shape \(1, 3\); the model expects \(None, 2\)/);
  assert.deepEqual(problems, []);
  await page.close();
});

// Runs `program` (the body of an async function given `tf`, returning a value) as a module
// in a fresh frame of the page, so that the library is loaded afresh and nothing has
// called ready(); resolves with what it returned, or {error}.
function inFreshFrame(page, program) {
  return page.evaluate(
    (source) =>
      new Promise((resolve) => {
        const frame = document.createElement('iframe');
        const done = ({ data, source: from }) => {
          if (from !== frame.contentWindow || !data?.frameResult) return;
          window.removeEventListener('message', done);
          resolve(data.frameResult);
        };
        window.addEventListener('message', done);
        frame.srcdoc = `<script type="module">
          const tf = await import('/lib/index.js');
          let result;
          try {
            result = await (async () => { ${source} })();
          } catch (e) {
            result = { error: e.message };
          }
          parent.postMessage({ frameResult: result }, '*');
        </script>`;
        document.body.append(frame);
      }),
    program,
  );
}

test('a TensorFlow.js program runs in a page without dl.ready(): the engine in the page’s thread, so predict(x).dataSync() reads at once; in a worker dataSync names data()', async () => {
  const { page, problems } = await openPage(harness, '?preset=small');
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  const result = await inFreshFrame(
    page,
    `
      const model = tf.sequential();
      model.add(tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }));
      model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
      model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const xs = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
      const labels = tf.tensor1d([0, 1, 1, 0], 'int32');
      const ys = tf.oneHot(labels, 2);
      const loadingBeforeFit = tf.memory().numTensors;
      await model.fit(xs, ys, { epochs: 300, batchSize: 4, verbose: 0 });
      const out = model.predict(xs);
      const synchronous = Array.from(out.dataSync());
      const classes = out.argMax(-1);
      const [loss, accuracy] = model.evaluate(xs, ys);
      const sums = out.sum(1);
      const program = {
        mode: (await tf.ready()).mode,
        loadingBeforeFit,
        shape: out.shape,
        dtype: classes.dtype,
        classes: await classes.array(),
        accuracy: (await accuracy.data())[0],
        loss: (await loss.data())[0],
        sums: await sums.array(),
        synchronous,
      };
      tf.dispose([xs, labels, ys, out, classes, loss, accuracy, sums]);
      program.left = tf.memory().numTensors;
      return program;
    `,
  );
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.mode, 'local');
  assert.equal(result.loadingBeforeFit, 3, 'the tensors made before fit (before the engine had loaded) are counted');
  assert.deepEqual(result.shape, [4, 2]);
  assert.equal(result.dtype, 'int32');
  assert.deepEqual(result.classes, [0, 1, 1, 0]);
  assert.equal(result.accuracy, 1);
  assert.ok(result.loss < 0.1, `loss ${result.loss}`);
  result.sums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5));
  assert.equal(result.synchronous.length, 8, 'dataSync read the predictions at once');
  result.sums.forEach((s, row) =>
    assert.ok(Math.abs(result.synchronous[2 * row] + result.synchronous[2 * row + 1] - s) < 1e-5),
  );
  assert.equal(result.left, 0);

  // With the engine in a Web Worker (ready({worker: true})), reads are promises and
  // dataSync says so.
  const inWorker = await inFreshFrame(
    page,
    `
      const { mode } = await tf.ready({ worker: true });
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
      const out = model.predict(tf.tensor2d([[1, 2], [3, 4]]));
      let syncError = null;
      try { out.dataSync(); } catch (e) { syncError = e.message; }
      return { mode, rows: (await out.array()).length, syncError };
    `,
  );
  assert.equal(inWorker.mode, 'worker');
  assert.equal(inWorker.rows, 2);
  assert.match(
    inWorker.syncError,
    /dataSync: the engine runs in a Web Worker here.*use await tensor\.data\(\) instead/,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test('weights through the worker: a write reaches the engine before the calls after it; reads, names and freezing work', async () => {
  const { page, problems } = await openPage(harness, '?preset=small');
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  const result = await page.evaluate(async () => {
    const dl = await import('/lib/index.js');
    await dl.ready();
    const x = dl.input({ shape: [2], name: 'x' });
    const hidden = dl.layers.dense({ units: 3, activation: 'tanh', name: 'hidden' });
    const out = dl.layers.dense({ units: 1, name: 'out' });
    const model = dl.model({ inputs: x, outputs: out.apply(hidden.apply(x)) });
    await model.build();
    const names = model.weights.map((w) => w.name);
    const point = dl.tensor([0.3, -0.2], [1, 2]);
    await point.data(); // (settled: a predict from it would be sent at once)
    // Written, then at once predicted from: the prediction must see the new weights.
    hidden.setWeights([dl.tensor([1, 0, 0, 0, 1, 0], [2, 3]), dl.tensor([0, 0, 0], [3])]);
    out.setWeights([dl.tensor([1, 1, 1], [3, 1]), dl.tensor([0.5], [1])]);
    const predicted = (await model.predict(point).data())[0];
    const kernel = Array.from(await hidden.getWeights()[0].data());
    hidden.trainable = false;
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit(dl.tensor([0, 1, 1, 0], [2, 2]), dl.tensor([1, -1], [2, 1]), { epochs: 2 });
    const frozen = Array.from(await hidden.getWeights()[0].data());
    const trained = Array.from(await out.getWeights()[0].data());
    await model.dispose();
    return { names, predicted, kernel, frozen, trained };
  });
  assert.deepEqual(result.names, ['hidden/kernel', 'hidden/bias', 'out/kernel', 'out/bias']);
  const expected = Math.tanh(0.3) + Math.tanh(-0.2) + 0.5;
  assert.ok(Math.abs(result.predicted - expected) < 1e-6, `predicted ${result.predicted}, expected ${expected}`);
  assert.deepEqual(result.kernel, [1, 0, 0, 0, 1, 0]);
  assert.deepEqual(result.frozen, result.kernel, 'the frozen layer kept its weights through fit');
  assert.notDeepEqual(result.trained, [1, 1, 1], 'the other layer trained');
  assert.deepEqual(problems, []);
  await page.close();
});
