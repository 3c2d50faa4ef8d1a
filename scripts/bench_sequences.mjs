// The bench's sequence rows (`npm run bench`, or alone with `npm run bench -- --sequences`):
// the char-LSTM and the tiny GPT of web/src/bench/bench_models.js trained on characters,
// tokens per second: ours (WebAssembly in Node, one engine), TensorFlow.js' cpu and wasm
// backends where they can, and native PyTorch on one thread (tools/bench_torch.py) when
// Debian's python3-torch is installed; the effective GFLOP/s from the FLOP count per token
// written in bench_models.js, against the machine's ceiling; peak WebAssembly memory.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { Core } from '../web/lib/core.js';
import { loadEngineModule } from '../web/lib/engine_loader.js';
import * as dl from '../web/lib/index.js';
import { SEQUENCE, charLstm, sequenceFlopsPerToken, tinyGpt } from '../web/src/bench/bench_models.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const now = () => performance.now();

// Real text: the fortunes files (Debian's `fortunes`), else a word list, as ids of the 64
// most frequent characters (1..64) and 0 for the rest: a 65-symbol vocabulary.
export function benchText(limit = 200000) {
  const dir = '/usr/share/games/fortunes/';
  let text = '';
  if (existsSync(dir))
    for (const f of readdirSync(dir).sort()) {
      if (f.includes('.') || text.length >= limit) continue;
      text += readFileSync(dir + f, 'latin1');
    }
  if (text.length < 20000 && existsSync('/usr/share/dict/words')) text = readFileSync('/usr/share/dict/words', 'utf8');
  text = text.slice(0, limit);
  const counts = new Map();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, SEQUENCE.vocabulary - 1);
  const id = new Map(ranked.map(([ch], i) => [ch, i + 1]));
  return {
    source: text === '' ? 'none' : existsSync(dir) ? 'fortunes' : 'words',
    ids: Int32Array.from(text, (ch) => id.get(ch) ?? 0),
  };
}

// x: windows of 64 ids; y: the next id at every step.
function windows(ids, count) {
  const T = SEQUENCE.steps;
  const x = new Float32Array(count * T);
  const y = new Float32Array(count * T);
  for (let w = 0; w < count; w++)
    for (let t = 0; t < T; t++) {
      x[w * T + t] = ids[w * T + t];
      y[w * T + t] = ids[w * T + t + 1];
    }
  return { x, y };
}

