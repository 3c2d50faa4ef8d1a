// Hyperparameter search and k-fold cross-validation on the page: choose values for the
// learning rate, batch size, the first hidden layer's units, dropout, the optimizer and L2
// (lists; ranges at random), grid or random search under a budget of trials and epochs,
// run in the engine's worker while the page stays usable; a table of trials sorted by the
// validation metric, a scatter of one parameter against it (uPlot), "use this setup";
// and cross-validation of the current setup with its folds, mean and spread.
import uPlot from 'uplot';

import * as dl from '../../../lib/layers_api.js';
import { show } from '../../../lib/layers_api.js';
import { h, labelled, panel, select } from '../dom.js';
import { stateModel } from '../graph.js';
import { layerConfigs } from '../state.js';
import { compileOptions } from '../training.js';
import { searchJavaScript, searchKeras, withParams } from '../codegen_search.js';

// The parameters a search may vary: how each is read from its field and put into a state.
// A range (low..high) is drawn from by random search: on a log scale for `log`, rounded
// for `whole`.
const PARAMETERS = {
  learningRate: { label: 'learning rate', example: '0.001, 0.1 or 0.0001..0.1', parse: Number, log: true },
  batchSize: { label: 'batch size', example: '16, 64 or 8..128', parse: (v) => Math.round(Number(v)), whole: true },
  units: {
    label: 'units of the first Dense layer',
    example: '8, 32 or 4..64',
    parse: (v) => Math.round(Number(v)),
    whole: true,
  },
  rate: { label: 'dropout rate', example: '0.2, 0.5 or 0..0.5', parse: Number },
  optimizer: { label: 'optimizer', example: 'adam, sgd', parse: (v) => v.trim() },
  l2: { label: 'L2', example: '0, 0.001 or 0.00001..0.01', parse: Number, log: true },
};

// A field's text as a search space entry: a list of values, or {min, max, log, whole} for
// low..high; or {error}.
function parseField(name, text, method) {
  const p = PARAMETERS[name];
  const range = /^\s*([^,]+?)\s*\.\.\s*([^,]+?)\s*$/.exec(text);
  if (range && name !== 'optimizer') {
    const [min, max] = [Number(range[1]), Number(range[2])];
    if (!(Number.isFinite(min) && Number.isFinite(max) && max >= min && (!p.log || min > 0)))
      return {
        error: `Search: ${p.label}: a range is low..high with low <= high${p.log ? ', both above 0' : ''}; got ${show(text)}.`,
      };
    if (method !== 'random')
      return { error: `Search: ${p.label}: a range (${text}) is for random search; a grid takes lists.` };
    return { values: { min, max, ...(p.log && { log: true }), ...(p.whole && { whole: true }) } };
  }
  const values = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map(p.parse);
  if (values.some((v) => typeof v === 'number' && !Number.isFinite(v)))
    return { error: `Search: ${p.label} must be numbers separated by commas, or low..high; got ${show(text)}.` };
  return { values: values.length ? values : null };
}

// A fresh compiled model for a state, on the app's data.
function modelFor(app, state) {
  const configs = layerConfigs(state, app.info.inputShape);
  const model = stateModel(configs, state.layers, app.info.inputShape, state.seed);
  model.compile(compileOptions(state, app.task));
  return model;
}

// A scale's range around values, with a margin.
function range(values, log = false) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (log) return [lo / 2, hi * 2];
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 0.1;
  return [lo - pad, hi + pad];
}

