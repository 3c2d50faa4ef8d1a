// A Bayesian search's reasoning on the page, after each trial: over one parameter's range
// (the other parameters held at the next trial's values), the surrogate's mean with a band
// of two standard deviations and the trials so far as points; below it, the expected
// improvement, whose highest point is the next trial (marked in both). Drawn with uPlot.
import uPlot from 'uplot';

import { h } from '../dom.js';

const BLUE = '#2f6fde';
const ORANGE = '#e8710a';

// The x values of the curve and of the points, merged and sorted; each series is given
// at its own x values and null elsewhere.
function merge(columns) {
  const xs = [...new Set(columns.flatMap((c) => c.x))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const series = columns.map((c) => {
    const values = new Array(xs.length).fill(null);
    c.x.forEach((x, i) => (values[at.get(x)] = c.y[i]));
    return values;
  });
  return [xs, ...series];
}

// A scale's range around finite values, with a margin.
function around(values) {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 0.1;
  return [lo - pad, hi + pad];
}

// Draws into `box` (replacing what was there); name: the parameter, log: its scale,
// metric: the metric's name, surrogate: search's (bayes.js), trials: {params, value}[].
// Returns {destroy}.
export function drawSurrogate(box, { name, log, metric, surrogate, trials }) {
  const slice = surrogate.slice(name);
  const next = slice.at[name];
  const nextIndex = slice.x.indexOf(next);
  const nextMean = nextIndex >= 0 ? slice.mean[nextIndex] : surrogate.predict(slice.at).mean;
  const nextEi = nextIndex >= 0 ? slice.ei[nextIndex] : surrogate.expectedImprovement(slice.at);
  const tried = trials.filter((t) => typeof t.params[name] === 'number' && Number.isFinite(t.value));
  const upper = slice.mean.map((m, i) => m + 2 * slice.std[i]);
  const lower = slice.mean.map((m, i) => m - 2 * slice.std[i]);
  const top = merge([
    { x: slice.x, y: slice.mean },
    { x: slice.x, y: upper },
    { x: slice.x, y: lower },
    { x: tried.map((t) => t.params[name]), y: tried.map((t) => t.value) },
    { x: [next], y: [nextMean] },
  ]);
  const x = { time: false, distr: log ? 3 : 1, range: (u, lo, hi) => (log ? [lo / 1.2, hi * 1.2] : [lo, hi]) };
  const line = (label, stroke, extra = {}) => ({ label, stroke, spanGaps: true, points: { show: false }, ...extra });
  const dots = (label, color, size) => ({
    label,
    stroke: color,
    fill: color,
    paths: () => null,
    points: { show: true, size },
  });
  const width = Math.max(280, Math.min(420, box.clientWidth || 320));
  const meanPlot = new uPlot(
    {
      width,
      height: 180,
      scales: { x, y: { range: () => around([...upper, ...lower, ...tried.map((t) => t.value)]) } },
      axes: [{ label: name }, { label: metric, size: 56 }],
      series: [
        {},
        line('surrogate mean', BLUE, { width: 2 }),
        line('mean + 2 std', 'rgba(47,111,222,0.3)'),
        line('mean − 2 std', 'rgba(47,111,222,0.3)'),
        dots('trials', '#222', 7),
        dots('next trial', ORANGE, 11),
      ],
      bands: [{ series: [2, 3], fill: 'rgba(47,111,222,0.12)' }],
      legend: { show: false },
    },
    top,
    box,
  );
  const eiPlot = new uPlot(
    {
      width,
      height: 180,
      scales: { x, y: { range: () => [0, Math.max(...slice.ei, nextEi) * 1.1 || 1] } },
      axes: [{ label: name }, { label: 'exp. improvement', size: 56 }],
      series: [{}, line('expected improvement', ORANGE, { width: 2 }), dots('next trial', ORANGE, 11)],
      legend: { show: false },
    },
    merge([
      { x: slice.x, y: slice.ei },
      { x: [next], y: [nextEi] },
    ]),
    box,
  );
  const how =
    surrogate.chosenBy === 'expected improvement'
      ? 'chosen where the improvement over the best so far is expected to be highest'
      : 'a random draw (the first trials explore)';
  const caption = h(
    'p',
    { class: 'hint surrogate-caption' },
    `The surrogate of ${metric} over ${name}, the other parameters held at the next trial's; the band is two standard deviations; the trials are drawn at their own values of the others. The next trial (orange) is ${how}: ${name} = ${+next.toPrecision(4)}.`,
  );
  box.append(caption);
  return {
    destroy() {
      meanPlot.destroy();
      eiPlot.destroy();
      caption.remove();
    },
  };
}
