// For a classifier's test set: the ROC and precision-recall curves (one class against the
// rest for each class, or class 1 for two classes) with their areas, and the per-class
// table with F1 and the macro and weighted averages (dl.metrics).
import * as dl from '../../../lib/layers_api.js';
import { h } from '../dom.js';

const COLOURS = [
  '#2f6fde',
  '#e4572e',
  '#17a673',
  '#9b59b6',
  '#f39c12',
  '#16a5b8',
  '#c0392b',
  '#7f8c8d',
  '#8e44ad',
  '#2c3e50',
];
const SIZE = 200;

// Draws curves ([{xs, ys, colour}]) in the unit square with axes; `diagonal` for ROC.
function plot(canvas, curves, { xLabel, yLabel, diagonal }) {
  const ctx = canvas.getContext('2d');
  const pad = 28;
  const side = SIZE - pad - 6;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.strokeRect(pad, 6, side, side);
  ctx.fillStyle = '#444';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(xLabel, pad + side / 2, SIZE - 4);
  ctx.fillText('0', pad, 6 + side + 11);
  ctx.fillText('1', pad + side, 6 + side + 11);
  ctx.save();
  ctx.translate(10, 6 + side / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
  const at = (x, y) => [pad + x * side, 6 + (1 - y) * side];
  if (diagonal) {
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(...at(0, 0));
    ctx.lineTo(...at(1, 1));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  for (const { xs, ys, colour } of curves) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    xs.forEach((x, i) => (i ? ctx.lineTo(...at(x, ys[i])) : ctx.moveTo(...at(x, ys[i]))));
    ctx.stroke();
  }
}

export function curvesSection(app) {
  const roc = h('canvas', { width: SIZE, height: SIZE, role: 'img', 'aria-label': 'ROC curves' });
  const pr = h('canvas', { width: SIZE, height: SIZE, role: 'img', 'aria-label': 'precision-recall curves' });
  const legend = h('ul', { class: 'curve-legend' });
  const table = h('table', { class: 'per-class' });
  const element = h(
    'div',
    { class: 'curves' },
    h('h3', {}, 'Per class, and ROC and precision-recall curves'),
    table,
    h('div', { class: 'row' }, roc, pr, legend),
    h(
      'p',
      { class: 'hint' },
      'ROC: the share of a class found (true positive rate) against the share of other samples wrongly taken for it, as the threshold on its score falls; AUC is the chance that one of the class scores above one that is not. Precision-recall: how many of those taken are right, against how many of the class are found; AP sums precision over the recall gained.',
    ),
  );

  // evaluation: {result (the engine's evaluateMetrics), labels, output (n x k scores), k,
  // n}; name(c): a class's name. The per-class scores are the engine's.
  function render(evaluation, name) {
    const { labels, output, k, n } = evaluation;
    const report = dl.metrics.reportRows(evaluation.result);
    const pct = (v) => `${(v * 100).toFixed(1)}%`;
    const row = (label, r, support, cls) =>
      h(
        'tr',
        cls ? { class: cls } : {},
        h('th', { scope: 'row' }, label),
        h('td', {}, pct(r.precision)),
        h('td', {}, pct(r.recall)),
        h('td', {}, pct(r.f1)),
        h('td', {}, String(support)),
      );
    table.replaceChildren(
      h('tr', {}, ...['class', 'precision', 'recall', 'F1', 'support'].map((t) => h('th', {}, t))),
      ...report.perClass.map((r, c) => row(name(c), r, r.support)),
      row('macro average', report.macro, n, 'average'),
      row('weighted average', report.weighted, n, 'average'),
    );
    // One curve per class against the rest (only class 1 for a single sigmoid output).
    const shown = k === 1 ? [1] : Array.from({ length: k }, (_, c) => c);
    const curves = [];
    for (const c of shown) {
      const scores = Array.from({ length: n }, (_, i) => (k === 1 ? output[i] : output[i * k + c]));
      const positives = labels.map((t) => t === c);
      if (!positives.some(Boolean) || positives.every(Boolean)) continue;
      curves.push({
        c,
        colour: COLOURS[c % COLOURS.length],
        roc: dl.metrics.rocCurve(scores, positives),
        pr: dl.metrics.precisionRecallCurve(scores, positives),
      });
    }
    plot(
      roc,
      curves.map((x) => ({ xs: x.roc.fpr, ys: x.roc.tpr, colour: x.colour })),
      {
        xLabel: 'false positive rate',
        yLabel: 'true positive rate',
        diagonal: true,
      },
    );
    plot(
      pr,
      curves.map((x) => ({ xs: x.pr.recall, ys: x.pr.precision, colour: x.colour })),
      {
        xLabel: 'recall',
        yLabel: 'precision',
      },
    );
    legend.replaceChildren(
      ...curves.map((x) =>
        h(
          'li',
          {},
          h('span', { class: 'swatch', style: `background: ${x.colour}` }),
          `${name(x.c)}: AUC ${x.roc.auc.toFixed(3)}, AP ${x.pr.averagePrecision.toFixed(3)}`,
        ),
      ),
    );
    app.curvesShown = {
      auc: Object.fromEntries(curves.map((x) => [x.c, x.roc.auc])),
      macro: report.macro,
      weighted: report.weighted,
    };
  }
  return { element, render };
}
