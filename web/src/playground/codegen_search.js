// The search and cross-validation panel's code view: the page's data and model, with the
// searched parameters in the model, then the search (dl.search, or a loop in Keras) and
// k-fold cross-validation of the page's setup (dl.crossValidate, or NumPy folds).
import {
  graphArguments,
  jsData,
  jsLayer,
  kerasData,
  kerasLayer,
  kerasLoss,
  kerasOptimizer,
  kerasProjectData,
  py,
} from './codegen.js';
import { needsGraph } from './graph.js';
import { kerasTechniqueData } from './codegen_techniques.js';
import { lossSnake, metricOf } from './state.js';

// Numbers no setting takes, put where a searched parameter goes in a layer and then
// replaced, in the written code, by the parameter (or the page's value when a trial does
// not set it).
const MARKS = { units: 123454321, rate: 0.876545678, l2: 0.000345676543 };
const PYTHON = {
  learningRate: 'learning_rate',
  batchSize: 'batch_size',
  units: 'units',
  rate: 'rate',
  optimizer: 'optimizer',
  l2: 'l2',
};

// The page's state with a trial's parameters in it.
export function withParams(state, params) {
  const next = { ...state, layers: state.layers.map((l) => ({ ...l })) };
  for (const [name, value] of Object.entries(params)) {
    if (name === 'units') {
      const dense = next.layers.find((l) => l.type === 'dense');
      if (dense) dense.units = value;
    } else if (name === 'rate') {
      next.layers.filter((l) => l.type === 'dropout').forEach((l) => (l.rate = value));
    } else next[name] = value;
  }
  return next;
}

// The page's state with the marks in place of the searched layer parameters; and the
// page's value of each.
function marked(state, space) {
  const dense = state.layers.find((l) => l.type === 'dense');
  const defaults = {
    learningRate: state.learningRate,
    batchSize: state.batchSize,
    units: dense?.units,
    rate: state.layers.find((l) => l.type === 'dropout')?.rate,
    optimizer: state.optimizer,
    l2: state.l2,
  };
  const marks = Object.fromEntries(Object.entries(MARKS).filter(([name]) => name in space));
  return { state: withParams(state, marks), defaults };
}

// Each mark in `text` replaced by what `param(name)` writes.
function unmark(text, param) {
  let out = text;
  for (const [name, mark] of Object.entries(MARKS)) out = out.split(String(mark)).join(param(name));
  return out;
}

// search: {space: {name: [values]}, method, trials, epochs, metric, k}.
export function searchJavaScript(state, info, search, importPath = 'dl-playground') {
  const { space, method, trials, epochs, metric, k } = search;
  const { state: s, defaults } = marked(state, space);
  const param = (name) => (name in space ? `(params.${name} ?? ${py(defaults[name])})` : py(defaults[name]));
  const graph = needsGraph(s.layers);
  const layers = s.layers.map((l, i) =>
    graph
      ? `  const h${i + 1} = ${unmark(jsLayer(l, -1, s, info), param)}.apply(${graphArguments(s.layers, i, 'h')});`
      : `      ${unmark(jsLayer(l, i, s, info), param)},`,
  );
  // A graph (graph.js) in the functional style, layer k's output named h<k>.
  const model = graph
    ? [
        `  const h0 = dl.input({ shape: [${info.inputShape.join(', ')}] });`,
        ...layers,
        `  const model = dl.model({ inputs: h0, outputs: h${s.layers.length}, seed: ${state.seed} });`,
      ]
    : ['  const model = dl.sequential({', `    seed: ${state.seed},`, '    layers: [', ...layers, '    ],', '  });'];
  const optimizer = `{ type: ${param('optimizer')}, learningRate: ${param('learningRate')} }`;
  const metrics = `['${metricOf(info.task)}']`;
  const spaceText = Object.entries(space).map(([name, v]) => {
    if (Array.isArray(v)) return `${name}: [${v.map(py).join(', ')}]`;
    const flags = `${v.log ? ', log: true' : ''}${v.whole ? ', whole: true' : ''}`;
    return `${name}: { min: ${v.min}, max: ${v.max}${flags} }`;
  });
  return [
    `import * as dl from '${importPath}';`,
    '',
    'await dl.ready();',
    ...jsData(state, info),
    '',
    '// The page’s model; a trial’s parameters replace the page’s values.',
    'function makeModel(params = {}) {',
    ...model,
    `  model.compile({ optimizer: ${optimizer}, loss: '${state.loss}', metrics: ${metrics}${state.fromLogits ? ', fromLogits: true' : ''} });`,
    '  return model;',
    '}',
    '',
    'const result = await dl.search({',
    `  space: { ${spaceText.join(', ')} },`,
    `  method: '${method}',${method === 'grid' ? '' : `\n  trials: ${trials},`}`,
    `  seed: ${state.seed},`,
    '  makeModel,',
    `  fitOptions: (params) => ({ epochs: ${epochs}, batchSize: ${param('batchSize')} }),`,
    '  data: { x, y, xVal: xTest, yVal: yTest },',
    `  metric: '${metric}',`,
    `  onTrial: (trial) => console.log('trial', JSON.stringify(trial.params), trial.value.toFixed(4)),`,
    '});',
    "console.log('best', JSON.stringify(result.best.params), result.best.value.toFixed(4));",
    '',
    `// k-fold cross-validation of the page's setup on the training set.`,
    'const cv = await dl.crossValidate({',
    '  makeModel: () => makeModel(),',
    '  x: { values: await x.data(), shape: x.shape },',
    '  y: { values: await y.data(), shape: y.shape },',
    `  k: ${k},`,
    `  fit: { epochs: ${epochs}, batchSize: ${state.batchSize} },`,
    `  metric: '${metric}',`,
    `  seed: ${state.seed},`,
    '});',
    "console.log('folds', cv.folds.map((f) => f.value.toFixed(4)).join(' '), 'mean', cv.mean.toFixed(4), 'spread', cv.std.toFixed(4));",
    '',
  ].join('\n');
}

