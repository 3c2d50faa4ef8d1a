// The seeds' training techniques as playground settings: early stopping, a learning-rate
// schedule (from the engine's catalog), class weights (none, balanced from the label
// counts, or given), an imbalanced training set (a share of some classes kept) and
// resampling. Their address forms, and what fit is given for them.
import { catalog, camel, show } from '../../lib/layers_api.js';
import * as dl from '../../lib/layers_api.js';
import { DATA_SETS } from './presets.js';

// What early stopping may watch ('off': no early stopping).
export const MONITORS = ['off', 'val_loss', 'loss', 'val_accuracy', 'accuracy', 'val_mae', 'mae'];

// A schedule in the address: its name and its options' values in the catalog's order,
// joined by '-' (cosine_decay-1000-0); 'none' for no schedule.
export function scheduleSpec(name) {
  return catalog().schedules.find((s) => s.name === name) ?? null;
}
export const scheduleNames = () => catalog().schedules.map((s) => s.name);

function parseSchedule(name, raw) {
  if (raw === null || raw === 'none' || raw === '') return null;
  if (typeof raw === 'object') return { ...raw };
  const [type, ...values] = String(raw).split('-');
  const spec = scheduleSpec(type);
  if (!spec) throw new Error(`${name} ${show(type)} is unknown; expected none or one of ${scheduleNames().join(', ')}`);
  const options = Object.keys(spec.options);
  if (values.length > options.length)
    throw new Error(`${name} ${type}: expected at most ${options.length} values (${options.join(', ')})`);
  const schedule = { type };
  values.forEach((v, i) => {
    const fallback = spec.options[options[i]];
    const value = typeof fallback === 'string' ? v : Number(v);
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error(`${name} ${type}: ${options[i]} must be a number; got ${show(v)}`);
    schedule[options[i]] = value;
  });
  return schedule;
}

function formatSchedule(schedule) {
  if (!schedule) return 'none';
  const spec = scheduleSpec(schedule.type);
  return [schedule.type, ...Object.keys(spec.options).map((o) => schedule[o] ?? spec.options[o])].join('-');
}

// Class weights: 'none', 'balanced' or '0:1,1:5' (class:weight pairs).
function parseWeights(name, raw) {
  const text = String(raw);
  if (text === 'none' || text === 'balanced') return text;
  const pairs = text.split(',').map((p) => p.split(':'));
  for (const [c, w] of pairs)
    if (!/^\d+$/.test(c ?? '') || !(Number(w) >= 0))
      throw new Error(`${name} must be none, balanced or class:weight pairs such as 0:1,1:5; got ${show(text)}`);
  return pairs.map(([c, w]) => `${Number(c)}:${Number(w)}`).join(',');
}

// An imbalanced training set: 'none' or 'classes:keep' (1,3:10 keeps 10% of classes 1 and 3).
function parseImbalance(name, raw) {
  if (raw === null || raw === 'none' || raw === '') return null;
  if (typeof raw === 'object') return { classes: [...raw.classes], keep: raw.keep };
  const [classes, keep] = String(raw).split(':');
  const list = (classes ?? '').split(',').map(Number);
  if (!list.length || list.some((c) => !Number.isInteger(c) || c < 0) || !(Number(keep) > 0 && Number(keep) <= 100))
    throw new Error(`${name} must be none or classes:percent kept, such as 1,3:10; got ${show(raw)}`);
  return { classes: list, keep: Number(keep) };
}
const formatImbalance = (v) => (v ? `${v.classes.join(',')}:${v.keep}` : 'none');

