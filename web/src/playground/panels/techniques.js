// The techniques panel: early stopping, a learning-rate schedule, class weights, an
// imbalanced training set, resampling and image augmentation (with a preview), each kept in
// the address and written in the code views (the settings themselves are in ../techniques.js).

import * as dl from '../../../lib/layers_api.js';
import { show } from '../../../lib/layers_api.js';
import { drawInputValues, h, labelled, panel, select } from '../dom.js';
import { MONITORS, scheduleNames, scheduleSpec } from '../techniques.js';

// A number field for one option of the current schedule.
function scheduleOption(app, name, value) {
  const input = h('input', {
    type: 'number',
    class: 'num',
    step: 'any',
    value: String(value),
    'aria-label': `schedule ${name}`,
    onchange: () => {
      const v = Number(input.value);
      if (!Number.isFinite(v)) return app.say(`schedule ${name} must be a number; got ${show(input.value)}`, 'error');
      app.update({ schedule: { ...app.state.schedule, [name]: v } });
    },
  });
  return labelled(name, input);
}

// Image augmentation: a slider for each of shift, rotation and zoom, and eight augmented
// copies of the chosen test image, as training batches would see it.
const AUGMENT_SLIDERS = [
  ['shift', 'shift (pixels)', 4, 1],
  ['rotation', 'rotation (degrees)', 30, 5],
  ['zoom', 'zoom (±)', 0.3, 0.05],
];
function augmentSection(app) {
  const current = () => app.state.augment ?? { shift: 0, rotation: 0, zoom: 0 };
  const sliders = AUGMENT_SLIDERS.map(([name, label, max, step]) => {
    const input = h('input', {
      type: 'range',
      min: '0',
      max: String(max),
      step: String(step),
      value: String(current()[name]),
      'aria-label': `augmentation ${name}`,
      oninput: () => (shown.textContent = input.value),
      onchange: () => {
        const next = { ...current(), [name]: Number(input.value) };
        app.update({ augment: Object.values(next).some((v) => v > 0) ? next : null });
      },
    });
    const shown = h('output', { class: 'slider-value' }, String(current()[name]));
    return { name, input, shown, element: labelled(label, h('span', { class: 'slider' }, input, shown)) };
  });
  const preview = h('div', { class: 'pictures augment-preview', 'aria-label': 'augmented samples' });
  let drawn = 0;
  async function drawPreview() {
    const data = app.data;
    const a = app.state.augment;
    if (!data?.image || !a) return preview.replaceChildren();
    const image = data.testImage(Math.min(app.chosenImage ?? 0, data.testCount - 1));
    const size = data.pixelCount;
    const copies = new Uint8Array(8 * size);
    for (let k = 0; k < 8; k++) copies.set(image, k * size);
    const x = dl.tensorFromBytes(copies, [8, ...data.imageShape]);
    const ticket = ++drawn;
    try {
      const out = await dl.augment(x, { ...a, seed: app.state.seed });
      if (ticket !== drawn) return;
      preview.replaceChildren(
        ...Array.from({ length: 8 }, (_, k) => {
          const c = h('canvas', { width: 42, height: 42, role: 'img', 'aria-label': `augmented sample ${k + 1}` });
          drawInputValues(c, out.values.subarray(k * size, (k + 1) * size), data.imageShape);
          return c;
        }),
      );
      app.augmentPreviewShown = { ...a };
    } finally {
      x.dispose();
    }
  }
  const element = h(
    'div',
    {},
    h('h3', {}, 'Data augmentation'),
    h(
      'div',
      { class: 'row' },
      sliders.map((s) => s.element),
    ),
    preview,
    h(
      'p',
      { class: 'hint' },
      'Each training image gets a random shift, rotation and zoom within these limits, every epoch anew (never the test images). Above: the chosen test image, eight times.',
    ),
  );
  const render = () => {
    element.hidden = !app.isImages;
    for (const s of sliders) {
      s.input.value = String(current()[s.name]);
      s.shown.textContent = String(current()[s.name]);
    }
    drawPreview().catch(() => {});
  };
  app.addEventListener('model', render);
  app.addEventListener('choose', render);
  return { element, render };
}

