// For images: the first layer's weights as pictures, and, for the chosen test image,
// each convolution layer's filters and activation maps.
import * as dl from '../../../lib/index.js';
import { drawGrid, h, nextId, panel } from '../dom.js';

const MAX_PICTURES = 32;

function picture(values, rows, cols, title, size = 40, diverging = true) {
  const c = h('canvas', { width: size, height: size, title, role: 'img', 'aria-label': title });
  drawGrid(c, values, rows, cols, { diverging });
  return c;
}

// One channel-summed filter per output channel of a kernel (kh, kw, in, out).
function filterPictures(kernel, layer) {
  const [kh, kw, cin, cout] = kernel.shape;
  return Array.from({ length: Math.min(cout, MAX_PICTURES) }, (_, f) => {
    const values = new Float32Array(kh * kw);
    for (let p = 0; p < kh * kw; p++)
      for (let c = 0; c < cin; c++) values[p] += kernel.values[(p * cin + c) * cout + f];
    return picture(values, kh, kw, `${layer} filter ${f + 1}`, 32);
  });
}

export function imageTensor(app, index) {
  return dl.tensorFromBytes(app.data.testImage(index).slice(), [1, 28, 28, 1]);
}

export function filtersPanel(app) {
  const first = h('div', { class: 'pictures' });
  const firstCaption = h('p', { class: 'hint' });
  const index = h('input', {
    id: nextId('image'),
    type: 'number',
    class: 'num',
    min: '0',
    value: '0',
    'aria-label': 'test image number',
    onchange: () => app.choose(Number(index.value)),
  });
  const chosen = h('canvas', { width: 84, height: 84, role: 'img', 'aria-label': 'chosen test image' });
  const convs = h('div', { class: 'conv-layers' });

  async function draw() {
    const model = app.model;
    const data = app.data;
    if (!model || app.problem || !data?.image) return;
    try {
      const weights = await app.weights(model);
      if (model !== app.model) return;
      const kernels = weights.filter((w) => w.name === 'kernel');
      const k = kernels[0];
      if (k && k.shape.length === 2 && k.shape[0] === 784) {
        const units = k.shape[1];
        firstCaption.textContent = `${k.layer}: what each of its first ${Math.min(units, MAX_PICTURES)} units looks for in the 28×28 image (blue adds, orange subtracts).`;
        first.replaceChildren(
          ...Array.from({ length: Math.min(units, MAX_PICTURES) }, (_, u) => {
            const values = new Float32Array(784);
            for (let p = 0; p < 784; p++) values[p] = k.values[p * units + u];
            return picture(values, 28, 28, `${k.layer} unit ${u + 1}`);
          }),
        );
      } else if (k && k.shape.length === 4) {
        firstCaption.textContent = `${k.layer}: its ${k.shape[3]} filters of ${k.shape[0]}×${k.shape[1]} pixels.`;
        first.replaceChildren(...filterPictures(k, k.layer));
      } else {
        firstCaption.textContent = 'The first layer with weights is not applied to the image directly.';
        first.replaceChildren();
      }
      const i = Math.min(app.chosenImage ?? 0, data.testCount - 1);
      drawGrid(chosen, data.testImage(i), 28, 28);
      const convKernels = kernels.filter((w) => w.shape.length === 4);
      if (!convKernels.length) {
        convs.replaceChildren(
          h('p', { class: 'hint' }, 'This model has no convolution layers. Try the MNIST CNN preset.'),
        );
        return;
      }
      const x = imageTensor(app, i);
      const maps = await model.activations(x).finally(() => x.dispose());
      if (model !== app.model) return;
      convs.replaceChildren(
        ...convKernels.map((kernel) => {
          const map = maps.find((m) => m.layer === kernel.layer);
          const [, H, W, C] = map.shape;
          const activations = Array.from({ length: Math.min(C, MAX_PICTURES) }, (_, c) => {
            const values = new Float32Array(H * W);
            for (let p = 0; p < H * W; p++) values[p] = map.values[p * C + c];
            return picture(values, H, W, `${kernel.layer} map ${c + 1}`, 48, false);
          });
          return h(
            'div',
            { class: 'conv-layer' },
            h('h3', {}, `${kernel.layer}: ${C} filters, maps of ${H}×${W}`),
            h('div', { class: 'pictures' }, filterPictures(kernel, kernel.layer)),
            h('div', { class: 'pictures' }, activations),
          );
        }),
      );
    } catch {
      // The model changed while drawing; the next refresh draws the new one.
    }
  }

  const element = panel(
    'filters',
    'What the layers see',
    h('h3', {}, 'First layer'),
    firstCaption,
    first,
    h('h3', {}, 'Convolution layers on one test image'),
    h('div', { class: 'row' }, h('label', { for: index.id }, 'test image'), index, chosen),
    convs,
  );
  const visible = () => (element.hidden = !app.isImages);
  app.addEventListener('refresh', draw);
  app.addEventListener('model', () => {
    visible();
    draw();
  });
  app.addEventListener('choose', () => {
    index.value = String(app.chosenImage);
    draw();
  });
  app.addEventListener('state', visible);
  return element;
}
