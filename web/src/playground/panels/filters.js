// For images: the first layer's weights as pictures (with their colour scale; click one for
// a larger view), and each convolution layer's filters and activation maps for the image
// the probing views look at (the drawing as it is drawn, or a chosen test image). Clicking
// a map opens the unit detail: one output value worked out from its input patch, its
// kernel and its bias, beside the whole map.
import { colourScale, drawGrid, drawInputValues, drawPixels, h, nextId, panel } from '../dom.js';
import { probeSource, sourceName, watchProbe } from '../probe.js';
import { dreamsSection } from './dreams.js';

const MAX_PICTURES = 32;

function picture(values, rows, cols, title, size = 40, diverging = true) {
  const c = h('canvas', { width: size, height: size, title, role: 'img', 'aria-label': title });
  drawGrid(c, values, rows, cols, { diverging });
  return c;
}

// One picture per output channel of a kernel (kh, kw, in, out): in colour for a layer
// that reads an RGB image (each weight's red, green and blue, stretched around grey), else
// the channels' sum as a diverging map.
function filterPictures(kernel, layer, colour = false) {
  const [kh, kw, cin, cout] = kernel.shape;
  return Array.from({ length: Math.min(cout, MAX_PICTURES) }, (_, f) => {
    if (colour && cin === 3) {
      const rgb = Float32Array.from({ length: kh * kw * 3 }, (_, i) => kernel.values[i * cout + f]);
      const c = h('canvas', { width: 32, height: 32, title: `${layer} filter ${f + 1}`, role: 'img' });
      c.setAttribute('aria-label', `${layer} filter ${f + 1} in colour`);
      const m = Math.max(...rgb.map(Math.abs), 1e-12);
      drawPixels(
        c,
        Uint8Array.from(rgb, (w) => 128 + (127 * w) / m),
        [kh, kw, 3],
      );
      return c;
    }
    const values = new Float32Array(kh * kw);
    for (let p = 0; p < kh * kw; p++)
      for (let c = 0; c < cin; c++) values[p] += kernel.values[(p * cin + c) * cout + f];
    return picture(values, kh, kw, `${layer} filter ${f + 1}`, 32);
  });
}

// The activations the engine applies, for the worked example (softmax never follows a
// convolution's single value).
const ACTIVATIONS = {
  linear: (z) => z,
  relu: (z) => Math.max(0, z),
  leakyRelu: (z) => (z > 0 ? z : 0.2 * z),
  leaky_relu: (z) => (z > 0 ? z : 0.2 * z),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => Math.tanh(z),
};
const pair = (v, fallback) => (Array.isArray(v) ? v : [v ?? fallback, v ?? fallback]);

// One output value of a convolution worked out in JavaScript from the layer's input, kernel
// and bias: {patch (kh x kw x cin), products, perChannel, sum, bias, z, out, activation}.
export function convUnit({ input, inShape, kernel, bias, config, f, row, col, outShape }) {
  const [H, W, C] = inShape;
  const [kh, kw, cin, cout] = kernel.shape;
  const [sh, sw] = pair(config.strides, 1);
  let [top, left] = [0, 0];
  if (config.padding === 'same') {
    top = Math.floor(Math.max((outShape[0] - 1) * sh + kh - H, 0) / 2);
    left = Math.floor(Math.max((outShape[1] - 1) * sw + kw - W, 0) / 2);
  }
  const patch = new Float32Array(kh * kw * cin);
  const products = new Float32Array(kh * kw * cin);
  const perChannel = new Float64Array(cin);
  for (let dy = 0; dy < kh; dy++)
    for (let dx = 0; dx < kw; dx++) {
      const y = row * sh - top + dy;
      const x = col * sw - left + dx;
      for (let c = 0; c < cin; c++) {
        const k = (dy * kw + dx) * cin + c;
        const v = y >= 0 && y < H && x >= 0 && x < W ? input[(y * W + x) * C + c] : 0;
        patch[k] = v;
        products[k] = v * kernel.values[k * cout + f];
        perChannel[c] += products[k];
      }
    }
  const sum = perChannel.reduce((a, b) => a + b, 0);
  const b = bias ? bias.values[f] : 0;
  const activation = config.activation ?? 'linear';
  const z = sum + b;
  const apply = ACTIVATIONS[activation];
  return { patch, products, perChannel, sum, bias: b, z, out: apply ? apply(z) : null, activation };
}

