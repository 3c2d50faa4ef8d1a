// A character-level language model as TensorFlow.js' text-generation example builds one:
// characters as ids, an Embedding, an LSTM returning every step, and a TimeDistributed
// Dense softmax predicting the next character at each step; then a few characters
// generated from it. Trained on Debian's fortunes file. Run as is with @tensorflow/tfjs;
// tfjs_programs.test.mjs runs it again with only the import changed.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';

const STEPS = 32;
const text = readFileSync('/usr/share/games/fortunes/fortunes', 'utf8').replace(/\s+/g, ' ');
// The 39 most frequent characters are ids 1..39; 0 stands for every other.
const counts = new Map();
for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
const symbols = [...counts.entries()]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 39)
  .map(([ch]) => ch);
const VOCABULARY = symbols.length + 1;
const ids = Array.from(text, (ch) => symbols.indexOf(ch) + 1);

// Windows of 32 characters, side by side; the target is each character's successor.
const windows = [];
for (let at = 0; at + STEPS + 1 < ids.length; at += STEPS) windows.push(at);
const cut = Math.floor(windows.length * 0.9);
const tensors = (starts) => ({
  xs: tf.tensor2d(starts.map((at) => ids.slice(at, at + STEPS))),
  ys: tf.tensor3d(starts.map((at) => ids.slice(at + 1, at + STEPS + 1).map((id) => [id]))),
});
const train = tensors(windows.slice(0, cut));
const test = tensors(windows.slice(cut));

const start = performance.now();
const model = tf.sequential();
model.add(tf.layers.embedding({ inputDim: VOCABULARY, outputDim: 16, inputLength: STEPS }));
model.add(tf.layers.lstm({ units: 64, returnSequences: true }));
model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: VOCABULARY, activation: 'softmax' }) }));
model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(train.xs, train.ys, {
  epochs: Number(process.env.EPOCHS ?? 4),
  batchSize: 32,
  verbose: 0,
});
const evaluation = model.evaluate(test.xs, test.ys);

// Greedy generation: the most likely next character, 40 times.
let context = ids.slice(0, STEPS);
let generated = '';
for (let i = 0; i < 40; i++) {
  const next = tf.tidy(() =>
    model
      .predict(tf.tensor2d([context]))
      .slice([0, STEPS - 1, 0], [1, 1, VOCABULARY])
      .argMax(-1),
  );
  const id = (await next.data())[0];
  next.dispose();
  generated += id === 0 ? '?' : symbols[id - 1];
  context = [...context.slice(1), id];
}
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: (await evaluation[1].data())[0],
    loss: (await evaluation[0].data())[0],
    uniform: Math.log(VOCABULARY),
    lossFell: history.history.loss.at(-1) < history.history.loss[0],
    generated,
    ms: performance.now() - start,
  }),
);
tf.dispose([train, test, evaluation]);
model.dispose();
console.log('TENSORS', tf.memory().numTensors);
