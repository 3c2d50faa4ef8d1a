// Building a layer stack in the engine and running fit for a Playground: the parts of
// the playground that talk to the engine most, kept apart from its state handling.
import * as dl from '../../lib/layers_api.js';
import { graphProblem, layersFromGraph, needsGraph, stateModel } from './graph.js';
import { classOf } from './predict.js';
import { techniqueFitOptions } from './techniques.js';
import {
  UNTIL_PAUSED,
  VIEW_SETTINGS,
  layerConfigs,
  layersFromConfigs,
  metricOf,
  optimizerConfig,
  targetKind,
} from './state.js';

// Builds `configs` in the engine: {model, built}, or {error, index, layers} when a layer
// cannot be built, with the engine's word on which one and the layers before it as built,
// so that the builder can show the message beside it.
export async function buildModel(configs, seed) {
  return built(dl.sequential({ seed, layers: configs }), configs);
}

// The model of the page's state: a chain, or a graph when a layer takes an earlier one's
// output or merges (graph.js), checked first.
export function buildStateModel(state, inputShape) {
  const configs = layerConfigs(state, inputShape);
  const problem = needsGraph(state.layers) ? graphProblem(state.layers) : null;
  if (problem) return { error: new Error(problem.message), index: problem.index, layers: [] };
  let model;
  try {
    model = stateModel(configs, state.layers, inputShape, state.seed);
  } catch (error) {
    return { error, index: configs.length - 1, layers: [] };
  }
  return built(model, configs);
}

async function built(model, configs) {
  try {
    return { model, built: await model.build() };
  } catch (error) {
    await model.dispose().catch(() => {});
    const index = Number.isInteger(error.layerIndex) ? error.layerIndex : configs.length - 1;
    return { error, index, layers: error.layers ?? [] };
  }
}

// What compile is given for the app's settings on a task ('classification' or not).
export function compileOptions(state, task) {
  return {
    optimizer: optimizerConfig(state),
    loss: state.loss,
    fromLogits: state.fromLogits,
    metrics: [metricOf(task)],
  };
}

// What a model's weights were, kept after the model is gone: enough for
// dl.copyLeadingWeights to give them to a new model of the same first layers.
export async function weightsSnapshot(model) {
  const [info, weights] = await Promise.all([model.layerInfo(), model.weightEntries()]);
  return { layerConfigs: model.layerConfigs, layerInfo: async () => info, weightEntries: async () => weights };
}

// "Keep trained weights": the new model takes the snapshot's weights for the first layers
// both share, and the page says which.
export async function keepWeights(app, snapshot, model) {
  const shared = await dl.copyLeadingWeights(snapshot, model);
  const count = model.layerConfigs.length;
  app.keptLayers = shared;
  if (!shared) app.say('No trained weights kept: the first layer changed (or the input did).');
  else
    app.say(
      shared === count
        ? `Kept the trained weights of all ${count} layers.`
        : `Kept the trained weights of layers 1-${shared}; layer${count - shared > 1 ? `s ${shared + 1}-${count} start` : ` ${count} starts`} fresh.`,
    );
}

// Settings changed while a model trains (or only what is shown): the speed applies to a
// running fit, a learning rate at once, unless a schedule that sets the rate at every step
// runs (it computes from the rate the run began with): then it is the schedule's starting
// rate from the next run, and the page says so.
export async function applyLive(app, patch) {
  const running = app.trainState === 'training' || app.trainState === 'paused';
  const schedule = app.state.schedule;
  if (patch.learningRate !== undefined && schedule && schedule.type !== 'reduce_on_plateau')
    app.say(
      `The ${schedule.type.replaceAll('_', ' ')} schedule sets the rate at every step of this run, from the rate it began with; ${patch.learningRate} is its starting rate from the next run.`,
    );
  else if (patch.learningRate !== undefined) await app.model.setLearningRate(patch.learningRate).catch(() => {});
  if (patch.speed !== undefined && running) await app.model?.setPace(app.pace).catch(() => {});
  if (patch.cores !== undefined) await useCores(patch.cores).catch((e) => app.say(e.message, 'error'));
}

