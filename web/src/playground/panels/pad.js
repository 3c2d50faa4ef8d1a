// The drawing pad: the user draws a digit (mouse, pen or touch, through pointer events);
// it is cropped, scaled into a 20x20 box and centred by its centre of mass in 28x28, as
// MNIST's digits were (a piece of clothing: into a box of 26, as Fashion-MNIST's fill
// their frame), and the model's class probabilities update while they draw.
import { drawPixels, h, panel } from '../dom.js';
import { predictSample } from '../predict.js';

const SIZE = 280;

// Pixels (0..255, size x size; 28 by default) from the pad's canvas, MNIST-style: the
// drawing in a box of `frame`/28 of the side, centred by its mass; null when nothing is drawn.
export function mnistPixels(source, size = 28, frame = 20) {
  const ink = source.getContext('2d').getImageData(0, 0, source.width, source.height).data;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < source.height; y++)
    for (let x = 0; x < source.width; x++)
      if (ink[4 * (y * source.width + x) + 3] > 20) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const hgt = y1 - y0 + 1;
  const scale = ((frame / 28) * size) / Math.max(w, hgt);
  const box = document.createElement('canvas');
  box.width = box.height = size;
  const ctx = box.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingQuality = 'high';
  const place = (dx, dy) => {
    ctx.clearRect(0, 0, size, size);
    ctx.drawImage(source, x0, y0, w, hgt, dx, dy, w * scale, hgt * scale);
    return ctx.getImageData(0, 0, size, size).data;
  };
  // First into the middle of the box, then moved so that the centre of mass is in the middle.
  const area = size * size;
  let data = place((size - w * scale) / 2, (size - hgt * scale) / 2);
  let [mass, mx, my] = [0, 0, 0];
  for (let i = 0; i < area; i++) {
    const a = data[4 * i + 3];
    mass += a;
    mx += a * (i % size);
    my += a * Math.floor(i / size);
  }
  const shiftX = (size - 1) / 2 - mx / mass;
  const shiftY = (size - 1) / 2 - my / mass;
  data = place((size - w * scale) / 2 + shiftX, (size - hgt * scale) / 2 + shiftY);
  const pixels = new Uint8Array(area);
  for (let i = 0; i < area; i++) pixels[i] = data[4 * i + 3];
  return pixels;
}

// The drawing as an image of `shape` (height, width, channels): MNIST-style darkness,
// or, in colour, dark ink on white as the pad shows it.
export function padPixels(source, [size, , channels] = [28, 28, 1], frame = 20) {
  const ink = mnistPixels(source, size, frame);
  if (!ink || channels === 1) return ink;
  const rgb = new Uint8Array(ink.length * channels);
  for (let p = 0; p < ink.length; p++) rgb.fill(255 - ink[p], p * channels, (p + 1) * channels);
  return rgb;
}

// Lets the user draw on a canvas (dark round strokes of `lineWidth` in the canvas' own
// pixels) with a mouse, a pen or a finger; onStroke after each segment, onEnd when the
// stroke ends. Returns {drawing} (whether a stroke is under way).
export function inkOn(canvas, { lineWidth, onStroke = () => {}, onEnd = () => {} }) {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let last = null;
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  const stroke = (to) => {
    ctx.strokeStyle = '#111';
    ctx.lineWidth = lineWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...to);
    ctx.stroke();
    last = to;
    onStroke();
  };
  canvas.addEventListener('pointerdown', (e) => {
    last = point(e);
    try {
      // Keeps the stroke when the pointer leaves the canvas; not possible for every pointer.
      canvas.setPointerCapture(e.pointerId);
    } catch {
      /* drawing works without capture */
    }
    stroke(last);
  });
  canvas.addEventListener('pointermove', (e) => last && stroke(point(e)));
  const end = () => {
    if (!last) return;
    last = null;
    onEnd();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return {
    get drawing() {
      return last !== null;
    },
  };
}

