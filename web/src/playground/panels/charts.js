// Live loss and accuracy (or mean absolute error) charts with uPlot: training per batch,
// validation per epoch, and the session's earlier runs as faint labelled lines.
import { h, panel } from '../dom.js';

// uPlot loads with the first curve, so that a page's first screen does not wait for it.
let uPlot = null;
let loading = null;
const loadPlot = () =>
  (loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => (uPlot = m.default)));

// Axis numbers that stay short however large a diverging loss gets.
const short = (v) =>
  v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(0) : String(+v.toPrecision(3));

// Shorter charts on a short screen, so that both stay in the first screen.
const chartHeight = () => (globalThis.innerHeight < 820 ? 120 : 160);

const CHART_MS = 100;

const FAINT = ['#9bb7e8', '#f3c58f', '#a9d8a9', '#d4a9d8', '#c9c9c9'];

function chart(app, element, { title, key, validationKey, rate = false }) {
  const titleOf = () => (typeof title === 'function' ? title() : title);
  let plot = null;
  let seriesCount = -1;
  let pending = false;

  function tables() {
    const runs = [...app.runs.slice(-FAINT.length), ...(app.run ? [app.run] : [])];
    const current = app.run;
    const tablesList = [];
    const series = [{ label: 'epoch', value: (u, v) => (v == null ? '–' : v.toFixed(2)) }];
    runs.forEach((run, i) => {
      const isCurrent = run === current;
      tablesList.push([Float64Array.from(run.x), Float64Array.from(run[key])]);
      series.push({
        label: isCurrent ? `training (${run.label})` : run.label,
        stroke: isCurrent ? '#2f6fde' : FAINT[i % FAINT.length],
        width: isCurrent ? 1.5 : 1,
        spanGaps: true,
        value: (u, v) => (v == null ? '–' : v.toFixed(4)),
      });
      // The learning rate each batch used, on its own axis, while a schedule changes it.
      if (isCurrent && rate && run.state.schedule && run.lr?.length === run.x.length) {
        tablesList.push([Float64Array.from(run.x), Float64Array.from(run.lr)]);
        series.push({
          label: 'learning rate',
          scale: 'lr',
          stroke: '#6b7280',
          dash: [4, 3],
          width: 1.5,
          value: (u, v) => (v == null ? '–' : v.toPrecision(3)),
        });
      }
      if (isCurrent) {
        tablesList.push([Float64Array.from(run.vx), Float64Array.from(run[validationKey].map((v) => v ?? NaN))]);
        series.push({
          // Without a validation split the page validates on the test set.
          label: app.state.validationSplit > 0 ? 'validation' : 'test',
          stroke: '#e4572e',
          width: 2,
          spanGaps: true,
          points: { show: true, size: 7 },
          value: (u, v) => (v == null || Number.isNaN(v) ? '–' : v.toFixed(4)),
        });
      }
    });
    return { data: tablesList.length ? uPlot.join(tablesList) : [[]], series };
  }

  function draw() {
    pending = false;
    const empty = app.runs.length === 0 && !app.run;
    // Before the first run: a line saying what will come rather than empty axes.
    element.classList.toggle('chart-empty', empty);
    element.dataset.empty = empty ? `The ${titleOf()} curve appears here once training starts.` : '';
    if (!uPlot) {
      if (!empty) loadPlot().then(draw);
      return;
    }
    const { data, series } = tables();
    const width = Math.max(260, Math.min(element.clientWidth || 520, 900));
    if (!plot || series.length !== seriesCount) {
      plot?.destroy();
      seriesCount = series.length;
      plot = new uPlot(
        {
          title: titleOf(),
          width,
          height: chartHeight(),
          scales: { x: { time: false } },
          axes: [
            { label: 'epoch' },
            { size: 56, values: (u, values) => values.map(short) },
            ...(series.some((x) => x.scale === 'lr')
              ? [{ scale: 'lr', side: 1, size: 56, grid: { show: false }, values: (u, values) => values.map(short) }]
              : []),
          ],
          series,
          legend: { live: true },
        },
        data,
        element,
      );
    } else {
      plot.setData(data);
      const shown = plot.root.querySelector('.u-title');
      if (shown && shown.textContent !== titleOf()) shown.textContent = titleOf();
    }
  }
  // Redrawn ten times a second at most while batches come (the next frame after that).
  const schedule = () => {
    if (!pending) {
      pending = true;
      setTimeout(() => requestAnimationFrame(draw), CHART_MS);
    }
  };
  app.addEventListener('batch', schedule);
  app.addEventListener('epoch', schedule);
  app.addEventListener('runs', schedule);
  app.addEventListener('model', schedule);
  new ResizeObserver(
    () => plot && plot.setSize({ width: Math.max(260, Math.min(element.clientWidth, 900)), height: chartHeight() }),
  ).observe(element);
  draw();
}

export function chartsPanel(app) {
  const loss = h('div', { class: 'chart', 'data-chart': 'loss' });
  const metric = h('div', { class: 'chart', 'data-chart': 'metric' });
  const element = panel(
    'charts',
    'Loss and accuracy',
    loss,
    metric,
    h(
      'p',
      { class: 'hint' },
      'Hover for values. Earlier runs of this session stay as faint lines, labelled with what changed.',
    ),
  );
  const heading = element.querySelector('h2');
  app.addEventListener('model', () => {
    heading.textContent = app.task === 'regression' ? 'Loss and error' : 'Loss and accuracy';
  });
  queueMicrotask(() => {
    chart(app, loss, { title: 'loss', key: 'loss', validationKey: 'vloss', rate: true });
    chart(app, metric, {
      title: () => (app.task === 'regression' ? 'mean absolute error' : 'accuracy'),
      key: 'acc',
      validationKey: 'vacc',
    });
  });
  return element;
}
