// Building a layer stack in the engine and running fit for a Playground: the parts of
// the playground that talk to the engine most, kept apart from its state handling.
import * as dl from '../../lib/index.js';

// Builds `configs` in the engine: {model, built}, or {error, index, layers} when a layer
// cannot be built, with the engine's word on which one and the layers before it as built,
// so that the builder can show the message beside it.
export async function buildModel(configs, seed) {
  const model = dl.sequential({ seed, layers: configs });
  try {
    return { model, built: await model.build() };
  } catch (error) {
    await model.dispose().catch(() => {});
    const index = Number.isInteger(error.layerIndex) ? error.layerIndex : configs.length - 1;
    return { error, index, layers: error.layers ?? [] };
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
    app.run = { label: app.runLabel(), state: app.state, x: [], loss: [], acc: [], vx: [], vloss: [], vacc: [] };
  const run = app.run;
  const base = run.x.length ? Math.ceil(run.x.at(-1)) : 0;
  const metric = data.task === 'classification' ? 'accuracy' : 'mae';
  app.setTrainState(startPaused ? 'paused' : 'training');
  app.diverged = null;
  const validation =
    app.state.validationSplit > 0 ? { validationSplit: app.state.validationSplit } : { validationData: [xTest, yTest] };
  let sent;
  const started = new Promise((resolve) => (sent = resolve));
  const fit = model.fit(x, y, {
    epochs: app.state.epochs,
    batchSize: app.state.batchSize,
    startPaused,
    ...validation,
    callbacks: {
      // The fit command is posted right after this callback returns.
      onTrainBegin: () => setTimeout(sent, 0),
      onBatchEnd: (batch, logs, info) => {
        run.x.push(base + info.epoch + (batch + 1) / info.batches);
        run.loss.push(logs.loss);
        run.acc.push(logs[metric]);
        app.emit('batch', { batch, logs, info, metric });
        app.refreshViews(1000);
      },
      onEpochEnd: (epoch, logs) => {
        run.vx.push(base + epoch + 1);
        run.vloss.push(logs.val_loss);
        run.vacc.push(logs[`val_${metric}`]);
        app.emit('epoch', { epoch, logs, metric, epochs: app.state.epochs });
        app.refreshViews();
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
