// A forecaster's view, for a time series (generated sines or a column of the user's CSV),
// renewed while it trains: the test part of the series, the model's forecast of each next
// value from the window before it, and the model running on its own forecasts from the
// first test window on; with the one-step error against repeating the last value. All in
// the series' own units, from the engine's predictions; app.forecastView keeps what was
// drawn (and when its predictions began).
import * as dl from '../../../lib/layers_api.js';
import { h, panel } from '../dom.js';
import { throttled } from './throttle.js';

const EVERY = 1500; // ms between redraws while training
const SHOWN = 240; // test values drawn
const AHEAD = 48; // values the model forecasts from its own forecasts
const WIDTH = 960; // at most; as wide as the panel shows it (a phone's 340), so that labels keep their size
const HEIGHT = 220;
const LEFT = 56; // room for the values' labels
const COLOURS = { actual: '#222', oneStep: '#2f6fde', freeRun: '#e4572e' };

// The root mean square of the differences between two arrays' first n values.
function rmse(a, b, n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum / n);
}

// The model's forecasts for `n` windows of `steps` values (scaled), as one batch.
async function forecasts(model, windows, n, steps) {
  const x = dl.tensor(windows.subarray(0, n * steps), [n, steps, 1]);
  try {
    return (await model.predictValues(x)).values;
  } finally {
    x.dispose();
  }
}

// `count` values forecast one after another from `window`, each read back as the newest.
async function runAhead(model, window, count) {
  const steps = window.length;
  const recent = Float32Array.from(window);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = (await forecasts(model, recent, 1, steps))[0];
    recent.copyWithin(0, 1);
    recent[steps - 1] = out[i];
  }
  return out;
}

export function forecastPanel(app) {
  const canvas = h('canvas', {
    width: WIDTH,
    height: HEIGHT,
    role: 'img',
    'aria-label': 'the series and the forecasts',
  });
  const key = h(
    'p',
    { class: 'hint forecast-key' },
    ...Object.entries({
      actual: 'the series',
      oneStep: 'forecast from the values before',
      freeRun: 'forecast from its own forecasts',
    }).map(([k, text]) => h('span', { style: `color: ${COLOURS[k]}` }, `━ ${text} `)),
  );
  const caption = h('p', { class: 'hint', role: 'status' });

  async function refresh() {
    const data = app.data;
    element.hidden = !data?.series;
    if (element.hidden || !app.model || app.problem) return;
    const model = app.model;
    const started = performance.now();
    const steps = data.inSteps;
    const n = Math.min(SHOWN, data.test.n);
    const ahead = Math.min(AHEAD, n);
    try {
      const oneStep = await forecasts(model, data.test.x, n, steps);
      const freeRun = await runAhead(model, data.test.x.subarray(0, steps), ahead);
      if (model !== app.model || data !== app.data) return;
      const { mean, deviation } = data.scale;
      const units = (values) => Float64Array.from(values, (v) => v * deviation + mean);
      // The value before each target (the window's last) is the naive forecast.
      const last = Float32Array.from({ length: n }, (_, i) => data.test.x[i * steps + steps - 1]);
      const view = {
        started,
        actual: units(data.test.y.subarray(0, n)),
        oneStep: units(oneStep),
        freeRun: units(freeRun),
        naive: units(last),
      };
      view.error = rmse(view.oneStep, view.actual, n);
      view.naiveError = rmse(view.naive, view.actual, n);
      view.freeRunError = rmse(view.freeRun, view.actual, ahead);
      draw(view, n);
      const better = 100 * (1 - view.error / view.naiveError);
      caption.textContent = `The first ${n} test values after windows of ${steps}. Error of the forecast (root mean square, in the series' units): ${format(view.error)}, against ${format(view.naiveError)} for repeating the last value (${better >= 0 ? `${better.toFixed(0)}% better` : `${(-better).toFixed(0)}% worse`}); ${ahead} values ahead on its own forecasts: ${format(view.freeRunError)}.`;
      app.forecastView = view;
      app.emit('forecast-view');
    } catch (error) {
      if (model === app.model && !model.disposed) throw error;
    }
  }

  function draw(view, n) {
    const width = Math.round(Math.min(WIDTH, Math.max(280, canvas.clientWidth || WIDTH)));
    if (canvas.width !== width) canvas.width = width;
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, width, HEIGHT);
    const all = [...view.actual, ...view.oneStep, ...view.freeRun].filter(Number.isFinite);
    const low = Math.min(...all);
    const span = Math.max(...all) - low || 1;
    const x = (i) => LEFT + (i / Math.max(1, n - 1)) * (width - LEFT - 8);
    const y = (v) => HEIGHT - 10 - ((v - low) / span) * (HEIGHT - 20);
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = '#666';
    ctx.strokeStyle = '#ddd';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of [low, low + span / 2, low + span]) {
      ctx.fillText(format(v), LEFT - 6, y(v));
      ctx.beginPath();
      ctx.moveTo(LEFT, y(v));
      ctx.lineTo(width - 8, y(v));
      ctx.stroke();
    }
    for (const name of ['actual', 'oneStep', 'freeRun']) {
      const values = view[name];
      ctx.strokeStyle = COLOURS[name];
      ctx.lineWidth = name === 'actual' ? 1.5 : 1.25;
      ctx.setLineDash(name === 'freeRun' ? [5, 3] : []);
      ctx.beginPath();
      values.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  const schedule = throttled(app, EVERY, refresh);
  app.addEventListener('refresh', schedule);
  app.addEventListener('model', schedule);
  app.addEventListener('data', schedule);
  const element = panel('forecast', 'Forecast', canvas, key, caption);
  element.hidden = true;
  return element;
}

// A number in the series' units, with three significant digits.
const format = (v) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(3));