export function tuningPanel(app) {
  const fields = Object.fromEntries(
    Object.entries(PARAMETERS).map(([name, p]) => [
      name,
      h('input', { type: 'text', placeholder: p.example, 'aria-label': `search ${name}` }),
    ]),
  );
  const method = select(
    [
      ['grid', 'grid: every combination'],
      ['random', 'random draws'],
    ],
    'grid',
    () => {},
    { 'aria-label': 'search method' },
  );
  const budget = h('input', { type: 'number', class: 'num', min: '1', value: '8', 'aria-label': 'trials' });
  const epochs = h('input', { type: 'number', class: 'num', min: '1', value: '5', 'aria-label': 'epochs per trial' });
  const status = h('p', { class: 'hint', role: 'status' });
  const table = h('table', { class: 'trials' });
  const plotBox = h('div', { class: 'chart' });
  const axis = select(Object.keys(PARAMETERS), 'learningRate', () => drawPlot(), { 'aria-label': 'scatter parameter' });
  // The scatter and its choice, shown once two trials can be drawn.
  const scatter = h('div', { hidden: true }, h('div', { class: 'row' }, labelled('scatter of', axis)), plotBox);
  let controller = null;
  let trials = [];
  let plot = null;
  const metricName = () => (app.task === 'classification' ? 'val_accuracy' : 'val_loss');

  // The table is sorted by the metric, best first, until a column's heading is clicked
  // (again: the other way round).
  let sortBy = null;
  let ascending = false;
  const sortOn = (column) => {
    ascending = sortBy === column ? !ascending : column !== 'value' || metricName().endsWith('loss');
    sortBy = column;
    drawTable();
  };
  const cell = (t, column) => (column === 'value' ? t.value : column === '#' ? t.index : t.params[column]);
  function drawTable() {
    const metric = metricName();
    const names = Object.keys(trials[0]?.params ?? {});
    const column = sortBy ?? 'value';
    const up = sortBy ? ascending : metric.endsWith('loss');
    const sorted = [...trials].sort((a, b) => {
      const [x, y] = [cell(a, column), cell(b, column)];
      const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
      return up ? order : -order;
    });
    const heading = (text, key) =>
      h(
        'th',
        { 'aria-sort': column === key ? (up ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', onclick: () => sortOn(key) }, text),
      );
    table.replaceChildren(
      h('tr', {}, heading('#', '#'), ...names.map((n) => heading(n, n)), heading(metric, 'value'), h('th', {}, '')),
      ...sorted.map((t) =>
        h(
          'tr',
          {},
          h('td', {}, String(t.index + 1)),
          ...names.map((n) =>
            h('td', {}, String(typeof t.params[n] === 'number' ? +t.params[n].toPrecision(4) : t.params[n])),
          ),
          h('td', {}, t.value.toFixed(4)),
          h(
            'td',
            {},
            h(
              'button',
              { type: 'button', class: 'use-trial', onclick: () => app.update(withParams(app.state, t.params)) },
              'use this setup',
            ),
          ),
        ),
      ),
    );
  }

  // The chosen parameter against the metric, one point per trial (numbers only).
  function drawPlot() {
    const name = axis.value;
    const points = trials
      .filter((t) => typeof t.params[name] === 'number')
      .map((t) => [t.params[name], t.value])
      .sort((a, b) => a[0] - b[0]);
    plot?.destroy();
    plot = null;
    scatter.hidden = trials.length < 2;
    if (points.length < 2) return;
    plot = new uPlot(
      {
        width: 320,
        height: 180,
        // Several trials may share a value: the ranges are set from every point.
        scales: {
          x: {
            time: false,
            distr: name === 'learningRate' ? 3 : 1,
            range: () =>
              range(
                points.map((p) => p[0]),
                name === 'learningRate',
              ),
          },
          y: { range: () => range(points.map((p) => p[1])) },
        },
        axes: [{ label: name }, { label: metricName(), size: 56 }],
        series: [{}, { label: metricName(), stroke: '#2f6fde', paths: () => null, points: { show: true, size: 8 } }],
        legend: { show: false },
      },
      [points.map((p) => p[0]), points.map((p) => p[1])],
      plotBox,
    );
  }

  // {space} from the fields, or {error}.
  function readSpace() {
    const space = {};
    for (const [name, input] of Object.entries(fields)) {
      const { values, error } = parseField(name, input.value, method.value);
      if (error) return { error };
      if (values) space[name] = values;
    }
    if (!Object.keys(space).length) return { error: 'Search: give at least one parameter some values to try.' };
    return { space };
  }

  async function startSearch() {
    const { space, error } = readSpace();
    if (error) return app.say(error, 'error');
    const data = app.data;
    if (!data || app.problem) return app.say(app.problem ?? 'Search: the data set is still loading.', 'error');
    const { x, y, xTest, yTest } = data.tensors(app.target);
    controller = new AbortController();
    trials = [];
    drawTable();
    const base = app.state;
    const epochCount = Math.max(1, Math.round(Number(epochs.value) || 5));
    status.textContent = 'Searching…';
    try {
      const result = await dl.search({
        space,
        method: method.value,
        trials: Math.max(1, Math.round(Number(budget.value) || 8)),
        seed: base.seed,
        makeModel: (params) => modelFor(app, withParams(base, params)),
        fitOptions: (params) => ({ epochs: epochCount, batchSize: withParams(base, params).batchSize }),
        data: { x, y, xVal: xTest, yVal: yTest },
        metric: metricName(),
        signal: controller.signal,
        onTrial: (trial, all) => {
          trials = [...all];
          status.textContent = `${all.length} trial${all.length === 1 ? '' : 's'} done; best ${metricName()} so far ${Math.max(...all.map((t) => t.value)).toFixed(4)}.`;
          drawTable();
          drawPlot();
        },
      });
      app.searchResult = result;
      status.textContent = `${result.aborted ? 'Cancelled after' : 'Done:'} ${result.trials.length} trials; the best is at the top (${metricName()} on the test set).`;
    } catch (error) {
      status.textContent = `Search stopped: ${error.message}`;
    } finally {
      controller = null;
    }
  }

  // Cross-validation of the current setup on the training data.
  const k = h('input', { type: 'number', class: 'num', min: '2', max: '10', value: '5', 'aria-label': 'folds' });
  const folds = h('p', { class: 'hint', role: 'status' });
  async function crossValidate() {
    const data = app.data;
    if (!data || app.problem) return app.say(app.problem ?? 'The data set is still loading.', 'error');
    const images = Boolean(data.image);
    const n = images ? data.trainCount : data.train.n;
    const x = images
      ? { values: Float32Array.from(data.trainImages, (v) => v / 255), shape: [n, ...data.imageShape] }
      : { values: data.train.x, shape: [n, ...data.inputShape] };
    const labels = data.trainLabelsArray;
    const width = app.target === 'onehot' ? data.classes : 1;
    const yValues = new Float32Array(n * width);
    for (let i = 0; i < n; i++) {
      if (app.target === 'onehot') yValues[i * width + labels[i]] = 1;
      else yValues[i] = labels[i];
    }
    const metric = metricName();
    folds.textContent = 'Cross-validating…';
    const shown = [];
    try {
      const result = await dl.crossValidate({
        makeModel: () => modelFor(app, app.state),
        x,
        y: { values: yValues, shape: [n, width] },
        k: Math.round(Number(k.value) || 5),
        fit: { epochs: Math.max(1, app.state.epochs || 5), batchSize: app.state.batchSize },
        metric,
        seed: app.state.seed,
        onFold: (fold) => {
          shown.push(`fold ${fold.fold + 1}: ${fold.value.toFixed(4)}`);
          folds.textContent = `${shown.join(', ')}…`;
        },
      });
      app.crossValidation = result;
      folds.textContent = `${shown.join(', ')}. ${metric}: mean ${result.mean.toFixed(4)}, spread (standard deviation) ${result.std.toFixed(4)}.`;
    } catch (error) {
      folds.textContent = `Cross-validation stopped: ${error.message}`;
    }
  }

  // This search and cross-validation as code, from the fields as they are.
  const jsCode = h('pre', { class: 'code', tabindex: '0', 'aria-label': 'search JavaScript code' });
  const kerasCode = h('pre', { class: 'code', tabindex: '0', 'aria-label': 'search Keras code' });
  function writeCode() {
    const { space, error } = readSpace();
    const info = { ...app.info, target: app.target };
    if (error || !info.inputShape || !app.model) {
      jsCode.textContent = kerasCode.textContent = error ?? 'The code comes once the model is built.';
      return;
    }
    const search = {
      space,
      method: method.value,
      trials: Math.max(1, Math.round(Number(budget.value) || 8)),
      epochs: Math.max(1, Math.round(Number(epochs.value) || 5)),
      metric: metricName(),
      k: Math.round(Number(k.value) || 5),
    };
    jsCode.textContent = searchJavaScript(app.state, info, search);
    kerasCode.textContent = searchKeras(app.state, info, search);
  }
  const code = h(
    'details',
    { class: 'search-code', ontoggle: () => code.open && writeCode() },
    h('summary', {}, 'This search and cross-validation as code'),
    h('h3', {}, 'JavaScript (this engine)'),
    jsCode,
    h('h3', {}, 'Keras (Python)'),
    kerasCode,
  );
  const rewrite = () => code.open && writeCode();
  for (const input of [...Object.values(fields), method, budget, epochs, k]) input.addEventListener('change', rewrite);
  app.addEventListener('model', rewrite);

  const element = panel(
    'tuning',
    'Search and cross-validation',
    h(
      'p',
      { class: 'hint' },
      'Values to try, separated by commas (leave a field empty to keep the page’s setting). Each trial trains a fresh model on the training set and is scored on the test set.',
    ),
    h(
      'div',
      { class: 'grid' },
      Object.entries(fields).map(([name, input]) => labelled(PARAMETERS[name].label, input)),
    ),
    h(
      'div',
      { class: 'row' },
      labelled('method', method),
      labelled('trials (random)', budget),
      labelled('epochs per trial', epochs),
      h('button', { type: 'button', class: 'btn-search', onclick: () => startSearch() }, 'Search'),
      h('button', { type: 'button', onclick: () => controller?.abort() }, 'Cancel'),
    ),
    status,
    table,
    scatter,
    h('h3', {}, 'k-fold cross-validation of this setup'),
    h(
      'div',
      { class: 'row' },
      labelled('k', k),
      h('button', { type: 'button', class: 'btn-cv', onclick: () => crossValidate() }, 'Cross-validate'),
    ),
    folds,
    code,
  );
  return element;
}
