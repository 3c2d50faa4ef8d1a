// The code view: the playground's current model and settings written as Keras (Python)
// and as code for our JavaScript API, to reproduce the run elsewhere.
import { catalog, layerSpec, snake } from '../../lib/layers_api.js';
import {
  jsTechniqueData,
  jsTechniqueFit,
  kerasAugmentLayers,
  kerasTechniqueData,
  kerasTechniqueFit,
} from './codegen_techniques.js';
import { needsGraph, sourcesOf } from './graph.js';
import { isSequenceSet, jsSequenceData, kerasSequenceData } from './codegen_sequences.js';
import { DATA_SETS, REGRESSION_OPTIONS, TOY_OPTIONS, layerTypes, lossSnake, metricOf } from './state.js';

export const py = (v) => (typeof v === 'string' ? `'${v}'` : String(v));
// Keras' class of an optimizer ('momentum' is SGD with momentum) and of a loss.
export const kerasOptimizer = (name) =>
  catalog().optimizers.find((o) => o.name === (name === 'momentum' ? 'sgd' : name)).kerasClass;
export const kerasLoss = (loss) => loss.charAt(0).toUpperCase() + loss.slice(1);

// The toy data's features, when other than the point itself.
const featureList = (state) =>
  state.features && state.features.join() !== 'x1,x2'
    ? `, features: [${state.features.map((f) => `'${f}'`).join(', ')}]`
    : '';

// Where the JavaScript code gets the page's data (the same generator, seed and split).
// A run until paused (epochs 0) has no number of epochs to write: the code gives one.
const CODE_EPOCHS = 100;
const epochsOf = (state) => state.epochs || CODE_EPOCHS;
const untilPaused = (state, comment) =>
  state.epochs ? '' : `  ${comment} the page trains until paused; choose how many epochs`;

// A layer as Keras writes it: the required options in order without names, the others
// by their Keras names; sizes as (height, width) pairs, names in snake_case.
// Our hard_sigmoid is TensorFlow.js' clip(0.2 x + 0.5, 0, 1), which Keras 3 lacks (its
// hard_sigmoid is relu6(x + 3) / 6, our hard_sigmoid_keras): written as that formula.
const KERAS3_ACTIVATION = {
  hard_sigmoid: 'lambda x: keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)',
  hard_sigmoid_keras: "'hard_sigmoid'",
};
const pyFlag = (v) => (v === true ? 'True' : v === false ? 'False' : String(v));

// The options a layer is written with: the builder's fields (a layer it does not offer,
// imported: its main options), then any other it sets to other than our default.
function writtenOptions(l, spec) {
  const fields = layerTypes()[l.type]?.fields ?? spec.options.filter((o) => o.main).map((o) => o.name);
  const set = spec.options.filter(
    (o) => !fields.includes(o.name) && Object.hasOwn(l, o.name) && !same(l[o.name], o.default),
  );
  return [...fields.map((f) => spec.options.find((o) => o.name === f)), ...set];
}
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function kerasLayer(l, state) {
  const spec = layerSpec(l.type);
  const value = (option, v) => {
    if (v === null || v === undefined) return 'None';
    if (option.kind === 'layer') return kerasLayer(v, state);
    if (option.kind === 'size' && !Array.isArray(v)) return `(${v}, ${v})`;
    if (Array.isArray(v)) return `(${v.map((e) => value({}, e)).join(', ')}${v.length === 1 ? ',' : ''})`;
    if (typeof v === 'string') return KERAS3_ACTIVATION[snake(v)] ?? `'${snake(v)}'`;
    return pyFlag(v);
  };
  // (An option set to Keras 3's default needs no writing there.)
  const main = layerTypes()[l.type]?.fields;
  const written = writtenOptions(l, spec).filter(
    (o) => o.keras && ((main ?? []).includes(o.name) || o.main || !same(l[o.name], o.kerasDefault)),
  );
  const args = written.map((option) => {
    const v = Object.hasOwn(l, option.name) ? l[option.name] : option.default;
    return option.required ? value(option, v) : `${option.keras}=${value(option, v)}`;
  });
  // Options left at our default where Keras 3's differs (LSTM's recurrent activation,
  // GRU's reset_after), and activations Keras 3 spells otherwise, explicit.
  for (const option of spec.options) {
    if (!option.keras || written.includes(option)) continue;
    const ours = l[option.name] ?? option.default;
    const differs = !same(ours, option.kerasDefault);
    if (ours !== null && (differs || (typeof ours === 'string' && KERAS3_ACTIVATION[snake(ours)])))
      args.push(`${option.keras}=${value(option, ours)}`);
  }
  if ((state.l1 > 0 || state.l2 > 0) && spec.options.some((o) => o.name === 'kernelRegularizer'))
    args.push(`kernel_regularizer=regularizers.L1L2(l1=${state.l1}, l2=${state.l2})`);
  if (l.trainable === false) args.push('trainable=False');
  return `layers.${spec.kerasClass}(${args.join(', ')})`;
}

