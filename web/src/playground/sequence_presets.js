// The sequence data sets and presets: text (the King James Bible's characters), words of
// seven languages, toy sequence tasks and a time series (lib/data/text.js makes them),
// Fashion-MNIST's class names, and the models that learn each (presets.js merges both
// into its tables).
import { data as dataSets } from '../../lib/layers_api.js';
import { denseLayer, layer } from './layer_types.js';

export const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
const TASK_LABELS = {
  addition: 'add two numbers written as text',
  reverse: 'reverse the digits',
  sort: 'sort the digits',
  copy: 'repeat the digits after a delay',
  parity: 'running parity of bits',
  brackets: 'do the brackets balance?',
};
// Encoder-decoder for tasks whose answer needs the whole input; a per-step LSTM where the
// answer at a step depends on the steps before it.
const TASK_PRESETS = {
  addition: 'addition',
  reverse: 'addition',
  sort: 'addition',
  copy: 'tagger',
  parity: 'tagger',
  brackets: 'brackets',
};

// Sequence models. Their first and last layers are fitted to the data set chosen
// (fitToData in defaults.js: the vocabulary, the steps, the answer's length).
const embedding = (outputDim, maskZero = false) => layer('embedding', { inputDim: 64, outputDim, maskZero });
const recurrent = (type, units, returnSequences) => layer(type, { units, returnSequences });
const sequenceSettings = (learningRate, batchSize, epochs, extra = {}) => ({
  optimizer: 'adam',
  learningRate,
  loss: 'sparseCategoricalCrossentropy',
  batchSize,
  epochs,
  ...extra,
});

// A GPT's block as the builder's list, its input being layer `x`: pre-norm causal
// self-attention added to its input, then a GELU MLP added to that.
function gptBlock(x, width, heads) {
  return [
    layer('layerNormalization'),
    layer('multiHeadAttention', { numHeads: heads, keyDim: width / heads, useCausalMask: true, from: x + 1 }),
    { type: 'add', from: x },
    layer('layerNormalization'),
    denseLayer(4 * width, 'gelu'),
    denseLayer(width, 'linear'),
    { type: 'add', from: x + 3 },
  ];
}

export const SEQUENCE_PRESETS = {
  charLstm: {
    label: 'Character LSTM: a language model of the Bible',
    data: 'kjv',
    get layers() {
      return [embedding(32), recurrent('lstm', 128, true), denseLayer(64, 'softmax')];
    },
    settings: sequenceSettings(0.01, 32, 3, { steps: 64 }),
  },
  tinyGpt: {
    label: 'Tiny GPT: 2 blocks of causal self-attention (the Bible)',
    data: 'kjv',
    get layers() {
      const width = 64;
      return [
        embedding(width),
        layer('positionEmbedding', { sequenceLength: 64 }),
        { type: 'add', from: 1 },
        ...gptBlock(3, width, 4),
        ...gptBlock(10, width, 4),
        layer('layerNormalization'),
        denseLayer(64, 'softmax'),
      ];
    },
    settings: sequenceSettings(0.003, 32, 3, { steps: 64 }),
  },
  wordGru: {
    label: 'Which language is a word in? GRU over its letters',
    data: 'words',
    get layers() {
      return [embedding(16, true), recurrent('gru', 64, false), denseLayer(7, 'softmax')];
    },
    settings: { optimizer: 'adam', learningRate: 0.005, loss: 'categoricalCrossentropy', batchSize: 64, epochs: 10 },
  },
  wordConv1d: {
    label: 'Which language is a word in? Conv1D over its letters',
    data: 'words',
    get layers() {
      return [
        embedding(16),
        layer('conv1d', { filters: 96, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }),
        layer('globalMaxPooling1d'),
        denseLayer(7, 'softmax'),
      ];
    },
    settings: { optimizer: 'adam', learningRate: 0.005, loss: 'categoricalCrossentropy', batchSize: 64, epochs: 10 },
  },
  // As TensorFlow.js' addition example: LSTM encoder, the summary repeated for each
  // digit of the answer, LSTM decoder, a softmax over the symbols per step.
  addition: {
    label: 'Addition as text: LSTM encoder-decoder',
    data: 'addition',
    get layers() {
      return [
        embedding(16),
        recurrent('lstm', 128, false),
        layer('repeatVector', { n: 4 }),
        recurrent('lstm', 128, true),
        denseLayer(16, 'softmax'),
      ];
    },
    settings: sequenceSettings(0.005, 64, 30, { level: 3 }),
  },
  tagger: {
    label: 'An answer per step: LSTM tagger (running parity)',
    data: 'parity',
    get layers() {
      return [embedding(8), recurrent('lstm', 32, true), denseLayer(16, 'softmax')];
    },
    settings: sequenceSettings(0.01, 32, 20, { steps: 16 }),
  },
  brackets: {
    label: 'Do the brackets balance? LSTM classifier',
    data: 'brackets',
    get layers() {
      return [embedding(8), recurrent('lstm', 32, false), denseLayer(1, 'sigmoid')];
    },
    settings: {
      optimizer: 'adam',
      learningRate: 0.01,
      loss: 'binaryCrossentropy',
      batchSize: 32,
      epochs: 20,
      steps: 12,
    },
  },
  forecaster: {
    label: 'Forecast a time series: LSTM over a window',
    data: 'sines',
    get layers() {
      return [recurrent('lstm', 32, false), denseLayer(1, 'linear')];
    },
    settings: {
      optimizer: 'adam',
      learningRate: 0.005,
      loss: 'meanSquaredError',
      batchSize: 32,
      epochs: 20,
      steps: 32,
    },
  },
};

