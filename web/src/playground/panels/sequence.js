// Inside a sequence model, for the text the Try-it panel holds, renewed while it trains:
// - attention: every head of every attention layer as a matrix over the text (rows the
//   characters reading, columns those read); hover a character to see what it reads;
// - recurrent units as a heatmap over the characters (rows units), an LSTM's gates and
//   cell state too, and the state's size per step; click a unit to find the characters
//   of the test text that drive it highest;
// - the embedding table projected to 2D (its two main directions), with the symbols;
// - the loss and accuracy at each position over test samples, and for a toy task the
//   inputs, targets and answers side by side.
// All from the engine's values (activations, weights, predictions); app.sequenceViews
// keeps what was drawn.
import * as dl from '../../../lib/layers_api.js';
import { divergingRgb, h, panel, select } from '../dom.js';
import { attentionScores, lstmSteps } from '../sequence_probe.js';
import { drawEmbedding, drawPositions, visible } from './sequence_measures.js';
import { currentText, encodeText, isSequenceData } from '../sequence_text.js';
import { throttled } from './throttle.js';

const EVERY = 1500; // ms between redraws while training
const RECURRENT = ['lstm', 'gru', 'simpleRNN'];

// The model's layers with their configuration and the names of their inputs.
function layerGraph(model, activations) {
  if (model.graph) return model.graph.layers;
  return model.layerConfigs.map((config, i) => ({
    ...config,
    name: activations[i].layer,
    inputs: i ? [activations[i - 1].layer] : ['input'],
  }));
}

