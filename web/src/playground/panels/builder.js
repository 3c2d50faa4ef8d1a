// The model builder: presets, the layer stack (add, remove, reorder, edit), each layer's
// output shape and parameter count, and an inline explanation when the stack cannot work.
import { layerSpec } from '../../../lib/layers_api.js';
import { h, labelled, panel, select } from '../dom.js';
import { PRESETS, checkValue, fieldSpec, layerTypes, newLayer } from '../state.js';
import { blockTool, replaceType, sourceControl } from './builder_graph.js';

const shapeText = (shape) => `(${['None', ...shape].join(', ')})`;

export function builderPanel(app) {
  const list = h('ol', { class: 'layers' });
  const totals = h('p', { class: 'totals', role: 'status' });
  const problem = h('p', { class: 'problem', role: 'alert', hidden: true });
  const presets = select(
    [['', 'Choose a preset…'], ...Object.entries(PRESETS).map(([k, p]) => [k, p.label])],
    '',
    (name) => {
      if (name) app.usePreset(name);
      presets.value = '';
    },
    { 'aria-label': 'preset' },
  );
  const addType = select(
    Object.entries(layerTypes()).map(([k, t]) => [k, t.label]),
    Object.keys(layerTypes())[0],
    () => {},
    { 'aria-label': 'type of layer to add' },
  );
  const add = h(
    'button',
    { type: 'button', onclick: () => edit((layers) => layers.push(newLayer(addType.value))) },
    'Add layer',
  );

  const edit = (change) => app.editLayers(change);

  function fieldControl(layer, i, field) {
    const spec = fieldSpec(layer.type, field);
    const name = `layer ${i + 1} ${spec.label}`;
    // The engine names the option at fault when it can; that control is marked.
    const faulty = app.layerError?.index === i && app.layerError.option === field;
    const marked = (control) => (faulty && control.setAttribute('aria-invalid', 'true'), control);
    if (spec.kind === 'bool') {
      const box = h('input', {
        type: 'checkbox',
        'aria-label': name,
        onchange: () => edit((ls) => (ls[i][field] = box.checked)),
      });
      box.checked = Boolean(layer[field]);
      return labelled(spec.label, marked(box));
    }
    if (spec.kind === 'choice')
      return labelled(
        spec.label,
        marked(select(spec.options, layer[field], (v) => edit((ls) => (ls[i][field] = v)), { 'aria-label': name })),
      );
    const input = h('input', {
      type: 'number',
      value: String(layer[field]),
      min: String(spec.min),
      max: String(spec.max),
      step: spec.kind === 'int' ? '1' : '0.05',
      'aria-label': name,
      class: 'num',
      onchange: () => {
        try {
          const value = checkValue(spec.label, spec, input.value);
          input.removeAttribute('aria-invalid');
          edit((ls) => (ls[i][field] = value));
        } catch (error) {
          input.setAttribute('aria-invalid', 'true');
          app.say(`Layer ${i + 1}: ${error.message}`, 'error');
        }
      },
    });
    return labelled(spec.label, marked(input));
  }

  function row(layer, i) {
    const info = app.layers[i];
    const error = app.layerError?.index === i ? app.layerError.message : null;
    const count = app.state.layers.length;
    const move = (to) => edit((ls) => ls.splice(to, 0, ...ls.splice(i, 1)));
    return h(
      'li',
      { class: error ? 'layer bad' : 'layer', 'data-type': layer.type },
      h(
        'div',
        { class: 'layer-head' },
        select(
          Object.entries(layerTypes()).map(([k, t]) => [k, t.label]),
          layer.type,
          (type) => edit((ls) => replaceType(ls[i], type)),
          { 'aria-label': `layer ${i + 1} type` },
        ),
        h(
          'span',
          { class: 'shape' },
          info ? `${shapeText(info.outputShape)} · ${info.parameters.toLocaleString('en')} params` : '',
        ),
        h(
          'span',
          { class: 'buttons' },
          h(
            'button',
            {
              type: 'button',
              disabled: i === 0,
              onclick: () => move(i - 1),
              'aria-label': `move layer ${i + 1} up`,
              title: 'move up',
            },
            '↑',
          ),
          h(
            'button',
            {
              type: 'button',
              disabled: i === count - 1,
              onclick: () => move(i + 1),
              'aria-label': `move layer ${i + 1} down`,
              title: 'move down',
            },
            '↓',
          ),
          // A layer with weights may be frozen: no optimizer changes them (transfer learning).
          layerSpec(layer.type).weights.length
            ? h(
                'label',
                { class: 'inline frozen', title: 'frozen: training leaves its weights as they are' },
                h('input', {
                  type: 'checkbox',
                  checked: layer.trainable === false,
                  'aria-label': `freeze layer ${i + 1}`,
                  onchange: (e) =>
                    edit((ls) => {
                      if (e.target.checked) ls[i].trainable = false;
                      else delete ls[i].trainable;
                    }),
                }),
                ' frozen',
              )
            : null,
          h(
            'button',
            {
              type: 'button',
              disabled: count === 1,
              onclick: () => edit((ls) => ls.splice(i, 1)),
              'aria-label': `remove layer ${i + 1}`,
              title: 'remove',
            },
            '✕',
          ),
        ),
      ),
      h(
        'div',
        { class: 'layer-fields' },
        layerTypes()[layer.type].fields.map((f) => fieldControl(layer, i, f)),
        sourceControl(app, layer, i),
      ),
      error ? h('p', { class: 'layer-error' }, error) : null,
    );
  }

  function render() {
    // Keyboard users keep their place: the control that had focus has it again after the
    // list is redrawn.
    const focused = list.contains(list.getRootNode().activeElement)
      ? list.getRootNode().activeElement.getAttribute('aria-label')
      : null;
    list.replaceChildren(...app.state.layers.map(row));
    if (focused) list.querySelector(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
    const params = app.layers.reduce((sum, l) => sum + l.parameters, 0);
    const input = app.info.inputShape;
    totals.textContent = input
      ? `Input (${['None', ...input].join(', ')}) · ${app.state.layers.length} layers · ${params.toLocaleString('en')} parameters`
      : 'Choose a data file to see shapes.';
    problem.hidden = !app.problem;
    problem.textContent = app.problem ?? '';
  }

  app.addEventListener('model', render);
  // After the browser has moved focus (a change event fires as focus leaves a field).
  app.addEventListener('state', () => setTimeout(render, 0));
  render();
  return panel(
    'model',
    'Model',
    h('div', { class: 'row' }, presets),
    totals,
    list,
    h('div', { class: 'row' }, addType, add),
    blockTool(app),
    problem,
  );
}
