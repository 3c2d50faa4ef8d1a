// The "keep this network" panel: save the current network in IndexedDB, as files or in a
// link, and bring one back. A link's network arrives in the page's #model= fragment.
import * as dl from '../../lib/layers_api.js';

// The page's playground (set up by main.js before this module loads).
const app = window.playground.app;
const currentModel = () => app.model;
async function showModel(model, message) {
  await app.adoptModel(model);
  if (message) app.say(message);
}

const $ = (id) => document.getElementById(id);
const status = $('models-status');
const list = $('saved-list');
const needsModel = ['save-browser', 'download', 'share'].map($);

function say(message) {
  status.textContent = message;
  window.playground.modelsStatus = message;
}

async function refreshList() {
  const names = await dl.io.listSavedModels();
  list.replaceChildren(...names.map((name) => new Option(name, name)));
}

// Runs an action, showing its error (a bad file, a full disk) without losing anything.
function guard(action) {
  return async () => {
    try {
      await action();
    } catch (error) {
      say(error.message);
    }
  };
}

$('save-browser').addEventListener(
  'click',
  guard(async () => {
    const name = $('save-name').value.trim();
    await dl.io.saveToBrowser(currentModel(), name);
    await refreshList();
    list.value = name;
    say(`Saved as '${name}' in this browser.`);
  }),
);

$('load-browser').addEventListener(
  'click',
  guard(async () => {
    if (!list.value) throw new Error('Nothing is saved in this browser yet.');
    const model = await dl.io.loadFromBrowser(list.value);
    await showModel(model);
    say(`Loaded '${list.value}'.`);
  }),
);

$('delete-browser').addEventListener(
  'click',
  guard(async () => {
    if (!list.value) return;
    const name = list.value;
    await dl.io.deleteSavedModel(name);
    await refreshList();
    say(`Deleted '${name}'.`);
  }),
);

$('download').addEventListener(
  'click',
  guard(async () => {
    const name =
      $('save-name')
        .value.trim()
        .replace(/[^\w.-]+/g, '-') || 'network';
    const files = await dl.io.downloadModel(currentModel(), name);
    say(`Downloaded ${files.join(' and ')}.`);
  }),
);

$('upload').addEventListener(
  'change',
  guard(async () => {
    const input = $('upload');
    try {
      const model = await dl.io.loadFromFiles(input.files);
      await showModel(model);
      say(`Loaded ${Array.from(input.files, (f) => f.name).join(' and ')}.`);
    } finally {
      input.value = '';
    }
  }),
);

$('share').addEventListener(
  'click',
  guard(async () => {
    const link = new URL(location.href);
    link.hash = `model=${await dl.io.modelToLink(currentModel())}`;
    history.replaceState(null, '', link);
    await navigator.clipboard?.writeText(link.href).catch(() => {});
    window.playground.sharedLink = link.href;
    say(`This page's address now holds the trained network (${link.hash.length} characters); copy it to share.`);
  }),
);

const enable = () => needsModel.forEach((b) => (b.disabled = !currentModel()));
app.addEventListener('model', enable);
enable();

await refreshList().catch((error) => say(error.message));
const fragment = new URLSearchParams(location.hash.slice(1)).get('model');
if (fragment) {
  try {
    const model = await dl.io.modelFromLink(fragment);
    await showModel(model, 'Loaded a trained network from the link.');
    window.playground.loadedFromLink = true;
  } catch (error) {
    say(error.message);
  }
}
