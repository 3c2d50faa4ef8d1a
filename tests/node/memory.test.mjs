// Engine memory: disposing returns it, and the FinalizationRegistry frees what the
// program forgot to dispose once the garbage collector takes the JavaScript objects.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';

import { loadApi } from './engine.mjs';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc');

let dl;
before(async () => {
  dl = await loadApi();
});

const MB = 1 << 20;

async function cycle(seed) {
  const model = dl.sequential({
    seed,
    layers: [
      dl.layers.dense({ units: 32, activation: 'relu', inputShape: [20] }),
      dl.layers.dropout({ rate: 0.2 }),
      dl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const n = 64;
  const x = dl.tensor(
    Float32Array.from({ length: n * 20 }, (_, i) => Math.sin(i * 0.37 + seed)),
    [n, 20],
  );
  const y = dl.tensor(
    Float32Array.from({ length: n }, (_, i) => i % 4),
    [n],
  );
  await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.25 });
  const p = model.predict(x);
  await p.data();
  dl.dispose([p, model.evaluate(x, y)]);
  await model.activations(x);
  await model.dispose();
  x.dispose();
  y.dispose();
}

test('200 models created, trained, used and disposed leave the heap where it started (within 1 MB)', async () => {
  await cycle(0);
  const start = (await dl.engineMemory()).heapInUse;
  for (let i = 1; i <= 200; i++) await cycle(i);
  const end = (await dl.engineMemory()).heapInUse;
  assert.ok(Math.abs(end - start) < MB, `heap in use went from ${start} to ${end} bytes`);
  // The check can fail: a model left undisposed is seen.
  const leaked = dl.sequential({ layers: [dl.layers.dense({ units: 512, inputShape: [512] })] });
  await leaked.build();
  assert.ok((await dl.engineMemory()).heapInUse - end > MB, 'a 1 MB model shows in heapInUse');
  await leaked.dispose();
});

test('objects dropped without dispose() are freed after garbage collection', async () => {
  const start = (await dl.engineMemory()).heapInUse;
  await (async () => {
    const model = dl.sequential({ layers: [dl.layers.dense({ units: 512, inputShape: [512] })] });
    await model.build();
    dl.tensor(new Float32Array(512 * 512), [512, 512]);
  })();
  await new Promise((r) => setTimeout(r, 10));
  assert.ok((await dl.engineMemory()).heapInUse - start > 2 * MB, 'model and tensor were allocated');
  for (let i = 0; i < 20 && (await dl.engineMemory()).heapInUse - start > MB; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  const end = (await dl.engineMemory()).heapInUse;
  assert.ok(end - start < MB, `heap in use went from ${start} to ${end} bytes`);
});

// Each kind of refused engine call once: a model with an unknown activation, a compile
// with an unknown loss, a tensor with a bad shape, a fit with a bad option.
async function refusals(seed) {
  const refused = async (promise) =>
    assert.ok(
      (await promise.then(
        () => null,
        (e) => e,
      )) instanceof Error,
    );
  const bad = dl.sequential({ seed, layers: [dl.layers.dense({ units: 3, activation: 'wobble', inputShape: [4] })] });
  await refused(bad.build());
  await bad.dispose();
  const model = dl.sequential({ seed, layers: [dl.layers.dense({ units: 2, inputShape: [4] })] });
  await model.build();
  await refused(Promise.resolve().then(() => model.compile({ optimizer: 'adam', loss: `wobble_${seed}` })));
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = dl.tensor(new Float32Array(8), [2, 4]);
  const y = dl.tensor(new Float32Array(6), [2, 3]);
  await refused(model.fit(x, y, { epochs: 1 }));
  await refused(Promise.resolve().then(() => dl.tensor(new Float32Array(3), [0, 3])));
  await model.dispose();
  x.dispose();
  y.dispose();
}

test('refused models, compiles, fits and tensors leave nothing behind in the engine', async () => {
  await refusals(0);
  const start = (await dl.engineMemory()).heapInUse;
  for (let i = 1; i <= 300; i++) await refusals(i);
  const end = (await dl.engineMemory()).heapInUse;
  assert.ok(end - start < 1024, `after 300 rounds of refused calls the heap in use went from ${start} to ${end} bytes`);
});