// The cores setting: 'auto' (every core, at most 8) or a number. The widgets of a page
// share one engine and its helper engines (dl.setWorkers), so each fit also takes its own
// widget's number as its `workers` limit, and a fit's start only adds helpers, never
// removes those another widget may be using. A change of the setting sets the engine's
// number exactly (dl.ready() starts with 'auto'): a running fit takes a lower number from
// its next batch, a higher one from its next run.
let coresInUse = 'auto';
// The setting as engines on this machine (backends.js' rule for 'auto').
const engines = (cores) =>
  dl.engineCount(cores === 'auto' ? 'auto' : Number(cores), globalThis.navigator?.hardwareConcurrency);
async function useCores(cores, { addOnly = false } = {}) {
  if (cores === coresInUse || (addOnly && engines(cores) <= engines(coresInUse))) return;
  coresInUse = cores;
  await dl.setWorkers(cores === 'auto' ? 'auto' : Number(cores));
}

// A run keeps at most MAX_POINTS points per curve: a run left training for an hour would
// otherwise hold millions. At the limit every two neighbours become their mean.
const MAX_POINTS = 20000;
function thin(run, keys) {
  for (const key of keys) {
    const values = run[key];
    const half = Math.floor(values.length / 2);
    for (let i = 0; i < half; i++) values[i] = (values[2 * i] + values[2 * i + 1]) / 2;
    values.length = half;
  }
}

// Starts fit on the app's model and data; resolves once the engine has the fit command
// (not when it ends). Batches and epochs go into the app's current run (the charts' data)
// and out as 'batch' and 'epoch' events; the end sets the train state to 'done'.
export async function startFit(app, startPaused) {
  const model = app.model;
  const data = app.data;
  const { x, y, xTest, yTest } = data.tensors(app.target);
  if (!app.run)
    app.run = { label: runLabel(app), state: app.state, x: [], loss: [], acc: [], lr: [], vx: [], vloss: [], vacc: [] };
  const run = app.run;
  const base = run.x.length ? Math.ceil(run.x.at(-1)) : 0;
  const metric = metricOf(data.task);
  app.setTrainState(startPaused ? 'paused' : 'training');
  app.diverged = null;
  const validation =
    app.state.validationSplit > 0 ? { validationSplit: app.state.validationSplit } : { validationData: [xTest, yTest] };
  await useCores(app.state.cores, { addOnly: true }).catch((e) => app.say(e.message, 'error'));
  let sent;
  const started = new Promise((resolve) => (sent = resolve));
  const fit = model.fit(x, y, {
    epochs: app.state.epochs || UNTIL_PAUSED,
    batchSize: app.state.batchSize,
    startPaused,
    pace: app.pace,
    ...validation,
    ...techniqueFitOptions(app.state, data.trainLabelsArray),
    workers: engines(app.state.cores),
    callbacks: {
      // The fit command is posted right after this callback returns.
      onTrainBegin: () => setTimeout(sent, 0),
      onBatchEnd: (batch, logs, info) => {
        run.x.push(base + info.epoch + (batch + 1) / info.batches);
        run.loss.push(logs.loss);
        run.acc.push(dl.logValue(logs, metric));
        run.lr.push(info.learningRate);
        if (run.x.length >= MAX_POINTS) thin(run, ['x', 'loss', 'acc', 'lr']);
        app.emit('batch', { batch, logs, info, metric });
        app.refreshViews(app.refreshMs);
      },
      onEpochEnd: (epoch, logs) => {
        run.vx.push(base + epoch + 1);
        run.vloss.push(logs.val_loss);
        run.vacc.push(dl.logValue(logs, `val_${metric}`));
        if (run.vx.length >= MAX_POINTS) thin(run, ['vx', 'vloss', 'vacc']);
        app.emit('epoch', { epoch, logs, metric, epochs: app.state.epochs || null });
        app.refreshViews(app.refreshMs);
      },
    },
  });
  app.fitting = fit;
  fit
    .then((result) => {
      if (model !== app.model) return;
      if (result.diverged) {
        app.diverged = result.diverged;
        const { epoch, batch } = result.diverged;
        app.say(
          `Training diverged: the loss became NaN or infinite at epoch ${epoch + 1}, batch ${batch + 1}. ` +
            'The network went back to its last finite weights. Try a lower learning rate.',
          'error',
        );
      }
      app.setTrainState('done');
      app.emit('trained', { result });
      app.refreshViews();
      app.evaluate().catch(() => {}); // the model may be replaced meanwhile
    })
    .catch((error) => {
      if (model !== app.model) return;
      app.setTrainState('idle');
      app.say(`Training stopped: ${error.message}`, 'error');
    })
    .finally(() => {
      if (app.fitting === fit) app.fitting = null;
      sent();
    });
  await started;
}

