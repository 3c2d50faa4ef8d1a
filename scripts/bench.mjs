// `npm run bench`: our engine against its ceiling and its peers, in one run on one machine.
// Prints a table; with --json, one JSON object (keys as the speed issue lists them).
// Figures are medians of several timings after a warm-up.
//
//   peak_gflops   the 128-bit multiply-add ceiling (native program, tools/bench_native.cpp)
//   gemm          square SGEMM GFLOP/s: ours in WebAssembly (Node), Eigen -O3 -msse4.2 native
//   train         samples/s on real MNIST for the classic MLP and CNN: ours (WebAssembly in
//                 Node), TensorFlow.js wasm and cpu backends, ConvNetJS
//   infer         latency of one image and time for 1,000, ours and TensorFlow.js wasm
//   memory        peak WebAssembly memory while training each model (a fresh engine each)
//   browser       training samples/s in headless Chromium, ours (worker, one core) and TensorFlow.js wasm
//   sequences     tokens/s of a char-LSTM and a tiny GPT: ours, TensorFlow.js, PyTorch (bench_sequences.mjs)
//   parallel      training samples/s in headless Chromium with batches split among 1, 2, ...
//                 engines (Web Workers; the page has no cross-origin isolation), tokens/s for
//                 the sequence models, and parallel_ceiling: how much two busy workers get
//                 from the machine then
//   core          the core API: an MLP by minimize against fit and TF.js; ops (bench_core.mjs)
// Alone: --sequences, --browser (Chromium's rows), --views, --embed, --core. Search: bench_search.mjs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import { Core } from '../web/lib/core.js';
import { loadEngineModule } from '../web/lib/engine_loader.js';
import { loadBenchModule } from './bench_module.mjs';

import { startHarness } from '../tests/browser/harness.mjs';
import { embedTable, embedding } from './bench_embed.mjs';
import { benchText, sequenceRows, sequenceTable } from './bench_sequences.mjs';
import { coreRows, coreTable } from './bench_core.mjs';
import { RESIDUAL, benchModel, flopsPerSample, residualNet } from '../web/src/bench/bench_models.js';
import * as dl from '../web/lib/index.js';
import { setCatalog } from '../web/lib/catalog.js';
import { allViewsCosts, viewsTable } from './bench_views.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);
const asJson = process.argv.includes('--json');
const log = (...args) => (asJson ? console.error(...args) : console.log(...args));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const now = () => performance.now();

// The seeds' MLP and CNN, from the engine's catalog.
setCatalog(new Core(await loadEngineModule()).catalog());
const MLP = benchModel('mlp');
const CNN = benchModel('cnn');
// The residual model's graph, as the functional API describes it to the engine.
const RESNET = { ...RESIDUAL, description: residualNet(dl).description() };

function loadSubset(split) {
  const dir = `${root}web/public/data/mnist-subset/`;
  const images = new Uint8Array(gunzipSync(readFileSync(`${dir}${split}-images-u8.gz.bin`)));
  const labels = new Uint8Array(gunzipSync(readFileSync(`${dir}${split}-labels-u8.gz.bin`)));
  const x = Float32Array.from(images, (p) => p / 255);
  const y = new Float32Array(labels.length * 10);
  labels.forEach((l, i) => (y[i * 10 + l] = 1));
  return { x, y, labels, n: labels.length };
}

// ----- ours, through Core (the same code the worker runs), a fresh engine per model -----

// model: {layers} for a chain, or a graph's description.
async function ours(name, model, compile, batchSize, samples, data) {
  const core = new Core(await loadEngineModule());
  const n = samples;
  core.createTensor(1, [n, 28, 28, 1], data.x.subarray(0, n * 784));
  core.createTensor(2, [n, 10], data.y.subarray(0, n * 10));
  core.createModel(3, { ...model, seed: 1 });
  core.compile(3, compile);
  const warm = Math.min(n, batchSize * 4);
  core.createTensor(4, [warm, 28, 28, 1], data.x.subarray(0, warm * 784));
  core.createTensor(5, [warm, 10], data.y.subarray(0, warm * 10));
  await core.fit(3, 4, 5, { epochs: 1, batchSize });
  const rates = [];
  for (let r = 0; r < 3; r++) {
    const start = now();
    await core.fit(3, 1, 2, { epochs: 1, batchSize, shuffle: true });
    rates.push(n / ((now() - start) / 1000));
  }
  const peakHeapMb = core.engine.HEAP8.length / (1 << 20);
  // Inference: one image, then 1,000.
  core.createTensor(6, [1, 28, 28, 1], data.x.subarray(0, 784));
  core.createTensor(7, [1000, 28, 28, 1], data.x.subarray(0, 1000 * 784));
  const one = [];
  for (let i = 0; i < 30; i++) {
    const start = now();
    core.predict(3, 6, 1);
    one.push(now() - start);
  }
  const thousand = [];
  for (let i = 0; i < 3; i++) {
    const start = now();
    core.predict(3, 7, 128);
    thousand.push(now() - start);
  }
  log(`  ours ${name}: ${median(rates).toFixed(0)} samples/s, peak memory ${peakHeapMb.toFixed(1)} MB`);
  return {
    samplesPerS: median(rates),
    peakHeapMb,
    oneMs: median(one),
    thousandMs: median(thousand),
    flops: flopsPerSample(core.multiplyAdds(3)),
  };
}

