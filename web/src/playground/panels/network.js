// The network view: one column per layer, nodes for units (or filters), connections
// coloured by the sign (blue positive, orange negative) and strength of their weights.
// Layers wider than MAX_NODES are summarized: each drawn node stands for a group of units
// and each line for the mean weight between two groups. On a 2D set each input and unit
// is drawn as a small heatmap of its output over the input plane (as TensorFlow Playground
// draws its neurons), enlarged under the pointer.
import { data as dataSets } from '../../../lib/layers_api.js';
import { divergingColour, h, panel } from '../dom.js';
import { denseLayer } from '../presets.js';
import { sourceName, watchProbe } from '../probe.js';
import {
  layerColumns,
  blockMean,
  SHORT_NAMES,
  columnSources,
  drawArcs,
  drawSequenceMarks,
  drawPlane,
  groups,
  nodeLabel,
  tile,
  unitPlanes,
} from './network_nodes.js';

// The features as a page writes them (the address keeps the plain names).
const FEATURE_LABELS = {
  'x1^2': 'x1²',
  'x2^2': 'x2²',
  'x1*x2': 'x1·x2',
  'sin(x1)': 'sin x1',
  'sin(x2)': 'sin x2',
  'cos(x1)': 'cos x1',
  'cos(x2)': 'cos x2',
};

// On a 2D set: the input features, each switched on or off (TensorFlow Playground's
// feature nodes); at least one stays on.
function featureToggles(app) {
  const row = h('div', { class: 'features', role: 'group', 'aria-label': 'input features' });
  const render = () => {
    row.hidden = !(app.data?.planar ?? app.info.planar);
    const chosen = app.state.features;
    row.replaceChildren(
      h('span', { class: 'hint' }, 'Inputs:'),
      ...Object.keys(dataSets.FEATURES).map((f) => {
        const box = h('input', {
          type: 'checkbox',
          checked: chosen.includes(f),
          disabled: chosen.length === 1 && chosen.includes(f),
          'aria-label': `feature ${f}`,
          onchange: () => {
            const next = Object.keys(dataSets.FEATURES).filter((g) => (g === f ? box.checked : chosen.includes(g)));
            app.update({ features: next });
          },
        });
        return h('label', { class: 'feature' }, box, ` ${FEATURE_LABELS[f] ?? f}`);
      }),
    );
  };
  app.addEventListener('state', render);
  app.addEventListener('model', render);
  render();
  return row;
}

function stackButtons(app) {
  const hiddenDense = () => app.state.layers.slice(0, -1).filter((l) => l.units !== undefined);
  const more = h(
    'button',
    {
      type: 'button',
      'aria-label': 'add a hidden layer',
      onclick: () =>
        app.editLayers((layers) => {
          const last = hiddenDense().at(-1);
          layers.splice(layers.length - 1, 0, denseLayer(last?.units ?? 4, last?.activation ?? 'relu'));
        }),
    },
    '+ layer',
  );
  const fewer = h(
    'button',
    {
      type: 'button',
      'aria-label': 'remove the last hidden layer',
      onclick: () =>
        app.editLayers((layers) => {
          const i = layers.slice(0, -1).findLastIndex((l) => l.units !== undefined);
          if (i >= 0) layers.splice(i, 1);
        }),
    },
    '− layer',
  );
  const render = () => {
    fewer.disabled = hiddenDense().length === 0;
  };
  app.addEventListener('state', render);
  render();
  return h('div', { class: 'row stack-buttons' }, more, fewer);
}