// Some classes only (transfer learning's second data set): 'all' or class numbers and
// ranges, 5-9 or 0,2,4-6.
function parseClasses(name, raw) {
  if (raw === null || raw === 'all' || raw === '') return null;
  if (Array.isArray(raw)) return [...raw];
  const classes = new Set();
  for (const part of String(raw).split(',')) {
    const [from, to = from] = part.trim().split('-');
    if (!/^\d+$/.test(from) || !/^\d+$/.test(to) || Number(to) < Number(from) || Number(to) > 999)
      throw new Error(`${name} must be all or class numbers and ranges such as 5-9 or 0,2,4-6; got ${show(raw)}`);
    for (let c = Number(from); c <= Number(to); c++) classes.add(c);
  }
  return [...classes].sort((a, b) => a - b);
}
// Consecutive classes as ranges: [0, 1, 2, 5] is 0-2,5.
export function formatClasses(classes) {
  if (!classes) return 'all';
  const runs = [];
  for (const c of classes) {
    const last = runs.at(-1);
    if (last && c === last[1] + 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
}

// Image augmentation: 'none' or shift-rotation-zoom (2-10-0.1: up to 2 pixels, 10
// degrees and a zoom factor from 0.9 to 1.1).
export const AUGMENT_LIMITS = { shift: 8, rotation: 180, zoom: 0.5 };
function parseAugment(name, raw) {
  if (raw === null || raw === 'none' || raw === '') return null;
  if (typeof raw === 'object') return { ...raw };
  const values = String(raw).split('-').map(Number);
  const keys = Object.keys(AUGMENT_LIMITS);
  if (values.length !== 3 || values.some((v, i) => !(v >= 0 && v <= AUGMENT_LIMITS[keys[i]])))
    throw new Error(
      `${name} must be none or shift-rotation-zoom within ${keys.map((k) => `${k} ${AUGMENT_LIMITS[k]}`).join(', ')}, such as 2-10-0.1; got ${show(raw)}`,
    );
  return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
}
const formatAugment = (v) => (v ? `${v.shift}-${v.rotation}-${v.zoom}` : 'none');

export const TECHNIQUE_PARAMS = {
  augment: { key: 'augment', kind: 'custom', parse: parseAugment, format: formatAugment },
  stop: { key: 'stop', kind: 'choice', options: MONITORS },
  patience: { key: 'patience', kind: 'int', min: 0, max: 1000 },
  restore: { key: 'restore', kind: 'bool' },
  schedule: { key: 'schedule', kind: 'custom', parse: parseSchedule, format: formatSchedule },
  weights: { key: 'weights', kind: 'custom', parse: parseWeights, format: String },
  imbalance: { key: 'imbalance', kind: 'custom', parse: parseImbalance, format: formatImbalance },
  resample: { key: 'resample', kind: 'choice', options: ['none', 'over', 'under'] },
  // Transfer learning: train (and test) on some classes only, at most `per` training
  // samples of each (0: all); keep trained weights of unchanged layers on a new model.
  only: { key: 'only', kind: 'custom', parse: parseClasses, format: formatClasses },
  per: { key: 'per', kind: 'int', min: 0, max: 100000 },
  keep: { key: 'keep', kind: 'bool' },
};
// The settings that change the data set's rows.
export const ROW_SETTINGS = ['imbalance', 'resample', 'only', 'per'];

// The test rows the state keeps of `labels` (null: all): those of its classes.
export function testRows(state, labels) {
  return state.only ? dl.data.classSubset(labels, { classes: state.only }) : null;
}

// The training rows the state keeps of `labels` (null: all of them, in order): those of
// its classes (at most `per` of each), then imbalanced and resampled.
export function trainingRows(state, labels) {
  if (!state.imbalance && state.resample === 'none' && !state.only && !state.per) return null;
  const all = Array.from(labels, Number);
  let rows = dl.data.classSubset(all, { classes: state.only, perClass: state.per });
  if (state.imbalance) {
    const kept = rows.map((r) => all[r]);
    rows = dl.data.imbalance(kept, { ...state.imbalance, seed: state.seed }).map((k) => rows[k]);
  }
  if (state.resample !== 'none') {
    const kept = rows.map((r) => all[r]);
    rows = dl.data.resample(kept, { mode: state.resample, seed: state.seed }).map((k) => rows[k]);
  }
  return rows;
}

// What fit is given for the techniques: earlyStopping, schedule, classWeight (from the
// training labels when balanced).
export function techniqueFitOptions(state, trainLabels) {
  const options = {};
  if (state.stop !== 'off')
    options.earlyStopping = { monitor: state.stop, patience: state.patience, restoreBestWeights: state.restore };
  if (state.schedule) options.schedule = { ...state.schedule };
  if (state.augment && DATA_SETS[state.data]?.image) options.augment = { ...state.augment };
  if (state.weights === 'balanced') options.classWeight = dl.data.balancedClassWeights(Array.from(trainLabels, Number));
  else if (state.weights !== 'none')
    options.classWeight = Object.fromEntries(state.weights.split(',').map((p) => p.split(':').map(Number)));
  return options;
}

// The schedule's Keras form: a schedule object for the optimizer's learning_rate, or the
// ReduceLROnPlateau callback.
export function kerasSchedule(schedule, lr) {
  if (!schedule) return null;
  const spec = scheduleSpec(schedule.type);
  const args = Object.keys(spec.options).map((o) => {
    const v = schedule[o] ?? spec.options[o];
    return `${spec.kerasNames[o]}=${typeof v === 'string' ? `'${v}'` : v}`;
  });
  if (schedule.type === 'reduce_on_plateau')
    return { callback: `keras.callbacks.ReduceLROnPlateau(${args.join(', ')})` };
  const staircase = schedule.type === 'step_decay' ? ', staircase=True' : '';
  return { rate: `keras.optimizers.schedules.${spec.kerasClass}(${lr}, ${args.join(', ')}${staircase})` };
}

// The schedule as this engine's JavaScript writes it.
export function jsSchedule(schedule) {
  if (!schedule) return null;
  const { type, ...options } = schedule;
  const call = type === 'reduce_on_plateau' ? 'dl.callbacks.reduceLROnPlateau' : `dl.schedules.${camel(type)}`;
  const entries = Object.entries(options).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : v}`);
  return `${call}(${entries.length ? `{ ${entries.join(', ')} }` : ''})`;
}
