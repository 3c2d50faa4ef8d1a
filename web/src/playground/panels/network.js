// The network view: one column per layer, nodes for units (or filters), connections
// coloured by the sign (blue positive, orange negative) and strength of their weights.
// Layers wider than MAX_NODES are summarized: each drawn node stands for a group of units
// and each line for the mean weight between two groups.
import { divergingColour, h, panel } from '../dom.js';

const MAX_NODES = 12;

// Splits n units into at most MAX_NODES contiguous groups: [[start, end), ...].
function groups(n) {
  const count = Math.min(n, MAX_NODES);
  return Array.from({ length: count }, (_, g) => [Math.floor((g * n) / count), Math.floor(((g + 1) * n) / count)]);
}

// Mean kernel weight between input group a and output group b. kernel: (..., in, out).
function blockMean(kernel, shape, a, b) {
  const out = shape.at(-1);
  const inn = shape.at(-2);
  const spatial = kernel.length / (inn * out);
  let sum = 0;
  let count = 0;
  for (let s = 0; s < spatial; s++)
    for (let i = a[0]; i < a[1]; i++)
      for (let j = b[0]; j < b[1]; j++) {
        sum += kernel[(s * inn + i) * out + j];
        count++;
      }
  return sum / count;
}

export function networkPanel(app) {
  const canvas = h('canvas', { width: 640, height: 280, role: 'img', 'aria-label': 'network view' });
  const caption = h('p', { class: 'hint' });

  async function draw() {
    const model = app.model;
    if (!model) return;
    const weights = await app.weights(model).catch(() => null);
    if (!weights || model !== app.model) return;
    const width = Math.max(300, Math.min(canvas.parentElement?.clientWidth || 640, 900));
    canvas.width = width;
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const input = app.info.inputShape ?? [1];
    const inputUnits = input.length === 3 ? input[2] : input[0];
    // Columns: the input, then each layer; a column's width is its channel or unit count.
    const columns = [{ label: `input (${input.join('×')})`, units: inputUnits }];
    for (const l of app.layers) {
      const shape = l.outputShape;
      columns.push({ label: `${l.type} (${shape.join('×')})`, units: shape.at(-1), name: l.name, type: l.type });
    }
    const top = 16;
    const bottom = canvas.height - 34;
    const dx = (width - 60) / Math.max(1, columns.length - 1);
    const positions = columns.map((c, k) => {
      const g = groups(c.units);
      const dy = (bottom - top) / Math.max(1, g.length);
      return { groups: g, x: 30 + k * dx, y: g.map((_, i) => top + dy * (i + 0.5)) };
    });
    const byLayer = new Map();
    for (const w of weights) byLayer.set(`${w.layer}/${w.name}`, w);
    // Connections, from each layer's kernel (layers without one pass units straight on).
    // Line strength is relative to the largest weight between the same two columns.
    const maxAbs = new Map();
    const lines = [];
    columns.forEach((c, k) => {
      if (k === 0) return;
      const kernel = byLayer.get(`${c.name}/kernel`);
      const from = positions[k - 1];
      const to = positions[k];
      if (kernel) {
        // A Dense after Flatten: its inputs are the flattened maps, grouped in order.
        const inGroups = groups(kernel.shape.at(-2));
        inGroups.forEach((a, i) =>
          to.groups.forEach((b, j) => {
            const w = blockMean(kernel.values, kernel.shape, a, b);
            maxAbs.set(k, Math.max(maxAbs.get(k) ?? 1e-9, Math.abs(w)));
            const yi = from.y[Math.min(from.y.length - 1, Math.floor((i * from.y.length) / inGroups.length))];
            lines.push([from.x, yi, to.x, to.y[j], w, k]);
          }),
        );
      } else if (from.groups.length === to.groups.length) {
        to.y.forEach((y, j) => lines.push([from.x, from.y[j], to.x, y, null]));
      } else {
        to.y.forEach((y, j) =>
          lines.push([from.x, from.y[Math.floor((j * from.y.length) / to.y.length)], to.x, y, null]),
        );
      }
    });
    for (const [x0, y0, x1, y1, w, k] of lines) {
      const m = maxAbs.get(k);
      ctx.strokeStyle = w === null ? '#ccc' : divergingColour(w / m);
      ctx.lineWidth = w === null ? 1 : 0.5 + 2.5 * Math.abs(w / m);
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      ctx.stroke();
    }
    // Nodes coloured by their bias, and each column's label.
    columns.forEach((c, k) => {
      const p = positions[k];
      const bias = c.name ? byLayer.get(`${c.name}/bias`) : null;
      let maxBias = 1e-9;
      bias?.values.forEach((v) => (maxBias = Math.max(maxBias, Math.abs(v))));
      p.y.forEach((y, i) => {
        const [a, b] = p.groups[i];
        let mean = 0;
        if (bias) {
          for (let u = a; u < b; u++) mean += bias.values[u];
          mean /= b - a;
        }
        ctx.fillStyle = bias ? divergingColour(mean / maxBias) : '#fff';
        ctx.strokeStyle = '#444';
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.rect(p.x - 6, y - 6, 12, 12);
        ctx.fill();
        ctx.stroke();
      });
      ctx.fillStyle = '#222';
      ctx.font = '10px system-ui, sans-serif';
      ctx.textAlign = 'center';
      const [name, shape] = c.label.split(' ');
      ctx.fillText(name, p.x, bottom + 14);
      ctx.fillText(c.units > MAX_NODES ? `${shape} ≈` : shape, p.x, bottom + 26);
    });
    const summarized = columns.filter((c) => c.units > MAX_NODES).length;
    caption.textContent = summarized
      ? `Layers wider than ${MAX_NODES} units are summarized: a node stands for a group of units, a line for their mean weight.`
      : 'Each node is a unit; line width and colour show each weight (blue positive, orange negative).';
  }
  app.addEventListener('refresh', draw);
  app.addEventListener('model', draw);
  return panel('network', 'Network', canvas, caption);
}
