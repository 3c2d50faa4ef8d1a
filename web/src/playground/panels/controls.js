// The settings and training panels (the data panel is in data.js, the code panel in code.js).
import { logValue } from '../../../lib/layers_api.js';
import { restartEngine } from '../app.js';
import { h, labelled, panel, select } from '../dom.js';
import { CORES, SETTING_RANGES, SPEEDS, checkValue, losses, optimizers } from '../state.js';

// A slider for a numeric setting with its value written beside it; changes apply when the
// slider is let go (each value would make a new model).
export function slider(app, name, { min, max, step, text = String }) {
  const input = h('input', {
    type: 'range',
    min: String(min),
    max: String(max),
    step: String(step),
    value: String(app.state[name]),
    'aria-label': name,
    oninput: () => (shown.textContent = text(Number(input.value))),
    onchange: () => app.update({ [name]: Number(input.value) }),
  });
  const shown = h('output', { class: 'slider-value' }, text(app.state[name]));
  const render = () => {
    input.value = String(app.state[name]);
    shown.textContent = text(app.state[name]);
  };
  app.addEventListener('state', render);
  return { element: h('span', { class: 'slider' }, input, shown), input };
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
      numberSetting(app, 'epochs', 'epochs (0: until paused)', '1'),
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

// How often the figures beside the buttons are rewritten while training, at most.
const FIGURES_MS = 100;

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
  const speed = h('span', { class: 'readout' }, '— samples/s');
  const batchTime = h('span', { class: 'readout' }, '— ms per batch');
  const simdText = h('span', { class: 'readout' }, `SIMD ${simd ? 'on' : 'off'}`);
  // How many cores the last batch ran on: batches are split only when that is faster.
  const coresText = h('span', { class: 'readout readout-cores', title: 'cores the last batch was computed on' });
  const status = h('p', { class: 'status', role: 'status' });
  // How fast training goes: a few batches a second to watch the boundary form, or full speed.
  const speedText = (v) => (v === 'full' ? 'full speed' : `${v} batch${v === '1' ? '' : 'es'}/s`);
  const speedControl = select(
    SPEEDS.map((v) => [v, speedText(v)]),
    app.state.speed,
    (speed) => app.update({ speed }),
    { 'aria-label': 'training speed' },
  );
  // Until paused (epochs 0), or for the epochs the settings give.
  let lastEpochs = app.state.epochs || 40;
  const forever = h('input', {
    type: 'checkbox',
    class: 'until-paused',
    checked: app.state.epochs === 0,
    onchange: () => app.update({ epochs: forever.checked ? 0 : lastEpochs }),
  });
  // Cores training may use; 'auto' follows the machine's.
  const machine = globalThis.navigator?.hardwareConcurrency || 1;
  const coresControl = select(
    CORES.filter((v) => v === 'auto' || Number(v) <= Math.max(machine, 2)).map((v) => [
      v,
      v === 'auto' ? `all ${machine} cores` : `${v} core${v === '1' ? '' : 's'}`,
    ]),
    app.state.cores,
    (cores) => app.update({ cores }),
    { 'aria-label': 'cores to train on', class: 'cores-control' },
  );
  app.addEventListener('state', () => {
    coresControl.value = app.state.cores;
    speedControl.value = app.state.speed;
    forever.checked = app.state.epochs === 0;
    if (app.state.epochs) lastEpochs = app.state.epochs;
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
  // A fast model ends thousands of batches a second: the figures are written ten times a
  // second at most, from the last batch, so that the page is not busy rewriting text.
  let lastBatch = null;
  let frame = 0;
  app.addEventListener('batch', ({ detail }) => {
    lastBatch = detail;
    frame ||= setTimeout(() => {
      frame = 0;
      showBatch(lastBatch);
    }, FIGURES_MS);
  });
  function showBatch({ batch, logs, info, metric }) {
    epochBar.value = (batch + 1) / info.batches;
    const of = app.state.epochs ? ` of ${app.state.epochs}` : '';
    epochText.textContent = `epoch ${info.epoch + 1}${of}, batch ${batch + 1} of ${info.batches}`;
    // No figure until the engine has measured long enough to give a true one.
    const rate = info.samplesPerSecond;
    speed.textContent = `${rate === null ? '—' : Math.round(rate).toLocaleString('en')} samples/s`;
    batchTime.textContent = `${info.batchMs === null ? '—' : info.batchMs.toFixed(info.batchMs < 1 ? 2 : 1)} ms per batch`;
    coresText.textContent = info.cores ? `${info.cores} core${info.cores === 1 ? '' : 's'}` : '';
    status.textContent = `loss ${logs.loss.toFixed(4)}, ${metric} ${logValue(logs, metric).toFixed(metric === 'accuracy' ? 3 : 4)}`;
    showFigures({
      epoch: `${info.epoch + 1}`,
      loss: logs.loss.toFixed(4),
      speed: rate === null ? '—' : Math.round(rate).toLocaleString('en'),
    });
  }
  app.addEventListener('evaluated', ({ detail }) => {
    showFigures({
      testLoss: detail.loss.toFixed(4),
      testMetric: detail.accuracy !== undefined ? `${(100 * detail.accuracy).toFixed(1)}%` : detail.mae.toFixed(4),
    });
  });
  // The last batch's figures are shown before what an epoch's end or the end of fit says.
  const flushBatch = () => {
    if (!frame) return;
    clearTimeout(frame);
    frame = 0;
    showBatch(lastBatch);
  };
  app.addEventListener('epoch', ({ detail: { epoch, logs, metric } }) => {
    flushBatch();
    const v = logValue(logs, `val_${metric}`);
    // Without a validation split the test set is the validation data: its figures follow
    // every epoch (a run until paused has no end to wait for).
    if (app.state.validationSplit === 0 && logs.val_loss !== undefined)
      showFigures({
        testLoss: logs.val_loss.toFixed(4),
        testMetric: metric === 'accuracy' ? `${(100 * v).toFixed(1)}%` : v.toFixed(4),
      });
    const against = app.state.validationSplit > 0 ? 'validation' : 'test';
    status.textContent = `epoch ${epoch + 1}: loss ${logs.loss.toFixed(4)}${v !== undefined ? `, ${against} ${metric} ${v.toFixed(4)}` : ''}`;
  });
  app.addEventListener('trained', ({ detail: { result } }) => {
    flushBatch();
    if (!result.diverged) status.textContent = `Done: ${status.textContent}`;
  });
  app.addEventListener('status', ({ detail: { message, kind } }) => {
    flushBatch(); // a message is not overwritten by the figures of a batch before it
    status.className = `status ${kind}`;
    status.textContent = message;
  });
  renderButtons();
  return panel(
    'train',
    'Train',
    h(
      'div',
      { class: 'row' },
      train,
      pause,
      step,
      reset,
      restart,
      speedControl,
      coresControl,
      h('label', { class: 'inline' }, forever, ' until paused'),
    ),
    h(
      'div',
      { class: 'figures' },
      Object.values(figures).map((f) => f.element),
    ),
    h(
      'div',
      { class: 'row' },
      epochBar,
      epochText,
      h('span', { class: 'row readouts' }, speed, batchTime, coresText, simdText),
    ),
    status,
  );
}
