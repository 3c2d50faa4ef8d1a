// Hyperparameter search and k-fold cross-validation on the page: choose values for the
// learning rate, batch size, the first hidden layer's units, dropout, the optimizer and L2
// (lists; ranges for random and Bayesian search), grid, random or Bayesian search under a
// budget of trials and epochs, run in the engine's worker while the page stays usable; a
// table of trials sorted by the validation metric, a scatter of one parameter against it
// (uPlot) or, for a Bayesian search, its surrogate and expected improvement over that
// parameter (surrogate_chart.js), "use this setup"; and cross-validation of the current
// setup with its folds, mean and spread. The settings are kept in the address
// (search_space.js).
import uPlot from 'uplot';
// Its styles place the plot's layers: without them a chart drawn before the charts panel
// loads them is pushed down under its own overlay.
import 'uplot/dist/uPlot.min.css';

import * as dl from '../../../lib/layers_api.js';
import { h, labelled, panel, select } from '../dom.js';
import { stateModel } from '../graph.js';
import { layerConfigs } from '../state.js';
import { compileOptions } from '../training.js';
import { searchJavaScript, searchKeras, withParams } from '../codegen_search.js';
import { SEARCH_PARAMETERS as PARAMETERS, SEARCH_PARAMS, searchSpace } from '../search_space.js';
import { checkValue } from '../checks.js';
import { drawSurrogate } from './surrogate_chart.js';

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
      h('input', {
        type: 'text',
        placeholder: p.example,
        value: app.state.searchSpace?.[name] ?? '',
        'aria-label': `search ${name}`,
      }),
    ]),
  );
  const method = select(
    [
      ['grid', 'grid: every combination'],
      ['random', 'random draws'],
      ['bayesian', 'Bayesian: a surrogate picks each next trial'],
    ],
    app.state.searchMethod,
    () => {},
    { 'aria-label': 'search method' },
  );
  const number = (value, label) => h('input', { type: 'number', class: 'num', min: '1', value, 'aria-label': label });
  const budget = number(String(app.state.searchTrials), 'trials');
  const epochs = number(String(app.state.searchEpochs), 'epochs per trial');
  const status = h('p', { class: 'hint', role: 'status' });
  const table = h('table', { class: 'trials' });
  const plotBox = h('div', { class: 'chart' });
  const axis = select(
    Object.keys(PARAMETERS).filter((name) => name !== 'optimizer'),
    app.state.surrogateOf,
    (name) => {
      app.update({ surrogateOf: name });
      drawPlot();
    },
    { 'aria-label': 'scatter parameter' },
  );
  // The scatter and its choice, shown once two trials can be drawn.
  const scatter = h('div', { hidden: true }, h('div', { class: 'row' }, labelled('drawn over', axis)), plotBox);
  let controller = null;
  let trials = [];
  let plot = null;
  // A Bayesian search's surrogate after its last trial (bayes.js), and the space it models.
  let surrogate = null;
  let searched = null;
  // The budget: {trials, epochs}, or {error} naming the field and its range.
  function counts() {
    try {
      return {
        trials: checkValue('trials', SEARCH_PARAMS.searchTrials, budget.value),
        epochs: checkValue('epochs per trial', SEARCH_PARAMS.searchEpochs, epochs.value),
      };
    } catch (error) {
      return { error: `Search: ${error.message}.` };
    }
  }
  // The fields as the state keeps them, for the address (a budget only when it is valid).
  const save = () => {
    const budgetNow = counts();
    app.update({
      searchMethod: method.value,
      ...(!budgetNow.error && { searchTrials: budgetNow.trials, searchEpochs: budgetNow.epochs }),
      searchSpace: Object.fromEntries(
        Object.entries(fields)
          .filter(([, input]) => input.value.trim())
          .map(([name, input]) => [name, input.value.trim()]),
      ),
    });
  };
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

  // The chosen parameter against the metric, one point per trial (numbers only); for a
  // Bayesian search of a numeric parameter, its surrogate and expected improvement.
  function drawPlot() {
    const name = axis.value;
    plot?.destroy();
    plot = null;
    const spec = searched?.[name];
    if (surrogate && spec && (!Array.isArray(spec) || spec.every((v) => typeof v === 'number'))) {
      scatter.hidden = false;
      plot = drawSurrogate(plotBox, { name, log: Boolean(spec.log), metric: metricName(), surrogate, trials });
      return;
    }
    const points = trials
      .filter((t) => typeof t.params[name] === 'number')
      .map((t) => [t.params[name], t.value])
      .sort((a, b) => a[0] - b[0]);
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
  const readSpace = () =>
    searchSpace(Object.fromEntries(Object.entries(fields).map(([name, input]) => [name, input.value])), method.value);

  async function startSearch() {
    const { space, error } = readSpace();
    const budgetNow = counts();
    if (error || budgetNow.error) return app.say(error ?? budgetNow.error, 'error');
    const data = app.data;
    if (!data || app.problem) return app.say(app.problem ?? 'Search: the data set is still loading.', 'error');
    const { x, y, xTest, yTest } = data.tensors(app.target);
    controller = new AbortController();
    trials = [];
    surrogate = null;
    searched = space;
    drawTable();
    drawPlot();
    const base = app.state;
    status.textContent = 'Searching…';
    try {
      const result = await dl.search({
        space,
        method: method.value,
        trials: budgetNow.trials,
        seed: base.seed,
        makeModel: (params) => modelFor(app, withParams(base, params)),
        fitOptions: (params) => ({ epochs: budgetNow.epochs, batchSize: withParams(base, params).batchSize }),
        data: { x, y, xVal: xTest, yVal: yTest },
        metric: metricName(),
        signal: controller.signal,
        onTrial: (trial, all, next) => {
          trials = [...all];
          surrogate = next;
          const values = all.map((t) => t.value).filter(Number.isFinite);
          const best = metricName().endsWith('loss') ? Math.min(...values) : Math.max(...values);
          status.textContent = `${all.length} trial${all.length === 1 ? '' : 's'} done; best ${metricName()} so far ${best.toFixed(4)}.${next ? ` Next: a ${next.chosenBy}.` : ''}`;
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
    const budgetNow = counts();
    const info = { ...app.info, target: app.target };
    if (error || budgetNow.error || !info.inputShape || !app.model) {
      jsCode.textContent = kerasCode.textContent =
        error ?? budgetNow.error ?? 'The code comes once the model is built.';
      return;
    }
    const search = {
      space,
      method: method.value,
      trials: budgetNow.trials,
      epochs: budgetNow.epochs,
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
  for (const input of [...Object.values(fields), method, budget, epochs]) input.addEventListener('change', save);
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
      labelled('trials (random, Bayesian)', budget),
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