// A small grid of numbers (one input channel of a patch, a kernel or their products),
// coloured as the pictures are.
function numberGrid(values, rows, cols, label, { diverging = true, at = (i) => values[i] } = {}) {
  let m = 1e-12;
  for (let i = 0; i < rows * cols; i++) m = Math.max(m, Math.abs(at(i)));
  const table = h('table', { class: 'numbers', 'aria-label': label });
  for (let r = 0; r < rows; r++) {
    const tr = h('tr');
    for (let c = 0; c < cols; c++) {
      const v = at(r * cols + c);
      const t = Math.min(1, Math.abs(v) / m);
      const colour = diverging
        ? v >= 0
          ? `rgba(47, 111, 222, ${0.7 * t})`
          : `rgba(245, 147, 34, ${0.7 * t})`
        : `rgba(0, 0, 0, ${0.6 * t})`;
      tr.append(h('td', { style: `background: ${colour}` }, v.toFixed(2)));
    }
    table.append(tr);
  }
  return h('figure', {}, table, h('figcaption', {}, label));
}

// The unit detail: which layer, filter and position it shows, and its drawing.
function unitDetail(app) {
  const element = h('div', { class: 'unit-detail', hidden: true, role: 'region', 'aria-label': 'unit detail' });
  const map = h('canvas', { width: 168, height: 168, class: 'detail-map', role: 'img' });
  let chosen = null; // {layer, f, row, col}

  // Clicking the enlarged map picks the output position.
  map.addEventListener('click', (event) => {
    if (!chosen?.shape) return;
    const r = map.getBoundingClientRect();
    const [, H, W] = chosen.shape;
    chosen.row = Math.min(H - 1, Math.floor(((event.clientY - r.top) / r.height) * H));
    chosen.col = Math.min(W - 1, Math.floor(((event.clientX - r.left) / r.width) * W));
    render();
  });

  async function render() {
    const probe = app.probeMaps;
    if (!chosen || !probe || probe.model !== app.model) return;
    const index = probe.maps.findIndex((m) => m.layer === chosen.layer);
    const weights = await app.weights(probe.model).catch(() => null);
    if (index < 0 || !weights || probe !== app.probeMaps) return;
    const m = probe.maps[index];
    const kernel = weights.find((w) => w.layer === chosen.layer && w.name === 'kernel');
    const bias = weights.find((w) => w.layer === chosen.layer && w.name === 'bias');
    const [, H, W, cout] = m.shape;
    chosen.shape = m.shape;
    // Its input: the image (0..1, as the engine gets it) or the previous layer's maps.
    const previous = probe.maps[index - 1];
    const input = previous ? previous.values : Float32Array.from(probe.pixels, (v) => v / 255);
    const inShape = previous ? previous.shape.slice(1) : app.data.imageShape;
    const config = probe.model.layerConfigs?.[index] ?? {};
    if (chosen.row === undefined) {
      // First the position where this filter responds most.
      let best = 0;
      for (let p = 1; p < H * W; p++) if (m.values[p * cout + chosen.f] > m.values[best * cout + chosen.f]) best = p;
      [chosen.row, chosen.col] = [Math.floor(best / W), best % W];
    }
    const { f, row, col } = chosen;
    const unit = convUnit({ input, inShape, kernel, bias, config, f, row, col, outShape: [H, W] });
    const engineValue = m.values[(row * W + col) * cout + f];

    const values = new Float32Array(H * W);
    for (let p = 0; p < H * W; p++) values[p] = m.values[p * cout + f];
    drawGrid(map, values, H, W);
    // The chosen position, outlined.
    const ctx = map.getContext('2d');
    ctx.strokeStyle = '#e4572e';
    ctx.lineWidth = 2;
    ctx.strokeRect((col * map.width) / W, (row * map.height) / H, map.width / W, map.height / H);

    const [kh, kw, cin] = kernel.shape;
    // The input channel that adds most to the sum is shown in full (the only one for the image).
    let c = 0;
    for (let k = 1; k < cin; k++) if (Math.abs(unit.perChannel[k]) > Math.abs(unit.perChannel[c])) c = k;
    const slice = (values, i) => values[i * cin + c];
    const kernelAt = (i) => kernel.values[(i * cin + c) * kernel.shape[3] + f];
    const fmt = (v) => (v === null ? '—' : v.toFixed(4));
    const channelText =
      cin === 1
        ? ''
        : ` Its input has ${cin} channels; shown is channel ${c + 1}, which adds most (${unit.perChannel[c].toFixed(3)}). The ${cin} channels' sums: ${Array.from(
            unit.perChannel.slice(0, 8),
            (v) => v.toFixed(2),
          ).join(', ')}${cin > 8 ? ', …' : ''}.`;
    element.dataset.computed = String(unit.out);
    element.dataset.engine = String(engineValue);
    element.dataset.position = `${chosen.layer} ${f} ${row} ${col}`;
    element.replaceChildren(
      h('h3', {}, `${chosen.layer}, filter ${f + 1}: the output at row ${row}, column ${col}`),
      h(
        'div',
        { class: 'detail-row' },
        h(
          'figure',
          {},
          map,
          h('figcaption', {}, `its whole ${H}×${W} map for ${sourceName(probe.source)} (click a point to choose it)`),
        ),
        numberGrid(null, kh, kw, `input patch${cin > 1 ? `, channel ${c + 1}` : ''}`, {
          diverging: Boolean(previous),
          at: (i) => slice(unit.patch, i),
        }),
        h('span', { class: 'operator' }, '×'),
        numberGrid(null, kh, kw, `kernel${cin > 1 ? `, channel ${c + 1}` : ''}`, { at: kernelAt }),
        h('span', { class: 'operator' }, '='),
        numberGrid(null, kh, kw, 'products', { at: (i) => slice(unit.products, i) }),
      ),
      h(
        'p',
        { class: 'equation' },
        `sum of the ${kh * kw * cin} products ${unit.sum.toFixed(4)} + bias ${unit.bias.toFixed(4)} = ${unit.z.toFixed(4)}; ` +
          `${unit.activation}(${unit.z.toFixed(4)}) = ${fmt(unit.out)}. The engine's map holds ${engineValue.toFixed(4)} there.`,
      ),
      h(
        'p',
        { class: 'hint' },
        `A convolution slides the ${kh}×${kw} kernel over its input; at each position it multiplies the pixels under it by the kernel's weights and adds them up.${channelText}`,
      ),
      h('button', { type: 'button', onclick: () => close() }, 'Close'),
    );
    element.hidden = false;
    app.unitDetailShown = { ...chosen, computed: unit.out, engine: engineValue };
  }

  function close() {
    chosen = null;
    element.hidden = true;
    app.unitDetailShown = null;
  }

  app.addEventListener('probe', render);
  app.addEventListener('model', close);
  return {
    element,
    show(layer, f) {
      chosen = { layer, f };
      render();
    },
  };
}

