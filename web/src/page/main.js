// The playground page: every panel, its state in the address, the "keep this network"
// panel and the engine-failure banner. ?mnist=<folder> changes where MNIST comes from.
import * as dl from '../../lib/layers_api.js';
import { setMnistFolder } from '../playground/datasets.js';
import { restartEngine } from '../playground/app.js';
import { Playground, mountPlayground } from '../playground/mount.js';
import { fromTensorflowPlayground, isTensorflowPlaygroundHash } from '../playground/tfplayground.js';

const params = new URLSearchParams(location.search);
if (params.has('mnist')) setMnistFolder(params.get('mnist'));

// What tests (and curious users in the console) can look at.
window.playground = { app: null, state: 'loading' };
// The address names layer types and settings from the engine's catalog, which comes with it.
try {
  await dl.ready({ worker: true });
} catch (error) {
  window.playground.state = 'error';
  document.getElementById('playground').textContent = `The engine could not load: ${error.message}`;
  throw error;
}
// A TensorFlow Playground address (their settings in the hash) opens the same setup here.
let cameFrom = null;
if (isTensorflowPlaygroundHash(location.hash)) {
  cameFrom = fromTensorflowPlayground(location.hash);
  history.replaceState(null, '', `${location.pathname}?${cameFrom.query}`);
}
const app = Playground.fromUrl(location.search);
window.playground.app = app;
app.addEventListener('train-state', (e) => (window.playground.trainState = e.detail.state));
app.addEventListener('status', (e) => (window.playground.message = e.detail.message));

const notes = [];
if (cameFrom) {
  notes.push(`Opened TensorFlow Playground's setup. Here ${cameFrom.differences.join('; ')}.`);
  if (cameFrom.problems.length) notes.push(`Not taken over: ${cameFrom.problems.join('; ')}.`);
}
if (app.urlProblems.length) notes.push(`Some settings in the address were not used: ${app.urlProblems.join('; ')}.`);
if (notes.length) {
  const note = document.getElementById('url-problems');
  note.textContent = notes.join(' ');
  // Only an account of what was taken over: a note, not a warning.
  if (cameFrom && !cameFrom.problems.length && !app.urlProblems.length) note.className = 'notice';
  note.hidden = false;
}

// If the engine dies (its worker crashed, or it ran out of memory), say so and offer a
// fresh one; the page, its address and its settings stay as they are.
const failure = document.getElementById('engine-failure');
dl.onEngineFailure((error) => {
  window.playground.state = 'engine-failed';
  const text = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  document.getElementById('engine-failure-text').textContent =
    `${text}. Your settings are kept; restart the engine to go on.`;
  failure.hidden = false;
});
document.getElementById('engine-restart').addEventListener('click', () => restartEngine());
// However it was restarted (here or from the Train panel), the banner goes.
app.addEventListener('model', () => {
  if (app.engineDown || window.playground.state !== 'engine-failed') return;
  failure.hidden = true;
  window.playground.state = 'ready';
  setTimeout(() => app.say('The engine was restarted. Press Train.'));
});

try {
  await mountPlayground(document.getElementById('playground'), { app });
  await import('./models_panel.js');
  window.playground.state = 'ready';
} catch (error) {
  window.playground.state = 'error';
  app.say(`The engine could not load: ${error.message}`, 'error');
  document.getElementById('playground').textContent = `The engine could not load: ${error.message}`;
}
