// The walking-skeleton page: trains a small MLP on the circle data set in a worker and
// shows the loss falling and the decision boundary forming.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { circleData } from './data.js';

const SIZE = 280;
const RANGE = 6;
const GRID = 40;

const data = circleData(300, 0.5, 1);
const model = {
  seed: 1,
  layers: [
    { type: 'dense', units: 8, activation: 'tanh', inputShape: [2] },
    { type: 'dense', units: 8, activation: 'tanh' },
    { type: 'dense', units: 1, activation: 'sigmoid' },
  ],
  compile: { optimizer: { type: 'adam', learningRate: 0.03 }, loss: 'binary_crossentropy', metrics: ['accuracy'] },
};

const statusLine = document.getElementById('status');
const button = document.getElementById('train');
const canvas = document.getElementById('boundary');
const losses = [];
const epochsSeen = [];
window.playground = { losses, state: 'loading' };

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
  for (let k = 0; k < GRID * GRID; k++) {
    const p = surface ? surface[k] : 0.5;
    const blue = [47, 111, 222];
    const orange = [245, 147, 34];
    const mix = (i) => Math.round(255 + (p < 0.5 ? blue[i] - 255 : orange[i] - 255) * Math.abs(p - 0.5) * 1.2);
    ctx.fillStyle = `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
    ctx.fillRect((k % GRID) * cell, Math.floor(k / GRID) * cell, cell + 1, cell + 1);
  }
  for (let i = 0; i < data.n; i++) {
    const px = ((data.x[2 * i] + RANGE) / (2 * RANGE)) * SIZE;
    const py = ((RANGE - data.x[2 * i + 1]) / (2 * RANGE)) * SIZE;
    ctx.beginPath();
    ctx.arc(px, py, 2.5, 0, 2 * Math.PI);
    ctx.fillStyle = data.y[i] ? '#f59322' : '#2f6fde';
    ctx.strokeStyle = '#fff';
    ctx.fill();
    ctx.stroke();
  }
}

const worker = new Worker('./train_worker.js');
worker.onmessage = ({ data: message }) => {
  switch (message.event) {
    case 'ready':
      window.playground.state = 'ready';
      statusLine.textContent = 'Engine loaded. Press Train.';
      button.disabled = false;
      break;
    case 'summary':
      document.getElementById('summary').textContent = message.text;
      break;
    case 'epoch':
      losses.push(message.loss);
      epochsSeen.push(message.epoch + 1);
      chart.setData([epochsSeen, losses]);
      draw(message.surface);
      statusLine.textContent = `epoch ${message.epoch + 1}: loss ${message.loss.toFixed(4)}, accuracy ${(message.accuracy * 100).toFixed(1)}%`;
      break;
    case 'done':
      window.playground.state = 'done';
      button.disabled = false;
      break;
    case 'error':
      window.playground.state = 'error';
      statusLine.textContent = `Error: ${message.message}`;
      button.disabled = false;
      break;
  }
};
worker.onerror = (e) => {
  window.playground.state = 'error';
  statusLine.textContent = `The worker failed: ${e.message}`;
};

button.addEventListener('click', () => {
  button.disabled = true;
  losses.length = 0;
  epochsSeen.length = 0;
  window.playground.state = 'training';
  worker.postMessage({
    command: 'train',
    model,
    x: data.x,
    y: data.y,
    n: data.n,
    epochs: 60,
    batchSize: 10,
    grid: { points: gridPoints, count: GRID * GRID },
  });
});

draw(null);
worker.postMessage({ command: 'load' });
