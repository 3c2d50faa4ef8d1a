// TensorFlow.js' model.fitDataset(dataset, {epochs, batchesPerEpoch, validationData,
// callbacks, initialEpoch}) and model.evaluateDataset(dataset, {batches}): training and
// scoring batch by batch from a tf.data Dataset (data/dataset.js) whose elements are
// {xs, ys} or [xs, ys] of tensors. Each batch is one trainOnBatch; an epoch's logs are
// the batches' means weighted by their rows; the batches a dataset made are freed after
// use. Callbacks: onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd,
// onTrainEnd, as objects (or dl.callbacks.earlyStopping); model.stopTraining ends the run.
import { Dataset, release } from './data/dataset.js';
import { Tensor, scalar } from './tensor.js';
import { logValue } from './log_names.js';
import { show } from './show.js';

function parts(element, call) {
  const [xs, ys] = Array.isArray(element) ? element : [element?.xs, element?.ys];
  const ok = (x) => x instanceof Tensor || (Array.isArray(x) && x.every((t) => t instanceof Tensor));
  if (!ok(xs) || !ok(ys))
    throw new Error(
      `${call}: each element must be {xs, ys} or [xs, ys] of tensors (batch() makes them); got ${show(element)}`,
    );
  return [xs, ys];
}
const rowsOf = (x) => (x instanceof Tensor ? x : x[0]).shape[0];

// Running means of logs, weighted by rows.
function averager() {
  const sums = {};
  let rows = 0;
  return {
    add(logs, n) {
      for (const [k, v] of Object.entries(logs)) if (typeof v === 'number') sums[k] = (sums[k] ?? 0) + v * n;
      rows += n;
    },
    means: () => Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / rows])),
  };
}

// The scores of a model over a dataset: {loss, ...metrics}.
async function scores(model, dataset, batches, call) {
  if (!(dataset instanceof Dataset)) throw new Error(`${call}: expected a Dataset; got ${show(dataset)}`);
  const mean = averager();
  const it = await dataset.iterator();
  for (let b = 0; batches === undefined || b < batches; b++) {
    const { value, done } = await it.next();
    if (done) break;
    const [xs, ys] = parts(value, call);
    try {
      const n = rowsOf(xs);
      const scalars = [model.evaluate(xs, ys, { batchSize: n })].flat();
      const values = await Promise.all(scalars.map((t) => t.data().finally(() => t.dispose())));
      mean.add(Object.fromEntries(model.metricsNames.map((name, i) => [name, values[i][0]])), n);
    } finally {
      release(value);
    }
  }
  return mean.means();
}

export async function evaluateDataset(model, dataset, { batches } = {}) {
  const logs = await scores(model, dataset, batches, 'evaluateDataset');
  if (logs.loss === undefined) throw new Error('evaluateDataset: the dataset gave no batch');
  const values = [
    logs.loss,
    ...Object.entries(logs)
      .filter(([k]) => k !== 'loss')
      .map(([, v]) => v),
  ];
  return values.length === 1 ? scalar(values[0]) : values.map((v) => scalar(v));
}

// A callback list: objects with any of the hooks; an early-stopping config stops the run.
function hooks(callbacks) {
  const list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
  for (const c of list)
    if (!c || typeof c !== 'object')
      throw new Error(`fitDataset: a callback must be an object of hooks; got ${show(c)}`);
  return async (name, ...args) => {
    for (const c of list) if (typeof c[name] === 'function') await c[name](...args);
  };
}

// dl.callbacks.earlyStopping({monitor, patience, minDelta, mode, baseline}) as fitDataset
// applies it: as fit does, after `patience` epochs in a row without improvement.
function stopper(callbacks, model) {
  const configs = (Array.isArray(callbacks) ? callbacks : [callbacks]).filter((c) => c?.earlyStopping);
  return configs.map(
    ({ earlyStopping: { monitor = 'val_loss', patience = 0, minDelta = 0, mode = 'auto', baseline } }) => {
      let best = baseline ?? null;
      let wait = 0;
      const lower = mode === 'min' || (mode === 'auto' && !/acc/.test(monitor));
      return (logs) => {
        const v = logValue(logs, monitor);
        if (v === undefined) return;
        if (best === null || (lower ? v < best - minDelta : v > best + minDelta)) [best, wait] = [v, 0];
        else if (++wait >= patience) model.stopTraining = true;
      };
    },
  );
}

