// "What the network wants to see": for an image classifier, one picture per class made by
// activation maximization (gradient ascent on the input from grey noise until the class's
// output is as large as it gets), shown on demand and renewed after each epoch.
import { drawGrid, h } from '../dom.js';

const STEPS = 120;

export function dreamsSection(app) {
  const grid = h('div', { class: 'pictures dreams', 'aria-label': 'what each class looks like to the network' });
  const status = h('p', { class: 'hint', role: 'status' });
  let wanted = false;
  let ticket = 0;
  const button = h(
    'button',
    { type: 'button', onclick: () => ((wanted = true), draw()) },
    'Show what each class looks like',
  );

  async function draw() {
    const model = app.model;
    const data = app.data;
    if (!wanted || !model || app.problem || !data?.image) return;
    const mine = ++ticket;
    const classes = data.classes;
    status.textContent = `Climbing towards each of the ${classes} classes…`;
    const found = [];
    const figures = [...grid.children];
    try {
      for (let c = 0; c < classes; c++) {
        const image = await model.maximizeActivation({ unit: c, steps: STEPS, seed: c + 1 });
        if (mine !== ticket || model !== app.model) return;
        found.push(image);
        const canvas = h('canvas', { width: 56, height: 56, role: 'img', 'aria-label': `class ${c}` });
        drawGrid(canvas, image.values, 28, 28);
        // A model compiled with fromLogits outputs logits, not probabilities.
        const shown = app.state.fromLogits ? `logit ${image.value.toFixed(1)}` : `${(100 * image.value).toFixed(0)}%`;
        figures[c] = h('figure', {}, canvas, h('figcaption', {}, `${c}: ${shown}`));
        grid.replaceChildren(...figures.filter(Boolean));
      }
      const probabilities = found.map((f) => f.value);
      status.textContent = `Each picture starts from grey noise and changes, ${STEPS} small steps, towards what raises its class's output most (kept smooth by a blur and a pull towards grey). Below each: the network's probability for its class. Renewed after each epoch.`;
      app.dreamsShown = { epoch: app.run?.vx.length ?? 0, probabilities };
    } catch (error) {
      if (mine === ticket) status.textContent = error.message;
    }
  }
  app.addEventListener('epoch', () => draw());
  app.addEventListener('trained', () => draw());
  app.addEventListener('model', () => {
    ticket++;
    grid.replaceChildren();
    status.textContent = '';
    app.dreamsShown = null;
    if (wanted) draw();
  });
  return h('div', {}, h('h3', {}, 'What the network wants to see'), h('div', { class: 'row' }, button), grid, status);
}