async function oursGemm() {
  const engine = await loadBenchModule();
  engine.measureSgemmGflops(256, 1.0, 1); // lets the WebAssembly compiler tier up
  return [64, 128, 256, 512].map((n) => ({ n, wasm_gflops: engine.measureSgemmGflops(n, 0.3, 5) }));
}

// ----- TensorFlow.js -----

async function tfjsPeer(backend, data) {
  const tf = require('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
  }
  await tf.setBackend(backend);
  await tf.ready();
  const build = (layers) => {
    const model = tf.sequential();
    for (const l of layers) {
      const { type, ...config } = l;
      model.add(tf.layers[type](config));
    }
    return model;
  };
  const result = {};
  for (const [name, layers, optimizer, batchSize, samples] of [
    ['mlp', MLP.layers, () => tf.train.adam(0.001), 32, backend === 'wasm' ? 4096 : 2048],
    ['cnn', CNN.layers, () => tf.train.adadelta(1.0), 128, 128],
  ]) {
    const model = build(layers);
    model.compile({ optimizer: optimizer(), loss: 'categoricalCrossentropy' });
    // The cpu backend is too slow for a full CNN batch of 128 in a benchmark: it is timed
    // on one batch of 8 (its per-sample cost hardly depends on the batch size).
    const slowCnn = name === 'cnn' && backend === 'cpu';
    const n = slowCnn ? 8 : samples;
    const size = slowCnn ? 8 : batchSize;
    const x = tf.tensor4d(data.x.subarray(0, n * 784), [n, 28, 28, 1]);
    const y = tf.tensor2d(data.y.subarray(0, n * 10), [n, 10]);
    try {
      await model.trainOnBatch(x.slice(0, Math.min(n, size)), y.slice(0, Math.min(n, size)));
      const rates = [];
      for (let r = 0; r < (slowCnn ? 1 : 3); r++) {
        const start = now();
        await model.fit(x, y, { epochs: 1, batchSize: size, shuffle: false, verbose: 0 });
        rates.push(n / ((now() - start) / 1000));
      }
      result[name] = { samplesPerS: median(rates) };
      if (backend === 'wasm') {
        const one = x.slice(0, 1);
        const many = tf.tensor4d(data.x.subarray(0, 1000 * 784), [1000, 28, 28, 1]);
        const times = [];
        for (let i = 0; i < 30; i++) {
          const start = now();
          model.predict(one).dataSync();
          times.push(now() - start);
        }
        const thousand = [];
        for (let i = 0; i < 3; i++) {
          const start = now();
          model.predict(many, { batchSize: 128 }).dataSync();
          thousand.push(now() - start);
        }
        result[name].oneMs = median(times);
        result[name].thousandMs = median(thousand);
        many.dispose();
      }
      log(`  TensorFlow.js ${backend} ${name}: ${median(rates).toFixed(1)} samples/s`);
    } catch (error) {
      result[name] = { samplesPerS: null, error: error.message.split('\n')[0] };
      log(`  TensorFlow.js ${backend} ${name}: cannot train (${result[name].error})`);
    }
    model.dispose();
    x.dispose();
    y.dispose();
  }
  return result;
}

// ----- ConvNetJS -----

function convnetjsPeer(data) {
  const convnetjs = require('convnetjs');
  const toVol = (i) => {
    const v = new convnetjs.Vol(28, 28, 1, 0);
    for (let p = 0; p < 784; p++) v.w[p] = data.x[i * 784 + p];
    return v;
  };
  const nets = {
    mlp: [
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'fc', num_neurons: 128, activation: 'relu' },
      { type: 'softmax', num_classes: 10 },
    ],
    cnn: [
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'conv', sx: 3, filters: 32, stride: 1, pad: 0, activation: 'relu' },
      { type: 'conv', sx: 3, filters: 64, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'dropout', drop_prob: 0.25 },
      { type: 'fc', num_neurons: 128, activation: 'relu' },
      { type: 'dropout', drop_prob: 0.5 },
      { type: 'softmax', num_classes: 10 },
    ],
  };
  const result = {};
  for (const [name, trainer, samples] of [
    ['mlp', { method: 'adam', batch_size: 32, learning_rate: 0.001 }, 2000],
    ['cnn', { method: 'adadelta', batch_size: 128, learning_rate: 1.0, ro: 0.95, eps: 1e-7 }, 48],
  ]) {
    const net = new convnetjs.Net();
    net.makeLayers(nets[name]);
    const t = new convnetjs.Trainer(net, trainer);
    const vols = Array.from({ length: samples }, (_, i) => toVol(i));
    t.train(vols[0], data.labels[0]);
    const start = now();
    vols.forEach((v, i) => t.train(v, data.labels[i]));
    result[name] = { samplesPerS: samples / ((now() - start) / 1000) };
    log(`  ConvNetJS ${name}: ${result[name].samplesPerS.toFixed(1)} samples/s`);
  }
  return result;
}

