// A soak test in headless Chromium (a script, not part of CI): for a fixed time (10
// minutes by default) the page builds a model, trains it, predicts with it, exports and
// imports it (and tries three broken files), and disposes of it, over and over, through
// the JavaScript API and its worker. Every 30 seconds it
// records the engine's heap in use, WebAssembly memory size, the page's JavaScript heap
// and the time per round; at the end it prints them and whether memory stayed flat and
// nothing slowed down. Usage: node scripts/soak.mjs [minutes] [--page]
// With --page the rounds go through the playground page instead: switch between the small
// 2D preset and the MNIST MLP preset, train (one epoch of MNIST, 40 of the circle) with
// every view updating, and reset.
import { startHarness } from '../tests/browser/harness.mjs';

const minutes = Number(process.argv[2] ?? 10);
const throughPage = process.argv.includes('--page');
const harness = await startHarness(['--enable-precise-memory-info']);
const browser = harness.browser;
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
await page.goto(harness.url);
await page.waitForFunction(() => window.playground?.state === 'ready', null, { timeout: 60000 });

const samples = await page.evaluate(
  async ({ durationMs, usePage }) => {
    const dl = await import('/lib/index.js');
    await dl.ready();
    const n = 512;
    const x = Float32Array.from({ length: n * 784 }, (_, i) => ((i * 2654435761) % 256) / 255);
    const labels = Float32Array.from({ length: n }, (_, i) => i % 10);
    const out = [];
    const start = performance.now();
    let windowStart = start;
    let rounds = 0;
    let total = 0;
    let acceptedBroken = 0;
    // One round through the API: build a small MLP or CNN, train 512 images, predict, dispose.
    const apiRound = async (round) => {
      const cnn = round % 2 === 1;
      const model = dl.sequential({
        seed: round,
        layers: cnn
          ? [
              dl.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
              dl.layers.maxPooling2d({ poolSize: 2 }),
              dl.layers.flatten(),
              dl.layers.dense({ units: 10, activation: 'softmax' }),
            ]
          : [
              dl.layers.flatten({ inputShape: [28, 28, 1] }),
              dl.layers.dense({ units: 64, activation: 'relu' }),
              dl.layers.dense({ units: 10, activation: 'softmax' }),
            ],
      });
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const tx = dl.tensor(x, [n, 28, 28, 1]);
      const ty = dl.tensor(labels, [n]);
      await model.fit(tx, ty, { epochs: 1, batchSize: 32 });
      await model.predictValues(tx);
      // Imports: the trained model back from its own files, and three files the importer
      // refuses (an unknown activation, a class name every object has, cut weights).
      const artifacts = await dl.io.exportModel(model);
      const json = dl.io.modelJson(artifacts);
      const copy = await dl.io.importModel({ modelJson: json, weights: artifacts.weightData });
      await copy.predictValues(tx);
      await copy.dispose();
      for (const [modelJson, weights] of [
        [json.replace('"relu"', '"wobble"'), artifacts.weightData],
        [json.replace('"Dense"', '"toString"'), artifacts.weightData],
        [json, artifacts.weightData.slice(0, 100)],
      ])
        await dl.io.importModel({ modelJson, weights }).then(
          () => (acceptedBroken += 1),
          () => {},
        );
      await model.dispose();
      tx.dispose();
      ty.dispose();
    };
    // One round through the page's own playground, as a user would drive it.
    const pageRound = async (round) => {
      const app = window.playground.app;
      await app.usePreset(round % 2 === 0 ? 'small' : 'mlp');
      const done = new Promise((resolve) => {
        const listener = (e) => {
          if (e.detail.state !== 'done') return;
          app.removeEventListener('train-state', listener);
          resolve();
        };
        app.addEventListener('train-state', listener);
      });
      await app.train();
      await done;
      await app.reset();
    };
    while (performance.now() - start < durationMs) {
      await (usePage ? pageRound : apiRound)(total);
      rounds += 1;
      total += 1;
      // Through the page, memory is read after a round of the small preset (odd counts),
      // so that every sample sees the same data set loaded.
      const comparable = !usePage || total % 2 === 1;
      if (comparable && performance.now() - windowStart >= 30000) {
        const memory = await dl.engineMemory();
        out.push({
          minute: (performance.now() - start) / 60000,
          rounds,
          msPerRound: (performance.now() - windowStart) / rounds,
          heapInUseMb: memory.heapInUse / 2 ** 20,
          wasmMemoryMb: memory.heapSize / 2 ** 20,
          jsHeapMb: (performance.memory?.usedJSHeapSize ?? 0) / 2 ** 20,
        });
        windowStart = performance.now();
        rounds = 0;
      }
    }
    return { samples: out, total, acceptedBroken };
  },
  { durationMs: minutes * 60000, usePage: throughPage },
  { timeout: minutes * 60000 + 300000 },
);
if (samples.acceptedBroken) errors.push(`${samples.acceptedBroken} broken model files were accepted`);

await harness.close();

console.log(
  throughPage
    ? `soak: ${samples.total} rounds through the page (preset, train with the views, reset) in ${minutes} minutes`
    : `soak: ${samples.total} rounds (build, train 512 images, predict, export and import, dispose) in ${minutes} minutes`,
);
console.log('minute   ms/round   engine heap MB   wasm memory MB   JS heap MB');
for (const s of samples.samples)
  console.log(
    `${s.minute.toFixed(1).padStart(6)}   ${s.msPerRound.toFixed(0).padStart(8)}   ${s.heapInUseMb.toFixed(2).padStart(14)}   ${s.wasmMemoryMb.toFixed(1).padStart(14)}   ${s.jsHeapMb.toFixed(1).padStart(10)}`,
  );
// Compare the first and last thirds by their medians: single 30-second windows vary by
// 20% or more on a shared machine.
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const third = Math.max(1, Math.floor(samples.samples.length / 3));
const head = samples.samples.slice(0, third);
const tail = samples.samples.slice(-third);
const flat =
  Math.abs(median(tail.map((s) => s.heapInUseMb)) - median(head.map((s) => s.heapInUseMb))) < 1 &&
  tail.at(-1).wasmMemoryMb <= head[0].wasmMemoryMb + 1;
const steady = median(tail.map((s) => s.msPerRound)) < median(head.map((s) => s.msPerRound)) * 1.25;
console.log(`memory flat: ${flat}; no slowdown: ${steady}; page errors: ${errors.length}`);
process.exit(flat && steady && errors.length === 0 ? 0 : 1);
