// Type anything and see the model's answer for it, renewed while it trains: a language
// model's five likeliest next characters after every character typed (shaded by how sure
// it is), a toy task's answer per step, or a classifier's probability for each class.
// For a language model, samples generated from a prompt every few seconds while it
// trains (temperature, top-k), newest first, so the gibberish turning into words shows.
import { h, labelled, panel } from '../dom.js';
import { topK } from '../sequence_probe.js';
import { answerFor, currentText, generate, isSequenceData, setTypedText } from '../sequence_text.js';
import { visible } from './sequence_measures.js';
import { throttled } from './throttle.js';

const SHOWN = 5; // candidates per step
const SAMPLE_EVERY = 6000; // ms between samples while training
const EVERY = 1000; // ms between answers while training (each is a prediction)
const KEPT = 30; // samples kept

export function textPanel(app) {
  const input = h('textarea', {
    rows: 2,
    spellcheck: false,
    'aria-label': 'text for the model',
    oninput: () => setTypedText(app, input.value),
  });
  const grid = h('div', { class: 'next-grid', role: 'table', 'aria-label': 'the model’s answer per step' });
  const bars = h('div', { class: 'class-bars', role: 'list', 'aria-label': 'class probabilities' });
  const caption = h('p', { class: 'hint' });

  const prompt = h('input', { type: 'text', value: 'And God said', 'aria-label': 'prompt', size: 20 });
  const temperature = h('input', {
    type: 'range',
    min: '0',
    max: '2',
    step: '0.1',
    value: '0.8',
    'aria-label': 'temperature',
  });
  const temperatureShown = h('output', { class: 'slider-value' }, '0.8');
  temperature.addEventListener('input', () => (temperatureShown.textContent = temperature.value));
  const topKInput = h('input', {
    type: 'number',
    min: '0',
    max: '100',
    value: '10',
    class: 'num',
    'aria-label': 'top-k',
  });
  const generateButton = h('button', { type: 'button', onclick: () => sample() }, 'Generate');
  const samples = h('ol', { class: 'samples', 'aria-label': 'generated samples', reversed: true });
  const sampling = h(
    'div',
    { class: 'sampling' },
    h(
      'div',
      { class: 'row' },
      labelled('prompt', prompt),
      labelled('temperature', h('span', { class: 'slider' }, temperature, temperatureShown)),
      labelled('top-k (0: all)', topKInput),
      generateButton,
    ),
    samples,
  );

  // While training, at most one answer a second: each waits for a batch to end.
  const schedule = throttled(app, EVERY, refresh);

  async function refresh() {
    const data = app.data;
    element.hidden = !isSequenceData(app);
    if (element.hidden || !app.model || app.problem) return;
    const model = app.model;
    const text = currentText(app);
    if (document.activeElement !== input) input.value = text;
    try {
      const answer = await answerFor(model, app, text);
      if (model !== app.model || data !== app.data) return;
      app.textAnswer = { text, ...answer };
      if (answer.shape.length === 2) drawSteps(answer, data);
      else drawClasses(answer, data);
      app.emit('text-answer');
    } catch (error) {
      if (model === app.model && !model.disposed) throw error;
    }
  }

  // Columns: the characters read (a language model: the next one after each) or the
  // answer's steps; rows: the five likeliest symbols, shaded by their probability.
  function drawSteps({ values, shape: [steps, classes], length, chars }, data) {
    bars.hidden = true;
    grid.hidden = false;
    const perStep = data.outSteps === data.inSteps && !data.toy;
    const columns = perStep ? Math.max(1, length) : steps;
    const rows = [];
    for (let t = 0; t < columns; t++)
      rows.push(
        topK(values.subarray(t * classes, (t + 1) * classes), SHOWN).map(({ id, p }) => ({
          c: data.vocabulary.tokens[id],
          p,
        })),
      );
    const head = Array.from({ length: columns }, (_, t) =>
      h('span', { class: 'cell read', role: 'columnheader' }, perStep ? visible(chars[t] ?? '') : String(t + 1)),
    );
    grid.replaceChildren(
      h(
        'div',
        { class: 'grid-row', role: 'row' },
        h('span', { class: 'cell label' }, perStep ? 'read' : 'step'),
        ...head,
      ),
      ...Array.from({ length: SHOWN }, (_, k) =>
        h(
          'div',
          { class: 'grid-row', role: 'row' },
          h('span', { class: 'cell label' }, k === 0 ? (perStep ? 'next' : 'answer') : ''),
          ...rows.map((candidates) => {
            const { c, p } = candidates[k] ?? { c: '', p: 0 };
            return h(
              'span',
              {
                class: 'cell',
                role: 'cell',
                title: `${visible(c)}: ${(100 * p).toFixed(1)}%`,
                style: `background: rgba(47, 111, 222, ${p.toFixed(3)}); color: ${p > 0.5 ? '#fff' : '#222'}`,
              },
              visible(c),
            );
          }),
        ),
      ),
    );
    const sure = rows.reduce((s, r) => s + r[0].p, 0) / rows.length;
    caption.textContent = perStep
      ? `Under each character, the five characters the model finds likeliest to come next, darker the surer (on average ${(100 * sure).toFixed(0)}% for its first choice). Type to try your own text; the model reads the last ${data.inSteps}.`
      : `The model's answer, step by step: its five likeliest symbols at each step of the answer, darker the surer. The input is read as ${data.inSteps} symbols.`;
  }

  function drawClasses({ values }, data) {
    grid.hidden = true;
    bars.hidden = false;
    const names = data.classNames ?? (values.length === 2 ? ['no', 'yes'] : Array.from(values, (_, k) => String(k)));
    const best = values.indexOf(Math.max(...values));
    bars.replaceChildren(
      ...Array.from(values, (p, k) =>
        h(
          'div',
          { class: `bar-row${k === best ? ' best' : ''}`, role: 'listitem' },
          h('span', { class: 'bar-label' }, names[k]),
          h('span', { class: 'bar', style: `width: ${(100 * p).toFixed(1)}%` }),
          h('span', { class: 'bar-value' }, `${(100 * p).toFixed(1)}%`),
        ),
      ),
    );
    caption.textContent = `The model reads up to ${data.inSteps} characters and gives each class a probability. Type a word of your own.`;
  }

  // A sample from the prompt, added to the record (newest first).
  let sampleBusy = false;
  async function sample() {
    const model = app.model;
    if (sampleBusy || !model || app.problem || !app.data?.text || app.data.task !== 'sequence') return;
    sampleBusy = app.sampling = true;
    // Training waits while the sample is written: each character is one prediction, and
    // between batches each would wait for a whole batch.
    const paused = app.trainState === 'training';
    try {
      if (paused) await model.pause();
      const started = performance.now();
      const text = await generate(model, app, prompt.value, {
        count: 120,
        temperature: Number(temperature.value),
        topK: Math.max(0, Math.floor(Number(topKInput.value) || 0)),
      });
      app.sampleMs = performance.now() - started;
      if (model !== app.model) return;
      const run = app.run;
      const when = run?.x.length ? `after ${run.x.at(-1).toFixed(2)} epochs` : 'untrained';
      samples.prepend(
        h('li', {}, h('span', { class: 'when' }, when), h('span', { class: 'sample' }, prompt.value, h('b', {}, text))),
      );
      while (samples.childElementCount > KEPT) samples.lastChild.remove();
      app.lastSample = { prompt: prompt.value, text };
      app.emit('sample', { text });
    } catch (error) {
      if (model === app.model && !model.disposed) throw error;
    } finally {
      // Unless the learner paused or stopped meanwhile.
      if (paused && app.trainState === 'training' && model === app.model) await model.resume().catch(() => {});
      sampleBusy = app.sampling = false;
    }
  }

  let sampler = 0;
  app.addEventListener('train-state', (e) => {
    clearInterval(sampler);
    sampler = 0;
    if (e.detail.state === 'training' && app.data?.text && app.data.task === 'sequence')
      sampler = setInterval(() => !element.hidden && sample(), SAMPLE_EVERY);
  });
  app.addEventListener('model', () => samples.replaceChildren());
  app.addEventListener('refresh', schedule);
  app.addEventListener('model', schedule);
  app.addEventListener('typed', schedule);
  app.addEventListener('data', () => {
    sampling.hidden = !(app.data?.text && app.data.task === 'sequence');
    // New words start from a line of their own; the Bible from a verse's opening.
    if (app.data?.text === 'wordStyle' && prompt.value === 'And God said') prompt.value = '';
  });
  const element = panel('text', 'Try it: the model’s answer', input, grid, bars, caption, sampling);
  element.hidden = true;
  return element;
}
