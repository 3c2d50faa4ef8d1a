// "What the network wants to see": for an image classifier, pictures made by activation
// maximization (gradient ascent on the input from grey noise until a unit is as large as
// it gets): one per class of the output, or one per filter of a chosen convolution layer;
// shown on demand and renewed after each epoch.
import { drawInputValues, h, select } from '../dom.js';

const STEPS = 120;
// A convolution layer's pictures: its first filters at most.
const MAX_FILTERS = 16;

// What the pictures can be of: 'output', or the index of a convolution layer.
function targets(app) {
  const configs = app.model?.layerConfigs ?? [];
  const convs = configs.flatMap((l, i) => (l.type === 'conv2d' ? [i] : []));
  return [
    ['output', 'each class (the output)'],
    ...convs.map((i) => [String(i), `the filters of layer ${i + 1} (conv2d, ${configs[i].filters} filters)`]),
  ];
}

export function dreamsSection(app) {
  const grid = h('div', { class: 'pictures dreams', 'aria-label': 'what each unit looks like to the network' });
  const status = h('p', { class: 'hint', role: 'status' });
  let wanted = false;
  let ticket = 0;
  let target = 'output';
  const choice = h('span');
  const button = h('button', { type: 'button', onclick: () => ((wanted = true), draw()) }, 'Show what they look like');

  function renderChoice() {
    const options = targets(app);
    if (!options.some(([v]) => v === target)) target = 'output';
    const element = select(options, target, (v) => ((target = v), wanted && draw()), {
      'aria-label': 'pictures of',
    });
    choice.replaceChildren(element);
  }

  async function draw() {
    const model = app.model;
    const data = app.data;
    if (!wanted || !model || app.problem || !data?.image) return;
    const mine = ++ticket;
    const output = target === 'output';
    const layer = output ? -1 : Number(target);
    const units = output ? data.classes : Math.min(MAX_FILTERS, model.layerConfigs[layer].filters);
    const what = output ? `each of the ${units} classes` : `each of the first ${units} filters of layer ${layer + 1}`;
    status.textContent = `Climbing towards ${what}…`;
    const found = [];
    const figures = [];
    grid.replaceChildren();
    try {
      for (let unit = 0; unit < units; unit++) {
        const image = await model.maximizeActivation({ layer, unit, steps: STEPS, seed: unit + 1 });
        if (mine !== ticket || model !== app.model) return;
        found.push(image);
        const canvas = h('canvas', {
          width: 56,
          height: 56,
          role: 'img',
          'aria-label': `${output ? 'class' : 'filter'} ${(output && data.classNames?.[unit]) || unit}`,
        });
        drawInputValues(canvas, image.values, data.imageShape);
        // A model compiled with fromLogits outputs logits, not probabilities.
        let shown = `mean ${image.value.toFixed(2)}`;
        if (output)
          shown = app.state.fromLogits ? `logit ${image.value.toFixed(1)}` : `${(100 * image.value).toFixed(0)}%`;
        const name = (output && data.classNames?.[unit]) || String(unit);
        figures.push(h('figure', {}, canvas, h('figcaption', {}, `${name}: ${shown}`)));
        grid.replaceChildren(...figures);
      }
      const values = found.map((f) => f.value);
      status.textContent = output
        ? `Each picture starts from grey noise and changes, ${STEPS} small steps, towards what raises its class's output most (kept smooth by a blur and a pull towards grey). Below each: the network's probability for its class. Renewed after each epoch.`
        : `Each picture starts from grey noise and changes, ${STEPS} small steps, towards what makes its filter respond most over the whole image (kept smooth by a blur and a pull towards grey): the pattern the filter looks for. Below each: its mean response (0.00 and grey: a ReLU filter silent on grey noise, so no gradient to climb). Renewed after each epoch.`;
      app.dreamsShown = { epoch: app.run?.vx.length ?? 0, target, values, probabilities: output ? values : null };
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
    renderChoice();
    if (wanted) draw();
  });
  renderChoice();
  return h(
    'div',
    {},
    h('h3', {}, 'What the network wants to see'),
    h('div', { class: 'row' }, h('span', { class: 'field' }, 'pictures of ', choice), button),
    grid,
    status,
  );
}
