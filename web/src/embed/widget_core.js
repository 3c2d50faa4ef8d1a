// What the custom element and the iframe embed page share: a playground configured from
// a set of parameters (the page's URL keys plus panels, autotrain, model), whose engine
// and MNIST files are found in the build's folder, whatever page it is embedded in.
import * as dl from '../../lib/layers_api.js';
import { Playground } from '../playground/app.js';
import { setMnistFolder } from '../playground/datasets.js';
import { mountPlayground, PANELS } from '../playground/mount.js';
import { predictSample } from '../playground/predict.js';
import { SETTING_RANGES, checkValue, completeState, decodeState, layersFromConfigs } from '../playground/state.js';

export const DEFAULT_PANELS = ['train', 'charts', 'network', 'boundary', 'pad'];

export function parsePanels(text) {
  if (!text) return DEFAULT_PANELS;
  const names = text.split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((n) => !Object.hasOwn(PANELS, n));
  if (unknown.length)
    throw new Error(
      `unknown panel ${unknown.map((n) => dl.show(n)).join(', ')}; expected some of ${Object.keys(PANELS).join(', ')}`,
    );
  return names;
}

// The page's settings and a model given as JSON, read against the engine's catalog.
function readSettings(params) {
  const { state: decoded, problems, preset, explicit } = decodeState(params);
  let state = decoded;
  // A model description: a JSON array of layers as dl.layers makes them.
  if (params.has('model')) {
    try {
      const configs = JSON.parse(params.get('model'));
      if (!Array.isArray(configs) || configs.length === 0)
        throw new Error('expected a JSON array of layer descriptions, each with a "type" and its options');
      const layers = layersFromConfigs(configs);
      if (!layers) throw new Error('it holds a layer or option the builder does not have');
      explicit.add('layers');
      state = completeState({ ...state, layers }, { preset, explicit });
    } catch (error) {
      problems.push(`model: ${error.message}`);
    }
  }
  return { state, problems, preset, explicit };
}

// params: URLSearchParams; assetBase: the URL of the folder holding engine/ and data/;
// pageWidgets(): the settings of every widget on the page (the first one to start looks
// at them all). Returns {app, problems}; problems lists settings that were skipped.
let engineChosen = null;
export async function createWidget(container, params, assetBase, pageWidgets = () => [params]) {
  setMnistFolder(new URL(params.get('mnist') ?? 'data/mnist-subset/', assetBase).href);
  for (const [name, folder] of Object.entries({
    mnistFull: 'mnist-full',
    fashion: 'fashion-subset',
    fashionFull: 'fashion-full',
    text: 'text',
  }))
    setMnistFolder(new URL(`data/${folder}/`, assetBase).href, name);
  // The page's first widget starts on the smaller engine (no sequence layers), and takes
  // the whole one when the settings of any widget on the page name something only that
  // has (or have a mistake, which the smaller engine cannot tell apart), before it makes
  // any model. Later widgets share the engine the first one chose.
  engineChosen ??= (async () => {
    await dl.ready({ engineUrl: new URL('engine/', assetBase).href, lite: true, worker: true });
    if (pageWidgets().some((p) => readSettings(p).problems.length)) await dl.wholeEngine();
  })();
  await engineChosen;
  const { state, problems, preset, explicit } = readSettings(params);
  let panels = DEFAULT_PANELS;
  try {
    panels = parsePanels(params.get('panels'));
  } catch (error) {
    problems.push(error.message);
  }
  const app = new Playground({ state, preset, explicit });
  const autoTrain = params.has('autotrain') && params.get('autotrain') !== 'false';
  await mountPlayground(container, { app, panels, autoTrain });
  return { app, problems };
}

// The events a host page hears, as (type, detail) pairs: ready, batch, epoch, trained,
// prediction (from the drawing pad), evaluated (test accuracy), error.
export function publishEvents(app, send) {
  app.addEventListener('batch', ({ detail: { batch, logs, info } }) =>
    send('batch', {
      epoch: info.epoch,
      batch,
      batches: info.batches,
      logs,
      samplesPerSecond: info.samplesPerSecond,
      cores: info.cores,
    }),
  );
  app.addEventListener('epoch', ({ detail: { epoch, logs } }) => send('epoch', { epoch, logs }));
  app.addEventListener('trained', ({ detail: { result } }) =>
    send('trained', { history: result.history, diverged: result.diverged }),
  );
  app.addEventListener('prediction', ({ detail }) => send('prediction', detail));
  app.addEventListener('evaluated', ({ detail }) => send('evaluated', detail));
  app.addEventListener('status', ({ detail }) => detail.kind === 'error' && send('error', { message: detail.message }));
}

