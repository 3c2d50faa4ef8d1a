// The network view's nodes: how a wide layer is split into groups drawn as one node each,
// the mean weight between two groups, and the picture each node shows (on a 2D set a
// unit's output over the input plane, on images a layer's activation maps for the probed
// image), with what the enlarged picture is called.
import { drawGrid, drawPixels } from '../dom.js';
import { isGraph, sourcesOf } from '../graph.js';
import { sourceName } from '../probe.js';

export const MAX_NODES = 16;
// On images, the most squares a layer of activation maps is drawn with.
export const MAX_MAPS = 8;
const TILE_STEP = 2;

// The view's columns: the input, then each layer; a column's width is its channel or unit
// count (on images a layer of maps shows fewer, larger squares, each the mean of its
// group); a classifier's last column is marked as its output.
export function layerColumns(app) {
  const input = app.info.inputShape ?? [1];
  const inputUnits = input.length === 3 ? input[2] : input[0];
  const columns = [{ label: `input ${input.join('×')}`, units: inputUnits, max: MAX_NODES }];
  app.layers.forEach((l, i) => {
    const shape = l.outputShape;
    const max = app.isImages && shape.length === 3 ? MAX_MAPS : MAX_NODES;
    const output = i === app.layers.length - 1 && shape.length === 1 && shape[0] === app.data?.classes;
    columns.push({
      label: `${l.type} ${shape.join('×')}`,
      units: shape.at(-1),
      name: l.name,
      type: l.type,
      max,
      output,
    });
  });
  return columns;
}

// Splits n units into at most MAX_NODES contiguous groups: [[start, end), ...].
export function groups(n, max = MAX_NODES) {
  const count = Math.min(n, max);
  return Array.from({ length: count }, (_, g) => [Math.floor((g * n) / count), Math.floor(((g + 1) * n) / count)]);
}

// Mean kernel weight between input group a and output group b. kernel: (..., in, out).
export function blockMean(kernel, shape, a, b) {
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

// One unit's output (rows x cols samples) as a tile of `size` pixels.
export function tile(plane, size) {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  drawPlane(c, plane);
  return c;
}

// A node's picture: an input image as it is (in colour where it has colour), any other
// plane as a diverging heatmap.
export function drawPlane(canvas, { values, rows, cols, pixels, shape }) {
  if (pixels) drawPixels(canvas, pixels, shape);
  else drawGrid(canvas, values, rows, cols, { diverging: true, smooth: rows >= 40 });
}

// Column k's pictures, one per drawn node ({values, rows, cols}), or null where there are
// none. On a 2D set: each input and unit with flat outputs over the input plane. On
// images: the image itself and each layer's activation maps for it (a node standing for
// several channels shows their mean).
export function unitPlanes(app, columns, model) {
  if (app.data?.planar) return planarPlanes(app, columns, model);
  if (app.isImages) return imagePlanes(app, columns, model);
  return columns.map(() => null);
}

function planarPlanes(app, columns, model) {
  const source = app.unitMaps;
  if (source?.model !== model) return columns.map(() => null);
  const { grid, points, maps } = source;
  // A node is at most 36 pixels wide: every second sample of the grid is plenty.
  const side = Math.ceil(grid / TILE_STEP);
  const plane = (values, units, u) => {
    const out = new Float32Array(side * side);
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) out[r * side + c] = values[(r * TILE_STEP * grid + c * TILE_STEP) * units + u];
    return { values: out, rows: side, cols: side };
  };
  return columns.map((c, k) => {
    if (c.units > MAX_NODES) return null;
    if (k === 0) return Array.from({ length: c.units }, (_, u) => plane(points, c.units, u));
    const m = maps.find((map) => map.layer === c.name);
    if (!m || m.shape.length !== 2) return null;
    return Array.from({ length: c.units }, (_, u) => plane(m.values, c.units, u));
  });
}

