// Text in and out of a sequence model for the views: what the model reads for a typed
// text (ids padded to its steps), its answer (per step or per sample), text generated
// from a prompt, and the text the views look at (app.typedText, shared by the panels;
// 'typed' is emitted when it changes).
import * as dl from '../../lib/layers_api.js';
import { sampleNext } from './sequence_probe.js';

// What pads a toy task's input to its length, as the data set pads it.
const TASK_PAD = { addition: ' ', copy: '_', brackets: '(' };

// Whether the app's data set is one the text views apply to.
export const isSequenceData = (app) => Boolean(app.data?.vocabulary);

// The text the views show first: the start of a test sample, as the model reads it.
export function sampleText(app, index = 0) {
  const d = app.data;
  const ids = d.test.x.subarray(index * d.inSteps, (index + 1) * d.inSteps);
  return d.vocabulary.decode(ids).replace(/(\s*·)+$/, '');
}

export function setTypedText(app, text) {
  app.typedText = text;
  app.emit('typed', { text });
}

// The current text: typed, or a test sample's.
export function currentText(app) {
  if (app.typedText === undefined || app.typedTextFor !== app.data) {
    app.typedText = sampleText(app);
    app.typedTextFor = app.data;
  }
  return app.typedText;
}

// The ids the model reads for `text`: its tokens (characters, or words; the last `steps`
// of a longer text), padded after it to the model's steps; `length` is how many are the
// text's, `chars` the tokens.
export function encodeText(app, text) {
  const d = app.data;
  const steps = d.inSteps;
  const chars = d.vocabulary.split(text).slice(-steps);
  const pad = d.toy ? d.vocabulary.id(TASK_PAD[d.toy] ?? '0') : 0;
  const ids = new Float32Array(steps).fill(pad);
  chars.forEach((c, i) => (ids[i] = d.vocabulary.id(c)));
  return { ids, length: chars.length, chars };
}

// The model's probabilities for one text: {values, shape} ([steps, classes] per step, or
// [classes] for one answer; one sigmoid output becomes the two classes' probabilities).
export async function answerFor(model, app, text) {
  const { ids, length, chars } = encodeText(app, text);
  const x = dl.tensor(ids, [1, ids.length]);
  try {
    const { values, shape } = await model.predictValues(x, { probabilities: true });
    if (shape.length === 2 && shape[1] === 1)
      return { values: Float32Array.of(1 - values[0], values[0]), shape: [2], length, chars };
    return { values, shape: shape.slice(1), length, chars };
  } finally {
    x.dispose();
  }
}

// Generates `count` characters after `prompt` from a language model: each from the
// model's probabilities at the last character read (the model reads the last `steps`).
export async function generate(model, app, prompt, { count = 120, temperature = 0.8, topK = 0 } = {}) {
  const d = app.data;
  const steps = d.inSteps;
  const ids = d.vocabulary.encode(prompt);
  if (ids.length === 0) ids.push(d.vocabulary.id('\n') || 1);
  const window = new Float32Array(steps);
  for (let n = 0; n < count; n++) {
    const recent = ids.slice(-steps);
    window.fill(0);
    window.set(recent);
    const x = dl.tensor(window, [1, steps]);
    let output;
    try {
      output = await model.predictValues(x, { probabilities: true });
    } finally {
      x.dispose();
    }
    const classes = output.shape.at(-1);
    const at = recent.length - 1;
    ids.push(sampleNext(output.values.subarray(at * classes, (at + 1) * classes), { temperature, topK }));
  }
  const text = d.vocabulary.decode(ids.slice(ids.length - count));
  return d.vocabulary.words ? ` ${text}` : text;
}