// Evaluates the model on the test set (after each training, and when asked), whichever
// panels are shown: loss and accuracy (or MAE), and a classifier's predicted class for
// every test sample. Keeps it as app.evaluation and emits 'evaluated' with
// {loss, accuracy} or {loss, mae}.
export async function evaluate(app) {
  const model = app.model;
  const data = app.data;
  if (!model || app.problem || !data) return null;
  const classifier = data.task === 'classification';
  const { xTest, yTest } = data.tensors(app.target);
  const [result, output] = await Promise.all([
    model.evaluateMetrics(xTest, yTest, { batchSize: 256 }),
    classifier ? model.predictValues(xTest, { batchSize: 256, probabilities: true }) : null,
  ]);
  if (model !== app.model) return null;
  const evaluation = { model, result, predictions: null, labels: null };
  if (output) {
    const [n, k] = output.shape;
    evaluation.k = k;
    evaluation.n = n;
    // Probabilities (the engine applies softmax or sigmoid to logits): the curves' scores.
    evaluation.output = output.values;
    evaluation.predictions = Array.from({ length: n }, (_, i) =>
      classOf(output.values.subarray(i * k, (i + 1) * k), false),
    );
    evaluation.labels = Array.from(data.testLabelsArray, Number);
  }
  app.evaluation = evaluation;
  const { metrics, loss } = result;
  const detail = metrics.accuracy !== undefined ? { loss, accuracy: metrics.accuracy } : { loss, mae: metrics.mae };
  if (metrics.accuracy !== undefined) app.testAccuracy = metrics.accuracy;
  app.emit('evaluated', detail);
  return detail;
}

// What changed between the last run and this one, as a short label for the chart.
export function runLabel(app) {
  const previous = app.runs.at(-1)?.state;
  if (!previous) return 'run 1';
  const changes = [];
  for (const [k, v] of Object.entries(app.state)) {
    if (k === 'layers') {
      if (JSON.stringify(v) !== JSON.stringify(previous.layers)) changes.push('layers');
    } else if (v !== previous[k] && k !== 'epochs' && !VIEW_SETTINGS.includes(k))
      changes.push(`${k} ${previous[k]}→${v}`);
  }
  return `run ${app.runCount + 1}${changes.length ? `: ${changes.join(', ')}` : ': same settings'}`;
}

// The current run joins the finished ones the charts show faintly.
export function archiveRun(app) {
  if (app.run && app.run.x.length) {
    app.runs.push(app.run);
    app.runCount += 1;
    // A page left open for hours keeps only the runs the charts can show.
    if (app.runs.length > 10) app.runs.shift();
  }
  app.run = null;
  app.emit('runs');
}

// A model from elsewhere (saved in the browser, files, a link) becomes the current one.
export async function adoptModel(app, model) {
  app.generation++;
  await app.stopTraining();
  archiveRun(app);
  const old = app.model;
  app.model = model;
  if (old && old !== model) await old.dispose().catch(() => {});
  app.layers = await model.layerInfo();
  // The builder shows the loaded model's layers when it can draw them.
  const layers = model.graph ? layersFromGraph(model.graph) : layersFromConfigs(model.layerConfigs ?? []);
  if (layers) {
    app.explicit.add('layers');
    app.state = { ...app.state, layers };
    app.writeUrl();
  } else {
    // Its shapes would sit beside the builder's other layers; show none rather.
    app.layers = [];
  }
  app.problem = null;
  app.layerError = null;
  // Trains with the page's settings when the model came without its own.
  const outputs = (await model.layerInfo()).at(-1).outputShape;
  app.target = targetKind(app.task, app.state.loss, outputs[0]);
  if (!model.compiled)
    await model.compile(compileOptions(app.state, app.task)).catch((error) => (app.problem = error.message));
  app.setTrainState('idle');
  app.emit('model', { problem: app.problem, adopted: true });
  if (!layers)
    app.say(
      'The loaded model has layers the builder cannot show; it still trains and predicts. Reset returns to the layers shown.',
    );
  app.refreshViews();
}
