// The browser half of `npm run bench`: training throughput of our engine (through the
// API, in its Web Worker, on one core) and of TensorFlow.js' wasm backend (on this page),
// each after a warm-up so that WebAssembly has tiered up; then ours with its batches split
// among 1, 2, ... engines (Web Workers, on a page without cross-origin isolation), and how
// much two busy workers get from this machine at the moment (its parallel ceiling); the
// sequence models (char-LSTM, tiny GPT) split likewise, in tokens/s. The
// result goes to window.benchResult: {browser, parallel, parallelCeiling}.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

import * as dl from '../../lib/layers_api.js';
import { RESIDUAL, SEQUENCE, benchModel, charLstm, residualNet, tinyGpt } from './bench_models.js';

const print = (text) => {
  document.getElementById('log').textContent += `${text}\n`;
  console.log(text);
};

async function data(n) {
  const mnist = await dl.data.loadMnist({ baseUrl: 'data/mnist-subset/' });
  const x = Float32Array.from(mnist.train.images.subarray(0, n * 784), (p) => p / 255);
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + mnist.train.labels[i]] = 1;
  return { x, y };
}

// spec: {layers} for a chain, or {make} giving a graph model.
const modelOf = (spec) => spec.make?.() ?? dl.sequential({ seed: 1, layers: spec.layers.map((l) => ({ ...l })) });

async function ours(spec, compile, batchSize, n, d) {
  const model = modelOf(spec);
  model.compile(compile);
  const x = dl.tensor(d.x.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = dl.tensor(d.y.subarray(0, n * 10), [n, 10]);
  await model.fit(x, y, { epochs: 1, batchSize, workers: 1 });
  const rates = [];
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize, workers: 1 });
    rates.push(n / ((performance.now() - start) / 1000));
  }
  await model.dispose();
  x.dispose();
  y.dispose();
  return rates.sort((a, b) => a - b)[1];
}

