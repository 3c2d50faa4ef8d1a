// Probing a classifier on the test set: a gallery of test images with their predictions
// (mistakes marked), a confusion matrix whose cells list their images when clicked,
// per-class precision and recall, and a saliency map for the chosen image.
import { drawGrid, h, panel } from '../dom.js';
import { imageTensor } from './filters.js';

const GALLERY_SIZE = 48;

export function galleryPanel(app) {
  const summary = h('p', { role: 'status' });
  const matrix = h('table', { class: 'confusion' });
  const perClass = h('table', { class: 'per-class' });
  const galleryTitle = h('h3', {}, 'Test images');
  const gallery = h('div', { class: 'gallery' });
  const saliencyImage = h('canvas', { width: 112, height: 112, role: 'img', 'aria-label': 'chosen image' });
  const saliencyMap = h('canvas', { width: 112, height: 112, role: 'img', 'aria-label': 'saliency map' });
  const saliencyText = h('p', { class: 'hint' });
  const evaluate = h(
    'button',
    { type: 'button', onclick: () => app.evaluate().catch(() => {}) },
    'Evaluate on the test set',
  );
  let predictions = null;
  let labels = null;
  let filter = null;

  function showGallery() {
    const data = app.data;
    if (!data?.image || !predictions) return gallery.replaceChildren();
    const indices = filter
      ? labels.flatMap((t, i) => (t === filter[0] && predictions[i] === filter[1] ? [i] : []))
      : Array.from({ length: Math.min(GALLERY_SIZE, labels.length) }, (_, i) => i);
    galleryTitle.textContent = filter
      ? `Images of ${filter[0]} predicted as ${filter[1]} (${indices.length})`
      : `The first ${indices.length} test images`;
    gallery.replaceChildren(
      ...indices.slice(0, 200).map((i) => {
        const wrong = predictions[i] !== labels[i];
        const c = h('canvas', { width: 42, height: 42 });
        drawGrid(c, data.testImage(i), 28, 28);
        return h(
          'button',
          {
            type: 'button',
            class: wrong ? 'tile wrong' : 'tile',
            onclick: () => app.choose(i),
            'aria-label': `test image ${i}: a ${labels[i]}, predicted ${predictions[i]}${wrong ? ' (wrong)' : ''}`,
          },
          c,
          h('span', {}, wrong ? `${predictions[i]} ✗` : String(predictions[i])),
        );
      }),
    );
  }

  // Draws the playground's latest evaluation on the test set.
  async function render() {
    const evaluation = app.evaluation;
    const data = app.data;
    if (!evaluation?.predictions || evaluation.model !== app.model || !data) return;
    const { result, k, n } = evaluation;
    predictions = evaluation.predictions;
    labels = evaluation.labels;
    try {
      const classes = Math.max(k, 2);
      const cm = result.confusionMatrix ?? [];
      const accuracy = result.metrics.accuracy;
      summary.textContent = `Test accuracy ${(accuracy * 100).toFixed(2)}% on ${n.toLocaleString('en')} images, loss ${result.loss.toFixed(4)}.`;
      const name = (c) => data.classNames?.[c] ?? String(c);
      matrix.replaceChildren(
        h('tr', {}, h('th', {}, ''), ...Array.from({ length: classes }, (_, c) => h('th', { scope: 'col' }, name(c)))),
        ...Array.from({ length: classes }, (_, t) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, name(t)),
            ...Array.from({ length: classes }, (_, p) => {
              const count = cm[t * classes + p] ?? 0;
              const share = count / Math.max(1, labels.filter((l) => l === t).length);
              return h(
                'td',
                { class: t === p ? 'diag' : count ? 'off' : '', style: `--share: ${share.toFixed(3)}` },
                h(
                  'button',
                  {
                    type: 'button',
                    onclick: () => ((filter = [t, p]), showGallery()),
                    'aria-label': `${count} images of ${name(t)} predicted as ${name(p)}`,
                  },
                  String(count),
                ),
              );
            }),
          ),
        ),
      );
      perClass.replaceChildren(
        h('tr', {}, h('th', {}, 'class'), h('th', {}, 'precision'), h('th', {}, 'recall')),
        ...Array.from({ length: classes }, (_, c) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, name(c)),
            h('td', {}, `${((result.precision?.[c] ?? 0) * 100).toFixed(1)}%`),
            h('td', {}, `${((result.recall?.[c] ?? 0) * 100).toFixed(1)}%`),
          ),
        ),
      );
      filter = null;
      showGallery();
      await saliency();
    } catch {
      // The model changed while drawing (saliency asks it again); the next evaluation redraws.
    }
  }

  // Which pixels the predicted class depends on most: |d output / d pixel|.
  async function saliency() {
    const model = app.model;
    const data = app.data;
    if (!model || !data?.image || !predictions) return;
    const i = Math.min(app.chosenImage ?? 0, labels.length - 1);
    const x = imageTensor(app, i);
    try {
      const gradient = await model.saliency(x, predictions[i]);
      drawGrid(saliencyImage, data.testImage(i), 28, 28);
      drawGrid(saliencyMap, Array.from(gradient.values, Math.abs), 28, 28);
      saliencyText.textContent = `Test image ${i}: a ${labels[i]}, predicted ${predictions[i]}. Dark pixels on the right are those the prediction depends on most.`;
      app.saliencyShown = i;
    } finally {
      x.dispose();
    }
  }

  const element = panel(
    'gallery',
    'Test set',
    h('div', { class: 'row' }, evaluate),
    summary,
    h(
      'p',
      { class: 'hint' },
      'Confusion matrix: rows are true classes, columns predictions. Click a cell to see its images.',
    ),
    h('div', { class: 'tables' }, matrix, perClass),
    h(
      'div',
      { class: 'images-only' },
      galleryTitle,
      gallery,
      h('h3', {}, 'Saliency'),
      h('div', { class: 'row' }, saliencyImage, saliencyMap),
      saliencyText,
    ),
  );
  const visible = () => {
    element.hidden = app.task !== 'classification';
    element.querySelector('.images-only').hidden = !app.isImages;
  };
  app.addEventListener('model', () => {
    visible();
    predictions = null;
    summary.textContent = 'Evaluate the model to see its predictions on the test set.';
    matrix.replaceChildren();
    perClass.replaceChildren();
    gallery.replaceChildren();
  });
  app.addEventListener('state', visible);
  app.addEventListener('evaluated', render);
  app.addEventListener('choose', saliency);
  return element;
}
