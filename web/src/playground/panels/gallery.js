// Probing a classifier on the test set: a gallery of test images with their predictions
// (mistakes marked), a confusion matrix whose cells list their images when clicked,
// per-class precision and recall, and saliency maps for the chosen image (the gradient,
// SmoothGrad and gradient × input).
import { colourScale, drawGrid, drawPixels, h, panel } from '../dom.js';
import { SMOOTH_SAMPLES, roughness, saliencyMaps } from '../saliency.js';
import { curvesSection } from './curves.js';

const GALLERY_SIZE = 48;

export function galleryPanel(app) {
  const summary = h('p', { role: 'status' });
  const matrix = h('table', { class: 'confusion' });
  const curves = curvesSection(app);
  const galleryTitle = h('h3', { class: 'gallery-title' }, 'Test images');
  const gallery = h('div', { class: 'gallery' });
  // The chosen image and its three saliency maps, each with what it shows.
  const saliencyCanvas = (label) => h('canvas', { width: 112, height: 112, role: 'img', 'aria-label': label });
  const saliencyImage = saliencyCanvas('chosen image');
  const gradientMap = saliencyCanvas('gradient');
  const smoothMap = saliencyCanvas('SmoothGrad');
  const timesInputMap = saliencyCanvas('gradient times input');
  const figure = (canvas, title, text, legend = null) =>
    h('figure', { class: 'saliency' }, canvas, h('figcaption', {}, h('strong', {}, title), ' ', text), legend);
  const darkScale = h('p', { class: 'hint' }, 'Darker: larger.');
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
    const className = (k) => data.classNames?.[k] ?? String(k);
    galleryTitle.textContent = filter
      ? `Images of ${className(filter[0])} predicted as ${className(filter[1])} (${indices.length})`
      : `The first ${indices.length} test images`;
    gallery.replaceChildren(
      ...indices.slice(0, 200).map((i) => {
        const wrong = predictions[i] !== labels[i];
        const c = h('canvas', { width: 42, height: 42 });
        drawPixels(c, data.testImage(i), data.imageShape);
        const name = (k) => data.classNames?.[k] ?? String(k);
        return h(
          'button',
          {
            type: 'button',
            class: wrong ? 'tile wrong' : 'tile',
            onclick: () => app.choose(i),
            'aria-label': `test image ${i}: ${name(labels[i])}, predicted ${name(predictions[i])}${wrong ? ' (wrong)' : ''}`,
          },
          c,
          h('span', {}, wrong ? `${name(predictions[i])} ✗` : name(predictions[i])),
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
              // A non-empty cell shows its first image (on image sets).
              const first = count && data.image ? labels.findIndex((l, i) => l === t && predictions[i] === p) : -1;
              const thumb = first >= 0 ? h('canvas', { width: 24, height: 24, class: 'cell-thumb' }) : null;
              if (thumb) drawPixels(thumb, data.testImage(first), data.imageShape);
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
                  thumb,
                  String(count),
                ),
              );
            }),
          ),
        ),
      );
      curves.render(evaluation, name);
      filter = null;
      showGallery();
      await saliency();
    } catch {
      // The model changed while drawing (saliency asks it again); the next evaluation redraws.
    }
  }

  // Which pixels the predicted class depends on, three ways (saliency.js).
  async function saliency() {
    const model = app.model;
    const data = app.data;
    if (!model || !data?.image || !predictions) return;
    const i = Math.min(app.chosenImage ?? 0, labels.length - 1);
    const shape = data.imageShape;
    const [rows, cols] = shape;
    const maps = await saliencyMaps(model, data.testImage(i), predictions[i], { shape });
    if (model !== app.model) return;
    drawPixels(saliencyImage, data.testImage(i), shape);
    drawGrid(gradientMap, maps.gradient, rows, cols);
    drawGrid(smoothMap, maps.smoothGrad, rows, cols);
    drawGrid(timesInputMap, maps.timesInput, rows, cols, { diverging: true });
    const name = (k) => data.classNames?.[k] ?? String(k);
    saliencyText.textContent = `Test image ${i}: ${name(labels[i])}, predicted ${name(predictions[i])}. Each map shows how much the network's output for ${name(predictions[i])} depends on each pixel${shape[2] === 3 ? ' (the largest over its red, green and blue)' : ''}.`;
    app.saliencyShown = {
      index: i,
      output: predictions[i],
      roughness: {
        gradient: roughness(maps.gradient, rows, cols),
        smoothGrad: roughness(maps.smoothGrad, rows, cols),
      },
      seed: 1,
      smoothGrad: Array.from(maps.smoothGrad),
      gradient: Array.from(maps.gradient),
    };
    app.emit('saliency');
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
    h('div', { class: 'tables' }, matrix),
    h(
      'div',
      { class: 'images-only' },
      galleryTitle,
      gallery,
      h('h3', {}, 'Saliency: what the prediction depends on'),
      saliencyText,
      h(
        'div',
        { class: 'saliency-row' },
        figure(saliencyImage, 'The image', '(choose another in “What the layers see” or click one above).'),
        figure(
          gradientMap,
          'Gradient:',
          'how much the output would change if each pixel changed a little. On its own it jumps from pixel to pixel and looks noisy.',
          darkScale.cloneNode(true),
        ),
        figure(
          smoothMap,
          'SmoothGrad:',
          `the mean gradient over ${SMOOTH_SAMPLES} copies of the image with noise added: where the gradients of nearby images disagree they cancel out, what they share remains.`,
          darkScale,
        ),
        figure(
          timesInputMap,
          'Gradient × input:',
          'the gradient times each pixel’s ink: how much each inked pixel adds to the output (blue) or takes from it (orange). Blank paper counts zero.',
          colourScale(['takes', '0', 'adds']),
        ),
      ),
    ),
    curves.element,
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
    gallery.replaceChildren();
  });
  app.addEventListener('state', visible);
  app.addEventListener('evaluated', render);
  app.addEventListener('choose', saliency);
  return element;
}
