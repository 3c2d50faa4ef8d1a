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

// Draws values (rows x cols, any range) as a grey or diverging image on a canvas.
// smooth: interpolate between samples when scaling up (a boundary); otherwise each sample is
// a square (unit maps, weights).
export function drawGrid(canvas, values, rows, cols, { diverging = false, scale, smooth = false } = {}) {
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const m = scale ?? Math.max(Math.abs(lo), Math.abs(hi), 1e-12);
  for (let i = 0; i < rows * cols; i++) {
    const v = values[i];
    const [r, g, b] = diverging
      ? divergingRgb(v / m)
      : Array(3).fill(255 - (255 * (v - lo)) / Math.max(hi - lo, 1e-12));
    image.data.set([r, g, b, 255], 4 * i);
  }
  const buffer = document.createElement('canvas');
  buffer.width = cols;
  buffer.height = rows;
  buffer.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  ctx.imageSmoothingQuality = 'high';
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(buffer, 0, 0, canvas.width, canvas.height);
}