async function ours(name, make, ids) {
  const core = new Core(await loadEngineModule());
  const { steps: T, batchSize } = SEQUENCE;
  const n = batchSize * 12;
  const { x, y } = windows(ids, n);
  core.createTensor(1, [n, T], x);
  core.createTensor(2, [n, T], y);
  core.createModel(3, { ...make(dl).description(), seed: 1 });
  core.compile(3, { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  core.createTensor(4, [batchSize * 3, T], x.subarray(0, batchSize * 3 * T));
  core.createTensor(5, [batchSize * 3, T], y.subarray(0, batchSize * 3 * T));
  await core.fit(3, 4, 5, { epochs: 1, batchSize });
  const rates = [];
  for (let r = 0; r < 3; r++) {
    const start = now();
    await core.fit(3, 1, 2, { epochs: 1, batchSize, shuffle: false });
    rates.push((n * T) / ((now() - start) / 1000));
  }
  return { tokensPerS: median(rates), peakHeapMb: core.engine.HEAP8.length / (1 << 20) };
}

async function tfjs(backend, ids) {
  const tf = require('@tensorflow/tfjs');
  if (backend === 'wasm') {
    require('@tensorflow/tfjs-backend-wasm').setWasmPaths(`${root}node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
  }
  await tf.setBackend(backend);
  await tf.ready();
  const { steps: T, batchSize } = SEQUENCE;
  const n = batchSize * (backend === 'cpu' ? 2 : 6);
  const { x, y } = windows(ids, n);
  const model = charLstm(tf);
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy' });
  const xs = tf.tensor2d(x, [n, T]);
  const ys = tf.tensor3d(y, [n, T, 1]);
  try {
    await model.trainOnBatch(xs.slice(0, batchSize), ys.slice(0, batchSize));
    const start = now();
    await model.fit(xs, ys, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    return { tokensPerS: (n * T) / ((now() - start) / 1000) };
  } catch (error) {
    return { tokensPerS: null, error: error.message.split('\n')[0] };
  } finally {
    model.dispose();
    xs.dispose();
    ys.dispose();
  }
}

// Debian's Python, where python3-torch is installed (another python3 may come first in PATH).
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function pytorch(ids) {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { error: "PyTorch is not installed (Debian's python3-torch); its column is empty" };
  const out = execFileSync(python, [`${root}tools/bench_torch.py`], {
    input: Array.from(ids.subarray(0, SEQUENCE.batchSize * 16 * SEQUENCE.steps + 1)).join(' '),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

// Rows {model, flops_per_token, ours_tokens_per_s, ours_effective_gflops, ours_share_of_peak,
// tfjs_cpu_tokens_per_s, tfjs_wasm_tokens_per_s, pytorch_tokens_per_s, peak_heap_mb, notes}.
export async function sequenceRows(log, peakGflops) {
  const { ids, source } = benchText();
  log(`sequences: ${ids.length} characters of ${source}`);
  const torch = pytorch(ids);
  if (torch.error) log(`  ${torch.error}`);
  else
    log(
      `  PyTorch ${torch.torch} (1 thread): char-LSTM ${torch.char_lstm.toFixed(0)}, tiny GPT ${torch.tiny_gpt.toFixed(0)} tokens/s`,
    );
  const rows = [];
  for (const [model, make] of [
    ['char_lstm', charLstm],
    ['tiny_gpt', tinyGpt],
  ]) {
    const o = await ours(model, make, ids);
    const flops = sequenceFlopsPerToken(model);
    const gflops = (o.tokensPerS * flops) / 1e9;
    log(
      `  ours ${model}: ${o.tokensPerS.toFixed(0)} tokens/s (${gflops.toFixed(2)} GFLOP/s), peak memory ${o.peakHeapMb.toFixed(1)} MB`,
    );
    const notes = [];
    let cpu = { tokensPerS: null };
    let wasm = { tokensPerS: null };
    if (model === 'char_lstm') {
      cpu = await tfjs('cpu', ids);
      wasm = await tfjs('wasm', ids);
      for (const [name, r] of [
        ['cpu', cpu],
        ['wasm', wasm],
      ]) {
        if (r.error) notes.push(`tfjs ${name}: ${r.error}`);
        log(
          `  TensorFlow.js ${name} char_lstm: ${r.tokensPerS == null ? `cannot train (${r.error})` : `${r.tokensPerS.toFixed(0)} tokens/s`}`,
        );
      }
    } else {
      notes.push('TensorFlow.js has no attention layer');
    }
    if (torch.error) notes.push(torch.error);
    rows.push({
      model,
      flops_per_token: flops,
      ours_tokens_per_s: o.tokensPerS,
      ours_effective_gflops: gflops,
      ours_share_of_peak: peakGflops ? gflops / peakGflops : null,
      tfjs_cpu_tokens_per_s: cpu.tokensPerS,
      tfjs_wasm_tokens_per_s: wasm.tokensPerS,
      pytorch_tokens_per_s: torch[model] ?? null,
      peak_heap_mb: o.peakHeapMb,
      notes,
    });
  }
  return rows;
}

export function sequenceTable(rows) {
  const f = (v, digits = 0) => (v == null ? '—' : v.toFixed(digits));
  return [
    '\nsequences, training tokens/s   kFLOP/token   ours (GFLOP/s, share of peak)   tfjs cpu   tfjs wasm   PyTorch 1 thread   peak MB',
    ...rows.map(
      (r) =>
        `  ${r.model.padEnd(10)}               ${f(r.flops_per_token / 1e3).padStart(8)}   ${f(r.ours_tokens_per_s).padStart(7)} (${f(r.ours_effective_gflops, 2)}, ${f(r.ours_share_of_peak, 2)})   ${f(r.tfjs_cpu_tokens_per_s).padStart(8)}   ${f(r.tfjs_wasm_tokens_per_s).padStart(9)}   ${f(r.pytorch_tokens_per_s).padStart(16)}   ${f(r.peak_heap_mb, 1)}`,
    ),
    ...rows.flatMap((r) => r.notes.map((n) => `  (${r.model}: ${n})`)),
  ].join('\n');
}