// project: the search.py of a downloaded Keras project (its data from data.npz, where the
// training rows are already chosen).
export function searchKeras(state, info, search, { project = false } = {}) {
  const { space, method, trials, epochs, metric, k } = search;
  const { state: s, defaults } = marked(state, space);
  const param = (name) => (name in space ? `params.get('${PYTHON[name]}', ${py(defaults[name])})` : py(defaults[name]));
  const graph = needsGraph(s.layers);
  const input = `keras.Input(shape=(${info.inputShape.join(', ')}${info.inputShape.length === 1 ? ',' : ''}))`;
  const model = graph
    ? [
        `    h0 = ${input}`,
        ...s.layers.map(
          (l, i) => `    h${i + 1} = ${unmark(kerasLayer(l, s), param)}(${graphArguments(s.layers, i, 'h')})`,
        ),
        `    model = keras.Model(h0, h${s.layers.length})`,
      ]
    : [
        '    model = keras.Sequential([',
        `        ${input},`,
        ...s.layers.map((l) => `        ${unmark(kerasLayer(l, s), param)},`),
        '    ])',
      ];
  const names = [...new Set([state.optimizer, ...(space.optimizer ?? [])])];
  const optimizers = names.map((n) =>
    n === 'momentum'
      ? `'momentum': lambda learning_rate: keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)`
      : `'${n}': keras.optimizers.${kerasOptimizer(n)}`,
  );
  const metrics = `, metrics=['${metricOf(info.task)}']`;
  const loss = state.fromLogits
    ? `keras.losses.${kerasLoss(state.loss)}(from_logits=True)`
    : `'${lossSnake(state.loss)}'`;
  // A range is (low, high, log, whole): drawn from by `draw` in a random search.
  const bool = (v) => (v ? 'True' : 'False');
  const spaceText = Object.entries(space).map(([name, v]) =>
    Array.isArray(v)
      ? `'${PYTHON[name]}': [${v.map(py).join(', ')}]`
      : `'${PYTHON[name]}': (${v.min}, ${v.max}, ${bool(v.log)}, ${bool(v.whole)})`,
  );

  const better = metric.endsWith('loss') ? 'False' : 'True';
  const trialLoop =
    method === 'bayesian'
      ? kerasTuner(space, {
          trials,
          epochs,
          metric,
          param,
          initial: Math.min(trials, Math.max(3, Object.keys(space).length + 2)),
          seed: state.seed,
        })
      : [
          `space = {${spaceText.join(', ')}}`,
          method === 'grid'
            ? '# Grid search: every combination'
            : `# Random search: ${trials} draws\nrng = np.random.default_rng(${state.seed})`,
          method === 'grid'
            ? 'trials = [dict(zip(space, values)) for values in itertools.product(*space.values())]'
            : [
                'def draw(spec):',
                '    if isinstance(spec, list):',
                '        return spec[rng.integers(len(spec))]',
                '    low, high, log, whole = spec',
                '    value = np.exp(rng.uniform(np.log(low), np.log(high))) if log else rng.uniform(low, high)',
                '    return int(round(value)) if whole else float(value)',
                `trials = [{name: draw(spec) for name, spec in space.items()} for _ in range(${trials})]`,
              ].join('\n'),
          'results = []',
          'for params in trials:',
          '    model = make_model(params)',
          `    history = model.fit(x_train, y_train, batch_size=${param('batchSize')}, epochs=${epochs}, validation_data=(x_test, y_test), verbose=0)`,
          `    results.append((history.history['${metric}'][-1], params))`,
          `results.sort(key=lambda r: r[0], reverse=${better})`,
          'for value, params in results:',
          "    print(f'{value:.4f}', params)",
        ];
  return [
    method === 'bayesian' ? 'import keras_tuner' : 'import itertools',
    'import keras',
    'import numpy as np',
    'from keras import layers, regularizers',
    '',
    ...(project ? kerasProjectData(state, info) : kerasData(state, info)),
    ...kerasTechniqueData(project ? { ...state, only: null, per: 0, imbalance: null, resample: 'none' } : state),
    '',
    `OPTIMIZERS = {${optimizers.join(', ')}}`,
    '',
    '',
    "# The page's model; a trial's parameters replace the page's values.",
    'def make_model(params={}):',
    `    keras.utils.set_random_seed(${state.seed})`,
    ...model,
    `    optimizer = OPTIMIZERS[${param('optimizer')}](learning_rate=${param('learningRate')})`,
    `    model.compile(optimizer=optimizer, loss=${loss}${metrics})`,
    '    return model',
    '',
    '',
    ...trialLoop,
    '',
    `# k-fold cross-validation of the page's setup on the training set`,
    `order = np.random.default_rng(${state.seed}).permutation(len(x_train))`,
    'scores = []',
    `for fold in np.array_split(order, ${k}):`,
    '    rest = np.setdiff1d(order, fold)',
    '    model = make_model()',
    `    history = model.fit(x_train[rest], y_train[rest], batch_size=${state.batchSize}, epochs=${epochs}, validation_data=(x_train[fold], y_train[fold]), verbose=0)`,
    `    scores.append(history.history['${metric}'][-1])`,
    "print('folds', scores, 'mean', np.mean(scores), 'spread', np.std(scores))",
    '',
  ].join('\n');
}

