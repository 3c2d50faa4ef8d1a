// Imbalanced data and what the seeds teach against it: making a set imbalanced (keeping a
// share of some classes), resampling (oversampling rare classes or undersampling common
// ones) and class weights balanced from the label counts. All work on class labels (one
// per sample) and return the rows to keep, in a seeded random order where they draw.
import { seededRandom, shuffle } from './random.js';
import { show } from '../show.js';

function checkLabels(labels, call) {
  if (!labels || typeof labels.length !== 'number' || labels.length === 0)
    throw new Error(`${call}: labels must be a non-empty array of class numbers`);
  for (const v of labels)
    if (!Number.isInteger(Number(v)) || v < 0)
      throw new Error(`${call}: labels must be whole class numbers >= 0; got ${show(v)}`);
}

// The count of each class, classes 0 to the largest label.
export function classCounts(labels) {
  checkLabels(labels, 'classCounts');
  const counts = [];
  for (const v of labels) counts[v] = (counts[v] ?? 0) + 1;
  return Array.from(counts, (c) => c ?? 0);
}

// The rows to keep so that only `keep` percent of the samples of `classes` remain (at
// least one of each); every other sample stays.
export function imbalance(labels, { classes, keep, seed = 1 } = {}) {
  checkLabels(labels, 'imbalance');
  if (!Array.isArray(classes) || classes.length === 0 || classes.some((c) => !Number.isInteger(c) || c < 0))
    throw new Error(`imbalance: classes must be a non-empty array of class numbers; got ${show(classes)}`);
  if (!(keep > 0 && keep <= 100))
    throw new Error(`imbalance: keep must be a percentage in (0, 100]; got ${show(keep)}`);
  const random = seededRandom(seed);
  const rows = [];
  const kept = new Map();
  labels.forEach((label, i) => {
    const rare = classes.includes(Number(label));
    if (!rare || random() * 100 < keep || !kept.has(Number(label))) {
      rows.push(i);
      if (rare) kept.set(Number(label), true);
    }
  });
  return rows;
}

// The rows (in order) of the samples of `classes` (null: every class), at most `perClass`
// of each (the first ones; 0 or Infinity: all): a data set of some classes, or of a few
// samples of each, as transfer learning's second task.
export function classSubset(labels, { classes = null, perClass = 0 } = {}) {
  checkLabels(labels, 'classSubset');
  if (classes !== null && (!Array.isArray(classes) || classes.some((c) => !Number.isInteger(c) || c < 0)))
    throw new Error(`classSubset: classes must be null or an array of class numbers; got ${show(classes)}`);
  if (!(perClass >= 0)) throw new Error(`classSubset: perClass must be a number >= 0; got ${show(perClass)}`);
  const wanted = classes && new Set(classes);
  const taken = new Map();
  const rows = [];
  labels.forEach((value, i) => {
    const label = Number(value);
    if (wanted && !wanted.has(label)) return;
    const n = taken.get(label) ?? 0;
    if (perClass && n >= perClass) return;
    taken.set(label, n + 1);
    rows.push(i);
  });
  return rows;
}

// The rows of a resampled set: 'over' draws extra samples of each class (with replacement)
// until it has as many as the largest; 'under' keeps as many of each as the smallest has.
export function resample(labels, { mode, seed = 1 } = {}) {
  checkLabels(labels, 'resample');
  if (mode !== 'over' && mode !== 'under')
    throw new Error(`resample: mode must be 'over' or 'under'; got ${show(mode)}`);
  const random = seededRandom(seed);
  const byClass = [];
  labels.forEach((label, i) => (byClass[label] ??= []).push(i));
  const present = byClass.filter(Boolean);
  const target =
    mode === 'over' ? Math.max(...present.map((r) => r.length)) : Math.min(...present.map((r) => r.length));
  const rows = [];
  for (const members of present) {
    const order = shuffle([...members], random);
    for (let k = 0; k < target; k++)
      rows.push(k < order.length ? order[k] : members[Math.floor(random() * members.length)]);
  }
  return shuffle(rows, random);
}

// Keras' and scikit-learn's "balanced" class weights: n / (classes × count of the class),
// as fit's classWeight ({class: weight}); classes with no sample get none.
export function balancedClassWeights(labels) {
  const counts = classCounts(labels);
  const present = counts.filter((c) => c > 0).length;
  const weights = {};
  counts.forEach((c, k) => c > 0 && (weights[k] = labels.length / (present * c)));
  return weights;
}

// The rows `rows` of a flat array holding `size` values per row.
export function takeRows(values, size, rows) {
  const out = new values.constructor(rows.length * size);
  rows.forEach((r, i) => out.set(values.subarray(r * size, (r + 1) * size), i * size));
  return out;
}
