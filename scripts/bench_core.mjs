// The core API's rows of `npm run bench` (alone: --core):
//   core_mlp   samples/s of the seeds' MLP (784-128-10, adam, batches of 32) on real MNIST
//              trained op by op with variables and optimizer.minimize, against the same MLP
//              trained by fit (the engine's fused path), and against TensorFlow.js' wasm
//              backend running the same minimize program (only the import differs)
//   core_ops   ms per op on large tensors (the result not read back): matMul 256x256, a
//              sum of 2^20 values, an element-wise add, a 3x3 conv2d of 32 28x28 images of 16
//              channels into 32, and a softmax of (1024, 1024); ours
//              and TensorFlow.js wasm
// Medians of several timings after a warm-up, in Node.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import * as dl from '../web/lib/index.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const now = () => performance.now();

// Starting weights both libraries share: a fixed pseudo-random sequence.
function weights(count, scale, seed) {
  let s = seed;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
}

// The minimize program, as a TensorFlow.js user writes it; lib: dl or tf.
function minimizeProgram(lib, data, batchSize) {
  const w1 = lib.variable(lib.tensor(weights(784 * 128, Math.sqrt(6 / 912), 1), [784, 128]));
  const b1 = lib.variable(lib.zeros([128]));
  const w2 = lib.variable(lib.tensor(weights(128 * 10, Math.sqrt(6 / 138), 2), [128, 10]));
  const b2 = lib.variable(lib.zeros([10]));
  const optimizer = lib.train.adam(0.001);
  const x = lib.tensor(data.x.subarray(0, data.n * 784), [data.n, 784]);
  const y = lib.tensor(data.y.subarray(0, data.n * 10), [data.n, 10]);
  const epoch = () => {
    for (let start = 0; start + batchSize <= data.n; start += batchSize)
      lib.tidy(() => {
        const xb = x.slice([start, 0], [batchSize, 784]);
        const yb = y.slice([start, 0], [batchSize, 10]);
        optimizer.minimize(() => {
          const logits = xb.matMul(w1).add(b1).relu().matMul(w2).add(b2);
          return lib.losses.softmaxCrossEntropy(yb, logits);
        });
      });
  };
  const done = () => lib.dispose([w1, b1, w2, b2, x, y]);
  return { epoch, done };
}

async function timeProgram(lib, data, runs) {
  const program = minimizeProgram(lib, data, 32);
  program.epoch();
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const start = now();
    program.epoch();
    await lib.tensor([0]).data();
    rates.push(data.n / ((now() - start) / 1000));
  }
  program.done();
  return median(rates);
}

async function fitRate(data) {
  const model = dl.sequential({
    layers: [
      dl.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
      dl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const x = dl.tensor(data.x.subarray(0, data.n * 784), [data.n, 784]);
  const y = dl.tensor(data.y.subarray(0, data.n * 10), [data.n, 10]);
  await model.fit(x, y, { epochs: 1, batchSize: 32 });
  const rates = [];
  for (let r = 0; r < 5; r++) {
    const start = now();
    await model.fit(x, y, { epochs: 1, batchSize: 32, shuffle: false });
    rates.push(data.n / ((now() - start) / 1000));
  }
  dl.dispose([x, y]);
  model.dispose();
  return median(rates);
}

// ms per call of op(lib) (a tensor), after a warm-up. Both engines run an op before it
// returns in Node, so the calls are timed without reading their results back.
async function timeOp(lib, make, op, repeats) {
  const inputs = make(lib);
  for (let i = 0; i < 10; i++) await op(lib, ...inputs).data();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const start = now();
    op(lib, ...inputs).dispose();
    times.push(now() - start);
  }
  lib.dispose(inputs);
  return median(times);
}

const OPS = [
  [
    'matMul 256',
    (lib) => [lib.tensor(weights(65536, 1, 3), [256, 256]), lib.tensor(weights(65536, 1, 4), [256, 256])],
    (lib, a, b) => a.matMul(b),
  ],
  ['sum 2^20', (lib) => [lib.tensor(weights(1 << 20, 1, 5), [1024, 1024])], (lib, a) => a.sum()],
  [
    'add 2^20',
    (lib) => [lib.tensor(weights(1 << 20, 1, 6), [1024, 1024]), lib.tensor(weights(1024, 1, 7), [1024])],
    (lib, a, b) => a.add(b),
  ],
  [
    'conv2d 32x28x28x16 3x3x16x32',
    (lib) => [
      lib.tensor(weights(32 * 28 * 28 * 16, 1, 9), [32, 28, 28, 16]),
      lib.tensor(weights(3 * 3 * 16 * 32, 1, 10), [3, 3, 16, 32]),
    ],
    (lib, x, f) => lib.conv2d(x, f, 1, 'same'),
  ],
  ['softmax 1024x1024', (lib) => [lib.tensor(weights(1 << 20, 1, 8), [1024, 1024])], (lib, a) => a.softmax()],
];

export async function coreRows(log, data) {
  await dl.ready();
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
  await tf.setBackend('wasm');
  await tf.ready();
  const subset = { ...data, n: 8192 };
  log('core API: the MLP by minimize (ours), by fit (ours), by minimize (TensorFlow.js wasm)');
  const minimize = await timeProgram(dl, subset, 5);
  const fit = await fitRate(subset);
  const tfjs = await timeProgram(tf, { ...subset, n: 2048 }, 2);
  log(`  minimize ${minimize.toFixed(0)} samples/s, fit ${fit.toFixed(0)}, TensorFlow.js wasm ${tfjs.toFixed(0)}`);
  const mlp = {
    ours_minimize_samples_per_s: minimize,
    ours_fit_samples_per_s: fit,
    tfjs_wasm_minimize_samples_per_s: tfjs,
    minimize_cost_over_fit: fit / minimize,
  };
  const ops = [];
  for (const [name, make, op] of OPS) {
    const ours = await timeOp(dl, make, op, 30);
    const theirs = await timeOp(tf, make, op, 30);
    log(`  ${name}: ours ${ours.toFixed(2)} ms, TensorFlow.js wasm ${theirs.toFixed(2)} ms`);
    ops.push({ op: name, ours_ms: ours, tfjs_wasm_ms: theirs });
  }
  return { mlp, ops };
}

export function coreTable({ mlp, ops }) {
  const f = (v, digits = 1) => (v == null ? '—' : v.toFixed(digits));
  const lines = [
    '\ncore API, MLP samples/s   minimize   fit (fused)   minimize/fit cost   tfjs wasm minimize',
    `                          ${f(mlp.ours_minimize_samples_per_s, 0).padStart(8)}   ${f(mlp.ours_fit_samples_per_s, 0).padStart(11)}   ${f(mlp.minimize_cost_over_fit, 2).padStart(17)}x   ${f(mlp.tfjs_wasm_minimize_samples_per_s, 0).padStart(18)}`,
    '\ncore API ops, ms          ours   tfjs wasm',
    ...ops.map((o) => `  ${o.op.padEnd(20)} ${f(o.ours_ms, 2).padStart(7)}   ${f(o.tfjs_wasm_ms, 2).padStart(9)}`),
  ];
  return lines.join('\n');
}