// The data sets, in DATA_SETS' form. Sequences: ids of characters in, and per step out
// ('sequence': the next character, a toy task's answer) or one answer per sample;
// `vocabulary` is the number of ids (the build's text has 63 characters and the padding id).
// What the pad asks for and how it places a drawing: Fashion-MNIST's clothes fill their
// 28x28 frame (26 pixels of it), where MNIST's digits were put in a box of 20.
const FASHION_PAD = { drawing: 'a piece of clothing', padBox: 26 };
export const SEQUENCE_DATA_SETS = {
  fashion: {
    label: 'Fashion-MNIST clothes (10,000 images)',
    task: 'classification',
    classes: 10,
    image: true,
    defaults: 'cnn',
    classNames: FASHION_CLASSES,
    ...FASHION_PAD,
  },
  fashionFull: {
    label: 'Fashion-MNIST, all 60,000 (31 MB)',
    task: 'classification',
    classes: 10,
    image: true,
    defaults: 'cnn',
    classNames: FASHION_CLASSES,
    ...FASHION_PAD,
  },
  kjv: {
    label: 'Text: the King James Bible (next character)',
    task: 'sequence',
    text: 'kjv',
    vocabulary: 64,
    defaults: 'charLstm',
  },
  words: {
    label: 'Words: which of 7 languages?',
    task: 'classification',
    classes: 7,
    text: 'words',
    vocabulary: 52,
    defaults: 'wordGru',
    classNames: ['English', 'French', 'German', 'Spanish', 'Italian', 'Portuguese', 'Dutch'],
  },
  // A language model of one language's words, one per line: its samples are new words
  // in that language's style (`language` chooses it).
  wordStyle: {
    label: 'Words: new words in a language’s style',
    task: 'sequence',
    text: 'wordStyle',
    vocabulary: 40,
    vocabularyVaries: true,
    defaults: 'charLstm',
  },
  ...Object.fromEntries(
    dataSets.SEQUENCE_TASKS.map((name) => [
      name,
      {
        label: `Sequence task: ${TASK_LABELS[name]}`,
        task: name === 'brackets' ? 'classification' : 'sequence',
        ...(name === 'brackets' ? { classes: 2 } : {}),
        toy: name,
        vocabulary: 16,
        defaults: TASK_PRESETS[name],
      },
    ]),
  ),
  // The user's texts (the Your text panel): the vocabulary and classes come with the text.
  mytext: {
    label: 'Your text (a language model)',
    task: 'sequence',
    text: 'user',
    userText: 'text',
    vocabulary: 2,
    vocabularyVaries: true,
    defaults: 'charLstm',
  },
  mylabels: {
    label: 'Your labelled texts (a classifier)',
    task: 'classification',
    text: 'user',
    userText: 'labelled',
    vocabulary: 2,
    vocabularyVaries: true,
    classes: 2,
    defaults: 'wordConv1d',
  },
  sines: { label: 'Time series: sines with trend and noise', task: 'regression', series: true, defaults: 'forecaster' },
  myseries: {
    label: 'Time series: a column of your CSV',
    task: 'regression',
    series: true,
    userSeries: true,
    csv: true,
    defaults: 'forecaster',
  },
};

// A sequence data set's shapes for a state's steps and level, known before it loads:
// {inputShape, inSteps, outSteps (null for one answer per sample), vocabulary, classes}.
// info: what a loaded set adds (the user's text's vocabulary and classes).
export function sequenceShape(name, { steps = 32, level = 3 } = {}, info = {}) {
  const spec = SEQUENCE_DATA_SETS[name];
  if (spec?.series) return { inputShape: [steps, 1], inSteps: steps, outSteps: null };
  if (!spec?.vocabulary) return null;
  const vocabulary = info.vocabulary ?? spec.vocabulary;
  const shape = (inSteps, outSteps) => ({
    inputShape: [inSteps],
    inSteps,
    outSteps,
    vocabulary,
    classes: outSteps ? vocabulary : (info.classes ?? spec.classes),
  });
  if (spec.text === 'kjv' || spec.text === 'wordStyle' || spec.userText === 'text') return shape(steps, steps);
  if (spec.userText === 'labelled') return shape(steps, null);
  if (spec.text === 'words') return shape(WORD_STEPS, null);
  if (spec.toy === 'addition') return shape(2 * level + 1, level + 1);
  if (spec.toy === 'copy') return shape(steps + level, steps + level);
  if (spec.toy === 'brackets') return shape(steps, null);
  return shape(steps, steps);
}
// How many windows of the text a language model trains and tests on, and a toy task's
// samples (addition of 3 digits reaches 92-97% exact sums from 20,000 in 20-40 epochs;
// from 5,000, 73% in 40).
export const TEXT_WINDOWS = { samples: 10000, testSamples: 1000 };
export const TOY_SAMPLES = { samples: 20000, testSamples: 1000 };

// The languages of the words set (scripts/build_text.mjs), by code.
export const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl'];

// Words are cut to this many letters (lib/data/text.js' wordLanguageSet).
export const WORD_STEPS = 14;
