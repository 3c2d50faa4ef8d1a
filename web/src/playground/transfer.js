// The transfer-learning example: the seeds' MNIST CNN trained on digits 0-4, then its
// convolutions frozen and a fresh head (the Dense layers) trained on a few images of 5-9,
// beside the same network trained from scratch on those few images;
// both scored on the test images of 5-9.
import * as dl from '../../lib/layers_api.js';
import { show } from '../../lib/layers_api.js';

// Every run of the example trains with Adam (the seeds' CNN uses Adadelta, which needs
// more updates than a few images give).
const ADAM = { type: 'adam', learningRate: 0.001 };

// Rows of images (784 bytes each) whose label is in `digits`, at most `perClass` of each (0: all).
function pick(images, labels, digits, perClass = 0) {
  const rows = dl.data.classSubset(labels, { classes: digits, perClass });
  const x = dl.tensorFromBytes(dl.data.takeRows(images, 784, rows), [rows.length, 28, 28, 1]);
  const y = dl.oneHot(
    rows.map((r) => labels[r]),
    10,
  );
  return { x, y, n: rows.length, dispose: () => (x.dispose(), y.dispose()) };
}

// The CNN of the catalog, compiled with Adam, and its head: the Dense layers after Flatten
// (the base is the convolutions and what pools them).
function cnn(seed) {
  const spec = dl.catalogModel('cnn');
  const headStart = spec.layers.findIndex((l) => l.type === 'flatten') + 1;
  const model = dl.sequential({ seed, layers: spec.layers });
  model.compile({ ...spec.compile, optimizer: ADAM, metrics: ['accuracy'] });
  return { model, head: spec.layers.slice(headStart) };
}

// data: the app's MNIST set. Options: the base's epochs, the head's epochs and images per
// class. onProgress(text) says where it is. Resolves with the accuracies on the test
// images of 5-9: {fineTuned, scratch, base (on 0-4), images: {base, few, test}}.
export async function transferExample(
  data,
  { baseEpochs = 1, headEpochs = 15, perClass = 50, seed = 1, onProgress = () => {} } = {},
) {
  const first = [0, 1, 2, 3, 4];
  const second = [5, 6, 7, 8, 9];
  const base = pick(data.trainImages, data.trainLabels, first);
  const baseTest = pick(data.testImages, data.testLabels, first);
  const few = pick(data.trainImages, data.trainLabels, second, perClass);
  const test = pick(data.testImages, data.testLabels, second);
  const models = [];
  try {
    onProgress(`Training the CNN on ${base.n.toLocaleString('en')} images of 0-4…`);
    const { model: original, head } = cnn(seed);
    models.push(original);
    await original.fit(base.x, base.y, { epochs: baseEpochs, batchSize: 128 });
    const baseAccuracy = (await original.evaluateMetrics(baseTest.x, baseTest.y)).metrics.accuracy;

    onProgress(`Training a new head on ${few.n} images of 5-9, the convolutions frozen…`);
    // The trained base, frozen, under a fresh head of the same layers.
    const tuned = await original.replaceHead({ remove: head.length, add: head, seed: seed + 1 });
    models.push(tuned);
    tuned.compile({ loss: dl.catalogModel('cnn').compile.loss, optimizer: ADAM, metrics: ['accuracy'] });
    await tuned.fit(few.x, few.y, { epochs: headEpochs, batchSize: 32 });
    const fineTuned = (await tuned.evaluateMetrics(test.x, test.y)).metrics.accuracy;

    onProgress(`Training the same CNN from scratch on the same ${few.n} images…`);
    const { model: scratchModel } = cnn(seed + 1);
    models.push(scratchModel);
    await scratchModel.fit(few.x, few.y, { epochs: headEpochs, batchSize: 32 });
    const scratch = (await scratchModel.evaluateMetrics(test.x, test.y)).metrics.accuracy;
    return { fineTuned, scratch, base: baseAccuracy, images: { base: base.n, few: few.n, test: test.n } };
  } finally {
    await Promise.all(models.map((m) => m.dispose().catch(() => {})));
    [base, baseTest, few, test].forEach((d) => d.dispose());
  }
}

// How many of a model's last layers make its head: after the convolutions, the layers
// after the last Flatten; in a network of Dense layers, the last Dense layer and what
// follows it.
export function headSize(configs) {
  const convolutional = configs.some((l) => l.type.startsWith('conv'));
  const flatten = configs.findLastIndex((l) => l.type === 'flatten');
  if (convolutional && flatten >= 0 && flatten < configs.length - 1) return configs.length - flatten - 1;
  const dense = configs.findLastIndex((l) => l.type === 'dense');
  return dense > 0 ? configs.length - dense : 1;
}

// Transfer learning by hand: the app's model (trained, loaded or just built) keeps its
// first layers, their weights frozen, and gets its last `size` layers anew (the same
// layers, fresh weights); the page keeps trained weights from then on, so that a change of
// data (other classes, fewer images) keeps the base.
export async function newHead(app, size) {
  const model = app.model;
  if (!model || app.problem) throw new Error(app.problem ?? 'The model is still being built.');
  const configs = model.layerConfigs;
  if (!Number.isInteger(size) || size < 1 || size >= configs.length)
    throw new Error(
      `The new head is 1 to ${configs.length - 1} layers (the model has ${configs.length}); got ${show(size)}.`,
    );
  await app.stopTraining();
  const head = configs.slice(configs.length - size).map(({ trainable, ...l }) => l);
  const next = await model.replaceHead({ remove: size, add: head, seed: app.state.seed + 1 });
  await app.update({ keep: true });
  await app.adoptModel(next);
  app.say(
    `Layers 1-${configs.length - size} are frozen with their trained weights; layer${size > 1 ? `s ${configs.length - size + 1}-${configs.length} are` : ` ${configs.length} is`} new. Trained weights are kept when the data or the head changes.`,
  );
}