// What Keras 3 takes when a layer is called rather than made (MultiHeadAttention's causal
// mask and scores): ", use_causal_mask=True".
const KERAS_CALL = { useCausalMask: 'use_causal_mask', returnAttentionScores: 'return_attention_scores' };
export const kerasCallArguments = (l) =>
  Object.entries(KERAS_CALL)
    .filter(([name]) => l[name] === true)
    .map(([, keras]) => `, ${keras}=True`)
    .join('');

// Where each image set's files are in the playground's data folder, and its Keras loader.
const IMAGE_SETS = {
  mnist: ['mnist-subset', 'mnist'],
  mnistFull: ['mnist-full', 'mnist'],
  fashion: ['fashion-subset', 'fashion_mnist'],
  fashionFull: ['fashion-full', 'fashion_mnist'],
};

export function kerasData(state, info) {
  if (isSequenceSet(state.data)) return kerasSequenceData(state, info);
  if (DATA_SETS[state.data].user)
    return [
      `# Your image set '${state.imageSet}' (${info.inputShape.join('x')}), with the playground's split:`,
      '# "Download as a Keras project" (Code panel) writes it as data.npz beside this script.',
      ...kerasProjectData(state, info),
    ];
  if (DATA_SETS[state.data].image)
    return [
      `(x_train, y_train), (x_test, y_test) = keras.datasets.${IMAGE_SETS[state.data][1]}.load_data()`,
      !state.data.endsWith('Full')
        ? '# The playground trains on a class-balanced 10,000-image subset of the training set.'
        : '# All 60,000 training and 10,000 test images, as the playground uses them.',
      "x_train = x_train.reshape(-1, 28, 28, 1).astype('float32') / 255",
      "x_test = x_test.reshape(-1, 28, 28, 1).astype('float32') / 255",
      ...(info.target === 'onehot'
        ? ['y_train = keras.utils.to_categorical(y_train, 10)', 'y_test = keras.utils.to_categorical(y_test, 10)']
        : []),
    ];
  const what = DATA_SETS[state.data].label;
  const features = DATA_SETS[state.data].planar
    ? ` (${(state.features ?? ['x1', 'x2']).join(', ')} of each point)`
    : '';
  return [
    `# x_train, y_train, x_test, y_test: ${what}, ${info.inputShape.join('x')} inputs per sample${features}`,
    '# (the JavaScript version generates the same data).',
  ];
}

// The data of a Keras project (keras_project.js): data.npz holds the exact rows the
// playground trained and tested on (subset, imbalance and resampling already applied).
export function kerasProjectData(state, info) {
  if (isSequenceSet(state.data)) return kerasSequenceData(state, info, { project: true });
  const image = Boolean(DATA_SETS[state.data].image);
  const categorical = (part) => `y_${part} = keras.utils.to_categorical(y_${part}, ${info.classes})`;
  return [
    'import numpy as np',
    '',
    '# The exact data the playground trained and tested on, with the same split (data.npz).',
    "data = np.load('data.npz')",
    "x_train, y_train, x_test, y_test = (data[k] for k in ('x_train', 'y_train', 'x_test', 'y_test'))",
    ...(image ? ["x_train = x_train.astype('float32') / 255", "x_test = x_test.astype('float32') / 255"] : []),
    ...(info.target === 'onehot' ? [categorical('train'), categorical('test')] : []),
  ];
}

// project: the script of a downloaded Keras project (data from data.npz, notes on running
// it elsewhere and on the trained weights in model/).
export function kerasCode(state, info, { project = false } = {}) {
  const techniques = kerasTechniqueFit(state);
  const lr = techniques.rate ?? state.learningRate;
  const opt =
    state.optimizer === 'momentum'
      ? `keras.optimizers.SGD(learning_rate=${lr}, momentum=0.9)`
      : `keras.optimizers.${kerasOptimizer(state.optimizer)}(learning_rate=${lr})`;
  const metrics = `, metrics=['${metricOf(info.task)}']`;
  const validation =
    state.validationSplit > 0 ? `validation_split=${state.validationSplit}` : 'validation_data=(x_test, y_test)';
  return [
    'import keras',
    'from keras import layers, regularizers',
    '',
    `keras.utils.set_random_seed(${state.seed})`,
    ...(project ? kerasProjectData(state, info) : kerasData(state, info)),
    // A project's data.npz has the rows already; class weights are still computed here.
    ...kerasTechniqueData(project ? { ...state, only: null, per: 0, imbalance: null, resample: 'none' } : state),
    '',
    ...kerasModel(state, info),
    state.fromLogits
      ? `model.compile(optimizer=${opt}, loss=keras.losses.${kerasLoss(state.loss)}(from_logits=True)${metrics})`
      : `model.compile(optimizer=${opt}, loss='${lossSnake(state.loss)}'${metrics})`,
    `model.fit(x_train, y_train, batch_size=${state.batchSize}, epochs=${epochsOf(state)}, ${validation}${techniques.fit})${untilPaused(state, '#')}`,
    'model.evaluate(x_test, y_test)',
    ...(project ? PROJECT_NOTES : []),
    '',
  ].join('\n');
}