export function networkPanel(app) {
  const canvas = h('canvas', { width: 640, height: 280, role: 'img', 'aria-label': 'network view' });
  const caption = h('p', { class: 'hint' });
  // The unit under the pointer, enlarged.
  const zoom = h('canvas', { width: 128, height: 128, class: 'node-zoom', hidden: true, 'aria-hidden': 'true' });
  const zoomLabel = h('span', { class: 'node-zoom-label', hidden: true });
  let targets = []; // [{x, y, size, values, grid, label}] of the last drawing
  let outputs = []; // [{x, y, label}]: the output nodes of a classifier, by class
  let edges = []; // [{x0, y0, x1, y1, layer, i, j, w}]: the lines that each stand for one weight
  // The line nearest to a canvas point, within 4 pixels.
  const edgeAt = (x, y) => {
    let best = null;
    let bestDistance = 4;
    for (const e of edges) {
      const dx = e.x1 - e.x0;
      const dy = e.y1 - e.y0;
      const t = Math.max(0, Math.min(1, ((x - e.x0) * dx + (y - e.y0) * dy) / (dx * dx + dy * dy)));
      const d = Math.hypot(x - e.x0 - t * dx, y - e.y0 - t * dy);
      if (d < bestDistance) [best, bestDistance] = [e, d];
    }
    return best;
  };
  // Editing one weight: clicking its line opens this form (not while training).
  const weightInput = h('input', { type: 'number', step: '0.1', class: 'num', 'aria-label': 'weight value' });
  const weightTitle = h('span', {});
  const weightForm = h(
    'form',
    { class: 'weight-editor', hidden: true },
    weightTitle,
    weightInput,
    h('button', { type: 'submit' }, 'Set'),
    h('button', { type: 'button', onclick: () => (weightForm.hidden = true) }, 'Close'),
  );
  let editing = null;
  weightForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = Number(weightInput.value);
    const model = app.model;
    if (!editing || !model || !Number.isFinite(value)) return;
    const weights = await model.weightEntries();
    const kernel = weights.find((w) => w.layer === editing.layer && w.name === 'kernel');
    kernel.values[editing.i * kernel.shape[1] + editing.j] = value;
    await model.setWeights(weights.map((w) => w.values));
    weightForm.hidden = true;
    app.weightsCopy = null;
    app.emit('weights-edited', { ...editing, value });
    app.refreshViews();
  });
  canvas.addEventListener('click', (event) => {
    const r = canvas.getBoundingClientRect();
    const e = edgeAt(
      ((event.clientX - r.left) * canvas.width) / r.width,
      ((event.clientY - r.top) * canvas.height) / r.height,
    );
    if (!e || app.trainState === 'training') return;
    editing = e;
    weightTitle.textContent = `${e.layer} kernel[${e.i}, ${e.j}] `;
    weightInput.value = String(+e.w.toPrecision(4));
    weightForm.style.left = `${Math.min(event.clientX - r.left, r.width - 220)}px`;
    weightForm.style.top = `${event.clientY - r.top + 12}px`;
    weightForm.hidden = false;
    weightInput.focus();
  });
  // + and − for the units of each hidden Dense layer, under its column.
  const unitButtons = h('div', { class: 'unit-buttons' });
  canvas.addEventListener('pointermove', (event) => {
    const r = canvas.getBoundingClientRect();
    const x = ((event.clientX - r.left) * canvas.width) / r.width;
    const y = ((event.clientY - r.top) * canvas.height) / r.height;
    const hit = targets.find((t) => Math.abs(t.x - x) <= t.size / 2 + 2 && Math.abs(t.y - y) <= t.size / 2 + 2);
    zoom.hidden = !hit;
    zoomLabel.hidden = !hit;
    if (!hit) {
      // Over an output node: its class; over a line that stands for one weight: its value
      // (click to edit it).
      const named = outputs.find((t) => Math.abs(t.x - x) <= 8 && Math.abs(t.y - y) <= 8);
      const e = edgeAt(x, y);
      canvas.title =
        named?.label ?? (e ? `${e.layer} kernel[${e.i}, ${e.j}] = ${e.w.toPrecision(3)} (click to edit)` : '');
      return;
    }
    drawPlane(zoom, hit);
    zoomLabel.textContent = hit.label;
    const left = Math.min(event.clientX - r.left + 14, r.width - 132);
    zoom.style.left = `${left}px`;
    zoom.style.top = `${event.clientY - r.top + 40}px`;
    zoomLabel.style.left = zoom.style.left;
    zoomLabel.style.top = `${event.clientY - r.top + 172}px`;
  });
  canvas.addEventListener('pointerleave', () => {
    zoom.hidden = true;
    zoomLabel.hidden = true;
  });

  async function draw() {
    const model = app.model;
    if (!model) return;
    const weights = await app.weights(model).catch(() => null);
    if (!weights || model !== app.model) return;
    const width = Math.max(300, Math.min(canvas.parentElement?.clientWidth || 640, 900));
    canvas.width = width;
    // On a 2D set every unit is a picture: taller, so that a layer of 16 still shows them.
    canvas.height = app.data?.planar || app.isImages ? 380 : 280;
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const columns = layerColumns(app);
    // A graph's skips are drawn as arcs above the columns.
    const sources = columnSources(app);
    const top = sources ? 44 : 16;
    const dx = (width - 60) / Math.max(1, columns.length - 1);
    // Columns too close for their labels side by side: labels on two alternating rows.
    const crowded = dx < 70;
    const bottom = canvas.height - (crowded ? 58 : 34);
    const positions = columns.map((c, k) => {
      const g = groups(c.units, c.max);
      const dy = (bottom - top) / Math.max(1, g.length);
      return { groups: g, x: 30 + k * dx, y: g.map((_, i) => top + dy * (i + 0.5)) };
    });
    const byLayer = new Map();
    for (const w of weights) byLayer.set(`${w.layer}/${w.name}`, w);
    const drawLabel = (c, p, k) => {
      ctx.fillStyle = '#222';
      ctx.font = `${crowded ? 9 : 10}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      const [name, shape] = c.label.split(' ');
      const below = crowded && k % 2 === 1 ? 24 : 0;
      ctx.fillText(SHORT_NAMES[name] ?? name.replace('Pooling', 'Pool'), p.x, bottom + 14 + below);
      ctx.fillText(shape, p.x, bottom + 26 + below);
    };
    // Connections, from each layer's kernel (layers without one pass units straight on).
    // Line strength is relative to the largest weight between the same two columns.
    const maxAbs = new Map();
    const lines = [];
    edges = [];
    columns.forEach((c, k) => {
      if (k === 0) return;
      // A layer that takes a column further back (a projection on a skip): the arc.
      if (sources && sources[k][0] !== k - 1) return;
      const kernel = byLayer.get(`${c.name}/kernel`);
      const from = positions[k - 1];
      const to = positions[k];
      if (kernel) {
        // A Dense after Flatten: its inputs are the flattened maps, grouped in order.
        const inGroups = groups(kernel.shape.at(-2), columns[k - 1].max);
        inGroups.forEach((a, i) =>
          to.groups.forEach((b, j) => {
            const w = blockMean(kernel.values, kernel.shape, a, b);
            maxAbs.set(k, Math.max(maxAbs.get(k) ?? 1e-9, Math.abs(w)));
            const yi = from.y[Math.min(from.y.length - 1, Math.floor((i * from.y.length) / inGroups.length))];
            lines.push([from.x, yi, to.x, to.y[j], w, k]);
            // One weight per line (no groups on either side, a Dense kernel): editable.
            const single = kernel.shape.length === 2 && a[1] - a[0] === 1 && b[1] - b[0] === 1;
            if (single && inGroups.length === from.y.length)
              edges.push({ x0: from.x, y0: yi, x1: to.x, y1: to.y[j], layer: c.name, i: a[0], j: b[0], w });
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
    app.networkArcs = drawArcs(ctx, sources, positions, top);
    // Nodes: a heatmap of the unit's output on a 2D set, otherwise coloured by its bias;
    // and each column's label.
    const planes = unitPlanes(app, columns, model);
    targets = [];
    outputs = [];
    columns.forEach((c, k) => {
      const p = positions[k];
      if (planes[k]) {
        const spacing = p.y.length > 1 ? p.y[1] - p.y[0] : bottom - top;
        const size = Math.max(12, Math.min(36, spacing - 4, dx - 6));
        p.y.forEach((y, u) => {
          const plane = planes[k][u];
          ctx.drawImage(tile(plane, size), p.x - size / 2, y - size / 2);
          ctx.strokeStyle = '#444';
          ctx.lineWidth = 1;
          ctx.strokeRect(p.x - size / 2, y - size / 2, size, size);
          targets.push({ x: p.x, y, size, ...plane, label: nodeLabel(app, c, k, p.groups[u]) });
        });
        drawLabel(c, p, k);
        return;
      }
      // On images a flat layer's nodes show their outputs for the probed image; otherwise
      // the nodes show their bias.
      const probed =
        app.isImages && app.probeMaps?.model === model
          ? app.probeMaps.maps.find((m) => m.layer === c.name && m.shape.length === 2)
          : null;
      const shown = probed ?? (c.name ? byLayer.get(`${c.name}/bias`) : null);
      let maxShown = 1e-9;
      shown?.values.forEach((v) => (maxShown = Math.max(maxShown, Math.abs(v))));
      p.y.forEach((y, i) => {
        const [a, b] = p.groups[i];
        let mean = 0;
        if (shown) {
          for (let u = a; u < b; u++) mean += shown.values[u];
          mean /= b - a;
        }
        ctx.fillStyle = shown ? divergingColour(mean / maxShown) : '#fff';
        ctx.strokeStyle = '#444';
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.rect(p.x - 6, y - 6, 12, 12);
        ctx.fill();
        ctx.stroke();
        if (c.output) outputs.push({ x: p.x, y, label: nodeLabel(app, c, k, [a, b]) });
      });
      drawLabel(c, p, k);
    });
    drawSequenceMarks(ctx, columns, positions, top);
    app.networkTiles = targets.length;
    app.networkOutputs = outputs;
    app.networkEdges = edges.map(({ w, ...e }) => ({ ...e, w }));
    const scale = canvas.getBoundingClientRect().width / canvas.width || 1;
    unitButtons.replaceChildren(
      ...columns.flatMap((c, k) => {
        const i = k - 1;
        const layer = app.state.layers[i];
        // (Not when the columns are too close for the buttons: a deep network.)
        if (k === 0 || i === app.state.layers.length - 1 || layer?.units === undefined || dx < 40) return [];
        const change = (delta) => () =>
          app.editLayers((layers) => (layers[i].units = Math.min(4096, Math.max(1, layers[i].units + delta))));
        return [
          h(
            'span',
            { class: 'unit-buttons-cell', style: `left: ${positions[k].x * scale - 22}px` },
            h('button', { type: 'button', 'aria-label': `more units in layer ${k}`, onclick: change(1) }, '+'),
            h(
              'button',
              {
                type: 'button',
                'aria-label': `fewer units in layer ${k}`,
                disabled: layer.units === 1,
                onclick: change(-1),
              },
              '−',
            ),
          ),
        ];
      }),
    );
    const summarized = columns.some((c) => c.units > c.max)
      ? ' A layer with more units than nodes drawn is summarized: a node stands for a group of units, a line for their mean weight.'
      : '';
    let text = 'Each node is a unit; line width and colour show each weight (blue positive, orange negative).';
    if (app.data?.planar && targets.length)
      text =
        'Each square is an input or a unit, drawn as its output over the whole input plane (blue high, orange low); point at one to enlarge it. Lines show the weights (blue positive, orange negative).';
    else if (app.isImages && targets.length)
      text = planes.slice(1).some(Boolean)
        ? `The first square is ${sourceName(app.probeMaps.source)}; each square of a convolution or pooling layer is its activation map for it (a square standing for several filters shows their mean). Draw on the pad and they follow; point at one to enlarge it.`
        : `The first square is ${sourceName(app.probeMaps.source)}, as the network gets it.`;
    if (app.isImages && targets.length)
      text += ' Other nodes show their output for it (blue high); the last column is the prediction.';
    caption.textContent = text + summarized;
  }
  // On a 2D set and on images the views' maps follow each refresh, and the drawing follows
  // them; otherwise it follows the refresh itself.
  app.addEventListener('refresh', () => !app.data?.planar && !app.isImages && draw());
  app.addEventListener('model', draw);
  app.addEventListener('unit-maps', draw);
  app.addEventListener('probe', draw);
  watchProbe(app);
  const element = panel(
    'network',
    'Network',
    featureToggles(app),
    h('div', { class: 'network-view' }, canvas, zoom, zoomLabel, weightForm),
    unitButtons,
    stackButtons(app),
    caption,
  );
  return element;
}
