// The data, settings, training and code panels.
import { javascriptCode, kerasCode } from '../codegen.js';
import { restartEngine } from '../app.js';
import { h, labelled, panel, select } from '../dom.js';
import { DATA_SETS, SETTING_RANGES, checkValue, losses, optimizers } from '../state.js';

export function dataPanel(app) {
  const choice = select(
    Object.entries(DATA_SETS).map(([k, d]) => [k, d.label]),
    app.state.data,
    (data) => (data === 'csv' && !app.csv ? file.click() : app.update({ data })),
    { 'aria-label': 'data set' },
  );
  const noise = h('input', {
    type: 'range',
    min: '0',
    max: '0.5',
    step: '0.05',
    value: String(app.state.noise),
    onchange: () => app.update({ noise: Number(noise.value) }),
  });
  const noiseField = labelled('noise', noise);
  const file = h('input', {
    type: 'file',
    accept: '.csv,text/csv',
    onchange: () => file.files[0] && app.setCsv(file.files[0]),
  });
  const fileField = labelled('CSV file', file);
  const bar = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': 'data download' });
  const line = h('p', { class: 'hint', role: 'status' });

  function render() {
    choice.value = app.state.data;
    noise.value = String(app.state.noise);
    noiseField.hidden = !DATA_SETS[app.state.data].planar;
    fileField.hidden = app.state.data !== 'csv';
    const d = app.data;
    if (!d) return;
    if (d.image)
      line.textContent = `${d.trainCount.toLocaleString('en')} training and ${d.testCount.toLocaleString('en')} test images of handwritten digits.`;
    else if (d.name === 'csv') line.textContent = `${d.label}; ${d.task}.`;
    else line.textContent = `${d.train.n} training and ${d.test.n} test samples, ${d.inputShape[0]} inputs, ${d.task}.`;
  }
  app.addEventListener('state', render);
  app.addEventListener('download', (e) => {
    bar.hidden = false;
    bar.value = e.detail.fraction;
  });
  app.addEventListener('data', (e) => {
    if (e.detail.loading)
      line.textContent = DATA_SETS[app.state.data].image
        ? `Downloading MNIST (${app.state.data === 'mnist' ? 'about 2' : 'about 11'} MB)…`
        : 'Loading…';
    else bar.hidden = e.detail.error ? bar.hidden : true;
    if (e.detail.error) line.textContent = e.detail.error.message;
    render();
  });
  render();
  return panel(
    'data',
    'Data',
    h('div', { class: 'row' }, labelled('data set', choice), noiseField, fileField),
    bar,
    line,
  );
}

// A numeric setting checked on change; a bad value is marked and explained, not applied.
function numberSetting(app, name, label, step) {
  const spec = SETTING_RANGES[name];
  const input = h('input', {
    type: 'number',
    class: 'num',
    step,
    min: String(spec.min),
    max: String(spec.max),
    value: String(app.state[name]),
    onchange: () => {
      try {
        const value = checkValue(label, spec, input.value);
        input.removeAttribute('aria-invalid');
        app.update({ [name]: value });
      } catch (error) {
        input.setAttribute('aria-invalid', 'true');
        app.say(error.message, 'error');
      }
    },
  });
  app.addEventListener('state', () => (input.value = String(app.state[name])));
  return labelled(label, input);
}