// ----- the browser -----

async function browser() {
  const harness = await startHarness();
  try {
    const page = await harness.browser.newPage();
    page.on('console', (m) => log(`  [page] ${m.text()}`));
    // Real text for the sequence models, as ids (the page cannot read Debian's files).
    await page.addInitScript((ids) => (window.benchIds = ids), Array.from(benchText(40000).ids));
    await page.goto(new URL('bench.html', harness.url).href);
    await page.waitForFunction(() => window.benchResult, null, { timeout: 900000 });
    return await page.evaluate(() => window.benchResult);
  } finally {
    await harness.close();
  }
}

// Batches split among engines in Chromium: samples/s (tokens/s for the sequence models)
// and each count's speed-up over one engine.
function parallelTable(parallel, ceiling) {
  const f = (v, digits = 1) => (v == null ? '—' : v.toFixed(digits));
  const one = new Map(parallel.filter((p) => p.workers === 1).map((p) => [p.model, p]));
  const rate = (p) => p.samples_per_s ?? p.tokens_per_s;
  return [
    '\nin headless Chromium, batches split among engines (Web Workers)',
    ...parallel.map(
      (p) =>
        `  ${p.model.padEnd(9)} ${String(p.workers).padStart(2)} engine(s)   ${f(rate(p), 0).padStart(8)} ${p.tokens_per_s ? 'tokens/s ' : 'samples/s'}   ${f(rate(p) / rate(one.get(p.model)), 2)}x`,
    ),
    `  two busy workers run ${f(ceiling, 2)} times one on this machine now`,
  ].join('\n');
}

// ----- the run -----

if (process.argv.includes('--views')) {
  const views = await allViewsCosts(log);
  console.log(asJson ? JSON.stringify({ views }) : viewsTable(views));
  process.exit(0);
}

if (process.argv.includes('--browser')) {
  const { browser: inBrowser, parallel, parallelCeiling } = await browser();
  console.log(
    asJson
      ? JSON.stringify({ browser: inBrowser, parallel, parallelCeiling })
      : parallelTable(parallel, parallelCeiling),
  );
  process.exit(0);
}

if (process.argv.includes('--embed')) {
  const embed = await embedding();
  console.log(asJson ? JSON.stringify({ embed }) : embedTable(embed));
  process.exit(0);
}

log('native: peak and Eigen SGEMM');
const native = JSON.parse(execFileSync(`${root}build/native/bench_native`, { encoding: 'utf8' }));
log(`  peak ${native.peak_gflops} GFLOP/s`);
if (process.argv.includes('--sequences')) {
  const sequences = await sequenceRows(log, native.peak_gflops);
  console.log(asJson ? JSON.stringify({ peak_gflops: native.peak_gflops, sequences }) : sequenceTable(sequences));
  process.exit(0);
}
log('ours: SGEMM in WebAssembly (Node)');
if (process.argv.includes('--core')) {
  const core = await coreRows(log, loadSubset('train'));
  process.exit(console.log(asJson ? JSON.stringify({ core }) : coreTable(core)) ?? 0);
}
const wasmGemm = await oursGemm();
const data = loadSubset('train');
log('training and inference on MNIST');
const oursMlp = await ours('mlp', { layers: MLP.layers }, MLP.compile, MLP.batchSize, 10000, data);
const oursCnn = await ours('cnn', { layers: CNN.layers }, CNN.compile, CNN.batchSize, 1280, data);
const oursResnet = await ours('resnet', RESNET.description, RESNET.compile, RESNET.batchSize, 768, data);
const tfWasm = await tfjsPeer('wasm', data);
const tfCpu = await tfjsPeer('cpu', data);
const convnet = convnetjsPeer(data);
const sequences = await sequenceRows(log, native.peak_gflops);
const core = await coreRows(log, data);
log('headless Chromium');
const { browser: inBrowser, parallel, parallelCeiling } = await browser();
log('the page while a 2D set trains');
const views = await allViewsCosts(log);
log('embedding: the static build');
const embed = await embedding();

