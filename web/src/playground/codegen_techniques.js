// The techniques' part of the code views (codegen.js): an imbalanced or resampled training
// set, class weights, early stopping and a learning-rate schedule, in Keras (NumPy for the
// data) and in this engine's JavaScript.
import { tfjsLogName } from '../../lib/layers_api.js';
import { DATA_SETS } from './presets.js';
import { formatClasses, jsSchedule, kerasSchedule } from './techniques.js';

const pyList = (values) => `[${values.join(', ')}]`;
const manualWeights = (weights) =>
  `{${weights
    .split(',')
    .map((p) => p.replace(':', ': '))
    .join(', ')}}`;

// Lines after the data are loaded, on x_train/y_train (labels: the class of each row).
export function kerasTechniqueData(state) {
  const lines = [];
  if (!state.imbalance && state.resample === 'none' && state.weights !== 'balanced' && !state.only && !state.per)
    return lines;
  const classOf = (y) => `${y}.argmax(1) if ${y}.ndim > 1 and ${y}.shape[1] > 1 else ${y}.reshape(-1).astype(int)`;
  lines.push('', 'import numpy as np', `rng = np.random.default_rng(${state.seed})`, `labels = ${classOf('y_train')}`);
  if (state.only || state.per) {
    const classes = state.only ? pyList(state.only) : 'np.unique(labels)';
    const first = state.per ? `[:${state.per}]` : '';
    lines.push(
      `# Some classes only${state.only ? ` (${formatClasses(state.only)})` : ''}${state.per ? `, the first ${state.per} training samples of each` : ''}`,
      `classes = ${classes}`,
      `rows = np.sort(np.concatenate([np.flatnonzero(labels == c)${first} for c in classes]))`,
      'x_train, y_train, labels = x_train[rows], y_train[rows], labels[rows]',
    );
    if (state.only)
      lines.push(
        '# The test set keeps the same classes',
        `test_rows = np.isin(${classOf('y_test')}, classes)`,
        'x_test, y_test = x_test[test_rows], y_test[test_rows]',
      );
  }
  if (state.imbalance) {
    const { classes, keep } = state.imbalance;
    lines.push(
      `# An imbalanced training set: ${keep}% of class${classes.length > 1 ? 'es' : ''} ${classes.join(', ')} kept`,
      `keep = ~np.isin(labels, ${pyList(classes)}) | (rng.random(len(labels)) < ${keep / 100})`,
      'x_train, y_train, labels = x_train[keep], y_train[keep], labels[keep]',
    );
  }
  if (state.resample !== 'none') {
    const over = state.resample === 'over';
    lines.push(
      over
        ? '# Oversampling: each class drawn (with replacement) up to the largest class'
        : '# Undersampling: each class cut down to the smallest class',
      'counts = np.bincount(labels)',
      `target = ${over ? 'counts.max()' : 'counts[counts > 0].min()'}`,
      'rows = np.concatenate([rng.choice(np.flatnonzero(labels == c), target, replace=counts[c] < target) for c in np.flatnonzero(counts)])',
      'rng.shuffle(rows)',
      'x_train, y_train, labels = x_train[rows], y_train[rows], labels[rows]',
    );
  }
  if (state.weights === 'balanced')
    lines.push(
      '# Balanced class weights: samples / (classes x samples of the class)',
      'counts = np.bincount(labels)',
      'class_weight = {c: len(labels) / (np.count_nonzero(counts) * n) for c, n in enumerate(counts) if n}',
    );
  return lines;
}

// {rate: the optimizer's learning_rate (a schedule) or null, fit: extra fit arguments}.
export function kerasTechniqueFit(state) {
  const schedule = kerasSchedule(state.schedule, state.learningRate);
  const callbacks = [];
  if (state.stop !== 'off')
    callbacks.push(
      `keras.callbacks.EarlyStopping(monitor='${state.stop}', patience=${state.patience}, restore_best_weights=${state.restore ? 'True' : 'False'})`,
    );
  if (schedule?.callback) callbacks.push(schedule.callback);
  let fit = '';
  if (state.weights === 'balanced') fit += ', class_weight=class_weight';
  else if (state.weights !== 'none') fit += `, class_weight=${manualWeights(state.weights)}`;
  if (callbacks.length) fit += `, callbacks=[${callbacks.join(', ')}]`;
  return { rate: schedule?.rate ?? null, fit };
}