export function settingsPanel(app) {
  const optimizer = select(optimizers(), app.state.optimizer, (optimizer) => app.update({ optimizer }));
  const loss = select(losses(), app.state.loss, (loss) => app.update({ loss }));
  const logits = h('input', {
    type: 'checkbox',
    checked: app.state.fromLogits,
    onchange: () => app.update({ fromLogits: logits.checked }),
  });
  app.addEventListener('state', () => {
    optimizer.value = app.state.optimizer;
    loss.value = app.state.loss;
    logits.checked = app.state.fromLogits;
  });
  return panel(
    'settings',
    'Settings',
    h(
      'div',
      { class: 'grid' },
      labelled('optimizer', optimizer),
      numberSetting(app, 'learningRate', 'learning rate', 'any'),
      labelled('loss', loss),
      numberSetting(app, 'batchSize', 'batch size', '1'),
      numberSetting(app, 'epochs', 'epochs', '1'),
      numberSetting(app, 'l1', 'L1', 'any'),
      numberSetting(app, 'l2', 'L2', 'any'),
      numberSetting(app, 'validationSplit', 'validation split', '0.05'),
      numberSetting(app, 'seed', 'seed', '1'),
      labelled('loss from logits', logits),
    ),
    h(
      'p',
      { class: 'hint' },
      'Loss from logits: the last layer stays linear and the loss applies softmax or sigmoid itself, as Keras from_logits=True.',
    ),
  );
}

export function trainPanel(app, simd) {
  const button = (text, action, label) =>
    h(
      'button',
      { type: 'button', onclick: action, 'aria-label': label ?? text, class: `btn-${text.toLowerCase()}` },
      text,
    );
  const train = button('Train', () => app.train());
  const pause = button('Pause', () => app.pause());
  const step = button('Step', () => app.step(), 'Step one batch');
  const reset = button('Reset', () => app.reset(), 'Reset the weights');
  const restart = h(
    'button',
    {
      type: 'button',
      hidden: true,
      class: 'btn-restart',
      onclick: () => restartEngine().catch((e) => app.say(e.message, 'error')),
    },
    'Restart the engine',
  );
  const epochBar = h('progress', { max: '1', value: '0', 'aria-label': 'epoch progress' });
  const epochText = h('span', { class: 'epoch' }, 'epoch 0');
  const speed = h('span', { class: 'readout' }, '– samples/s');
  const batchTime = h('span', { class: 'readout' }, '– ms per batch');
  const simdText = h('span', { class: 'readout' }, `SIMD ${simd ? 'on' : 'off'}`);
  const status = h('p', { class: 'status', role: 'status' });
  // How fast training goes: a few batches a second to watch the boundary form, or full speed.
  const PACES = [
    ['', 'full speed'],
    ['100', '100 batches/s'],
    ['30', '30 batches/s'],
    ['10', '10 batches/s'],
    ['3', '3 batches/s'],
    ['1', '1 batch/s'],
  ];
  const speedControl = select(PACES, app.pace ? String(app.pace) : '', (v) => app.setPace(v ? Number(v) : null), {
    'aria-label': 'training speed',
  });
  // The figures a learner watches, big and beside the buttons; "—" until they are known.
  const figure = (name, label) => {
    const value = h('span', { class: 'figure-value' }, '—');
    const caption = h('span', { class: 'figure-label' }, label);
    return { element: h('div', { class: `figure figure-${name}` }, value, caption), value, caption };
  };
  const figures = {
    epoch: figure('epoch', 'epoch'),
    loss: figure('loss', 'training loss'),
    testLoss: figure('test-loss', 'test loss'),
    testMetric: figure('test-metric', 'test accuracy'),
    speed: figure('speed', 'samples/s'),
  };
  const showFigures = (values) => {
    for (const [name, text] of Object.entries(values)) figures[name].value.textContent = text;
  };

  function renderButtons() {
    const s = app.trainState;
    const usable = Boolean(app.model) && !app.problem;
    train.disabled = !usable || s === 'training';
    train.textContent = s === 'paused' ? 'Resume' : 'Train';
    pause.disabled = s !== 'training';
    step.disabled = !usable;
    reset.disabled = app.engineDown || (!app.model && !app.problem);
    step.disabled ||= app.engineDown;
    restart.hidden = !app.engineDown;
  }
  app.addEventListener('train-state', renderButtons);
  app.addEventListener('model', () => {
    renderButtons();
    showFigures({ epoch: '0', loss: '—', testLoss: '—', testMetric: '—', speed: '—' });
    figures.testMetric.caption.textContent = app.task === 'regression' ? 'test MAE' : 'test accuracy';
    epochBar.value = 0;
    epochText.textContent = 'epoch 0';
    status.className = app.engineDown ? 'status error' : 'status';
    status.textContent = app.problem ? app.problem : 'Ready: press Train.';
  });
  app.addEventListener('state', (e) => {
    if (e.detail.live) return; // a new learning rate while training: nothing is rebuilt
    train.disabled = true;
    status.textContent = 'Building the model…';
  });
  app.addEventListener('batch', ({ detail: { batch, logs, info, metric } }) => {
    epochBar.value = (batch + 1) / info.batches;
    epochText.textContent = `epoch ${info.epoch + 1} of ${app.state.epochs}, batch ${batch + 1} of ${info.batches}`;
    // No figure until the engine has measured long enough to give a true one.
    const rate = info.samplesPerSecond;
    speed.textContent = `${rate === null ? '—' : Math.round(rate).toLocaleString('en')} samples/s`;
    batchTime.textContent = `${info.batchMs === null ? '—' : info.batchMs.toFixed(info.batchMs < 1 ? 2 : 1)} ms per batch`;
    status.textContent = `loss ${logs.loss.toFixed(4)}, ${metric} ${logs[metric].toFixed(metric === 'accuracy' ? 3 : 4)}`;
    showFigures({
      epoch: `${info.epoch + 1}`,
      loss: logs.loss.toFixed(4),
      speed: rate === null ? '—' : Math.round(rate).toLocaleString('en'),
    });
  });
  app.addEventListener('evaluated', ({ detail }) => {
    showFigures({
      testLoss: detail.loss.toFixed(4),
      testMetric: detail.accuracy !== undefined ? `${(100 * detail.accuracy).toFixed(1)}%` : detail.mae.toFixed(4),
    });
  });
  app.addEventListener('epoch', ({ detail: { epoch, logs, metric } }) => {
    const v = logs[`val_${metric}`];
    status.textContent = `epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}${v !== undefined ? `, validation ${metric} ${v.toFixed(4)}` : ''}`;
  });
  app.addEventListener('trained', ({ detail: { result } }) => {
    if (!result.diverged) status.textContent = `Done: ${status.textContent}`;
  });
  app.addEventListener('status', ({ detail: { message, kind } }) => {
    status.className = `status ${kind}`;
    status.textContent = message;
  });
  renderButtons();
  return panel(
    'train',
    'Train',
    h('div', { class: 'row' }, train, pause, step, reset, restart, speedControl),
    h(
      'div',
      { class: 'figures' },
      Object.values(figures).map((f) => f.element),
    ),
    h('div', { class: 'row' }, epochBar, epochText, h('span', { class: 'row readouts' }, speed, batchTime, simdText)),
    status,
  );
}

