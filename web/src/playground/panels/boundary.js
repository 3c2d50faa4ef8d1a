// For the 2D data sets: the whole network's decision boundary (or regression surface)
// under the data points, sampled at 100x100 points and interpolated when drawn (or shown
// as two classes, discretized), with its colour scale. Every layer's outputs over the same
// plane go to the network view (app.unitMaps), which draws each unit as a heatmap.
import * as dl from '../../../lib/layers_api.js';
import { data as dataSets } from '../../../lib/layers_api.js';
import { divergingRgb, drawGrid, h, panel } from '../dom.js';

const RANGE = 6;
const GRID = 100;

const gridPoints = new Float32Array(GRID * GRID * 2);
for (let row = 0; row < GRID; row++)
  for (let col = 0; col < GRID; col++) {
    const k = row * GRID + col;
    gridPoints[2 * k] = -RANGE + ((col + 0.5) * 2 * RANGE) / GRID;
    gridPoints[2 * k + 1] = RANGE - ((row + 0.5) * 2 * RANGE) / GRID;
  }

// The grid's points as the network's inputs: the chosen features of each point (made once
// per choice of features).
const featureGrids = new Map();
function featureGrid(features) {
  const key = features.join();
  if (!featureGrids.has(key)) {
    const n = GRID * GRID;
    const out = new Float32Array(n * features.length);
    for (let i = 0; i < n; i++)
      features.forEach(
        (f, j) => (out[i * features.length + j] = dataSets.FEATURES[f](gridPoints[2 * i], gridPoints[2 * i + 1])),
      );
    featureGrids.set(key, out);
  }
  return featureGrids.get(key);
}

