// Sequential's fit (model.js) as TensorFlow.js runs it: the engine trains, batch by batch
// (core.js); callbacks get each batch's and epoch's logs, and fit resolves with the
// History, both under the log names TensorFlow.js writes (log_names.js).
import { TFJS_IGNORED, checkInitialEpoch } from './fit_options.js';
import { sampleWeightId } from './sample_weight.js';
import { fitListeners } from './engine.js';
import { show } from './show.js';
import { idOf } from './tensor.js';

// A callback's options with the log it watches (`monitor`, either spelling) as the engine
// names it; one the model does not report is refused with the names it does.
function watching(naming, options, who) {
  const monitor = options.monitor ?? 'val_loss';
  const engineName = naming.engineName(monitor);
  if (engineName === null)
    throw new Error(
      `fit: ${who} monitors ${show(monitor)}, which this model does not report; expected one of ${naming.names.join(', ')} or their val_ forms`,
    );
  return { ...options, monitor: engineName };
}

export async function runFit(model, x, y, args, posted, made) {
  await model.readyCompiled('fit');
  if (model.training) throw new Error('fit: this model is already training; stop it or wait for it to end');
  const { callbacks: given = [], validationData, initialEpoch = 0, sampleWeight, ...rest } = args;
  for (const name of TFJS_IGNORED) delete rest[name];
  const list = Array.isArray(given) ? given : [given];
  const options = { ...rest };
  // (With none, epochs is left for the engine to check and name.)
  const first = initialEpoch === 0 ? 0 : checkInitialEpoch(initialEpoch, rest.epochs ?? 1);
  if (first) options.epochs = (rest.epochs ?? 1) - first;
  const naming = model.logNaming;
  for (const c of list) {
    if (c?.earlyStopping) options.earlyStopping = c.earlyStopping;
    if (c?.schedule) options.schedule = c.schedule;
  }
  if (options.earlyStopping) options.earlyStopping = watching(naming, options.earlyStopping, 'earlyStopping');
  if (options.schedule?.monitor) options.schedule = watching(naming, options.schedule, 'reduceLROnPlateau');
  const xId = await idOf(x, 'fit: x');
  const yId = await idOf(y, 'fit: y');
  const weigh = (w, of, what) => sampleWeightId(w, of?.shape?.[0], what, made);
  if (sampleWeight != null) options.sampleWeight = await weigh(sampleWeight, x, 'fit: sampleWeight');
  if (validationData) {
    if (!Array.isArray(validationData) || validationData.length < 2 || validationData.length > 3)
      throw new Error('fit: validationData must be [x, y] or [x, y, sampleWeight], Tensors');
    options.validationData = [
      await idOf(validationData[0], 'fit: validation x'),
      await idOf(validationData[1], 'fit: validation y'),
    ];
    if (validationData[2] != null)
      options.validationData.push(await weigh(validationData[2], validationData[0], 'fit: validation sampleWeight'));
  }
  const call = async (name, ...values) => {
    for (const c of list) if (typeof c?.[name] === 'function') await c[name](...values);
  };
  let epochStarted = -1;
  fitListeners.set(model.id, async (events) => {
    for (const e of events) {
      if (e.type === 'batch') {
        if (e.epoch !== epochStarted) {
          epochStarted = e.epoch;
          await call('onEpochBegin', e.epoch + first);
        }
        const { batches, samples, samplesPerSecond, batchMs, learningRate, cores } = e;
        const info = { epoch: e.epoch + first, batches, samples, samplesPerSecond, batchMs, learningRate, cores };
        await call('onBatchEnd', e.batch, { batch: e.batch, size: samples, ...naming.rename(e.logs) }, info);
      } else if (e.type === 'epoch') {
        await call('onEpochEnd', e.epoch + first, naming.rename(e.logs));
      } else if (e.type === 'diverged') {
        await call('onDiverged', { epoch: e.epoch + first, batch: e.batch });
      }
    }
  });
  model.beginning = true;
  await call('onTrainBegin').finally(() => (model.beginning = false));
  model.training = model.owner.call('fit', model.id, xId, yId, options);
  posted();
  try {
    const { history, diverged } = await model.training;
    const epochs = history.loss?.length ?? 0;
    await call('onTrainEnd');
    return { epoch: Array.from({ length: epochs }, (_, i) => i + first), history: naming.rename(history), diverged };
  } finally {
    model.training = null;
    fitListeners.delete(model.id);
  }
}