// Runs one command from the host page: {type: 'train' | 'pause' | 'step' | 'reset'},
// {type: 'set', name, value}, {type: 'preset', name}, {type: 'layers', layers: [...]},
// {type: 'predict', input: [...]} (one sample), {type: 'load', link} (a model link's text) or {type: 'load', modelJson, weights}.
// Commands to one playground run one after another in the order they arrive, however
// fast they come. Resolves once the command has taken effect, or throws an Error that
// says why it could not.
const queues = new WeakMap();
export function runCommand(app, message) {
  const run = (queues.get(app) ?? Promise.resolve()).then(() => execute(app, message));
  queues.set(
    app,
    run.catch(() => {}),
  );
  return run;
}

// What the model cannot do yet, if anything, to go with a command's result.
const withProblem = (app, result) => (app.problem ? { ...result, problem: app.problem } : result);

async function execute(app, message) {
  if (typeof message !== 'object' || message === null) throw new Error('a command must be an object with a type');
  switch (message.type) {
    case 'train':
      if (!(await app.train())) throw new Error(`train: cannot start: ${app.problem ?? app.message}`);
      return { trainState: app.trainState };
    case 'pause':
      if (app.trainState !== 'training') throw new Error(`pause: nothing is training (the state is ${app.trainState})`);
      await app.pause();
      return { trainState: app.trainState };
    case 'step': {
      if (!app.model || app.problem) throw new Error(`step: cannot train: ${app.problem ?? 'no model yet'}`);
      const batch = await app.step();
      if (!batch) throw new Error(`step: no batch ran${app.message ? `: ${app.message}` : ''}`);
      return { trainState: app.trainState };
    }
    case 'reset':
      await app.reset();
      if (!app.model) throw new Error(`reset: no model could be built: ${app.problem}`);
      return withProblem(app, { trainState: app.trainState });
    case 'set': {
      const spec = Object.hasOwn(SETTING_RANGES, message.name) ? SETTING_RANGES[message.name] : null;
      if (!spec)
        throw new Error(
          `set: unknown setting ${dl.show(message.name)}; expected one of ${Object.keys(SETTING_RANGES).join(', ')}`,
        );
      await app.update({ [message.name]: checkValue(message.name, spec, message.value) });
      return withProblem(app, { state: app.state });
    }
    case 'preset':
      await app.usePreset(message.name);
      return withProblem(app, { state: app.state });
    case 'layers': {
      const layers = layersFromConfigs(message.layers ?? []);
      if (!layers || !layers.length)
        throw new Error('layers: expected a non-empty array of layers the builder can show');
      await app.update({ layers });
      return withProblem(app, { state: app.state });
    }
    case 'predict': {
      // One sample: an image's 784 pixels (0..255) or a 2D point, as the data set has them.
      const shape = app.info.inputShape;
      const size = shape?.reduce((a, b) => a * b, 1);
      const input = message.input;
      if (!Array.isArray(input) || input.length !== size || !input.every(Number.isFinite))
        throw new Error(
          `predict: input must be an array of ${size} finite numbers (one sample of shape (${shape})); got ${Array.isArray(input) ? `${input.length} values` : typeof input}`,
        );
      if (!app.model || app.problem)
        throw new Error(`predict: no model to ask${app.problem ? `: ${app.problem}` : ''}`);
      return predictSample(app, input, 'command');
    }
    case 'load': {
      const model = message.link
        ? await dl.io.modelFromLink(message.link)
        : await dl.io.importModel({ modelJson: message.modelJson, weights: message.weights });
      await app.adoptModel(model);
      return { layers: app.layers.map((l) => l.name) };
    }
    default:
      throw new Error(
        `unknown command ${dl.show(message.type)}; expected train, pause, step, reset, set, preset, layers, predict or load`,
      );
  }
}
