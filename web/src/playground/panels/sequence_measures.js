// Two of the sequence views (sequence.js): the embedding table projected to 2D with its
// symbols, and the loss and accuracy at each position over test samples (with a toy
// task's inputs, targets and answers side by side).
import * as dl from '../../../lib/layers_api.js';
import { h } from '../dom.js';
import { lossPerPosition, project2d } from '../sequence_probe.js';

const TEST_SAMPLES = 64; // test samples the per-position view averages over
// How a symbol is written (a space or a line break would not show).
export const visible = (c) => (c === ' ' ? '␣' : c === '\n' ? '↵' : (c ?? ''));

export function drawEmbedding({ embedding, embeddingCaption }, views, layers, weightsOf, data) {
  const layer = layers.find((l) => l.type === 'embedding');
  const table = layer && weightsOf(layer.name).embeddings;
  embedding.hidden = embeddingCaption.hidden = !table;
  if (!table) return;
  const rows = Math.min(layer.inputDim, data.vocabulary.size);
  const width = table.length / layer.inputDim;
  const { points, shares } = project2d(table.subarray(0, rows * width), rows, width);
  views.embedding = { layer: layer.name, points, shares };
  const ctx = embedding.getContext('2d');
  ctx.clearRect(0, 0, 320, 320);
  const xs = points.filter((_, i) => i % 2 === 0);
  const ys = points.filter((_, i) => i % 2 === 1);
  const span = (v) => [Math.min(...v), Math.max(...v) - Math.min(...v) || 1];
  const [x0, dx] = span(xs);
  const [y0, dy] = span(ys);
  ctx.font = '12px ui-monospace, monospace';
  ctx.textAlign = 'center';
  for (let r = 1; r < rows; r++) {
    const token = data.vocabulary.tokens[r];
    ctx.fillStyle = /[0-9]/.test(token)
      ? '#e4572e'
      : /[A-Z]/.test(token)
        ? '#2f6fde'
        : /[a-z]/.test(token)
          ? '#222'
          : '#8a5cf6';
    ctx.fillText(visible(token), 14 + ((xs[r] - x0) / dx) * 292, 14 + ((ys[r] - y0) / dy) * 292);
  }
  embeddingCaption.textContent = `${layer.name}: each symbol's vector (${width} numbers) placed by the table's two main directions, which hold ${(100 * (shares[0] + shares[1])).toFixed(0)}% of its spread. Symbols used alike drift together as it trains (digits orange, capitals blue).`;
}

export async function drawPositions(parts, views, model, data) {
  const { positions, positionsCaption, examples } = parts;
  const perStep = Boolean(data.outSteps);
  positions.hidden = positionsCaption.hidden = !perStep;
  examples.hidden = !data.toy || !perStep;
  if (!perStep) return;
  const n = Math.min(TEST_SAMPLES, data.test.n);
  const x = dl.tensor(data.test.x.subarray(0, n * data.inSteps), [n, data.inSteps]);
  let output;
  try {
    output = await model.predictValues(x, { probabilities: true });
  } finally {
    x.dispose();
  }
  const [, steps, classes] = output.shape;
  const { loss, accuracy } = lossPerPosition(output.values, data.test.y, n, steps, classes);
  views.positions = { loss, accuracy, samples: n };
  const ctx = positions.getContext('2d');
  ctx.clearRect(0, 0, positions.width, positions.height);
  const w = positions.width / steps;
  const top = Math.max(...loss, 1e-9);
  for (let t = 0; t < steps; t++) {
    ctx.fillStyle = '#2f6fde';
    const height = (loss[t] / top) * 90;
    ctx.fillRect(t * w + 1, 100 - height, Math.max(1, w - 2), height);
    ctx.fillStyle = '#e4572e';
    ctx.fillRect(t * w + 1, 100 - accuracy[t] * 90 - 1, Math.max(1, w - 2), 2);
  }
  ctx.fillStyle = '#6b7280';
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillText('position 1', 2, 114);
  ctx.textAlign = 'right';
  ctx.fillText(String(steps), positions.width - 2, 114);
  ctx.textAlign = 'left';
  positionsCaption.textContent = `Loss at each position (blue bars, the highest ${top.toFixed(2)}) and accuracy (orange marks) over ${n} test samples.${data.toy ? '' : ' A language model guesses better later in its context: it has read more.'}`;
  if (data.toy) drawExamples(examples, output.values, steps, classes, data);
}

function drawExamples(examples, values, steps, classes, data) {
  const rows = [];
  for (let s = 0; s < 6; s++) {
    const input = data.vocabulary.decode(data.test.x.subarray(s * data.inSteps, (s + 1) * data.inSteps));
    const target = data.vocabulary.decode(data.test.y.subarray(s * steps, (s + 1) * steps));
    const answer = Array.from({ length: steps }, (_, t) => {
      const row = values.subarray((s * steps + t) * classes, (s * steps + t + 1) * classes);
      return data.vocabulary.tokens[row.indexOf(Math.max(...row))];
    });
    rows.push(
      h(
        'tr',
        {},
        h('td', {}, h('code', {}, input)),
        h('td', {}, h('code', {}, target)),
        h(
          'td',
          {},
          h(
            'code',
            {},
            answer.map((c, t) => (c === target[t] ? c : h('mark', {}, c))),
          ),
        ),
      ),
    );
  }
  examples.replaceChildren(
    h('tr', {}, h('th', {}, 'input'), h('th', {}, 'target'), h('th', {}, 'the model’s answer (wrong in red)')),
    ...rows,
  );
}
