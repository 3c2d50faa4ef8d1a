// A text classifier as the TensorFlow.js guides write one: characters as ids, an
// Embedding that masks the padding, an LSTM returning its sequence, a GRU reading it, a
// sigmoid. The task is real: is a word English or French? (Debian's word lists, words of
// 3 to 12 plain letters, so that accents give nothing away.) Run as is with
// @tensorflow/tfjs; tfjs_programs.test.mjs runs it again with only the import changed.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';

let state = 11;
const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

const LENGTH = 12;
const PER_LANGUAGE = Number(process.env.WORDS ?? 1500);
const words = (file) => {
  const all = readFileSync(file, 'utf8')
    .split('\n')
    .filter((w) => /^[a-z]{3,12}$/.test(w));
  const picked = new Set();
  while (picked.size < PER_LANGUAGE) picked.add(all[Math.floor(random() * all.length)]);
  return [...picked];
};
const english = words('/usr/share/dict/american-english');
const french = words('/usr/share/dict/french').filter((w) => !english.includes(w));

// Letters a..z are ids 1..26; 0 pads a word to 12 steps (and is masked).
const encode = (w) => Array.from({ length: LENGTH }, (_, i) => (i < w.length ? w.charCodeAt(i) - 96 : 0));
const samples = [...english.map((w) => [w, 0]), ...french.map((w) => [w, 1])];
for (let i = samples.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [samples[i], samples[j]] = [samples[j], samples[i]];
}
const cut = Math.floor(samples.length * 0.8);
const tensors = (part) => ({
  xs: tf.tensor2d(part.map(([w]) => encode(w))),
  ys: tf.tensor2d(part.map(([, label]) => [label])),
});
const train = tensors(samples.slice(0, cut));
const test = tensors(samples.slice(cut));

const start = performance.now();
const model = tf.sequential();
model.add(tf.layers.embedding({ inputDim: 27, outputDim: 8, maskZero: true, inputLength: LENGTH }));
model.add(tf.layers.lstm({ units: 16, returnSequences: true }));
model.add(tf.layers.gru({ units: 16 }));
model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(train.xs, train.ys, {
  epochs: Number(process.env.EPOCHS ?? 6),
  batchSize: 32,
  validationSplit: 0.1,
  verbose: 0,
});
const evaluation = model.evaluate(test.xs, test.ys);
// A word the model has not seen, padded: its probability of being French.
const unseen = tf.tensor2d([encode('bonjour'), encode('weather')]);
const probe = model.predict(unseen);
console.log(
  'RESULT',
  JSON.stringify({
    accuracy: (await evaluation[1].data())[0],
    lossFell: history.history.loss.at(-1) < history.history.loss[0],
    validation: history.history.val_acc ?? history.history.val_accuracy,
    probe: Array.from(await probe.data()),
    words: samples.length,
    ms: performance.now() - start,
  }),
);
tf.dispose([train, test, evaluation, unseen, probe]);
model.dispose();
console.log('TENSORS', tf.memory().numTensors);
