// "Your images": the user makes an image set (files, a folder or a .zip, drawings, the
// camera), sees its classes as thumbnails, deletes bad examples, and trains on it. Every
// set is kept in this browser under its name (images/store.js) and can leave as a .zip.
import { h, labelled, panel, select } from '../dom.js';
import { predictSample } from '../predict.js';
import { IMAGE_SIZES, MAX_CLASSES, decodePlan, entriesOf, imageLimits, planImport } from '../images/decode.js';
import { classViews } from '../images/set_view.js';
import { camera, drawingPad } from '../images/sources.js';
import {
  checkSetName,
  classIndex,
  deleteSet,
  emptySet,
  exportZip,
  listSets,
  loadSet,
  removeClass,
  saveSet,
} from '../images/store.js';

const BURST = 20;
const BURST_MS = 100;

export function imagesPanel(app) {
  let set = emptySet('my images');
  const shapeOf = () => [set.size, set.size, set.channels];
  const inUse = () => app.state.data === 'images' && app.state.imageSet === set.name;

  const name = h('input', { type: 'text', value: set.name, maxLength: 100, 'aria-label': 'image set name' });
  const size = select(
    IMAGE_SIZES.map((s) => [String(s), `${s}×${s}`]),
    String(set.size),
    (v) => (set.size = Number(v)) && changed(false),
    { 'aria-label': 'image size' },
  );
  const colour = select(
    [
      ['1', 'grayscale'],
      ['3', 'RGB'],
    ],
    '1',
    (v) => (set.channels = Number(v)) && changed(false),
    { 'aria-label': 'colour' },
  );
  const limits = h('p', { class: 'hint' });
  const className = h('input', { type: 'text', value: 'class 1', maxLength: 60, list: 'image-classes' });
  const classList = h('datalist', { id: 'image-classes' });
  const files = h('input', {
    type: 'file',
    multiple: true,
    accept: 'image/*,.zip,.csv',
    'aria-label': 'image files or a .zip',
    onchange: () => addFiles(files.files).finally(() => (files.value = '')),
  });
  const folder = h('input', {
    type: 'file',
    webkitdirectory: true,
    multiple: true,
    'aria-label': 'a folder of images, one subfolder per class',
    onchange: () => addFiles(folder.files).finally(() => (folder.value = '')),
  });
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': 'decoding images' });
  const report = h('p', { class: 'hint images-report', role: 'status' });
  const skippedList = h('ul', { class: 'skipped' });
  const skipped = h('details', { hidden: true }, h('summary', {}, 'Files skipped'), skippedList);
  const pad = drawingPad();
  const cam = camera();
  const live = h('input', { type: 'checkbox', 'aria-label': 'predict from the camera' });
  const liveAnswer = h('p', { class: 'live-answer', role: 'status' });
  const camButtons = h('div', { class: 'row' });
  const classesView = h('div', { class: 'image-classes' });
  const split = h('p', { class: 'hint images-split', role: 'status' });
  const saved = h('ul', { class: 'saved-sets' });
  // The split: each class's share to train on (the rest tests) and the share of that to validate on.
  const trainShare = select(
    [50, 60, 70, 80, 90].map((v) => [String(v), `${v}%`]),
    String(app.state.ratio),
    (v) => app.update({ ratio: Number(v) }),
    { 'aria-label': 'share of each class to train on' },
  );
  const validation = select(
    [0, 0.1, 0.2, 0.3].map((v) => [String(v), v ? `${v * 100}%` : 'none (validate on the test images)']),
    String(app.state.validationSplit),
    (v) => app.update({ validationSplit: Number(v) }),
    { 'aria-label': 'share of the training images to validate on' },
  );

  const button = (text, onclick, attrs = {}) => h('button', { type: 'button', onclick, ...attrs }, text);
  const say = (text, kind = 'info') => {
    report.textContent = text;
    report.dataset.kind = kind;
  };

  // The set changed: it is drawn again and kept in the browser (unless only its size or
  // colour was chosen while empty).
  async function changed(keep = true) {
    set.serial = (set.serial ?? 0) + 1;
    if (inUse()) app.imageSet = set;
    render();
    if (!keep || !set.images.length) return;
    try {
      set.name = checkSetName(name.value);
      await saveSet(set);
      await renderSaved();
    } catch (error) {
      say(`Not kept: ${error.message}`, 'error');
    }
  }

  async function addFiles(list) {
    if (!list?.length) return;
    try {
      const entries = await entriesOf(list);
      const plan = await planImport(entries);
      const { sentence, fits, maxImages } = imageLimits({ ...set, count: set.images.length + plan.items.length });
      const counts = plan.classNames.map((c, k) => `${c} ${plan.counts[k]}`).join(', ');
      showSkipped(plan.skipped);
      const found = `${plan.items.length} images in ${plan.classNames.length} classes (${counts}).`;
      if (!fits)
        return say(
          `${found} ${sentence} That is more than ${maxImages.toLocaleString('en')}: choose fewer, or a smaller size or grayscale.`,
          'error',
        );
      const classes = new Set([...set.classNames, ...plan.classNames]);
      if (classes.size > MAX_CLASSES)
        return say(`${found} A set may have ${MAX_CLASSES} classes at most; this would make ${classes.size}.`, 'error');
      if (!plan.items.length)
        return say(`No images to add. ${plan.skipped.length} files skipped (listed below).`, 'error');
      say(`${found} ${sentence} Decoding…`);
      progress.hidden = false;
      const result = await decodePlan(plan, {
        size: set.size,
        channels: set.channels,
        onProgress: (done, total) => (progress.value = done / total),
      });
      progress.hidden = true;
      if (!set.images.length && name.value === 'my images') name.value = setNameFrom(entries) ?? name.value;
      for (const image of result.images)
        set.images.push({ label: classIndex(set, plan.classNames[image.label]), pixels: image.pixels });
      showSkipped(result.skipped);
      const added = plan.classNames.map((c, k) => `${c} ${result.images.filter((i) => i.label === k).length}`);
      say(
        `Added ${result.images.length} images in ${plan.classNames.length} classes (${added.join(', ')})` +
          (result.skipped.length ? `; ${result.skipped.length} files skipped (listed below).` : '.'),
      );
      await changed();
      await use();
    } catch (error) {
      progress.hidden = true;
      say(error.message, 'error');
    }
  }

  function showSkipped(list) {
    skipped.hidden = !list.length;
    skipped.querySelector('summary').textContent = `${list.length} files skipped`;
    skippedList.replaceChildren(...list.map((s) => h('li', {}, h('code', {}, s.path), `: ${s.reason}`)));
  }

  function addImage(pixels) {
    set.images.push({ label: classIndex(set, className.value), pixels });
    return changed();
  }

  async function addDrawing() {
    const pixels = pad.pixels(shapeOf());
    if (!pixels) return say('Draw something on the pad first.', 'error');
    try {
      await addImage(pixels);
      pad.clear();
      say(`Added a drawing to ${className.value}.`);
    } catch (error) {
      say(error.message, 'error');
    }
  }

  async function startCamera() {
    try {
      await cam.start();
      say('The camera is on. Capture bursts of frames into a class.');
    } catch (error) {
      say(error.message, 'error');
    }
    renderCamera();
  }

  async function burst() {
    try {
      const label = classIndex(set, className.value);
      for (let i = 0; i < BURST; i++) {
        set.images.push({ label, pixels: cam.frame(shapeOf()) });
        await new Promise((r) => setTimeout(r, BURST_MS));
      }
      await changed();
      say(`Captured ${BURST} frames into ${className.value}.`);
    } catch (error) {
      say(error.message, 'error');
    }
  }

  // While "predict live" is on and the set is in use, the camera feeds the model.
  async function predictLive() {
    while (live.checked && cam.running) {
      if (inUse() && app.model && !app.problem && app.data?.imageShape)
        try {
          const { probabilities, digit } = await predictSample(app, cam.frame(app.data.imageShape), 'camera');
          app.cameraPrediction = { className: app.data.classNames[digit], probabilities };
          liveAnswer.textContent = `The model says ${app.data.classNames[digit]} (${(probabilities[digit] * 100).toFixed(1)}%).`;
        } catch (error) {
          liveAnswer.textContent = error.message;
        }
      else liveAnswer.textContent = 'Train on this set to see live predictions.';
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  live.addEventListener('change', predictLive);

  function renderCamera() {
    camButtons.replaceChildren(
      ...(cam.running
        ? [
            button(`Capture ${BURST} frames`, burst, { class: 'btn-capture' }),
            button('Stop camera', () => (cam.stop(), renderCamera())),
            h('label', {}, live, ' predict live'),
          ]
        : [button('Start camera', startCamera, { class: 'btn-camera' })]),
    );
    cam.element.hidden = !cam.running;
  }

  // This set becomes the data trained on; false when it cannot (said).
  async function use() {
    try {
      set.name = checkSetName(name.value);
      app.imageSet = set;
      if (inUse()) await app.rebuild({ reloadData: true });
      else await app.update({ data: 'images', imageSet: set.name });
      return true;
    } catch (error) {
      say(error.message, 'error');
      return false;
    }
  }

  // The panel's main button: a model for the set as it is now, then training (as Train).
  async function trainOnSet() {
    if (await use()) await app.train();
  }

  async function download() {
    try {
      const blob = await exportZip(set);
      const link = h('a', { href: URL.createObjectURL(blob), download: `${set.name}.zip` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    } catch (error) {
      say(error.message, 'error');
    }
  }

  function render() {
    const empty = !set.images.length;
    size.value = String(set.size);
    colour.value = String(set.channels);
    size.disabled = colour.disabled = !empty;
    size.title = colour.title = empty ? '' : 'A set has one size and colour; start a new set for another.';
    limits.textContent = imageLimits({ ...set, count: set.images.length }).sentence;
    classList.replaceChildren(...set.classNames.map((c) => h('option', { value: c })));
    classesView.replaceChildren(
      ...classViews(set, {
        deleteClass: (k) => (removeClass(set, k), changed()),
        deleteImage: (image) => (set.images.splice(set.images.indexOf(image), 1), changed()),
      }),
    );
    renderSplit();
  }

  // The split the training uses, from the loaded data (train, validation, test).
  function renderSplit() {
    trainShare.value = String(app.state.ratio);
    validation.value = String(app.state.validationSplit);
    const d = app.data;
    if (!inUse() || d?.name !== 'images') {
      split.textContent = set.images.length ? 'Press "Train on this set" to train on it.' : '';
      return;
    }
    const validating = Math.floor(d.trainCount * app.state.validationSplit);
    split.textContent =
      `Split: ${d.trainCount - validating} to train on, ${validating} to validate on (${Math.round(app.state.validationSplit * 100)}% of the training share), ` +
      `${d.testCount} to test on (${100 - app.state.ratio}% of each class).`;
  }

  async function renderSaved() {
    try {
      const sets = await listSets();
      saved.replaceChildren(
        ...sets.map((s) =>
          h(
            'li',
            { 'data-set': s.name },
            `${s.name}: ${s.count} images, ${s.classes} classes, ${s.size}×${s.size} ${s.channels === 3 ? 'RGB' : 'grayscale'} `,
            button('Open', () => open(s.name), { 'aria-label': `open ${s.name}` }),
            button(
              'Delete',
              async () => {
                await deleteSet(s.name);
                renderSaved();
              },
              { 'aria-label': `delete ${s.name}` },
            ),
          ),
        ),
      );
    } catch (error) {
      saved.replaceChildren(h('li', {}, error.message));
    }
  }

  async function open(setName, { train = true } = {}) {
    try {
      set = await loadSet(setName);
      name.value = set.name;
      changed(false);
      if (train) await use();
    } catch (error) {
      say(error.message, 'error');
    }
  }

  name.addEventListener('change', () => changed());
  app.addEventListener('data', renderSplit);
  app.addEventListener('state', renderSplit);
  renderCamera();
  render();
  renderSaved();
  // A reloaded page that trains on a kept set shows that set.
  if (app.state.data === 'images' && app.state.imageSet) open(app.state.imageSet, { train: false });

  return panel(
    'images',
    'Your images',
    h('div', { class: 'row' }, labelled('set', name), labelled('size', size), labelled('colour', colour)),
    h(
      'div',
      { class: 'row' },
      button('New set', () => {
        set = emptySet(`set ${new Date().toLocaleTimeString('en-GB')}`, { size: set.size, channels: set.channels });
        name.value = set.name;
        changed(false);
      }),
    ),
    limits,
    h('h3', {}, 'Add image files'),
    h(
      'div',
      { class: 'row' },
      labelled('images or a .zip', files),
      labelled('a folder (a subfolder per class)', folder),
    ),
    progress,
    report,
    skipped,
    h('h3', {}, 'Draw or capture examples'),
    h('div', { class: 'row' }, labelled('into class', className), classList),
    h(
      'div',
      { class: 'row draw-row' },
      pad.element,
      h(
        'div',
        {},
        h('p', { class: 'hint' }, 'Draw one example, then add it; it is scaled and centred as the digit pad does.'),
        button('Add drawing', addDrawing, { class: 'btn-add-drawing' }),
        button('Clear', pad.clear),
      ),
    ),
    camButtons,
    cam.element,
    liveAnswer,
    h('h3', {}, 'Classes'),
    classesView,
    h(
      'div',
      { class: 'row' },
      button('Train on this set', trainOnSet, { class: 'btn-use-set' }),
      button('Export .zip', download),
    ),
    h('div', { class: 'row' }, labelled('share to train on', trainShare), labelled('of it to validate on', validation)),
    split,
    h('h3', {}, 'Kept in this browser'),
    saved,
    h('p', { class: 'hint' }, 'Images never leave this browser: they are decoded here and kept in its storage.'),
  );
}

// A name for a set from its files: the folder or .zip they came from.
function setNameFrom(entries) {
  const first = entries[0]?.path.split('/');
  return first && first.length > 2 ? first[0] : null;
}
