// The builder's graph controls (graph.js has the model): which earlier layer a merge joins
// or a layer takes, and the tool that wraps a span of layers as a residual block (Add) or
// a branch joined by Concatenate.
import { h, labelled, select } from '../dom.js';
import { newLayer } from '../state.js';
import { isMerge, wrapBlock } from '../graph.js';

const numberName = (k) => (k === 0 ? 'input' : `layer ${k}`);

// A layer given another type in place: the same object, so that other layers' `from`
// still point at it; its own `from` stays when it means the same (merge to merge, or one
// input to one input).
export function replaceType(layer, type) {
  const from = isMerge(layer.type) === isMerge(type) ? layer.from : undefined;
  for (const key of Object.keys(layer)) delete layer[key];
  Object.assign(layer, newLayer(type), from === undefined ? {} : { from });
}

// The control of layer index i's second input (a merge) or its only one (another layer
// that takes an earlier output); null for a layer of a plain chain.
export function sourceControl(app, layer, i) {
  const merge = isMerge(layer.type);
  if (!merge && layer.from === undefined) return null;
  // The input and every layer before this one.
  const earlier = Array.from({ length: i + 1 }, (_, k) => [String(k), numberName(k)]);
  const options = merge
    ? [['', 'choose…'], ...earlier]
    : [['previous', `${numberName(i)} (previous)`], ...earlier.slice(0, -1)];
  const value = layer.from === undefined ? (merge ? '' : 'previous') : String(layer.from);
  const control = select(
    options,
    value,
    (v) =>
      app.editLayers((ls) => {
        if (v === '' || v === 'previous') delete ls[i].from;
        else ls[i].from = Number(v);
      }),
    { 'aria-label': `layer ${i + 1} ${merge ? 'joins' : 'input'}` },
  );
  return labelled(merge ? `joins layer ${i} with` : 'input', control);
}

// "Wrap layers a to b as a residual block / a branch joined by Concatenate".
export function blockTool(app) {
  const count = () => app.state.layers.length;
  const number = (label, value) =>
    h('input', { type: 'number', min: '1', step: '1', value: String(value), class: 'num', 'aria-label': label });
  const first = number('first layer of the block', 1);
  const last = number('last layer of the block', 1);
  const kind = select(
    [
      ['add', 'residual block (Add)'],
      ['concatenate', 'branch joined by Concatenate'],
    ],
    'add',
    () => {},
    { 'aria-label': 'kind of block' },
  );
  const wrap = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        const result = wrapBlock(
          app.state.layers,
          app.layers,
          app.info.inputShape,
          Number(first.value),
          Number(last.value),
          kind.value,
        );
        if (result.problem) return app.say(result.problem, 'error');
        app.update({ layers: result.layers });
        app.say(
          result.note ??
            (kind.value === 'add'
              ? `Layers ${first.value}-${last.value} are a residual block: their input is added to their output.`
              : `Layers ${first.value}-${last.value} are a branch: their output is concatenated with their input.`),
        );
      },
    },
    'Wrap',
  );
  const render = () => {
    const n = count();
    for (const input of [first, last]) {
      input.max = String(Math.max(1, n - 1));
      if (Number(input.value) > n - 1) input.value = String(Math.max(1, n - 1));
    }
    wrap.disabled = n < 2 || !app.info.inputShape;
  };
  app.addEventListener('state', render);
  app.addEventListener('model', render);
  render();
  return h(
    'div',
    { class: 'row block-tool', title: 'a skip connection around a span of layers' },
    h('span', { class: 'hint' }, 'Skip connection: wrap layers'),
    first,
    h('span', { class: 'hint' }, 'to'),
    last,
    h('span', { class: 'hint' }, 'as a'),
    kind,
    wrap,
  );
}
