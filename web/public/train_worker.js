// Trains in a Web Worker so the page never blocks. It loads the engine, builds the model
// it is sent, trains epoch by epoch and posts events back: summary, epoch (with the
// model's predictions over a grid, for the decision boundary), done, error.
/* global createEngine */
importScripts('engine/dl_engine.js');

let enginePromise = null;

function engine() {
  enginePromise ??= createEngine({ locateFile: (file) => `engine/${file}` });
  return enginePromise;
}

self.onmessage = async (message) => {
  const { command } = message.data;
  try {
    const E = await engine();
    if (command === 'load') {
      self.postMessage({ event: 'ready' });
    } else if (command === 'train') {
      const { model: description, x, y, n, epochs, batchSize, grid } = message.data;
      const model = new E.Model(JSON.stringify(description));
      self.postMessage({ event: 'summary', text: model.summary() });
      for (let epoch = 0; epoch < epochs; epoch++) {
        const history = model.fit(x, [n, 2], y, [n, 1], JSON.stringify({ epochs: 1, batchSize }), null, null, null);
        const surface = model.predict(grid.points, [grid.count, 2], 1024).values;
        self.postMessage({ event: 'epoch', epoch, loss: history.loss[0], accuracy: history.accuracy[0], surface }, [
          surface.buffer,
        ]);
      }
      model.delete();
      self.postMessage({ event: 'done' });
    }
  } catch (error) {
    self.postMessage({ event: 'error', message: error.message });
  }
};