export function boundaryPanel(app) {
  const size = 280;
  const canvas = h('canvas', { width: size, height: size, role: 'img', 'aria-label': 'data and decision boundary' });
  const testToggle = h('input', {
    type: 'checkbox',
    checked: app.state.showTest,
    onchange: () => app.update({ showTest: testToggle.checked }),
  });
  const discreteToggle = h('input', {
    type: 'checkbox',
    checked: app.state.discretize,
    onchange: () => app.update({ discretize: discreteToggle.checked }),
  });
  // The colour scale: a bar from one end to the other and what its ends and middle mean.
  const scaleBar = h('canvas', {
    width: 200,
    height: 10,
    class: 'scale-bar',
    role: 'img',
    'aria-label': 'colour scale',
  });
  const scaleLabels = h('div', { class: 'scale-labels' });
  const scaleLegend = h('div', { class: 'scale' }, scaleBar, scaleLabels);
  const legend = h(
    'p',
    { class: 'hint' },
    'Blue: class 1 (or high values), orange: class 0 (or low). Points with a dark ring are test points.',
  );
  let lastSurface = null;
  let shownView = `${app.state.showTest} ${app.state.discretize}`; // the toggles last drawn

  function plotSurface(surface, task) {
    const ctx = canvas.getContext('2d');
    const data = app.data;
    // Regression values are shown over the targets' range.
    const scaleY = task === 'regression' ? Math.max(...data.train.y.map(Math.abs), 1e-9) : 1;
    drawScale(task, scaleY);
    if (surface) {
      // Classification: probability of class 1 around 0.5. Paler than the points, so that
      // they stand out. Discretized: the class the network picks, or bands of a quarter of
      // the targets' range.
      const discrete = discreteToggle.checked;
      const values = surface.map((p) => {
        const v = task === 'regression' ? p / scaleY : (p - 0.5) * 2;
        return 0.6 * (discrete ? (task === 'regression' ? Math.round(v * 4) / 4 : Math.sign(v)) : v);
      });
      drawGrid(canvas, values, GRID, GRID, { diverging: true, scale: 1, smooth: !discrete });
    } else {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, size, size);
    }
    const dot = (points, labels, ring) =>
      points.forEach(([a, b], i) => {
        const v = task === 'regression' ? labels[i] / scaleY : labels[i] * 2 - 1;
        const [r, g, bl] = divergingRgb(v);
        ctx.beginPath();
        ctx.arc(((a + RANGE) / (2 * RANGE)) * size, ((RANGE - b) / (2 * RANGE)) * size, 3, 0, 2 * Math.PI);
        ctx.fillStyle = `rgb(${r}, ${g}, ${bl})`;
        ctx.strokeStyle = ring ? '#111' : '#fff';
        ctx.fill();
        ctx.stroke();
      });
    dot(data.train.points, data.train.y, false);
    if (testToggle.checked) dot(data.test.points, data.test.y, true);
  }

  let scaleDrawn = null;
  function drawScale(task, scaleY) {
    if (scaleDrawn === `${task} ${scaleY}`) return;
    scaleDrawn = `${task} ${scaleY}`;
    const ctx = scaleBar.getContext('2d');
    for (let x = 0; x < scaleBar.width; x++) {
      const [r, g, b] = divergingRgb(0.6 * ((2 * x) / (scaleBar.width - 1) - 1));
      ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
      ctx.fillRect(x, 0, 1, scaleBar.height);
    }
    const ends =
      task === 'regression'
        ? [`${(-scaleY).toPrecision(2)}`, '0', `${scaleY.toPrecision(2)}`]
        : ['class 0', 'p = 0.5', 'class 1'];
    scaleLabels.replaceChildren(...ends.map((text) => h('span', {}, text)));
  }

  async function draw() {
    const model = app.model;
    const data = app.data;
    if (!data?.planar) return;
    if (!model || app.problem) {
      plotSurface(null, data.task);
      return;
    }
    // What the model was doing when this drawing started (tests wait for 'done').
    const during = app.trainState;
    const features = data.features ?? ['x1', 'x2'];
    const inputs = featureGrid(features);
    const grid = dl.tensor(inputs, [GRID * GRID, features.length]);
    try {
      const maps = await model.activations(grid);
      if (model !== app.model) return;
      const out = maps.at(-1);
      const k = out.shape[1];
      // Logits (a model compiled with fromLogits) become probabilities in the engine.
      const logits = data.task !== 'regression' && app.state.fromLogits;
      const values = logits
        ? (await model.predictValues(grid, { batchSize: GRID * GRID, probabilities: true })).values
        : out.values;
      if (model !== app.model) return;
      // The probability of class 1: the single sigmoid output, or the second softmax output.
      const surface = Array.from({ length: GRID * GRID }, (_, i) => values[i * k + (k > 1 ? 1 : 0)]);
      lastSurface = surface;
      plotSurface(surface, data.task);
      app.unitMaps = { model, grid: GRID, points: inputs, features, maps };
      app.emit('unit-maps');
      app.surfaceChecksum = surface.reduce((a, b) => a + b, 0);
      app.surfaceDrawnFor = during;
    } catch {
      // The model was replaced or disposed while drawing: the next refresh draws it.
    } finally {
      grid.dispose();
    }
  }

  const element = panel(
    'boundary',
    'Decision boundary',
    canvas,
    scaleLegend,
    h(
      'div',
      { class: 'row' },
      h('label', { class: 'inline' }, testToggle, ' show test points'),
      h('label', { class: 'inline' }, discreteToggle, ' discretize'),
    ),
    legend,
  );
  const visible = () => {
    element.hidden = !app.data?.planar && !app.info.planar;
    element.querySelector('h2').textContent = app.task === 'regression' ? 'Regression surface' : 'Decision boundary';
  };
  app.addEventListener('refresh', draw);
  app.addEventListener('model', () => {
    visible();
    draw();
  });
  app.addEventListener('state', () => {
    visible();
    testToggle.checked = app.state.showTest;
    discreteToggle.checked = app.state.discretize;
    const view = `${app.state.showTest} ${app.state.discretize}`;
    if (view !== shownView) draw();
    shownView = view;
  });
  app.lastSurface = () => lastSurface;
  return element;
}
