// Transfer learning in the page: train on some classes only (at most so many samples of
// each), keep trained weights when the model changes, give the model a new head over its
// frozen base; and the worked example on MNIST (../transfer.js), run on demand.
import { h, labelled, panel } from '../dom.js';
import { TECHNIQUE_PARAMS, formatClasses } from '../techniques.js';
import { headSize, newHead, transferExample } from '../transfer.js';

// The worked example: accuracies of the fine-tuned head and of the same CNN from scratch.
function exampleSection(app) {
  const status = h('p', { class: 'hint', role: 'status' });
  const results = h('table', { class: 'per-class transfer-results' });
  const run = h(
    'button',
    {
      type: 'button',
      class: 'btn-transfer',
      onclick: async () => {
        run.disabled = true;
        results.replaceChildren();
        try {
          const r = await transferExample(app.data, { onProgress: (text) => (status.textContent = text) });
          const pct = (v) => `${(100 * v).toFixed(1)}%`;
          results.replaceChildren(
            h('tr', {}, h('th', {}, ''), h('th', {}, 'accuracy on the test images of 5-9')),
            h(
              'tr',
              {},
              h('th', {}, `frozen convolutions from 0-4, new head on ${r.images.few} images`),
              h('td', {}, pct(r.fineTuned)),
            ),
            h(
              'tr',
              {},
              h('th', {}, `the same CNN from scratch on the same ${r.images.few} images`),
              h('td', {}, pct(r.scratch)),
            ),
          );
          status.textContent = `The CNN first learned 0-4 from ${r.images.base.toLocaleString('en')} images (${pct(r.base)} on their test images); its convolutions then served 5-9 unchanged.`;
          app.transferResult = r;
        } catch (error) {
          status.textContent = `The example stopped: ${error.message}`;
        } finally {
          run.disabled = false;
        }
      },
    },
    'Run the transfer-learning example (about a minute)',
  );
  const element = h(
    'div',
    {},
    h('h3', {}, 'The worked example'),
    h(
      'p',
      { class: 'hint' },
      'It trains the seeds’ CNN on the digits 0-4, freezes its convolutions, gives it a new Dense head and trains that on 50 images of each of 5-9, beside the same CNN trained from scratch on those 250 images; both are scored on the test images of 5-9.',
    ),
    run,
    status,
    results,
  );
  const render = () => (element.hidden = !app.isImages);
  app.addEventListener('model', render);
  app.addEventListener('state', render);
  return element;
}

// A text field of class numbers and ranges (5-9), and its value for the state.
function classesField(app) {
  const input = h('input', {
    type: 'text',
    placeholder: 'all, or e.g. 5-9',
    'aria-label': 'classes to train and test on',
    onchange: async () => {
      const text = input.value.trim() || 'all';
      try {
        await app.update({ only: TECHNIQUE_PARAMS.only.parse('classes', text) });
      } catch (error) {
        app.say(error.message, 'error');
      }
    },
  });
  return input;
}

export function transferPanel(app) {
  const only = classesField(app);
  const per = h('input', {
    type: 'number',
    class: 'num',
    min: '0',
    step: '1',
    'aria-label': 'training samples per class',
    onchange: () => app.update({ per: Math.max(0, Math.round(Number(per.value) || 0)) }),
  });
  const keep = h('input', {
    type: 'checkbox',
    'aria-label': 'keep trained weights',
    onchange: () => app.update({ keep: keep.checked }),
  });
  const size = h('input', {
    type: 'number',
    class: 'num',
    min: '1',
    step: '1',
    'aria-label': 'layers in the new head',
  });
  const replace = h(
    'button',
    {
      type: 'button',
      class: 'btn-new-head',
      onclick: async () => {
        replace.disabled = true;
        try {
          await newHead(app, Math.round(Number(size.value)));
        } catch (error) {
          app.say(error.message, 'error');
        } finally {
          replace.disabled = false;
        }
      },
    },
    'Freeze the rest, new head',
  );
  const counts = h('p', { class: 'hint', role: 'status' });
  const subset = h(
    'div',
    {},
    h('div', { class: 'row' }, labelled('classes', only), labelled('samples per class (0: all)', per)),
    counts,
  );

  function render() {
    const s = app.state;
    only.value = s.only ? formatClasses(s.only) : '';
    per.value = String(s.per);
    keep.checked = s.keep;
    subset.hidden = app.task !== 'classification';
    const configs = app.model?.layerConfigs ?? [];
    if (configs.length > 1) {
      size.max = String(configs.length - 1);
      if (document.activeElement !== size) size.value = String(headSize(configs));
    }
    replace.disabled = configs.length < 2;
    const data = app.data;
    if (app.problem?.startsWith('Data:')) counts.textContent = app.problem;
    else if (data && app.task === 'classification') {
      const n = data.image ? data.trainCount : data.train.n;
      const t = data.image ? data.testCount : data.test.n;
      counts.textContent = `Training on ${n.toLocaleString('en')} samples${s.only ? ` of classes ${only.value}` : ''}${s.per ? `, at most ${s.per} of each` : ''}; testing on ${t.toLocaleString('en')}.`;
    }
  }
  app.addEventListener('state', render);
  app.addEventListener('model', render);
  render();
  return panel(
    'transfer',
    'Transfer learning',
    h(
      'p',
      { class: 'hint' },
      'Train a network on some classes, then give it a new head (its last layers anew, the rest frozen: their trained weights stay as they are) and train that on other classes with a few samples each. Tick “frozen” on a layer in the model to freeze it by hand.',
    ),
    subset,
    h(
      'div',
      { class: 'row' },
      h('label', { class: 'inline' }, keep, ' keep trained weights when the model or data changes'),
    ),
    h('div', { class: 'row' }, labelled('layers in the new head', size), replace),
    h(
      'p',
      { class: 'hint' },
      'Kept: the weights of the first layers the new model shares with the old (same type, activation and shapes). Reset always starts afresh; to compare with training from scratch, untick “frozen” and press Reset.',
    ),
    exampleSection(app),
  );
}