export function sequencePanel(app) {
  const attention = h('div', { class: 'attention-views' });
  const units = h('div', { class: 'unit-views' });
  const embedding = h('canvas', { width: 320, height: 320, role: 'img', 'aria-label': 'embedding table in 2D' });
  const embeddingCaption = h('p', { class: 'hint' });
  const positions = h('canvas', { width: 640, height: 120, role: 'img', 'aria-label': 'loss per position' });
  const positionsCaption = h('p', { class: 'hint' });
  const examples = h('table', { class: 'toy-examples' });
  const parts = { embedding, embeddingCaption, positions, positionsCaption, examples };
  const unitFinds = h('div', { class: 'unit-finds', 'aria-live': 'polite' });
  let gateChoice = 'h';
  let hovered = null; // the query position hovered, or null

  const schedule = throttled(app, EVERY, refresh);

  async function refresh() {
    const data = app.data;
    element.hidden = !isSequenceData(app);
    if (element.hidden || !app.model || app.problem) return;
    const model = app.model;
    const text = currentText(app);
    const { ids, length, chars } = encodeText(app, text);
    const x = dl.tensor(ids, [1, ids.length]);
    try {
      const [activations, weights] = await Promise.all([model.activations(x), model.weightEntries()]);
      if (model !== app.model || data !== app.data) return;
      const layers = layerGraph(model, activations);
      const output = Object.fromEntries(activations.map((a) => [a.layer, a]));
      output.input = output[model.graph?.inputs[0].name] = { values: ids, shape: [1, ids.length] };
      const weightsOf = (name) =>
        Object.fromEntries(weights.filter((w) => w.layer === name).map((w) => [w.name, w.values]));
      const views = { text, length, attention: [], units: [], embedding: null, positions: null };
      drawAttention(views, layers, output, weightsOf, Math.max(1, length), chars);
      drawUnits(views, layers, output, weightsOf, Math.max(1, length), chars);
      drawEmbedding(parts, views, layers, weightsOf, data);
      await drawPositions(parts, views, model, data);
      if (model !== app.model) return;
      app.sequenceViews = views;
      app.emit('sequence-views');
    } catch (error) {
      if (model === app.model && !model.disposed) throw error;
    } finally {
      x.dispose();
    }
  }

  function heatCanvas(values, rows, columns, cell, colour, label) {
    const canvas = h('canvas', { width: columns * cell, height: rows * cell, role: 'img', 'aria-label': label });
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(columns * cell, rows * cell);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < columns; c++) {
        const [red, green, blue] = colour(values(r, c));
        for (let dy = 0; dy < cell; dy++)
          for (let dx = 0; dx < cell; dx++) {
            const at = 4 * ((r * cell + dy) * columns * cell + c * cell + dx);
            image.data.set([red, green, blue, 255], at);
          }
      }
    ctx.putImageData(image, 0, 0);
    return canvas;
  }
  const blues = (v) => divergingRgb(Math.max(0, Math.min(1, v)));

  function drawAttention(views, layers, output, weightsOf, n, chars) {
    const blocks = [];
    for (const layer of layers.filter((l) => l.type === 'multiHeadAttention')) {
      const [q, v, k] = layer.inputs.map((name) => output[name]);
      if (!q || !v) continue;
      const steps = q.shape[1];
      const w = weightsOf(layer.name);
      const heads = attentionScores(
        q.values,
        (k ?? v).values,
        steps,
        {
          queryKernel: w['query/kernel'],
          queryBias: w['query/bias'],
          keyKernel: w['key/kernel'],
          keyBias: w['key/bias'],
        },
        layer.numHeads,
        layer.keyDim,
        Boolean(layer.useCausalMask),
      );
      views.attention.push({ layer: layer.name, steps, heads });
      const cell = Math.max(2, Math.min(12, Math.floor(240 / n)));
      const strip = h('div', { class: 'token-strip' });
      const shade = (query) => {
        strip.querySelectorAll('span').forEach((span, j) => {
          const mean = query === null ? 0 : heads.reduce((s, head) => s + head[query * steps + j], 0) / heads.length;
          span.style.background = `rgba(47, 111, 222, ${mean.toFixed(3)})`;
          span.classList.toggle('query', j === query);
        });
      };
      for (let j = 0; j < n; j++)
        strip.append(
          h(
            'span',
            { onmouseenter: () => ((hovered = j), shade(j)), onmouseleave: () => ((hovered = null), shade(null)) },
            visible(chars[j]),
          ),
        );
      const canvases = heads.map((head, k) => {
        // Each row shaded against its largest score: a row sums to 1 over up to `steps` keys.
        const rowMax = Array.from({ length: n }, (_, r) => Math.max(...head.subarray(r * steps, r * steps + n), 1e-9));
        const canvas = heatCanvas(
          (r, c) => head[r * steps + c] / rowMax[r],
          n,
          n,
          cell,
          blues,
          `${layer.name} head ${k + 1}`,
        );
        canvas.addEventListener('mousemove', (e) => {
          const row = Math.min(n - 1, Math.floor(e.offsetY / cell));
          hovered = row;
          shade(row);
        });
        return h('figure', { class: 'head' }, canvas, h('figcaption', {}, `head ${k + 1}`));
      });
      shade(hovered !== null && hovered < n ? hovered : null);
      blocks.push(
        h(
          'div',
          { class: 'attention-layer' },
          h('h3', {}, `${layer.name}: ${heads.length} heads`),
          h('div', { class: 'heads' }, canvases),
          strip,
        ),
      );
    }
    attention.replaceChildren(
      ...(blocks.length
        ? [
            ...blocks,
            h(
              'p',
              { class: 'hint' },
              'Each square is one head: row i shows how much character i reads each earlier one, darkest where it reads most. Hover a character or a row to see what it reads, averaged over the heads.',
            ),
          ]
        : []),
    );
  }

  function drawUnits(views, layers, output, weightsOf, typed, chars) {
    const blocks = [];
    for (const layer of layers.filter((l) => RECURRENT.includes(l.type))) {
      const out = output[layer.name];
      const input = output[layer.inputs[0]];
      if (!out || out.shape.length !== 3) continue;
      const [, steps, count] = out.shape;
      // A layer over the characters read shows those typed; a decoder's steps are its own.
      const reads = steps === app.data.inSteps;
      const n = reads ? Math.min(typed, steps) : steps;
      let gates = null;
      if (layer.type === 'lstm' && input?.shape.length === 3) {
        const w = weightsOf(layer.name);
        gates = lstmSteps(
          input.values,
          steps,
          { kernel: w.kernel, recurrent: w.recurrent_kernel, bias: w.bias },
          count,
          layer,
        );
        // Masks, dropout or an activation this page does not know: only the engine's outputs.
        if (gates && Math.max(...gates.h.map((v, i) => Math.abs(v - out.values[i]))) > 1e-3) gates = null;
      }
      const kinds = gates
        ? {
            h: 'output h',
            c: 'cell state c',
            i: 'input gate i',
            f: 'forget gate f',
            o: 'output gate o',
            g: 'candidate g',
          }
        : { h: 'output h' };
      const kind = kinds[gateChoice] ? gateChoice : 'h';
      const values = kind === 'h' ? out.values : gates[kind];
      views.units.push({ layer: layer.name, kind, steps, units: count, values, gates: Boolean(gates) });
      const cell = Math.max(3, Math.min(14, Math.floor(480 / n)));
      const rowHeight = Math.max(2, Math.min(8, Math.floor(256 / count)));
      const canvas = h('canvas', {
        width: n * cell,
        height: count * rowHeight,
        role: 'img',
        'aria-label': `${layer.name} ${kinds[kind]} per unit and character`,
      });
      const ctx = canvas.getContext('2d');
      const gate = kind === 'i' || kind === 'f' || kind === 'o';
      for (let u = 0; u < count; u++)
        for (let t = 0; t < n; t++) {
          const v = values[t * count + u];
          ctx.fillStyle = `rgb(${(gate ? blues(v) : divergingRgb(Math.tanh(v))).join(',')})`;
          ctx.fillRect(t * cell, u * rowHeight, cell, rowHeight);
        }
      if (reads)
        canvas.addEventListener('click', (e) =>
          findUnit(layer.name, Math.min(count - 1, Math.floor(e.offsetY / rowHeight))),
        );
      const norms = Array.from({ length: n }, (_, t) =>
        Math.hypot(...(gates ? gates.c : out.values).subarray(t * count, (t + 1) * count)),
      );
      const top = Math.max(...norms, 1e-9);
      const normBars = h(
        'div',
        { class: 'norm-bars', title: `size of the ${gates ? 'cell' : ''} state per step` },
        norms.map((v) => h('span', { style: `height: ${((30 * v) / top).toFixed(1)}px; width: ${cell}px` })),
      );
      const letters = h(
        'div',
        { class: 'letters' },
        Array.from({ length: n }, (_, t) =>
          h('span', { style: `width: ${cell}px` }, cell < 7 ? '' : reads ? visible(chars[t]) : String(t + 1)),
        ),
      );
      const choice = select(Object.entries(kinds), kind, (v) => ((gateChoice = v), refresh()), {
        'aria-label': `${layer.name} values shown`,
      });
      blocks.push(
        h(
          'div',
          { class: 'unit-layer' },
          h('h3', {}, `${layer.name}: ${count} units `, choice),
          canvas,
          letters,
          normBars,
        ),
      );
    }
    units.replaceChildren(
      ...(blocks.length
        ? [
            ...blocks,
            h(
              'p',
              { class: 'hint' },
              'Rows are units, columns the characters read: blue positive, orange negative (gates: how open, 0 to 1). The bars below are the size of the state at each step. Click a unit to find what drives it.',
            ),
            unitFinds,
          ]
        : []),
    );
  }

  // The test samples' characters that drive a unit highest, with what came before them.
  async function findUnit(name, unit) {
    const model = app.model;
    const data = app.data;
    const n = Math.min(128, data.test.n);
    const x = dl.tensor(data.test.x.subarray(0, n * data.inSteps), [n, data.inSteps]);
    try {
      const outputs = await model.activations(x);
      const out = outputs.find((o) => o.layer === name);
      if (!out || model !== app.model) return;
      const [, steps, count] = out.shape;
      const found = [];
      for (let s = 0; s < n; s++)
        for (let t = 0; t < steps; t++) found.push({ s, t, v: out.values[(s * steps + t) * count + unit] });
      found.sort((a, b) => b.v - a.v);
      const shown = found.slice(0, 8).map(({ s, t, v }) => {
        const row = data.test.x.subarray(s * data.inSteps, (s + 1) * data.inSteps);
        const before = data.vocabulary.decode(row.subarray(Math.max(0, t - 24), t));
        return h(
          'li',
          {},
          h('code', {}, visible(before), h('mark', {}, visible(data.vocabulary.tokens[row[t]]))),
          ` ${v.toFixed(2)}`,
        );
      });
      app.unitFinds = { layer: name, unit, top: found.slice(0, 8) };
      unitFinds.replaceChildren(
        h('p', {}, `${name}, unit ${unit + 1}: the test characters that drive it highest`),
        h('ol', {}, shown),
      );
    } finally {
      x.dispose();
    }
  }

  app.addEventListener('refresh', schedule);
  app.addEventListener('model', schedule);
  app.addEventListener('typed', schedule);
  const element = panel(
    'sequence',
    'Inside the sequence model',
    attention,
    units,
    h(
      'div',
      { class: 'row' },
      h('div', {}, embedding, embeddingCaption),
      h('div', {}, positions, positionsCaption, examples),
    ),
  );
  element.hidden = true;
  return element;
}
