// The MNIST panel: downloads the MNIST assets with a progress bar, then trains the seeds'
// MLP for one epoch and reports test accuracy. The data folder can be changed with
// ?mnist=<folder> in the page's URL (default data/mnist-subset/).
import * as dl from '../lib/index.js';

const loadButton = document.getElementById('mnist-load');
const trainButton = document.getElementById('mnist-train');
const bar = document.getElementById('mnist-progress');
const status = document.getElementById('mnist-status');
const folder = new URLSearchParams(location.search).get('mnist') ?? 'data/mnist-subset/';
let tensors = null;
window.playground.mnist = { state: 'idle' };

function setState(state, message) {
  window.playground.mnist.state = state;
  status.textContent = message;
}

loadButton.addEventListener('click', async () => {
  loadButton.disabled = true;
  bar.hidden = false;
  setState('loading', 'Downloading…');
  try {
    const mnist = await dl.data.loadMnist({ baseUrl: folder, onProgress: (f) => (bar.value = f) });
    tensors?.forEach((t) => t.dispose());
    tensors = [
      // The bytes move to the engine's worker rather than being copied there.
      dl.tensorFromBytes(mnist.train.images, [mnist.train.count, 784], { transfer: true }),
      dl.oneHot(mnist.train.labels, 10),
      dl.tensorFromBytes(mnist.test.images, [mnist.test.count, 784], { transfer: true }),
      dl.oneHot(mnist.test.labels, 10),
    ];
    setState(
      'loaded',
      `${mnist.train.count.toLocaleString('en')} training and ${mnist.test.count.toLocaleString('en')} test images loaded.`,
    );
    trainButton.disabled = false;
  } catch (error) {
    setState('error', error.message);
    loadButton.disabled = false;
  }
});

trainButton.addEventListener('click', async () => {
  trainButton.disabled = true;
  const [x, y, xTest, yTest] = tensors;
  const model = dl.sequential({
    seed: 1,
    layers: [
      dl.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
      dl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  try {
    setState('training', 'Training…');
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 32,
      callbacks: {
        onBatchEnd: (batch, logs, info) => {
          if (batch % 20 === 0)
            status.textContent = `batch ${batch + 1} of ${info.batches}: accuracy ${(logs.accuracy * 100).toFixed(1)}%, ${Math.round(info.samplesPerSecond).toLocaleString('en')} samples/s`;
        },
      },
    });
    const { metrics } = await model.evaluate(xTest, yTest);
    setState('trained', `Test accuracy after one epoch: ${(metrics.accuracy * 100).toFixed(1)}%`);
    window.playground.mnist.accuracy = metrics.accuracy;
  } catch (error) {
    setState('error', error.message);
  } finally {
    await model.dispose();
    trainButton.disabled = false;
  }
});