export function codePanel(app) {
  const keras = h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Keras code' });
  const js = h('pre', { class: 'code', tabindex: '0', 'aria-label': 'JavaScript code' });
  const copied = h('span', { class: 'hint', role: 'status' });
  const copy = (pre, what) =>
    h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(pre.textContent);
            copied.textContent = `${what} code copied.`;
          } catch {
            // Without clipboard permission: select the text so that Ctrl+C copies it.
            getSelection().selectAllChildren(pre);
            copied.textContent = 'Press Ctrl+C (or ⌘C) to copy the selected code.';
          }
        },
      },
      `Copy ${what}`,
    );
  function render() {
    const info = app.data ?? app.info;
    const data = {
      task: app.task,
      classes: info.classes,
      inputShape: info.inputShape ?? ['features'],
      target: app.target ?? 'onehot',
    };
    keras.textContent = kerasCode(app.state, data);
    js.textContent = javascriptCode(app.state, data);
  }
  app.addEventListener('model', render);
  render();
  return panel(
    'code',
    'Code',
    h('details', {}, h('summary', {}, 'Keras (Python)'), keras, copy(keras, 'Keras')),
    h('details', {}, h('summary', {}, 'JavaScript (this engine)'), js, copy(js, 'JavaScript')),
    copied,
  );
}