function imagePlanes(app, columns, model) {
  const probe = app.probeMaps;
  if (probe?.model !== model) return columns.map(() => null);
  return columns.map((c, k) => {
    if (k === 0) {
      const shape = app.data.imageShape;
      const plane = { values: Float32Array.from(probe.pixels), rows: shape[0], cols: shape[1], shape };
      if (shape[2] !== 3) return [{ ...plane, pixels: probe.pixels }];
      // A colour image: one node per channel, each drawn in its own colour.
      return [0, 1, 2].map((channel) => ({
        ...plane,
        pixels: probe.pixels.map((v, i) => (i % 3 === channel ? v : 0)),
      }));
    }
    const m = probe.maps.find((map) => map.layer === c.name);
    if (!m || m.shape.length !== 4) return null;
    const [, rows, cols, channels] = m.shape;
    return groups(channels, c.max).map(([a, b]) => {
      const values = new Float32Array(rows * cols);
      for (let p = 0; p < rows * cols; p++) {
        let sum = 0;
        for (let ch = a; ch < b; ch++) sum += m.values[p * channels + ch];
        values[p] = sum / (b - a);
      }
      return { values, rows, cols };
    });
  });
}

// What one drawn node stands for, as its enlarged picture's caption.
export function nodeLabel(app, column, k, [a, b]) {
  if (k === 0 && app.isImages) {
    const channel = app.data.imageShape[2] === 3 ? `${['red', 'green', 'blue'][a]} of ` : '';
    return `input: ${channel}${sourceName(app.probeMaps.source)}`;
  }
  if (k === 0) return `input ${app.unitMaps.features[a]}`;
  const names = column.output && app.data?.classNames;
  if (names) return b - a === 1 ? `${column.name}: ${names[a]}` : `${column.name}: ${names.slice(a, b).join(', ')}`;
  if (!app.isImages) return `${column.name} unit ${a + 1}`;
  return b - a === 1 ? `${column.name} map ${a + 1}` : `${column.name} maps ${a + 1}–${b} (mean)`;
}

// Where each column's inputs come from, when the builder's layers form a graph
// (graph.js): [column numbers] per column (the input column has none), or null for a
// chain (each column takes the one before) and for a model the builder does not show.
export function columnSources(app) {
  const layers = app.state.layers;
  if (!isGraph(layers) || app.layers.length !== layers.length) return null;
  return [[], ...layers.map((_, i) => sourcesOf(layers, i))];
}

// The skips and branches: an arc over the columns from each source that is not the
// column before, to the column that takes it: solid into a merge, dashed into a layer (a
// projection on a skip). Returns the arcs drawn.
export function drawArcs(ctx, sources, positions, top) {
  const arcs = [];
  sources?.forEach((from, k) =>
    from.forEach((s) => s !== k - 1 && arcs.push({ from: s, to: k, merge: from.length > 1 })),
  );
  for (const { from, to, merge } of arcs) {
    const [x0, x1] = [positions[from].x, positions[to].x];
    const lift = Math.min(top - 6, 10 + (x1 - x0) / 8);
    ctx.strokeStyle = '#7b5ea7';
    ctx.lineWidth = 1.5;
    ctx.setLineDash(merge ? [] : [4, 3]);
    ctx.beginPath();
    ctx.moveTo(x0, top - 4);
    ctx.quadraticCurveTo((x0 + x1) / 2, top - 4 - 2 * lift, x1, top - 4);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  return arcs;
}

// Shorter names where labels crowd (a transformer's columns).
export const SHORT_NAMES = {
  MultiHeadAttention: 'Attention',
  LayerNormalization: 'LayerNorm',
  PositionEmbedding: 'Position',
  GlobalMaxPooling1D: 'GlobalMax',
  GlobalAveragePooling1D: 'GlobalAvg',
};
const RECURRENT_TYPES = new Set(['LSTM', 'GRU', 'SimpleRNN']);

// A recurrent layer loops over the steps with its state; attention mixes the steps: a
// mark above such a column says so.
export function drawSequenceMarks(ctx, columns, positions, top) {
  columns.forEach((c, k) => {
    const mark = RECURRENT_TYPES.has(c.type) ? '↻ state' : c.type === 'MultiHeadAttention' ? '⇄ steps' : null;
    if (!mark) return;
    ctx.fillStyle = '#8a5cf6';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText(mark, positions[k].x, top - 4);
  });
}