// One model trained with its batches split among each count of engines in turn (1, 2,
// ...), round after round, so that a change in the machine's speed during the run
// touches every count alike: the median samples/s of each count.
async function oursSplit(spec, n, d, counts, rounds = 3) {
  const model = modelOf(spec);
  model.compile(spec.compile);
  // (Tensors given, the sequences' windows, stay the caller's.)
  const given = d.x instanceof dl.Tensor;
  const x = given ? d.x : dl.tensor(d.x.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = given ? d.y : dl.tensor(d.y.subarray(0, n * 10), [n, 10]);
  const fit = (workers) =>
    model.fit(x, y, { epochs: 1, batchSize: spec.batchSize, workers, splitBatches: workers > 1 ? 'always' : 'never' });
  for (const workers of counts) await fit(workers); // warm-up: helpers built, code tiered up
  const rates = counts.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (const [k, workers] of counts.entries()) {
      const start = performance.now();
      await fit(workers);
      rates[k].push(n / ((performance.now() - start) / 1000));
    }
  await model.dispose();
  if (!given) dl.dispose([x, y]);
  return rates.map((v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]);
}

async function tfjs(layers, optimizer, batchSize, n, d) {
  const model = tf.sequential();
  for (const { type, ...config } of layers) model.add(tf.layers[type](config));
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(d.x.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = tf.tensor2d(d.y.subarray(0, n * 10), [n, 10]);
  try {
    await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
    const rates = [];
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
      rates.push(n / ((performance.now() - start) / 1000));
    }
    return rates.sort((a, b) => a - b)[1];
  } catch (error) {
    print(`TensorFlow.js wasm cannot train it: ${error.message.split('\n')[0]}`);
    return null;
  } finally {
    model.dispose();
    x.dispose();
    y.dispose();
  }
}

async function run() {
  await dl.ready();
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainWasm,
    'tfjs-backend-wasm-simd.wasm': simdWasm,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
  });
  await tf.setBackend('wasm');
  const d = await data(4096);
  const result = [];
  const mlp = benchModel('mlp');
  const cnn = benchModel('cnn');
  const mlpOurs = await ours(mlp, mlp.compile, mlp.batchSize, 4096, d);
  const mlpTf = await tfjs(mlp.layers, tf.train.adam(0.001), mlp.batchSize, 4096, d);
  print(`mlp: ours ${mlpOurs.toFixed(0)}, tfjs wasm ${mlpTf?.toFixed(0)} samples/s`);
  result.push({ model: 'mlp', ours_samples_per_s: mlpOurs, tfjs_wasm_samples_per_s: mlpTf });
  const cnnOurs = await ours(cnn, cnn.compile, cnn.batchSize, 768, d);
  const cnnTf = await tfjs(cnn.layers, tf.train.adadelta(1.0), cnn.batchSize, 128, d);
  print(`cnn: ours ${cnnOurs.toFixed(0)}, tfjs wasm ${cnnTf?.toFixed(0) ?? 'cannot train'} samples/s`);
  result.push({ model: 'cnn', ours_samples_per_s: cnnOurs, tfjs_wasm_samples_per_s: cnnTf });
  // The residual model (no TensorFlow.js figure: its wasm backend cannot train a Conv2D).
  const resnet = { ...RESIDUAL, make: () => residualNet(dl) };
  const resnetOurs = await ours(resnet, resnet.compile, resnet.batchSize, 512, d);
  print(`resnet: ours ${resnetOurs.toFixed(0)} samples/s`);
  result.push({ model: 'resnet', ours_samples_per_s: resnetOurs, tfjs_wasm_samples_per_s: null });
  const parallel = [];
  const engines = (await dl.ready()).workers;
  for (const [name, spec, n] of [
    ['mlp', mlp, 4096],
    ['cnn', cnn, 768],
    ['resnet', resnet, 512],
  ]) {
    const counts = Array.from({ length: Math.max(2, engines) }, (_, k) => k + 1);
    const rates = await oursSplit(spec, n, d, counts);
    counts.forEach((workers, k) => {
      print(`${name} on ${workers} engine(s): ${rates[k].toFixed(0)} samples/s`);
      parallel.push({ model: name, workers, samples_per_s: rates[k] });
    });
  }
  // The sequence models on real text (window.benchIds, set by scripts/bench.mjs): tokens/s.
  const ids = window.benchIds ?? [];
  const windows = 12 * SEQUENCE.batchSize;
  if (ids.length > windows * SEQUENCE.steps) {
    const T = SEQUENCE.steps;
    const x = dl.tensor(
      Float32Array.from({ length: windows * T }, (_, i) => ids[i]),
      [windows, T],
    );
    const y = dl.tensor(
      Float32Array.from({ length: windows * T }, (_, i) => ids[i + 1]),
      [windows, T],
    );
    for (const [name, make] of [
      ['char_lstm', charLstm],
      ['tiny_gpt', tinyGpt],
    ]) {
      const spec = {
        make: () => make(dl),
        compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' },
        batchSize: SEQUENCE.batchSize,
      };
      const counts = Array.from({ length: Math.max(2, engines) }, (_, k) => k + 1);
      const rates = await oursSplit(spec, windows, { x, y }, counts);
      counts.forEach((workers, k) => {
        print(`${name} on ${workers} engine(s): ${(rates[k] * T).toFixed(0)} tokens/s`);
        parallel.push({ model: name, workers, tokens_per_s: rates[k] * T });
      });
    }
    x.dispose();
    y.dispose();
  }
  const parallelCeiling = await busyWorkers();
  print(`two busy workers run ${parallelCeiling.toFixed(2)} times one`);
  window.benchResult = { browser: result, parallel, parallelCeiling };
}

// How much faster two Web Workers finish two equal pieces of arithmetic than one finishes
// one: 2 on two free cores, less where the cores are shared (virtual machines, SMT).
async function busyWorkers() {
  const source = `onmessage = ({ data: n }) => { const t = performance.now(); let s = 0;
    for (let i = 0; i < n; i++) s += Math.sqrt(i + s * 1e-9); postMessage([performance.now() - t, s]); };`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const workers = [new Worker(url), new Worker(url)];
  const run = (w, n) => new Promise((resolve) => ((w.onmessage = ({ data }) => resolve(data[0])), w.postMessage(n)));
  await Promise.all(workers.map((w) => run(w, 2e6)));
  const one = await run(workers[0], 2e7);
  const start = performance.now();
  await Promise.all(workers.map((w) => run(w, 2e7)));
  const two = performance.now() - start;
  workers.forEach((w) => w.terminate());
  return (2 * one) / two;
}

run().catch((error) => {
  print(`benchmark failed: ${error.message}`);
  window.benchResult = { browser: [{ model: 'error', error: error.message }], parallel: [] };
});
