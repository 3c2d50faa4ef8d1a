// Small helpers for building the panels' DOM.

// h('button', {class: 'x', onclick: f}, 'text', child) -> element
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

let uniqueId = 0;
export const nextId = (prefix) => `${prefix}-${++uniqueId}`;

// A labelled control: <label for=id>text</label> control
export function labelled(text, control) {
  control.id ||= nextId('control');
  return h('span', { class: 'field' }, h('label', { for: control.id }, text), control);
}

export function select(options, value, onchange, attributes = {}) {
  const element = h('select', { ...attributes, onchange: () => onchange(element.value) });
  for (const option of options) {
    const [v, text] = Array.isArray(option) ? option : [option, option];
    element.append(new Option(text, v, false, v === value));
  }
  element.value = value;
  return element;
}

// A panel: a titled section that can be hidden as a whole.
export function panel(name, title, ...children) {
  return h(
    'section',
    { class: `panel panel-${name}`, 'data-panel': name, 'aria-label': title },
    h('h2', {}, title),
    ...children,
  );
}

// Colours for values in [-1, 1]: orange for negative, blue for positive, white at 0.
export function divergingRgb(v) {
  const t = Math.max(-1, Math.min(1, v));
  const [r, g, b] = t >= 0 ? [47, 111, 222] : [245, 147, 34];
  const a = Math.abs(t);
  return [255 + (r - 255) * a, 255 + (g - 255) * a, 255 + (b - 255) * a];
}

export function divergingColour(v) {
  const [r, g, b] = divergingRgb(v).map(Math.round);
  return `rgb(${r}, ${g}, ${b})`;
}

// The diverging colours at 513 steps from -1 to 1, and greys from white (low) to black
// (high) at 256, as r, g, b bytes: drawing a grid looks colours up rather than mixing them.
const STEPS = 256;
const divergingTable = new Uint8Array(3 * (2 * STEPS + 1));
for (let i = 0; i <= 2 * STEPS; i++) divergingTable.set(divergingRgb(i / STEPS - 1).map(Math.round), 3 * i);

// One small canvas that every grid is painted on before it is scaled onto its own.
let scratch = null;

// Draws values (rows x cols, any range) as a grey or diverging image on a canvas.
// smooth: interpolate between samples when scaling up (a boundary); otherwise each sample is
// a square (unit maps, weights).
export function drawGrid(canvas, values, rows, cols, { diverging = false, scale, smooth = false } = {}) {
  const ctx = canvas.getContext('2d');
  scratch ??= document.createElement('canvas');
  if (scratch.width !== cols || scratch.height !== rows) {
    scratch.width = cols;
    scratch.height = rows;
  }
  const buffer = scratch.getContext('2d');
  const image = buffer.createImageData(cols, rows);
  const bytes = image.data;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows * cols; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const m = scale ?? Math.max(Math.abs(lo), Math.abs(hi), 1e-12);
  const span = Math.max(hi - lo, 1e-12);
  for (let i = 0; i < rows * cols; i++) {
    const v = values[i];
    if (diverging) {
      const t = Math.round(STEPS * (Math.max(-1, Math.min(1, v / m)) + 1)) || 0;
      bytes[4 * i] = divergingTable[3 * t];
      bytes[4 * i + 1] = divergingTable[3 * t + 1];
      bytes[4 * i + 2] = divergingTable[3 * t + 2];
    } else {
      const grey = 255 - (255 * (v - lo)) / span;
      bytes[4 * i] = bytes[4 * i + 1] = bytes[4 * i + 2] = grey;
    }
    bytes[4 * i + 3] = 255;
  }
  buffer.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.imageSmoothingQuality = 'high';
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

// Draws an image's bytes (height, width, channels): RGB as they are, one channel as
// darkness (0 white, 255 black), as MNIST and the pad hold it.
export function drawPixels(canvas, pixels, [rows, cols, channels]) {
  const image = new ImageData(cols, rows);
  for (let p = 0; p < rows * cols; p++) {
    const rgb = channels === 3 ? pixels.subarray(3 * p, 3 * p + 3) : Array(3).fill(255 - pixels[p * channels]);
    image.data.set(rgb, 4 * p);
    image.data[4 * p + 3] = 255;
  }
  scratch ??= document.createElement('canvas');
  scratch.width = cols;
  scratch.height = rows;
  scratch.getContext('2d').putImageData(image, 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

// Draws an input-shaped array of any range (an augmented copy, a picture the network
// dreamt): one channel as a grey grid, three as colour, both stretched to their range.
export function drawInputValues(canvas, values, [rows, cols, channels]) {
  if (channels !== 3) return drawGrid(canvas, values, rows, cols);
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const span = Math.max(hi - lo, 1e-12);
  drawPixels(
    canvas,
    Uint8Array.from(values, (v) => (255 * (v - lo)) / span),
    [rows, cols, channels],
  );
}

// A colour scale for the diverging pictures: a bar from -1 to 1 and what its ends and
// middle mean (three labels).
export function colourScale(labels) {
  const bar = h('canvas', { width: 200, height: 10, class: 'scale-bar', role: 'img', 'aria-label': 'colour scale' });
  const ctx = bar.getContext('2d');
  for (let x = 0; x < bar.width; x++) {
    ctx.fillStyle = divergingColour((2 * x) / (bar.width - 1) - 1);
    ctx.fillRect(x, 0, 1, bar.height);
  }
  return h(
    'div',
    { class: 'scale' },
    bar,
    h(
      'div',
      { class: 'scale-labels' },
      labels.map((text) => h('span', {}, text)),
    ),
  );
}
