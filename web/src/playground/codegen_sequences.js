// The code views' data for the sequence sets (sequence_presets.js): the JavaScript that
// loads or generates the same samples with dl.data, and the Keras script's reading of
// them (a Keras project's data.npz holds the exact samples and the vocabulary).
import { TEXT_WINDOWS, TOY_SAMPLES } from './sequence_presets.js';
import { DATA_SETS } from './state.js';

export const isSequenceSet = (name) => Boolean(DATA_SETS[name]?.vocabulary || DATA_SETS[name]?.series);

// The dl.data call that makes the set.
function jsLoad(state, info) {
  const spec = DATA_SETS[state.data];
  if (spec.text === 'kjv')
    return [
      "const text = await dl.data.loadText('kjv', { baseUrl: 'data/text/' }); // the playground's data folder",
      `const data = dl.data.languageModelSet(text, { steps: ${state.steps}, samples: ${TEXT_WINDOWS.samples}, testSamples: ${TEXT_WINDOWS.testSamples}, seed: ${state.seed} });`,
    ];
  if (spec.text === 'wordStyle')
    return [
      "const { words } = await dl.data.loadText('words', { baseUrl: 'data/text/' }); // the playground's data folder",
      `const data = dl.data.languageModelSet(words.${state.language}.join('\\n') + '\\n', { steps: ${state.steps}, samples: ${TEXT_WINDOWS.samples}, testSamples: ${TEXT_WINDOWS.testSamples}, seed: ${state.seed} });`,
    ];
  if (spec.text === 'words')
    return [
      "const words = await dl.data.loadText('words', { baseUrl: 'data/text/' }); // the playground's data folder",
      `const data = dl.data.wordLanguageSet(words, { steps: ${info.inSteps}, seed: ${state.seed} });`,
    ];
  if (spec.toy)
    return [
      `const data = dl.data.sequenceTaskSet('${spec.toy}', { steps: ${state.steps}, level: ${state.level}, samples: ${TOY_SAMPLES.samples}, testSamples: ${TOY_SAMPLES.testSamples}, seed: ${state.seed} });`,
    ];
  if (spec.userSeries)
    return [
      'const csvText = await file.text(); // your CSV file\'s text (file from an <input type="file">)',
      `const { values } = dl.data.csvColumn(csvText${state.column ? `, { column: ${JSON.stringify(state.column)} }` : ''}); // ${state.column ? 'the column' : 'the last column of numbers'}, in row order`,
      `const data = dl.data.seriesSet({ values, steps: ${state.steps}, seed: ${state.seed} });`,
    ];
  return [
    `const data = dl.data.seriesSet({ steps: ${state.steps}, noise: ${state.noise || 0.1}, seed: ${state.seed} });`,
  ];
}

export function jsSequenceData(state, info) {
  const x = (part) => `dl.tensor(data.${part}.x, [data.${part}.n, ${info.inputShape.join(', ')}])`;
  const y = (part) => {
    if (info.target === 'onehot') return `dl.oneHot(data.${part}.y, ${info.classes})`;
    return `dl.tensor(data.${part}.y, [data.${part}.n, ${info.outSteps ?? 1}])`;
  };
  const comment = info.outSteps
    ? `// x: ${info.inSteps} symbol ids per sample; y: the answer's symbol id at each of ${info.outSteps} steps.`
    : DATA_SETS[state.data].series
      ? `// x: windows of ${info.inSteps} values; y: the value after each window.`
      : `// x: ${info.inSteps} symbol ids per sample (0 pads); y: its class.`;
  return [
    ...jsLoad(state, info),
    comment,
    `const x = ${x('train')};`,
    `const y = ${y('train')};`,
    `const xTest = ${x('test')};`,
    `const yTest = ${y('test')};`,
  ];
}

// The Keras script's data: described (the JavaScript view makes it; the project has it).
export function kerasSequenceData(state, info, { project = false } = {}) {
  const categorical = (part) => `y_${part} = keras.utils.to_categorical(y_${part}, ${info.classes})`;
  const vocabulary = DATA_SETS[state.data].vocabulary
    ? ["vocabulary = ''.join(chr(c) for c in data['vocabulary'])  # id k is vocabulary[k]; 0 pads"]
    : [];
  if (!project)
    return [
      `# x_train, y_train, x_test, y_test: ${DATA_SETS[state.data].label}, ${info.inputShape.join('x')} inputs per sample`,
      '# ("Download as a Keras project" in the Code panel writes them, with the vocabulary, to data.npz;',
      '#  the JavaScript version makes the same data).',
      ...(info.target === 'onehot' ? [categorical('train'), categorical('test')] : []),
    ];
  return [
    'import numpy as np',
    '',
    '# The exact samples the playground trained and tested on (data.npz).',
    "data = np.load('data.npz')",
    "x_train, y_train, x_test, y_test = (data[k] for k in ('x_train', 'y_train', 'x_test', 'y_test'))",
    ...vocabulary,
    ...(info.target === 'onehot' ? [categorical('train'), categorical('test')] : []),
  ];
}

// data.npz's arrays for a sequence set: ids as int32 [n, steps], a series as float32
// [n, steps, 1]; answers per step as int32 [n, steps], classes as int32 [n], values as
// float32 [n]; the vocabulary as the code points of its symbols (0 for the padding id).
export function sequenceArrays(data) {
  const ids = (values) => (data.vocabulary ? Int32Array.from(values) : Float32Array.from(values));
  const answers = (values) => (data.task === 'regression' ? Float32Array.from(values) : Int32Array.from(values));
  const part = (p) => ({
    x: { values: ids(data[p].x), shape: [data[p].n, ...data.inputShape] },
    y: { values: answers(data[p].y), shape: data.outSteps ? [data[p].n, data.outSteps] : [data[p].n] },
  });
  const [train, test] = [part('train'), part('test')];
  return {
    x_train: train.x,
    y_train: train.y,
    x_test: test.x,
    y_test: test.y,
    ...(data.vocabulary && {
      vocabulary: {
        values: Int32Array.from(data.vocabulary.tokens, (t, k) => (k === 0 ? 0 : t.codePointAt(0))),
        shape: [data.vocabulary.size],
      },
    }),
  };
}