export async function fitDataset(model, dataset, args = {}) {
  if (!(dataset instanceof Dataset)) throw new Error(`fitDataset: expected a Dataset; got ${show(dataset)}`);
  const { epochs = 1, batchesPerEpoch, validationData, validationBatches, callbacks, initialEpoch = 0 } = args;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`fitDataset: epochs must be a whole number >= 1; got ${show(epochs)}`);
  if (batchesPerEpoch !== undefined && !(Number.isInteger(batchesPerEpoch) && batchesPerEpoch >= 1))
    throw new Error(`fitDataset: batchesPerEpoch must be a whole number >= 1; got ${show(batchesPerEpoch)}`);
  if (validationData !== undefined && !(validationData instanceof Dataset) && !Array.isArray(validationData))
    throw new Error(`fitDataset: validationData must be a Dataset or [x, y]; got ${show(validationData)}`);
  const given = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
  if (given.some((c) => c?.schedule))
    throw new Error(
      'fitDataset: a learning-rate schedule (reduceLROnPlateau) is for fit; here set the rate in onEpochEnd',
    );
  const call = hooks(given.filter((c) => !c?.earlyStopping));
  const stops = stopper(callbacks, model);
  const history = { epoch: [], history: {}, params: { epochs, batchesPerEpoch } };
  // The flag as a plain value while this runs (Sequential's is a setter that stops fit).
  Object.defineProperty(model, 'stopTraining', { value: false, writable: true, configurable: true });
  try {
    return await run(model, dataset, { ...args, epochs, initialEpoch, call, stops, history });
  } finally {
    delete model.stopTraining;
  }
}

async function run(
  model,
  dataset,
  { epochs, batchesPerEpoch, validationData, validationBatches, initialEpoch, call, stops, history },
) {
  await call('onTrainBegin', {});
  // With batchesPerEpoch the iterator runs on across epochs, as TensorFlow.js' does.
  let it = batchesPerEpoch === undefined ? null : await dataset.iterator();
  for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    await call('onEpochBegin', epoch, {});
    if (batchesPerEpoch === undefined) it = await dataset.iterator();
    const mean = averager();
    let batch = 0;
    for (; batchesPerEpoch === undefined || batch < batchesPerEpoch; batch++) {
      const { value, done } = await it.next();
      if (done) break;
      const [xs, ys] = parts(value, 'fitDataset');
      const n = rowsOf(xs);
      await call('onBatchBegin', batch, { batch, size: n });
      let logs;
      try {
        const values = [await model.trainOnBatch(xs, ys)].flat();
        logs = Object.fromEntries(model.metricsNames.map((name, i) => [name, values[i]]));
      } finally {
        release(value);
      }
      mean.add(logs, n);
      await call('onBatchEnd', batch, { batch, size: n, ...logs });
      if (model.stopTraining) break;
    }
    if (batch === 0) throw new Error(`fitDataset: the dataset gave no batch in epoch ${epoch + 1}`);
    const logs = mean.means();
    if (validationData instanceof Dataset) {
      const v = await scores(model, validationData, validationBatches, 'fitDataset: validationData');
      for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
    } else if (validationData) {
      const [vx, vy] = validationData;
      const scalars = [model.evaluate(vx, vy, { batchSize: Math.max(1, rowsOf(vx)) })].flat();
      const values = await Promise.all(scalars.map((t) => t.data().finally(() => t.dispose())));
      model.metricsNames.forEach((name, i) => (logs[`val_${name}`] = values[i][0]));
    }
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
    await call('onEpochEnd', epoch, logs);
    stops.forEach((stop) => stop(logs));
  }
  await call('onTrainEnd', {});
  return history;
}