export function techniquesPanel(app) {
  const augmentation = augmentSection(app);
  // Early stopping.
  const stop = select(MONITORS, app.state.stop, (value) => app.update({ stop: value }), {
    'aria-label': 'early stopping monitors',
  });
  const patience = h('input', {
    type: 'number',
    class: 'num',
    min: '0',
    step: '1',
    value: String(app.state.patience),
    'aria-label': 'patience',
    onchange: () => app.update({ patience: Math.max(0, Math.round(Number(patience.value) || 0)) }),
  });
  const restore = h('input', {
    type: 'checkbox',
    checked: app.state.restore,
    'aria-label': 'restore the best weights',
    onchange: () => app.update({ restore: restore.checked }),
  });
  const stopped = h('p', { class: 'hint', role: 'status' });

  // The learning-rate schedule.
  const schedule = select(
    [['none', 'constant rate'], ...scheduleNames().map((n) => [n, n.replaceAll('_', ' ')])],
    app.state.schedule?.type ?? 'none',
    (type) => app.update({ schedule: type === 'none' ? null : { type, ...scheduleSpec(type).options } }),
    { 'aria-label': 'learning-rate schedule' },
  );
  const scheduleFields = h('div', { class: 'row' });

  // Class weights, imbalance and resampling (classification only).
  const weights = select(
    [
      ['none', 'none'],
      ['balanced', 'balanced (from the counts)'],
      ['manual', 'given…'],
    ],
    ['none', 'balanced'].includes(app.state.weights) ? app.state.weights : 'manual',
    (v) => {
      if (v !== 'manual') return app.update({ weights: v });
      manual.hidden = false;
      manual.focus();
    },
    { 'aria-label': 'class weights' },
  );
  const manual = h('input', {
    type: 'text',
    placeholder: '0:1,1:5',
    'aria-label': 'class weights given as class:weight',
    hidden: ['none', 'balanced'].includes(app.state.weights),
    value: ['none', 'balanced'].includes(app.state.weights) ? '' : app.state.weights,
    onchange: () => app.update({ weights: manual.value || 'none' }).catch((e) => app.say(e.message, 'error')),
  });
  const rare = h('input', {
    type: 'text',
    placeholder: 'e.g. 1 or 3,8',
    'aria-label': 'rare classes',
    value: app.state.imbalance?.classes.join(',') ?? '',
    onchange: () => setImbalance(),
  });
  const keep = h('input', {
    type: 'number',
    class: 'num',
    min: '1',
    max: '100',
    value: String(app.state.imbalance?.keep ?? 10),
    'aria-label': 'percent of the rare classes kept',
    onchange: () => setImbalance(),
  });
  function setImbalance() {
    const classes = rare.value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
      .map(Number);
    if (classes.some((c) => !Number.isInteger(c) || c < 0 || c >= (app.info.classes ?? 0)))
      return app.say(
        `Rare classes are class numbers from 0 to ${(app.info.classes ?? 1) - 1}; got ${show(rare.value)}.`,
        'error',
      );
    app.update({
      imbalance: classes.length ? { classes, keep: Math.min(100, Math.max(1, Number(keep.value) || 10)) } : null,
    });
  }
  const resample = select(
    [
      ['none', 'none'],
      ['over', 'oversample rare classes'],
      ['under', 'undersample common classes'],
    ],
    app.state.resample,
    (v) => app.update({ resample: v }),
    { 'aria-label': 'resampling' },
  );
  const counts = h('p', { class: 'hint', role: 'status' });
  const classSection = h(
    'div',
    {},
    h('h3', {}, 'Imbalanced classes'),
    h('div', { class: 'row' }, labelled('class weights', weights), manual),
    h('div', { class: 'row' }, labelled('rare classes', rare), labelled('% of them kept', keep)),
    h('div', { class: 'row' }, labelled('resampling', resample)),
    counts,
  );

  function render() {
    const s = app.state;
    stop.value = s.stop;
    patience.value = String(s.patience);
    restore.checked = s.restore;
    patience.disabled = restore.disabled = s.stop === 'off';
    schedule.value = s.schedule?.type ?? 'none';
    const spec = s.schedule ? scheduleSpec(s.schedule.type) : null;
    scheduleFields.replaceChildren(
      ...(spec
        ? Object.entries(spec.options)
            .filter(([, d]) => typeof d === 'number')
            .map(([name, d]) => scheduleOption(app, name, s.schedule[name] ?? d))
        : []),
    );
    resample.value = s.resample;
    classSection.hidden = app.task !== 'classification';
    const labels = app.data?.trainLabelsArray;
    if (labels && app.task === 'classification') {
      const c = dl.data.classCounts(Array.from(labels, Number));
      counts.textContent = `Training samples per class: ${c.map((n, k) => `${k}: ${n}`).join(', ')}. The test set stays as it is, so that per-class recall shows the effect.`;
    }
  }
  app.addEventListener('state', render);
  app.addEventListener('model', render);
  app.addEventListener('trained', ({ detail: { result } }) => {
    const ran = result.history?.loss?.length ?? 0;
    stopped.textContent =
      app.state.stop !== 'off' && app.state.epochs && ran < app.state.epochs
        ? `Early stopping ended training after ${ran} of ${app.state.epochs} epochs${app.state.restore ? ' and went back to the best epoch’s weights' : ''}.`
        : '';
  });
  render();
  return panel(
    'techniques',
    'Techniques',
    h('h3', {}, 'Early stopping'),
    h(
      'div',
      { class: 'row' },
      labelled('monitor', stop),
      labelled('patience (epochs)', patience),
      h('label', { class: 'inline' }, restore, ' restore the best weights'),
    ),
    stopped,
    h('h3', {}, 'Learning-rate schedule'),
    h('div', { class: 'row' }, labelled('schedule', schedule), scheduleFields),
    h(
      'p',
      { class: 'hint' },
      'The rate starts from the learning rate setting; the loss chart shows it as it changes (right axis).',
    ),
    classSection,
    augmentation.element,
  );
}
