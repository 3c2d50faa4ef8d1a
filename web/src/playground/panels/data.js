// The data panel: the data set, a 2D set's sliders, a sequence set's length and level (and
// language), a CSV file (a table, or a column of it as a series) and what the set holds.
import { h, labelled, panel, select } from '../dom.js';
import { LANGUAGES } from '../sequence_presets.js';
import { DATA_SETS } from '../state.js';
import { slider } from './controls.js';

export function dataPanel(app) {
  const choice = select(
    Object.entries(DATA_SETS).map(([k, d]) => [k, d.label]),
    app.state.data,
    (data) => (DATA_SETS[data].csv && !app.csv ? chooseFile(data) : app.update({ data })),
    { 'aria-label': 'data set' },
  );
  // A 2D set's sliders (as TensorFlow Playground's): the share of points for training, the
  // noise and the batch size, each with its value beside it; and new points on demand.
  const noise = slider(app, 'noise', { min: 0, max: 0.5, step: 0.05 });
  const ratio = slider(app, 'ratio', { min: 10, max: 90, step: 10, text: (v) => `${v}%` });
  const batch = slider(app, 'batchSize', { min: 1, max: 100, step: 1 });
  const regenerate = h(
    'button',
    {
      type: 'button',
      class: 'btn-regenerate',
      title: 'New random points (the seed goes up by one, so the starting weights change too)',
      onclick: () => app.update({ seed: app.state.seed + 1 }),
    },
    'Regenerate',
  );
  const planarFields = h(
    'div',
    { class: 'row sliders' },
    labelled('training data', ratio.element),
    labelled('noise', noise.element),
    labelled('batch size', batch.element),
    regenerate,
  );
  // A sequence set's length and a toy task's difficulty.
  const steps = slider(app, 'steps', { min: 2, max: 128, step: 1 });
  const level = slider(app, 'level', { min: 1, max: 9, step: 1 });
  const levelField = labelled('level', level.element);
  const language = select(
    LANGUAGES.map((code, k) => [code, DATA_SETS.words.classNames[k]]),
    app.state.language,
    (v) => app.update({ language: v }),
    { 'aria-label': 'language' },
  );
  const languageField = labelled('language', language);
  // A series' column, among the file's columns of numbers.
  const column = select([], '', (v) => app.update({ column: v }), { 'aria-label': 'series column' });
  const columnField = labelled('column', column);
  const fields = [labelled('steps', steps.element), levelField, languageField, columnField];
  const sequenceFields = h('div', { class: 'row sliders' }, ...fields);
  const file = h('input', {
    type: 'file',
    accept: '.csv,text/csv',
    onchange: () => {
      const data = wanted ?? app.state.data;
      wanted = null;
      if (file.files[0]) app.setCsv(file.files[0], data);
    },
    oncancel: () => (wanted = null),
  });
  const fileField = labelled('CSV file', file);
  // The CSV set waits for a file; the data set stays what it was until one is read.
  let wanted = null;
  function chooseFile(data) {
    wanted = data;
    choice.value = app.state.data;
    file.click();
  }
  const bar = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': 'data download' });
  const line = h('p', { class: 'hint', role: 'status' });

  function render() {
    choice.value = app.state.data;
    planarFields.hidden = !DATA_SETS[app.state.data].planar;
    const spec = DATA_SETS[app.state.data];
    fileField.hidden = !spec.csv;
    columnField.hidden = !spec.userSeries;
    sequenceFields.hidden = !(spec.vocabulary || spec.series) || spec.text === 'words';
    steps.element.parentElement.hidden = spec.toy === 'addition';
    levelField.hidden = !LEVELS[spec.toy];
    levelField.firstChild.textContent = LEVELS[spec.toy] ?? 'level';
    languageField.hidden = spec.text !== 'wordStyle';
    language.value = app.state.language;
    const d = app.data;
    if (!d) return;
    if (d.userSeries) {
      column.replaceChildren(...d.columns.map((c) => h('option', { value: c }, c)));
      column.value = d.column;
    }
    if (d.name === 'images')
      line.textContent = `Your set '${d.setName}': ${d.imageShape[0]}×${d.imageShape[1]} ${d.imageShape[2] === 3 ? 'RGB' : 'grayscale'}, ${d.classes} classes (${d.classNames.join(', ')}), ${d.trainCount} training and ${d.testCount} test images.`;
    else if (d.image)
      line.textContent = `${d.trainCount.toLocaleString('en')} training and ${d.testCount.toLocaleString('en')} test images of ${d.classNames ? 'clothes' : 'handwritten digits'}.`;
    else if (d.vocabulary)
      line.textContent = `${d.train.n.toLocaleString('en')} training and ${d.test.n.toLocaleString('en')} test samples of ${d.inSteps} symbols (${d.vocabulary.size} in all); ${d.outSteps ? `an answer at each of ${d.outSteps} steps` : `${d.classes} classes`}.`;
    else if (d.name === 'csv') line.textContent = `${d.label}; ${d.task}.`;
    else if (d.userSeries)
      line.textContent = `${d.fileName}, column ${JSON.stringify(d.column)}: ${d.series.length.toLocaleString('en')} values; ${d.train.n.toLocaleString('en')} training and ${d.test.n.toLocaleString('en')} test windows of ${d.inSteps}, each followed by the value to forecast.`;
    else line.textContent = `${d.train.n} training and ${d.test.n} test samples, ${d.inputShape[0]} inputs, ${d.task}.`;
  }
  app.addEventListener('state', render);
  app.addEventListener('download', (e) => {
    bar.hidden = false;
    bar.value = e.detail.fraction;
  });
  app.addEventListener('data', (e) => {
    if (e.detail.loading)
      line.textContent = DATA_SETS[app.state.data].user
        ? 'Reading your images…'
        : DATA_SETS[app.state.data].image || DATA_SETS[app.state.data].text
          ? `Downloading ${DATA_SETS[app.state.data].label}…`
          : 'Loading…';
    else bar.hidden = e.detail.error ? bar.hidden : true;
    if (e.detail.error) line.textContent = e.detail.error.message;
    render();
  });
  render();
  return panel(
    'data',
    'Data',
    h('div', { class: 'row' }, labelled('data set', choice), fileField),
    planarFields,
    sequenceFields,
    bar,
    line,
  );
}

// What a toy task's level is:
const LEVELS = { addition: 'digits', copy: 'delay' };
