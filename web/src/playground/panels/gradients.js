// Gradient norms per layer, live: the size of the last training step's gradient of each
// layer's kernel, on a log scale. In a deep plain network the first layers' bars shrink
// toward zero (vanishing gradients) and they stop learning; skip connections keep them
// the size of the last layers'. Bars a hundredth of the largest or less are orange.
import { h, panel } from '../dom.js';

// The bars' range, in powers of ten.
const LOW = -8;
const HIGH = 1;

// {layer, norm} for every layer with a kernel, in the model's order, from the engine's
// statistics of each parameter's last gradient: norm = sqrt(n (std^2 + mean^2)).
export async function gradientNorms(model) {
  const statistics = await model.layerStatistics({ bins: 1 });
  return statistics
    .filter((s) => s.name === 'kernel')
    .map(({ layer, gradients: g }) => {
      const n = g.histogram.reduce((a, b) => a + b, 0);
      return { layer, norm: Math.sqrt(n * (g.std * g.std + g.mean * g.mean)) };
    });
}

export function gradientsPanel(app) {
  const canvas = h('canvas', { width: 640, height: 160, role: 'img', 'aria-label': 'gradient norms per layer' });
  const caption = h('p', { class: 'hint' });
  let drawing = false;

  function draw(norms) {
    const width = Math.max(300, Math.min(canvas.parentElement?.clientWidth || 640, 900));
    const rowHeight = 14;
    canvas.width = width;
    canvas.height = 24 + rowHeight * Math.max(1, norms.length);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const left = 90;
    const right = width - 70;
    const x = (v) => left + ((Math.log10(Math.max(v, 10 ** LOW)) - LOW) / (HIGH - LOW)) * (right - left);
    ctx.font = '10px system-ui, sans-serif';
    ctx.strokeStyle = '#e5e7eb';
    ctx.fillStyle = '#6b7280';
    ctx.textAlign = 'center';
    for (let p = LOW; p <= HIGH; p++) {
      ctx.beginPath();
      ctx.moveTo(x(10 ** p), 4);
      ctx.lineTo(x(10 ** p), canvas.height - 14);
      ctx.stroke();
      if ((p - LOW) % 2 === 0) ctx.fillText(`1e${p}`, x(10 ** p), canvas.height - 3);
    }
    // A bar a hundredth of the largest or less is drawn in orange: that layer barely learns.
    const largest = Math.max(...norms.map((n) => n.norm));
    norms.forEach(({ layer, norm }, i) => {
      const y = 6 + i * rowHeight;
      ctx.fillStyle = '#222';
      ctx.textAlign = 'right';
      ctx.fillText(layer, left - 6, y + 9);
      ctx.fillStyle = norm < largest / 100 ? '#e4572e' : '#2f6fde';
      ctx.fillRect(left, y + 1, Math.max(1, x(norm) - left), rowHeight - 4);
      ctx.fillStyle = '#222';
      ctx.textAlign = 'left';
      ctx.fillText(norm.toExponential(1), Math.min(x(norm), right) + 4, y + 9);
    });
  }

  async function refresh() {
    const model = app.model;
    if (!model || drawing || element.hidden) return;
    drawing = true;
    try {
      const norms = await gradientNorms(model);
      if (model !== app.model) return;
      app.gradientNorms = norms;
      draw(norms);
      const trained = norms.length > 0 && norms.at(-1).norm > 0;
      const [first, last] = [norms[0], norms.at(-1)];
      caption.textContent = !trained
        ? 'Train to see how large each layer’s gradient is: the step each layer’s weights get.'
        : `Each bar is the size of the last step’s gradient for a layer’s weights (log scale). The first layer’s is ${(
            first.norm / last.norm
          ).toExponential(
            1,
          )} times the last’s${first.norm / last.norm <= 1e-2 ? ': it has almost stopped learning (vanishing gradients); skip connections help' : ''}.`;
    } catch (error) {
      // The model was replaced or disposed while its statistics were read: the next refresh
      // draws. Anything else is a fault to see.
      if (model === app.model && !model.disposed) throw error;
    } finally {
      drawing = false;
    }
  }

  app.addEventListener('refresh', refresh);
  app.addEventListener('model', refresh);
  const element = panel('gradients', 'Gradient norms', canvas, caption);
  return element;
}