// The model: a keras.Sequential list for a chain; for a graph (graph.js) Keras'
// functional style, layer k's output named h<k> and the input h0.
function kerasModel(state, info) {
  const input = `keras.Input(shape=(${info.inputShape.join(', ')}${info.inputShape.length === 1 ? ',' : ''}))`;
  const augment = kerasAugmentLayers(state, info);
  if (!needsGraph(state.layers))
    return [
      'model = keras.Sequential([',
      `    ${input},`,
      ...augment,
      ...state.layers.map((l) => `    ${kerasLayer(l, state)},`),
      '])',
    ];
  // Augmentation (images) acts on the input before the first layer.
  const start = augment.length
    ? [`inputs = ${input}`, `h0 = keras.Sequential([${augment.map((l) => l.trim()).join(' ')}])(inputs)`]
    : [`h0 = ${input}`];
  return [
    ...start,
    ...state.layers.map(
      (l, i) => `h${i + 1} = ${kerasLayer(l, state)}(${graphArguments(state.layers, i, 'h')}${kerasCallArguments(l)})`,
    ),
    `model = keras.Model(${augment.length ? 'inputs' : 'h0'}, h${state.layers.length})`,
  ];
}

// What layer index i is called on: its source, or a merge's list of two.
export function graphArguments(layers, i, prefix) {
  const names = sourcesOf(layers, i).map((k) => `${prefix}${k}`);
  return names.length === 1 ? names[0] : `[${names.join(', ')}]`;
}

const PROJECT_NOTES = [
  '',
  '# This script runs unchanged on a machine with a GPU (Keras uses it when TensorFlow sees',
  '# one), and under distributed training: build and compile the model inside',
  '# `with tf.distribute.MirroredStrategy().scope():`.',
  "# The playground's trained weights are in model/ (TensorFlow.js' layers format). To start",
  '# from them: pip install tensorflowjs, then',
  '#   tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model/model.json playground.h5',
  "# and call model.load_weights('playground.h5') before fit.",
];

export function jsLayer(l, i, state, info) {
  const spec = layerSpec(l.type);
  const value = (option, v) =>
    option.kind === 'layer' && v ? jsLayer(v, -1, state, info) : typeof v === 'string' ? py(v) : JSON.stringify(v);
  const parts = writtenOptions(l, spec).map(
    (o) => `${o.name}: ${value(o, Object.hasOwn(l, o.name) ? l[o.name] : o.default)}`,
  );
  if (i === 0) parts.push(`inputShape: [${info.inputShape.join(', ')}]`);
  if ((state.l1 > 0 || state.l2 > 0) && spec.options.some((o) => o.name === 'kernelRegularizer'))
    parts.push(`kernelRegularizer: dl.regularizers.l1l2({ l1: ${state.l1}, l2: ${state.l2} })`);
  if (l.trainable === false) parts.push('trainable: false');
  return `dl.layers.${l.type}(${parts.length ? `{ ${parts.join(', ')} }` : ''})`;
}

