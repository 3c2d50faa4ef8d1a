// TensorFlow.js' core API in headless Chromium, with the engine in its Web Worker: the
// guide's curve fit by optimizer.minimize and gradients by dl.grads give the same numbers
// as in Node (where the engine runs in the test's thread), errors come where TensorFlow.js
// gives them, and the page's tensors are all freed after.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { loadApi } from '../node/engine.mjs';
import { openPage, startHarness } from './harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

// Runs in the page and in Node alike: dl is the library's module.
async function program(dl) {
  // A variable outlives tidy; its initial value does not.
  const [a, b, c] = [0.3, -0.2, 0.9].map((v, i) => dl.tidy(() => dl.variable(dl.scalar(v), true, `curve${i}`)));
  const f = (x) => a.mul(x.square()).add(b.mul(x)).add(c);
  const optimizer = dl.train.adam(0.1);
  const xs = dl.tensor1d([-1, -0.5, 0, 0.5, 1]);
  const ys = dl.tensor1d([3.1, 1.4, 0.8, 1.1, 2.6]);
  const losses = [];
  for (let i = 0; i < 100; i++) {
    const cost = optimizer.minimize(() => f(xs).sub(ys).square().mean(), true);
    losses.push(cost);
  }
  const lossValues = await Promise.all(losses.map(async (t) => (await t.data())[0]));
  const coefficients = await Promise.all([a, b, c].map(async (v) => (await v.data())[0]));
  const x = dl.tensor([-1.5, 0.25, 2, -0.75, 1, 3], [2, 3]);
  const w = dl.tensor([0.5, -1, 2, 0.25, 1.5, -0.5], [3, 2]);
  const gradients = dl.grads((p, q) => p.matMul(q).relu().square().mean())([x, w]);
  const grads = await Promise.all(gradients.map(async (g) => Array.from(await g.data())));
  let unconnected = null;
  try {
    dl.grad(() => dl.scalar(1))(x);
  } catch (error) {
    unconnected = error.message;
  }
  // Ops made before a gradient (still running in a worker) are not part of it; an op made
  // before an assign reads the old value.
  const three = dl.tensor([1, 2, 3]);
  const z = three.square();
  const dz = dl.grad((t) => t.mul(z).sum())(three);
  const [start, next] = [dl.tensor([1, 2, 3]), dl.tensor([7, 8, 9])];
  const held = dl.variable(start, true, 'held');
  const read = held.add(0);
  held.assign(next);
  const order = {
    dz: Array.from(await dz.data()),
    read: Array.from(await read.data()),
    now: Array.from(await held.data()),
  };
  dl.dispose([three, z, dz, held, read, start, next]);
  // Refused at once where the engine runs in this thread, by data() in a worker.
  let badLabel = null;
  const labels = dl.tensor([5], [1], 'int32');
  let rows = null;
  try {
    rows = dl.oneHot(labels, 3);
    await rows.data();
  } catch (error) {
    badLabel = error.message;
  } finally {
    dl.dispose(rows);
  }
  dl.dispose([a, b, c, xs, ys, x, w, losses, gradients, labels]);
  optimizer.dispose();
  return { lossValues, coefficients, grads, unconnected, badLabel, order, tensors: dl.memory().numTensors };
}

test('the core API through the worker: minimize and grads give Node’s numbers; errors where TensorFlow.js gives them', async () => {
  const { page, problems } = await openPage(harness, '?preset=small');
  await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 30000 });
  const inPage = await page.evaluate(
    `(async () => { const dl = await import('/lib/index.js'); const { mode } = await dl.ready(); return { mode, ...(await (${program.toString()})(dl)) }; })()`,
  );
  const dl = await loadApi();
  const before = dl.memory().numTensors;
  const inNode = await program(dl);
  assert.equal(inPage.mode, 'worker');
  inPage.lossValues.forEach((l, i) =>
    assert.ok(
      Math.abs(l - inNode.lossValues[i]) < 1e-5,
      `step ${i}: ${l} in the page, ${inNode.lossValues[i]} in Node`,
    ),
  );
  assert.ok(
    inPage.lossValues.at(-1) < inPage.lossValues[0] / 10,
    `the loss fell: ${inPage.lossValues[0]} -> ${inPage.lossValues.at(-1)}`,
  );
  assert.deepEqual(inPage.grads, inNode.grads);
  for (const run of [inPage, inNode]) assert.deepEqual(run.order, { dz: [1, 4, 9], read: [1, 2, 3], now: [7, 8, 9] });
  assert.match(inPage.unconnected, /grad: f's result does not depend on input 0/);
  assert.match(
    inPage.badLabel,
    /oneHot: label 5 at index 0 is outside the classes; expected a whole number from 0 to 2/,
  );
  assert.equal(inNode.tensors, before, 'every tensor the program made is freed');
  assert.deepEqual(problems, []);
});