export function filtersPanel(app) {
  watchProbe(app);
  const first = h('div', { class: 'pictures' });
  const firstCaption = h('p', { class: 'hint' });
  const firstScale = h(
    'div',
    { class: 'row' },
    colourScale(['− subtracts', '0', '+ adds']),
    h('span', { class: 'hint' }, 'Weights; each picture is scaled to its own largest one.'),
  );
  // One first-layer picture enlarged.
  const zoom = h('canvas', { width: 224, height: 224, class: 'weights-zoom', role: 'img' });
  const zoomCaption = h('figcaption', {});
  const zoomed = h('figure', { class: 'weights-zoomed', hidden: true }, zoom, zoomCaption);
  let zoomedUnit = null;
  const index = h('input', {
    id: nextId('image'),
    type: 'number',
    class: 'num',
    min: '0',
    value: '0',
    'aria-label': 'test image number',
    onchange: () => app.choose(Number(index.value)),
  });
  const useTest = h('button', { type: 'button', onclick: () => app.choose(Number(index.value)) }, 'Show it');
  const sourceText = h('p', { class: 'hint', role: 'status' });
  const chosen = h('canvas', { width: 84, height: 84, role: 'img', 'aria-label': 'image the layers are shown for' });
  const convs = h('div', { class: 'conv-layers' });
  const detail = unitDetail(app);

  // The first Dense layer's weights into unit u as a picture of the image's shape.
  const denseWeights = (k, u) => {
    const units = k.shape[1];
    const values = new Float32Array(k.shape[0]);
    for (let p = 0; p < values.length; p++) values[p] = k.values[p * units + u];
    return values;
  };
  // Grey images: a diverging map; colour ones: the weights of each channel as colour.
  const weightPicture = (canvas, values, [rows, cols, channels]) =>
    channels === 3
      ? drawInputValues(canvas, values, [rows, cols, 3])
      : drawGrid(canvas, values, rows, cols, { diverging: true });
  function showZoom(k, u) {
    zoomedUnit = u;
    const values = denseWeights(k, u);
    weightPicture(zoom, values, app.data.imageShape);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    zoomCaption.textContent = `${k.layer} unit ${u + 1}: weights from ${lo.toFixed(3)} to ${hi.toFixed(3)}. Blue pixels raise this unit's output where the digit has ink, orange ones lower it.`;
    zoomed.hidden = false;
    app.weightsZoomed = u;
  }

  async function drawWeights() {
    const model = app.model;
    const data = app.data;
    if (!model || app.problem || !data?.image) return;
    try {
      const weights = await app.weights(model);
      if (model !== app.model) return;
      const k = weights.find((w) => w.name === 'kernel');
      firstScale.hidden = !k;
      const shape = data.imageShape;
      if (k && k.shape.length === 2 && k.shape[0] === data.pixelCount) {
        const units = k.shape[1];
        firstCaption.textContent = `${k.layer}: what each of its first ${Math.min(units, MAX_PICTURES)} units looks for in the ${shape[0]}×${shape[1]} image. Click one to enlarge it.`;
        first.replaceChildren(
          ...Array.from({ length: Math.min(units, MAX_PICTURES) }, (_, u) => {
            const c = h('canvas', { width: 40, height: 40, title: `${k.layer} unit ${u + 1}`, role: 'img' });
            c.setAttribute('aria-label', `${k.layer} unit ${u + 1}`);
            weightPicture(c, denseWeights(k, u), shape);
            c.classList.add('clickable');
            c.addEventListener('click', () => showZoom(k, u));
            return c;
          }),
        );
        if (zoomedUnit !== null && zoomedUnit < units) showZoom(k, zoomedUnit);
      } else if (k && k.shape.length === 4) {
        firstCaption.textContent = `${k.layer}: its ${k.shape[3]} filters of ${k.shape[0]}×${k.shape[1]} pixels.`;
        first.replaceChildren(...filterPictures(k, k.layer, true));
        zoomed.hidden = true;
      } else {
        firstCaption.textContent = 'The first layer with weights is not applied to the image directly.';
        first.replaceChildren();
        zoomed.hidden = true;
      }
    } catch {
      // The model changed while drawing; the next refresh draws the new one.
    }
  }

  // Each convolution layer's filters and its maps for the probe image.
  async function drawMaps() {
    const probe = app.probeMaps;
    const model = app.model;
    if (!probe || probe.model !== model) return;
    const weights = await app.weights(model).catch(() => null);
    if (!weights || probe !== app.probeMaps) return;
    drawPixels(chosen, probe.pixels, app.data.imageShape);
    sourceText.textContent =
      probe.source.kind === 'drawing'
        ? 'Shown for your drawing; draw on the pad and the maps follow. Choose a test image to see one of those.'
        : `Shown for test image ${probe.source.index}; draw on the pad to see your own ${app.data?.drawing ? 'drawing' : 'digit'}.`;
    const convKernels = weights.filter((w) => w.name === 'kernel' && w.shape.length === 4);
    if (!convKernels.length) {
      convs.replaceChildren(
        h('p', { class: 'hint' }, 'This model has no convolution layers. Try the MNIST CNN preset.'),
      );
      return;
    }
    convs.replaceChildren(
      ...convKernels.map((kernel) => {
        const map = probe.maps.find((m) => m.layer === kernel.layer);
        const [, H, W, C] = map.shape;
        const activations = Array.from({ length: Math.min(C, MAX_PICTURES) }, (_, c) => {
          const values = new Float32Array(H * W);
          for (let p = 0; p < H * W; p++) values[p] = map.values[p * C + c];
          const canvas = picture(values, H, W, `${kernel.layer} map ${c + 1}`, 48, false);
          canvas.classList.add('clickable');
          canvas.addEventListener('click', () => detail.show(kernel.layer, c));
          return canvas;
        });
        return h(
          'div',
          { class: 'conv-layer' },
          h('h3', {}, `${kernel.layer}: ${C} filters, maps of ${H}×${W}`),
          h('div', { class: 'pictures' }, filterPictures(kernel, kernel.layer, kernel === convKernels[0])),
          h('div', { class: 'pictures maps' }, activations),
        );
      }),
    );
    app.mapsShownFor = probe.source.kind;
  }

  const element = panel(
    'filters',
    'What the layers see',
    h('h3', {}, 'First layer'),
    firstCaption,
    firstScale,
    first,
    zoomed,
    h('h3', {}, 'Convolution layers'),
    h('div', { class: 'row' }, chosen, h('label', { for: index.id }, 'test image'), index, useTest, sourceText),
    h('p', { class: 'hint' }, 'Click an activation map to see how one of its values is computed.'),
    detail.element,
    convs,
    dreamsSection(app),
  );
  const visible = () => (element.hidden = !app.isImages);
  app.addEventListener('refresh', drawWeights);
  app.addEventListener('probe', drawMaps);
  app.addEventListener('model', () => {
    visible();
    zoomedUnit = null;
    zoomed.hidden = true;
    drawWeights();
  });
  app.addEventListener('choose', () => (index.value = String(app.chosenImage)));
  app.addEventListener('state', visible);
  // Before the first probe: the chosen test image.
  if (probeSource(app)) drawPixels(chosen, probeSource(app).pixels, app.data.imageShape);
  return element;
}