// Lines that make the training set a subset of classes, imbalanced or resampled in place
// (and the test set of the same classes): `train` and `test` are the objects holding them
// ({images, labels, count} for MNIST, {x, y, n} otherwise).
export function jsTechniqueData(state, { images, size }) {
  if (!state.imbalance && state.resample === 'none' && !state.only && !state.per) return [];
  const [values, labels, count] = images ? ['images', 'labels', 'count'] : ['x', 'y', 'n'];
  const lines = [];
  const only = state.only ? `[${state.only.join(', ')}]` : 'null';
  if (state.only)
    lines.push(
      '// The test set keeps the same classes.',
      `const testRows = dl.data.classSubset(test.${labels}, { classes: ${only} });`,
      `Object.assign(test, { ${values}: dl.data.takeRows(test.${values}, ${size}, testRows), ${labels}: dl.data.takeRows(test.${labels}, 1, testRows), ${count}: testRows.length });`,
    );
  lines.push(
    state.only || state.per
      ? `let rows = dl.data.classSubset(train.${labels}, { classes: ${only}, perClass: ${state.per} });`
      : `let rows = Array.from({ length: train.${count} }, (_, i) => i);`,
  );
  if (state.imbalance)
    lines.push(
      `rows = dl.data.imbalance(rows.map((r) => train.${labels}[r]), { classes: [${state.imbalance.classes.join(', ')}], keep: ${state.imbalance.keep}, seed: ${state.seed} }).map((k) => rows[k]);`,
    );
  if (state.resample !== 'none')
    lines.push(
      `rows = dl.data.resample(rows.map((r) => train.${labels}[r]), { mode: '${state.resample}', seed: ${state.seed} }).map((k) => rows[k]);`,
    );
  lines.push(
    `Object.assign(train, { ${values}: dl.data.takeRows(train.${values}, ${size}, rows), ${labels}: dl.data.takeRows(train.${labels}, 1, rows), ${count}: rows.length });`,
  );
  return lines;
}

// Extra fit options in JavaScript; `labels` names the training labels.
export function jsTechniqueFit(state, labels) {
  const parts = [];
  if (state.augment && DATA_SETS[state.data]?.image)
    parts.push(
      `augment: { shift: ${state.augment.shift}, rotation: ${state.augment.rotation}, zoom: ${state.augment.zoom} }`,
    );
  if (state.weights === 'balanced') parts.push(`classWeight: dl.data.balancedClassWeights(Array.from(${labels}))`);
  else if (state.weights !== 'none') parts.push(`classWeight: ${manualWeights(state.weights)}`);
  const callbacks = [];
  if (state.stop !== 'off')
    callbacks.push(
      `dl.callbacks.earlyStopping({ monitor: '${tfjsLogName(state.stop)}', patience: ${state.patience}, restoreBestWeights: ${state.restore} })`,
    );
  const schedule = jsSchedule(state.schedule);
  if (state.schedule?.type === 'reduce_on_plateau') callbacks.push(schedule);
  else if (schedule) parts.push(`schedule: ${schedule}`);
  if (callbacks.length) parts.push(`callbacks: [${callbacks.join(', ')}]`);
  return parts.map((p) => `, ${p}`).join('');
}

// Keras' preprocessing layers for the augmentation, right after the input (they act only
// while training): RandomTranslation and RandomRotation take fractions of the image and of
// a full turn.
export function kerasAugmentLayers(state, info) {
  const a = state.augment;
  if (!a || info.inputShape.length !== 3) return [];
  const [h] = info.inputShape;
  const layers = [];
  if (a.shift)
    layers.push(
      `layers.RandomTranslation(${+(a.shift / h).toFixed(4)}, ${+(a.shift / h).toFixed(4)}, fill_mode='constant')`,
    );
  if (a.rotation) layers.push(`layers.RandomRotation(${+(a.rotation / 360).toFixed(4)}, fill_mode='constant')`);
  if (a.zoom) layers.push(`layers.RandomZoom(${a.zoom}, fill_mode='constant')`);
  return layers.map((l) => `    ${l},`);
}
