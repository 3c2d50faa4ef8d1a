// The walking-skeleton page: trains a small MLP on the circle data set through the
// JavaScript API (the engine runs in a Web Worker) and shows the loss falling and the
// decision boundary forming.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import * as dl from '../lib/index.js';

const SIZE = 280;
const RANGE = 6;
const GRID = 40;
const EPOCHS = 60;

// The circle set of the data module: class 1 inside radius 2.5, class 0 in a ring outside.
const data = dl.data.toyDataset('circle', { points: 300, noise: 0.05, trainRatio: 0.8, seed: 1 }).train;
const statusLine = document.getElementById('status');
const button = document.getElementById('train');
const canvas = document.getElementById('boundary');
const losses = [];
const epochsSeen = [];
window.playground = { losses, state: 'loading' };
await import('./mnist_panel.js');

const chart = new uPlot(
  {
    width: 560,
    height: 220,
    scales: { x: { time: false } },
    axes: [{ label: 'epoch' }, { label: 'loss' }],
    series: [{ label: 'epoch' }, { label: 'training loss', stroke: '#2f6fde', width: 2 }],
  },
  [[], []],
  document.getElementById('chart'),
);

// The grid of points where the network is asked for its prediction.
const gridPoints = new Float32Array(GRID * GRID * 2);
for (let row = 0; row < GRID; row++) {
  for (let col = 0; col < GRID; col++) {
    const k = row * GRID + col;
    gridPoints[2 * k] = -RANGE + ((col + 0.5) * 2 * RANGE) / GRID;
    gridPoints[2 * k + 1] = RANGE - ((row + 0.5) * 2 * RANGE) / GRID;
  }
}

function draw(surface) {
  const ctx = canvas.getContext('2d');
  const cell = SIZE / GRID;
  const blue = [47, 111, 222];
  const orange = [245, 147, 34];
  for (let k = 0; k < GRID * GRID; k++) {
    const p = surface ? surface[k] : 0.5;
    const mix = (i) => Math.round(255 + ((p > 0.5 ? blue[i] : orange[i]) - 255) * Math.abs(p - 0.5) * 1.2);
    ctx.fillStyle = `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
    ctx.fillRect((k % GRID) * cell, Math.floor(k / GRID) * cell, cell + 1, cell + 1);
  }
  for (let i = 0; i < data.n; i++) {
    const px = ((data.x[2 * i] + RANGE) / (2 * RANGE)) * SIZE;
    const py = ((RANGE - data.x[2 * i + 1]) / (2 * RANGE)) * SIZE;
    ctx.beginPath();
    ctx.arc(px, py, 2.5, 0, 2 * Math.PI);
    ctx.fillStyle = data.y[i] ? '#2f6fde' : '#f59322';
    ctx.strokeStyle = '#fff';
    ctx.fill();
    ctx.stroke();
  }
}

// The network the page shows: trained here, or loaded from the browser, files or a link.
let current = null;

async function drawModel(model) {
  const surface = (await model.predict(grid, { batchSize: 1024 })).values;
  draw(surface);
  // A checksum of what the network predicts, so that tests can compare two networks.
  window.playground.surfaceChecksum = surface.reduce((a, b) => a + b, 0);
}

export async function showModel(model, message) {
  if (current && current !== model) await current.dispose();
  current = model;
  window.playground.current = model;
  document.getElementById('summary').textContent = await model.summary({ printFn: null });
  await drawModel(model);
  if (message) statusLine.textContent = message;
  document.dispatchEvent(new CustomEvent('model-changed'));
}

export const currentModel = () => current;

async function train() {
  button.disabled = true;
  losses.length = 0;
  epochsSeen.length = 0;
  window.playground.state = 'training';
  const model = dl.sequential({
    seed: 1,
    layers: [
      dl.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
      dl.layers.dense({ units: 8, activation: 'tanh' }),
      dl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.03), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const x = dl.tensor(data.x, [data.n, 2]);
  const y = dl.tensor(data.y, [data.n, 1]);
  try {
    document.getElementById('summary').textContent = await model.summary({ printFn: null });
    const result = await model.fit(x, y, {
      epochs: EPOCHS,
      batchSize: 10,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          losses.push(logs.loss);
          epochsSeen.push(epoch + 1);
          chart.setData([epochsSeen, losses]);
          await drawModel(model);
          statusLine.textContent = `epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}, accuracy ${(logs.accuracy * 100).toFixed(1)}%`;
        },
      },
    });
    await showModel(model);
    if (result.diverged) {
      statusLine.textContent = `Training diverged: the loss became infinite at epoch ${result.diverged.epoch + 1}, batch ${result.diverged.batch + 1}. The network went back to its last finite weights; try a lower learning rate.`;
      window.playground.diverged = result.diverged;
    }
    window.playground.state = 'done';
  } catch (error) {
    window.playground.state = 'error';
    statusLine.textContent = `Error: ${error.message}`;
    await model.dispose();
  } finally {
    button.disabled = false;
    [x, y].forEach((t) => t.dispose());
  }
}

button.addEventListener('click', train);

// If the engine dies (its worker crashed, or it ran out of memory), say so and offer a
// fresh one; the page, its address and its settings stay as they are.
const failure = document.getElementById('engine-failure');
dl.onEngineFailure((error) => {
  window.playground.state = 'engine-failed';
  const text = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  document.getElementById('engine-failure-text').textContent =
    `${text}. Your settings are kept; restart the engine to go on.`;
  failure.hidden = false;
  button.disabled = true;
  current = null;
});
document.getElementById('engine-restart').addEventListener('click', async () => {
  await dl.restart();
  grid = dl.tensor(gridPoints, [GRID * GRID, 2]);
  failure.hidden = true;
  button.disabled = false;
  statusLine.textContent = 'The engine was restarted. Press Train.';
  window.playground.state = 'ready';
});
draw(null);
let grid = null;
dl.ready().then(
  async ({ simd }) => {
    grid = dl.tensor(gridPoints, [GRID * GRID, 2]);
    statusLine.textContent = `Engine loaded (WebAssembly SIMD ${simd ? 'on' : 'off'}). Press Train.`;
    button.disabled = false;
    await import('./models_panel.js');
    window.playground.state = 'ready';
  },
  (error) => {
    window.playground.state = 'error';
    statusLine.textContent = `The engine could not load: ${error.message}`;
  },
);