export function jsData(state, info) {
  const labels = {
    onehot: (v, n) => `dl.oneHot(${v}, ${n})`,
    index: (v, n) => `dl.tensor(${v}, [${n}, 1])`,
    binary: (v, n) => `dl.tensor(${v}, [${n}, 1])`,
    value: (v, n) => `dl.tensor(${v}, [${n}, 1])`,
  }[info.target];
  if (isSequenceSet(state.data)) return jsSequenceData(state, info);
  if (DATA_SETS[state.data].user) {
    const shape = info.inputShape.join(', ');
    return [
      `// Your image set '${state.imageSet}' as the Your images panel split it: train.images and test.images`,
      `// hold each image's bytes (${shape}), train.labels and test.labels its class (0 to ${info.classes - 1}).`,
      `const x = dl.tensorFromBytes(train.images, [train.count, ${shape}]);`,
      `const y = ${info.target === 'onehot' ? labels('train.labels', info.classes) : 'dl.tensor(train.labels, [train.count, 1])'};`,
      `const xTest = dl.tensorFromBytes(test.images, [test.count, ${shape}]);`,
      `const yTest = ${info.target === 'onehot' ? labels('test.labels', info.classes) : 'dl.tensor(test.labels, [test.count, 1])'};`,
    ];
  }
  if (DATA_SETS[state.data].image) {
    const y = (part) =>
      info.target === 'onehot' ? labels(`${part}.labels`, 10) : `dl.tensor(${part}.labels, [${part}.count, 1])`;
    return [
      "// The playground's data folder (built into dist/data/): relative to the page, or in Node to the working folder.",
      `const mnist = await dl.data.loadMnist({ baseUrl: 'data/${IMAGE_SETS[state.data][0]}/' });`,
      'const { train, test } = mnist;',
      ...jsTechniqueData(state, { images: true, size: 784 }),
      'const x = dl.tensorFromBytes(train.images, [train.count, 28, 28, 1]);',
      `const y = ${y('train')};`,
      'const xTest = dl.tensorFromBytes(test.images, [test.count, 28, 28, 1]);',
      `const yTest = ${y('test')};`,
    ];
  }
  let load;
  if (state.data === 'regression')
    load = `const data = dl.data.regressionDataset({ samples: ${REGRESSION_OPTIONS.samples}, inputs: ${REGRESSION_OPTIONS.inputs}, trainRatio: ${REGRESSION_OPTIONS.trainRatio}, seed: ${state.seed} });`;
  else if (state.data === 'csv') load = "const data = dl.data.parseCsv(csvText); // your file's text";
  else
    load = `const data = dl.data.toyDataset('${state.data}', { points: ${TOY_OPTIONS.points}, noise: ${state.noise}, trainRatio: ${(state.ratio ?? 100 * TOY_OPTIONS.trainRatio) / 100}, seed: ${state.seed}${featureList(state)} });`;
  const d = info.inputShape[0];
  const width = info.target === 'onehot' ? info.classes : 1;
  const reshaped = jsTechniqueData(state, { images: false, size: d });
  return [
    load,
    ...(reshaped.length ? ['const { train, test } = data;', ...reshaped] : []),
    `const x = dl.tensor(data.train.x, [data.train.n, ${d}]);`,
    `const y = ${info.target === 'onehot' ? labels('data.train.y', width) : labels('data.train.y', 'data.train.n')};`,
    `const xTest = dl.tensor(data.test.x, [data.test.n, ${d}]);`,
    `const yTest = ${info.target === 'onehot' ? labels('data.test.y', width) : labels('data.test.y', 'data.test.n')};`,
  ];
}

export function javascriptCode(state, info, importPath = 'dl-playground') {
  const opt =
    state.optimizer === 'momentum'
      ? `dl.train.momentum(${state.learningRate}, 0.9)`
      : `{ type: '${state.optimizer}', learningRate: ${state.learningRate} }`;
  const metricName = metricOf(info.task);
  const metrics = `['${metricName}']`;
  const validation =
    state.validationSplit > 0 ? `validationSplit: ${state.validationSplit}` : 'validationData: [xTest, yTest]';
  return [
    `import * as dl from '${importPath}';`,
    '',
    'await dl.ready();',
    ...jsData(state, info),
    ...jsModel(state, info),
    `model.compile({ optimizer: ${opt}, loss: '${state.loss}', metrics: ${metrics}${state.fromLogits ? ', fromLogits: true' : ''} });`,
    `await model.fit(x, y, { epochs: ${epochsOf(state)}, batchSize: ${state.batchSize}, ${validation}${jsTechniqueFit(state, DATA_SETS[state.data].image ? 'train.labels' : 'data.train.y')} });${untilPaused(state, '//')}`,
    `const [testLoss, test${metricName === 'accuracy' ? 'Accuracy' : 'Mae'}] = model.evaluate(xTest, yTest);`,
    `console.log(\`test loss: \${(await testLoss.data())[0]}, test ${metricName}: \${(await test${metricName === 'accuracy' ? 'Accuracy' : 'Mae'}.data())[0]}\`);`,
    '',
  ].join('\n');
}

// dl.sequential for a chain; for a graph (graph.js) dl.input and apply, layer k's output
// named h<k> and the input h0.
function jsModel(state, info) {
  if (!needsGraph(state.layers))
    return [
      `const model = dl.sequential({`,
      `  seed: ${state.seed},`,
      '  layers: [',
      ...state.layers.map((l, i) => `    ${jsLayer(l, i, state, info)},`),
      '  ],',
      '});',
    ];
  return [
    `const h0 = dl.input({ shape: [${info.inputShape.join(', ')}] });`,
    ...state.layers.map(
      (l, i) => `const h${i + 1} = ${jsLayer(l, -1, state, info)}.apply(${graphArguments(state.layers, i, 'h')});`,
    ),
    `const model = dl.model({ inputs: h0, outputs: h${state.layers.length}, seed: ${state.seed} });`,
  ];
}