// A Bayesian search in Keras: KerasTuner's BayesianOptimization over the same space (a
// list is a Choice, a range a Float or an Int, on a log scale where ours is), the page's
// model built from the tuner's values and its batch size set in fit.
function kerasTuner(space, { trials, epochs, metric, param, initial, seed }) {
  const hyperparameter = (name, v) => {
    const key = PYTHON[name];
    if (Array.isArray(v)) return `hp.Choice('${key}', [${v.map(py).join(', ')}])`;
    const sampling = v.log ? ", sampling='log'" : '';
    return v.whole
      ? `hp.Int('${key}', ${Math.round(v.min)}, ${Math.round(v.max)}${sampling})`
      : `hp.Float('${key}', ${v.min}, ${v.max}${sampling})`;
  };
  const direction = metric.endsWith('loss') ? 'min' : 'max';
  return [
    '# Bayesian search (KerasTuner): a Gaussian process picks each next trial',
    'class PageModel(keras_tuner.HyperModel):',
    '    def build(self, hp):',
    '        return make_model({',
    ...Object.entries(space).map(([name, v]) => `            '${PYTHON[name]}': ${hyperparameter(name, v)},`),
    '        })',
    '',
    '    def fit(self, hp, model, *args, **kwargs):',
    '        params = hp.values',
    `        return model.fit(*args, batch_size=${param('batchSize')}, **kwargs)`,
    '',
    '',
    'tuner = keras_tuner.BayesianOptimization(',
    '    PageModel(),',
    `    objective=keras_tuner.Objective('${metric}', direction='${direction}'),`,
    `    max_trials=${trials},`,
    `    num_initial_points=${initial},`,
    `    seed=${seed},`,
    "    directory='search',",
    "    project_name='page',",
    '    overwrite=True,',
    ')',
    `tuner.search(x_train, y_train, epochs=${epochs}, validation_data=(x_test, y_test), verbose=0)`,
    `for trial in tuner.oracle.get_best_trials(num_trials=${trials}):`,
    "    print(f'{trial.score:.4f}', trial.hyperparameters.values)",
  ];
}