export function padPanel(app) {
  const pad = h('canvas', {
    width: SIZE,
    height: SIZE,
    class: 'pad',
    role: 'img',
    'aria-label': 'drawing pad: draw a digit here',
  });
  const preview = h('canvas', {
    width: 56,
    height: 56,
    class: 'preview',
    role: 'img',
    'aria-label': 'what the model sees, 28 by 28',
  });
  const bars = h('ol', { class: 'bars', start: '0', 'aria-label': 'class probabilities' });
  // What to draw: a digit, a piece of clothing, or one of the user's classes.
  const thing = () => (app.state.data === 'images' ? 'one of your classes' : (app.data?.drawing ?? 'a digit'));
  const prompt = () => `Draw ${thing()}.`;
  const answer = h('p', { class: 'answer', role: 'status', 'aria-live': 'polite' }, prompt());
  const clear = h('button', { type: 'button', onclick: () => wipe() }, 'Clear');
  const ctx = pad.getContext('2d', { willReadFrequently: true });
  let busy = false;
  let again = false;

  function wipe() {
    ctx.clearRect(0, 0, SIZE, SIZE);
    bars.replaceChildren();
    preview.getContext('2d').clearRect(0, 0, 56, 56);
    answer.textContent = prompt();
    app.padPrediction = null;
    app.drawing = null;
    app.emit('drawing');
  }

  // Predicts from the current drawing; while one prediction runs, the next waits.
  async function predict() {
    if (busy) {
      again = true;
      return;
    }
    const shape = app.data?.imageShape ?? [28, 28, 1];
    const pixels = padPixels(pad, shape, app.data?.padBox);
    const model = app.model;
    if (!pixels || !model || app.problem) return;
    // The views that look inside the network follow the drawing (probe.js).
    if (ink.drawing || !app.drawing || app.drawing.some((v, i) => v !== pixels[i])) {
      app.drawing = pixels;
      app.emit('drawing');
    }
    busy = true;
    try {
      const { probabilities, digit: best } = await predictSample(app, pixels, 'pad');
      drawPixels(preview, pixels, shape);
      const names = app.data?.classNames ?? probabilities.map((_, k) => String(k));
      bars.replaceChildren(
        ...probabilities.map((p, k) =>
          h(
            'li',
            { class: k === best ? 'best' : '' },
            h('span', { class: 'digit' }, names[k]),
            h('span', { class: 'bar', style: `width: ${Math.round(p * 100)}%` }),
            h('span', { class: 'p' }, `${(p * 100).toFixed(1)}%`),
          ),
        ),
      );
      answer.textContent = `The model says ${names[best]} (${(probabilities[best] * 100).toFixed(1)}%).`;
      app.padPrediction = { digit: best, probabilities };
    } catch (error) {
      answer.textContent = error.message;
    } finally {
      busy = false;
      if (again) {
        again = false;
        predict();
      }
    }
  }

  let frame = 0;
  const ink = inkOn(pad, {
    lineWidth: 20,
    onStroke: () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          predict();
        });
    },
    onEnd: predict,
  });

  const hint = h('p', { class: 'hint' });
  const element = panel(
    'pad',
    'Draw a digit',
    h('div', { class: 'pad-row' }, pad, h('div', {}, answer, bars, h('div', { class: 'row' }, clear, preview))),
    hint,
  );
  const title = element.querySelector('h2');
  const visible = () => {
    element.hidden = !app.isImages;
    if (!app.padPrediction) answer.textContent = prompt();
    title.textContent = `Draw ${thing().replace('one of your classes', 'an example')}`;
    pad.setAttribute('aria-label', `drawing pad: draw ${thing()} here`);
    hint.textContent = `Use a mouse, a pen or a finger. The drawing is scaled and centred as ${app.data?.padBox ? "Fashion-MNIST's clothes" : 'MNIST digits'} are (right: what the model sees).`;
  };
  app.addEventListener('state', visible);
  app.addEventListener('model', visible);
  app.addEventListener('data', visible);
  app.addEventListener('refresh', () => app.padPrediction && predict());
  return element;
}