const flops = { mlp: oursMlp.flops, cnn: oursCnn.flops, resnet: oursResnet.flops };
const oursBy = { mlp: oursMlp, cnn: oursCnn, resnet: oursResnet };
// The residual model has no peers here: TensorFlow.js' wasm backend cannot train a Conv2D,
// its cpu backend takes minutes a batch, ConvNetJS has no skip connections.
const none = { samplesPerS: null };
tfWasm.resnet = { ...none, error: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'" };
tfCpu.resnet = none;
convnet.resnet = none;
const result = {
  peak_gflops: native.peak_gflops,
  gemm: wasmGemm.map((g, i) => ({
    ...g,
    native_sse_gflops: native.gemm[i].native_sse_gflops,
    native_ours_gflops: native.gemm[i].native_ours_gflops,
  })),
  train: ['mlp', 'cnn', 'resnet'].map((model) => {
    const ourRate = oursBy[model].samplesPerS;
    return {
      model,
      flops_per_sample: flops[model],
      ours_samples_per_s: ourRate,
      ours_effective_gflops: (ourRate * flops[model]) / 1e9,
      tfjs_wasm_samples_per_s: tfWasm[model].samplesPerS,
      tfjs_cpu_samples_per_s: tfCpu[model].samplesPerS,
      convnetjs_samples_per_s: convnet[model].samplesPerS,
      notes: [tfWasm[model].error && `tfjs wasm: ${tfWasm[model].error}`].filter(Boolean),
    };
  }),
  infer: ['mlp', 'cnn', 'resnet'].flatMap((model) => {
    const o = oursBy[model];
    return [
      { model, batch: 1, ours_ms: o.oneMs, tfjs_wasm_ms: tfWasm[model].oneMs ?? null },
      { model, batch: 1000, ours_ms: o.thousandMs, tfjs_wasm_ms: tfWasm[model].thousandMs ?? null },
    ];
  }),
  memory: [
    { model: 'mlp', peak_heap_mb: oursMlp.peakHeapMb },
    { model: 'cnn', peak_heap_mb: oursCnn.peakHeapMb },
    { model: 'resnet', peak_heap_mb: oursResnet.peakHeapMb },
  ],
  browser: inBrowser,
  parallel,
  parallel_ceiling: parallelCeiling,
  sequences,
  core,
  views,
  embed,
};

if (asJson) {
  console.log(JSON.stringify(result));
} else {
  const f = (v, digits = 1) => (v == null ? '—' : v.toFixed(digits));
  console.log(`\nceiling (128-bit mul+add, native): ${f(result.peak_gflops)} GFLOP/s`);
  console.log('\nSGEMM GFLOP/s        n   ours wasm   ours native   Eigen SSE');
  for (const g of result.gemm)
    console.log(
      `                  ${String(g.n).padStart(5)}   ${f(g.wasm_gflops).padStart(9)}   ${f(g.native_ours_gflops).padStart(11)}   ${f(g.native_sse_gflops).padStart(9)}`,
    );
  console.log('\ntraining samples/s   MFLOP/sample   ours (GFLOP/s)   tfjs wasm   tfjs cpu   ConvNetJS');
  for (const t of result.train)
    console.log(
      `  ${t.model.padEnd(6)}          ${f(t.flops_per_sample / 1e6).padStart(10)}   ${f(t.ours_samples_per_s, 0).padStart(7)} (${f(t.ours_effective_gflops)})   ${f(t.tfjs_wasm_samples_per_s).padStart(9)}   ${f(t.tfjs_cpu_samples_per_s).padStart(8)}   ${f(t.convnetjs_samples_per_s).padStart(9)}`,
    );
  console.log('\ninference ms      batch   ours   tfjs wasm');
  for (const i of result.infer)
    console.log(
      `  ${i.model.padEnd(6)}       ${String(i.batch).padStart(6)}   ${f(i.ours_ms, 2).padStart(6)}   ${f(i.tfjs_wasm_ms, 2).padStart(9)}`,
    );
  console.log('\npeak WebAssembly memory while training (MB)');
  for (const m of result.memory) console.log(`  ${m.model.padEnd(6)} ${f(m.peak_heap_mb)}`);
  console.log('\nin headless Chromium, training samples/s   ours   tfjs wasm');
  for (const b of result.browser)
    console.log(
      `  ${b.model.padEnd(6)}                            ${f(b.ours_samples_per_s, 0).padStart(6)}   ${f(b.tfjs_wasm_samples_per_s).padStart(9)}`,
    );
  console.log(parallelTable(result.parallel, result.parallel_ceiling));
  console.log(sequenceTable(result.sequences));
  console.log(coreTable(result.core));
  console.log(viewsTable(result.views));
  console.log(embedTable(result.embed));
}
process.exit(0);
